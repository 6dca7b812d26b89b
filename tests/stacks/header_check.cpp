// Compiled on its own by the stacks_header_* tests at each language standard with
// -Wall -Wextra -Wpedantic -Werror (-fsyntax-only): the call-stack headers will land in users'
// LEAKGUARD_MAIN unit, so they must not break a warnings-as-errors build at any standard.
#define LEAKGUARD_MAIN
#include <leakguard/leakguard.hpp>

#include <leakguard/detail/capture/stack_capture.hpp>
#include <leakguard/detail/symbolize/site_rules.hpp>
#include <leakguard/detail/capture/stack_table.hpp>

int main() {
    namespace lgd = leakguard::detail;
    void* frames[16];
    std::size_t const n = lgd::capture_stack(__builtin_return_address(0), __builtin_frame_address(0), frames, 16,
                                             lgd::default_unwinder());
    const lgd::stack_record* r = lgd::intern_stack(frames, n);
    lgd::symbol_info site;
    std::size_t const i = r ? lgd::find_site(r->frames(), r->depth, site) : 0;
    std::size_t count = 0;
    lgd::g_stacks.for_each([&count](const lgd::stack_record&) { ++count; });
    return static_cast<int>(i + count == 0);
}
