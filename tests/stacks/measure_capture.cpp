// Measures the stack-capture methods (built, not run by ctest): nanoseconds per capture at
// depths 1, 8 and 16, and per allocation through an operator new that captures, then shows what
// each method finds for allocations made by user code, std::vector, std::make_shared and
// std::string (whose allocation comes from libstdc++.so's compiled code).
//
// Built twice (see CMakeLists.txt): leakguard_measure_capture with the compiler's default
// code generation, leakguard_measure_capture_fp with -fno-omit-frame-pointer. It replaces
// operator new itself, shaped as leakguard's will be once wired (noinline, its own return
// address and frame address passed to capture_stack), rather than using leakguard's operators:
// the cost measured is the capture's alone.
#include <leakguard/detail/capture/stack_capture.hpp>
#include <leakguard/detail/symbolize/site_rules.hpp>
#include <leakguard/detail/capture/stack_table.hpp>

// This tool links no implementation unit: the upward calls core/options.hpp makes (reached through
// the symbolizer's debug-file search) are given here, doing nothing - the tool sets no option.
namespace leakguard {
namespace detail {
inline unsigned guard_units_for(int) noexcept { return 0; }
inline void monitor_options_changed() noexcept {}
} // namespace detail
} // namespace leakguard

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <vector>

namespace lgd = leakguard::detail;

#define MEASURE_NOINLINE __attribute__((noinline))
#define MEASURE_KEEP(x) __asm__ volatile("" : "+r"(x))
#define MEASURE_KEEP_OBJECT(x) __asm__ volatile("" : : "r"(&(x)) : "memory")

namespace {

struct new_capture {
    std::size_t max; // 0: operator new captures nothing
    lgd::unwinder how;
    bool intern;
    std::size_t depth;
    void* frames[64];
    const lgd::stack_record* record;
};
thread_local new_capture t_new;

} // namespace

MEASURE_NOINLINE __attribute__((used)) void* operator new(std::size_t n) {
    void* p = std::malloc(n ? n : 1);
    if (!p) throw std::bad_alloc();
    new_capture& c = t_new;
    if (c.max) {
        c.depth = lgd::capture_stack(__builtin_return_address(0), __builtin_frame_address(0), c.frames, c.max, c.how);
        if (c.intern) c.record = lgd::intern_stack(c.frames, c.depth);
    }
    return p;
}
MEASURE_NOINLINE __attribute__((used)) void operator delete(void* p) noexcept { std::free(p); }
MEASURE_NOINLINE __attribute__((used)) void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

const char* method_name(lgd::unwinder how) {
    switch (how) {
    case lgd::unwinder::frame_pointer: return "frame_pointer";
    case lgd::unwinder::libgcc: return "libgcc";
    case lgd::unwinder::automatic: return "automatic";
    default: return "none";
    }
}

// --- timing -------------------------------------------------------------------------------------

lgd::unwinder g_how;
std::size_t g_max;
long g_iterations;
std::size_t g_depth_seen;

// Stands where operator new stands: its own return address and frame go to the capture.
MEASURE_NOINLINE std::size_t fake_operator_new(void** out) {
    std::size_t n = lgd::capture_stack(__builtin_return_address(0), __builtin_frame_address(0), out, g_max, g_how);
    MEASURE_KEEP(n);
    return n;
}

MEASURE_NOINLINE int capture_loop() {
    void* frames[64];
    std::size_t n = 0;
    for (long i = 0; i < g_iterations; ++i) n = fake_operator_new(frames);
    g_depth_seen = n;
    return static_cast<int>(n);
}

MEASURE_NOINLINE int allocation_loop() {
    for (long i = 0; i < g_iterations; ++i) {
        int* p = new int(static_cast<int>(i));
        MEASURE_KEEP(p);
        delete p;
    }
    g_depth_seen = t_new.depth;
    return 0;
}

// Puts `levels` frames between main and the measured loop, so there is a stack to walk.
MEASURE_NOINLINE int descend(int levels, int (*leaf)()) {
    int r = levels == 0 ? leaf() : descend(levels - 1, leaf);
    MEASURE_KEEP(r);
    return r + 1;
}

double time_per_iteration(int (*leaf)()) {
    double best = 1e300;
    for (int round = 0; round < 5; ++round) {
        auto const start = std::chrono::steady_clock::now();
        descend(24, leaf);
        auto const end = std::chrono::steady_clock::now();
        double const ns = std::chrono::duration<double, std::nano>(end - start).count() / double(g_iterations);
        if (ns < best) best = ns;
    }
    return best;
}

// --- what each method finds -------------------------------------------------------------------

MEASURE_NOINLINE int* user_c() {
    int* p = new int(3);
    MEASURE_KEEP(p);
    return p;
}
MEASURE_NOINLINE int* user_b() {
    int* p = user_c();
    MEASURE_KEEP(p);
    return p;
}
MEASURE_NOINLINE int* user_a() {
    int* p = user_b();
    MEASURE_KEEP(p);
    return p;
}

MEASURE_NOINLINE void grow_vector() {
    std::vector<int> v;
    v.push_back(1);
    MEASURE_KEEP_OBJECT(v);
}

MEASURE_NOINLINE void make_shared_int() {
    std::shared_ptr<int> p = std::make_shared<int>(4);
    MEASURE_KEEP_OBJECT(p);
}

MEASURE_NOINLINE void make_string() {
    std::string s(100, 'x'); // allocated by libstdc++.so's basic_string::_M_create
    MEASURE_KEEP_OBJECT(s);
}

// Calls `what` with operator new capturing, and prints the stack of the first allocation.
void show(const char* title, void (*what)(), lgd::unwinder how) {
    new_capture& c = t_new;
    c.depth = 0;
    c.how = how;
    c.intern = false;
    c.max = 16;
    what();
    std::size_t const depth = c.depth;
    void* frames[64];
    std::memcpy(frames, c.frames, depth * sizeof(void*));
    c.max = 0;
    lgd::symbol_info* names = static_cast<lgd::symbol_info*>(std::malloc(sizeof(lgd::symbol_info) * (depth + 1)));
    lgd::symbolize_stack(frames, depth, names);
    std::size_t const site = lgd::find_site(names, depth);
    std::printf("%s, %s: %zu frames, site #%zu\n", title, method_name(how), depth, site);
    for (std::size_t i = 0; i < depth && i < 8; ++i) {
        std::printf("  %c#%zu %.90s  %s:%u  (%s)\n", i == site ? '>' : ' ', i,
                    names[i].function[0] ? names[i].function : "?", lgd::base_name(names[i].file), names[i].line,
                    lgd::base_name(names[i].module));
    }
    std::free(names);
}

void show_user_chain() {
    int* p = user_a();
    delete p;
}

} // namespace

int main(int argc, char** argv) {
    g_iterations = argc > 1 ? std::atol(argv[1]) : 200000;
    lgd::warm_up_stack_capture();

    std::printf("start-up probe: this program's code %s frame pointers\n\n",
                lgd::frame_pointers_in_use() ? "keeps" : "does not keep");
    std::printf("capture alone, 24 frames below the loop (ns per capture; frames found):\n");
    std::printf("  %-14s %18s %18s %18s\n", "method", "depth 1", "depth 8", "depth 16");
    lgd::unwinder const methods[] = {lgd::unwinder::none, lgd::unwinder::frame_pointer, lgd::unwinder::libgcc,
                                     lgd::unwinder::automatic};
    std::size_t const depths[] = {1, 8, 16};
    for (lgd::unwinder how : methods) {
        std::printf("  %-14s", method_name(how));
        for (std::size_t d : depths) {
            g_how = how;
            g_max = d;
            double const ns = time_per_iteration(capture_loop);
            std::printf(" %10.1f ns (%2zu)", ns, g_depth_seen);
        }
        std::printf("\n");
    }

    std::printf("\nnew int + delete, operator new capturing (ns per pair; frames found):\n");
    std::printf("  %-22s %18s %18s %18s\n", "method", "depth 1", "depth 8", "depth 16");
    {
        t_new.max = 0;
        double const ns = time_per_iteration(allocation_loop);
        std::printf("  %-22s %10.1f ns\n", "no capture", ns);
    }
    for (int intern = 0; intern < 2; ++intern) {
        for (lgd::unwinder how : methods) {
            if (how == lgd::unwinder::none && intern) continue;
            char label[64];
            std::snprintf(label, sizeof label, "%s%s", method_name(how), intern ? " + intern" : "");
            std::printf("  %-22s", label);
            for (std::size_t d : depths) {
                t_new.how = how;
                t_new.max = d;
                t_new.intern = intern != 0;
                double const ns = time_per_iteration(allocation_loop);
                std::printf(" %10.1f ns (%2zu)", ns, g_depth_seen);
            }
            t_new.max = 0;
            std::printf("\n");
        }
    }

    std::printf("\nwhat each method finds (first 8 of up to 16 frames; > marks the site):\n");
    for (lgd::unwinder how : {lgd::unwinder::frame_pointer, lgd::unwinder::libgcc, lgd::unwinder::automatic}) {
        show("user_a -> user_b -> user_c -> new", show_user_chain, how);
        show("std::vector<int>::push_back in grow_vector", grow_vector, how);
        show("std::make_shared<int> in make_shared_int", make_shared_int, how);
        show("std::string(100, 'x') in make_string", make_string, how);
    }
    return 0;
}
