#!/usr/bin/env python3
"""Turns compare.sh's raw.tsv and machine.txt (in the directory given) into the markdown table."""
import csv
import math
import os
import statistics
import sys

out_dir = sys.argv[1]
median = statistics.median

LABELS = {
    "plain": "plain (no checker)",
    "leakguard": "leakguard, defaults",
    "leakguard-leak-only": "leakguard, leak tracking only",
    "header-only": "48-byte header in front of each block, nothing tracked (the design's floor)",
    "header-32": "32-byte header, nothing tracked (what a smaller header would cost)",
    "header-16": "16-byte header, nothing tracked (what a smaller header would cost)",
    "lsan": "LeakSanitizer (`-fsanitize=leak`)",
    "asan": "AddressSanitizer (`-fsanitize=address`)",
    "memcheck": "valgrind memcheck (`--leak-check=full`)",
    "heaptrack": "heaptrack",
    "tcmalloc": "tcmalloc alone (reference for the next row)",
    "gperftools": "gperftools heap checker (`HEAPCHECK=normal`)",
    "cpputest": "CppUTest leak detector (MemoryLeakWarningPlugin)",
}
WHAT = {
    "ring": "ring of 4,096 live blocks of 16-512 B, oldest freed (20M allocations)",
    "map": "`std::map<int, std::string>` insert/erase churn (1.5M operations)",
    "umap": "`std::unordered_map` of growing `std::vector`s (3M appends)",
    "json": "nlohmann::json: build, dump and parse a 2.3 MB document, 5 times",
    "prodcons": "producer/consumer threads, each message freed on the other thread (3M messages)",
    "pairs": "bare `new`/`delete` of 64 bytes (30M pairs)",
}
# Whole-program workloads (target <= 1.10x) vs the bare loop (target <= 1.6x).
BARE = {"pairs"}

rows = []
with open(os.path.join(out_dir, "raw.tsv")) as f:
    for r in csv.DictReader(f, delimiter="\t"):
        for k in ("wall_s", "user_s", "sys_s", "others_cpu", "load1"):
            r[k] = float(r[k]) if r[k] else math.nan
        r["maxrss_kb"] = float(r["maxrss_kb"]) if r["maxrss_kb"] else math.nan
        r["round"] = int(r["round"])
        rows.append(r)
with open(os.path.join(out_dir, "machine.txt")) as f:
    machine = [line.rstrip("\n") for line in f if line.strip()]

workloads, configs = [], []
for r in rows:
    if r["workload"] not in workloads:
        workloads.append(r["workload"])
configs = [c for c in LABELS if any(r["config"] == c for r in rows)]
by = {}
for r in rows:
    by.setdefault((r["config"], r["workload"]), []).append(r)


def ok(c, w):
    return [r for r in by.get((c, w), []) if r["status"] == "ok"]


def plain_of(w, rnd):
    for r in ok("plain", w):
        if r["round"] == rnd:
            return r
    return None


def ratio(c, w, key):
    """Median over the rounds of value / the same round's plain value."""
    rs = []
    for r in ok(c, w):
        p = plain_of(w, r["round"])
        if p and p[key] > 0:
            rs.append(r[key] / p[key])
    return median(rs) if rs else None


def cpu(r):
    return r["user_s"] + r["sys_s"]


def cpu_ratio(c, w):
    rs = []
    for r in ok(c, w):
        p = plain_of(w, r["round"])
        if p and cpu(p) > 0:
            rs.append(cpu(r) / cpu(p))
    return median(rs) if rs else None


def rss_ratio(c, w):
    a, b = ok("plain", w), ok(c, w)
    if not a or not b:
        return None
    return median(r["maxrss_kb"] for r in b) / median(r["maxrss_kb"] for r in a)


def fmt(x):
    if x is None:
        return "?"
    return "%.2f" % x if x < 10 else "%.1f" % x if x < 100 else "%.0f" % x


p_ = []
p = p_.append
p("## Leak checkers compared on whole programs (`compare.sh`)")
p("")
p("```")
for line in machine:
    p(line)
p("```")
p("")
p("Each cell: **user CPU** × · wall × · peak RSS ×, as ratios to the plain build of the same")
p("workload (CPU and wall: the median over the rounds of the ratio to that round's plain run; RSS:")
p("median over median). The plain row gives the plain build's medians in seconds and MiB.")
p("")
head = "| configuration | " + " | ".join("`%s`" % w for w in workloads) + " |"
p(head)
p("|:--|" + "---:|" * len(workloads))
notes_fewer, notes_sys, notes_fail = [], [], []
for c in configs:
    cells = []
    for w in workloads:
        runs = by.get((c, w), [])
        good = ok(c, w)
        if c == "plain":
            if good:
                cells.append("%.2f s · %.2f s · %.1f MiB" % (median(r["user_s"] for r in good),
                                                              median(r["wall_s"] for r in good),
                                                              median(r["maxrss_kb"] for r in good) / 1024))
            else:
                cells.append("failed")
            continue
        if not runs:
            cells.append("–")
            continue
        timeouts = [r for r in runs if r["status"] == "timeout"]
        failed = [r for r in runs if r["status"] == "failed"]
        if timeouts and not good:
            pw = median(r["wall_s"] for r in ok("plain", w)) if ok("plain", w) else None
            limit = timeouts[0]["wall_s"]
            cells.append("> %s (timed out after %.0f s)" % (fmt(limit / pw) if pw else "?", limit))
            continue
        if not good:
            cells.append("failed")
            notes_fail.append("%s on `%s`" % (LABELS[c], w))
            continue
        u, wl, rs = ratio(c, w, "user_s"), ratio(c, w, "wall_s"), rss_ratio(c, w)
        cell = "**%s** · %s · %s" % (fmt(u), fmt(wl), fmt(rs))
        if failed:
            notes_fail.append("%s on `%s` (%d of %d runs)" % (LABELS[c], w, len(failed), len(runs)))
        plain_runs = len(ok("plain", w))
        if len(good) < plain_runs:
            notes_fewer.append("%s on `%s`: %d%s" % (LABELS[c], w, len(good),
                                                    " (then a run timed out)" if timeouts else ""))
        sys_share = median(r["sys_s"] / cpu(r) for r in good if cpu(r) > 0) if any(cpu(r) > 0 for r in good) else 0
        if sys_share > 0.2:
            cell += " ¹"
            notes_sys.append("%s on `%s`: %.0f%% of its CPU time is system time; user+system × = %s" % (
                LABELS[c], w, 100 * sys_share, fmt(cpu_ratio(c, w))))
        cells.append(cell)
    p("| %s | %s |" % (LABELS[c], " | ".join(cells)))
p("")
p("Workloads: " + "; ".join("`%s`: %s" % (w, WHAT.get(w, w)) for w in workloads) + ".")
p("")
if notes_sys:
    p("¹ Much system time, not in the user-CPU ratio: " + "; ".join(notes_sys) + ".")
    p("")
if notes_fewer:
    p("Fewer runs (slow configurations are run fewer times, and not again after a timeout; see compare.sh): " +
      "; ".join(notes_fewer) + ".")
    p("")
if notes_fail:
    p("**Failed runs** (exit status or checksum; details in compare/failures.txt): " + "; ".join(notes_fail) + ".")
    p("")

# Targets ---------------------------------------------------------------------------------------
def verdict(good):
    return "met" if good else "**missed**"


lines = []
lo = "leakguard-leak-only"
FLOORS = (("header-only", 48), ("header-32", 32), ("header-16", 16))


def floors(measure, w):
    """'; a header alone, nothing tracked: 48 B 1.10x, 32 B ..., 16 B ...' for the sizes measured."""
    parts = []
    for c, size in FLOORS:
        r = measure(c, w) if c in configs else None
        if r is not None:
            parts.append("%d B %.2fx" % (size, r))
    return "; a header alone, nothing tracked: " + ", ".join(parts) if parts else ""


if lo in configs:
    for w in workloads:
        r = ratio(lo, w, "user_s")
        if r is None:
            continue
        limit = 1.6 if w in BARE else 1.10
        lines.append("leak tracking only, `%s`: %.2fx user CPU (target <= %.2fx): %s%s" % (
            w, r, limit, verdict(r <= limit), floors(lambda c, w: ratio(c, w, "user_s"), w)))
    for w in workloads:
        r = rss_ratio(lo, w)
        if r is None or w in BARE:
            continue
        lines.append("leak tracking only, `%s`: %.2fx peak RSS (target <= 1.3x): %s%s" % (
            w, r, verdict(r <= 1.3), floors(rss_ratio, w)))
if "leakguard" in configs and "lsan" in configs:
    for w in workloads:
        a, b = ratio("leakguard", w, "user_s"), ratio("lsan", w, "user_s")
        if a is None or b is None:
            continue
        lines.append("defaults vs LeakSanitizer, `%s`: %.2fx vs %.2fx user CPU (target: below): %s" % (
            w, a, b, verdict(a < b)))
if lines:
    p("### The issue's targets, from this run")
    p("")
    for line in lines:
        p("- " + line)
    p("")

# Noise -----------------------------------------------------------------------------------------
# The two leakguard rows ran the same program when every leak-only option was unknown to it.
same = False
for l in machine:
    if l.startswith("leak-only options:") and "ignored: " in l:
        keys = {kv.split("=")[0] for kv in l.split("LEAKGUARD_OPTIONS=", 1)[1].split()[0].split(":")}
        unknown = set(l.split("ignored: ", 1)[1].rstrip(")").split())
        same = keys <= unknown
if same and "leakguard" in configs and "leakguard-leak-only" in configs:
    diffs = [(abs(ratio("leakguard", w, "user_s") - ratio("leakguard-leak-only", w, "user_s")), w) for w in workloads
             if ratio("leakguard", w, "user_s") is not None and ratio("leakguard-leak-only", w, "user_s") is not None]
    if diffs:
        d, w = max(diffs)
        p("The leakguard measured does not know the leak-only options yet, so its two rows ran the same")
        p("program: their difference (up to %.2f in the user-CPU ratio, on `%s`) is this run's noise." % (d, w))
        p("")
others = [r["others_cpu"] for r in rows if not math.isnan(r["others_cpu"])]
loads = [r["load1"] for r in rows if not math.isnan(r["load1"])]
if others:
    p("Noise: other processes used a median of %.2f CPUs (of %s) during a run, at most %.2f; the 1-minute" % (
        median(others), next((l.split(",")[-1].strip().split()[0] for l in machine if l.startswith("cpu:")), "?"),
        max(others)))
    p("load average before a run was %.2f median, %.2f to %.2f. Every run: `compare/raw.tsv`." % (
        median(loads), min(loads), max(loads)))
    p("")
print("\n".join(p_))
