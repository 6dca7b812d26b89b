// See runtime_blocks.hpp.
#include "runtime_blocks.hpp"

#include <doctest/doctest.h>

namespace cases {

bool is_runtime_block(const nlohmann::json& leak, const std::string& program) {
    if (leak.value("loss", "") != "reachable") return false;
    std::string const kind = leak.value("kind", "");
    if (kind.empty() || kind.rfind("new", 0) == 0) return false;               // new, new[], new(align), new[](align)
    if (!leak.contains("module") || !leak["module"].is_string()) return false; // the caller is known
    return base_name(leak["module"].get<std::string>()) != program;
}

void check_only_runtime_blocks_alive(const case_result& r, const std::string& program) {
    REQUIRE(r.has_report);
    REQUIRE(r.report["leaks"].is_array());
    for (const auto& leak : r.report["leaks"]) {
        INFO(leak.dump());
        CHECK(is_runtime_block(leak, program));
    }
    CHECK(static_cast<long long>(r.report["leaks"].size()) == summary(r.report, "live_blocks"));
}

} // namespace cases
