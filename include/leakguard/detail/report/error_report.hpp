// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/error_report.hpp: how a heap error reads - printed at once, from inside the delete or free
// that found it (so with tracking suspended), and as an entry of the JSON report's "errors".
#ifndef LEAKGUARD_DETAIL_REPORT_ERROR_REPORT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_ERROR_REPORT_HPP_INCLUDED

#include <cstddef> // std::size_t
#include <cstdint> // std::uint64_t
#include <cstdio>  // std::snprintf

#include "../core/options.hpp"
#include "../core/platform.hpp"
#include "../core/report_stream.hpp"
#include "../heap/errors.hpp"
#include "../heap/startup.hpp"
#include "../symbolize/symbolize.hpp"
#include "json_writer.hpp"
#include "site_text.hpp"

namespace leakguard {
namespace detail {

// ", byte N past its end overwritten" and the like for an error that found a bad byte; "" for
// the others. heap_overflow counts from the end of the block; the others from its start.
inline void error_offset_text(const error_record& e, char* out, std::size_t size) noexcept {
    if (size) out[0] = '\0';
    if (!e.has_offset) return;
    if (e.type == error_type::heap_overflow) std::snprintf(out, size, ", byte %ld past its end overwritten", e.offset);
    else if (e.offset < 0) std::snprintf(out, size, ", byte %ld before its start overwritten", e.offset);
    else if (static_cast<std::size_t>(e.offset) >= e.size)
        std::snprintf(out, size, ", byte %zu past its end overwritten", static_cast<std::size_t>(e.offset) - e.size);
    else std::snprintf(out, size, ", byte %ld overwritten", e.offset);
}

// describe_code(), or where this thread is naming code already (symbolize/symbolize.hpp: an
// error found by a free the demangler made), the location or the bare address: naming it would
// wait on this thread's own lock.
inline void describe_error_code(const void* caller, const source_location* location, char* out,
                                std::size_t size) noexcept {
    if (!t_inside.naming) return describe_code(caller, location, out, size);
    if (location) std::snprintf(out, size, "%s:%d", location->file, location->line);
    else std::snprintf(out, size, "%p", caller);
}

void print_error(const error_record& e) noexcept {
    busy_section busy;
    char freed_at[site_text_size] = "";
    if (e.has_free) describe_error_code(e.free_caller, e.free_location, freed_at, sizeof freed_at);
    fd_writer out(report_fd());
    out.printf("leakguard: error: %s: ", error_type_name(e.type));
    if (e.type == error_type::heap_corruption) { // leakguard's record of a block, not the block
        out.printf("the block at %p: %s (a write past the end of the block before it in memory, or before this "
                   "one?); what can be read is still reported and the program goes on\n",
                   e.address, e.what ? e.what : "its header is damaged");
        return;
    }
    if (e.block_known) {
        char allocated_at[site_text_size];
        describe_error_code(e.alloc_caller, e.alloc_location, allocated_at, sizeof allocated_at);
        out.printf("%zu bytes at %p (#%llu) allocated by %s at %s", e.size, e.address,
                   static_cast<unsigned long long>(e.seq), kind_name(e.kind), allocated_at);
    } else {
        out.printf("%p", e.address);
    }
    char offset[64];
    error_offset_text(e, offset, sizeof offset);
    out.put(offset);
    if (e.has_first_free) {
        char first[site_text_size];
        describe_error_code(e.first_free_caller, e.first_free_location, first, sizeof first);
        out.printf(", first freed at %s", first);
    }
    if (e.has_form) out.printf(", given back by %s at %s", dealloc_name(e.form), freed_at);
    else if (e.has_free) out.printf(", after it was freed at %s", freed_at);
    else out.put(", found by a heap check");
    if (!e.block_known || !e.has_form) out.put("; the program goes on\n");
    else if (e.left_alone) out.put("; its header is damaged: left alone and the program goes on\n");
    else if (e.type == error_type::double_free) out.put("; the pointer was left alone and the program goes on\n");
    else out.put("; released all the same and the program goes on\n");
}

// "<prefix>file", "<prefix>line" and "<prefix>function" of a site, as JSON members.
inline void json_site(json_writer& json, const char* prefix, const void* caller,
                      const source_location* location) noexcept {
    symbol_info sym;
    symbolize(caller, sym);
    char name[32];
    std::snprintf(name, sizeof name, "%sfile", prefix);
    json.key(name);
    json.string(location ? location->file : (sym.file[0] ? sym.file : nullptr));
    std::snprintf(name, sizeof name, "%sline", prefix);
    json.key(name);
    if (location) json.number(location->line);
    else if (sym.file[0]) json.number(sym.line);
    else json.null();
    std::snprintf(name, sizeof name, "%sfunction", prefix);
    json.key(name);
    json.string(sym.function[0] ? sym.function : nullptr);
}

// The elements of the JSON report's "errors" array, one a line.
inline void write_json_errors(json_writer& json) noexcept {
    lock_guard hold(g_errors.lock);
    std::uint64_t const total = g_errors.count.load(std::memory_order_relaxed);
    std::size_t const kept = total < max_error_records ? static_cast<std::size_t>(total) : max_error_records;
    for (std::size_t i = 0; i < kept; ++i) {
        const error_record& e = g_errors.records[i];
        json.new_line();
        json.begin_object();
        json.key("type").string(error_type_name(e.type));
        json.key("address").address(e.address);
        if (e.what) json.key("detail").string(e.what);
        if (e.block_known) {
            json.key("size").number(e.size);
            json.key("kind").string(kind_name(e.kind));
            json.key("seq").number(e.seq);
            json_site(json, "alloc_", e.alloc_caller, e.alloc_location);
        }
        if (e.has_offset) {
            json.key("offset").number(e.offset);
        }
        if (e.has_form) {
            json.key("free_form").string(dealloc_name(e.form));
        }
        if (e.has_free) {
            json_site(json, "free_", e.free_caller, e.free_location);
            json.key("free_caller").address(e.free_caller);
        }
        if (e.has_first_free) {
            json_site(json, "first_free_", e.first_free_caller, e.first_free_location);
            json.key("first_free_caller").address(e.first_free_caller);
        }
        json.end_object();
    }
}

} // namespace detail
} // namespace leakguard

#endif
