// A leak-free program that uses the parts of the standard library that allocate behind the scenes:
// strings, containers, threads, exceptions, iostreams, and a static object whose constructor
// allocates and whose destructor frees. Nothing may be reported: "no leaks", and the exit status
// stays the program's own (argv[1], default 0).
#ifdef LEAKGUARD_CASE_TRACKED
// LEAKGUARD_MAIN is in the shared unit (tests/cases/leakguard_main.cpp)
#include <leakguard/leakguard.hpp>
#endif

#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

// Allocates before main and frees after it: the exit report must come after this destructor.
struct registry {
    std::map<std::string, std::vector<int>> entries;
    int* counter;
    registry() : counter(new int(0)) {
        entries["a key long enough to need heap storage"] = std::vector<int>(100, 1);
    }
    ~registry() { delete counter; }
};
registry g_registry;

std::string describe(int i) {
    std::ostringstream out;
    out << "value number " << i << " formatted through a string stream";
    return out.str();
}

void may_throw(int i) {
    if (i % 3 == 0) throw std::runtime_error("a message long enough to be stored on the heap: " + describe(i));
}

} // namespace

int main(int argc, char** argv) {
    std::map<int, std::string> names;
    std::vector<std::unique_ptr<std::vector<int>>> vectors;
    for (int i = 0; i < 50; ++i) {
        names[i] = describe(i);
        vectors.emplace_back(new std::vector<int>(static_cast<std::size_t>(i) + 1, i));
    }

    int caught = 0;
    for (int i = 0; i < 10; ++i) {
        try {
            may_throw(i);
        } catch (const std::exception& e) {
            caught += e.what()[0] == 'a';
        }
    }

    std::vector<std::thread> threads;
    std::vector<std::size_t> lengths(4);
    for (std::size_t t = 0; t < lengths.size(); ++t)
        threads.emplace_back([t, &lengths] {
            std::string s;
            for (int i = 0; i < 100; ++i) s += describe(i);
            lengths[t] = s.size();
        });
    for (auto& th : threads) th.join();

    ++*g_registry.counter;
    std::cout << "clean: " << names.size() << " names, " << caught << " caught, " << lengths[0]
              << " chars per thread" << std::endl;
    return argc > 1 ? std::atoi(argv[1]) : 0;
}
