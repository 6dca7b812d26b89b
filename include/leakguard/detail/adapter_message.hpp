// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// detail/adapter_message.hpp: a failed scope as the text of a test failure, shared by the doctest,
// GoogleTest and Catch2 adapters. Included by them after leakguard.hpp, in the LEAKGUARD_MAIN unit
// only; tools/amalgamate.py inlines it into each adapter's copy in single_include/ (the guard
// keeps one definition when a program uses two adapters).
#ifndef LEAKGUARD_DETAIL_ADAPTER_MESSAGE_HPP_INCLUDED
#define LEAKGUARD_DETAIL_ADAPTER_MESSAGE_HPP_INCLUDED

#include <cstdio> // std::snprintf
#include <string> // std::string
#include <vector> // std::vector

namespace leakguard {
namespace detail {

// A failed scope as the text of a test failure: a summary line, then one line per allocation site
// and kind (largest first, at most 20 lines), in the words of leakguard's own report.
inline std::string adapter_message(const scope_failure& f) {
    ignore_region quiet;
    char buf[1600];
    std::string out;
    if (f.name && f.name[0])
        std::snprintf(buf, sizeof buf,
                      "leakguard: scope \"%s\" (%s:%d) ended with %zu %s (%zu bytes) allocated inside it still alive",
                      f.name, f.file, f.line, f.leaked_blocks, f.leaked_blocks == 1 ? "block" : "blocks",
                      f.leaked_bytes);
    else
        std::snprintf(buf, sizeof buf,
                      "leakguard: scope (%s:%d) ended with %zu %s (%zu bytes) allocated inside it still alive", f.file,
                      f.line, f.leaked_blocks, f.leaked_blocks == 1 ? "block" : "blocks", f.leaked_bytes);
    out += buf;
    struct group {
        std::size_t first, count, bytes;
    };
    std::vector<group> groups;
    std::vector<std::vector<std::size_t>> members;
    for (std::size_t i = 0; i < f.leaks_shown; ++i) {
        const block_info& b = f.leaks[i];
        std::size_t g = 0;
        for (; g < groups.size(); ++g) {
            const block_info& lead = f.leaks[groups[g].first];
            if (site_key(lead) == site_key(b) && lead.kind == b.kind) break;
        }
        if (g == groups.size()) {
            groups.push_back(group{i, 0, 0});
            members.push_back(std::vector<std::size_t>());
        }
        ++groups[g].count;
        groups[g].bytes += b.size;
        members[g].push_back(i);
    }
    std::vector<std::size_t> order;
    for (std::size_t g = 0; g < groups.size(); ++g) order.push_back(g);
    for (std::size_t a = 1; a < order.size(); ++a) // insertion sort: largest first, stable
        for (std::size_t b = a; b > 0 && groups[order[b]].bytes > groups[order[b - 1]].bytes; --b) {
            std::size_t const t = order[b];
            order[b] = order[b - 1];
            order[b - 1] = t;
        }
    std::size_t const max_lines = 20;
    for (std::size_t k = 0; k < order.size() && k < max_lines; ++k) {
        const group& g = groups[order[k]];
        const block_info& lead = f.leaks[g.first];
        char site[1200];
        describe_site(lead, site, sizeof site);
        std::snprintf(buf, sizeof buf, "\n  %zu %s in %zu %s (%s) allocated at %s, thread %u, #", g.bytes,
                      g.bytes == 1 ? "byte" : "bytes", g.count, g.count == 1 ? "block" : "blocks", kind_name(lead.kind),
                      site, lead.thread);
        out += buf;
        std::size_t const shown = g.count < 5 ? g.count : 5;
        for (std::size_t i = 0; i < shown; ++i) {
            std::snprintf(buf, sizeof buf, "%s%llu", i ? " #" : "",
                          static_cast<unsigned long long>(f.leaks[members[order[k]][i]].seq));
            out += buf;
        }
        if (g.count > shown) {
            std::snprintf(buf, sizeof buf, " and %zu more", g.count - shown);
            out += buf;
        }
    }
    if (order.size() > max_lines) {
        std::snprintf(buf, sizeof buf, "\n  ... and %zu more allocation sites", order.size() - max_lines);
        out += buf;
    }
    if (f.leaked_blocks > f.leaks_shown) {
        std::snprintf(buf, sizeof buf, "\n  ... and %zu more blocks", f.leaked_blocks - f.leaks_shown);
        out += buf;
    }
    return out;
}

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_ADAPTER_MESSAGE_HPP_INCLUDED
