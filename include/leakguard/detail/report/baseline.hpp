// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/baseline.hpp: a report against a baseline (docs/report-format.md, "Baselines") - the loss
// records whose fingerprints the baseline file lists are known: listed, marked, and left out of
// the exit status; only new records fail the run - and the writing of a baseline from a report.
// Runs with tracking suspended and allocates only raw memory.
#ifndef LEAKGUARD_DETAIL_REPORT_BASELINE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_BASELINE_HPP_INCLUDED

#include <cstddef>  // std::size_t
#include <unistd.h> // close

#include "../core/baseline_file.hpp"
#include "../core/options.hpp"
#include "../core/platform.hpp"
#include "../core/report_stream.hpp"
#include "../core/text.hpp"
#include "leak_groups.hpp"
#include "loss_records.hpp"
#include "site_text.hpp"

namespace leakguard {
namespace detail {

// What a baseline made of a report's records that fail the run.
struct baseline_totals {
    const baseline_file* file; // null: no baseline in use
    std::size_t known_records;
    std::size_t known_blocks;
    std::size_t known_bytes;
    std::size_t new_records;
};

// Whether record g is of a kind that fails the run (leak_kinds): only those are baselined.
inline bool record_fails(const grouped_leaks& leaks, std::size_t g) noexcept {
    return failing_kind(leaks.lead(leaks.groups()[g]).loss);
}

// Marks the records the baseline in use knows, and counts them.
inline baseline_totals apply_baseline(loss_records& records, const grouped_leaks& leaks) noexcept {
    baseline_totals t = {current_baseline(), 0, 0, 0, 0};
    for (std::size_t g = 0; g < leaks.group_count(); ++g) {
        if (!record_fails(leaks, g)) continue;
        if (t.file && records.ok() && baseline_knows(*t.file, records.fingerprint(g))) {
            records.mark_known(g);
            ++t.known_records;
            t.known_blocks += leaks.groups()[g].count;
            t.known_bytes += leaks.groups()[g].bytes;
        } else {
            ++t.new_records;
        }
    }
    return t;
}

// Writes every failing record's fingerprint to `path`, one a line, each with a comment naming it
// (the loss, the site, the amount) so that a reviewer of the file can tell what it accepts.
inline void write_baseline_file(const char* path, const loss_records& records, const grouped_leaks& leaks) noexcept {
    if (!records.ok() && leaks.group_count() > 0) {
        fd_writer(report_fd())
            .printf("leakguard: warning: no memory to name the loss records; baseline '%s' not "
                    "written\n",
                    path);
        return;
    }
    int const fd = open_for_writing(path);
    if (fd < 0) {
        fd_writer(report_fd()).printf("leakguard: warning: cannot write write_baseline '%s'\n", path);
        return;
    }
    {
        fd_writer out(fd);
        out.put("# leakguard baseline: the loss records known when it was written (docs/report-format.md, "
                "\"Baselines\")\n");
        for (std::size_t g = 0; g < leaks.group_count(); ++g) {
            if (!record_fails(leaks, g)) continue;
            const leak_group& grp = leaks.groups()[g];
            symbol_info sym;
            code_place const site = site_place(leaks.lead(grp), sym);
            char fp[17];
            format_fingerprint(records.fingerprint(g), fp);
            out.printf("%s  # %s: %s %s:%u, %zu %s in %zu %s\n", fp, loss_phrase(leaks.lead(grp).loss) + 1,
                       site.function ? site.function : "?", site.file ? base_name(site.file) : "?", site.line,
                       grp.bytes, plural(grp.bytes, "byte", "bytes"), grp.count, plural(grp.count, "block", "blocks"));
        }
    }
    ::close(fd);
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_BASELINE_HPP_INCLUDED
