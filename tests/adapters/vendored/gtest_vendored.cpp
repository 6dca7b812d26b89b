// A GoogleTest program whose GoogleTest is a vendored copy, included by a path of its own
// ("vendor_root/gtest/gtest.h"), with a poisoned <gtest/gtest.h> first on the include path
// (vendored/CMakeLists.txt): the adapter must use the copy already included, never look for
// <gtest/gtest.h>. leakguard's unit comes from leakguard::main_gtest, told where the copy is by
// LEAKGUARD_FRAMEWORK_HEADER. One test passes; one leaks inside a scope and must fail at its line.
#include "vendor_root/gtest/gtest.h"
#if defined(LEAKGUARD_VENDORED_PROBE)
// The probe (compiled only, vendored/CMakeLists.txt): as if no GoogleTest were in, so the adapter
// includes <gtest/gtest.h>, which must be the poisoned one.
#undef GOOGLETEST_INCLUDE_GTEST_GTEST_H_
#undef GTEST_INCLUDE_GTEST_GTEST_H_
#endif
#include <leakguard/gtest.hpp>

#include <memory>

namespace {
int* kept = nullptr;
}

TEST(Vendored, Passes) {
    LEAKGUARD_SCOPE("passes");
    std::unique_ptr<int> value(new int(1));
    EXPECT_EQ(*value, 1);
}

TEST(Vendored, Leaks) {
    {
        LEAKGUARD_SCOPE("leaks"); // leak-scope-line
        kept = new int[3];
    }
    delete[] kept; // after the scope: its check has failed the test, and nothing is lost at exit
}
