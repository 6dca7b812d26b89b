// Code built without frame pointers may hold anything in the frame-pointer register when it
// calls operator new. This calls a function with that register set to a chosen value, so the
// tests can check what the frame-pointer walk makes of it.
#include "support.hpp"

namespace stacks_test {

bool call_with_frame_register(void (*fn)(void*), void* arg, std::uintptr_t junk) {
#if defined(__x86_64__)
    // The call is hidden from the compiler, so the asm sets up what it needs itself: it steps
    // over the red zone, aligns the stack to 16 bytes as the ABI wants at a call, and keeps
    // the stack pointer and rbp in callee-saved registers it declares clobbered. The unwind
    // tables do not describe this, so nothing may unwind through it (no exceptions, no
    // _Unwind_Backtrace): the callee uses only the frame-pointer walk.
    __asm__ volatile("movq %%rsp, %%r12\n\t"
                     "subq $128, %%rsp\n\t"
                     "andq $-16, %%rsp\n\t"
                     "movq %%rbp, %%r13\n\t"
                     "movq %[junk], %%rbp\n\t"
                     "callq *%%rax\n\t"
                     "movq %%r13, %%rbp\n\t"
                     "movq %%r12, %%rsp\n\t"
                     : "+a"(fn), "+D"(arg)
                     : [junk] "r"(junk)
                     : "rcx", "rdx", "rsi", "r8", "r9", "r10", "r11", "r12", "r13", "memory", "cc", "xmm0",
                       "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11",
                       "xmm12", "xmm13", "xmm14", "xmm15");
    return true;
#else
    (void)fn;
    (void)arg;
    (void)junk;
    return false;
#endif
}

} // namespace stacks_test
