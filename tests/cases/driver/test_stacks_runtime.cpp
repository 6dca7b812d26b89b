// Stacks through libstdc++, which Debian builds without frame pointers: programs/stacks_runtime.cpp
// allocates through std::string's and std::locale's out-of-line members from its own functions and
// from a shared library built with -fomit-frame-pointer. With the default stack_unwinder every
// group's site must be the user's function at the line of the call, and its stack must reach
// main; with stack_unwinder=fp (frame pointers only) the sites stay inside libstdc++, which is
// what shows this test can fail.
#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "case_run.hpp"

using cases::base_name;
using cases::run_case;

// A namespace of its own: the driver is a unity build, and test_stacks.cpp has helpers of these names.
namespace runtime_stacks {

std::string text(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : std::string(); }

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

// "assign=50 locale=52 ..." from the program's stdout.
std::map<std::string, int> named_lines(const std::string& out) {
    std::map<std::string, int> lines;
    std::istringstream in(out);
    std::string item;
    while (in >> item) {
        auto const eq = item.find('=');
        if (eq != std::string::npos) lines[item.substr(0, eq)] = std::stoi(item.substr(eq + 1));
    }
    return lines;
}

struct group {
    const char* name;     // its line's name on stdout
    const char* function; // the site's function (a prefix of the demangled name)
    const char* file;
    const char* module;
};

const group kGroups[] = {
    {"assign", "(anonymous namespace)::assign_text(", "stacks_runtime.cpp", "stacks_runtime"},
    {"locale", "(anonymous namespace)::assign_text(", "stacks_runtime.cpp", "stacks_runtime"},
    {"reserve", "(anonymous namespace)::reserve_room(", "stacks_runtime.cpp", "stacks_runtime"},
    {"lib_assign", "runtimelib::fill(", "stacks_runtime_lib.cpp", "libcase_stacks_runtime.so"},
    {"lib_reserve", "runtimelib::fill(", "stacks_runtime_lib.cpp", "libcase_stacks_runtime.so"},
};

// The leaks whose site is `g` at `line`.
std::vector<nlohmann::json> leaks_at(const nlohmann::json& report, const group& g, int line) {
    std::vector<nlohmann::json> found;
    for (const auto& leak : report["leaks"])
        if (starts_with(text(leak["function"]), g.function) && base_name(text(leak["file"])) == g.file &&
            leak["line"] == line)
            found.push_back(leak);
    return found;
}

// Whether some frame of the stack is main.
bool reaches_main(const nlohmann::json& stack) {
    for (const auto& frame : stack)
        if (text(frame["function"]) == "main") return true;
    return false;
}

TEST_CASE("stacks_runtime: blocks allocated inside libstdc++ are the user's, at the line of the call") {
    auto r = run_case("stacks_runtime");
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit);
    REQUIRE(r.has_report);
    auto lines = named_lines(r.proc.out);
    REQUIRE(lines.size() == 5);
    for (const group& g : kGroups) {
        CAPTURE(g.name);
        auto leaks = leaks_at(r.report, g, lines[g.name]);
        REQUIRE(!leaks.empty());
        for (const auto& leak : leaks) {
            INFO(leak.dump(1));
            CHECK(base_name(text(leak["module"])) == g.module);
            const auto& stack = leak["stack"];
            REQUIRE(stack.is_array());
            // The allocation itself is libstdc++'s (its first frame is a std:: member), the site
            // a frame further out, and main further still.
            CHECK(starts_with(text(stack[0]["function"]), "std::"));
            CHECK(reaches_main(stack));
        }
    }
    // Nothing lost is left at a libstdc++ site: every group above found its user.
    for (const auto& leak : r.report["leaks"]) {
        INFO(leak.dump(1));
        CHECK_FALSE(starts_with(text(leak["function"]), "std::"));
        CHECK(base_name(text(leak["module"])) != "libstdc++.so.6");
    }
}

TEST_CASE("stacks_runtime: with frame pointers only the sites stay inside libstdc++") {
    auto r = run_case("stacks_runtime", "stack_unwinder=fp");
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit);
    REQUIRE(r.has_report);
    auto lines = named_lines(r.proc.out);
    REQUIRE(lines.size() == 5);
    for (const group& g : kGroups) {
        CAPTURE(g.name);
        CHECK(leaks_at(r.report, g, lines[g.name]).empty());
    }
}

} // namespace runtime_stacks
