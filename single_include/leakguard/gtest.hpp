// DO NOT EDIT: generated from include/leakguard/gtest.hpp by tools/amalgamate.py.
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// gtest.hpp: the GoogleTest adapter - a scope that ends with leaks fails the running test.
//
//     #include <gtest/gtest.h>
//     #define LEAKGUARD_MAIN                   // in exactly one file of the test program
//     #include <leakguard/gtest.hpp>           // every other test file: without LEAKGUARD_MAIN
//
//     TEST(Parser, Names) {
//         LEAKGUARD_SCOPE();                   // a leak here is a failure of Parser.Names,
//         ...                                  // reported at this file:line with each block's site
//     }
//
// Whole-suite mode: with LEAKGUARD_CHECK_ALL_TESTS defined where LEAKGUARD_MAIN is, every test is
// checked as if its fixture, SetUp, body and TearDown were one scope (a GoogleTest listener opens
// it in OnTestStart and checks it in OnTestEnd, where a failure still counts for the test).
// LEAKGUARD_EXEMPT_TEST() in a test turns that check off for the test. A test that has already
// failed is not checked again (its cleanup may not have run).
//
// GoogleTest's own blocks are not blamed on the test: the failure records a test keeps (EXPECT
// failures, SKIP, RecordProperty) are marked ignored as they are made, the SCOPED_TRACE stack is
// grown once before the first test, and the adapter's own reporting runs in an ignore region.
#ifndef LEAKGUARD_GTEST_HPP_INCLUDED
#define LEAKGUARD_GTEST_HPP_INCLUDED

#include <gtest/gtest.h> // ::testing

#include <atomic> // std::atomic

#include "leakguard.hpp"

namespace leakguard {
namespace gtest_adapter {

// Set by LEAKGUARD_EXEMPT_TEST(), cleared when a test starts. One flag for the process: tests run
// one at a time.
inline std::atomic<bool>& exempt_flag() noexcept {
    static std::atomic<bool> flag(false);
    return flag;
}

inline void exempt_current_test() noexcept { exempt_flag().store(true, std::memory_order_relaxed); }

} // namespace gtest_adapter
} // namespace leakguard

// In whole-suite mode (LEAKGUARD_CHECK_ALL_TESTS): the running test is not checked as a whole.
// Scopes written in it still are.
#define LEAKGUARD_EXEMPT_TEST() ::leakguard::gtest_adapter::exempt_current_test()

#endif // LEAKGUARD_GTEST_HPP_INCLUDED

// The handler and the listener, once per program (in the LEAKGUARD_MAIN translation unit).
#if defined(LEAKGUARD_MAIN) && !defined(LEAKGUARD_GTEST_IMPLEMENTED)
#define LEAKGUARD_GTEST_IMPLEMENTED
#include "leakguard.hpp"

#include <cstdio> // std::snprintf
#include <new>    // placement new
#include <string> // std::string
#include <vector> // std::vector

// #include "leakguard/detail/adapter_message.hpp" (inlined)
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

namespace leakguard {
namespace gtest_adapter {

// Scope failures reported so far (a whole-test check is not repeated after one).
inline std::atomic<unsigned long>& reported() noexcept {
    static std::atomic<unsigned long> count(0);
    return count;
}

// The scope-failure handler: a non-fatal failure of the running test at the scope's file:line.
// ADD_FAILURE_AT never throws unless --gtest_throw_on_failure is set; that exception is caught
// here (the failure is recorded before it is thrown), since a scope reports from a destructor.
inline void report_failure(const scope_failure& f) noexcept {
    ignore_region quiet; // what GoogleTest keeps of the failure is its own
    reported().fetch_add(1, std::memory_order_relaxed);
#if LEAKGUARD_DETAIL_EXCEPTIONS
    try {
#endif
        std::string const message = detail::adapter_message(f);
        ADD_FAILURE_AT(f.file, f.line) << message;
#if LEAKGUARD_DETAIL_EXCEPTIONS
    } catch (...) {}
#endif
}

// Marks the blocks of a test's result (failure texts, properties, and the vectors holding them)
// as ignored: GoogleTest keeps them until the test program ends.
inline void ignore_result(const ::testing::TestResult& result) noexcept {
    int const parts = result.total_part_count();
    for (int i = 0; i < parts; ++i) {
        const ::testing::TestPartResult& part = result.GetTestPartResult(i);
        if (i == 0) leakguard::ignore(&part); // the vector's buffer (a no-op if not a block start)
        leakguard::ignore(part.file_name());
        leakguard::ignore(part.summary());
        leakguard::ignore(part.message());
    }
    int const props = result.test_property_count();
    for (int i = 0; i < props; ++i) {
        const ::testing::TestProperty& prop = result.GetTestProperty(i);
        if (i == 0) leakguard::ignore(&prop);
        leakguard::ignore(prop.key());
        leakguard::ignore(prop.value());
    }
}

// Grows GoogleTest's per-thread SCOPED_TRACE stack ahead of the tests (it never shrinks), so that
// a test's first SCOPED_TRACE does not leave a block behind.
inline void grow_trace_stack(int depth) {
    if (depth == 0) return;
    ::testing::ScopedTrace trace(__FILE__, __LINE__, "leakguard: warm-up");
    grow_trace_stack(depth - 1);
}

class listener : public ::testing::EmptyTestEventListener {
public:
    listener() = default;
#if defined(LEAKGUARD_CHECK_ALL_TESTS)
    ~listener() override {
        if (active_) active_->~scope();
    }
#endif

    void OnTestProgramStart(const ::testing::UnitTest&) override {
        ignore_region quiet;
        grow_trace_stack(32);
    }

    // Called with GoogleTest's lock held: the running test is the one OnTestStart saw.
    void OnTestPartResult(const ::testing::TestPartResult&) override {
        if (current_) ignore_result(*current_->result());
    }

    void OnTestStart(const ::testing::TestInfo& test) override {
        current_ = &test;
        exempt_flag().store(false, std::memory_order_relaxed);
#if defined(LEAKGUARD_CHECK_ALL_TESTS)
        {
            ignore_region quiet;
            name_ = std::string(test.test_suite_name()) + "." + test.name();
        }
        reported_at_start_ = reported().load(std::memory_order_relaxed);
        active_ = new (static_cast<void*>(storage_)) scope(test.file(), test.line(), name_.c_str());
#endif
    }

    void OnTestEnd(const ::testing::TestInfo& test) override {
        ignore_result(*test.result());
#if defined(LEAKGUARD_CHECK_ALL_TESTS)
        if (active_) {
            // Not checked: exempted tests, tests that failed already (their cleanup may not have
            // run, or a scope in them has reported these very blocks).
            if (exempt_flag().load(std::memory_order_relaxed) || test.result()->Failed() ||
                reported().load(std::memory_order_relaxed) != reported_at_start_)
                active_->dismiss();
            scope* const s = active_;
            active_ = nullptr;
            s->~scope(); // checks; a failure still counts for the test, which is current until the end
            ignore_result(*test.result());
        }
#endif
        current_ = nullptr;
    }

private:
    const ::testing::TestInfo* current_ = nullptr;
#if defined(LEAKGUARD_CHECK_ALL_TESTS)
    alignas(scope) unsigned char storage_[sizeof(scope)];
    scope* active_ = nullptr;
    std::string name_;
    unsigned long reported_at_start_ = 0;
#endif
};

// Installs the handler and appends the listener before main() runs (works with gtest_main).
// Appended last, the listener hears OnTestEnd first, before the printers report the verdict.
struct installer {
    installer() {
        set_scope_failure_handler(&report_failure);
        ignore_region quiet;
        ::testing::UnitTest::GetInstance()->listeners().Append(new listener);
    }
};
static installer const install_at_start_up;

} // namespace gtest_adapter
} // namespace leakguard

#endif // LEAKGUARD_MAIN
