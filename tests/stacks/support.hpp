// Shared by the stack tests' units. Only main.cpp (the LEAKGUARD_MAIN unit) includes leakguard's
// implementation headers - they define its state - so the other units, each built with its own
// code-generation flags, reach the capture through the functions declared here.
#ifndef LEAKGUARD_TESTS_STACKS_SUPPORT_HPP
#define LEAKGUARD_TESTS_STACKS_SUPPORT_HPP

#include <cstddef>
#include <cstdint>

#define LEAKGUARD_STACKS_NOINLINE __attribute__((noinline))
// After a call: keeps it from being a tail call, so the caller's frame stays on the stack.
#define LEAKGUARD_STACKS_NO_TAIL_CALL() __asm__ volatile("" ::: "memory")

namespace stacks_test {

enum method { by_none = 0, by_frame_pointer = 1, by_libgcc = 2, by_automatic = 3, by_cfi = 4 };

constexpr std::size_t max_frames = 64;

struct captured {
    void* frames[max_frames];
    std::size_t depth;
    const void* saved_frame_pointer; // what the probe's frame record held as its caller's
    unsigned line_a, line_b, line_c; // lines of the calls in the chain
};

// Behaves like leakguard's operator new: takes its own return address and frame address and
// captures from there (main.cpp).
LEAKGUARD_STACKS_NOINLINE void probe(captured& out, int how, std::size_t max);
// Captures with a given first return address and frame (main.cpp).
LEAKGUARD_STACKS_NOINLINE void capture_at(const void* first, const void* frame, captured& out, int how,
                                          std::size_t max);

// a() -> b() -> c() -> probe(), built with frame pointers (chain_fp.cpp) and without
// (chain_nofp.cpp).
void chain_fp_a(captured& out, int how, std::size_t max);
void chain_nofp_a(captured& out, int how, std::size_t max);

// At -O0, where the standard library's templates keep their frames (site_o0.cpp): the stack of
// an object's constructor run by std::make_shared, and by std::vector growth.
void o0_make_shared(captured& out, int how, std::size_t max);
void o0_vector_growth(captured& out, int how, std::size_t max);

// Calls fn(arg) with the frame-pointer register set to `junk`, as code built without frame
// pointers may leave it (junk_rbp.cpp; x86-64 only, returns false elsewhere).
bool call_with_frame_register(void (*fn)(void*), void* arg, std::uintptr_t junk);

} // namespace stacks_test

#endif
