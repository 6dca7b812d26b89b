// examples/clean_scope.cpp - scopes that pass, an intentional leak kept out of the report, and
// the statistics API. This program exits 0: leakguard finds nothing to report.
#define LEAKGUARD_MAIN
#include <leakguard/leakguard.hpp>

#include <cstdio>
#include <string>
#include <vector>

static std::vector<std::string> tokenize(const std::string& text) {
    std::vector<std::string> words;
    std::string word;
    for (char c : text) {
        if (c == ' ') {
            if (!word.empty()) words.push_back(word);
            word.clear();
        } else {
            word += c;
        }
    }
    if (!word.empty()) words.push_back(word);
    return words;
}

int main() {
    {
        LEAKGUARD_SCOPE("tokenize"); // passes: everything tokenize allocates is freed in here
        std::vector<std::string> words = tokenize("the quick brown fox jumps over the lazy dog");
        std::printf("%zu words\n", words.size());
    }

    // Process-lifetime objects, kept on purpose. ignore(p) marks one block; an ignore region marks
    // every block allocated inside it (here the string object and its character buffer).
    static int* counter = new int(0);
    leakguard::ignore(counter);
    static std::string* config = [] {
        LEAKGUARD_IGNORE_REGION();
        return new std::string("a configuration string that lives forever");
    }();
    *counter += static_cast<int>(config->size());

    leakguard::statistics s = leakguard::stats();
    std::printf("%llu allocations, %llu frees, %llu live blocks (%llu bytes), peak %llu bytes\n",
                static_cast<unsigned long long>(s.allocations), static_cast<unsigned long long>(s.frees),
                static_cast<unsigned long long>(s.live_blocks), static_cast<unsigned long long>(s.live_bytes),
                static_cast<unsigned long long>(s.peak_bytes));
    return 0;
}
