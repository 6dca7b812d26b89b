// Suppressions, from the inside (docs/suppressions.md): the two glob languages, the parser's edge
// cases (with the warnings it prints), the frame matching rules on frames made up here, and the
// filter on real blocks of this process. A program of its own: it reaches leakguard's detail
// functions, so it is the LEAKGUARD_MAIN unit itself (tests/unit's other files see only the API).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#define LEAKGUARD_MAIN
#include <leakguard/leakguard.hpp>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>
#include <vector>

namespace lgd = leakguard::detail;

// ---------------------------------------------------------------------------------------------
// Globs

TEST_CASE("valgrind's globs match the whole name, with * ? and backslash") {
    CHECK(lgd::valgrind_glob("main", "main"));
    CHECK_FALSE(lgd::valgrind_glob("main", "main2"));
    CHECK_FALSE(lgd::valgrind_glob("ain", "main"));
    CHECK(lgd::valgrind_glob("*", ""));
    CHECK(lgd::valgrind_glob("*", "anything"));
    CHECK_FALSE(lgd::valgrind_glob("", "x"));
    CHECK(lgd::valgrind_glob("", ""));
    CHECK(lgd::valgrind_glob("_ZN5store*", "_ZN5store10keep_entryEi"));
    CHECK(lgd::valgrind_glob("*keep_entry*", "_ZN5store10keep_entryEi"));
    CHECK(lgd::valgrind_glob("__mbr*toc", "__mbrtowc") == false); // valgrind manual's example: "towc" != "toc"
    CHECK(lgd::valgrind_glob("__mbr*toc", "__mbrXtoc"));
    CHECK(lgd::valgrind_glob("m?lloc", "malloc"));
    CHECK_FALSE(lgd::valgrind_glob("m?lloc", "mlloc"));
    // Backtracking: the first star must give back what the later pattern needs.
    CHECK(lgd::valgrind_glob("a*b*c", "aXbYbZc"));
    CHECK(lgd::valgrind_glob("*ab", "aab"));
    CHECK_FALSE(lgd::valgrind_glob("a*b*c", "aXbYbZ"));
    CHECK(lgd::valgrind_glob("**x**", "x"));
    // A backslash makes the next character plain.
    CHECK(lgd::valgrind_glob("a\\*b", "a*b"));
    CHECK_FALSE(lgd::valgrind_glob("a\\*b", "aXb"));
    CHECK(lgd::valgrind_glob("what\\?", "what?"));
    CHECK_FALSE(lgd::valgrind_glob("what\\?", "whats"));
}

TEST_CASE("LeakSanitizer's globs match anywhere unless anchored, with * only") {
    CHECK(lgd::lsan_glob("keep_entry", "store::keep_entry(int)"));
    CHECK(lgd::lsan_glob("store::*(int)", "store::keep_entry(int)"));
    CHECK(lgd::lsan_glob("^store::", "store::keep_entry(int)"));
    CHECK_FALSE(lgd::lsan_glob("^keep_entry", "store::keep_entry(int)"));
    CHECK(lgd::lsan_glob("(int)$", "store::keep_entry(int)"));
    CHECK_FALSE(lgd::lsan_glob("keep_entry$", "store::keep_entry(int)"));
    CHECK(lgd::lsan_glob("^store::keep_entry(int)$", "store::keep_entry(int)"));
    CHECK_FALSE(lgd::lsan_glob("^store::keep_entry$", "store::keep_entry(int)"));
    CHECK(lgd::lsan_glob("libfoo.so", "/usr/lib/libfoo.so.1"));
    CHECK(lgd::lsan_glob("*/suppressions$", "/build/bin/suppressions"));
    CHECK_FALSE(lgd::lsan_glob("*/suppressions$", "/build/bin/suppressions_plain"));
    // '?' is a plain character here; an empty name (unknown) never matches.
    CHECK_FALSE(lgd::lsan_glob("m?lloc", "malloc"));
    CHECK(lgd::lsan_glob("m?lloc", "m?lloc"));
    CHECK_FALSE(lgd::lsan_glob("*", ""));
    CHECK_FALSE(lgd::lsan_glob("x", nullptr));
    // A '$' that is not last, and a '^' that is not first, are plain.
    CHECK(lgd::lsan_glob("a$b", "xa$by"));
    CHECK(lgd::lsan_glob("a^b", "a^b"));
}

// ---------------------------------------------------------------------------------------------
// The parser

namespace {

// Runs f() with file descriptor `fd`'s output captured; returns it.
struct parsed {
    lgd::suppression_file* file;
    unsigned warnings;
    std::string text; // what was printed
    std::vector<std::string> lines() const {
        std::vector<std::string> out;
        std::size_t start = 0;
        for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
            out.push_back(text.substr(start, nl - start));
        return out;
    }
    const lgd::suppression& entry(std::size_t i) const { return file->entries.items[i]; }
    const lgd::frame_pattern& frame(std::size_t entry_index, std::size_t i) const {
        return file->frames.items[entry(entry_index).frames + i];
    }
    std::size_t count() const { return file->entries.count; }
};

// Parses `text` as the file "test.supp" (in pages, as the loader does; kept for the process, as
// loaded files are), its warnings written to a temporary file and read back.
parsed parse_text(const std::string& text) {
    parsed p = {};
    p.file = static_cast<lgd::suppression_file*>(lgd::map_pages(sizeof(lgd::suppression_file)));
    std::strcpy(p.file->path, "test.supp");
    p.file->text = static_cast<char*>(lgd::map_pages(text.size() + 1));
    std::memcpy(p.file->text, text.data(), text.size());
    p.file->text_size = text.size();
    char path[] = "/tmp/leakguard-unit-supp-XXXXXX";
    int const fd = ::mkstemp(path);
    REQUIRE(fd >= 0);
    p.warnings = lgd::parse_suppressions(*p.file, fd);
    ::close(fd);
    std::ifstream in(path);
    p.text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    std::remove(path);
    return p;
}

} // namespace

TEST_CASE("leak: lines, comments, blank lines, other sanitizers' types and line ends") {
    parsed const p = parse_text("# comment\n"
                                "\n"
                                "   leak:first  \r\n"
                                "\tleak:*second*\n"
                                "race:a_race_is_no_leak\n"
                                "interceptor_via_fun:also_fine\n"
                                "  # indented comment\n"
                                "leak:^last$"); // no final line end
    INFO(p.text);
    CHECK(p.warnings == 0);
    CHECK(p.text.empty());
    REQUIRE(p.count() == 3);
    CHECK(std::string(p.entry(0).name) == "first");
    CHECK(p.entry(0).line == 3);
    CHECK_FALSE(p.entry(0).valgrind);
    CHECK(p.entry(0).kinds == lgd::all_leak_kind_bits);
    CHECK(std::string(p.entry(1).name) == "*second*");
    CHECK(std::string(p.entry(2).name) == "^last$");
    CHECK(p.entry(2).line == 8);
}

TEST_CASE("malformed leak: lines are warned about with file and line, and the rest still parses") {
    parsed const p = parse_text("leak:\n"         // 1
                                "no colon here\n" // 2
                                "lek:typo\n"      // 3
                                "leak:good\n"     // 4
                                "}\n");           // 5
    INFO(p.text);
    CHECK(p.warnings == 4);
    auto const lines = p.lines();
    REQUIRE(lines.size() == 4);
    CHECK(lines[0] == "leakguard: suppressions file test.supp line 1: 'leak:' without a pattern (entry skipped)");
    CHECK(lines[1] == "leakguard: suppressions file test.supp line 2: expected 'leak:PATTERN' or a '{' opening a "
                      "valgrind suppression, found 'no colon here' (entry skipped)");
    CHECK(lines[2] == "leakguard: suppressions file test.supp line 3: unknown suppression type 'lek' (entry skipped)");
    CHECK(lines[3] == "leakguard: suppressions file test.supp line 5: '}' without an opening '{' (entry skipped)");
    REQUIRE(p.count() == 1);
    CHECK(std::string(p.entry(0).name) == "good");
}

TEST_CASE("valgrind blocks: name, kinds, every frame line form; other tools and kinds skipped silently") {
    parsed const p = parse_text("{\n" // 1
                                "   <insert_a_suppression_name_here>\n"
                                "   Memcheck:Leak\n"
                                "   match-leak-kinds: definite,possible\n"
                                "   fun:_Znam\n"
                                "   # a comment inside a block\n"
                                "   fun:make_entry\n"
                                "   ...\n"
                                "   obj:/usr/lib/*/libc.so.*\n"
                                "   src:file.cpp:42\n"
                                "   src:other.c\n"
                                "   src:c:\\odd:name\n" // a ':' not followed by digits only stays in the name
                                "}\n"
                                "{\n" // 14: not a leak: skipped, its odd lines unjudged
                                "   cond\n"
                                "   Memcheck:Cond\n"
                                "   whatever this is\n"
                                "}\n"
                                "{\n" // 19: Param has an extra line
                                "   param\n"
                                "   Memcheck:Param\n"
                                "   write(buf)\n"
                                "   fun:write\n"
                                "}\n"
                                "{\n" // 25: Helgrind's
                                "   race\n"
                                "   Helgrind:Race\n"
                                "   fun:*\n"
                                "}\n"
                                "{\r\n" // 30: several tools, one of them memcheck; CRLF line ends
                                "   both\r\n"
                                "   Memcheck,Helgrind:Leak\r\n"
                                "   match-leak-kinds: all\r\n"
                                "   fun:malloc\r\n"
                                "}\r\n");
    INFO(p.text);
    CHECK(p.warnings == 0);
    REQUIRE(p.count() == 2);
    const lgd::suppression& a = p.entry(0);
    CHECK(a.valgrind);
    CHECK(a.line == 1);
    CHECK(std::string(a.name) == "<insert_a_suppression_name_here>");
    CHECK(a.kinds == 5u); // definite (bit 0), possible (bit 2)
    REQUIRE(a.frame_count == 7);
    CHECK(p.frame(0, 0).kind == lgd::frame_pattern_kind::fun);
    CHECK(std::string(p.frame(0, 0).pattern) == "_Znam");
    CHECK(std::string(p.frame(0, 1).pattern) == "make_entry");
    CHECK(p.frame(0, 2).kind == lgd::frame_pattern_kind::any);
    CHECK(p.frame(0, 3).kind == lgd::frame_pattern_kind::obj);
    CHECK(std::string(p.frame(0, 3).pattern) == "/usr/lib/*/libc.so.*");
    CHECK(p.frame(0, 4).kind == lgd::frame_pattern_kind::src);
    CHECK(std::string(p.frame(0, 4).pattern) == "file.cpp");
    CHECK(p.frame(0, 4).line == 42);
    CHECK(std::string(p.frame(0, 5).pattern) == "other.c");
    CHECK(p.frame(0, 5).line == 0);
    CHECK(std::string(p.frame(0, 6).pattern) == "c:\\odd:name");
    CHECK(p.frame(0, 6).line == 0);
    const lgd::suppression& b = p.entry(1);
    CHECK(b.line == 30);
    CHECK(std::string(b.name) == "both");
    CHECK(b.kinds == lgd::all_leak_kind_bits);
    REQUIRE(b.frame_count == 1);
    CHECK(std::string(p.frame(1, 0).pattern) == "malloc");
}

TEST_CASE("malformed valgrind blocks are dropped whole, each with one warning, and parsing goes on") {
    parsed const p = parse_text("{\n" // 1: left open: the next '{' begins
                                "   first\n"
                                "   Memcheck:Leak\n"
                                "   fun:malloc\n"
                                "{\n" // 5
                                "   second, bad kind\n"
                                "   Memcheck:Leak\n"
                                "   match-leak-kinds: definite,lost\n" // 8
                                "   fun:malloc\n"
                                "}\n"
                                "{\n" // 11
                                "   no frames\n"
                                "   Memcheck:Leak\n"
                                "}\n"
                                "{\n" // 15
                                "   no tool line\n"
                                "}\n"
                                "{\n" // 18
                                "   good\n"
                                "   Memcheck:Leak\n"
                                "   fun:calloc\n"
                                "}\n"
                                "{\n" // 23
                                "   tool line without a colon\n"
                                "   MemcheckLeak\n" // 25
                                "   fun:calloc\n"
                                "}\n"
                                "{\n" // 28: never closed
                                "   last\n"
                                "   Memcheck:Leak\n"
                                "   fun:x\n");
    INFO(p.text);
    auto const lines = p.lines();
    REQUIRE(lines.size() == 6);
    CHECK(p.warnings == 6);
    CHECK(lines[0] == "leakguard: suppressions file test.supp line 1: a valgrind suppression without its closing '}' "
                      "(entry skipped)");
    CHECK(lines[1] == "leakguard: suppressions file test.supp line 8: unknown leak kind in 'match-leak-kinds: "
                      "definite,lost' (entry skipped)");
    CHECK(lines[2] == "leakguard: suppressions file test.supp line 11: a valgrind leak suppression without frame lines "
                      "(entry skipped)");
    CHECK(lines[3] == "leakguard: suppressions file test.supp line 15: a valgrind suppression without its 'Tool:Kind' "
                      "line (entry skipped)");
    CHECK(lines[4] == "leakguard: suppressions file test.supp line 25: expected 'Tool:Kind' (Memcheck:Leak), found "
                      "'MemcheckLeak' (entry skipped)");
    CHECK(lines[5] == "leakguard: suppressions file test.supp line 28: a valgrind suppression without its closing '}' "
                      "(entry skipped)");
    REQUIRE(p.count() == 1);
    CHECK(std::string(p.entry(0).name) == "good");
    REQUIRE(p.entry(0).frame_count == 1);
    CHECK(std::string(p.frame(0, 0).pattern) == "calloc"); // the dropped blocks' frames are gone
    CHECK(p.file->frames.count == 1);
}

TEST_CASE("a valgrind block with more frame lines than leakguard keeps is refused") {
    std::string text = "{\n   long\n   Memcheck:Leak\n";
    for (std::size_t i = 0; i <= lgd::max_frame_patterns; ++i) text += "   fun:f" + std::to_string(i) + "\n";
    text += "}\n";
    parsed const p = parse_text(text);
    INFO(p.text);
    CHECK(p.warnings == 1);
    CHECK(p.text.find("line " + std::to_string(4 + lgd::max_frame_patterns) + ": more frame lines") !=
          std::string::npos);
    CHECK(p.count() == 0);
}

TEST_CASE("match-leak-kinds: names, all, none") {
    unsigned bits = 99;
    CHECK(lgd::parse_leak_kinds("definite", bits));
    CHECK(bits == 1u);
    CHECK(lgd::parse_leak_kinds("indirect,reachable", bits));
    CHECK(bits == 10u);
    CHECK(lgd::parse_leak_kinds("all", bits));
    CHECK(bits == 15u);
    CHECK(lgd::parse_leak_kinds("none", bits));
    CHECK(bits == 0u);
    CHECK_FALSE(lgd::parse_leak_kinds("definite,", bits));
    CHECK_FALSE(lgd::parse_leak_kinds("", bits));
    CHECK_FALSE(lgd::parse_leak_kinds("Definite", bits));
}

// ---------------------------------------------------------------------------------------------
// Matching made-up frames

namespace {

lgd::frame_view view(const char* function, const char* raw, const char* file = "", unsigned line = 0,
                     const char* module = "/app/prog") {
    return lgd::frame_view{function, raw, file, line, module, nullptr};
}

// Whether the single entry of `text` matches a block of `kind` and `loss` with these frames.
bool matches(const std::string& text, const std::vector<lgd::frame_view>& frames,
             leakguard::block_kind kind = leakguard::block_kind::new_array,
             leakguard::leak_kind loss = leakguard::leak_kind::definite, const lgd::frame_view* site = nullptr) {
    parsed const p = parse_text(text);
    INFO(p.text);
    REQUIRE(p.warnings == 0);
    REQUIRE(p.count() == 1);
    return lgd::entry_matches(*p.file, p.entry(0), kind, loss, frames.data(), frames.size(), site);
}

std::string block(const std::string& lines, const std::string& kinds = "") {
    return "{\n   name\n   Memcheck:Leak\n" + (kinds.empty() ? "" : "   match-leak-kinds: " + kinds + "\n") + lines +
           "}\n";
}

// make_entry inlined into store::keep_entry(int), called from main: as valgrind names them.
std::vector<lgd::frame_view> const entry_stack = {
    view("(anonymous namespace)::make_entry", "make_entry", "/src/suppressions.cpp", 19),
    view("store::keep_entry(int)", "_ZN5store10keep_entryEi", "/src/suppressions.cpp", 27),
    view("main", "main", "/src/suppressions.cpp", 40),
    view("", nullptr, "", 0, "/lib/x86_64-linux-gnu/libc.so.6"),
};

} // namespace

TEST_CASE("valgrind frames: the allocator's frame first, then the stack from its top") {
    std::string const gen = "   fun:_Znam\n   fun:make_entry\n   fun:_ZN5store10keep_entryEi\n   fun:main\n";
    CHECK(matches(block(gen, "definite"), entry_stack));
    // Another allocation kind: valgrind's allocator frame would be another function.
    CHECK_FALSE(matches(block(gen), entry_stack, leakguard::block_kind::new_scalar));
    CHECK_FALSE(matches(block(gen), entry_stack, leakguard::block_kind::malloc));
    // The frames must follow each other, from the top.
    CHECK_FALSE(matches(block("   fun:make_entry\n   fun:main\n"), entry_stack));
    CHECK_FALSE(matches(block("   fun:_Znam\n   fun:main\n"), entry_stack));
    // A suppression names the top of a stack: frames after its last line do not matter, but
    // lines after the stack's last frame fail it.
    CHECK(matches(block("   fun:_Znam\n   fun:make_entry\n"), entry_stack));
    CHECK_FALSE(matches(block(gen + "   obj:*libc.so*\n   fun:never\n"), entry_stack));
    // Demangled names match too, and globs over either form.
    CHECK(matches(block("   fun:operator new[](unsigned long)\n   fun:*make_entry\n   fun:store::keep_entry(int)\n"),
                  entry_stack));
    CHECK(matches(block("   fun:_Zna*\n   fun:*\n   fun:_ZN5store*\n"), entry_stack));
}

TEST_CASE("valgrind frames: '...' takes any number of frames, none included") {
    CHECK(matches(block("   ...\n   fun:main\n"), entry_stack));
    CHECK(matches(block("   fun:_Znam\n   ...\n   fun:make_entry\n"), entry_stack)); // zero frames
    CHECK(matches(block("   fun:_Znam\n   ...\n   fun:main\n   ...\n"), entry_stack));
    CHECK(matches(block("   ...\n   ...\n   obj:*/libc.so.6\n"), entry_stack));
    CHECK_FALSE(matches(block("   ...\n   fun:main\n   fun:make_entry\n"), entry_stack));
    CHECK_FALSE(matches(block("   ...\n   fun:no_such_function\n"), entry_stack));
}

TEST_CASE("valgrind frames: obj: the module's path, src: the file's last part and its line") {
    CHECK(matches(block("   ...\n   obj:/lib/x86_64-linux-gnu/libc.so.6\n"), entry_stack));
    CHECK(matches(block("   obj:*vgpreload_memcheck*\n   obj:/app/prog\n"), entry_stack));
    CHECK(matches(block("   src:vg_replace_malloc.c:431\n   src:suppressions.cpp:19\n   src:suppressions.cpp\n"),
                  entry_stack));
    CHECK_FALSE(matches(block("   fun:_Znam\n   src:suppressions.cpp:20\n"), entry_stack));
    CHECK(matches(block("   fun:_Znam\n   src:/src/*.cpp\n"), entry_stack)); // the whole path too
    // An unknown function is valgrind's "???"; an unknown file matches no src: line.
    CHECK(matches(block("   ...\n   fun:main\n   fun:\\?\\?\\?\n"), entry_stack));
    CHECK_FALSE(matches(block("   ...\n   fun:main\n   src:*\n"), entry_stack));
    // The executable named by the loader as it was started, and by valgrind by its real path.
    std::vector<lgd::frame_view> started = entry_stack;
    for (auto& v : started) v.module = "./prog";
    started[1].module_alt = "/app/prog";
    CHECK(matches(block("   fun:_Znam\n   obj:./prog\n   obj:/app/prog\n"), started));
}

TEST_CASE("valgrind frames: every allocation kind has its allocator's names") {
    using leakguard::block_kind;
    struct {
        block_kind kind;
        const char* name;
    } const cases[] = {
        {block_kind::new_scalar, "_Znwm"},
        {block_kind::new_scalar, "_ZnwmRKSt9nothrow_t"},
        {block_kind::new_array, "_Znam"},
        {block_kind::new_scalar_aligned, "_ZnwmSt11align_val_t"},
        {block_kind::new_array_aligned, "_ZnamSt11align_val_tRKSt9nothrow_t"},
        {block_kind::malloc, "malloc"},
        {block_kind::calloc, "calloc"},
        {block_kind::realloc, "realloc"},
        {block_kind::strdup, "malloc"},
        {block_kind::memalign, "memalign"},
        {block_kind::posix_memalign, "posix_memalign"},
        {block_kind::aligned_alloc, "aligned_alloc"},
        {block_kind::valloc, "valloc"},
        {block_kind::pvalloc, "pvalloc"},
    };
    for (const auto& c : cases) {
        INFO(c.name);
        CHECK(matches(block(std::string("   fun:") + c.name + "\n"), entry_stack, c.kind));
        CHECK_FALSE(matches(block("   fun:_Znwm_never\n"), entry_stack, c.kind));
    }
}

TEST_CASE("match-leak-kinds: the block's kind of loss; a block no check judged matches any") {
    using leakguard::leak_kind;
    std::string const supp = block("   fun:_Znam\n", "definite,indirect");
    CHECK(matches(supp, entry_stack, leakguard::block_kind::new_array, leak_kind::definite));
    CHECK(matches(supp, entry_stack, leakguard::block_kind::new_array, leak_kind::indirect));
    CHECK_FALSE(matches(supp, entry_stack, leakguard::block_kind::new_array, leak_kind::possible));
    CHECK_FALSE(matches(supp, entry_stack, leakguard::block_kind::new_array, leak_kind::reachable));
    CHECK(matches(supp, entry_stack, leakguard::block_kind::new_array, leak_kind::unchecked));
    CHECK(matches(block("   fun:_Znam\n"), entry_stack, leakguard::block_kind::new_array, leak_kind::reachable));
    CHECK_FALSE(
        matches(block("   fun:_Znam\n", "none"), entry_stack, leakguard::block_kind::new_array, leak_kind::definite));
}

TEST_CASE("leak: lines: any frame's function, file or module; a mapping macro's site too") {
    CHECK(matches("leak:keep_entry\n", entry_stack));
    CHECK(matches("leak:^store::keep_entry(int)$\n", entry_stack));
    CHECK(matches("leak:make_entry\n", entry_stack)); // an inlined call is a frame
    CHECK(matches("leak:suppressions.cpp\n", entry_stack));
    CHECK(matches("leak:libc.so.6\n", entry_stack));
    CHECK(matches("leak:^/app/\n", entry_stack));
    CHECK_FALSE(matches("leak:_ZN5store\n", entry_stack)); // demangled names, as LeakSanitizer's
    CHECK_FALSE(matches("leak:^main$x\n", entry_stack));
    CHECK_FALSE(matches("leak:operator new\n", entry_stack)); // no allocator frame here
    lgd::frame_view const site = view("legacy_init", nullptr, "legacy.c", 12, "");
    CHECK(matches("leak:legacy.c\n", {}, leakguard::block_kind::malloc, leakguard::leak_kind::definite, &site));
    CHECK_FALSE(matches("leak:legacy.c\n", entry_stack));
}

// ---------------------------------------------------------------------------------------------
// Real blocks: the filter, its counts, scopes and check_leaks

namespace {

__attribute__((noinline)) char* unit_suppressed_site() {
    char* p = new char[24];
    __asm__ __volatile__("" : : "r"(p) : "memory");
    return p;
}

__attribute__((noinline)) char* unit_reported_site() {
    char* p = new char[8];
    __asm__ __volatile__("" : : "r"(p) : "memory");
    return p;
}

std::string write_temp(const std::string& text) {
    char path[] = "/tmp/leakguard-unit-supp-file-XXXXXX";
    int const fd = ::mkstemp(path);
    if (fd < 0) return "";
    ::close(fd);
    std::ofstream(path) << text;
    return path;
}

// Loads one file for the length of a test, and forgets it after.
struct loaded_file {
    explicit loaded_file(const std::string& text)
        : path(write_temp(text)), ok(leakguard::set_option("suppressions", path.c_str())) {}
    ~loaded_file() {
        leakguard::set_option("suppressions", "");
        std::remove(path.c_str());
    }
    loaded_file(const loaded_file&) = delete;
    loaded_file& operator=(const loaded_file&) = delete;
    std::string path;
    bool ok;
};

const lgd::suppression* only_entry() {
    const lgd::suppression_file* f = lgd::first_suppression_file();
    return f && f->entries.count == 1 ? &f->entries.items[0] : nullptr;
}

// The blocks allocated since `start`, oldest first (raw memory).
lgd::block_list blocks_since(std::uint64_t start) {
    lgd::busy_section busy;
    return lgd::collect_live(lgd::block_filter{start, 0, false, false});
}

} // namespace

TEST_CASE("the filter takes out the matching blocks, keeps the others in order, and counts on the entry") {
    loaded_file file("leak:unit_suppressed_site\n");
    // Nothing but the four blocks between here and the list (no doctest macro: it may allocate).
    std::uint64_t const start = lgd::begin_epoch();
    char* kept[3];
    for (char*& p : kept) p = unit_suppressed_site();
    char* other = unit_reported_site();
    lgd::block_list list = blocks_since(start);
    std::size_t const listed = list.count;
    std::size_t dropped = 0;
    {
        lgd::busy_section busy;
        dropped = lgd::drop_suppressed(list);
    }
    REQUIRE(file.ok);
    CHECK(listed == 4);
    CHECK(dropped == 3);
    REQUIRE(list.count == 1);
    CHECK(list.items[0].address == other);
    CHECK(list.bytes == 8);
    const lgd::suppression* s = only_entry();
    REQUIRE(s);
    CHECK(s->hit_blocks == 3);
    CHECK(s->hit_bytes == 72);
    lgd::raw_free(list.items);
    for (char* p : kept) delete[] p;
    delete[] other;
}

TEST_CASE("with no file loaded the filter matches nothing (and names no frame)") {
    std::uint64_t const start = lgd::begin_epoch();
    char* p = unit_suppressed_site();
    lgd::block_list list = blocks_since(start);
    std::size_t const dropped = lgd::drop_suppressed(list);
    CHECK_FALSE(lgd::suppressions_loaded());
    CHECK(dropped == 0);
    CHECK(list.count == 1);
    lgd::raw_free(list.items);
    delete[] p;
}

TEST_CASE("the report's totals: suppressed blocks leave their kind, and unlisted kinds leave the list") {
    loaded_file file("{\n   unit\n   Memcheck:Leak\n   match-leak-kinds: definite\n   fun:_Znam\n"
                     "   fun:*unit_suppressed_site*\n}\n");
    std::uint64_t const start = lgd::begin_epoch();
    char* a = unit_suppressed_site(); // made definite below: suppressed
    char* b = unit_suppressed_site(); // indirect: not a kind the entry names, nor one listed below
    char* c = unit_suppressed_site(); // possible: not a kind the entry names; listed
    char* d = unit_reported_site();   // definite, from a site the entry does not name
    lgd::block_list list = blocks_since(start);
    REQUIRE(file.ok);
    REQUIRE(list.count == 4);
    leakguard::leak_kind const kinds[] = {leakguard::leak_kind::definite, leakguard::leak_kind::indirect,
                                          leakguard::leak_kind::possible, leakguard::leak_kind::definite};
    lgd::reach_totals totals = {{0, 0, 0, 0, 0}, {0, 0, 0, 0, 0}, 0, true, 0, 0};
    for (std::size_t i = 0; i < 4; ++i) {
        list.items[i].loss = kinds[i];
        ++totals.blocks[static_cast<unsigned>(kinds[i])];
        totals.bytes[static_cast<unsigned>(kinds[i])] += list.items[i].size;
    }
    REQUIRE(leakguard::set_option("leak_kinds", "definite,possible"));
    {
        lgd::busy_section busy;
        lgd::suppress_checked(list, totals);
    }
    REQUIRE(leakguard::set_option("leak_kinds", "definite,indirect,possible"));
    CHECK(totals.suppressed_blocks == 1);
    CHECK(totals.suppressed_bytes == 24);
    CHECK(totals.blocks[1] == 1);
    CHECK(totals.bytes[1] == 8);
    CHECK(totals.blocks[2] == 1); // still counted, just not listed
    CHECK(totals.blocks[3] == 1);
    REQUIRE(list.count == 2); // the possible block and d, in their order
    CHECK(list.items[0].address == c);
    CHECK(list.items[1].address == d);
    CHECK(list.bytes == 32);
    lgd::raw_free(list.items);
    delete[] a;
    delete[] b;
    delete[] c;
    delete[] d;
}

TEST_CASE("a scope whose only leak is suppressed passes; one with another leak still fails") {
    loaded_file file("{\n   unit\n   Memcheck:Leak\n   fun:_Znam\n   fun:*unit_suppressed_site*\n}\n");
    REQUIRE(file.ok);
    std::size_t const failures_before = leakguard::scope_failures();
    bool passed = false;
    std::size_t left = 99;
    char* p = nullptr;
    {
        leakguard::scope s(__FILE__, __LINE__, "suppressed only");
        p = unit_suppressed_site();
        left = s.leaked_blocks();
        passed = s.check();
    }
    CHECK(left == 0);
    CHECK(passed);
    CHECK(leakguard::scope_failures() == failures_before);
    delete[] p;

    // Control: the same scope with a block no entry names fails (its failure is then forgotten).
    leakguard::scope_failure_handler const previous =
        leakguard::set_scope_failure_handler([](const leakguard::scope_failure&) {});
    char* q = nullptr;
    {
        leakguard::scope s(__FILE__, __LINE__, "not suppressed");
        p = unit_suppressed_site();
        q = unit_reported_site();
        left = s.leaked_blocks();
        passed = s.check();
    }
    leakguard::set_scope_failure_handler(previous);
    CHECK(left == 1);
    CHECK_FALSE(passed);
    CHECK(leakguard::scope_failures() == failures_before + 1);
    leakguard::reset_scope_failures();
    delete[] p;
    delete[] q;
}
