// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// mapping.hpp: the functions the mapping macros call (LEAKGUARD_MAP_MALLOC, LEAKGUARD_MAP_NEW),
// declared in every unit so that a unit may turn a mapping on after leakguard was included.
//
// The C functions' stand-ins live in the global namespace and are also declared in std, so that
// `malloc(n)`, `::malloc(n)` and `std::malloc(n)` all work once `malloc` is a macro.
#ifndef LEAKGUARD_DETAIL_MAPPING_HPP_INCLUDED
#define LEAKGUARD_DETAIL_MAPPING_HPP_INCLUDED

#include <cstddef> // std::size_t

// Tracked C allocation with the caller's file and line (static storage: __FILE__).
void* leakguard_map_malloc(std::size_t size, const char* file, int line) noexcept;
void* leakguard_map_calloc(std::size_t count, std::size_t size, const char* file, int line) noexcept;
void* leakguard_map_realloc(void* p, std::size_t size, const char* file, int line) noexcept;
void leakguard_map_free(void* p, const char* file, int line) noexcept;
char* leakguard_map_strdup(const char* s, const char* file, int line) noexcept;
char* leakguard_map_strndup(const char* s, std::size_t n, const char* file, int line) noexcept;

namespace std { // NOLINT(cert-dcl58-cpp): `std::malloc(n)` must still compile once malloc is a macro
using ::leakguard_map_calloc;
using ::leakguard_map_free;
using ::leakguard_map_malloc;
using ::leakguard_map_realloc;
using ::leakguard_map_strdup;
using ::leakguard_map_strndup;
} // namespace std

namespace leakguard {
namespace detail {

// Gives the block that `p` (the value of a new-expression) lives in the site file:line, if this
// thread's operator new handed it out recently; `max_offset` covers the array cookie that a
// new[] of a type with a destructor puts in front of the elements.
void locate_new(const void* p, std::size_t max_offset, const char* file, int line) noexcept;
// Called once by each unit that maps `new`: from then on operator new remembers each thread's
// last few blocks for locate_new.
bool enable_new_sites() noexcept;

// `new_site{__FILE__, __LINE__} ->* new T(...)`: applied to the pointer the real new-expression
// returns, so placement new, nothrow new, array new and class-specific operator new all keep
// their meaning (the site is recorded only for blocks leakguard handed out).
struct new_site {
    const char* file;
    int line;
};
// `*new T` parses as `(*new_site{...}) ->* new T`: this keeps its meaning too.
struct new_site_deref {
    const char* file;
    int line;
};
inline new_site_deref operator*(const new_site& s) noexcept { return new_site_deref{s.file, s.line}; }

template <class T>
T* operator->*(const new_site& s, T* p) noexcept {
    locate_new(p, alignof(T) > 16 ? alignof(T) : 16, s.file, s.line);
    return p;
}
template <class T>
T& operator->*(const new_site_deref& s, T* p) noexcept {
    locate_new(p, alignof(T) > 16 ? alignof(T) : 16, s.file, s.line);
    return *p;
}

} // namespace detail
} // namespace leakguard

// What `new` expands to under LEAKGUARD_MAP_NEW. An unqualified global name, so that `::new`
// still parses (as `::leakguard_new_site(...) ->* new`).
inline leakguard::detail::new_site leakguard_new_site(const char* file, int line) noexcept {
    return leakguard::detail::new_site{file, line};
}

#endif
