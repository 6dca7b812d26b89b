// Tests of the call-stack parts: capture (frame-pointer walk and libgcc), interning,
// naming and site choice. This is the LEAKGUARD_MAIN unit: it alone includes the implementation
// headers, and the other units reach them through support.hpp. The binary runs under leakguard:
// it must end without leaks (the stack table's memory is mmap'd, not tracked).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#define LEAKGUARD_MAIN
#include <leakguard/leakguard.hpp>

#include <leakguard/detail/capture/stack_capture.hpp>
#include <leakguard/detail/symbolize/site_rules.hpp>
#include <leakguard/detail/capture/stack_table.hpp>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <link.h>
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <exception>
#include <cstring>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "support.hpp"

namespace lgd = leakguard::detail;

namespace stacks_test {

lgd::unwinder to_unwinder(int how) {
    switch (how) {
    case by_frame_pointer: return lgd::unwinder::frame_pointer;
    case by_libgcc: return lgd::unwinder::libgcc;
    case by_automatic: return lgd::unwinder::automatic;
    case by_cfi: return lgd::unwinder::cfi;
    default: return lgd::unwinder::none;
    }
}

void capture_at(const void* first, const void* frame, captured& out, int how, std::size_t max) {
    if (max > max_frames) max = max_frames;
    out.saved_frame_pointer = frame ? *static_cast<void* const*>(frame) : nullptr;
    out.depth = lgd::capture_stack(first, frame, out.frames, max, to_unwinder(how));
    LEAKGUARD_STACKS_NO_TAIL_CALL();
}

void probe(captured& out, int how, std::size_t max) {
    capture_at(__builtin_return_address(0), __builtin_frame_address(0), out, how, max);
    LEAKGUARD_STACKS_NO_TAIL_CALL();
}

} // namespace stacks_test

using namespace stacks_test;

namespace {

// The symbolizer keeps the tables it reads (lines, inlined calls) for the rest of the run, in
// memory it grows with realloc - which the LEAKGUARD_MAIN unit defines, tracking every C
// allocation. leakguard names frames only while busy (in its report, its error and scope
// messages), where such memory is leakguard's own and never a tracked block; these tests call the
// symbolizer directly, so they do so while busy too. (Outside, its tables would be tracked blocks
// that only leakguard's state points to, never a root: "definitely lost" at exit.)
std::size_t site_of(void* const* frames, std::size_t depth, lgd::symbol_info& site) {
    lgd::busy_section busy;
    return lgd::find_site(frames, depth, site);
}

// Names a stack with raw memory (a symbol_info is 1.5 KiB).
struct named_stack {
    lgd::symbol_info* frames;
    std::size_t depth;
    named_stack(void* const* f, std::size_t n)
        : frames(static_cast<lgd::symbol_info*>(std::malloc(sizeof(lgd::symbol_info) * (n ? n : 1)))), depth(n) {
        lgd::busy_section busy; // see site_of
        lgd::symbolize_stack(f, n, frames);
    }
    explicit named_stack(const captured& c) : named_stack(c.frames, c.depth) {}
    ~named_stack() { std::free(frames); }
    named_stack(const named_stack&) = delete;
    named_stack& operator=(const named_stack&) = delete;

    // Whether frame i is in `function` (qualified name prefix) at base name `file`, line `line`.
    bool is(std::size_t i, const char* function, const char* file, unsigned line) const {
        if (i >= depth) return false;
        const lgd::symbol_info& s = frames[i];
        return lgd::starts_with(lgd::qualified_name(s.function), function) &&
               std::strcmp(lgd::base_name(s.file), file) == 0 && s.line == line;
    }
    std::string describe() const {
        std::string out;
        for (std::size_t i = 0; i < depth; ++i) {
            out += "  #" + std::to_string(i) + " " + (frames[i].function[0] ? frames[i].function : "?") + " " +
                   lgd::base_name(frames[i].file) + ":" + std::to_string(frames[i].line) + " (" +
                   lgd::base_name(frames[i].module) + ")\n";
        }
        return out;
    }
};

captured fresh() {
    captured c;
    std::memset(&c, 0, sizeof c);
    return c;
}

void check_chain(const captured& c, const char* prefix) {
    named_stack s(c);
    INFO(s.describe());
    std::string const a = std::string("stacks_test::") + prefix + "a";
    std::string const b = std::string("stacks_test::") + prefix + "b";
    std::string const cc = std::string("stacks_test::") + prefix + "c";
    REQUIRE(c.depth >= 3);
    CHECK(s.is(0, cc.c_str(), "chain_impl.hpp", c.line_c));
    CHECK(s.is(1, b.c_str(), "chain_impl.hpp", c.line_b));
    CHECK(s.is(2, a.c_str(), "chain_impl.hpp", c.line_a));
}

} // namespace

TEST_CASE("libgcc: the chain a -> b -> c is named in order with the lines of the calls") {
    for (int fp = 0; fp < 2; ++fp) {
        captured c = fresh();
        if (fp) chain_fp_a(c, by_libgcc, 16);
        else chain_nofp_a(c, by_libgcc, 16);
        CAPTURE(fp);
        check_chain(c, fp ? "chain_fp_" : "chain_nofp_");
        CHECK(c.depth > 3); // and on to the test runner
    }
}

TEST_CASE("frame pointers: the chain a -> b -> c through code built with -fno-omit-frame-pointer") {
    captured c = fresh();
    chain_fp_a(c, by_frame_pointer, 16);
    check_chain(c, "chain_fp_");
}

TEST_CASE("frame pointers: code built without them yields at least the first frame, never a crash") {
    captured c = fresh();
    chain_nofp_a(c, by_frame_pointer, 16);
    named_stack s(c);
    MESSAGE("frame-pointer walk through -fomit-frame-pointer code (depth " << c.depth << "):\n" << s.describe());
    REQUIRE(c.depth >= 1);
    CHECK(s.is(0, "stacks_test::chain_nofp_c", "chain_impl.hpp", c.line_c));
}

TEST_CASE("the depth limit is kept, and depth 1 is the first frame alone") {
    for (int how = by_none; how <= by_libgcc; ++how) {
        for (std::size_t max = 0; max <= 3; ++max) {
            captured c = fresh();
            chain_fp_a(c, how, max);
            CAPTURE(how);
            CAPTURE(max);
            if (how == by_none) CHECK(c.depth == (max ? 1u : 0u));
            else CHECK(c.depth == max);
        }
        captured one = fresh(), deep = fresh();
        chain_fp_a(one, how, 1);
        chain_fp_a(deep, how, 8);
        CHECK(one.frames[0] == deep.frames[0]);
    }
}

TEST_CASE("frame pointers and libgcc agree where every frame has a frame pointer") {
    captured f = fresh(), g = fresh();
    chain_fp_a(f, by_frame_pointer, 3);
    chain_fp_a(g, by_libgcc, 3);
    REQUIRE(f.depth == 3);
    REQUIRE(g.depth == 3);
    for (int i = 0; i < 3; ++i) CHECK(f.frames[i] == g.frames[i]);
}

TEST_CASE("capture works in other threads, each with its own stack bounds") {
    captured f = fresh(), g = fresh();
    std::thread t([&] {
        chain_fp_a(f, by_frame_pointer, 16);
        chain_nofp_a(g, by_libgcc, 16);
    });
    t.join();
    check_chain(f, "chain_fp_");
    check_chain(g, "chain_nofp_");
}

// --- the frame-pointer walk against junk -------------------------------------------------------

namespace {

LEAKGUARD_STACKS_NOINLINE std::size_t walk_from(void* const* record, void** out, std::size_t max) {
    // record[1] must be `first` for the walk to take the record as the operator's.
    return lgd::capture_stack(record[1], record, out, max, lgd::unwinder::frame_pointer);
}

void* fake_ra(std::uintptr_t n) { return reinterpret_cast<void*>(0x100000 + n * 16); }

} // namespace

TEST_CASE("frame pointers: a junk chain is never followed outside the stack") {
    void* out[64];
    const lgd::stack_bounds* b = lgd::thread_stack_bounds();
    REQUIRE(b != nullptr);
    void* const first = fake_ra(0);

    void** heap = static_cast<void**>(std::malloc(4 * sizeof(void*)));
    heap[0] = nullptr;
    heap[1] = fake_ra(99);
    heap[2] = heap;
    heap[3] = fake_ra(98);

    alignas(16) void* chain[40];
    std::uintptr_t const top = b->hi;
    std::uintptr_t const junk[] = {
        0, 1, 8, 0xdead0000u, ~std::uintptr_t(0), ~std::uintptr_t(0) - 15,
        reinterpret_cast<std::uintptr_t>(heap),          // not on the stack
        reinterpret_cast<std::uintptr_t>(&chain[0]) + 4, // misaligned
        top - 8,                                          // record would cross the top
        top,                                              // at the top
        b->lo,                                            // below the walker
    };
    for (std::uintptr_t j : junk) {
        CAPTURE(j);
        chain[0] = reinterpret_cast<void*>(j);
        chain[1] = first;
        std::size_t const n = walk_from(chain, out, 64);
        CHECK(n == 1);
        CHECK(out[0] == first);
    }

    // A crafted chain in this frame: up two records, then back down (a cycle): the walk takes
    // the two and stops at the first link that does not go up.
    chain[0] = &chain[4];
    chain[1] = first;
    chain[4] = &chain[8];
    chain[5] = fake_ra(1);
    chain[8] = &chain[4];
    chain[9] = fake_ra(2);
    std::size_t n = walk_from(chain, out, 64);
    REQUIRE(n == 3);
    CHECK(out[1] == fake_ra(1));
    CHECK(out[2] == fake_ra(2));

    // A link from the stack into the heap ends the walk there.
    chain[8] = heap;
    CHECK(walk_from(chain, out, 64) == 3);

    // A long chain is cut at max; a null (or tiny) return address ends it.
    for (int i = 0; i < 19; ++i) {
        chain[2 * i] = &chain[2 * i + 2];
        chain[2 * i + 1] = i ? fake_ra(static_cast<std::uintptr_t>(i)) : first;
    }
    chain[38] = nullptr;
    chain[39] = fake_ra(19);
    CHECK(walk_from(chain, out, 8) == 8);
    CHECK(walk_from(chain, out, 64) == 20);
    chain[21] = reinterpret_cast<void*>(std::uintptr_t(16));
    CHECK(walk_from(chain, out, 64) == 10);
    std::free(heap);
}

TEST_CASE("frame pointers: random words on the stack are walked safely") {
    // Records of random words, some pointing back into the buffer, some anywhere: whatever the
    // walk returns, it must end, and every address after the first must come from the buffer.
    alignas(16) std::uintptr_t buffer[512];
    void* out[64];
    std::uint64_t state = 0x243F6A8885A308D3ull;
    auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    for (int round = 0; round < 2000; ++round) {
        for (std::uintptr_t& w : buffer) {
            std::uint64_t const r = next();
            switch (r % 4) {
            // Links stay inside the buffer (a record is two words, so none starts in the last
            // two): beyond it lie this test's callers' frames, whose words are not junk enough.
            case 0: w = reinterpret_cast<std::uintptr_t>(&buffer[(r >> 8) % 510]); break;
            case 1: w = reinterpret_cast<std::uintptr_t>(&buffer[0]) + (r >> 8) % (510 * 8); break; // misaligned too
            case 2: w = static_cast<std::uintptr_t>(r >> 16); break;
            default: w = 0x100000 + ((r >> 8) & 0xFFFF0); break;
            }
        }
        std::size_t const start = (next() % 256) & ~std::size_t(1);
        buffer[start + 1] = 0x100000;
        std::size_t const n =
            walk_from(reinterpret_cast<void* const*>(&buffer[start]), out, static_cast<std::size_t>(next() % 64 + 1));
        REQUIRE(n >= 1);
        for (std::size_t i = 1; i < n; ++i) {
            bool from_buffer = false;
            for (std::uintptr_t w : buffer) from_buffer = from_buffer || reinterpret_cast<std::uintptr_t>(out[i]) == w;
            CHECK(from_buffer);
        }
    }
}

namespace {

struct junk_call {
    captured* out;
};

LEAKGUARD_STACKS_NOINLINE void junk_target(void* arg) {
    probe(*static_cast<junk_call*>(arg)->out, by_frame_pointer, 16);
    LEAKGUARD_STACKS_NO_TAIL_CALL();
}

} // namespace

TEST_CASE("frame pointers: junk in the frame-pointer register at the operator's entry") {
    const lgd::stack_bounds* b = lgd::thread_stack_bounds();
    REQUIRE(b != nullptr);
    void** heap = static_cast<void**>(std::malloc(2 * sizeof(void*)));
    heap[0] = nullptr;
    heap[1] = fake_ra(7);
    std::uintptr_t const junk[] = {0, 42, 0xdead0000u, reinterpret_cast<std::uintptr_t>(heap), b->hi - 8, b->lo + 8};
    for (std::uintptr_t j : junk) {
        captured c = fresh();
        junk_call call = {&c};
        if (!call_with_frame_register(junk_target, &call, j)) {
            MESSAGE("not x86-64: skipped");
            break;
        }
        CAPTURE(j);
        // What the probe's record saved is the register as the asm left it, unless the
        // compiler had junk_target use the register itself.
        if (c.saved_frame_pointer != reinterpret_cast<void*>(j)) MESSAGE("junk_target changed the register");
        CHECK(c.depth == 1);
    }
    std::free(heap);
}

namespace {

captured g_signal_capture;
captured g_signal_capture_libgcc;
captured g_signal_capture_cfi;

void on_signal(int) {
    probe(g_signal_capture, by_frame_pointer, 16);
    probe(g_signal_capture_libgcc, by_libgcc, 16);
    probe(g_signal_capture_cfi, by_cfi, 16);
}

} // namespace

TEST_CASE("frame pointers: on an alternate signal stack the walk reads nothing") {
    REQUIRE(lgd::thread_stack_bounds() != nullptr); // the bounds are known before the signal
    std::size_t const size = 64 * 1024;
    void* mem = std::malloc(size);
    stack_t ss, old;
    std::memset(&ss, 0, sizeof ss);
    ss.ss_sp = mem;
    ss.ss_size = size;
    REQUIRE(sigaltstack(&ss, &old) == 0);
    struct sigaction sa, old_sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    REQUIRE(sigaction(SIGUSR1, &sa, &old_sa) == 0);
    g_signal_capture = fresh();
    g_signal_capture_libgcc = fresh();
    g_signal_capture_cfi = fresh();
    raise(SIGUSR1);
    sigaction(SIGUSR1, &old_sa, nullptr);
    sigaltstack(&old, nullptr);
    std::free(mem);
    CHECK(g_signal_capture.depth == 1);
    CHECK(g_signal_capture_cfi.depth == 1);
    CHECK(g_signal_capture_libgcc.depth > 2); // libgcc unwinds through the signal frame
}

// --- the CFI walk (capture/cfi_unwind.hpp) -----------------------------------------------------

#if LEAKGUARD_DETAIL_HAVE_CFI_WALK
namespace {

// Runs the chain without frame pointers once per method, from one call site (the asm keeps the
// loop from being unrolled into two), so that every frame of the captures should be the same.
LEAKGUARD_STACKS_NOINLINE void chain_nofp_each(captured* out, const int* how, int n) {
    for (int i = 0; i < n; ++i) {
        chain_nofp_a(out[i], how[i], max_frames);
        __asm__ volatile("" : "+r"(i)::"memory");
    }
}

std::uint64_t rules_computed() { return lgd::g_step_cache.misses.load(); }

} // namespace
#endif

TEST_CASE("cfi: a chain built without frame pointers, with the same return addresses as libgcc") {
#if LEAKGUARD_DETAIL_HAVE_CFI_WALK
    for (int how : {by_cfi, by_automatic}) {
        CAPTURE(how);
        captured c[2] = {fresh(), fresh()};
        int const hows[2] = {how, by_libgcc};
        chain_nofp_each(c, hows, 2);
        check_chain(c[0], "chain_nofp_");
        named_stack walked(c[0]), unwound(c[1]);
        INFO("cfi:\n" << walked.describe() << "libgcc:\n" << unwound.describe());
        // Through doctest and the C library's start-up code (none of it with frame pointers)
        // down to _start, whose return address the tables say is undefined.
        CHECK(c[0].depth > 8);
        REQUIRE(c[0].depth == c[1].depth);
        for (std::size_t i = 0; i < c[0].depth; ++i) CHECK(c[0].frames[i] == c[1].frames[i]);
    }
#else
    MESSAGE("no CFI walk on this platform: skipped");
#endif
}

TEST_CASE("cfi: another thread's stack, walked to the thread's start") {
#if LEAKGUARD_DETAIL_HAVE_CFI_WALK
    captured c[2] = {fresh(), fresh()};
    std::thread t([&] {
        int const hows[2] = {by_cfi, by_libgcc};
        chain_nofp_each(c, hows, 2);
    });
    t.join();
    check_chain(c[0], "chain_nofp_");
    REQUIRE(c[0].depth == c[1].depth);
    for (std::size_t i = 0; i < c[0].depth; ++i) CHECK(c[0].frames[i] == c[1].frames[i]);
#else
    MESSAGE("no CFI walk on this platform: skipped");
#endif
}

#if LEAKGUARD_DETAIL_HAVE_CFI_WALK
namespace {

// Runs the chain n times by the CFI walk from one call site; the rules are forgotten before round
// `forget_before`. computed[i] is the count of rules computed before round i (and at the end).
LEAKGUARD_STACKS_NOINLINE void chain_nofp_rounds(captured* out, std::uint64_t* computed, int n, int forget_before) {
    for (int i = 0; i < n; ++i) {
        if (i == forget_before) lgd::forget_step_rules();
        computed[i] = rules_computed();
        chain_nofp_a(out[i], by_cfi, max_frames);
        __asm__ volatile("" : "+r"(i)::"memory");
    }
    computed[n] = rules_computed();
}

} // namespace
#endif

TEST_CASE("cfi: each return address's rule is computed once, and again after the rules are forgotten") {
#if LEAKGUARD_DETAIL_HAVE_CFI_WALK
    captured c[3] = {fresh(), fresh(), fresh()};
    std::uint64_t computed[4];
    std::uint32_t const generation = lgd::step_cache_generation();
    chain_nofp_rounds(c, computed, 3, 2);
    CHECK(lgd::step_cache_generation() == generation + 1);
    CHECK(computed[2] == computed[1]);                // round 1: every rule came from the cache
    CHECK(computed[3] >= computed[2] + c[2].depth - 1); // round 2: all again (the first frame is given)
    REQUIRE(c[0].depth > 3);
    for (int round = 1; round < 3; ++round) {
        REQUIRE(c[round].depth == c[0].depth);
        for (std::size_t i = 0; i < c[0].depth; ++i) CHECK(c[round].frames[i] == c[0].frames[i]);
    }
#else
    MESSAGE("no CFI walk on this platform: skipped");
#endif
}

TEST_CASE("cfi: dlclose forgets the rules (a module may be mapped where the closed one was)") {
#if LEAKGUARD_DETAIL_HAVE_CFI_WALK && LEAKGUARD_DETAIL_INTERPOSE
    std::uint32_t const generation = lgd::step_cache_generation();
    void* const handle = dlopen("libm.so.6", RTLD_NOW);
    REQUIRE(handle != nullptr);
    CHECK(dlclose(handle) == 0);
    CHECK(lgd::step_cache_generation() == generation + 2); // before and after the C library's
#else
    MESSAGE("dlclose is not interposed in this build: skipped");
#endif
}

#if LEAKGUARD_DETAIL_HAVE_CFI_WALK
namespace {

// The CFI walk from `frame` with the stack's top at `hi` (a buffer of this frame's caller).
LEAKGUARD_STACKS_NOINLINE std::size_t walk_junk(const void* first, const void* frame, void** out, std::size_t max,
                                                std::uintptr_t hi) {
    const lgd::stack_bounds* b = lgd::thread_stack_bounds();
    REQUIRE(b != nullptr);
    std::size_t const n = lgd::walk_cfi(first, frame, out, max, b->lo, hi, 0, 0, nullptr);
    LEAKGUARD_STACKS_NO_TAIL_CALL();
    return n;
}

} // namespace
#endif

TEST_CASE("cfi: junk return addresses and stack words end the walk, never crash it") {
#if LEAKGUARD_DETAIL_HAVE_CFI_WALK
    // Words of a fake stack: pointers into the buffer, small numbers, and addresses inside real
    // functions of this program, the C library and libstdc++ (whose rules then read the buffer).
    std::uintptr_t const code[] = {reinterpret_cast<std::uintptr_t>(&chain_nofp_a),
                                   reinterpret_cast<std::uintptr_t>(&std::puts),
                                   reinterpret_cast<std::uintptr_t>(&std::qsort),
                                   reinterpret_cast<std::uintptr_t>(&std::terminate)};
    alignas(16) std::uintptr_t buffer[512];
    std::uint64_t state = 0x243F6A8885A308D3ull;
    auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    std::size_t longest = 0;
    for (int round = 0; round < 3000; ++round) {
        for (std::uintptr_t& w : buffer) {
            std::uint64_t const r = next();
            switch (r % 4) {
            case 0: w = reinterpret_cast<std::uintptr_t>(&buffer[(r >> 8) % 510]); break;
            case 1: w = code[(r >> 8) % 4] + (r >> 16) % 512; break;
            case 2: w = static_cast<std::uintptr_t>(r >> 16); break;
            default: w = reinterpret_cast<std::uintptr_t>(&buffer[0]) + (r >> 8) % (510 * 8); break;
            }
        }
        std::size_t const start = (next() % 256) & ~std::size_t(1);
        std::uintptr_t const first = code[next() % 4] + next() % 512;
        buffer[start + 1] = first;
        // The walk is told the stack ends with the buffer, so that whatever the rules make of
        // the junk every read stays among these words (under valgrind: none undefined).
        void* out[64];
        std::size_t const n = walk_junk(reinterpret_cast<const void*>(first), &buffer[start], out,
                                        static_cast<std::size_t>(next() % 64 + 1),
                                        reinterpret_cast<std::uintptr_t>(&buffer[512]));
        REQUIRE(n >= 1);
        CHECK(out[0] == reinterpret_cast<void*>(first));
        if (n > longest) longest = n;
    }
    MESSAGE("longest walk through junk: " << longest);
#else
    MESSAGE("no CFI walk on this platform: skipped");
#endif
}

// --- interning ------------------------------------------------------------------------------------

namespace {

void make_stack(void** f, std::size_t depth, std::uintptr_t seed) {
    for (std::size_t i = 0; i < depth; ++i) f[i] = fake_ra(seed * 64 + i);
}

} // namespace

TEST_CASE("interning: the same stack gives the same record, another stack another") {
    void* frames[16];
    make_stack(frames, 16, 1);
    const lgd::stack_record* r1 = lgd::intern_stack(frames, 16);
    const lgd::stack_record* r2 = lgd::intern_stack(frames, 16);
    REQUIRE(r1 != nullptr);
    CHECK(r1 == r2);
    CHECK(r1->depth == 16);
    for (int i = 0; i < 16; ++i) CHECK(r1->frames()[i] == frames[i]);
    CHECK(lgd::intern_stack(frames, 15) != r1); // a prefix is another stack
    frames[15] = fake_ra(1000);
    CHECK(lgd::intern_stack(frames, 16) != r1); // so is one differing in the last frame
    CHECK(lgd::intern_stack(frames, 0) == nullptr);

    // A real capture, twice from the same place: one record. (Only c, b, a: the compiler may
    // unroll this loop, and then the two calls to a() return to different places.)
    const lgd::stack_record* seen[2];
    for (int i = 0; i < 2; ++i) {
        captured c = fresh();
        chain_fp_a(c, by_libgcc, 3);
        seen[i] = lgd::intern_stack(c.frames, c.depth);
    }
    CHECK(seen[0] == seen[1]);
    CHECK(seen[0] != nullptr);
}

TEST_CASE("interning: stacks that share their innermost frames stay apart in the per-thread cache") {
    // Same two innermost frames, so the same slot of the thread's recent_stacks: each lookup must
    // still compare every frame and the depth, not trust the slot.
    void* a[12];
    void* b[12];
    make_stack(a, 12, 7);
    make_stack(b, 12, 7);
    b[11] = fake_ra(5000);
    const lgd::stack_record* ra = lgd::intern_stack(a, 12);
    const lgd::stack_record* rb = lgd::intern_stack(b, 12);
    const lgd::stack_record* rshort = lgd::intern_stack(a, 11);
    REQUIRE(ra != nullptr);
    REQUIRE(rb != nullptr);
    REQUIRE(rshort != nullptr);
    CHECK(ra != rb);
    CHECK(rshort != ra);
    for (int round = 0; round < 3; ++round) { // each evicts the other from the slot, back and forth
        CHECK(lgd::intern_stack(a, 12) == ra);
        CHECK(lgd::intern_stack(a, 12) == ra);
        CHECK(lgd::intern_stack(b, 12) == rb);
        CHECK(lgd::intern_stack(a, 11) == rshort);
    }
    // A copy of the frames (another array, the same values) is the same stack.
    void* copy[12];
    for (int i = 0; i < 12; ++i) copy[i] = a[i];
    CHECK(lgd::intern_stack(copy, 12) == ra);
}

TEST_CASE("interning: every record is found by iteration") {
    lgd::stack_table t{};
    void* frames[8];
    for (std::uintptr_t i = 0; i < 1000; ++i) {
        make_stack(frames, 1 + i % 8, i);
        REQUIRE(t.intern(frames, 1 + i % 8) != nullptr);
    }
    CHECK(t.size() == 1000);
    std::size_t seen = 0, frames_seen = 0;
    t.for_each([&](const lgd::stack_record& r) {
        ++seen;
        frames_seen += r.depth;
    });
    CHECK(seen == 1000);
    std::size_t expected_frames = 0;
    for (std::size_t i = 0; i < 1000; ++i) expected_frames += 1 + i % 8;
    CHECK(frames_seen == expected_frames);
    t.release();
}

// A recursion through one of two functions at each level makes stacks of the same two return
// addresses in every order: each order must hash apart (a sum of products linear in the frames
// gave 4,096 such stacks a few dozen hashes, and interning 100,000 of them took seconds).
TEST_CASE("interning: stacks that differ only in the order of the same frames get distinct hashes") {
    lgd::stack_table t{};
    void* frames[14];
    std::uintptr_t const a = 0x55d0c0de1123, b = 0x55d0c0de11a7;
    for (unsigned bits = 0; bits < 4096; ++bits) {
        frames[0] = reinterpret_cast<void*>(std::uintptr_t(0x55d0c0de1010));
        for (unsigned d = 0; d < 12; ++d) frames[1 + d] = reinterpret_cast<void*>((bits >> d) & 1u ? a : b);
        frames[13] = reinterpret_cast<void*>(std::uintptr_t(0x7f0012345678));
        REQUIRE(t.intern(frames, 14) != nullptr);
    }
    std::vector<std::uint64_t> hashes;
    std::vector<std::uint64_t> buckets;
    t.for_each([&](const lgd::stack_record& r) {
        hashes.push_back(r.hash);
        buckets.push_back(r.hash >> 48); // the default table: 2^16 buckets, by the top bits
    });
    REQUIRE(hashes.size() == 4096);
    std::sort(hashes.begin(), hashes.end());
    std::sort(buckets.begin(), buckets.end());
    CHECK(std::unique(hashes.begin(), hashes.end()) == hashes.end());
    // 4,096 keys in 65,536 buckets: about 3,970 distinct buckets if the hash spreads them.
    CHECK(std::unique(buckets.begin(), buckets.end()) - buckets.begin() > 3800);
    t.release();
}

TEST_CASE("interning: two threads interning overlapping stacks agree on every record") {
    for (unsigned log2 : {2u, 16u}) { // 4 buckets: long chains and many lost races; 65536: few
        lgd::stack_table t{};
        t.log2_buckets = log2;
        std::size_t const n = 5000;
        std::vector<const lgd::stack_record*> got[2];
        got[0].resize(n);
        got[1].resize(n);
        std::atomic<int> ready{0};
        auto work = [&](int who) {
            ready.fetch_add(1);
            while (ready.load() < 2) {
            }
            void* frames[6];
            for (std::size_t k = 0; k < n; ++k) {
                std::size_t const i = who ? n - 1 - k : k; // opposite orders: they meet in the middle
                make_stack(frames, 6, i);
                got[who][i] = t.intern(frames, 6);
            }
        };
        std::thread other(work, 1);
        work(0);
        other.join();
        CAPTURE(log2);
        bool all_same = true;
        for (std::size_t i = 0; i < n; ++i) all_same = all_same && got[0][i] && got[0][i] == got[1][i];
        CHECK(all_same);
        CHECK(t.size() == n);
        t.release();
    }
}

TEST_CASE("interning: a spent budget refuses new stacks but still finds known ones") {
    lgd::stack_table t{};
    t.budget_bytes = 2u << 20; // the bucket array (512 KiB) and one 1 MiB chunk
    void* frames[8];
    std::size_t made = 0;
    for (std::uintptr_t i = 0; i < 20000; ++i) {
        make_stack(frames, 8, i);
        if (t.intern(frames, 8)) ++made;
    }
    CHECK(made > 10000);
    CHECK(made < 20000);
    CHECK(t.dropped() == 20000 - made);
    CHECK(t.mapped_bytes() <= t.budget_bytes);
    make_stack(frames, 8, 0);
    CHECK(t.intern(frames, 8) != nullptr);
    t.release();
}

TEST_CASE("fork: a child interns and captures while the parent's other thread was doing so") {
    std::atomic<bool> stop{false};
    std::thread busy([&] {
        void* frames[8];
        std::uintptr_t i = 100000;
        while (!stop.load(std::memory_order_relaxed)) {
            make_stack(frames, 8, i++ % 200000);
            lgd::intern_stack(frames, 8);
            captured c = fresh();
            chain_nofp_a(c, by_libgcc, 16);
        }
    });
    int failures = 0;
    for (int round = 0; round < 20; ++round) {
        pid_t const pid = fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            alarm(10); // a deadlock ends the child by SIGALRM, and the check below fails
            void* frames[8];
            make_stack(frames, 8, 7777);
            const lgd::stack_record* a = lgd::intern_stack(frames, 8);
            const lgd::stack_record* b = lgd::intern_stack(frames, 8);
            captured c = fresh();
            chain_fp_a(c, by_libgcc, 16);
            captured d = fresh();
            chain_fp_a(d, by_frame_pointer, 16);
            bool const ok = a && a == b && c.depth > 3 && d.depth >= 3 && c.frames[2] == d.frames[2];
            _exit(ok ? 0 : 1); // no exit report in the child
        }
        int status = 0;
        waitpid(pid, &status, 0);
        if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) ++failures;
    }
    stop.store(true);
    busy.join();
    CHECK(failures == 0);
}

// --- naming and the site --------------------------------------------------------------------------

TEST_CASE("qualified_name skips a template function's return type") {
    struct {
        const char* demangled;
        const char* name;
    } const cases[] = {
        {"std::shared_ptr<std::enable_if<!std::is_array<P>::value, P>::type> std::make_shared<P>()",
         "std::make_shared<P>()"},
        {"void std::vector<int, std::allocator<int> >::_M_realloc_insert<int>(__gnu_cxx::__normal_iterator<int*, "
         "std::vector<int, std::allocator<int> > >, int&&)",
         "std::vector<int, std::allocator<int> >::_M_realloc_insert<int>("},
        {"std::_Rb_tree_node<std::pair<int const, int> >* std::_Rb_tree<int, std::pair<int const, int>, "
         "std::_Select1st<std::pair<int const, int> >, std::less<int>, std::allocator<std::pair<int const, int> > "
         ">::_M_create_node<std::piecewise_construct_t const&>(std::piecewise_construct_t const&)",
         "std::_Rb_tree<int,"},
        {"operator new(unsigned long)", "operator new("},
        {"std::vector<int, std::allocator<int> >::operator=(std::vector<int, std::allocator<int> > const&)",
         "std::vector<int,"},
        {"std::basic_ostream<char, std::char_traits<char> >& std::operator<< <std::char_traits<char> "
         ">(std::basic_ostream<char, std::char_traits<char> >&, char const*)",
         "std::operator<< <"},
        {"(anonymous namespace)::helper(int)", "(anonymous namespace)::helper(int)"},
        {"unsigned long (anonymous namespace)::count<int>(int)", "(anonymous namespace)::count<int>(int)"},
        {"decltype ({parm#1}.begin()) std::begin<std::vector<int> >(std::vector<int>&)", "std::begin<"},
        {"main", "main"},
        {"foo(int) [clone .cold]", "foo(int) [clone .cold]"},
        {"app::make()::{lambda(int)#1}::operator()(int) const", "app::make()::{lambda"},
        {"", ""},
    };
    for (const auto& c : cases) {
        CAPTURE(c.demangled);
        CHECK(lgd::starts_with(lgd::qualified_name(c.demangled), c.name));
    }
}

TEST_CASE("site rules on the standard library's allocation frames (names as GCC 12 -O0 emits them)") {
    const char* const wrappers[] = {
        "operator new(unsigned long)",
        "operator new[](unsigned long)",
        "leakguard::detail::allocate(unsigned long, unsigned long, leakguard::block_kind, void const*, unsigned int)",
        "std::__new_allocator<int>::allocate(unsigned long, void const*)",
        "__gnu_cxx::new_allocator<int>::allocate(unsigned long, void const*)",
        "std::allocator_traits<std::allocator<int> >::allocate(std::allocator<int>&, unsigned long)",
        "std::_Vector_base<int, std::allocator<int> >::_M_allocate(unsigned long)",
        "std::_Rb_tree<int, std::pair<int const, int>, std::_Select1st<std::pair<int const, int> >, std::less<int>, "
        "std::allocator<std::pair<int const, int> > >::_M_get_node()",
        "std::__detail::_Hash_node<std::pair<int const, int>, false>* "
        "std::__detail::_Hashtable_alloc<std::allocator<std::__detail::_Hash_node<std::pair<int const, int>, false> > "
        ">::_M_allocate_node<std::piecewise_construct_t const&>(std::piecewise_construct_t const&)",
        "std::_Sp_counted_ptr_inplace<P, std::allocator<void>, (__gnu_cxx::_Lock_policy)2>::_Sp_counted_ptr_inplace<>("
        "std::allocator<void>)",
        "std::__shared_count<(__gnu_cxx::_Lock_policy)2>::__shared_count<P, std::allocator<void>>(P*&, "
        "std::_Sp_alloc_shared_tag<std::allocator<void> >)",
        "std::shared_ptr<std::enable_if<!std::is_array<P>::value, P>::type> std::make_shared<P>()",
        "std::shared_ptr<P> std::allocate_shared<P, std::allocator<P>>(std::allocator<P> const&)",
    };
    for (const char* f : wrappers) {
        CAPTURE(f);
        CHECK(lgd::is_library_frame(f, "/usr/bin/app", lgd::site_rule::allocation_wrappers));
        CHECK(lgd::is_library_frame(f, "/usr/bin/app", lgd::site_rule::standard_library));
    }
    const char* const std_not_wrappers[] = {
        "void std::vector<int, std::allocator<int> >::_M_realloc_insert<int>(__gnu_cxx::__normal_iterator<int*, "
        "std::vector<int, std::allocator<int> > >, int&&)",
        "std::vector<int, std::allocator<int> >::push_back(int&&)",
        "std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >::_M_create(unsigned long&, "
        "unsigned long)",
    };
    for (const char* f : std_not_wrappers) {
        CAPTURE(f);
        CHECK(!lgd::is_library_frame(f, "/usr/bin/app", lgd::site_rule::allocation_wrappers));
        CHECK(lgd::is_library_frame(f, "/usr/bin/app", lgd::site_rule::standard_library));
    }
    const char* const user[] = {
        "make_widgets()",
        "app::Pool::operator new(unsigned long)", // a class's own operator new is the user's code
        "stdx::thing()",
        "std_like_name()",
        "(anonymous namespace)::helper(int)",
        "std::unique_ptr<app::W, std::default_delete<app::W> > app::factory<app::W>()",
    };
    for (const char* f : user) {
        CAPTURE(f);
        CHECK(!lgd::is_library_frame(f, "/usr/bin/app", lgd::site_rule::allocation_wrappers));
        CHECK(!lgd::is_library_frame(f, "/usr/bin/app", lgd::site_rule::standard_library));
    }
    // No module: no code (a junk frame); no name in libstdc++: the runtime's own.
    CHECK(lgd::is_library_frame("make_widgets()", "", lgd::site_rule::standard_library));
    CHECK(lgd::is_library_frame("", "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", lgd::site_rule::standard_library));
    CHECK(!lgd::is_library_frame("", "/usr/bin/app", lgd::site_rule::standard_library));
}

TEST_CASE("site: std::make_shared at -O0 is attributed to the function that called it") {
    for (int how : {by_libgcc, by_frame_pointer}) {
        captured c = fresh();
        o0_make_shared(c, how, 32);
        named_stack s(c);
        INFO(s.describe());
        CAPTURE(how);
        REQUIRE(c.depth >= 3);
        // The first frames are the standard library's: the test stands on them.
        CHECK(lgd::starts_with(lgd::qualified_name(s.frames[0].function), "std::"));
        std::size_t const site = lgd::find_site(s.frames, s.depth, lgd::site_rule::standard_library);
        CHECK(site > 2);
        CHECK(s.is(site, "stacks_test::o0_make_shared", "site_o0.cpp", c.line_a));
        lgd::symbol_info one;
        CHECK(site_of(c.frames, c.depth, one) == site);
        CHECK(std::strcmp(one.function, s.frames[site].function) == 0);
        // The narrower rule from the frame above std::_Construct (which runs the constructor
        // and is no allocation wrapper: an operator new stack would not have it).
        REQUIRE(lgd::starts_with(lgd::qualified_name(s.frames[0].function), "std::_Construct<"));
        CHECK(lgd::find_site(s.frames + 1, s.depth - 1, lgd::site_rule::allocation_wrappers) + 1 == site);
    }
}

TEST_CASE("site: std::vector growth at -O0 is attributed to the function that grew it") {
    captured c = fresh();
    o0_vector_growth(c, by_libgcc, 32);
    named_stack s(c);
    INFO(s.describe());
    REQUIRE(c.depth >= 3);
    CHECK(lgd::starts_with(lgd::qualified_name(s.frames[0].function), "std::"));
    std::size_t const site = lgd::find_site(s.frames, s.depth, lgd::site_rule::standard_library);
    CHECK(s.is(site, "stacks_test::o0_vector_growth", "site_o0.cpp", c.line_a));
    // The narrower rule stops at the vector's own member that asked for the memory.
    std::size_t const wrapper_site = lgd::find_site(s.frames, s.depth, lgd::site_rule::allocation_wrappers);
    CHECK(wrapper_site < site);
    CHECK(lgd::starts_with(lgd::qualified_name(s.frames[wrapper_site].function), "std::vector<"));
}

TEST_CASE("site: a stack that is all library frames falls back to its first frame") {
    void* frames[2] = {fake_ra(1), fake_ra(2)}; // in no module: not code, so not a site
    lgd::symbol_info one;
    CHECK(site_of(frames, 1, one) == 0);
    CHECK(site_of(frames, 0, one) == 0);
}

namespace {

// A return address inside code inlined twice: its frames are the two inlined calls and the
// function they were inlined into (the frame cache keeps them; a room of 1 or 2 drops some).
LEAKGUARD_STACKS_NOINLINE const void* return_address_of_call() {
    const void* const r = __builtin_return_address(0);
    LEAKGUARD_STACKS_NO_TAIL_CALL();
    return r;
}
inline __attribute__((always_inline)) const void* inlined_inner() { return return_address_of_call(); }
inline __attribute__((always_inline)) const void* inlined_outer() { return inlined_inner(); }
LEAKGUARD_STACKS_NOINLINE const void* call_through_inlined_code() {
    const void* const r = inlined_outer();
    LEAKGUARD_STACKS_NO_TAIL_CALL();
    return r;
}

void check_same_frame(const lgd::symbol_info& a, const lgd::symbol_info& b) {
    CHECK(std::string(a.function) == b.function);
    CHECK(std::string(a.file) == b.file);
    CHECK(a.line == b.line);
    CHECK(std::string(a.module) == b.module);
    CHECK(a.offset == b.offset);
    CHECK(a.address == b.address);
    CHECK(a.inlined == b.inlined);
    CHECK(a.raw_name == b.raw_name);
    CHECK(a.no_debug_module == b.no_debug_module);
}

} // namespace

TEST_CASE("frame cache: a return address named again is named as the symbolizer names it, whatever the room") {
    const void* const address = call_through_inlined_code();
    lgd::busy_section busy; // see site_of
    static lgd::symbol_info fresh[lgd::max_inline_frames], kept[lgd::max_inline_frames];
    bool complete = false;
    REQUIRE(lgd::symbolize_frames_uncached(address, fresh, lgd::max_inline_frames, complete) == 3);
    CHECK(complete);
    CHECK(std::string(fresh[0].function).find("inlined_inner") != std::string::npos);
    CHECK(std::string(fresh[2].function).find("call_through_inlined_code") != std::string::npos);
    for (std::size_t room = 1; room <= 4; ++room) {
        CAPTURE(room);
        std::size_t const n = lgd::symbolize_frames_uncached(address, fresh, room, complete);
        CHECK(lgd::symbolize_frames(address, kept, room) == n); // named, or found, then
        CHECK(lgd::cached_frames(address, kept, room) == n);    // found
        for (std::size_t i = 0; i < n; ++i) check_same_frame(fresh[i], kept[i]);
    }
    lgd::symbolize_uncached(address, fresh[0]);
    lgd::symbolize(address, kept[0]);
    check_same_frame(fresh[0], kept[0]);
    REQUIRE(lgd::cached_symbol(address, kept[0]));
    check_same_frame(fresh[0], kept[0]);
}

TEST_CASE("frame cache: a module loaded or unloaded empties it (another may be mapped where one was)") {
    const void* const address = call_through_inlined_code();
    lgd::busy_section busy; // see site_of
    static lgd::symbol_info named;
    lgd::symbolize(address, named);
    REQUIRE(lgd::cached_symbol(address, named));
    std::uint64_t const generation = lgd::loaded_objects_generation();
    void* const handle = dlopen("libresolv.so.2", RTLD_NOW); // part of the C library's package, not loaded here
    REQUIRE(handle != nullptr);
    REQUIRE(lgd::loaded_objects_generation() != generation);
    CHECK_FALSE(lgd::cached_symbol(address, named));
    lgd::symbolize(address, named);
    CHECK(lgd::cached_symbol(address, named));
    CHECK(dlclose(handle) == 0);
    CHECK_FALSE(lgd::cached_symbol(address, named));
}

TEST_CASE("automatic: the start-up probe finds this unit built without frame pointers") {
    lgd::warm_up_stack_capture();
    CHECK(lgd::default_unwinder() == lgd::unwinder::automatic);
    // main.cpp is built -O2 without -fno-omit-frame-pointer (see CMakeLists.txt).
    CHECK_FALSE(lgd::frame_pointers_in_use());
    // Automatic is the CFI walk alone here: the whole chain, also through code without frame
    // pointers.
    captured c = fresh();
    chain_nofp_a(c, by_automatic, 16);
    check_chain(c, "chain_nofp_");
}

namespace {

int find_own_code(struct dl_phdr_info* info, std::size_t, void* arg) {
    std::uintptr_t* range = static_cast<std::uintptr_t*>(arg);
    for (int i = 0; i < info->dlpi_phnum; ++i) {
        const ElfW(Phdr)& ph = info->dlpi_phdr[i];
        std::uintptr_t const lo = info->dlpi_addr + ph.p_vaddr;
        if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X) && range[0] >= lo && range[0] < lo + ph.p_memsz) {
            range[0] = lo;
            range[1] = lo + ph.p_memsz;
            return 1;
        }
    }
    return 0;
}

} // namespace

TEST_CASE("automatic: frame pointers inside the probed module, unwind tables for code outside it") {
    lgd::frame_pointer_module& m = lgd::g_frame_pointer_module;
    int const saved_state = m.state.load();
    std::uintptr_t const saved_lo = m.code_lo, saved_hi = m.code_hi;
    std::uintptr_t range[2] = {reinterpret_cast<std::uintptr_t>(&chain_fp_a), 0};
    REQUIRE(dl_iterate_phdr(find_own_code, range) == 1);

    // As if the probe had found frame pointers in this executable: the automatic method walks
    // them - through the chain built without them it finds what the walk finds, not libgcc's
    // whole chain (and goes on by the tables past a return address outside the executable, where
    // the frame-pointer walk stops).
    m.code_lo = range[0];
    m.code_hi = range[1];
    m.state.store(1);
    captured automatic = fresh(), walked = fresh(), unwound = fresh();
    chain_fp_a(automatic, by_automatic, 3);
    chain_fp_a(unwound, by_libgcc, 3);
    REQUIRE(automatic.depth == 3);
    for (int i = 0; i < 3; ++i) CHECK(automatic.frames[i] == unwound.frames[i]);
    automatic = fresh();
    chain_nofp_a(automatic, by_automatic, 16);
    chain_nofp_a(walked, by_frame_pointer, 16);
    REQUIRE(automatic.depth >= walked.depth);
    for (std::size_t i = 0; i < walked.depth; ++i) CHECK(automatic.frames[i] == walked.frames[i]);

    // The operator's caller outside the probed code: its unwind tables, the whole chain.
    m.code_lo = m.code_hi = 1;
    automatic = fresh();
    chain_nofp_a(automatic, by_automatic, 16);
    check_chain(automatic, "chain_nofp_");

    m.code_lo = saved_lo;
    m.code_hi = saved_hi;
    m.state.store(saved_state);
}

TEST_CASE("frame pointers: the walk stops after the first return address outside the code range") {
    alignas(16) void* chain[16];
    for (int i = 0; i < 7; ++i) {
        chain[2 * i] = &chain[2 * i + 2];
        chain[2 * i + 1] = fake_ra(static_cast<std::uintptr_t>(i));
    }
    chain[14] = nullptr;
    chain[15] = nullptr;
    void* out[16];
    std::uintptr_t const lo = reinterpret_cast<std::uintptr_t>(fake_ra(0));
    std::uintptr_t const hi = reinterpret_cast<std::uintptr_t>(fake_ra(3)); // 0, 1, 2 inside
    struct walk {
        static LEAKGUARD_STACKS_NOINLINE std::size_t run(void* const* record, void** out, std::uintptr_t lo,
                                                         std::uintptr_t hi) {
            return lgd::walk_frame_pointers(record[1], record, out, 16, lo, hi);
        }
    };
    CHECK(walk::run(chain, out, lo, hi) == 4); // 0, 1, 2, then 3 (outside) ends it
    CHECK(out[3] == fake_ra(3));
    CHECK(walk::run(chain, out, 0, ~std::uintptr_t(0)) == 7);
}
