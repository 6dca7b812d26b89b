// Registered root regions: memory leakguard does not scan by itself (an anonymous mapping, as a
// custom allocator or a GC heap would hold) becomes a root with register_root_region(), and stops
// being one with unregister_root_region(). A 32-byte block held only from a registered mapping is
// still reachable; a 40-byte block held only from a mapping registered and then unregistered is
// definitely lost. Exit status 23. leakguard alone: valgrind scans every mapping anyway.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>

#include <sys/mman.h>

#include <cstring>
#include <new>

#include "reach_common.hpp"

namespace {

constexpr std::size_t kMapSize = 4096;

__attribute__((noinline)) void* mapping_holding(std::size_t block_size) {
    void* map = ::mmap(nullptr, kMapSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED) return nullptr;
    void* block = ::operator new(block_size);
    std::memset(block, 0, block_size);
    std::memcpy(static_cast<char*>(map) + 128, &block, sizeof block);
    return map;
}

__attribute__((noinline)) bool build() {
    void* kept = mapping_holding(32);
    void* dropped = mapping_holding(40);
    if (!kept || !dropped) return false;
    leakguard::register_root_region(kept, kMapSize);
    leakguard::register_root_region(dropped, kMapSize);
    leakguard::unregister_root_region(dropped, kMapSize);
    return true; // both mappings stay mapped to the end
}

} // namespace

int main() {
    bool const ok = build();
    reach::scrub_stack();
    reach::say(ok ? "reach_root_region: done\n" : "reach_root_region: mmap failed\n");
    return ok ? 0 : 1;
}
