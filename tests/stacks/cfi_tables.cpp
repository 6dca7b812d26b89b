// Tests of the call frame information reader (capture/cfi_parse.hpp, capture/eh_frame_index.hpp)
// on its own: rows of a hand-built CIE/FDE, the rules at the first byte of real functions, and
// tables of garbage or damaged real tables placed between inaccessible pages, so that a read
// outside the bounds handed to the reader crashes the test. These headers hold no state, so this
// unit may include them (the walk itself is tested through main.cpp).
#include <doctest/doctest.h>

#include <leakguard/detail/capture/eh_frame_index.hpp>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

#include "support.hpp"

namespace lgd = leakguard::detail;

namespace {

// A region of `pages` readable pages between two inaccessible ones.
struct guarded {
    unsigned char* base;
    std::size_t bytes;
    std::size_t total;
    explicit guarded(std::size_t pages) : base(nullptr), bytes(pages * 4096), total(bytes + 2 * 4096) {
        void* p = ::mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        REQUIRE(p != MAP_FAILED);
        unsigned char* const m = static_cast<unsigned char*>(p);
        REQUIRE(::mprotect(m, 4096, PROT_NONE) == 0);
        REQUIRE(::mprotect(m + 4096 + bytes, 4096, PROT_NONE) == 0);
        base = m + 4096;
    }
    ~guarded() { ::munmap(base - 4096, total); }
    guarded(const guarded&) = delete;
    guarded& operator=(const guarded&) = delete;
    lgd::eh_frame_tables tables(std::size_t hdr_at = 0) const {
        lgd::eh_frame_tables t = {base + hdr_at, base, base + bytes};
        return t;
    }
};

struct bytes {
    std::vector<unsigned char> v;
    void u8(unsigned x) { v.push_back(static_cast<unsigned char>(x)); }
    void u32(std::uint32_t x) {
        for (int i = 0; i < 4; ++i) u8((x >> (8 * i)) & 0xff);
    }
    void s32(std::int32_t x) { u32(static_cast<std::uint32_t>(x)); }
    void put_u32(std::size_t at, std::uint32_t x) {
        for (int i = 0; i < 4; ++i) v[at + i] = static_cast<unsigned char>((x >> (8 * i)) & 0xff);
    }
    void align4() {
        while (v.size() % 4) u8(0); // DW_CFA_nop
    }
};

// Builds, at `at` (a page of its own), an .eh_frame_hdr, then a CIE and one FDE covering
// [pc_begin, pc_begin + 64), where pc_begin is 0x1000 past the region's start (no code is read):
//   +0   CFA = rsp + 8, return address at CFA - 8 (the CIE)
//   +1   CFA = rsp + 16, rbp saved at CFA - 16          (push %rbp)
//   +4   CFA = rbp + 16                                  (mov %rsp, %rbp)
//   +24  remember; CFA = rsp + 8, rbp restored           (an early return: pop %rbp; ret)
//   +25  restore: CFA = rbp + 16, rbp saved again
// Returns pc_begin.
std::uintptr_t build_tables(unsigned char* at) {
    bytes hdr, eh;
    std::uintptr_t const base = reinterpret_cast<std::uintptr_t>(at);
    std::uintptr_t const pc_begin = base + 0x1000;
    std::size_t const eh_at = 64; // .eh_frame follows the header at this offset

    // CIE
    eh.u32(0); // length, patched
    eh.u32(0); // CIE id
    eh.u8(1);  // version
    eh.u8('z');
    eh.u8('R');
    eh.u8(0);
    eh.u8(1);    // code alignment
    eh.u8(0x78); // data alignment -8
    eh.u8(16);   // return address register
    eh.u8(1);    // augmentation data length
    eh.u8(0x1b); // FDE pointers: pcrel | sdata4
    eh.u8(0x0c); // def_cfa r7 + 8
    eh.u8(7);
    eh.u8(8);
    eh.u8(0x90); // offset r16, 1 * -8
    eh.u8(1);
    eh.align4();
    eh.put_u32(0, static_cast<std::uint32_t>(eh.v.size() - 4));

    // FDE
    std::size_t const fde = eh.v.size();
    eh.u32(0);                                         // length, patched
    eh.u32(static_cast<std::uint32_t>(fde + 4));       // back to the CIE at offset 0
    std::uintptr_t const field = base + eh_at + eh.v.size();
    eh.s32(static_cast<std::int32_t>(pc_begin - field)); // pc_begin, pc-relative
    eh.s32(64);                                          // range
    eh.u8(0);                                            // augmentation data length
    eh.u8(0x41);                                         // advance 1
    eh.u8(0x0e);                                         // def_cfa_offset 16
    eh.u8(16);
    eh.u8(0x86); // offset r6, 2 * -8
    eh.u8(2);
    eh.u8(0x43); // advance 3
    eh.u8(0x0d); // def_cfa_register r6
    eh.u8(6);
    eh.u8(0x54); // advance 20
    eh.u8(0x0a); // remember_state
    eh.u8(0x0c); // def_cfa r7 + 8
    eh.u8(7);
    eh.u8(8);
    eh.u8(0xc6); // restore r6
    eh.u8(0x41); // advance 1
    eh.u8(0x0b); // restore_state
    eh.align4();
    eh.put_u32(fde, static_cast<std::uint32_t>(eh.v.size() - fde - 4));
    eh.u32(0); // terminator

    hdr.u8(1);    // version
    hdr.u8(0x1b); // eh_frame_ptr: pcrel | sdata4
    hdr.u8(0x03); // fde_count: udata4
    hdr.u8(0x3b); // table: datarel | sdata4
    hdr.s32(static_cast<std::int32_t>(eh_at - hdr.v.size()));
    hdr.u32(1);
    hdr.s32(static_cast<std::int32_t>(pc_begin - base));
    hdr.s32(static_cast<std::int32_t>(eh_at + fde));
    REQUIRE(hdr.v.size() <= eh_at);
    std::memcpy(at, hdr.v.data(), hdr.v.size());
    std::memcpy(at + eh_at, eh.v.data(), eh.v.size());
    return pc_begin;
}

bool row_at(const lgd::eh_frame_tables& t, std::uintptr_t pc, lgd::cfi_row& row) {
    bool signal_frame = false;
    return lgd::cfi_row_for(t, pc, row, signal_frame);
}

std::uint64_t g_state = 0x9E3779B97F4A7C15ull;
std::uint64_t next_random() {
    g_state ^= g_state << 13;
    g_state ^= g_state >> 7;
    g_state ^= g_state << 17;
    return g_state;
}

} // namespace

TEST_CASE("cfi: the rows of a hand-built FDE, address by address") {
    guarded g(1);
    std::uintptr_t const pc = build_tables(g.base);
    lgd::eh_frame_tables const t = g.tables();
    lgd::cfi_row row;

    REQUIRE(row_at(t, pc, row));
    CHECK(row.cfa_reg == 7);
    CHECK(row.cfa_off == 8);
    CHECK(row.ra.how == lgd::cfi_reg_rule::offset);
    CHECK(row.ra.off == -8);
    CHECK(row.fp.how == lgd::cfi_reg_rule::same);

    REQUIRE(row_at(t, pc + 1, row));
    CHECK(row.cfa_reg == 7);
    CHECK(row.cfa_off == 16);
    CHECK(row.fp.how == lgd::cfi_reg_rule::offset);
    CHECK(row.fp.off == -16);
    REQUIRE(row_at(t, pc + 3, row));
    CHECK(row.cfa_reg == 7);

    for (std::uintptr_t at : {std::uintptr_t(4), std::uintptr_t(10), std::uintptr_t(23), std::uintptr_t(25),
                              std::uintptr_t(63)}) {
        CAPTURE(at);
        REQUIRE(row_at(t, pc + at, row));
        CHECK(row.cfa_reg == 6);
        CHECK(row.cfa_off == 16);
        CHECK(row.fp.how == lgd::cfi_reg_rule::offset);
        CHECK(row.fp.off == -16);
        CHECK_FALSE(row.cfa_expression);
    }
    REQUIRE(row_at(t, pc + 24, row)); // between remember and restore
    CHECK(row.cfa_reg == 7);
    CHECK(row.cfa_off == 8);
    CHECK(row.fp.how == lgd::cfi_reg_rule::same);

    // Outside the FDE's range: no row.
    CHECK_FALSE(row_at(t, pc + 64, row));
    CHECK_FALSE(row_at(t, pc - 1, row));
}

TEST_CASE("cfi: at the first byte of real functions the CFA is sp + 8 with the return address below it") {
#if LEAKGUARD_DETAIL_HAVE_EH_FRAME_INDEX
    // This program's code without frame pointers, and the C library's.
    void (*const own)(stacks_test::captured&, int, std::size_t) = &stacks_test::chain_nofp_a;
    int (*const libc)(const char*) = &std::puts;
    for (std::uintptr_t pc : {reinterpret_cast<std::uintptr_t>(own), reinterpret_cast<std::uintptr_t>(libc)}) {
        lgd::eh_frame_tables t;
        REQUIRE(lgd::find_eh_frame_tables(pc, t) == 1);
        CHECK(t.lo <= t.hdr);
        CHECK(t.hdr < t.hi);
        lgd::cfi_row row;
        REQUIRE(row_at(t, pc, row));
        CHECK(row.cfa_reg == 7);
        CHECK(row.cfa_off == 8);
        CHECK(row.ra.how == lgd::cfi_reg_rule::offset);
        CHECK(row.ra.off == -8);
    }
    // Not code of any module: no tables.
    int on_stack = 0;
    lgd::eh_frame_tables t;
    CHECK(lgd::find_eh_frame_tables(reinterpret_cast<std::uintptr_t>(&on_stack), t) == 0);
#else
    MESSAGE("no .eh_frame index on this platform: skipped");
#endif
}

TEST_CASE("cfi: garbage tables are refused without a read outside their bounds") {
    guarded g(1);
    lgd::cfi_row row;
    int found = 0;
    for (int round = 0; round < 4000; ++round) {
        for (std::size_t i = 0; i < g.bytes; i += 8) {
            std::uint64_t const r = next_random();
            std::memcpy(g.base + i, &r, 8);
        }
        // Often a plausible header, so that the search and the FDE parser are reached too, with
        // offsets that land anywhere in the page or just outside it.
        if (round % 4 != 0) {
            g.base[0] = 1;
            g.base[1] = 0x1b;
            g.base[2] = 0x03;
            g.base[3] = 0x3b;
            std::uint32_t const count = static_cast<std::uint32_t>(next_random() % 600);
            std::memcpy(g.base + 8, &count, 4);
            for (std::uint32_t e = 0; e < count && 12 + 8 * e + 8 <= g.bytes; ++e) {
                std::int32_t const start = static_cast<std::int32_t>(e * 16);
                std::int32_t const off = static_cast<std::int32_t>(next_random() % (g.bytes + 64)) - 32;
                std::memcpy(g.base + 12 + 8 * e, &start, 4);
                std::memcpy(g.base + 12 + 8 * e + 4, &off, 4);
            }
        }
        std::uintptr_t const pc = reinterpret_cast<std::uintptr_t>(g.base) + next_random() % 10000;
        if (row_at(g.tables(), pc, row)) ++found;
    }
    MESSAGE("rows found in garbage: " << found);
}

TEST_CASE("cfi: a damaged hand-built table never reads past its bounds") {
    guarded g(1);
    std::uintptr_t const pc = build_tables(g.base);
    std::vector<unsigned char> good(g.base, g.base + g.bytes);
    lgd::cfi_row row;
    for (int round = 0; round < 20000; ++round) {
        std::memcpy(g.base, good.data(), good.size());
        int const flips = 1 + static_cast<int>(next_random() % 4);
        for (int i = 0; i < flips; ++i) g.base[next_random() % 160] = static_cast<unsigned char>(next_random());
        (void)row_at(g.tables(), pc + next_random() % 70, row);
    }
    // And once more intact: the reader's state was not damaged by what it saw.
    std::memcpy(g.base, good.data(), good.size());
    REQUIRE(row_at(g.tables(), pc + 30, row));
    CHECK(row.cfa_reg == 6);
}

TEST_CASE("cfi: a damaged copy of the C++ library's real tables never reads past its bounds") {
#if LEAKGUARD_DETAIL_HAVE_EH_FRAME_INDEX
    // A function of libstdc++.so: the exception tables of a large library built without frame
    // pointers. (Not operator delete: the LEAKGUARD_MAIN unit defines that in this program.)
    void (*const in_libstdcxx)() = &std::terminate;
    std::uintptr_t const pc = reinterpret_cast<std::uintptr_t>(in_libstdcxx);
    lgd::eh_frame_tables real;
    REQUIRE(lgd::find_eh_frame_tables(pc, real) == 1);
    std::size_t const size = static_cast<std::size_t>(real.hi - real.lo);
    guarded g((size + 4095) / 4096);
    // At the end of the region: a read past the segment's end hits the guard page.
    unsigned char* const copy = g.base + (g.bytes - size);
    std::memcpy(copy, real.lo, size);
    std::size_t const hdr_at = static_cast<std::size_t>(real.hdr - real.lo);
    lgd::eh_frame_tables t = {copy + hdr_at, copy, copy + size};
    // Intact, the copy gives the real rows (its addresses moved by the copy's offset).
    std::uintptr_t const delta = reinterpret_cast<std::uintptr_t>(copy) - reinterpret_cast<std::uintptr_t>(real.lo);
    lgd::cfi_row a, b;
    REQUIRE(row_at(real, pc, a));
    REQUIRE(row_at(t, pc + delta, b));
    CHECK(a.cfa_reg == b.cfa_reg);
    CHECK(a.cfa_off == b.cfa_off);

    std::vector<unsigned char> good(copy, copy + size);
    std::size_t const table_bytes = size - hdr_at;
    for (int round = 0; round < 300; ++round) {
        for (int i = 0; i < 64; ++i) copy[hdr_at + next_random() % table_bytes] = static_cast<unsigned char>(next_random());
        for (int i = 0; i < 64; ++i) {
            lgd::cfi_row row;
            (void)row_at(t, pc + delta + next_random() % (1u << 20) - (1u << 19), row);
        }
        std::memcpy(copy, good.data(), size);
    }
#else
    MESSAGE("no .eh_frame index on this platform: skipped");
#endif
}
