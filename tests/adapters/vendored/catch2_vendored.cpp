// A Catch2 v2 program whose Catch2 is a vendored copy under another name ("third_party/catch.hpp"),
// with a poisoned <catch2/catch.hpp> first on the include path (vendored/CMakeLists.txt): the
// adapter must use the copy already included, never look for <catch2/catch.hpp>. leakguard's
// unit comes from leakguard::main_catch2, told where the copy is by LEAKGUARD_FRAMEWORK_HEADER.
// One test case passes; one leaks inside a scope and must fail at its line.
#define CATCH_CONFIG_MAIN
#include "third_party/catch.hpp"
#if defined(LEAKGUARD_VENDORED_PROBE)
// The probe (compiled only, vendored/CMakeLists.txt): as if no Catch2 were in, so the adapter
// includes <catch2/catch.hpp>, which must be the poisoned one.
#undef TWOBLUECUBES_SINGLE_INCLUDE_CATCH_HPP_INCLUDED
#undef CATCH_VERSION_MAJOR
#endif
#include <leakguard/catch2.hpp>

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
