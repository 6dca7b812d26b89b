// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// heap/cookie_key.hpp: the per-process secret in every block's cookie (heap/block.hpp).
//
// Why a secret: a cookie that were a fixed function of the address could be matched by bytes that
// leakguard of this process never wrote - a copy of a header, memory another run of the program
// left in a file it maps again. Under glibc that does not matter (glibc's size word is in front
// of every foreign pointer, and it never looks like a cookie); under another allocator the bytes
// in front of a foreign pointer are whatever was there (core/heap_kind.hpp). With a key drawn
// from the kernel at start-up, only leakguard of this process writes a matching cookie, and other
// bytes match by chance alone: one in 2^31, and one in 2^47 with the thread/front pair that the
// ownership test checks under another allocator (libc/ownership.hpp).
//
// The key is an odd multiplier, so a cookie costs what the fixed hash did, but for one load. It
// starts as the fixed constant and is drawn once, before the first header is written (every
// first allocation goes through allocate_slow, which draws it): it never changes while a block
// exists. A forked child keeps it with its parent's blocks.
#ifndef LEAKGUARD_DETAIL_HEAP_COOKIE_KEY_HPP_INCLUDED
#define LEAKGUARD_DETAIL_HEAP_COOKIE_KEY_HPP_INCLUDED

#include <atomic>   // std::atomic
#include <cerrno>   // errno
#include <cstdint>  // std::uint64_t, std::uintptr_t
#include <ctime>    // clock_gettime
#include <unistd.h> // getpid, syscall
#if defined(__linux__)
#include <sys/syscall.h> // SYS_getrandom
#endif

#include "../config.hpp"

namespace leakguard {
namespace detail {

constexpr std::uint64_t cookie_key_initial = 0x9E3779B97F4A7C15ull; // the golden ratio: the fixed hash

std::atomic<std::uint64_t> g_cookie_key{cookie_key_initial};

inline std::uint64_t cookie_key() noexcept { return g_cookie_key.load(std::memory_order_relaxed); }

// splitmix64's finaliser: spreads every input bit over the whole word.
inline std::uint64_t mix64(std::uint64_t x) noexcept {
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ull;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// 64 bits from the kernel (getrandom, never blocking); where that fails, the time, the process id
// and the stack's (randomised) address: enough to differ between runs. errno is left as it was
// (the first malloc of the process draws this).
inline std::uint64_t draw_cookie_key() noexcept {
    int const saved = errno;
    std::uint64_t k = 0;
#if defined(__linux__) && defined(SYS_getrandom)
    if (::syscall(SYS_getrandom, &k, sizeof k, 1 /* GRND_NONBLOCK */) != static_cast<long>(sizeof k)) k = 0;
#endif
    if (k == 0) {
        timespec now{};
        ::clock_gettime(CLOCK_MONOTONIC, &now);
        k = static_cast<std::uint64_t>(now.tv_nsec) ^ static_cast<std::uint64_t>(now.tv_sec) << 30 ^
            static_cast<std::uint64_t>(::getpid()) << 20 ^ reinterpret_cast<std::uintptr_t>(&now);
    }
    errno = saved;
    k = mix64(k) | 1u; // odd: multiplying by it loses no address bit
    return k == cookie_key_initial ? k + 2 : k;
}

LEAKGUARD_DETAIL_NOINLINE inline void set_cookie_key() noexcept {
    std::uint64_t expected = cookie_key_initial;
    // Another thread may draw at the same time: the first to store wins, both use its key.
    g_cookie_key.compare_exchange_strong(expected, draw_cookie_key(), std::memory_order_acq_rel,
                                         std::memory_order_acquire);
}

// Before a thread writes its first header.
LEAKGUARD_DETAIL_ALWAYS_INLINE void ensure_cookie_key() noexcept {
    if (LEAKGUARD_DETAIL_UNLIKELY(g_cookie_key.load(std::memory_order_acquire) == cookie_key_initial)) set_cookie_key();
}

} // namespace detail
} // namespace leakguard

#endif
