// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/suppressions.hpp: suppressions applied to a list of blocks - the exit report's, a
// failed scope's, a repeat check's - and the list of those that matched (print_suppressions).
// Matching needs every frame of a block's stack named, which costs: it is done only while a file
// with entries is loaded, and once per distinct stack (blocks with the same stack share its
// record), not once per block. Runs with tracking suspended; allocates only raw memory.
#ifndef LEAKGUARD_DETAIL_REPORT_SUPPRESSIONS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_SUPPRESSIONS_HPP_INCLUDED

#include <algorithm> // std::sort (in place: it does not allocate)
#include <cstddef>   // std::size_t
#include <cstring>   // std::strcmp
#include <unistd.h>  // readlink

#include "../../block_info.hpp"
#include "../core/options.hpp"
#include "../core/platform.hpp"
#include "../core/suppression_files.hpp"
#include "../core/text.hpp"
#include "../symbolize/symbolize.hpp"
#include "collect.hpp"
#include "suppression_match.hpp"

namespace leakguard {
namespace detail {

// One stack's frames, named for matching, in raw memory: room for every return address and
// some calls inlined at each, as the JSON report has.
class stack_names {
public:
    static constexpr std::size_t room = std::size_t(4) * max_stack_depth;

    stack_names() noexcept
        : syms_(static_cast<symbol_info*>(raw_alloc(room * sizeof(symbol_info)))),
          views_(static_cast<frame_view*>(raw_alloc(room * sizeof(frame_view)))), count_(0), has_site_(false) {
        // The executable's absolute path: the loader names it as it was started ("./prog"),
        // valgrind by the path it ran.
        ssize_t const n = ::readlink("/proc/self/exe", exe_, sizeof exe_ - 1);
        exe_[n > 0 ? n : 0] = '\0';
    }
    ~stack_names() {
        raw_free(syms_);
        raw_free(views_);
    }
    stack_names(const stack_names&) = delete;
    stack_names& operator=(const stack_names&) = delete;

    bool ok() const noexcept { return syms_ && views_; }

    // Names the frames of `b`'s stack (or its caller alone, when no stack was taken).
    void name(const block_info& b) noexcept {
        count_ = 0;
        if (b.stack && b.stack_depth > 0) {
            for (std::size_t i = 0; i < b.stack_depth && count_ < room; ++i)
                count_ += symbolize_frames(b.stack[i], syms_ + count_, room - count_);
        } else if (b.caller) {
            count_ = symbolize_frames(b.caller, syms_, room);
        }
        for (std::size_t i = 0; i < count_; ++i) {
            const symbol_info& s = syms_[i];
            views_[i] = frame_view{s.function, s.raw_name, s.file, s.line, s.module, other_path(s.module)};
        }
        has_site_ = b.location != nullptr;
        if (has_site_) {
            const source_location& at = *b.location;
            site_ = frame_view{at.function ? at.function : "",
                               nullptr,
                               at.file ? at.file : "",
                               static_cast<unsigned>(at.line > 0 ? at.line : 0),
                               "",
                               nullptr};
        }
    }

    const frame_view* frames() const noexcept { return views_; }
    std::size_t count() const noexcept { return count_; }
    const frame_view* site() const noexcept { return has_site_ ? &site_ : nullptr; }

private:
    // A module the loader names by a relative path is the executable (or a library opened by
    // one): its absolute path too, when its last part is the executable's.
    const char* other_path(const char* module) const noexcept {
        if (!module[0] || module[0] == '/' || !exe_[0]) return nullptr;
        return std::strcmp(base_name(module), base_name(exe_)) == 0 ? exe_ : nullptr;
    }

    symbol_info* syms_;
    frame_view* views_;
    std::size_t count_;
    bool has_site_;
    frame_view site_;
    char exe_[max_path_length + 1];
};

// The first entry of the files listed now that suppresses such a block, or null.
inline suppression* find_suppression(block_kind kind, leak_kind loss, const stack_names& names) noexcept {
    for (suppression_file* f = first_suppression_file(); f; f = next_suppression_file(f))
        for (std::size_t i = 0; i < f->entries.count; ++i)
            if (entry_matches(*f, f->entries.items[i], kind, loss, names.frames(), names.count(), names.site()))
                return &f->entries.items[i];
    return nullptr;
}

// Blocks with the same key have the same frames: the same stack record, else the same macro
// site, else the same caller.
inline const void* stack_key(const block_info& b) noexcept {
    if (b.stack) return b.stack;
    if (b.location) return b.location;
    return b.caller;
}

// Takes out of `list` the blocks an entry suppresses (the others keep their order), and with
// `tally` counts each on its entry (print_suppressions). `removed`, when given (indexed by
// leak_kind), gets what went, per kind of loss. Returns the number of blocks taken out. Nothing
// is matched when no entry is loaded, or when raw memory runs out (the blocks are then reported:
// a leak is never hidden by mistake).
inline std::size_t drop_suppressed(block_list& list, block_totals* removed = nullptr, bool tally = true) noexcept {
    if (!suppressions_loaded() || list.count == 0 || !list.items) return 0;
    struct keyed {
        const void* key;
        std::size_t index;
    };
    keyed* order = static_cast<keyed*>(raw_alloc(list.count * sizeof(keyed)));
    unsigned char* gone = static_cast<unsigned char*>(raw_calloc(list.count));
    stack_names names;
    std::size_t dropped = 0;
    if (order && gone && names.ok()) {
        for (std::size_t i = 0; i < list.count; ++i) order[i] = keyed{stack_key(list.items[i]), i};
        std::sort(order, order + list.count,
                  [](const keyed& a, const keyed& b) { return a.key != b.key ? a.key < b.key : a.index < b.index; });
        for (std::size_t i = 0; i < list.count;) {
            std::size_t j = i;
            while (j < list.count && order[j].key == order[i].key) ++j;
            names.name(list.items[order[i].index]);
            // Within one stack, the answer depends only on the allocation kind (the allocator's
            // frame) and the kind of loss (match-leak-kinds).
            suppression* answer[16][5] = {};
            bool known[16][5] = {};
            for (std::size_t k = i; k < j; ++k) {
                const block_info& b = list.items[order[k].index];
                unsigned const ak = static_cast<unsigned>(b.kind) & 15u;
                unsigned const lk = static_cast<unsigned>(b.loss) <= 4 ? static_cast<unsigned>(b.loss) : 0u;
                if (!known[ak][lk]) {
                    answer[ak][lk] = find_suppression(b.kind, b.loss, names);
                    known[ak][lk] = true;
                }
                suppression* const s = answer[ak][lk];
                if (!s) continue;
                gone[order[k].index] = 1;
                ++dropped;
                if (tally) {
                    __atomic_fetch_add(&s->hit_blocks, std::size_t(1), __ATOMIC_RELAXED);
                    __atomic_fetch_add(&s->hit_bytes, b.size, __ATOMIC_RELAXED);
                }
                if (removed) {
                    ++removed[lk].blocks;
                    removed[lk].bytes += b.size;
                }
            }
            i = j;
        }
        std::size_t kept = 0;
        list.bytes = 0;
        for (std::size_t i = 0; i < list.count; ++i) {
            if (gone[i]) continue;
            list.items[kept++] = list.items[i];
            list.bytes += list.items[i].size;
        }
        list.count = kept;
    }
    raw_free(order);
    raw_free(gone);
    return dropped;
}

// The exit report's list (collect_checked) and the leak check's totals: suppressed blocks leave
// both, and are counted apart; then the blocks collected only to be matched (lost kinds the
// report does not list) leave the list. `tally`: as drop_suppressed's (check_leaks() counts
// nothing on the entries: it is a query).
inline void suppress_checked(block_list& list, reach_totals& totals, bool tally = true) noexcept {
    block_totals removed[5] = {};
    drop_suppressed(list, removed, tally);
    for (unsigned k = 1; k <= 4; ++k) {
        totals.blocks[k] -= removed[k].blocks;
        totals.bytes[k] -= removed[k].bytes;
        totals.suppressed_blocks += removed[k].blocks;
        totals.suppressed_bytes += removed[k].bytes;
    }
    std::size_t kept = 0;
    list.bytes = 0;
    for (std::size_t i = 0; i < list.count; ++i) {
        if (!listed_kind(list.items[i].loss)) continue;
        list.items[kept++] = list.items[i];
        list.bytes += list.items[i].size;
    }
    list.count = kept;
}

// print_suppressions=1: the entries that matched, with the blocks and bytes each took out of a
// report, a scope's or a repeat check's failure over the whole run (a block a scope and then the
// exit report both matched counts twice), in LeakSanitizer's table.
inline void write_suppressions_used(fd_writer& out) noexcept {
    if (!option_print_suppressions() || !first_suppression_file()) return;
    bool any = false;
    for (suppression_file* f = first_suppression_file(); f; f = next_suppression_file(f))
        for (std::size_t i = 0; i < f->entries.count; ++i) {
            const suppression& s = f->entries.items[i];
            std::size_t const blocks = __atomic_load_n(&s.hit_blocks, __ATOMIC_RELAXED);
            if (!blocks) continue;
            if (!any) out.printf("leakguard: suppressions used:\nleakguard:   blocks      bytes suppression\n");
            any = true;
            out.printf("leakguard: %8zu %10zu %s%s (%s:%u)\n", blocks, __atomic_load_n(&s.hit_bytes, __ATOMIC_RELAXED),
                       s.valgrind ? "" : "leak:", s.name, f->path, s.line);
        }
    if (!any) out.printf("leakguard: suppressions used: none\n");
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_SUPPRESSIONS_HPP_INCLUDED
