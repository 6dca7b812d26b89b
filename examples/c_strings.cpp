// C-style code with the malloc mapping: every malloc/strdup/realloc of this file is tracked with
// its file:line, and a buffer grown by the C library's getline() stays tracked.
//
//     build/examples/examples/c_strings     -> reports the two blocks this program forgets
#define LEAKGUARD_MAIN
#define LEAKGUARD_MAP_MALLOC
#include <leakguard/leakguard.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>

// Splits "key=value" into two fresh strings; the caller owns both.
static bool split(const char* line, char** key, char** value) {
    const char* eq = std::strchr(line, '=');
    if (!eq) return false;
    *key = strndup(line, static_cast<std::size_t>(eq - line));
    *value = strdup(eq + 1);
    return true;
}

int main() {
    FILE* in = std::tmpfile();
    if (!in) return 1;
    std::fputs("name=leakguard\nkind=header-only leak tracker for C and C++ code\n", in);
    std::rewind(in);

    std::size_t capacity = 4;
    char* line = static_cast<char*>(malloc(capacity)); // getline grows it through realloc
    int lines = 0;
    while (getline(&line, &capacity, in) > 0) {
        line[std::strcspn(line, "\n")] = '\0';
        char* key = nullptr;
        char* value = nullptr;
        if (!split(line, &key, &value)) continue;
        std::printf("%s -> %s\n", key, value);
        free(key);
        if (++lines == 1) continue; // bug: the first value is never freed
        free(value);
    }
    std::fclose(in);
    // bug: `line` (grown by getline) is never freed either
    return 0;
}
