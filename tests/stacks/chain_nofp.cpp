// The chain built with -fomit-frame-pointer, the compilers' default at -O2 (see CMakeLists.txt).
#define CHAIN(x) chain_nofp_##x
#include "chain_impl.hpp"
