// free() or delete of a pointer a few bytes before a live block - into leakguard's header in front of
// it (OFFSET 8..48: free(p - 48) is the raw pointer the C library handed out): an invalid_free, the
// block stays alive and listed, the program goes on, and the exit report completes.
//   free_into_header mapped|interposed|delete OFFSET
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <leakguard/leakguard.hpp>

void mapped_free(void* p);  // free_into_header_mapped.cpp: LEAKGUARD_MAP_MALLOC
void* mapped_malloc(std::size_t n);

static char* volatile g_kept;

int main(int argc, char** argv) {
    if (argc < 3) return 2;
    long const off = std::atol(argv[2]);
    bool const mapped = std::strcmp(argv[1], "mapped") == 0;
    bool const deleted = std::strcmp(argv[1], "delete") == 0;
    char* p = deleted ? new char[100] : static_cast<char*>(mapped ? mapped_malloc(100) : std::malloc(100));
    std::strcpy(p, "alive");
    if (mapped) mapped_free(p - off);
    else if (deleted) operator delete[](p - off);
    else std::free(p - off);
    for (int i = 0; i < 1000; ++i) { // the C library's heap keeps working
        void* q = std::malloc(100);
        std::memset(q, 1, 100);
        std::free(q);
    }
    std::printf("still %s\n", p);
    g_kept = p; // leaked at exit: the bad free did not release it
    g_kept = nullptr;
    return 0;
}
