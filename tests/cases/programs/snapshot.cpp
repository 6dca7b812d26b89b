// Snapshots (snapshot.hpp): blocks allocated before and after a snapshot, some of each freed, one
// allocated by a thread that had reserved its sequence numbers before the snapshot. report_since
// must list exactly the newer survivors, by sequence number: the old frees do not hide new blocks.
// The program prints every block's sequence number; test_snapshot.cpp compares the report's.
// argv[1]: where write_since_json writes.
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>

#include <atomic>
#include <cstdio>
#include <thread>

namespace {

__attribute__((noinline)) int* make_old() { return new int(1); }
__attribute__((noinline)) long* make_new() { return new long(2); }
__attribute__((noinline)) char* make_other() { return new char[24]; }
__attribute__((noinline)) short* make_thread_block() { return new short(3); }
__attribute__((noinline)) double* make_late() { return new double(4); }

unsigned long long seq_of(const void* p) {
    leakguard::block_info info[256];
    std::size_t const n = leakguard::live_blocks(info, 256);
    for (std::size_t i = 0; i < n && i < 256; ++i)
        if (info[i].address == p) return info[i].seq;
    return 0;
}

void print_diff(const char* name, const leakguard::snapshot_diff& d) {
    std::printf("%s: blocks %zu bytes %zu sites %zu allocations %lld frees %lld live_blocks %lld\n", name, d.blocks,
                d.bytes, d.sites, static_cast<long long>(d.allocations), static_cast<long long>(d.frees),
                static_cast<long long>(d.live_blocks));
}

std::atomic<int> g_stage{0}; // 1: the thread has allocated (its numbers reserved); 2: go; 3: done
short* g_thread_old = nullptr;
short* g_thread_new = nullptr;

} // namespace

int main(int argc, char** argv) {
    std::printf("snapshot case: start\n"); // stdout's buffer, before the snapshot
    std::thread worker([] {
        g_thread_old = make_thread_block(); // reserves this thread's chunk of numbers: before s1
        g_stage.store(1);
        while (g_stage.load() != 2) std::this_thread::yield();
        g_thread_new = make_thread_block(); // after s1, from the same thread's old reservation
        g_stage.store(3);
    });
    while (g_stage.load() != 1) std::this_thread::yield();

    int* old_blocks[4];
    for (auto& p : old_blocks) p = make_old();
    leakguard::snapshot const s1 = leakguard::snapshot_now();
    g_stage.store(2);
    long* new_blocks[4];
    for (auto& p : new_blocks) p = make_new();
    char* other[2] = {make_other(), make_other()};
    while (g_stage.load() != 3) std::this_thread::yield();
    worker.join();

    unsigned long long seqs_old[4], seqs_new[4];
    for (int i = 0; i < 4; ++i) seqs_old[i] = seq_of(old_blocks[i]);
    for (int i = 0; i < 4; ++i) seqs_new[i] = seq_of(new_blocks[i]);
    unsigned long long const seqs_other[2] = {seq_of(other[0]), seq_of(other[1])};
    unsigned long long const seq_thread_old = seq_of(g_thread_old), seq_thread_new = seq_of(g_thread_new);

    // Two older blocks and one newer one freed: by counts, two of the new blocks would cancel.
    delete old_blocks[0];
    delete old_blocks[1];
    delete new_blocks[0];
    std::size_t const listed = leakguard::report_since(s1);

    leakguard::snapshot const s2 = leakguard::snapshot_now();
    double* late = make_late();
    unsigned long long const seq_late = seq_of(late);
    leakguard::snapshot const s3 = leakguard::snapshot_now();
    leakguard::snapshot_diff const d12 = leakguard::diff(s1, s2);
    leakguard::snapshot_diff const d21 = leakguard::diff(s2, s1);
    leakguard::snapshot_diff const d23 = leakguard::report_diff(s2, s3);
    leakguard::snapshot_diff const d1now = leakguard::diff(s1, leakguard::snapshot_now());
    leakguard::snapshot_diff const d0 = leakguard::diff(leakguard::snapshot{}, s1);
    bool const json = leakguard::write_since_json(s1, argc > 1 ? argv[1] : "since.json");

    std::printf("snapshot: seq %llu %llu %llu\n", static_cast<unsigned long long>(s1.seq),
                static_cast<unsigned long long>(s2.seq), static_cast<unsigned long long>(s3.seq));
    std::printf("old:");
    for (unsigned long long s : seqs_old) std::printf(" %llu", s);
    std::printf(" %llu\n", seq_thread_old);
    std::printf("freed_new: %llu\n", seqs_new[0]);
    std::printf("kept_new: %llu %llu %llu %llu %llu %llu\n", seqs_new[1], seqs_new[2], seqs_new[3], seqs_other[0],
                seqs_other[1], seq_thread_new);
    std::printf("late: %llu\n", seq_late);
    std::printf("report_since: %zu\n", listed);
    print_diff("d12", d12);
    print_diff("d21", d21);
    print_diff("d23", d23);
    print_diff("d1now", d1now);
    print_diff("d0", d0);
    std::printf("json: %d\n", json ? 1 : 0);

    for (int i = 2; i < 4; ++i) delete old_blocks[i];
    for (int i = 1; i < 4; ++i) delete new_blocks[i];
    delete[] other[0];
    delete[] other[1];
    delete g_thread_old;
    delete g_thread_new;
    delete late;
    return 0;
}
