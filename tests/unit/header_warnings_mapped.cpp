// Like header_warnings.cpp, with both mapping macros on (compiled on its own by the
// header_warning_free_mapped_* tests): the macros, the headers they include first, and the mapped
// calls must compile warning-free at every standard, -Werror.
#define LEAKGUARD_MAIN
#define LEAKGUARD_MAP_MALLOC
#define LEAKGUARD_MAP_NEW
#include <leakguard/leakguard.hpp>

#include <leakguard/map_pause.hpp>
struct own_new {
    static void* operator new(std::size_t size) { return ::operator new(size); }
    static void operator delete(void* p) noexcept { ::operator delete(p); }
};
#include <leakguard/map_resume.hpp>

int main() {
    char* s = strdup("x");
    char* t = static_cast<char*>(std::malloc(4));
    t = static_cast<char*>(realloc(t, 8));
    void* z = calloc(2, 2);
    free(z);
    std::free(t);
    ::free(s);
    int* i = new int(1);
    delete i;
    own_new* o = new own_new;
    delete o;
    return 0;
}
