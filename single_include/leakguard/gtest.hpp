// DO NOT EDIT: generated from include/leakguard/gtest.hpp by tools/amalgamate.py.
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// gtest.hpp: the GoogleTest adapter - a scope that ends with leaks fails the running test.
//
//     #include <gtest/gtest.h>                 // first: the system's or a vendored copy
//     #define LEAKGUARD_MAIN                   // in exactly one file of the test program
//     #include <leakguard/gtest.hpp>           // every other test file: without LEAKGUARD_MAIN
//
//     TEST(Parser, Names) {
//         LEAKGUARD_SCOPE();                   // a leak here is a failure of Parser.Names,
//         ...                                  // reported at this file:line with each block's site
//     }
//
// Include GoogleTest before this header, by whatever path (a vendored copy too): the adapter
// includes <gtest/gtest.h> itself only when GoogleTest is not in yet.
//
// Instead of defining LEAKGUARD_MAIN, link the CMake target leakguard::main_gtest (instead of
// leakguard::main): it compiles that unit, with this adapter's part, as a file of its own. Never
// define LEAKGUARD_MAIN in a static library member that also holds main() (docs/usage.md).
//
// Whole-suite mode: with LEAKGUARD_CHECK_ALL_TESTS defined where LEAKGUARD_MAIN is, every test is
// checked as if its fixture, SetUp, body and TearDown were one scope (a GoogleTest listener opens
// it in OnTestStart and checks it in OnTestEnd, where a failure still counts for the test). The
// check fails a test on the memory it lost (scope_rule::lost: what a static, a global or a thread
// still holds - gmock's registry, a function-local cache - passes); the option test_checks=strict
// fails it on any block it left alive.
// LEAKGUARD_EXEMPT_TEST() in a test turns that check off for the test. A test that has already
// failed is not checked again (its cleanup may not have run).
//
// GoogleTest's own blocks are not blamed on the test: the failure records a test keeps (EXPECT
// failures, SKIP, RecordProperty) are marked ignored as they are made, the SCOPED_TRACE stack is
// grown once before the first test, and the adapter's own reporting runs in an ignore region.
#ifndef LEAKGUARD_GTEST_HPP_INCLUDED
#define LEAKGUARD_GTEST_HPP_INCLUDED

// ::testing. Only when no GoogleTest is in yet (its include guard: GOOGLETEST_INCLUDE_GTEST_GTEST_H_
// from 1.11, GTEST_INCLUDE_GTEST_GTEST_H_ before): a vendored gtest.h, included first by whatever
// path, is the one used.
#if !defined(GOOGLETEST_INCLUDE_GTEST_GTEST_H_) && !defined(GTEST_INCLUDE_GTEST_GTEST_H_)
#include <gtest/gtest.h>
#endif

#include <atomic> // std::atomic

#include "leakguard.hpp"

namespace leakguard {
namespace gtest_adapter {

// Shared by every unit (function-local statics of inline functions are one per program). One set
// for the process: tests run one at a time.
struct state {
    std::atomic<bool> exempt;            // LEAKGUARD_EXEMPT_TEST() was called in this test
    std::atomic<unsigned long> reported; // scope failures reported to GoogleTest so far
};
inline state& shared() noexcept {
    static state s; // zero-initialised
    return s;
}

inline void exempt_current_test() noexcept { shared().exempt.store(true, std::memory_order_relaxed); }

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

#include <new>    // placement new
#include <string> // std::string

// #include "leakguard/detail/adapter_common.hpp" (inlined)
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

// #include "leakguard/api.hpp" (in leakguard.hpp)
// #include "leakguard/scope.hpp" (in leakguard.hpp)
// #include "leakguard/detail/config.hpp" (in leakguard.hpp)
// #include "leakguard/detail/core/report_stream.hpp" (in leakguard.hpp)
// #include "leakguard/detail/core/text.hpp" (in leakguard.hpp)
// #include "leakguard/detail/report/group_text.hpp" (in leakguard.hpp)

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

namespace leakguard {
namespace gtest_adapter {

// The glue for report_to_framework: a non-fatal failure of the running test at the scope's
// file:line (GoogleTest records one outside a test too, as a failure of the whole program).
struct framework {
    static bool in_test() noexcept { return true; }
    static void fail(const scope_failure& f, const std::string& message) { ADD_FAILURE_AT(f.file, f.line) << message; }
};

inline void report_failure(const scope_failure& f) noexcept {
    detail::report_to_framework<framework>(f, shared().reported);
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
        shared().exempt.store(false, std::memory_order_relaxed);
#if defined(LEAKGUARD_CHECK_ALL_TESTS)
        {
            ignore_region quiet;
            name_ = std::string(test.test_suite_name()) + "." + test.name();
        }
        reported_at_start_ = shared().reported.load(std::memory_order_relaxed);
        active_ = new (static_cast<void*>(storage_))
            scope(test.file(), test.line(), name_.c_str(), scope::all_threads, whole_test_rule());
#endif
    }

    void OnTestEnd(const ::testing::TestInfo& test) override {
        ignore_result(*test.result());
#if defined(LEAKGUARD_CHECK_ALL_TESTS)
        if (active_) {
            // Not checked: exempted tests, tests that failed already (their cleanup may not have
            // run, or a scope in them has reported these very blocks).
            if (shared().exempt.load(std::memory_order_relaxed) || test.result()->Failed() ||
                shared().reported.load(std::memory_order_relaxed) != reported_at_start_)
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
