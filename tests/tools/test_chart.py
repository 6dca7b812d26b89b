#!/usr/bin/env python3
"""Tests of tools/leakguard-chart on a synthetic monitor file (tests/tools/CMakeLists.txt).

    python3 tests/tools/test_chart.py             # the tool's output, read back (ctest tools.chart)
    python3 tests/tools/test_chart.py --browser   # the page in headless Chromium (tools.chart_browser)
    python3 tests/tools/test_chart.py --real      # files the monitor wrote (tools.chart_real)

The real run charts what tests/cases/programs/monitor_growth.cpp (LEAKGUARD_MONITOR_CASE names
the built program) writes: the workload under monitor_interval, and write_profile's reports; it
exits 77 (skipped) when LEAKGUARD_MONITOR_CASE is not set.

The browser run exits 77 (ctest: skipped) when no `chromium` is on PATH (LEAKGUARD_CHROMIUM names
another browser binary, or one that does not exist to see the skip). LEAKGUARD_CHART names the
tool (default: tools/leakguard-chart of this tree); LEAKGUARD_CHART_KEEP=DIR keeps the page and
the screenshot there, to look at.

The monitor file: 7 steady sites (flat live bytes, 10000 to 70000), one site that grows by 512
bytes each report from report 4 on (fewer bytes than any steady one, so only its growth puts it
in a top 3), the biggest steady site missing from report 6, function names with < > & and ",
a line cut short, a line that is JSON but no object, and one without "leakguard_monitor".
"""
import html.parser
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.environ.get("LEAKGUARD_CHART") or os.path.join(HERE, "..", "..", "tools", "leakguard-chart")

REPORTS = 12
STEADY = 7
GROW_FROM = 4
TRICKY = "std::map<int, std::vector<char>>::operator[](int const&) & \"q\""
MISSING_AT = 6  # the report the biggest steady site (S6) is missing from


def site_id(i):
    return "%016x" % (0xabc0000000000000 + i)


GROWING_ID = site_id(99)


def steady_site(i, report):
    live = 10000 * (i + 1)
    if i == 5:
        frames = [{"address": "0x401a00", "function": TRICKY, "file": "src/a&b.cpp", "line": 7,
                   "module": "prog"},
                  {"address": "0x401b00", "function": "", "file": "", "line": 0, "module": "prog"},
                  {"address": "0x401c00", "function": "main", "file": "main.cpp", "line": 3, "module": "prog"}]
        name = "%s (src/a&b.cpp:7)" % TRICKY
    else:
        # S0 and S1: one function, two lines - two sites, one folded stack.
        fn = "alloc_small" if i < 2 else "alloc_%d" % i
        frames = [{"address": "0x40%d000" % i, "function": fn, "file": "alloc.cpp", "line": 10 + i,
                   "module": "prog"},
                  {"address": "0x402000", "function": "worker", "file": "w.cpp", "line": 5, "module": "prog"},
                  {"address": "0x401c00", "function": "main", "file": "main.cpp", "line": 3, "module": "prog"}]
        name = "%s (alloc.cpp:%d)" % (fn, 10 + i)
    return {"id": site_id(i), "site": name, "size_min": 16, "size_max": 64 * (i + 1),
            "allocations": 100 * report + i, "frees": 100 * report + i - (i + 1),
            "live_blocks": i + 1, "live_bytes": live, "delta_blocks": 0, "delta_bytes": 0,
            "growing": False, "growing_since": None, "first_seqs": [], "stack": frames,
            "a_field_added_later": {"x": [1, 2]}}


def growing_site(report):
    growing = report >= GROW_FROM
    return {"id": GROWING_ID, "site": "grow_cache (cache.cpp:42)", "size_min": 512, "size_max": 512,
            "allocations": report, "frees": 0, "live_blocks": report, "live_bytes": 512 * report,
            "delta_blocks": 1, "delta_bytes": 512, "growing": growing,
            "growing_since": GROW_FROM if growing else None,
            "first_seqs": [1000, 1100, 1200] if growing else [],
            "stack": [{"address": "0x403000", "function": "grow_cache", "file": "cache.cpp", "line": 42,
                       "module": "prog"},
                      {"address": "0x403100", "function": "handle_request", "file": "server.cpp",
                       "line": 9, "module": "prog"},
                      {"address": "0x401c00", "function": "main", "file": "main.cpp", "line": 3,
                       "module": "prog"}]}


def report_line(report):
    sites = [growing_site(report)] + [steady_site(i, report) for i in range(STEADY)]
    if report == MISSING_AT:
        sites = [s for s in sites if s["id"] != site_id(STEADY - 1)]
    sites.sort(key=lambda s: -s["live_bytes"])
    live = sum(10000 * (i + 1) for i in range(STEADY)) + 512 * report
    obj = {"leakguard_monitor": 1, "pid": 4242, "report": report, "time": 1764700000.5 + report,
           "elapsed": float(report), "future_field": "ignored",
           "total": {"live_blocks": 100 + report, "live_bytes": live, "peak_bytes": live + 4096,
                     "allocations": 1000 * report, "frees": 1000 * report - 100},
           "sites_total": 8, "sites": sites}
    return json.dumps(obj)


def monitor_text():
    lines = []
    for r in range(1, REPORTS + 1):
        lines.append(report_line(r))
        if r == 3:
            lines.append('{"leakguard_monitor":1,"pid":4242,"report":4,"ti')  # cut short
            lines.append("[1, 2, 3]")
            lines.append('{"something": "else"}')
            lines.append("")  # blank: no warning
    return "\n".join(lines) + "\n"


# The bad lines' numbers in the file: after reports 1-3.
BAD_LINES = (4, 5, 6)


def run_tool(*args, stdin=None):
    return subprocess.run([sys.executable, TOOL] + list(args), capture_output=True, text=True,
                          timeout=60, input=stdin)


class Page(html.parser.HTMLParser):
    """The page read back: well-formed (every element closed in order), its series and text."""
    VOID = {"meta", "br", "link", "img", "input", "hr", "circle", "line"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.errors = []
        self.elements = []  # (tag, attrs dict)
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes <%s>" % (tag, self.stack[-1] if self.stack else "nothing"))
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)

    def find(self, tag, cls=None):
        return [a for t, a in self.elements
                if t == tag and (cls is None or cls in a.get("class", "").split())]


def parse_page(text):
    p = Page()
    p.feed(text)
    p.close()
    return p


def path_points(d):
    """The (x, y) of each point of a path "M x y L x y ...", with None between segments."""
    points = []
    for op, x, y in re.findall(r"([ML])(-?[\d.]+) (-?[\d.]+)", d):
        if op == "M" and points:
            points.append(None)
        points.append((float(x), float(y)))
    return points


class ChartTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="leakguard-chart-")
        cls.monitor = os.path.join(cls.dir, "monitor.jsonl")
        with open(cls.monitor, "w") as f:
            f.write(monitor_text())

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def chart(self, *args):
        out = os.path.join(self.dir, "chart.html")
        r = run_tool(self.monitor, "-o", out, *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, encoding="utf-8") as f:
            return f.read(), r.stderr

    def test_bad_lines_are_warned_about_by_file_and_line(self):
        _, err = self.chart()
        warnings = err.strip().splitlines()
        self.assertEqual(len(warnings), len(BAD_LINES), err)
        for line_no, warning in zip(BAD_LINES, warnings):
            self.assertTrue(warning.startswith("leakguard-chart: %s:%d: skipped: " % (self.monitor, line_no)),
                            warning)
        self.assertNotIn("Traceback", err)

    def test_page_is_well_formed_and_self_contained(self):
        text, _ = self.chart()
        p = parse_page(text)
        self.assertEqual(p.errors, [])
        self.assertEqual(p.stack, [], "elements left open")
        self.assertEqual(len(p.find("svg")), 2)
        # Nothing from elsewhere: no script, style sheet, font or image by URL.
        self.assertEqual(p.find("script") + p.find("link") + p.find("img"), [])
        for bad in ("http://", "https://", "url(", "@import", "src="):
            # the SVG namespace is the one URL a page may name: it is not fetched
            self.assertNotIn(bad, text.replace('xmlns="http://www.w3.org/2000/svg"', ""), bad)

    def test_one_series_per_top_site_and_every_growing_one(self):
        text, _ = self.chart("--top", "3")
        series = parse_page(text).find("path", "series")
        ids = sorted(a["data-site"] for a in series)
        self.assertEqual(ids, sorted([site_id(6), site_id(5), site_id(4), GROWING_ID]))
        text, _ = self.chart()  # default top 10: all 8 sites
        self.assertEqual(len(parse_page(text).find("path", "series")), STEADY + 1)

    def test_growing_site_is_highlighted_and_rising(self):
        text, _ = self.chart("--top", "3")
        p = parse_page(text)
        growing = p.find("path", "growing")
        self.assertEqual([a["data-site"] for a in growing], [GROWING_ID])
        steady = [a for a in p.find("path", "series") if "growing" not in a["class"].split()]
        self.assertTrue(all(float(growing[0]["stroke-width"]) > float(a["stroke-width"]) for a in steady))
        self.assertTrue(all(a["stroke"] != growing[0]["stroke"] for a in steady))
        # Its legend entry says so.
        legend = [a for a in p.find("li", "growing") if a.get("data-site") == GROWING_ID]
        self.assertEqual(len(legend), 1)
        self.assertIn("growing", "".join(p.text))
        # Rising: SVG's y grows downwards, so each point is higher (smaller y) than the one before.
        pts = path_points(growing[0]["d"])
        self.assertEqual(len(pts), REPORTS)
        ys = [y for _, y in pts]
        xs = [x for x, _ in pts]
        self.assertEqual(xs, sorted(xs))
        for a, b in zip(ys, ys[1:]):
            self.assertLess(b, a, ys)
        # The steady ones are flat.
        for a in steady:
            ys = {y for pt in path_points(a["d"]) if pt for _, y in [pt]}
            self.assertEqual(len(ys), 1, a["data-site"])

    def test_a_missing_report_breaks_the_line(self):
        text, _ = self.chart()
        series = {a["data-site"]: a for a in parse_page(text).find("path", "series")}
        pts = path_points(series[site_id(STEADY - 1)]["d"])
        self.assertEqual(pts.count(None), 1)  # two segments: reports 1-5 and 7-12
        self.assertEqual(len([pt for pt in pts if pt]), REPORTS - 1)
        gap = pts.index(None)
        self.assertEqual(gap, MISSING_AT - 1)

    def test_names_are_escaped(self):
        text, _ = self.chart()
        self.assertNotIn("<int", text)
        self.assertNotIn("<char>", text)
        self.assertIn("std::map&lt;int, std::vector&lt;char&gt;&gt;::operator[](int const&amp;) &amp; &quot;q&quot;",
                      text)
        self.assertIn(TRICKY, "".join(parse_page(text).text))
        self.assertIn("src/a&amp;b.cpp:7", text)

    def test_table_of_the_last_report(self):
        text, _ = self.chart("--top", "3")
        p = parse_page(text)
        rows = p.find("tr", "site-row")
        self.assertEqual(len(rows), STEADY + 1)  # every site of the last report, not only the top
        self.assertEqual([a["data-site"] for a in p.find("tr", "growing")], [GROWING_ID])
        self.assertEqual(len(p.find("details")), STEADY + 1)
        words = " ".join(p.text)
        self.assertIn("since report 4", words)
        self.assertIn("#1000 #1100 #1200", words)
        self.assertIn("16-448 B", words)  # size range of S6
        self.assertIn("68.4 KiB", words)  # S6's 70000 bytes
        self.assertIn("6 KiB", words)  # the growing site's 6144 bytes
        for label in ("live bytes", "peak"):
            self.assertIn(label, words)

    def test_axes_have_human_units(self):
        text, _ = self.chart()
        ticks = [t for t in parse_page(text).text if re.fullmatch(r"[\d.]+ (B|KiB|MiB|GiB|s|min|h)", t.strip())]
        self.assertTrue(any(t.endswith("KiB") for t in ticks), ticks)
        self.assertTrue(any(t.endswith(" s") for t in ticks), ticks)

    def test_folded_last_report(self):
        r = run_tool(self.monitor, "--folded")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout,
                         "main;0x401b00;%s 60000\n"
                         "main;handle_request;grow_cache 6144\n"
                         "main;worker;alloc_2 30000\n"
                         "main;worker;alloc_3 40000\n"
                         "main;worker;alloc_4 50000\n"
                         "main;worker;alloc_6 70000\n"
                         "main;worker;alloc_small 30000\n" % TRICKY)

    def test_folded_chosen_report(self):
        r = run_tool(self.monitor, "--folded", "--report", str(MISSING_AT))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout,
                         "main;0x401b00;%s 60000\n"
                         "main;handle_request;grow_cache 3072\n"
                         "main;worker;alloc_2 30000\n"
                         "main;worker;alloc_3 40000\n"
                         "main;worker;alloc_4 50000\n"
                         "main;worker;alloc_small 30000\n" % TRICKY)
        out = os.path.join(self.dir, "folded.txt")
        r = run_tool(self.monitor, "--folded", "--report", "2", "-o", out)
        self.assertEqual((r.returncode, r.stdout), (0, ""), r.stderr)
        with open(out) as f:
            self.assertIn("main;handle_request;grow_cache 1024\n", f.read())

    def test_report_option_picks_the_table(self):
        text, _ = self.chart("--report", str(MISSING_AT))
        p = parse_page(text)
        self.assertEqual(len(p.find("tr", "site-row")), STEADY)
        self.assertEqual(len(p.find("line", "current")), 2)  # the report marked in both charts

    def errors_of(self, *args):
        r = run_tool(*args)
        self.assertNotEqual(r.returncode, 0)
        self.assertNotIn("Traceback", r.stderr)
        self.assertEqual(r.stdout, "")
        return r.stderr

    def test_bad_input_is_one_line_and_a_failure(self):
        missing = os.path.join(self.dir, "no-such-file")
        err = self.errors_of(missing)
        self.assertEqual(err, "leakguard-chart: cannot read %s: No such file or directory\n" % missing)
        empty = os.path.join(self.dir, "empty.jsonl")
        open(empty, "w").close()
        self.assertEqual(self.errors_of(empty), "leakguard-chart: %s: empty: no monitor report in it\n" % empty)
        junk = os.path.join(self.dir, "junk.jsonl")
        with open(junk, "wb") as f:
            f.write(b"\x00\xff\xfe binary\nnot json\n")
        err = self.errors_of(junk)
        self.assertTrue(err.endswith("leakguard-chart: %s: no monitor report in it (2 bad lines)\n" % junk), err)
        self.assertEqual(len(err.splitlines()), 3)
        self.assertEqual(self.errors_of(self.dir).count("\n"), 1)  # a directory
        self.assertIn("no report 99 (reports 1 to 12)", self.errors_of(self.monitor, "--folded", "--report", "99"))
        self.assertIn("--top", self.errors_of(self.monitor, "--top", "0"))
        self.assertIn("would overwrite", self.errors_of(self.monitor, "-o", self.monitor))

    def test_wrong_types_do_not_stop_the_tool(self):
        odd = os.path.join(self.dir, "odd.jsonl")
        with open(odd, "w") as f:
            f.write('{"leakguard_monitor":1,"sites":"none","total":[1]}\n')
            f.write('{"leakguard_monitor":1,"elapsed":"x","total":{"live_bytes":"big"},'
                    '"sites":[1,null,{"id":5},{"id":"a","live_bytes":true,"stack":[1,{"line":"x"}],'
                    '"first_seqs":"no","size_min":1e400}]}\n')
            f.write('{"leakguard_monitor":1,"elapsed":2,"sites":[{"id":"a","live_bytes":1e15,'
                    '"growing":true,"stack":[{"function":"f;g\\nh"}]}]}\n')
        r = run_tool(odd, "-o", os.path.join(self.dir, "odd.html"))
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run_tool(odd, "--folded")
        self.assertEqual((r.returncode, r.stdout), (0, "f:g h 1000000000000000\n"), r.stderr)

    def test_stdout_and_default_output(self):
        r = run_tool(self.monitor, "-o", "-")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(r.stdout.startswith("<!DOCTYPE html>"))
        r = run_tool(self.monitor)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("wrote %s" % os.path.join(self.dir, "monitor.html"), r.stderr)
        self.assertTrue(os.path.exists(os.path.join(self.dir, "monitor.html")))

    def test_a_long_run_keeps_a_few_points_per_pixel(self):
        long_run = os.path.join(self.dir, "long.jsonl")
        n = 5000
        with open(long_run, "w") as f:
            for r in range(1, n + 1):
                line = json.loads(report_line(r))
                if r == 1234:  # one spike of the biggest steady site: still drawn
                    biggest = [s for s in line["sites"] if s["id"] == site_id(STEADY - 1)]
                    biggest[0]["live_bytes"] = 7000000
                f.write(json.dumps(line) + "\n")
        out = os.path.join(self.dir, "long.html")
        r = run_tool(long_run, "-o", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out) as f:
            series = {a["data-site"]: a for a in parse_page(f.read()).find("path", "series")}
        # The plot is 990 pixels wide: a line that only rises keeps 2 points per pixel column.
        pts = path_points(series[GROWING_ID]["d"])
        self.assertLessEqual(len(pts), 2 * 991)
        ys = [y for _, y in pts]
        self.assertEqual((max(ys), min(ys)), (ys[0], ys[-1]))
        spiky = [pt[1] for pt in path_points(series[site_id(STEADY - 1)]["d"]) if pt]  # gap at report 6
        self.assertLessEqual(len(spiky), 2 * 991 + 2)
        self.assertEqual(len({y for y in spiky}), 2)  # flat, and the spike's top

    def test_two_processes_in_one_file(self):
        two = os.path.join(self.dir, "two.jsonl")
        child = json.loads(report_line(1))
        child["pid"] = 4243
        with open(two, "w") as f:
            f.write(report_line(1) + "\n" + json.dumps(child) + "\n" + report_line(2) + "\n")
        r = run_tool(two, "--folded", "--report", "1", "--pid", "4243")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")
        r = run_tool(two, "--folded")
        self.assertIn("reports of 2 processes (pids 4242, 4243); charting pid 4242", r.stderr)
        self.assertIn("grow_cache 1024", r.stdout)


# ---------------------------------------------------------------------------------------------
# Files the monitor wrote

def monitor_case():
    return os.environ.get("LEAKGUARD_MONITOR_CASE")


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def has_function(site, name):
    return any(name in (f.get("function") or "") for f in site["stack"])


@unittest.skipUnless(monitor_case(), "LEAKGUARD_MONITOR_CASE is not set")
class RealFileTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="leakguard-chart-real-")
        cls.growth = os.path.join(cls.dir, "growth.jsonl")
        cls.profile = os.path.join(cls.dir, "profile.jsonl")
        for args, options in ((["growth", "2"], "monitor_interval=0.2:monitor_path=" + cls.growth),
                              (["profile", cls.profile], "")):
            r = subprocess.run([monitor_case()] + args, capture_output=True, text=True, timeout=120,
                               cwd=cls.dir, env=dict(os.environ, LEAKGUARD_OPTIONS=options))
            assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        keep = os.environ.get("LEAKGUARD_CHART_KEEP")
        if keep:
            os.makedirs(keep, exist_ok=True)
            for name in os.listdir(cls.dir):
                shutil.copy(os.path.join(cls.dir, name), keep)
        shutil.rmtree(cls.dir)

    def chart(self, monitor, *args):
        out = os.path.join(self.dir, os.path.basename(monitor) + ".html")
        r = run_tool(monitor, "-o", out, *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "")  # every line of the monitor's file is a report it reads
        with open(out, encoding="utf-8") as f:
            return parse_page(f.read())

    def test_growth_page(self):
        reports = read_lines(self.growth)
        self.assertGreaterEqual(len(reports), 5)
        last = reports[-1]
        ids = {s["id"] for s in last["sites"]}
        grow = [s for s in last["sites"] if "grow_cache" in s["site"]]
        self.assertEqual(len(grow), 1)
        p = self.chart(self.growth)
        self.assertEqual(p.errors, [])
        # One series per site of the last report (fewer than --top's 10), one of them growing:
        # grow_cache's, and its line rises (SVG y grows downwards).
        series = p.find("path", "series")
        self.assertEqual(sorted(a["data-site"] for a in series), sorted(ids))
        growing = p.find("path", "growing")
        self.assertEqual([a["data-site"] for a in growing], [grow[0]["id"]])
        points = [pt for pt in path_points(growing[0]["d"]) if pt is not None]
        self.assertLess(points[-1][1], points[0][1] - 10)
        # The table: one row per id; make_ring_entry is reached along two paths (two ids, one
        # site text), and the legend tells them apart by their callers.
        rows = p.find("tr", "site-row")
        self.assertEqual(sorted(a["data-site"] for a in rows), sorted(ids))
        legend = [a["title"] for a in p.find("li") if a.get("data-site") in ids]
        ring = [t for t in legend if "make_ring_entry" in t]
        self.assertEqual(len(ring), 2, legend)
        self.assertEqual(len(set(ring)), 2, ring)
        self.assertTrue(any("via " in t and "steady_ring" in t for t in ring), ring)

    def test_growth_folded(self):
        last = read_lines(self.growth)[-1]
        r = run_tool(self.growth, "--folded")
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = dict(line.rsplit(" ", 1) for line in r.stdout.splitlines())
        # "stack" lists the allocating function first: folded stacks put it last, main before it.
        grow = [s for s in last["sites"] if "grow_cache" in s["site"]][0]
        key = [k for k in lines if k.endswith("grow_cache()")]
        self.assertEqual(len(key), 1, lines)
        frames = key[0].split(";")
        self.assertIn("main", frames)
        self.assertLess(frames.index("main"), len(frames) - 1)
        self.assertEqual(int(lines[key[0]]), grow["live_bytes"])
        # A frame without a name is its module+offset, the same in every run, never an address.
        for k in lines:
            for f in k.split(";"):
                self.assertFalse(re.fullmatch(r"0x[0-9a-f]+", f), k)
        self.assertEqual(sum(int(v) for v in lines.values()),
                         sum(s["live_bytes"] for s in last["sites"]))

    def test_rows_with_one_id_are_one_site(self):
        # write_profile's second report: grow_cache called three times on one line of main (the
        # compiler may unroll the loop: three return addresses, three interned stacks, one id).
        second = read_lines(self.profile)[-1]
        per_id = {}
        for s in second["sites"]:
            per_id.setdefault(s["id"], []).append(s)
        p = self.chart(self.profile)
        rows = p.find("tr", "site-row")
        self.assertEqual(sorted(a["data-site"] for a in rows), sorted(per_id))
        self.assertEqual(len(p.find("path", "series")), len(per_id))
        text = "".join(p.text)
        for sid, group in per_id.items():
            live = sum(s["live_bytes"] for s in group)
            cell = [a for a in p.find("td") if a.get("title") == "{:,} bytes".format(live)]
            self.assertTrue(cell, "no row of %d live bytes for %s" % (live, sid))
            if len(group) > 1:
                self.assertIn("%d call paths that name the same lines" % len(group), text)
        grow_blocks = sum(s["live_blocks"] for s in second["sites"] if "grow_cache" in s["site"])
        self.assertEqual(grow_blocks, 4)


# ---------------------------------------------------------------------------------------------
# The browser

def chromium():
    """The browser: LEAKGUARD_CHROMIUM when set (a path or a name on PATH), else chromium."""
    named = os.environ.get("LEAKGUARD_CHROMIUM")
    if named is not None:
        return shutil.which(named)
    return shutil.which("chromium") or shutil.which("chromium-browser")


def read_png(path):
    """(width, height, rows of (r, g, b)) of an 8-bit RGB or RGBA non-interlaced PNG."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, "PNG kind %s" % (header,)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append([tuple(line[x * bpp:x * bpp + 3]) for x in range(width)])
        prev = line
    return width, height, rows


@unittest.skipUnless(chromium(), "chromium is not installed")
class BrowserTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix="leakguard-chart-browser-")
        monitor = os.path.join(cls.dir, "monitor.jsonl")
        with open(monitor, "w") as f:
            f.write(monitor_text())
        cls.page = os.path.join(cls.dir, "chart.html")
        r = run_tool(monitor, "-o", cls.page, "--top", "3")
        assert r.returncode == 0, r.stderr

    @classmethod
    def tearDownClass(cls):
        keep = os.environ.get("LEAKGUARD_CHART_KEEP")
        if keep:
            os.makedirs(keep, exist_ok=True)
            for name in ("chart.html", "chart.png"):
                if os.path.exists(os.path.join(cls.dir, name)):
                    shutil.copy(os.path.join(cls.dir, name), keep)
        shutil.rmtree(cls.dir)

    def browser(self, *args):
        # A profile and a HOME of its own: CI's HOME may be read-only or shared.
        profile = tempfile.mkdtemp(dir=self.dir)
        env = dict(os.environ, HOME=profile)
        return subprocess.run([chromium(), "--headless", "--disable-gpu", "--no-sandbox",
                               "--no-first-run", "--user-data-dir=" + profile, "--window-size=1200,900"]
                              + list(args) + ["file://" + self.page],
                              capture_output=True, text=True, timeout=180, env=env)

    def test_page_loads_with_the_chart(self):
        # --enable-logging: the page's console messages (a script error, a refused load) go to
        # stderr as "...:CONSOLE(n)] message"; the page has no script and must log nothing.
        r = self.browser("--dump-dom", "--enable-logging=stderr", "--v=0")
        self.assertEqual(r.returncode, 0, r.stderr[-2000:])
        self.assertEqual([l for l in r.stderr.splitlines() if ":CONSOLE" in l], [])
        p = parse_page(r.stdout)
        self.assertEqual(len(p.find("svg")), 2, r.stdout[:500])
        self.assertEqual(len(p.find("path", "series")), 4)
        self.assertEqual(len(p.find("path", "growing")), 1)
        self.assertTrue([a for a in p.find("footer") if a.get("id") == "end"], "the page was cut short")
        self.assertNotIn("parsererror", r.stdout)

    def test_screenshot_shows_the_growing_line_rising(self):
        png = os.path.join(self.dir, "chart.png")
        r = self.browser("--screenshot=" + png)
        self.assertEqual(r.returncode, 0, r.stderr[-2000:])
        self.assertTrue(os.path.exists(png), r.stderr[-2000:])
        self.assertGreater(os.path.getsize(png), 20000)  # a blank 1200x900 page is about 5 KB
        width, height, rows = read_png(png)
        self.assertEqual((width, height), (1200, 900))
        # The growing series' red (#d62728): its pixels, column by column.
        red = {}
        for y, row in enumerate(rows):
            for x, (r_, g, b) in enumerate(row):
                if abs(r_ - 0xd6) < 24 and abs(g - 0x27) < 24 and abs(b - 0x28) < 24:
                    red.setdefault(x, []).append(y)
        # The line is the longest run of adjacent columns with red in them (the legend's swatch
        # and the table's marks are short ones).
        best, run = [], []
        for x in range(width + 1):
            if x in red:
                run.append(x)
            else:
                if len(run) > len(best):
                    best = run
                run = []
        self.assertGreater(len(best), 600, "no red line across the chart")
        # The line's pixel in each column is its topmost red one (the legend's "growing" mark is
        # below the chart). From 512 to 6144 bytes on an 80 KiB axis 390 pixels tall, it rises by
        # about 27 pixels: each third of the line must sit higher than the one before.
        thirds = [best[:len(best) // 3], best[len(best) // 3:-(len(best) // 3)], best[-(len(best) // 3):]]
        heights = [sum(min(red[x]) for x in part) / len(part) for part in thirds]
        self.assertLess(heights[1], heights[0] - 5, "the growing line does not rise (screen y %s)" % heights)
        self.assertLess(heights[2], heights[1] - 5, "the growing line does not rise (screen y %s)" % heights)


if __name__ == "__main__":
    if "--real" in sys.argv:
        sys.argv.remove("--real")
        if not monitor_case():
            print("SKIPPED: LEAKGUARD_MONITOR_CASE is not set")
            sys.exit(77)
        suite = unittest.defaultTestLoader.loadTestsFromTestCase(RealFileTest)
    elif "--browser" in sys.argv:
        sys.argv.remove("--browser")
        if not chromium():
            print("SKIPPED: %s is not installed (Debian: apt-get install chromium)"
                  % os.environ.get("LEAKGUARD_CHROMIUM", "chromium"))
            sys.exit(77)
        suite = unittest.defaultTestLoader.loadTestsFromTestCase(BrowserTest)
    else:
        suite = unittest.defaultTestLoader.loadTestsFromTestCase(ChartTest)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() and not result.skipped else 1)
