// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/site_profile.hpp: one report of the monitor (docs/monitor.md) - the per-site table of
// what is alive now, next to what the sites counted (capture/site_counts.hpp), the change since the
// last report and which sites keep growing - as one JSON object on one line, and as a table on the
// report stream. Runs with tracking suspended, under g_profile.lock, and allocates only raw memory.
//
// What is alive at each site comes from a walk of the shard lists (for_each_live): exact whenever
// the report is taken, and free for the hot path. Its cost grows with the live blocks (figures in
// docs/performance.md, "The monitor"); each shard is held only while its own list is walked, and
// its counted frees are added into the shared table under the same hold. A site's allocations are
// its frees of blocks numbered since counting began plus its live blocks of those
// (capture/site_counts.hpp): both come from one hold of each shard, so they agree.
// Only the sites a report lists are named, each once per process (site_names, kept).
#ifndef LEAKGUARD_DETAIL_REPORT_SITE_PROFILE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_SITE_PROFILE_HPP_INCLUDED

#include <algorithm> // std::sort, std::partial_sort (in place: they do not allocate)
#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint64_t, std::int64_t
#include <cstdio>    // std::snprintf
#include <cstring>   // std::strcmp, std::strlen, std::memcpy, std::memset
#include <ctime>     // clock_gettime
#include <fcntl.h>   // open
#include <unistd.h>  // write, close, getpid

#include "../capture/locations.hpp"
#include "../capture/site_counts.hpp"
#include "../capture/stack_table.hpp"
#include "../core/options.hpp"
#include "../core/pages.hpp"
#include "../core/platform.hpp"
#include "../core/report_stream.hpp"
#include "../heap/block.hpp"
#include "../heap/registry.hpp"
#include "../symbolize/site_rules.hpp"
#include "../symbolize/symbolize.hpp"
#include "collect.hpp"
#include "json_report.hpp"
#include "json_writer.hpp"
#include "loss_records.hpp"
#include "site_text.hpp"
#include "stats.hpp"

namespace leakguard {
namespace detail {

constexpr std::size_t max_first_seqs = 8;

// A site named: what the reports print of it, made once (raw memory, kept for the process).
struct site_names {
    char id[17];      // the fingerprint of its call path, as loss records have one
    char* site;       // "function (file:line)"
    char* stack_json; // its "stack" array, as JSON
    std::size_t stack_json_size;
};

// The monitor's own state of one site, beside its counters (same record number).
struct site_history {
    std::uint64_t walk;        // the report whose walk last saw a live block of it
    std::uint64_t live_blocks; // in that walk
    std::uint64_t live_bytes;
    std::uint64_t live_min, live_max;           // sizes of the live blocks
    std::uint64_t live_new;                     // live blocks numbered since counting began (ignored ones too)
    std::uint64_t allocations, frees;           // this report's: counted since counting began
    std::uint64_t prev_blocks, prev_bytes;      // at the last report
    std::uint64_t prev_allocations, prev_frees; // at the last report
    std::uint64_t run_from;                     // growth run: blocks from this number on are its new ones
    std::uint64_t first_seqs[max_first_seqs];   // the oldest live ones of those, ascending
    std::uint32_t seq_count;
    std::uint32_t grew;       // reports in a row whose live count went up
    std::uint64_t grew_since; // the first report of that run
    std::int64_t delta_blocks, delta_bytes;
    const site_names* names; // null until the site is first listed
};

struct profile_state {
    spinlock lock;           // one report at a time (the monitor thread, write_profile, the signal)
    site_history* history;   // site_capacity of them, mapped on first use
    std::uint64_t reports;   // written since the monitor (re)started
    std::uint64_t last_mark; // the sequence number the last report started at (0: none yet)
    bool restart;            // zero the history before the next report (a fork child's restart)
};
profile_state g_profile{};
std::uint64_t g_process_start_ns = 0; // CLOCK_MONOTONIC when leakguard's unit was loaded

inline std::uint64_t clock_ns(clockid_t which) noexcept {
    timespec ts;
    if (clock_gettime(which, &ts) != 0) return 0;
    return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

__attribute__((constructor(101))) static void note_process_start() {
    if (!g_process_start_ns) g_process_start_ns = clock_ns(CLOCK_MONOTONIC);
}

// Numbers blocks "new" from here on (capture/site_counts.hpp), the first time counting is switched on.
inline void mark_count_start() noexcept {
    if (g_sites.count_from.load(std::memory_order_relaxed) != 0) return;
    std::uint64_t expected = 0;
    g_sites.count_from.compare_exchange_strong(expected, begin_epoch(), std::memory_order_relaxed);
}

// Switches per-site counting on (the hot word's hot_sites, through refresh_hot): from now on
// allocations and frees are counted per site. False when the tables cannot be mapped.
inline bool start_site_counting() noexcept {
    if (!g_sites.ready()) return false;
    mark_count_start();
    if (!g_count_sites.exchange(true, std::memory_order_relaxed)) refresh_hot(false);
    return true;
}

// Names site `n` once: its site text, id and stack.
inline const site_names* name_site(std::uint32_t n) noexcept {
    site_history& h = g_profile.history[n];
    if (h.names) return h.names;
    site_counter& c = g_sites.record(n);
    const void* const key = c.key.load(std::memory_order_relaxed);
    site_kind const kind = c.kind.load(std::memory_order_relaxed);
    site_names* out = static_cast<site_names*>(raw_calloc(sizeof(site_names)));
    std::size_t const room = std::size_t(4) * max_stack_depth;
    symbol_info* frames = static_cast<symbol_info*>(raw_alloc(room * sizeof(symbol_info)));
    if (!out || !frames) {
        raw_free(out);
        raw_free(frames);
        return nullptr;
    }
    block_info b = block_info();
    const location_record* loc = kind == site_kind::location ? static_cast<const location_record*>(key) : nullptr;
    const stack_record* stack = kind == site_kind::stack ? static_cast<const stack_record*>(key) : nullptr;
    b.caller = loc ? loc->caller : stack ? stack->frames()[0] : key;
    b.location = loc ? &loc->where : nullptr;
    b.stack = stack ? stack->frames() : nullptr;
    b.stack_depth = stack ? stack->depth : 0;

    // The frames: the whole stack named (inlined calls included), or the one return address.
    std::size_t count = 0;
    if (stack) count = symbolize_stack_inlined(stack->frames(), stack->depth, frames, room);
    else if (b.caller) count = symbolize_frames(b.caller, frames, room);
    // The site, "function (file:line)", and the id: as a loss record's fingerprint, the named frames
    // down to main (or the macro's file:line) - the same from build to build.
    symbol_info& sym = frames[room - 1]; // scratch: the site frame
    code_place const place = site_place(b, sym);
    char text[site_text_size];
    if (place.function && place.file)
        std::snprintf(text, sizeof text, "%s (%s:%u)", place.function, place.file, place.line);
    else if (place.function && place.module)
        std::snprintf(text, sizeof text, "%s (%s+0x%lx)", place.function, base_name(place.module),
                      static_cast<unsigned long>(sym.offset));
    else if (place.function) std::snprintf(text, sizeof text, "%s", place.function);
    else if (place.module)
        std::snprintf(text, sizeof text, "%s+0x%lx", base_name(place.module), static_cast<unsigned long>(sym.offset));
    else std::snprintf(text, sizeof text, "%p", b.caller);
    fingerprint_hash fp;
    fp.add("site");
    hash_frame(fp, place.function, place.file, place.line);
    for (std::size_t f = 0; stack && f < count; ++f) {
        hash_frame(fp, frames[f].function, frames[f].file, frames[f].line);
        if (std::strcmp(frames[f].function, "main") == 0) break;
    }
    format_fingerprint(fp.value(), out->id);
    std::size_t const len = std::strlen(text);
    out->site = static_cast<char*>(raw_alloc(len + 1));
    if (out->site) std::memcpy(out->site, text, len + 1);

    memory_text json_text = {nullptr, 0, 0, false};
    {
        fd_writer w(json_text);
        json_writer json(w);
        json.begin_array();
        for (std::size_t f = 0; f < count; ++f) json_frame(json, frames[f]);
        json.end_array();
    }
    if (json_text.failed) {
        raw_free(json_text.data);
        json_text.data = nullptr;
    }
    // The array was written as a document of its own: without its closing line break.
    out->stack_json = json_text.data;
    out->stack_json_size = json_text.data && json_text.size ? json_text.size - 1 : 0;
    raw_free(frames);
    h.names = out;
    return out;
}

// Keeps the `max_first_seqs` smallest numbers, ascending.
inline void keep_first_seq(site_history& h, std::uint64_t seq) noexcept {
    std::uint32_t n = h.seq_count;
    if (n == max_first_seqs) {
        if (seq >= h.first_seqs[n - 1]) return;
        --n;
    }
    std::uint32_t i = n;
    while (i > 0 && h.first_seqs[i - 1] > seq) {
        h.first_seqs[i] = h.first_seqs[i - 1];
        --i;
    }
    h.first_seqs[i] = seq;
    h.seq_count = n + 1;
}

// One report's numbers.
struct profile_totals {
    std::uint64_t live_blocks, live_bytes;
    statistics stats;       // allocations, frees and peak of the whole process
    std::uint64_t listed;   // sites that pass the filters (sites_total)
    std::uint64_t unplaced; // live blocks of sites the table had no room for
};

// Walks the live blocks into the history (the report `r`, whose walk stamp it is).
inline void walk_sites(std::uint64_t r, profile_totals& t) noexcept {
    site_history* const hist = g_profile.history;
    std::uint64_t const last_mark = g_profile.last_mark;
    std::uint64_t const count_from = g_sites.count_from.load(std::memory_order_relaxed);
    // Ignored blocks too: they are no live blocks of a site, but they are among its allocations.
    block_filter const filter = {0, 0, true, false};
    auto const held = [](shard& s) { flush_free_cache(s.site_frees); };
    for_each_live(filter, held, [&](const block_header& b) {
        std::size_t const size = size_of(&b);
        bool const ignored = (flags_of(&b) & flag_ignored) != 0;
        if (!ignored) {
            ++t.live_blocks;
            t.live_bytes += size;
        }
        site_counter* c = g_sites.find_or_add(b.site, site_kind_of(flags_of(&b), flag_has_location, flag_has_stack));
        if (!c) {
            if (!ignored) ++t.unplaced;
            return;
        }
        site_history& h = hist[g_sites.number_of(c)];
        if (h.walk != r) {
            h.walk = r;
            h.live_blocks = h.live_bytes = h.live_new = 0;
            h.live_min = ~std::uint64_t(0);
            h.live_max = 0;
            h.seq_count = 0;
        }
        if (seq_of(&b) >= count_from) ++h.live_new;
        if (ignored) return;
        ++h.live_blocks;
        h.live_bytes += size;
        if (size < h.live_min) h.live_min = size;
        if (size > h.live_max) h.live_max = size;
        // Its oldest blocks since growth began (or since the last report, where it may begin now).
        std::uint64_t const from = h.grew ? h.run_from : last_mark;
        if (seq_of(&b) >= from) keep_first_seq(h, seq_of(&b));
    });
}

// After the walk: each site's change and growth; the sites that pass the filters into `rows`.
inline std::size_t judge_sites(std::uint64_t r, std::uint32_t* rows, profile_totals& t) noexcept {
    std::uint32_t const used = g_sites.records_used();
    bool const changed_only = g_monitor_options.changed_only.load(std::memory_order_relaxed);
    bool const live_only = g_monitor_options.live_only.load(std::memory_order_relaxed);
    std::uint64_t const min_live = g_monitor_options.min_live.load(std::memory_order_relaxed);
    std::size_t count = 0;
    for (std::uint32_t n = 1; n < used; ++n) {
        site_counter& c = g_sites.record(n);
        if (!c.key.load(std::memory_order_relaxed)) continue;
        site_history& h = g_profile.history[n];
        if (h.walk != r) h.live_blocks = h.live_bytes = h.live_new = h.seq_count = 0;
        if (h.live_blocks) {
            raise_to(c.size_max, h.live_max);
            raise_to(c.size_min_inv, ~h.live_min);
        }
        std::uint64_t const frees_new = c.frees_new.load(std::memory_order_relaxed);
        std::uint64_t const allocs = h.live_new + frees_new;
        std::uint64_t const frees = frees_new + c.frees_old.load(std::memory_order_relaxed);
        h.allocations = allocs;
        h.frees = frees;
        h.delta_blocks = static_cast<std::int64_t>(h.live_blocks - h.prev_blocks);
        h.delta_bytes = static_cast<std::int64_t>(h.live_bytes - h.prev_bytes);
        bool const changed =
            h.delta_blocks != 0 || h.delta_bytes != 0 || allocs != h.prev_allocations || frees != h.prev_frees;
        // The first report of a monitor is the baseline: growth is judged from the second on.
        if (r > 1 && h.live_blocks > h.prev_blocks) {
            if (h.grew++ == 0) {
                h.run_from = g_profile.last_mark;
                h.grew_since = r;
            }
        } else {
            h.grew = 0;
        }
        bool const seen = h.live_blocks || h.prev_blocks || allocs || frees;
        h.prev_blocks = h.live_blocks;
        h.prev_bytes = h.live_bytes;
        h.prev_allocations = allocs;
        h.prev_frees = frees;
        if (!seen || (changed_only && !changed) || (live_only && h.live_blocks == 0) || h.live_blocks < min_live)
            continue;
        rows[count++] = n;
    }
    t.listed = count;
    return count;
}

inline bool site_growing(const site_history& h) noexcept {
    int const k = g_monitor_options.growth.load(std::memory_order_relaxed);
    return k > 0 && h.grew >= static_cast<std::uint32_t>(k);
}

// The smallest and largest block of a site: of those a report has seen alive (kept in the site's
// record by judge_sites), now included; false when no report has seen one of its blocks alive.
inline bool size_range(std::uint32_t n, std::uint64_t& lo, std::uint64_t& hi) noexcept {
    site_counter& c = g_sites.record(n);
    std::uint64_t const min_inv = c.size_min_inv.load(std::memory_order_relaxed);
    lo = ~min_inv;
    hi = c.size_max.load(std::memory_order_relaxed);
    return min_inv != 0 && lo <= hi;
}

// The JSON object of one report, on one line (docs/monitor.md: "The file").
inline void write_profile_json(fd_writer& out, std::uint64_t r, const char* trigger, const profile_totals& t,
                               const std::uint32_t* rows, std::size_t shown) noexcept {
    json_writer json(out);
    json.begin_object();
    json.key("leakguard_monitor").number(1);
    json.key("pid").number(static_cast<long long>(::getpid()));
    json.key("report").number(r);
    json.key("time").fixed(static_cast<double>(clock_ns(CLOCK_REALTIME)) / 1e9, 3);
    std::uint64_t const now = clock_ns(CLOCK_MONOTONIC);
    json.key("elapsed").fixed(now > g_process_start_ns ? static_cast<double>(now - g_process_start_ns) / 1e9 : 0.0, 3);
    json.key("trigger").string(trigger);
    json.key("total");
    json.begin_object();
    json.key("live_blocks").number(t.live_blocks);
    json.key("live_bytes").number(t.live_bytes);
    json.key("peak_bytes").number(t.stats.peak_bytes);
    json.key("allocations").number(t.stats.allocations);
    json.key("frees").number(t.stats.frees);
    json.end_object();
    json.key("sites_total").number(t.listed);
    if (t.unplaced) json.key("blocks_without_site").number(t.unplaced);
    json.key("sites");
    json.begin_array();
    for (std::size_t i = 0; i < shown; ++i) {
        std::uint32_t const n = rows[i];
        const site_history& h = g_profile.history[n];
        const site_names* names = name_site(n);
        std::uint64_t lo = 0, hi = 0;
        bool const sized = size_range(n, lo, hi);
        bool const growing = site_growing(h);
        json.begin_object();
        json.key("id").string(names ? names->id : "0000000000000000");
        json.key("site").string(names && names->site ? names->site : "?");
        json.key("size_min");
        if (sized) json.number(lo);
        else json.null(); // its blocks were all freed before any report saw one
        json.key("size_max");
        if (sized) json.number(hi);
        else json.null();
        json.key("allocations").number(h.allocations);
        json.key("frees").number(h.frees);
        json.key("live_blocks").number(h.live_blocks);
        json.key("live_bytes").number(h.live_bytes);
        json.key("delta_blocks").number(static_cast<long long>(h.delta_blocks));
        json.key("delta_bytes").number(static_cast<long long>(h.delta_bytes));
        json.key("growing").boolean(growing);
        json.key("growing_since");
        if (growing) json.number(h.grew_since);
        else json.null();
        if (growing) {
            json.key("first_seqs");
            json.begin_array();
            for (std::uint32_t k = 0; k < h.seq_count; ++k) json.number(h.first_seqs[k]);
            json.end_array();
        }
        json.key("stack");
        if (names && names->stack_json) json.raw(names->stack_json, names->stack_json_size);
        else {
            json.begin_array();
            json.end_array();
        }
        json.end_object();
    }
    json.end_array();
    json.end_object();
}

// The table on the report stream (monitor_text=1), as jhook prints one.
inline void write_profile_text(std::uint64_t r, const profile_totals& t, const std::uint32_t* rows,
                               std::size_t shown) noexcept {
    fd_writer out(report_fd());
    std::uint64_t const now = clock_ns(CLOCK_MONOTONIC);
    double const elapsed = now > g_process_start_ns ? static_cast<double>(now - g_process_start_ns) / 1e9 : 0.0;
    out.printf("leakguard: monitor report %llu at %.3f s: %llu bytes in %llu live blocks (peak %llu bytes), "
               "%llu allocations, %llu frees; %llu sites, %zu shown\n",
               static_cast<unsigned long long>(r), elapsed, static_cast<unsigned long long>(t.live_bytes),
               static_cast<unsigned long long>(t.live_blocks), static_cast<unsigned long long>(t.stats.peak_bytes),
               static_cast<unsigned long long>(t.stats.allocations), static_cast<unsigned long long>(t.stats.frees),
               static_cast<unsigned long long>(t.listed), shown);
    if (shown == 0) return;
    out.printf("leakguard:   %12s %8s %8s %10s %10s %10s %-13s  %s\n", "live bytes", "blocks", "change", "allocs",
               "frees", "difference", "size", "site");
    for (std::size_t i = 0; i < shown; ++i) {
        std::uint32_t const n = rows[i];
        const site_history& h = g_profile.history[n];
        const site_names* names = name_site(n);
        std::uint64_t lo = 0, hi = 0;
        bool const sized = size_range(n, lo, hi);
        std::uint64_t const allocs = h.allocations;
        std::uint64_t const frees = h.frees;
        char size[32];
        if (!sized) std::snprintf(size, sizeof size, "?");
        else if (lo == hi) std::snprintf(size, sizeof size, "%llu", static_cast<unsigned long long>(lo));
        else
            std::snprintf(size, sizeof size, "%llu-%llu", static_cast<unsigned long long>(lo),
                          static_cast<unsigned long long>(hi));
        char growth[160] = "";
        if (site_growing(h)) {
            int w = std::snprintf(growth, sizeof growth, "  growing since report %llu,",
                                  static_cast<unsigned long long>(h.grew_since));
            for (std::uint32_t k = 0; k < h.seq_count && w > 0 && static_cast<std::size_t>(w) < sizeof growth; ++k)
                w += std::snprintf(growth + w, sizeof growth - static_cast<std::size_t>(w), " #%llu",
                                   static_cast<unsigned long long>(h.first_seqs[k]));
        }
        out.printf("leakguard:   %12llu %8llu %+8lld %10llu %10llu %10lld %-13s  %s%s\n",
                   static_cast<unsigned long long>(h.live_bytes), static_cast<unsigned long long>(h.live_blocks),
                   static_cast<long long>(h.delta_blocks), static_cast<unsigned long long>(allocs),
                   static_cast<unsigned long long>(frees), static_cast<long long>(allocs - frees), size,
                   names && names->site ? names->site : "?", growth);
    }
}

// Appends `text` to `path` in one write(2): two processes (a fork child restarted with the same
// path) or two reports never interleave inside a line. False when the file cannot be written.
inline bool append_line(const char* path, const memory_text& text) noexcept {
    int const fd = ::open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return false;
    bool ok = true;
    std::size_t done = 0;
    while (done < text.size) {
        ssize_t const w = ::write(fd, text.data + done, text.size - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            ok = false;
            break;
        }
        done += static_cast<std::size_t>(w);
    }
    ::close(fd);
    return ok;
}

// One report: to `path` (expanded; null: monitor_path's file), and as text when monitor_text is
// set. `trigger` names what asked ("interval", "signal", "write_profile"). The caller is busy.
inline bool write_profile_report(const char* path, const char* trigger) noexcept {
    lock_guard hold(g_profile.lock);
    if (!g_profile.history) {
        g_profile.history = static_cast<site_history*>(map_pages(site_capacity * sizeof(site_history), true));
        if (!g_profile.history) return false;
    }
    if (!start_site_counting()) return false;
    if (g_profile.restart) { // a fork child's monitor starts its numbering and growth anew
        std::uint32_t const used = g_sites.records_used();
        for (std::uint32_t n = 1; n < used; ++n) {
            const site_names* keep = g_profile.history[n].names;
            std::memset(static_cast<void*>(&g_profile.history[n]), 0, sizeof(site_history));
            g_profile.history[n].names = keep;
        }
        g_profile.reports = 0;
        g_profile.last_mark = 0;
        g_profile.restart = false;
    }
    std::uint64_t const r = ++g_profile.reports;
    // Every block allocated from here on numbers at least `mark` (as a snapshot's).
    std::uint64_t const mark = begin_epoch();
    profile_totals t = {0, 0, current_stats(), 0, 0};
    walk_sites(r, t);
    std::uint32_t* rows = static_cast<std::uint32_t*>(raw_alloc((g_sites.records_used() + 1) * sizeof(std::uint32_t)));
    std::size_t const count = rows ? judge_sites(r, rows, t) : 0;
    g_profile.last_mark = mark;
    // The most live bytes first, then the most live blocks, then the oldest site.
    int const top = g_monitor_options.top.load(std::memory_order_relaxed);
    std::size_t const shown = top > 0 && static_cast<std::size_t>(top) < count ? static_cast<std::size_t>(top) : count;
    auto const before = [](std::uint32_t a, std::uint32_t b) {
        const site_history& x = g_profile.history[a];
        const site_history& y = g_profile.history[b];
        if (x.live_bytes != y.live_bytes) return x.live_bytes > y.live_bytes;
        if (x.live_blocks != y.live_blocks) return x.live_blocks > y.live_blocks;
        return a < b;
    };
    if (rows) std::partial_sort(rows, rows + shown, rows + count, before);

    memory_text line = {nullptr, 0, 0, false};
    {
        fd_writer out(line);
        write_profile_json(out, r, trigger, t, rows, shown);
    }
    char file[4096];
    if (path) expand_path(path, file, sizeof file);
    else monitor_path_now(file, sizeof file);
    bool const ok = !line.failed && rows && append_line(file, line);
    if (!ok) {
        // Said once per process, as a failed write of the report is (core/platform.hpp).
        static std::atomic<bool> said{false};
        if (!said.exchange(true, std::memory_order_relaxed))
            fd_writer(report_fd()).printf("leakguard: warning: cannot write the monitor report to '%s'\n", file);
    }
    raw_free(line.data);
    if (g_monitor_options.text.load(std::memory_order_relaxed) && rows) write_profile_text(r, t, rows, shown);
    raw_free(rows);
    return ok;
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_SITE_PROFILE_HPP_INCLUDED
