// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/error_report.hpp: how a heap error reads - printed at once, from inside the delete or free
// that found it (so with tracking suspended), and as an entry of the JSON report's "errors".
#ifndef LEAKGUARD_DETAIL_REPORT_ERROR_REPORT_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_ERROR_REPORT_HPP_INCLUDED

#include <cstdio> // std::snprintf

#include "../heap/errors.hpp"
#include "../heap/startup.hpp"
#include "report.hpp"
#include "../symbolize/symbolize.hpp"

namespace leakguard {
namespace detail {

// describe_site() for a (return address, location) pair.
inline void describe_code(const void* caller, const source_location* location, char* out, std::size_t size) noexcept {
    block_info b = block_info();
    b.caller = caller;
    b.location = location;
    describe_site(b, out, size);
}

void print_error(const error_record& e) noexcept {
    busy_section busy;
    char freed_at[1200] = "";
    if (e.has_free) describe_code(e.free_caller, e.free_location, freed_at, sizeof freed_at);
    fd_writer out(report_fd());
    out.printf("leakguard: error: %s: ", error_type_name(e.type));
    if (e.block_known) {
        char allocated_at[1200];
        describe_code(e.alloc_caller, e.alloc_location, allocated_at, sizeof allocated_at);
        out.printf("%zu bytes at %p (#%llu) allocated by %s at %s", e.size, e.address,
                   static_cast<unsigned long long>(e.seq), kind_name(e.kind), allocated_at);
    } else {
        out.printf("%p", e.address);
    }
    // heap_overflow counts from the end of the block; the others from its start.
    if (e.has_offset) {
        if (e.type == error_type::heap_overflow) out.printf(", byte %ld past its end overwritten", e.offset);
        else if (e.offset < 0) out.printf(", byte %ld before its start overwritten", e.offset);
        else if (static_cast<std::size_t>(e.offset) >= e.size)
            out.printf(", byte %zu past its end overwritten", static_cast<std::size_t>(e.offset) - e.size);
        else out.printf(", byte %ld overwritten", e.offset);
    }
    if (e.has_first_free) {
        char first[1200];
        describe_code(e.first_free_caller, e.first_free_location, first, sizeof first);
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
inline void json_site(fd_writer& out, const char* prefix, const void* caller,
                      const source_location* location) noexcept {
    symbol_info sym;
    symbolize(caller, sym);
    out.printf(",\"%sfile\":", prefix);
    json_string(out, location ? location->file : (sym.file[0] ? sym.file : nullptr));
    if (location) out.printf(",\"%sline\":%d", prefix, location->line);
    else if (sym.file[0]) out.printf(",\"%sline\":%u", prefix, sym.line);
    else out.printf(",\"%sline\":null", prefix);
    out.printf(",\"%sfunction\":", prefix);
    json_string(out, sym.function[0] ? sym.function : nullptr);
}

void write_json_errors(fd_writer& out) noexcept {
    lock_guard hold(g_errors.lock);
    std::uint64_t const total = g_errors.count.load(std::memory_order_relaxed);
    std::size_t const kept = total < max_error_records ? static_cast<std::size_t>(total) : max_error_records;
    for (std::size_t i = 0; i < kept; ++i) {
        const error_record& e = g_errors.records[i];
        out.put(i ? ",\n{\"type\":" : "\n{\"type\":");
        json_string(out, error_type_name(e.type));
        out.put(",\"address\":");
        json_address(out, e.address);
        if (e.block_known) {
            out.printf(",\"size\":%zu,\"kind\":\"%s\",\"seq\":%llu", e.size, kind_name(e.kind),
                       static_cast<unsigned long long>(e.seq));
            json_site(out, "alloc_", e.alloc_caller, e.alloc_location);
        }
        if (e.has_offset) out.printf(",\"offset\":%ld", e.offset);
        if (e.has_form) out.printf(",\"free_form\":\"%s\"", dealloc_name(e.form));
        if (e.has_free) {
            json_site(out, "free_", e.free_caller, e.free_location);
            out.put(",\"free_caller\":");
            json_address(out, e.free_caller);
        }
        if (e.has_first_free) {
            json_site(out, "first_free_", e.first_free_caller, e.first_free_location);
            out.put(",\"first_free_caller\":");
            json_address(out, e.first_free_caller);
        }
        out.put("}");
    }
}

} // namespace detail
} // namespace leakguard

#endif
