// The second translation unit of the statics case: it includes leakguard without LEAKGUARD_MAIN.
#ifdef LEAKGUARD_CASE_TRACKED
#include <leakguard/leakguard.hpp>
#endif

#include "statics_other.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

std::map<std::string, std::string> make_table() {
    std::map<std::string, std::string> table;
    for (int i = 0; i < 20; ++i)
        table["key number " + std::to_string(i) + " padded past the small string size"] = std::string(40, 'v');
    return table;
}

std::map<std::string, std::string> g_table = make_table();
std::vector<std::string> g_names(10, std::string(50, 'n'));
std::unique_ptr<int[]> g_ints(new int[100]());

#ifdef CASE_STATIC_LEAK
// The deliberate leak: its destructor drops the pointer without freeing it, so once static
// destruction is over nothing points to the block: exactly 1 block, 16 bytes, new[], definitely
// lost. (volatile: the store in the destructor must stay, although the object dies with it.)
struct forgetful {
    int* volatile data;
    forgetful() : data(new int[4]()) {}
    ~forgetful() { data = nullptr; }
};
forgetful g_forgetful;
#endif

// Constructed on first use, during main; destroyed after main, before the report.
std::string& lazy_text() {
    static std::string text(200, 'z');
    return text;
}

} // namespace

std::size_t other_summary() {
    return g_table.size() + g_names.size() + static_cast<std::size_t>(g_ints[0]) + lazy_text().size();
}
