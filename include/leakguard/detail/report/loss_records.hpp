// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/loss_records.hpp: loss records - a leak group (one site, one kind of block, one loss kind)
// with every distinct call path that led to it, and a fingerprint that stays the same from build
// to build and machine to machine. A path is its stack's frames as they are named (function, file,
// line), down to main: twenty call sites of an unrolled loop at one source line are one path.
// Runs with tracking suspended and allocates only raw memory.
#ifndef LEAKGUARD_DETAIL_REPORT_LOSS_RECORDS_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_LOSS_RECORDS_HPP_INCLUDED

#include <algorithm> // std::sort (in place: it does not allocate)
#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint64_t
#include <cstdio>    // std::snprintf
#include <cstring>   // std::strlen, std::strrchr, std::strcmp

#include "../../block_info.hpp"
#include "../core/options.hpp"
#include "../core/platform.hpp"
#include "../core/text.hpp"
#include "../symbolize/site_rules.hpp"
#include "../symbolize/symbolize.hpp"
#include "leak_groups.hpp"
#include "site_text.hpp"

namespace leakguard {
namespace detail {

// FNV-1a, 64 bits: a fingerprint only has to be stable and spread, never secret.
class fingerprint_hash {
public:
    void add(const void* data, std::size_t n) noexcept {
        const unsigned char* p = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < n; ++i) value_ = (value_ ^ p[i]) * 0x100000001b3ull;
    }
    void add(const char* s) noexcept {
        if (s) add(s, std::strlen(s));
        add("\0", 1); // so that "ab"+"c" and "a"+"bc" differ
    }
    void add(std::uint64_t n) noexcept {
        unsigned char bytes[8];
        for (int i = 0; i < 8; ++i) bytes[i] = static_cast<unsigned char>(n >> (8 * i));
        add(bytes, 8);
    }
    std::uint64_t value() const noexcept { return value_; }

private:
    std::uint64_t value_ = 0xcbf29ce484222325ull;
};

// A fingerprint as JSON and baselines write it: 16 hex digits.
inline void format_fingerprint(std::uint64_t fp, char (&out)[17]) noexcept {
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(fp));
}

// One named frame into a hash: function, file name, line (no address, no module path).
inline void hash_frame(fingerprint_hash& h, const char* function, const char* file, unsigned line) noexcept {
    h.add(function);
    h.add(file ? base_name(file) : ""); // builds in other directories name the same file
    h.add(std::uint64_t(line));
}

// One call path of a record: the blocks whose stacks are named alike.
struct record_path {
    std::size_t first; // into the record's order (loss_records::block)
    std::size_t count;
    std::size_t bytes;
    std::uint64_t key; // the hash of its named frames
};

class loss_records {
public:
    // Paths shown in full under a record's line; the rest are counted.
    static constexpr std::size_t paths_shown = 3;

    // `build` false: no records (a report that prints none); ok() says which.
    loss_records(const grouped_leaks& leaks, bool build_them) noexcept : leaks_(leaks) {
        if (build_them) build();
    }
    ~loss_records() {
        raw_free(order_);
        raw_free(keys_);
        raw_free(paths_);
        raw_free(path_start_);
        raw_free(fingerprints_);
        raw_free(numbers_);
        raw_free(known_);
    }
    loss_records(const loss_records&) = delete;
    loss_records& operator=(const loss_records&) = delete;

    bool ok() const noexcept { return ok_; }
    std::size_t count() const noexcept { return leaks_.group_count(); }
    // Record g is the group leaks.groups()[g]; its paths, largest first.
    std::size_t path_count(std::size_t g) const noexcept { return ok_ ? path_start_[g + 1] - path_start_[g] : 1; }
    const record_path& path(std::size_t g, std::size_t p) const noexcept { return paths_[path_start_[g] + p]; }
    // The i-th block (oldest first) of a path.
    const block_info& block(const record_path& p, std::size_t i) const noexcept {
        return leaks_.block(order_[p.first + i]);
    }
    std::uint64_t fingerprint(std::size_t g) const noexcept { return ok_ ? fingerprints_[g] : 0; }
    // Record g's number as valgrind numbers its loss records: by total bytes (with what the
    // blocks hold) from the smallest, so "loss record N of N" is the largest, as there.
    std::size_t number(std::size_t g) const noexcept { return ok_ ? numbers_[g] : g + 1; }
    // Whether record g's fingerprint is in the baseline (report/baseline.hpp marks them).
    bool known(std::size_t g) const noexcept { return ok_ && known_[g]; }
    void mark_known(std::size_t g) noexcept {
        if (ok_) known_[g] = true;
    }

private:
    // The key of a block's path: its stack's frames named, down to main. Blocks without a stack
    // (a mapping macro's site, stack_depth=1) have one path per site.
    std::uint64_t path_key(const block_info& b, symbol_info* frames, std::size_t room) const noexcept {
        fingerprint_hash h;
        if (!b.stack || b.stack_depth < 2 || !frames) return h.value();
        std::size_t const n = symbolize_stack_inlined(b.stack, b.stack_depth, frames, room);
        for (std::size_t f = 0; f < n; ++f) {
            hash_frame(h, frames[f].function, frames[f].file, frames[f].line);
            if (std::strcmp(frames[f].function, "main") == 0) break; // what starts main is the C library's
        }
        return h.value();
    }

    void build() noexcept {
        std::size_t const n = leaks_.blocks().count, groups = leaks_.group_count();
        order_ = static_cast<std::size_t*>(raw_alloc((n + 1) * sizeof(std::size_t)));
        keys_ = static_cast<std::uint64_t*>(raw_alloc((n + 1) * sizeof(std::uint64_t)));
        paths_ = static_cast<record_path*>(raw_alloc((n + 1) * sizeof(record_path)));
        path_start_ = static_cast<std::size_t*>(raw_alloc((groups + 1) * sizeof(std::size_t)));
        fingerprints_ = static_cast<std::uint64_t*>(raw_alloc((groups + 1) * sizeof(std::uint64_t)));
        numbers_ = static_cast<std::size_t*>(raw_alloc((groups + 1) * sizeof(std::size_t)));
        known_ = static_cast<bool*>(raw_alloc(groups + 1));
        std::size_t const room = std::size_t(4) * max_stack_depth;
        symbol_info* frames = static_cast<symbol_info*>(raw_alloc(room * sizeof(symbol_info)));
        if (!order_ || !keys_ || !paths_ || !path_start_ || !fingerprints_ || !numbers_ || !known_ || !frames) {
            raw_free(frames);
            return;
        }
        std::size_t path_total = 0;
        for (std::size_t g = 0; g < groups; ++g) {
            const leak_group& grp = leaks_.groups()[g];
            std::size_t* const idx = order_ + grp.first;
            for (std::size_t i = 0; i < grp.count; ++i) idx[i] = grp.first + i;
            // Each distinct stack named once: blocks that share a stack record share its pointer.
            std::sort(idx, idx + grp.count,
                      [this](std::size_t a, std::size_t b) { return leaks_.block(a).stack < leaks_.block(b).stack; });
            for (std::size_t i = 0; i < grp.count; ++i) {
                const block_info& b = leaks_.block(idx[i]);
                keys_[idx[i]] = (i > 0 && leaks_.block(idx[i - 1]).stack == b.stack) ? keys_[idx[i - 1]]
                                                                                     : path_key(b, frames, room);
            }
            std::sort(idx, idx + grp.count, [this](std::size_t a, std::size_t b) {
                if (keys_[a] != keys_[b]) return keys_[a] < keys_[b];
                return leaks_.block(a).seq < leaks_.block(b).seq;
            });
            path_start_[g] = path_total;
            for (std::size_t i = 0; i < grp.count; ++i) {
                const block_info& b = leaks_.block(idx[i]);
                if (i == 0 || keys_[idx[i]] != keys_[idx[i - 1]])
                    paths_[path_total++] = record_path{grp.first + i, 0, 0, keys_[idx[i]]};
                ++paths_[path_total - 1].count;
                paths_[path_total - 1].bytes += b.size;
            }
            fingerprints_[g] = record_fingerprint(grp, path_start_[g], path_total, frames);
            // Largest first, then the most blocks, then the oldest.
            std::sort(paths_ + path_start_[g], paths_ + path_total, [this](const record_path& a, const record_path& b) {
                if (a.bytes != b.bytes) return a.bytes > b.bytes;
                if (a.count != b.count) return a.count > b.count;
                return block(a, 0).seq < block(b, 0).seq;
            });
        }
        path_start_[groups] = path_total;
        raw_free(frames);
        number_records();
        ok_ = true;
    }

    // valgrind's order (cmp_LossRecords): total bytes, then the loss kind from still reachable to
    // definitely lost, then the number of blocks; ties by age. numbers_ first holds the groups in
    // that order, then each group's rank; keys_ (no longer needed once the paths are found) is the
    // scratch between the two.
    void number_records() noexcept {
        std::size_t const groups = leaks_.group_count();
        for (std::size_t g = 0; g < groups; ++g) {
            numbers_[g] = g;
            known_[g] = false;
        }
        const leak_group* const grp = leaks_.groups();
        std::sort(numbers_, numbers_ + groups, [this, grp](std::size_t a, std::size_t b) {
            std::size_t const ta = grp[a].bytes + grp[a].indirect_bytes, tb = grp[b].bytes + grp[b].indirect_bytes;
            if (ta != tb) return ta < tb;
            leak_kind const ka = leaks_.lead(grp[a]).loss, kb = leaks_.lead(grp[b]).loss;
            if (ka != kb) return ka > kb;
            if (grp[a].count != grp[b].count) return grp[a].count < grp[b].count;
            return leaks_.lead(grp[a]).seq < leaks_.lead(grp[b]).seq;
        });
        for (std::size_t rank = 0; rank < groups; ++rank) keys_[rank] = numbers_[rank];
        for (std::size_t rank = 0; rank < groups; ++rank) numbers_[keys_[rank]] = rank + 1;
    }

    // The record's loss kind, kind of block, site (function, file name, line) and its paths' keys
    // in key order: the same source gives the same fingerprint, whatever the addresses, the
    // directories, the order of the blocks or how many of them each path left.
    std::uint64_t record_fingerprint(const leak_group& grp, std::size_t first_path, std::size_t end_path,
                                     symbol_info* frames) const noexcept {
        const block_info& lead = leaks_.lead(grp);
        fingerprint_hash h;
        h.add(leak_kind_name(lead.loss));
        h.add(kind_name(lead.kind));
        if (lead.location) {
            hash_frame(h, lead.location->function, lead.location->file, static_cast<unsigned>(lead.location->line));
        } else {
            symbolize_site(lead, frames[0]);
            hash_frame(h, frames[0].function, frames[0].file, frames[0].line);
        }
        for (std::size_t p = first_path; p < end_path; ++p) h.add(paths_[p].key);
        return h.value();
    }

    const grouped_leaks& leaks_;
    std::size_t* order_ = nullptr;      // per group, its blocks' indices sorted by path, then age
    std::uint64_t* keys_ = nullptr;     // each block's path key, by its index in leaks_
    record_path* paths_ = nullptr;      // every record's paths, record after record
    std::size_t* path_start_ = nullptr; // record g's paths: [path_start_[g], path_start_[g + 1])
    std::uint64_t* fingerprints_ = nullptr;
    std::size_t* numbers_ = nullptr; // record g's number, from 1
    bool* known_ = nullptr;          // record g is in the baseline
    bool ok_ = false;
};

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_LOSS_RECORDS_HPP_INCLUDED
