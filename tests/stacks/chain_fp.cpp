// The chain built with -fno-omit-frame-pointer (see CMakeLists.txt).
#define CHAIN(x) chain_fp_##x
#include "chain_impl.hpp"
