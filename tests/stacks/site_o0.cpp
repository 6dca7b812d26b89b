// Built at -O0 (see CMakeLists.txt): std::make_shared and std::vector keep every template layer
// as a frame of its own, so the stack of a constructor they run passes through
// std::allocator_traits, std::__new_allocator, std::_Sp_counted_ptr_inplace, std::__shared_count,
// std::vector::_M_realloc_insert ... before it reaches the function that used them. The stack is
// taken from the constructor's return address, as operator new's would be from its own.
#include <memory>
#include <vector>

#include "support.hpp"

namespace stacks_test {

namespace {

captured* g_into = nullptr;
int g_how = 0;
std::size_t g_max = 0;

struct recorder {
    recorder() { record(__builtin_return_address(0), __builtin_frame_address(0)); }
    recorder(const recorder&) { record(__builtin_return_address(0), __builtin_frame_address(0)); }
    recorder& operator=(const recorder&) = default;

    static void record(const void* first, const void* frame) {
        if (!g_into) return;
        capture_at(first, frame, *g_into, g_how, g_max);
        g_into = nullptr;
    }
};

} // namespace

void o0_make_shared(captured& r, int how, std::size_t max) {
    g_into = &r;
    g_how = how;
    g_max = max;
    r.line_a = __LINE__ + 1;
    std::shared_ptr<recorder> p = std::make_shared<recorder>();
}

void o0_vector_growth(captured& r, int how, std::size_t max) {
    std::vector<recorder> v;
    g_into = &r;
    g_how = how;
    g_max = max;
    r.line_a = __LINE__ + 1;
    v.emplace_back();
}

} // namespace stacks_test
