// Running a program as a child process with a given environment, capturing its output and exit
// status, and killing it (with its whole process group) when it runs too long.
#ifndef LEAKGUARD_CASES_PROCESS_HPP
#define LEAKGUARD_CASES_PROCESS_HPP

#include <string>
#include <vector>

namespace cases {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents when this goes away
// (kept when LEAKGUARD_CASES_KEEP is set in the environment, for debugging).
class temp_dir {
public:
    temp_dir();
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

struct process_result {
    int exit_code = -1;     // the status passed to exit(), when the process exited
    int signal = 0;         // the signal that ended it, when one did
    bool timed_out = false; // killed by run_process after the timeout
    long pid = 0;
    std::string out; // everything it wrote to stdout
    std::string err; // everything it wrote to stderr

    // One line for failure messages: "exit 23", "signal 11", "timed out".
    std::string status_text() const;
};

// Runs argv[0] (a path) with the parent's environment minus LEAKGUARD_OPTIONS, plus `env`
// ("NAME=value" entries, which replace same-named ones). stdout and stderr go to files in
// `capture_dir`; stdin is /dev/null. After `timeout_s` seconds the process group is killed.
process_result run_process(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                           const std::string& capture_dir, double timeout_s);

std::string read_file(const std::string& path);
bool file_exists(const std::string& path);

// The program `name` as found on PATH when the tests run (run_process takes a path); empty when
// it is not there.
std::string program_on_path(const std::string& name);

// The lines of `text` that contain `needle`.
std::vector<std::string> lines_containing(const std::string& text, const std::string& needle);

} // namespace cases

#endif
