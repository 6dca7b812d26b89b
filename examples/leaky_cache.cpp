// examples/leaky_cache.cpp - a small program with a leak, and the report leakguard prints for it.
//
// A name cache hands out interned strings. One code path ("temporary" lookups) makes a copy with
// new[] and forgets to free it: twenty lookups leak twenty blocks from one line. A scope around
// one request shows how a test would catch the same bug at the place it happens.
#define LEAKGUARD_MAIN // exactly one file of a program defines this before the include
#include <leakguard/leakguard.hpp>

#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>

class name_cache {
public:
    // Returns a copy the caller must delete[] - and the caller below forgets to.
    char* temporary_copy(const std::string& name) {
        const std::string& interned = intern(name);
        char* copy = new char[interned.size() + 1];
        std::memcpy(copy, interned.c_str(), interned.size() + 1);
        return copy;
    }

    const std::string& intern(const std::string& name) {
        auto it = names_.find(name);
        if (it == names_.end()) it = names_.emplace(name, std::make_shared<std::string>(name)).first;
        return *it->second;
    }

private:
    std::map<std::string, std::shared_ptr<std::string>> names_; // freed when the cache goes
};

static std::size_t handle_request(name_cache& cache, int id) {
    std::string name = "user-" + std::to_string(id % 5) + "-with-a-long-enough-name";
    char* copy = cache.temporary_copy(name);
    std::size_t length = std::strlen(copy);
    return length; // the bug: `delete[] copy;` is missing
}

int main() {
    name_cache cache;
    std::size_t total = 0;
    for (int id = 0; id < 20; ++id) total += handle_request(cache, id);

    {
        LEAKGUARD_SCOPE("one request"); // fails: the request leaves a block behind
        total += handle_request(cache, 99);
    }

    std::printf("handled 21 requests, %zu bytes of names\n", total);
    return 0;
}
