// leakguard - in-process memory-leak tracker for C++ (header-only)
// SPDX-License-Identifier: MIT
// report/json_writer.hpp: the one writer of JSON, for the JSON report and its heap errors. It puts
// the commas, quotes and escapes itself, so the writers say only what goes where; it writes
// through an fd_writer, so it never allocates.
#ifndef LEAKGUARD_DETAIL_REPORT_JSON_WRITER_HPP_INCLUDED
#define LEAKGUARD_DETAIL_REPORT_JSON_WRITER_HPP_INCLUDED

#include <cstddef>     // std::size_t
#include <cstdint>     // std::uintptr_t
#include <type_traits> // std::is_signed

#include "../core/platform.hpp"

namespace leakguard {
namespace detail {

// Nesting the writer keeps track of (the JSON report nests 5 deep, the SARIF log 14: a code flow's
// frame's artifact location); deeper levels share the last flag.
constexpr std::size_t json_max_depth = 16;

class json_writer {
public:
    explicit json_writer(fd_writer& out) noexcept : out_(out), depth_(0), after_key_(false), new_line_(false) {
        first_[0] = true;
    }
    json_writer(const json_writer&) = delete;
    json_writer& operator=(const json_writer&) = delete;

    void begin_object() noexcept { open("{"); }
    void end_object() noexcept { close("}"); }
    void begin_array() noexcept { open("["); }
    void end_array() noexcept { close("]"); }
    // The name of the member whose value comes next: `json.key("size").number(n);`.
    json_writer& key(const char* name) noexcept {
        separate();
        quoted(name);
        out_.put(":");
        after_key_ = true;
        return *this;
    }
    // The next member or element starts a line (the report keeps one leak, one error a line).
    void new_line() noexcept { new_line_ = true; }

    // A string, escaped; nullptr is null.
    void string(const char* s) noexcept {
        value();
        if (s) quoted(s);
        else out_.put("null");
    }
    template <class Integer>
    void number(Integer n) noexcept {
        value();
        integer(n, std::is_signed<Integer>());
    }
    void boolean(bool b) noexcept {
        value();
        out_.put(b ? "true" : "false");
    }
    void null() noexcept {
        value();
        out_.put("null");
    }
    // An address or an offset, as the string "0x...".
    void hex(std::uintptr_t n) noexcept {
        value();
        out_.printf("\"0x%lx\"", static_cast<unsigned long>(n));
    }
    void address(const void* p) noexcept { hex(reinterpret_cast<std::uintptr_t>(p)); }
    // A number with `decimals` digits after the point (times and durations in seconds).
    void fixed(double v, int decimals) noexcept {
        value();
        out_.printf("%.*f", decimals, v);
    }
    // A value already written as JSON elsewhere (a cached array), put as it is.
    void raw(const char* json, std::size_t n) noexcept {
        value();
        out_.put(json, n);
    }

private:
    // Whether the open object or array (or the document) has nothing in it yet.
    bool& first_here() noexcept { return first_[depth_ < json_max_depth ? depth_ : json_max_depth]; }
    void integer(long long n, std::true_type) noexcept { out_.printf("%lld", n); }
    void integer(unsigned long long n, std::false_type) noexcept { out_.printf("%llu", n); }

    // Before a value: a comma unless it is its member's value or the first element.
    void value() noexcept {
        if (after_key_) after_key_ = false;
        else separate();
    }
    void separate() noexcept {
        if (!first_here()) out_.put(",");
        first_here() = false;
        if (new_line_) out_.put("\n");
        new_line_ = false;
    }
    void open(const char* bracket) noexcept {
        value();
        out_.put(bracket);
        ++depth_;
        first_here() = true;
    }
    // A document ends with a line break.
    void close(const char* bracket) noexcept {
        out_.put(bracket);
        if (depth_ > 0 && --depth_ == 0) out_.put("\n");
    }
    void quoted(const char* s) noexcept {
        out_.put("\"");
        for (; *s; ++s) {
            unsigned char const c = static_cast<unsigned char>(*s);
            if (c == '"' || c == '\\') {
                char const escaped[2] = {'\\', static_cast<char>(c)};
                out_.put(escaped, 2);
            } else if (c < 0x20) {
                out_.printf("\\u%04x", c);
            } else {
                out_.put(s, 1);
            }
        }
        out_.put("\"");
    }

    fd_writer& out_;
    std::size_t depth_;
    bool first_[json_max_depth + 1]; // [0]: the document's top level
    bool after_key_;
    bool new_line_;
};

} // namespace detail
} // namespace leakguard

#endif // LEAKGUARD_DETAIL_REPORT_JSON_WRITER_HPP_INCLUDED
