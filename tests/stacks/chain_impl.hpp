// The chain a() -> b() -> c() -> probe(), included by chain_fp.cpp and chain_nofp.cpp, which
// build it with and without frame pointers. CHAIN(x) names the functions apart.
#include "support.hpp"

namespace stacks_test {

LEAKGUARD_STACKS_NOINLINE void CHAIN(c)(captured& r, int how, std::size_t max) {
    r.line_c = __LINE__ + 1;
    probe(r, how, max);
    LEAKGUARD_STACKS_NO_TAIL_CALL();
}

LEAKGUARD_STACKS_NOINLINE void CHAIN(b)(captured& r, int how, std::size_t max) {
    r.line_b = __LINE__ + 1;
    CHAIN(c)(r, how, max);
    LEAKGUARD_STACKS_NO_TAIL_CALL();
}

LEAKGUARD_STACKS_NOINLINE void CHAIN(a)(captured& r, int how, std::size_t max) {
    r.line_a = __LINE__ + 1;
    CHAIN(b)(r, how, max);
    LEAKGUARD_STACKS_NO_TAIL_CALL();
}

} // namespace stacks_test
