// Call stacks without macros: programs/stacks.cpp built at -O0 (stacks_o0) and at
// -O2 -g (stacks_o2), checked through the JSON report - the site (file, line, function of a
// leak) and the stack of each kind of leak - and the text report's group of the seed.
#include <doctest/doctest.h>

#include <map>
#include <sstream>
#include <string>

#include "case_run.hpp"

using cases::base_name;
using cases::run_case;

namespace {

std::string text(const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : std::string(); }

bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

// "seed=31 func1=35 ..." from the program's stdout.
std::map<std::string, int> named_lines(const std::string& out) {
    std::map<std::string, int> lines;
    std::istringstream in(out);
    std::string item;
    while (in >> item) {
        auto const eq = item.find('=');
        if (eq != std::string::npos && item.compare(0, 6, "record") != 0)
            lines[item.substr(0, eq)] = std::stoi(item.substr(eq + 1));
    }
    return lines;
}

// The index of the first frame of `stack` whose function starts with `prefix`, or -1.
int frame_index(const nlohmann::json& stack, const std::string& prefix, std::size_t from = 0) {
    for (std::size_t i = from; i < stack.size(); ++i)
        if (starts_with(text(stack[i]["function"]), prefix)) return static_cast<int>(i);
    return -1;
}

// The index of the first frame of `stack` whose function contains `part`, or -1.
int frame_containing(const nlohmann::json& stack, const std::string& part) {
    for (std::size_t i = 0; i < stack.size(); ++i)
        if (text(stack[i]["function"]).find(part) != std::string::npos) return static_cast<int>(i);
    return -1;
}

// The leaks of `report` whose site function starts with `prefix`.
std::vector<nlohmann::json> leaks_in(const nlohmann::json& report, const std::string& prefix) {
    std::vector<nlohmann::json> found;
    for (const auto& leak : report["leaks"])
        if (starts_with(text(leak["function"]), prefix)) found.push_back(leak);
    return found;
}

// A leak of kind `loss` whose site is `function` (a prefix of the demangled name) at
// stacks.cpp:line, the site's frame in the stack after the standard library's frame `std_frame`
// (part of its name: a linkage name demangled has the return type, a DWARF name of a function
// with internal linkage has no parameters) and before main's.
void check_container_leak(const nlohmann::json& report, const std::string& function, int line,
                          const std::string& std_frame, const char* loss, bool optimised) {
    auto leaks = leaks_in(report, function);
    REQUIRE(leaks.size() == 1);
    const auto& leak = leaks[0];
    INFO(leak.dump(1));
    CHECK(leak["kind"] == "new");
    CHECK(leak["loss"] == loss);
    CHECK(base_name(text(leak["file"])) == "stacks.cpp");
    CHECK(leak["line"] == line);
    const auto& stack = leak["stack"];
    REQUIRE(stack.is_array());
    int const lib = frame_containing(stack, std_frame);
    int const site = frame_index(stack, function);
    int const main = frame_index(stack, "main");
    CHECK(lib >= 0);
    CHECK(site > lib);
    CHECK(main > site);
    if (site > 0) {
        CHECK(stack[site]["line"] == line);
        CHECK(stack[site]["inlined"] == false);
        // At -O2 the standard library's frame next to the site was inlined into it: a frame of
        // its own at the same address (at -O0 a real call, another address). Sanitizer builds
        // inline less (clang's AddressSanitizer keeps make_shared's constructor out of line):
        // there only the -O0 half is certain.
        if (!optimised) {
            CHECK(stack[site - 1]["inlined"] == false);
            CHECK(stack[site - 1]["address"] != stack[site]["address"]);
        } else if (LEAKGUARD_CASES_INTERPOSE) {
            CHECK(stack[site - 1]["inlined"] == true);
            CHECK(stack[site - 1]["address"] == stack[site]["address"]);
        }
    }
}

void check_stacks(const std::string& program, bool optimised) {
    // show_reachable=1: the blocks kept by globals are listed too (with "loss": "reachable").
    auto r = run_case(program, "show_reachable=1");
    INFO(r.describe());
    CHECK(r.status() == cases::kLeakExit);
    REQUIRE(r.has_report);
    auto lines = named_lines(r.proc.out);
    REQUIRE(lines.size() == 5);
    // Lost: 20 seed blocks and the shared_ptr's block (a cycle of one). The vector's buffer and the
    // library's record are still reachable.
    CHECK(cases::summary(r.report, "leaked_blocks") == 21);

    SUBCASE("seed: func1 -> func2 -> new[] in a loop is one group of 20 with both functions") {
        auto seed = leaks_in(r.report, "(anonymous namespace)::func2()");
        REQUIRE(seed.size() == 20);
        for (const auto& leak : seed) {
            INFO(leak.dump(1));
            CHECK(leak["kind"] == "new[]");
            CHECK(leak["loss"] == "definite");
            CHECK(leak["size"] == 16);
            CHECK(base_name(text(leak["file"])) == "stacks.cpp");
            CHECK(leak["line"] == lines["seed"]);
            const auto& stack = leak["stack"];
            REQUIRE(stack.is_array());
            REQUIRE(stack.size() >= 3);
            // (at -O2 gcc may name them "... [clone .isra.0]")
            CHECK(starts_with(text(stack[0]["function"]), "(anonymous namespace)::func2()"));
            CHECK(stack[0]["line"] == lines["seed"]);
            CHECK(starts_with(text(stack[1]["function"]), "(anonymous namespace)::func1()"));
            CHECK(stack[1]["line"] == lines["func1"]);
            CHECK(stack[2]["function"] == "main");
        }
        auto groups = cases::lines_containing(r.proc.err, "(new[], 16 bytes each) allocated at");
        REQUIRE(groups.size() == 1);
        CHECK(groups[0].find("320 bytes in 20 blocks") != std::string::npos);
        CHECK(groups[0].find("(anonymous namespace)::func2() ") != std::string::npos);
        CHECK(cases::lines_containing(r.proc.err, "    by (anonymous namespace)::func1()").size() == 1);
    }
    SUBCASE("vector: a buffer from push_back is grow_vector's, at the push_back line") {
        check_container_leak(r.report, "(anonymous namespace)::grow_vector()", lines["vector"],
                             "std::vector<long, std::allocator<long> >::push_back", "reachable", optimised);
    }
    SUBCASE("shared: a block from make_shared is make_cycle's, at the make_shared line") {
        check_container_leak(r.report, "(anonymous namespace)::make_cycle()", lines["shared"], "std::make_shared<",
                             "definite", optimised);
    }
    SUBCASE("library: a block new[]'d in a library without leakguard names the library's function") {
        // The library has no frame pointers: by default its frames are stepped over by its
        // unwind tables (docs/design.md, "How stacks are taken"), with stack_unwinder=libgcc by
        // the C++ runtime's unwinder; both reach main.
        for (const char* options : {"", "stack_unwinder=libgcc"}) {
            auto run = options[0] ? run_case(program, std::string(options) + ":show_reachable=1") : r;
            INFO(options << "\n" << run.describe());
            CHECK(run.status() == cases::kLeakExit);
            auto leaks = leaks_in(run.report, "stackslib::make_record(");
            REQUIRE(leaks.size() == 1);
            const auto& leak = leaks[0];
            INFO(leak.dump(1));
            CHECK(leak["kind"] == "new[]");
            CHECK(leak["loss"] == "reachable");
            CHECK(leak["size"] == 100);
            CHECK(leak["function"] == "stackslib::make_record(unsigned long)");
            CHECK(base_name(text(leak["module"])) == "libcase_stacks.so");
            CHECK(base_name(text(leak["file"])) == "stacks_lib.cpp");
            CHECK(leak["line"] == lines["library"]);
            REQUIRE(leak["stack"].is_array());
            CHECK(frame_index(leak["stack"], "stackslib::make_record(") == 0);
            CHECK(frame_index(leak["stack"], "main") > 0);
        }
    }
}

} // namespace

TEST_CASE("stacks_o0") { check_stacks("stacks_o0", false); }

TEST_CASE("stacks_o2") { check_stacks("stacks_o2", true); }

// A library unloaded and another loaded at the same address (reload_same_address.cpp): the
// second one's leak is named from its own tables, though a report read the first one's before.
TEST_CASE("reload_same_address: a library loaded where another was is named after itself") {
    auto r = cases::run_case("reload_same_address", "log_path=/dev/null");
    INFO(r.describe());
    REQUIRE(r.status() == cases::kLeakExit);
    REQUIRE(r.has_report);
    if (r.proc.out.find("same address") == std::string::npos) {
        CASES_SKIP("the loader put the second library elsewhere: nothing to tell apart");
        return;
    }
    REQUIRE(r.report["leaks"].size() == 1);
    const auto& leak = r.report["leaks"][0];
    CHECK(leak["function"] == "reload_make_b");
    CHECK(leak["module"].get<std::string>().find("libcase_reload_b.so") != std::string::npos);
    CHECK(leak["file"].get<std::string>().find("reload_lib.cpp") != std::string::npos);
}

// Twenty modules (many_modules.cpp): every one's leak is named with file and line.
TEST_CASE("many_modules: sites in twenty libraries are all named with file and line") {
    auto r = cases::run_case("many_modules", "log_path=/dev/null");
    INFO(r.describe());
    REQUIRE(r.status() == cases::kLeakExit);
    REQUIRE(r.has_report);
    REQUIRE(r.report["leaks"].size() == 20);
    for (const auto& leak : r.report["leaks"]) {
        INFO(leak.dump());
        CHECK(leak["function"].get<std::string>().rfind("many_make_", 0) == 0);
        CHECK(leak["file"].is_string());
        CHECK(leak["file"].get<std::string>().find("reload_lib.cpp") != std::string::npos);
        CHECK(leak["line"] == 7);
    }
}

// Statically linked programs (static_exe.cpp): named from their own file.
TEST_CASE("static_exe: a statically linked program's leak is named with function, file and line") {
    if (!LEAKGUARD_CASES_INTERPOSE) {
        CASES_SKIP("built under a sanitizer, which cannot be linked statically");
        return;
    }
    for (const char* name : {"static_exe", "static_pie_exe"}) {
        // Listed whatever its kind: the naming is what is checked here.
        auto r = cases::run_case(name, "log_path=/dev/null:show_reachable=1");
        INFO(name << "\n" << r.describe());
        REQUIRE(r.has_report);
        REQUIRE(r.report["leaks"].size() == 1);
        const auto& leak = r.report["leaks"][0];
        CHECK(leak["function"] == "static_leaky()");
        CHECK(leak["file"].get<std::string>().find("static_exe.cpp") != std::string::npos);
        CHECK(leak["line"] == 10);
        CHECK(leak["module"].get<std::string>().find(name) != std::string::npos);
    }
}
