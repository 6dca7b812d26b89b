// A doctest program whose doctest is a vendored copy under another name ("third_party/doctest.h"),
// with a poisoned <doctest/doctest.h> first on the include path (vendored/CMakeLists.txt): the
// adapter must use the copy already included, never look for <doctest/doctest.h>. leakguard's
// unit comes from leakguard::main_doctest, told where the copy is by LEAKGUARD_FRAMEWORK_HEADER.
// One test case passes; one leaks inside a scope and must fail at its line.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include "third_party/doctest.h"
#if defined(LEAKGUARD_VENDORED_PROBE)
// The probe (compiled only, vendored/CMakeLists.txt): as if no doctest were in, so the adapter
// includes <doctest/doctest.h>, which must be the poisoned one.
#undef DOCTEST_LIBRARY_INCLUDED
#endif
#include <leakguard/doctest.hpp>

#include <memory>

namespace {
int* kept = nullptr;
}

TEST_CASE("vendored: passes") {
    LEAKGUARD_SCOPE("passes");
    std::unique_ptr<int> value(new int(1));
    CHECK(*value == 1);
}

TEST_CASE("vendored: leaks") {
    {
        LEAKGUARD_SCOPE("leaks"); // leak-scope-line
        kept = new int[3];
    }
    delete[] kept; // after the scope: its check has failed the test, and nothing is lost at exit
}
