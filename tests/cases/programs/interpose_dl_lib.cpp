// A shared library built without leakguard, loaded with dlopen by interpose_shared: its static
// constructor and destructor allocate and free, it has thread-local storage of its own (dynamic
// TLS, which the dynamic loader allocates per thread on first use), and it hands out calloc'd
// blocks.
#include <cstdlib>
#include <cstring>
#include <string>

namespace {
struct registry {
    char* name;
    registry() : name(strdup("dl registry")) {}
    ~registry() { std::free(name); }
};
registry g_registry;
thread_local std::string t_buffer;
} // namespace

extern "C" {
void* interpose_dl_make(std::size_t n) {
    char* p = static_cast<char*>(std::calloc(n, 1));
    if (p) p[0] = 'D'; // not a tail call: the block's site is this library
    return p;
}
void interpose_dl_take(void* p) { std::free(p); }
// Uses this thread's copy of the library's thread-local string; returns its length.
std::size_t interpose_dl_tls(const char* s) {
    t_buffer.assign(s);
    t_buffer.append(200, '+'); // past the small-string buffer: a heap block
    return t_buffer.size() + std::strlen(g_registry.name) * 0;
}
}
