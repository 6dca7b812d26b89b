// The one translation unit of each *_tracked benchmark binary that defines LEAKGUARD_MAIN: it
// emits leakguard's replacement operator new/delete and its state. The benchmark sources are
// compiled identically for the plain and the tracked binary; only this file is added.
#define LEAKGUARD_MAIN
#include <leakguard/leakguard.hpp>
