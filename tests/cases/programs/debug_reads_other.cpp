// A unit of programs/debug_reads.cpp that no reported frame is in: its debug information must
// never be read.
#include <leakguard/leakguard.hpp>

#include <string>
#include <vector>

__attribute__((noinline)) int debug_reads_other(int n) {
    std::vector<std::string> words(static_cast<std::size_t>(n), "word");
    int total = 0;
    for (const auto& w : words) total += static_cast<int>(w.size());
    return total;
}
