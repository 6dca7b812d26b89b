// A unit without the malloc mapping: its strdup is the C library's.
#include <cstring>

char* unmapped_strdup(const char* s) { return strdup(s); }
