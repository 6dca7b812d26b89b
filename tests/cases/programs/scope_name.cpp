// A scope whose name holds characters JSON must escape (double quotes, a backslash, a tab, a
// newline) and non-ASCII UTF-8: the scope fails, and the JSON report must still parse and give the
// name back unchanged. The driver compares with the same literal (kName in test_scopes.cpp).
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>

#include <cstdio>

int main() {
    int* kept = nullptr;
    {
        LEAKGUARD_SCOPE("say \"hi\" \\ tab\there\nnext line, caf\xC3\xA9");
        kept = new int(1);
    }
    delete kept;
    std::printf("scope_failures=%zu\n", leakguard::scope_failures());
    return 0;
}
