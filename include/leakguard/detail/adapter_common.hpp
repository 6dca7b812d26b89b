// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// detail/adapter_common.hpp: what the doctest, GoogleTest and Catch2 adapters share - a failed
// scope as the text of a test failure, and the handler that hands it to the framework. Each
// adapter supplies only its framework's glue. Included by them after leakguard.hpp, in the
// LEAKGUARD_MAIN unit only; tools/amalgamate.py inlines it into each adapter's copy in
// single_include/ (the guard keeps one definition when a program uses two adapters).
#ifndef LEAKGUARD_DETAIL_ADAPTER_COMMON_HPP_INCLUDED
#define LEAKGUARD_DETAIL_ADAPTER_COMMON_HPP_INCLUDED

#include <atomic>  // std::atomic
#include <cstdarg> // va_list
#include <cstddef> // std::size_t
#include <cstdio>  // std::vsnprintf
#include <string>  // std::string
#include <vector>  // std::vector

#include "../api.hpp"
#include "../scope.hpp"
#include "config.hpp"
#include "core/report_stream.hpp"
#include "core/text.hpp"
#include "report/group_text.hpp"

namespace leakguard {
namespace detail {

// A line of a test failure's message is cut at this length (a site's description is shorter).
constexpr std::size_t message_line_size = site_text_size + 256;

// The sink group_text.hpp writes a message to: a string, grown in the adapter's ignore region.
class string_sink {
public:
    explicit string_sink(std::string& text) noexcept : text_(text) {}
    void put(const char* s) { text_ += s; }
    __attribute__((format(printf, 2, 3))) void printf(const char* format, ...) {
        char line[message_line_size];
        va_list args;
        va_start(args, format);
        int const n = std::vsnprintf(line, sizeof line, format, args);
        va_end(args);
        if (n > 0) text_ += line;
    }

private:
    std::string& text_;
};

// A failed scope as the text of a test failure: a summary line, then one line per allocation site
// and kind (largest first, at most 20 lines), in the words of leakguard's own report.
inline std::string failure_message(const scope_failure& f) {
    ignore_region quiet;
    std::string text;
    string_sink out(text);
    write_failure_summary(out, f, false);
    write_failure_groups(out, f, message_layout);
    return text;
}

// The scope-failure handler of every adapter: inside a test, a failure of that test at the scope's
// file:line (counted in `reported`, for the whole-test checks); outside one, the failure is
// printed as usual. `Framework` is the adapter's glue:
//     static bool in_test();                                     is a test running?
//     static void fail(const scope_failure&, const std::string&); the framework's failure call
// A framework throws from its failure call only when told to stop the run (doctest's
// --abort-after, Catch2's --abort, --gtest_throw_on_failure): the failure is recorded by then,
// and the exception stops here, since a scope reports from its destructor.
template <class Framework>
void report_to_framework(const scope_failure& f, std::atomic<unsigned long>& reported) noexcept {
    ignore_region quiet; // what the framework and its reporters keep of the failure is their own
#if LEAKGUARD_DETAIL_EXCEPTIONS
    try {
#endif
        if (!Framework::in_test()) {
            print_scope_failure(f);
            return;
        }
        reported.fetch_add(1, std::memory_order_relaxed);
        Framework::fail(f, failure_message(f));
#if LEAKGUARD_DETAIL_EXCEPTIONS
    } catch (...) {}
#endif
}

// Whole-suite mode: the test cases no whole-test check ran in (registered by a macro the adapter
// does not redefine, such as TEST_CASE_FIXTURE or TEST_CASE_METHOD), named at the end of the run
// so that no test is silently unchecked.
class unchecked_tests {
public:
    void add(const char* name, const char* file, int line) {
        ignore_region quiet; // kept until the end of the run
        if (names_.size() < shown) {
            char place[max_path_length + 32];
            std::snprintf(place, sizeof place, " (%s:%d)", file, line);
            names_.push_back(std::string(name) + place);
        }
        ++count_;
    }
    void print() const noexcept {
        if (count_ == 0) return;
        fd_writer out(report_fd());
        out.printf("leakguard: %zu test %s not checked as a whole (not registered with TEST_CASE or TEST; put a "
                   "LEAKGUARD_LOSS_SCOPE() in %s):\n",
                   count_, plural(count_, "case was", "cases were"), plural(count_, "it", "them"));
        for (const std::string& n : names_) out.printf("leakguard:   %s\n", n.c_str());
        if (count_ > names_.size()) out.printf("leakguard:   ... and %zu more\n", count_ - names_.size());
    }

private:
    static constexpr std::size_t shown = 20;
    std::vector<std::string> names_;
    std::size_t count_ = 0;
};

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_ADAPTER_COMMON_HPP_INCLUDED
