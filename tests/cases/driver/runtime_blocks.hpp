// The blocks the C and C++ runtime allocate for themselves and keep to the end: libstdc++'s
// emergency exception pool (72,704 bytes, at start-up), stdout's buffer (on the first printf),
// the dynamic loader's thread control data, locale data. Every C allocation of the process is
// tracked (the LEAKGUARD_MAIN unit defines the malloc family: docs/mapping.md), so they are in
// stats() and the report's counts too - still reachable, never lost (docs/leak-kinds.md). A case
// that used to check "nothing alive at exit" checks instead that nothing of the program's own is.
#ifndef LEAKGUARD_CASES_RUNTIME_BLOCKS_HPP
#define LEAKGUARD_CASES_RUNTIME_BLOCKS_HPP

#include <string>

#include <nlohmann/json.hpp>

#include "case_run.hpp"

namespace cases {

// Whether `leak` (an entry of a report's "leaks") is such a runtime block: still reachable, of a
// C kind (malloc, calloc, ...; the case programs that use this allocate only with new), and
// allocated by code outside `program`'s own binary (its "module" is a library or the loader).
bool is_runtime_block(const nlohmann::json& leak, const std::string& program);

// On the report of a run with show_reachable=1 (every live block listed, whatever its kind):
// every block alive at exit is a runtime block, and the list holds exactly live_blocks blocks
// (allocations - frees, leakguard's counters, against its list of blocks). So none of the
// program's blocks outlived it, whether lost or not.
void check_only_runtime_blocks_alive(const case_result& r, const std::string& program);

} // namespace cases

#endif
