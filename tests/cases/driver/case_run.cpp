// See case_run.hpp.
#include "case_run.hpp"

#include <fstream>

#ifndef LEAKGUARD_CASES_BIN
#error "LEAKGUARD_CASES_BIN (the directory of the case binaries) must be defined by the build"
#endif

namespace cases {

std::string case_path(const std::string& name) { return std::string(LEAKGUARD_CASES_BIN) + "/" + name; }

std::string base_name(const std::string& path) { return path.substr(path.rfind('/') + 1); }

std::string case_result::describe() const {
    std::string text =
        "status: " + proc.status_text() + "\n--- stdout ---\n" + proc.out + "--- stderr ---\n" + proc.err;
    text += has_report ? "--- json ---\n" + report.dump(1) : "--- no json report ---";
    return text;
}

nlohmann::json load_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) return nullptr;
    return nlohmann::json::parse(in, nullptr, false); // discarded (an error value) when malformed
}

long long summary(const nlohmann::json& report, const char* key) {
    if (!report.is_object() || !report.contains("summary")) return -1;
    const nlohmann::json& s = report["summary"];
    return s.contains(key) && s[key].is_number_integer() ? s[key].get<long long>() : -1;
}

case_result run_case(const std::string& name, const std::string& options, const std::vector<std::string>& args,
                     double timeout_s, const std::vector<std::string>& env) {
    case_result r;
    r.dir = std::make_shared<temp_dir>();
    std::string const json_path = r.dir->file("report.json");
    std::string lg_options = "json_path=" + json_path;
    if (!options.empty()) lg_options += ":" + options;

    std::vector<std::string> argv = {case_path(name)};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> all_env = env;
    all_env.push_back("LEAKGUARD_OPTIONS=" + lg_options);
    r.proc = run_process(argv, all_env, r.dir->path(), timeout_s);

    r.report = load_json(json_path);
    r.has_report = r.report.is_object();
    if (!r.has_report) r.report = nullptr;
    return r;
}

} // namespace cases
