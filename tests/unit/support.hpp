// Helpers shared by the unit tests. None of them allocates through operator new: they run inside
// scopes, in failure handlers and between two stats() snapshots, where any allocation of their own
// would be counted and break the exact numbers the tests expect.
#ifndef LEAKGUARD_UNIT_SUPPORT_HPP
#define LEAKGUARD_UNIT_SUPPORT_HPP

#include <leakguard/leakguard.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <thread>

namespace unit {

// Makes a pointer escape, so that no optimiser may drop the allocation that produced it (the
// leakguard target's flags already forbid that; this keeps the tests honest without them).
// (An empty asm statement that claims to read p: free, and opaque to the optimiser.)
inline void use(const void* p) { __asm__ __volatile__("" : : "g"(p) : "memory"); }

// What the last failed scope handed to the failure handler, copied into plain static data.
struct recorded_failure {
    int calls;
    const char* name;
    const char* file;
    int line;
    std::size_t leaked_blocks;
    std::size_t leaked_bytes;
    std::size_t leaks_shown;
    const void* first_leak; // leaks[0].address
    const void* last_leak;  // leaks[leaks_shown - 1].address
    leakguard::scope_rule rule;
    leakguard::leak_kind first_loss; // leaks[0].loss
};

// Sets option `name` back to its default, as the options table (leakguard::option_at) gives it.
inline bool restore_option_default(const char* name) {
    leakguard::option_info info;
    for (std::size_t i = 0; leakguard::option_at(i, info); ++i)
        if (std::strcmp(info.name, name) == 0) return leakguard::set_option(name, info.default_value);
    return false;
}

// Zero-initialised at load time: no guard variable, no constructor.
inline recorded_failure& last_failure() {
    static recorded_failure record;
    return record;
}

inline void record_failure(const leakguard::scope_failure& f) {
    recorded_failure& r = last_failure();
    ++r.calls;
    r.name = f.name;
    r.file = f.file;
    r.line = f.line;
    r.leaked_blocks = f.leaked_blocks;
    r.leaked_bytes = f.leaked_bytes;
    r.leaks_shown = f.leaks_shown;
    r.first_leak = f.leaks_shown ? f.leaks[0].address : nullptr;
    r.last_leak = f.leaks_shown ? f.leaks[f.leaks_shown - 1].address : nullptr;
    r.rule = f.rule;
    r.first_loss = f.leaks_shown ? f.leaks[0].loss : leakguard::leak_kind::unchecked;
}

// For tests that make scopes fail on purpose: those failures must not reach the exit status.
// Forgets the recorded failures at the end, but only when there were none before the test, so an
// accidental failure in an earlier test still fails the run.
class failure_reset {
public:
    failure_reset() : before_(leakguard::scope_failures()) {}
    ~failure_reset() {
        if (before_ == 0) leakguard::reset_scope_failures();
    }
    failure_reset(const failure_reset&) = delete;
    failure_reset& operator=(const failure_reset&) = delete;

    // Scope failures recorded since this object was made.
    std::size_t new_failures() const { return leakguard::scope_failures() - before_; }

private:
    std::size_t before_;
};

// Installs record_failure (so deliberate failures print nothing) and clears last_failure(); at
// the end restores the previous handler and forgets the deliberate failures.
class failure_recorder : public failure_reset {
public:
    failure_recorder() : previous_(leakguard::set_scope_failure_handler(&record_failure)) {
        std::memset(&last_failure(), 0, sizeof(recorded_failure));
    }
    ~failure_recorder() { leakguard::set_scope_failure_handler(previous_); }

    int calls() const { return last_failure().calls; }
    const recorded_failure& last() const { return last_failure(); }

private:
    leakguard::scope_failure_handler previous_;
};

// A one-shot countdown latch for ordering threads (std::latch is C++20). Spins with yield: it must
// not allocate, since it runs between stats() snapshots.
class latch {
public:
    explicit latch(int count) : count_(count) {}
    void count_down() { count_.fetch_sub(1, std::memory_order_acq_rel); }
    void wait() const {
        while (count_.load(std::memory_order_acquire) > 0) std::this_thread::yield();
    }

private:
    std::atomic<int> count_;
};

// Live blocks the program made with new: every C allocation of the process is tracked too (the
// C and C++ runtimes' own buffers, a thread's bookkeeping in the C library), and counts taken with
// stats() move with them. Copies into static storage: no allocation of its own.
inline std::uint64_t program_live_blocks() {
    static leakguard::block_info all[1 << 16];
    std::size_t const n = leakguard::live_blocks(all, sizeof all / sizeof all[0]);
    std::uint64_t count = 0;
    for (std::size_t i = 0; i < n && i < sizeof all / sizeof all[0]; ++i)
        if (static_cast<unsigned>(all[i].kind) < static_cast<unsigned>(leakguard::block_kind::malloc)) ++count;
    return count;
}

} // namespace unit

#endif
