// The test-main library's main(), in a member of its own. It does not define LEAKGUARD_MAIN: the
// library links leakguard::main privately, which adds the LEAKGUARD_MAIN unit as another member,
// so that an executable with its own main() can link this library and never get this main().
// (With LEAKGUARD_MAIN defined here instead, a linker that pulls this member out for operator new
// or for leakguard's link-check symbol would pull a second main() along with it.)
#include "suite.hpp"

int main() { return suite::run_all() == 0 ? 0 : 1; }
