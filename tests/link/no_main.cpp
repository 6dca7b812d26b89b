// Includes leakguard but no unit defines LEAKGUARD_MAIN: linking must fail, naming leakguard.
#include <leakguard/leakguard.hpp>

int main() {
    LEAKGUARD_SCOPE("never linked");
    return 0;
}
