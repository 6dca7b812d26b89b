// DO NOT EDIT: generated from include/leakguard/catch2.hpp by tools/amalgamate.py.
// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// catch2.hpp: the Catch2 (v2, single header <catch2/catch.hpp>) adapter - a scope that ends with
// leaks fails the running test case.
//
//     #define CATCH_CONFIG_MAIN
//     #include <catch2/catch.hpp>              // first: the system's or a vendored copy
//     #define LEAKGUARD_MAIN                   // in exactly one file of the test program
//     #include <leakguard/catch2.hpp>          // every other test file: without LEAKGUARD_MAIN
//
//     TEST_CASE("parser") {
//         LEAKGUARD_SCOPE();                   // a leak here fails "parser", reported at this
//         ...                                  // file:line with each leaked block's site
//     }
//
// Include Catch2 before this header, by whatever path (a vendored "catch.hpp" too): the adapter
// includes <catch2/catch.hpp> itself only when Catch2 is not in yet.
//
// Instead of defining LEAKGUARD_MAIN, link the CMake target leakguard::main_catch2 (instead of
// leakguard::main): it compiles that unit, with this adapter's part and its listener, as a file of
// its own. Never define LEAKGUARD_MAIN in a static library member that also holds main()
// (docs/usage.md).
//
// The failure is a non-fatal explicit failure (an AssertionHandler with ContinueOnFailure, what
// FAIL_CHECK uses, at the scope's file:line); it never throws from the scope's destructor. A
// Catch2 listener cannot fail a test (asserting there aborts the reporters), so every check runs
// inside the test function.
//
// Whole-suite mode: define LEAKGUARD_CHECK_ALL_TESTS in every test file before this header (e.g.
// target_compile_definitions). TEST_CASE (and SCENARIO) then register their body as a method of a
// fixture that holds a scope, so each run of a test case (one per leaf SECTION) is checked as a
// whole; TEMPLATE_TEST_CASE and TEMPLATE_TEST_CASE_SIG run each type's body inside one. The check
// fails a test on the memory it lost (scope_rule::lost: what a static, a global or a thread still
// holds passes); the option test_checks=strict fails it on any block it left alive.
// LEAKGUARD_EXEMPT_TEST() in a test turns that check off for the test; a test that has already
// failed (a failed assertion, as a listener sees it, or a failed scope) is not checked again.
// TEST_CASE_METHOD, TEMPLATE_PRODUCT_TEST_CASE and TEMPLATE_LIST_TEST_CASE keep their own
// registration: the listener names them at the end of the run; put a LEAKGUARD_LOSS_SCOPE() in
// those.
//
// Catch2's own blocks are not blamed on the test: SECTION (and GIVEN/WHEN/THEN, DYNAMIC_SECTION)
// are redefined to build Catch2's section (its tracker, the reporters' section stacks) in an
// ignore region, Catch2's INFO stack and string-stream pool are grown before they are first used
// in a test, and the adapter's own reporting runs in an ignore region. Define
// LEAKGUARD_CATCH2_KEEP_SECTION to keep Catch2's SECTION as it is.
//
// The listener (warm-up before the first test, failed-assertion tracking for whole-suite mode) is
// registered in the LEAKGUARD_MAIN file when Catch2's reporter interfaces are visible there: when
// that file is the one with CATCH_CONFIG_MAIN / CATCH_CONFIG_RUNNER, or defines
// CATCH_CONFIG_EXTERNAL_INTERFACES before <catch2/catch.hpp>.
#ifndef LEAKGUARD_CATCH2_HPP_INCLUDED
#define LEAKGUARD_CATCH2_HPP_INCLUDED

// Catch::AssertionHandler, Catch::Section. Only when no Catch2 is in yet (the single header's
// include guard; CATCH_VERSION_MAJOR, which every Catch2 header set defines): a vendored catch.hpp,
// included first, is the one used. Catch2 v3 included first fails the version check below.
#if !defined(TWOBLUECUBES_SINGLE_INCLUDE_CATCH_HPP_INCLUDED) && !defined(CATCH_VERSION_MAJOR)
#include <catch2/catch.hpp>
#endif

#include <atomic> // std::atomic
#include <string> // std::string

#include "leakguard.hpp"

#if !defined(CATCH_VERSION_MAJOR) || CATCH_VERSION_MAJOR != 2
#error "leakguard/catch2.hpp supports Catch2 v2 (the single header <catch2/catch.hpp>)"
#endif

namespace leakguard {
namespace catch2_adapter {

// Shared by every unit (function-local statics of inline functions are one per program).
struct state {
    std::atomic<bool> exempt;            // LEAKGUARD_EXEMPT_TEST() was called in this test run
    std::atomic<bool> failed;            // an assertion failed in this test run (the listener says)
    std::atomic<bool> warmed_up;         // Catch2's lazily grown containers have been grown
    std::atomic<bool> checked;           // whole-suite mode's fixture ran in this test case
    std::atomic<unsigned long> reported; // scope failures reported to Catch2 so far
};
inline state& shared() noexcept {
    static state s; // zero-initialised
    return s;
}

inline void exempt_current_test() noexcept { shared().exempt.store(true, std::memory_order_relaxed); }

#ifndef CATCH_CONFIG_DISABLE

inline void grow_message_stack(int depth) {
    if (depth == 0) return;
    INTERNAL_CATCH_INFO("INFO", "leakguard: warm-up")
    grow_message_stack(depth - 1);
}

inline void grow_string_streams(int depth) {
    if (depth == 0) return;
    ::Catch::ReusableStringStream stream;
    stream << std::string(1024, ' ');
    grow_string_streams(depth - 1);
}

// Grows Catch2's INFO stack and its pool of string streams (neither shrinks) once, so that a
// test's first INFO or failure message does not leave a block behind. Needs a running session.
inline void warm_up() {
    if (shared().warmed_up.exchange(true)) return;
    ignore_region quiet;
    grow_message_stack(32);
    grow_string_streams(8);
}

// SECTION's object: Catch2's Section, built and destroyed in an ignore region (its tracker lives
// until the test case ends), the body outside it.
class section {
    struct enter {
        enter() {
            begin_ignore();
            warm_up();
        }
        ~enter() { end_ignore(); }
    } enter_;
    ::Catch::Section section_;
    struct leave {
        leave() noexcept { end_ignore(); }
        ~leave() { begin_ignore(); }
    } leave_;

public:
    section(::Catch::SectionInfo const& info) : section_(info) {}
    explicit operator bool() const { return static_cast<bool>(section_); }
};

// The base of whole-suite mode's test classes: a scope over one run of the test case.
class whole_test {
public:
    whole_test(const char* file, int line)
        : name_(start_run()), reported_at_start_(shared().reported.load(std::memory_order_relaxed)),
          scope_(file, line, name_.c_str(), scope::all_threads, whole_test_rule()) {}
    ~whole_test() {
        state& s = shared();
        // Not checked: exempted tests, tests that failed already (their cleanup may not have run,
        // or a scope in them has reported these very blocks). Left by an exception (a failed
        // REQUIRE): the scope does not check either.
        if (s.exempt.load(std::memory_order_relaxed) || s.failed.load(std::memory_order_relaxed) ||
            s.reported.load(std::memory_order_relaxed) != reported_at_start_)
            scope_.dismiss();
    }
    whole_test(const whole_test&) = delete;
    whole_test& operator=(const whole_test&) = delete;

private:
    static std::string start_run() {
        warm_up();
        shared().exempt.store(false, std::memory_order_relaxed);
        shared().checked.store(true, std::memory_order_relaxed);
        ignore_region quiet;
        return ::Catch::getResultCapture().getCurrentTestName();
    }
    std::string name_;
    unsigned long reported_at_start_;
    scope scope_;
};

#endif // CATCH_CONFIG_DISABLE

} // namespace catch2_adapter
} // namespace leakguard

// In whole-suite mode (LEAKGUARD_CHECK_ALL_TESTS): the running test is not checked as a whole.
// Scopes written in it still are.
#define LEAKGUARD_EXEMPT_TEST() ::leakguard::catch2_adapter::exempt_current_test()

#ifndef CATCH_CONFIG_DISABLE
#ifndef LEAKGUARD_CATCH2_KEEP_SECTION
#undef INTERNAL_CATCH_SECTION
#define INTERNAL_CATCH_SECTION(...)                                                                                    \
    if (::leakguard::catch2_adapter::section const& INTERNAL_CATCH_UNIQUE_NAME(leakguard_section_)                     \
            __attribute__((unused)) = ::Catch::SectionInfo(CATCH_INTERNAL_LINEINFO, __VA_ARGS__))
#undef INTERNAL_CATCH_DYNAMIC_SECTION
#define INTERNAL_CATCH_DYNAMIC_SECTION(...)                                                                            \
    if (::leakguard::catch2_adapter::section const& INTERNAL_CATCH_UNIQUE_NAME(leakguard_section_)                     \
            __attribute__((unused)) =                                                                                  \
                ::Catch::SectionInfo(CATCH_INTERNAL_LINEINFO, (::Catch::ReusableStringStream() << __VA_ARGS__).str()))
#endif // LEAKGUARD_CATCH2_KEEP_SECTION

#if defined(LEAKGUARD_CHECK_ALL_TESTS)
// TEST_CASE's registration with the test body as a method of a class derived from whole_test.
#define LEAKGUARD_DETAIL_CATCH_TESTCASE2(TestName, ...)                                                                \
    namespace {                                                                                                        \
    struct TestName : ::leakguard::catch2_adapter::whole_test {                                                        \
        TestName() : ::leakguard::catch2_adapter::whole_test(__FILE__, __LINE__) {}                                    \
        __attribute__((noinline)) void test();                                                                         \
    };                                                                                                                 \
    ::Catch::AutoReg INTERNAL_CATCH_UNIQUE_NAME(autoRegistrar)(::Catch::makeTestInvoker(&TestName::test),              \
                                                               CATCH_INTERNAL_LINEINFO, ::Catch::StringRef(),          \
                                                               ::Catch::NameAndTags{__VA_ARGS__});                     \
    }                                                                                                                  \
    void TestName::test()
#undef INTERNAL_CATCH_TESTCASE
#define INTERNAL_CATCH_TESTCASE(...)                                                                                   \
    LEAKGUARD_DETAIL_CATCH_TESTCASE2(INTERNAL_CATCH_UNIQUE_NAME(LEAKGUARD_TEST_), __VA_ARGS__)
// TEMPLATE_TEST_CASE and TEMPLATE_TEST_CASE_SIG: the function Catch2 registers for each type runs
// the test's body with a whole_test around it (TEMPLATE_PRODUCT_TEST_CASE and
// TEMPLATE_LIST_TEST_CASE define their function themselves; they are named as unchecked). The
// body is never inlined into the function that checks: once it has returned, what its locals
// and registers held is gone, as a lost block's last pointer is.
#define LEAKGUARD_DETAIL_CATCH_TEMPLATE(TestName, Body, signature, ...)                                                \
    template <INTERNAL_CATCH_REMOVE_PARENS(signature)>                                                                 \
    __attribute__((noinline)) static void Body();                                                                      \
    template <INTERNAL_CATCH_REMOVE_PARENS(signature)>                                                                 \
    static void TestName() {                                                                                           \
        ::leakguard::catch2_adapter::whole_test leakguard_whole_test_(__FILE__, __LINE__);                             \
        Body<__VA_ARGS__>();                                                                                           \
    }                                                                                                                  \
    template <INTERNAL_CATCH_REMOVE_PARENS(signature)>                                                                 \
    static void Body()
#undef INTERNAL_CATCH_DEFINE_SIG_TEST1
#define INTERNAL_CATCH_DEFINE_SIG_TEST1(TestName, signature)                                                           \
    LEAKGUARD_DETAIL_CATCH_TEMPLATE(TestName, INTERNAL_CATCH_UNIQUE_NAME(LEAKGUARD_BODY_), signature, TestType)
#undef INTERNAL_CATCH_DEFINE_SIG_TEST_X
#define INTERNAL_CATCH_DEFINE_SIG_TEST_X(TestName, signature, ...)                                                     \
    LEAKGUARD_DETAIL_CATCH_TEMPLATE(TestName, INTERNAL_CATCH_UNIQUE_NAME(LEAKGUARD_BODY_), signature, __VA_ARGS__)
#endif // LEAKGUARD_CHECK_ALL_TESTS
#endif // CATCH_CONFIG_DISABLE

#endif // LEAKGUARD_CATCH2_HPP_INCLUDED

// The handler and the listener, once per program (in the LEAKGUARD_MAIN translation unit).
#if defined(LEAKGUARD_MAIN) && !defined(LEAKGUARD_CATCH2_IMPLEMENTED)
#define LEAKGUARD_CATCH2_IMPLEMENTED
#include "leakguard.hpp"

#include <cstddef> // std::size_t
#include <string>  // std::string

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
namespace catch2_adapter {

// The glue for report_to_framework: a non-fatal explicit failure of the running test at the
// scope's file:line. Outside a test the failure is printed as usual.
struct framework {
    static bool in_test() {
#ifndef CATCH_CONFIG_DISABLE
        ::Catch::IResultCapture* capture = ::Catch::getCurrentContext().getResultCapture();
        return capture && !capture->getCurrentTestName().empty();
#else
        return false;
#endif
    }
    static void fail(const scope_failure& f, const std::string& message) {
#ifndef CATCH_CONFIG_DISABLE
        ::Catch::AssertionHandler handler(::Catch::StringRef("LEAKGUARD_SCOPE"),
                                          ::Catch::SourceLineInfo(f.file, static_cast<std::size_t>(f.line)),
                                          ::Catch::StringRef(), ::Catch::ResultDisposition::ContinueOnFailure);
        handler.handleMessage(::Catch::ResultWas::ExplicitFailure, ::Catch::StringRef(message));
        handler.complete();
#else
        (void)f;
        (void)message;
#endif
    }
};

inline void report_failure(const scope_failure& f) noexcept {
    detail::report_to_framework<framework>(f, shared().reported);
}

#if !defined(CATCH_CONFIG_DISABLE) && defined(CATCH_CONFIG_EXTERNAL_INTERFACES)
// Cannot fail a test (Catch2 forbids assertions in listeners); it grows Catch2's containers before
// the first test and tells the whole-suite fixture whether the running test has failed.
struct listener : ::Catch::TestEventListenerBase {
    using TestEventListenerBase::TestEventListenerBase;
    void testRunStarting(::Catch::TestRunInfo const& info) override {
        TestEventListenerBase::testRunStarting(info);
        warm_up();
    }
    void testCaseStarting(::Catch::TestCaseInfo const& info) override {
        TestEventListenerBase::testCaseStarting(info);
        shared().failed.store(false);
        shared().checked.store(false);
    }
#if defined(LEAKGUARD_CHECK_ALL_TESTS)
    void testCaseEnded(::Catch::TestCaseStats const& stats) override {
        if (!shared().checked.load())
            unchecked_.add(stats.testInfo.name.c_str(), stats.testInfo.lineInfo.file,
                           static_cast<int>(stats.testInfo.lineInfo.line));
        TestEventListenerBase::testCaseEnded(stats);
    }
    void testRunEnded(::Catch::TestRunStats const& stats) override {
        unchecked_.print();
        TestEventListenerBase::testRunEnded(stats);
    }

private:
    detail::unchecked_tests unchecked_;
#endif
    bool assertionEnded(::Catch::AssertionStats const& stats) override {
        if (!stats.assertionResult.isOk()) shared().failed.store(true);
        return TestEventListenerBase::assertionEnded(stats);
    }
};
CATCH_REGISTER_LISTENER(listener)
#endif

struct installer {
    installer() noexcept { set_scope_failure_handler(&report_failure); }
};
static installer const install_at_start_up;

} // namespace catch2_adapter
} // namespace leakguard

#endif // LEAKGUARD_MAIN
