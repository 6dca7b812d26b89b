// leakguard::repeat_check and LEAKGUARD_REPEAT: a site that keeps blocks from every repetition
// fails (a registry that grows, all of it reachable); a cache filled by the first repetition
// alone, or one that keeps only the latest value, passes. The default handler's text shows each
// failing site's counts per repetition.
#include <doctest/doctest.h>

#include "support.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace {

struct item {
    item* next;
    char pad[40];
};

item* volatile g_registry_head; // a registry that never forgets: every item reachable
item* volatile g_cache;         // filled once
item* volatile g_latest;        // keeps only the latest item

__attribute__((noinline)) void register_item() {
    item* it = new item();
    it->next = g_registry_head;
    g_registry_head = it;
}
__attribute__((noinline)) void fill_cache_once() {
    if (!g_cache) g_cache = new item();
}
__attribute__((noinline)) void keep_latest() {
    item* const old = g_latest;
    g_latest = new item();
    delete old;
}
void clear_all() {
    for (item* p = g_registry_head; p;) {
        item* const next = p->next;
        delete p;
        p = next;
    }
    g_registry_head = nullptr;
    delete g_cache;
    g_cache = nullptr;
    delete g_latest;
    g_latest = nullptr;
}

std::string read_file(const std::string& path) {
    std::ifstream in(path.c_str());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

TEST_CASE("a site that keeps blocks from every repetition fails a repeat check") {
    unit::failure_recorder recorder;
    int runs = 0;
    LEAKGUARD_REPEAT(3) {
        ++runs;
        register_item();
        register_item();
        fill_cache_once();
        keep_latest();
    }
    unit::recorded_failure const got = recorder.last();
    clear_all();

    CHECK(runs == 3);
    CHECK(got.calls == 1);
    CHECK(got.leaked_blocks == 6); // register_item's two per repetition; not the cache, not the latest
    CHECK(got.leaked_bytes == 6 * sizeof(item));
    CHECK(recorder.new_failures() == 1);
}

TEST_CASE("a cache filled once and a slot that keeps the latest pass a repeat check") {
    unit::failure_recorder recorder;
    bool result = false;
    {
        leakguard::repeat_check r(__FILE__, __LINE__, 4, "cache");
        while (r.next()) {
            fill_cache_once();
            keep_latest();
        }
        result = r.check(); // checked already by the last next(): true, and no second failure
    }
    clear_all();
    CHECK(result);
    CHECK(recorder.calls() == 0);
}

TEST_CASE("LEAKGUARD_REPEAT() runs the repeats option's count; a loop left early is not checked") {
    unit::failure_recorder recorder;
    int runs = 0;
    LEAKGUARD_REPEAT() {
        ++runs;
        register_item();
    }
    CHECK(runs == 3); // the default
    CHECK(recorder.calls() == 1);

    REQUIRE(leakguard::set_option("repeats", "5"));
    runs = 0;
    LEAKGUARD_REPEAT() {
        ++runs;
        register_item();
        if (runs == 2) break;
    }
    CHECK(unit::restore_option_default("repeats"));
    clear_all();
    CHECK(runs == 2);
    CHECK(recorder.calls() == 1); // no second failure
}

TEST_CASE("the default handler shows a repeat check's counts per repetition") {
    unit::failure_reset reset;
    leakguard::scope_failure_handler const previous = leakguard::set_scope_failure_handler(nullptr);
    bool const redirected = leakguard::set_option("log_path", "/tmp/leakguard-unit-repeat-%p.log");
    int line = 0;
    int run = 0;
    line = __LINE__ + 1;
    LEAKGUARD_REPEAT(3) {
        ++run;
        for (int i = 0; i < run; ++i) register_item(); // 1, 2, 3 items
    }
    bool const restored = leakguard::set_option("log_path", "");
    leakguard::set_scope_failure_handler(previous);
    clear_all();

    std::string const path = "/tmp/leakguard-unit-repeat-" + std::to_string(static_cast<long>(::getpid())) + ".log";
    std::string const text = read_file(path);
    std::remove(path.c_str());
    INFO(text);
    CHECK(redirected);
    CHECK(restored);
    CHECK(text.find("leakguard: repeat check \"\" (" __FILE__ ":" + std::to_string(line) + ") left 6 blocks (" +
                    std::to_string(6 * sizeof(item)) +
                    " bytes) alive from sites that kept blocks from every one of its 3 repetitions") !=
          std::string::npos);
    CHECK(text.find("register_item") != std::string::npos);
    CHECK(text.find(", per repetition [1, 2, 3]") != std::string::npos);
}
