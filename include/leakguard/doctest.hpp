// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// doctest.hpp: the doctest adapter - a scope that ends with leaks fails the running test case.
//
//     #define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
//     #include <doctest/doctest.h>             // first: the system's or a vendored copy
//     #define LEAKGUARD_MAIN                   // in exactly one file of the test program
//     #include <leakguard/doctest.hpp>         // every other test file: without LEAKGUARD_MAIN
//
//     TEST_CASE("parser") {
//         LEAKGUARD_SCOPE();                   // a leak here fails "parser", reported at this
//         ...                                  // file:line with each leaked block's site
//     }
//
// Include doctest before this header, by whatever path (a vendored "doctest.h" too): the adapter
// includes <doctest/doctest.h> itself only when doctest is not in yet (DOCTEST_LIBRARY_INCLUDED).
//
// Instead of defining LEAKGUARD_MAIN, link the CMake target leakguard::main_doctest (instead of
// leakguard::main): it compiles that unit, with this adapter's part, as a file of its own. Never
// define LEAKGUARD_MAIN in a static library member that also holds main() (docs/usage.md).
//
// The failure is a failed CHECK (doctest::detail::decomp_assert, what CHECK itself calls), so the
// console, XML and JUnit reporters of doctest 2.4 all show it; it never throws from the scope's
// destructor.
//
// Whole-suite mode: define LEAKGUARD_CHECK_ALL_TESTS in every test file before this header (e.g.
// target_compile_definitions). TEST_CASE then registers its body with a fixture that holds a
// scope, so each test case (each pass through its subcases) is checked as a whole: a doctest
// listener cannot fail a test (its test_case_end comes after the verdict), code inside the test
// function can. TEST_CASE_TEMPLATE (and TEST_CASE_TEMPLATE_DEFINE) run each type's body inside
// the same fixture, SCENARIO is a TEST_CASE. The check fails a test on the memory it lost
// (scope_rule::lost: what a static, a global or a thread still holds passes); the option
// test_checks=strict fails it on any block it left alive. LEAKGUARD_EXEMPT_TEST() in a test turns
// that check off for the test; a test that has already failed is not checked again.
// TEST_CASE_FIXTURE keeps its own registration: the listener names such tests at the end of the
// run; put a LEAKGUARD_LOSS_SCOPE() in those.
//
// doctest's own blocks are not blamed on the test: SUBCASE is redefined to build doctest's
// subcase (and run the reporters' subcase events) in an ignore region, the INFO/CAPTURE stack
// and doctest's string stream are grown before the first test (by a listener), and the adapter's
// own reporting runs in an ignore region. Define LEAKGUARD_DOCTEST_KEEP_SUBCASE to keep doctest's
// SUBCASE as it is.
#ifndef LEAKGUARD_DOCTEST_HPP_INCLUDED
#define LEAKGUARD_DOCTEST_HPP_INCLUDED

// doctest::detail::Subcase, decomp_assert, IReporter. Only when no doctest is in yet: a suite's
// vendored doctest.h, included first, is the one used, and the system's is never looked for.
#if !defined(DOCTEST_LIBRARY_INCLUDED)
#include <doctest/doctest.h>
#endif

#include <atomic> // std::atomic

#include "leakguard.hpp"

namespace leakguard {
namespace doctest_adapter {

// Shared by every unit (function-local statics of inline functions are one per program).
struct state {
    std::atomic<bool> exempt;            // LEAKGUARD_EXEMPT_TEST() was called in this test pass
    std::atomic<bool> failed;            // an assertion failed in this test pass (the listener says)
    std::atomic<bool> checked;           // whole-suite mode's fixture ran in this test case
    std::atomic<unsigned long> reported; // scope failures reported to doctest so far
};
inline state& shared() noexcept {
    static state s; // zero-initialised
    return s;
}

inline void exempt_current_test() noexcept { shared().exempt.store(true, std::memory_order_relaxed); }

#ifndef DOCTEST_CONFIG_DISABLE

// SUBCASE's object: doctest's Subcase, built and destroyed in an ignore region (it records the
// subcase path in containers that live until the test case ends), the body outside it.
class subcase {
    struct enter {
        enter() noexcept { begin_ignore(); }
        ~enter() { end_ignore(); }
    } enter_;
    ::doctest::detail::Subcase subcase_;
    struct leave {
        leave() noexcept { end_ignore(); }
        ~leave() { begin_ignore(); }
    } leave_;

public:
    subcase(const ::doctest::String& name, const char* file, int line) : subcase_(name, file, line) {}
    operator bool() const { return static_cast<bool>(subcase_); }
};

// The fixture of whole-suite mode: a scope over the test function (one pass through its subcases).
class whole_test {
public:
    whole_test()
        : reported_at_start_(start_pass()), scope_(current()->m_file.c_str(), static_cast<int>(current()->m_line),
                                                   current()->m_name, scope::all_threads, whole_test_rule()) {}
    ~whole_test() {
        state& s = shared();
        // Not checked: exempted tests, tests that failed already (their cleanup may not have run,
        // or a scope in them has reported these very blocks). Left by an exception: the scope
        // does not check either.
        if (s.exempt.load(std::memory_order_relaxed) || s.failed.load(std::memory_order_relaxed) ||
            s.reported.load(std::memory_order_relaxed) != reported_at_start_)
            scope_.dismiss();
    }
    whole_test(const whole_test&) = delete;
    whole_test& operator=(const whole_test&) = delete;

private:
    static const ::doctest::TestCaseData* current() noexcept { return ::doctest::getContextOptions()->currentTest; }
    static unsigned long start_pass() noexcept {
        shared().exempt.store(false, std::memory_order_relaxed);
        shared().checked.store(true, std::memory_order_relaxed);
        return shared().reported.load(std::memory_order_relaxed);
    }
    unsigned long reported_at_start_;
    scope scope_;
};

#endif // DOCTEST_CONFIG_DISABLE

} // namespace doctest_adapter
} // namespace leakguard

// In whole-suite mode (LEAKGUARD_CHECK_ALL_TESTS): the running test is not checked as a whole.
// Scopes written in it still are.
#define LEAKGUARD_EXEMPT_TEST() ::leakguard::doctest_adapter::exempt_current_test()

#ifndef DOCTEST_CONFIG_DISABLE
#ifndef LEAKGUARD_DOCTEST_KEEP_SUBCASE
#undef DOCTEST_SUBCASE
#define DOCTEST_SUBCASE(name)                                                                                          \
    if (const ::leakguard::doctest_adapter::subcase & DOCTEST_ANONYMOUS(LEAKGUARD_SUBCASE_) DOCTEST_UNUSED =           \
            ::leakguard::doctest_adapter::subcase(name, __FILE__, __LINE__))
#ifndef DOCTEST_CONFIG_NO_SHORT_MACRO_NAMES
#undef SUBCASE
#define SUBCASE(name) DOCTEST_SUBCASE(name)
#endif
#endif // LEAKGUARD_DOCTEST_KEEP_SUBCASE

#if defined(LEAKGUARD_CHECK_ALL_TESTS)
#undef DOCTEST_TEST_CASE
#define DOCTEST_TEST_CASE(decorators) DOCTEST_TEST_CASE_FIXTURE(::leakguard::doctest_adapter::whole_test, decorators)
#ifndef DOCTEST_CONFIG_NO_SHORT_MACRO_NAMES
#undef TEST_CASE
#define TEST_CASE(name) DOCTEST_TEST_CASE(name)
#endif
// TEST_CASE_TEMPLATE and TEST_CASE_TEMPLATE_DEFINE: each instance registers a function that runs
// the test's body for its type with whole_test around it (doctest's own registration, with that
// function in the body's place). The body is never inlined into it: once the body has returned,
// what its locals and registers held is gone, as a lost block's last pointer is.
#undef DOCTEST_TEST_CASE_TEMPLATE_DEFINE_IMPL
#define DOCTEST_TEST_CASE_TEMPLATE_DEFINE_IMPL(dec, T, iter, func)                                                     \
    template <typename T>                                                                                              \
    __attribute__((noinline)) static void func();                                                                      \
    template <typename T>                                                                                              \
    static void DOCTEST_CAT(func, _LEAKGUARD_CHECKED)() {                                                              \
        ::leakguard::doctest_adapter::whole_test leakguard_whole_test_;                                                \
        func<T>();                                                                                                     \
    }                                                                                                                  \
    namespace {                                                                                                        \
    template <typename Tuple>                                                                                          \
    struct iter;                                                                                                       \
    template <typename Type, typename... Rest>                                                                         \
    struct iter<std::tuple<Type, Rest...>> {                                                                           \
        iter(const char* file, unsigned line, int index) {                                                             \
            ::doctest::detail::regTest(                                                                                \
                ::doctest::detail::TestCase(DOCTEST_CAT(func, _LEAKGUARD_CHECKED) < Type >, file, line,                \
                                            doctest_detail_test_suite_ns::getCurrentTestSuite(),                       \
                                            ::doctest::toString<Type>(), int(line) * 1000 + index) *                   \
                dec);                                                                                                  \
            iter<std::tuple<Rest...>>(file, line, index + 1);                                                          \
        }                                                                                                              \
    };                                                                                                                 \
    template <>                                                                                                        \
    struct iter<std::tuple<>> {                                                                                        \
        iter(const char*, unsigned, int) {}                                                                            \
    };                                                                                                                 \
    }                                                                                                                  \
    template <typename T>                                                                                              \
    static void func()
#endif // LEAKGUARD_CHECK_ALL_TESTS
#endif // DOCTEST_CONFIG_DISABLE

#endif // LEAKGUARD_DOCTEST_HPP_INCLUDED

// The handler and the listener, once per program (in the LEAKGUARD_MAIN translation unit).
#if defined(LEAKGUARD_MAIN) && !defined(LEAKGUARD_DOCTEST_IMPLEMENTED)
#define LEAKGUARD_DOCTEST_IMPLEMENTED
#include "leakguard.hpp"

#include <string> // std::string

#include "detail/adapter_common.hpp"

namespace leakguard {
namespace doctest_adapter {

// The glue for report_to_framework: a failed CHECK of the running test at the scope's file:line.
// Outside a test (doctest would abort on a failed assertion there) the failure is printed as usual.
struct framework {
    static bool in_test() noexcept {
#ifndef DOCTEST_CONFIG_DISABLE
        return ::doctest::is_running_in_test;
#else
        return false;
#endif
    }
    static void fail(const scope_failure& f, const std::string& message) {
#ifndef DOCTEST_CONFIG_DISABLE
        ::doctest::detail::decomp_assert(::doctest::assertType::DT_CHECK, f.file, f.line, "no leaks",
                                         ::doctest::detail::Result(false, ::doctest::String(message.c_str())));
#else
        (void)f;
        (void)message;
#endif
    }
};

inline void report_failure(const scope_failure& f) noexcept {
    detail::report_to_framework<framework>(f, shared().reported);
}

#ifndef DOCTEST_CONFIG_DISABLE

// Grows doctest's per-thread INFO stack and string stream before the first test (neither
// shrinks), so that a test's first INFO or failure message does not leave a block behind.
inline void grow_info_stack(int depth) {
    if (depth == 0) return;
    DOCTEST_INFO("leakguard: warm-up");
    grow_info_stack(depth - 1);
}

// Cannot fail a test (doctest decides the verdict before test_case_end); it prepares the run and
// tells the whole-suite fixture whether the running test has failed.
class listener : public ::doctest::IReporter {
public:
    explicit listener(const ::doctest::ContextOptions&) {}
    void report_query(const ::doctest::QueryData&) override {}
    void test_run_start() override {
        ignore_region quiet;
        grow_info_stack(32);
        *::doctest::detail::tlssPush() << std::string(4096, ' ');
        ::doctest::detail::tlssPop();
    }
    void test_run_end(const ::doctest::TestRunStats&) override {
#if defined(LEAKGUARD_CHECK_ALL_TESTS)
        unchecked_.print();
#endif
    }
    void test_case_start(const ::doctest::TestCaseData& test) override {
        shared().failed.store(false);
        shared().checked.store(false);
        current_ = &test;
    }
    void test_case_reenter(const ::doctest::TestCaseData&) override { shared().failed.store(false); }
    void test_case_end(const ::doctest::CurrentTestCaseStats&) override {
#if defined(LEAKGUARD_CHECK_ALL_TESTS)
        if (current_ && !shared().checked.load())
            unchecked_.add(current_->m_name, current_->m_file.c_str(), static_cast<int>(current_->m_line));
#endif
    }
    void test_case_exception(const ::doctest::TestCaseException&) override { shared().failed.store(true); }
    void subcase_start(const ::doctest::SubcaseSignature&) override {}
    void subcase_end() override {}
    void log_assert(const ::doctest::AssertData& a) override {
        if (a.m_failed) shared().failed.store(true);
    }
    void log_message(const ::doctest::MessageData& m) override {
        if (!(m.m_severity & ::doctest::assertType::is_warn)) shared().failed.store(true);
    }
    void test_case_skipped(const ::doctest::TestCaseData&) override {}

private:
    const ::doctest::TestCaseData* current_ = nullptr;
#if defined(LEAKGUARD_CHECK_ALL_TESTS)
    detail::unchecked_tests unchecked_;
#endif
};

DOCTEST_REGISTER_LISTENER("leakguard", 0, listener);

#endif // DOCTEST_CONFIG_DISABLE

struct installer {
    installer() noexcept { set_scope_failure_handler(&report_failure); }
};
static installer const install_at_start_up;

} // namespace doctest_adapter
} // namespace leakguard

#endif // LEAKGUARD_MAIN
