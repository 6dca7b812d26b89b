#!/usr/bin/env python3
"""Turns the raw outputs of run.sh (results/raw/) into the Markdown tables of results/results.md.

Usage: summarize.py RAW_DIR > results.md

Google Benchmark: raw/gb/ID__KIND__ROUND.json, one process and one repetition each; KIND is plain,
tracked or tracked-after-thread. A benchmark's number is the median over its rounds; a ratio is
the median of the per-round ratios (plain and tracked of one round ran seconds apart, so both saw
the same speed of the machine), shown with the smallest and largest per-round ratio.
"""
import glob
import json
import os
import re
import statistics
import sys

raw = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "raw")
median = statistics.median


def load_gb():
    """{id: {kind: {round: [benchmark-entry, ...]}}} (the repetitions, not the aggregates)"""
    out = {}
    for path in glob.glob(os.path.join(raw, "gb", "*__*__*.json")):
        ident, kind, rnd = os.path.basename(path)[:-5].split("__")
        with open(path) as f:
            data = json.load(f)
        runs = [b for b in data["benchmarks"] if b.get("run_type", "iteration") == "iteration"]
        if not runs or len({b["run_name"] for b in runs}) != 1:
            raise SystemExit("%s: expected repetitions of one benchmark" % path)
        out.setdefault(ident, {}).setdefault(kind, {})[int(rnd)] = runs
    return out


gb = load_gb()


def ns(b):
    scale = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
    return b["cpu_time"] * scale


def mps(b):
    return b["items_per_second"] / 1e6


# ns: lower is better; mps (throughput): higher is better.
best_of = {ns: min, mps: max}


def per_round(ident, kind, value):
    """{round: median of that round's repetitions}"""
    return {r: median(value(b) for b in bs) for r, bs in gb.get(ident, {}).get(kind, {}).items()}


def samples(ident, kind, value):
    return [value(b) for bs in gb.get(ident, {}).get(kind, {}).values() for b in bs]


def med(ident, kind, value):
    s = samples(ident, kind, value)
    return median(s) if s else None


def best(ident, kind, value):
    s = samples(ident, kind, value)
    return best_of[value](s) if s else None


def cell(ident, kind, value, fmt="%.1f"):
    """"median / best" of all repetitions of all rounds"""
    if not samples(ident, kind, value):
        return ""
    return (fmt + " / " + fmt) % (med(ident, kind, value), best(ident, kind, value))


def paired(ident_a, kind_a, ident_b, kind_b, value):
    """Per-round ratio b / a of the round medians: (median, min, max), or None."""
    a, b = per_round(ident_a, kind_a, value), per_round(ident_b, kind_b, value)
    ratios = [b[r] / a[r] for r in a if r in b]
    if not ratios:
        return None
    return median(ratios), min(ratios), max(ratios)


def best_ratio(ident_a, kind_a, ident_b, kind_b, value):
    a, b = best(ident_a, kind_a, value), best(ident_b, kind_b, value)
    return b / a if a and b else None


def fmt_ratio(r, best=None):
    if not r:
        return ""
    text = "%.2fx (%.2f-%.2f)" % r
    return text + (" / %.2fx" % best if best else "")


def verdict(ok):
    return "**met**" if ok else "**missed**"


out = []
p = out.append

with open(os.path.join(raw, "machine.txt")) as f:
    machine = f.read().strip().splitlines()
LEAK_ONLY_OPTIONS = "stack_depth=0:guard_bytes=0:quarantine_bytes=0:fill=0"
GUARDS_OFF_OPTIONS = "guard_bytes=0:quarantine_bytes=0"
LEAK_ONLY = "opt-" + LEAK_ONLY_OPTIONS.replace(":", "-").replace("=", "-")
GUARDS_OFF_KIND = "opt-" + GUARDS_OFF_OPTIONS.replace(":", "-").replace("=", "-")
unknown_options = ""
for line in machine:
    if line.startswith("options not known to this leakguard yet"):
        unknown_options = line.split(": ", 1)[1].strip()
        if unknown_options == "none":
            unknown_options = ""
unknown_options = ", ".join(unknown_options.split())
rounds = max((len(k) for d in gb.values() for k in d.values()), default=0)
reps = max((len(v) for d in gb.values() for k in d.values() for v in k.values()), default=0)
p("## leakguard's microbenchmarks (`run.sh`)")
p("")
p("```")
for line in machine:
    p(line)
p("```")
p("")
p("*plain* = the program without leakguard (glibc malloc through libstdc++'s operator new),")
p("*tracked* = the same object code with leakguard.")
p("")
p("Google Benchmark: %d rounds per benchmark, each round running plain, tracked (and the tracked" % rounds)
p("variants) one after the other, one process each with %d repetitions. Cells read" % reps)
p("\"median / best\": the median and the best (fastest) of all %d repetitions. Ratios read" % (rounds * reps))
p("\"m (a-b) / r\": m = median of the per-round ratios (each round's plain and tracked ran seconds")
p("apart), a-b = their range, r = best tracked / best plain. This virtual machine's speed changes")
p("from second to second (the same plain loop takes 15 or 30 ns), which is what the interleaving,")
p("the ranges and the best-of figures are for; see README.md. Generated by summarize.py from micro/.")
p("")

# 1. new/delete pairs ---------------------------------------------------------------------------
p("### 1. new/delete pairs (`bench_alloc`, BM_new_delete)")
p("")
p("CPU ns per `new T` + `delete p`, sizeof(T) = block size. *after a thread*: the tracked binary")
p("with `--after_thread` (another thread allocated first, so leakguard batches its live-byte count")
p("per thread instead of one atomic add per allocation and per free).")
p("")
p("*leak tracking only*: the tracked binary with `LEAKGUARD_OPTIONS=%s`%s. The target" % (
    LEAK_ONLY_OPTIONS, " (options this leakguard does not know yet, and ignores: %s)" % unknown_options if unknown_options else ""))
p("(<= 1.6x on the bare new/delete loop) is for leak tracking only.")
p("")
p("| block size | plain ns | tracked ns (defaults) | tracked / plain | after a thread / plain | leak tracking only, ns | leak only / plain | target <= 1.6x |")
p("|---:|---:|---:|---:|---:|---:|---:|:--|")
for size in (16, 64, 1024, 65536):
    ident = "new_delete_%d" % size
    if ident not in gb:
        continue
    r = paired(ident, "plain", ident, "tracked", ns)
    lo = paired(ident, "plain", ident, LEAK_ONLY, ns)
    p("| %d B | %s | %s | %s | %s | %s | %s | %s |" % (
        size, cell(ident, "plain", ns), cell(ident, "tracked", ns),
        fmt_ratio(r, best_ratio(ident, "plain", ident, "tracked", ns)),
        fmt_ratio(paired(ident, "plain", ident, "tracked-after-thread", ns),
                  best_ratio(ident, "plain", ident, "tracked-after-thread", ns)),
        cell(ident, LEAK_ONLY, ns), fmt_ratio(lo, best_ratio(ident, "plain", ident, LEAK_ONLY, ns)),
        verdict(lo[0] <= 1.6) if lo else ""))
p("")


def variant_table(ident, title, kinds, value=ns, unit="ns"):
    """One row per kind: the cell and the ratio to plain."""
    if ident not in gb:
        return
    p(title)
    p("")
    p("| run | CPU %s per iteration | / plain |" % unit)
    p("|:--|---:|---:|")
    for kind, label in kinds:
        if not samples(ident, kind, value):
            continue
        r = paired(ident, "plain", ident, kind, value) if kind != "plain" else None
        p("| %s | %s | %s |" % (label, cell(ident, kind, value),
                               fmt_ratio(r, best_ratio(ident, "plain", ident, kind, value)) if r else ""))
    p("")


variant_table("new_delete_deep",
              "Call stacks: the 64-byte pair made 20 calls deep (`BM_new_delete_deep/20`), tracked with"
              " `stack_depth=N`:",
              [("plain", "plain"), ("tracked", "tracked, defaults")] +
              [("opt-stack_depth-%d" % d, "tracked, `stack_depth=%d`" % d) for d in (0, 1, 8, 16)])
variant_table("new_delete_guards",
              "Guards and quarantine: the 64-byte pair (`BM_new_delete<64>`), tracked with the defaults and"
              " with `%s`:" % GUARDS_OFF_OPTIONS,
              [("plain", "plain"), ("tracked", "tracked, defaults"),
               (GUARDS_OFF_KIND, "tracked, `%s`" % GUARDS_OFF_OPTIONS)])
if unknown_options:
    p("(`%s` were not known to the leakguard measured, which warns about them and ignores them: those"
      " rows measure the defaults where they differ only in those options, and those differences are noise.)" % unknown_options)
    p("")

# 1c. malloc ------------------------------------------------------------------------------------
mal = [i for i in ("malloc_free_16", "malloc_free_64", "malloc_free_1024", "malloc_free_65536",
                   "realloc_geometric", "realloc_linear") if i in gb]
if mal:
    p("### 1c. malloc/free and realloc growth (`bench_malloc`)")
    p("")
    p("CPU ns per iteration: a malloc/free pair, or a buffer grown by realloc from 16 bytes to 64 KiB")
    p("by 1.5x (geometric, 23 reallocs) or to 4 KiB by 16 bytes (linear, 255 reallocs) and freed. The")
    p("tracked build defines `LEAKGUARD_MAP_MALLOC`; *mapped* says whether leakguard counted the calls")
    p("(no: malloc is not mapped by the leakguard measured, both builds ran glibc's malloc).")
    p("")
    p("| benchmark | plain ns | tracked ns | tracked / plain | mapped |")
    p("|:--|---:|---:|---:|:--|")
    for ident in mal:
        mapped = [b.get("tracked") for bs in gb[ident].get("tracked", {}).values() for b in bs]
        p("| %s | %s | %s | %s | %s |" % (
            ident.replace("malloc_free_", "malloc/free ") + (" B" if ident.startswith("malloc") else ""),
            cell(ident, "plain", ns), cell(ident, "tracked", ns),
            fmt_ratio(paired(ident, "plain", ident, "tracked", ns), best_ratio(ident, "plain", ident, "tracked", ns)),
            "yes" if mapped and all(m == 1 for m in mapped) else "no" if mapped else "?"))
    p("")

# 2. scaling ------------------------------------------------------------------------------------
p("### 2. Scaling: churn on 1 and 2 threads, cross-thread frees (`bench_alloc`)")
p("")
p("Million blocks per second of wall time, the whole process (both threads together): blocks")
p("replaced in the per-thread rings (churn), or allocated on one thread, passed through the queue")
p("and freed on the other (cross-thread).")
p("")
p("| build | churn, 1 thread | churn, 2 threads | 2 threads / 1 thread | cross-thread | cross-thread / churn 1 thread |")
p("|:--|---:|---:|---:|---:|---:|")
scaling = {}
for kind in ("plain", "tracked"):
    if not samples("churn_1", kind, mps) or not samples("churn_2", kind, mps):
        continue
    r = paired("churn_1", kind, "churn_2", kind, mps)
    scaling[kind] = r
    x, t1 = med("cross_thread", kind, mps), med("churn_1", kind, mps)
    p("| %s | %s | %s | %s | %s | %s |" % (
        kind, cell("churn_1", kind, mps, "%.2f"), cell("churn_2", kind, mps, "%.2f"),
        fmt_ratio(r, best_ratio("churn_1", kind, "churn_2", kind, mps)), cell("cross_thread", kind, mps, "%.2f"),
        "%.2fx" % (x / t1) if x is not None else ""))
if samples("churn_1", "tracked-after-thread", mps):
    p("| tracked, 1-thread run after a thread (`--after_thread`) | %s | | %s | | |" % (
        cell("churn_1", "tracked-after-thread", mps, "%.2f"),
        fmt_ratio(paired("churn_1", "tracked-after-thread", "churn_2", "tracked", mps),
                  best_ratio("churn_1", "tracked-after-thread", "churn_2", "tracked", mps))))
if samples("churn_1", LEAK_ONLY, mps) and samples("churn_2", LEAK_ONLY, mps):
    r = paired("churn_1", LEAK_ONLY, "churn_2", LEAK_ONLY, mps)
    scaling["leak-only"] = r
    p("| tracked, leak tracking only | %s | %s | %s | | |" % (
        cell("churn_1", LEAK_ONLY, mps, "%.2f"), cell("churn_2", LEAK_ONLY, mps, "%.2f"),
        fmt_ratio(r, best_ratio("churn_1", LEAK_ONLY, "churn_2", LEAK_ONLY, mps))))
p("")
p("| tracked / plain throughput | churn, 1 thread | churn, 2 threads | cross-thread |")
p("|:--|---:|---:|---:|")
p("| | %s | %s | %s |" % tuple(
    fmt_ratio(paired(i, "plain", i, "tracked", mps), best_ratio(i, "plain", i, "tracked", mps))
    for i in ("churn_1", "churn_2", "cross_thread")))
p("")
for kind, label in (("leak-only", "leak tracking only"), ("tracked", "defaults")):
    if scaling.get(kind):
        p("- Target: tracked churn (%s) on 2 threads >= 1.7x its 1-thread throughput: %.2fx, %s." % (
            label, scaling[kind][0], verdict(scaling[kind][0] >= 1.7)))
if scaling.get("plain"):
    p("- Plain glibc malloc on the same machine: %.2fx." % scaling["plain"][0])
    if scaling["plain"][0] < 1.5:
        p("- So the second core was not free for this benchmark (other work was running, see Noise): this run"
          " cannot judge the 2-thread target.")
p("")

# 3. scope cost ---------------------------------------------------------------------------------
p("### 3. Scope cost (`bench_scope`)")
p("")
p("CPU ns per iteration: one scope with one 64-byte new/delete inside it, 0 or 1,000,000 older")
p("blocks alive. The plain build runs the same loop without the scope (the new/delete alone).")
p("*scope's own cost* = tracked - plain: median over the rounds of the round medians' difference /")
p("best tracked - best plain.")
p("")
p("| scope kind | older live blocks | plain ns (pair only) | tracked ns (scope + pair) | scope's own cost ns |")
p("|:--|---:|---:|---:|---:|")
for this_thread in (0, 1):
    for older in (0, 1000000):
        ident = "scope_%d_%d" % (older, this_thread)
        if ident not in gb:
            continue
        a, b = per_round(ident, "plain", ns), per_round(ident, "tracked", ns)
        own = median(b[r] - a[r] for r in a if r in b)
        p("| %s | %s | %s | %s | %.1f / %.1f |" % (
            "this_thread" if this_thread else "all_threads", "{:,}".format(older), cell(ident, "plain", ns),
            cell(ident, "tracked", ns), own, best(ident, "tracked", ns) - best(ident, "plain", ns)))
p("")
for this_thread in (0, 1):
    i0, i1 = "scope_0_%d" % this_thread, "scope_1000000_%d" % this_thread
    r = paired(i0, "tracked", i1, "tracked", ns)
    if r:
        rb = best_ratio(i0, "tracked", i1, "tracked", ns)
        p("- %s scope, 1,000,000 older blocks vs none: %s; target (the same cost, within 10%%): %s on the"
          " median, %s on the best." % (
            "this_thread" if this_thread else "all_threads", fmt_ratio(r, rb), verdict(abs(r[0] - 1.0) <= 0.10),
            verdict(abs(rb - 1.0) <= 0.10)))
p("")

# 4. exit report --------------------------------------------------------------------------------
p("### 4. Exit report for 100,000 leaked blocks from 10 sites (`leak_report`)")
p("")
describe = {
    "plain": "plain: no leakguard (leaks, nobody reports)",
    "tracked-free": "tracked, frees every block first (nothing to report), report=off",
    "tracked-off": "tracked, 100k leaks, report=off",
    "tracked-summary": "tracked, 100k leaks, report=summary",
    "tracked-full": "tracked, 100k leaks, report=full",
    "tracked-off+json": "tracked, 100k leaks, report=off + json_path",
    "tracked-summary+json": "tracked, 100k leaks, report=summary + json_path",
}
samples, user, system = {}, {}, {}
for path in sorted(glob.glob(os.path.join(raw, "leak_report.hyperfine.round*.json"))):
    with open(path) as f:
        for r in json.load(f)["results"]:
            samples.setdefault(r["command"], []).extend(r["times"])
            user.setdefault(r["command"], []).append(r["user"])
            system.setdefault(r["command"], []).append(r["system"])
times_path = os.path.join(raw, "leak_report.times")
if not samples and os.path.exists(times_path):
    with open(times_path) as f:
        for line in f:
            name, secs = line.split()
            samples.setdefault(name, []).append(float(secs))
med_ms = {k: median(v) * 1e3 for k, v in samples.items()}
if samples:
    p("Whole-process wall time over %d runs of each variant (hyperfine, in rounds that interleave" %
      len(next(iter(samples.values()))))
    p("the variants; all with exitcode=0):")
    p("")
    p("| run | median ms | min-max ms | mean user ms | mean sys ms |")
    p("|:--|---:|---:|---:|---:|")
    for name, v in samples.items():
        p("| %s | %.1f | %.1f-%.1f | %s | %s |" % (
            describe.get(name, name), med_ms[name], min(v) * 1e3, max(v) * 1e3,
            "%.1f" % (statistics.mean(user[name]) * 1e3) if name in user else "",
            "%.1f" % (statistics.mean(system[name]) * 1e3) if name in system else ""))
    p("")


def diff(a, b, text):
    if a in med_ms and b in med_ms:
        p("- %s: **%+.1f ms** (%s minus %s)" % (text, med_ms[a] - med_ms[b], a, b))


diff("tracked-summary+json", "tracked-off", "The report's cost, report=summary + json_path over report=off")
diff("tracked-summary", "tracked-off", "The summary text alone")
diff("tracked-full", "tracked-off", "The full text report (one line per site)")
diff("tracked-off+json", "tracked-off", "The JSON file alone (one record per block)")
diff("tracked-off", "tracked-free",
     "100k leaks vs none, both report=off (report=off still collects and sorts the live blocks at exit; "
     "the freeing run also does 100,000 frees)")
diff("tracked-summary+json", "plain", "Everything leakguard adds to this process")
size_path = os.path.join(raw, "leak_report_json.bytes")
if os.path.exists(size_path):
    with open(size_path) as f:
        p("- The JSON report is %s bytes (not committed)." % "{:,}".format(int(f.read().strip())))
summ = os.path.join(raw, "leak_report_summary.stderr")
if os.path.exists(summ):
    with open(summ) as f:
        p("- The summary: `%s`" % f.read().strip())
p("")

# Noise -----------------------------------------------------------------------------------------
path = os.path.join(raw, "noise.txt")
if os.path.exists(path):
    last, tries, waits = {}, {}, []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"(.*) \(attempt (\d+)\): (.*)", line)
            if m:
                last[m.group(1)] = m.group(3)
                tries[m.group(1)] = int(m.group(2))
            else:
                waits.append(line)
    def share(text):
        return float(re.search(r"used ([0-9.]+)%", text).group(1))
    noisy = [k for k, v in last.items() if share(v) > 10]
    p("### Noise")
    p("")
    p("While each measurement ran, run.sh counted the CPU time other processes used; a measurement")
    p("with more than 10% of one CPU used by others is repeated up to ATTEMPTS times (on top; the last is kept).")
    shares = [share(v) for v in last.values()]
    p("%d measurements, %d repeated; in the kept ones others used a median of %.0f%% and at most %.0f%% of" % (
        len(last), sum(1 for t in tries.values() if t > 1), median(shares), max(shares)))
    p("one CPU; %d of them had more than 10%%%s." % (
        len(noisy), "" if not noisy or len(noisy) > 10 else " (%s)" % ", ".join(noisy)))
    probes = [float(m.group(1)) for v in last.values() for m in [re.search(r"speed probe before: ([0-9.]+) s", v)] if m]
    if probes:
        p("Speed probe before each kept measurement (user s of 2M plain 64-byte new/delete pairs):")
        p("median %.3f, fastest %.3f, slowest %.3f - the machine's own speed varied by %.1fx." % (
            median(probes), min(probes), max(probes), max(probes) / min(probes)))
    p("Every attempt: micro/noise.txt.")
    busy = [int(m.group(1)) for w in waits for m in [re.search(r"still (\d+)% busy", w)] if m]
    if busy:
        p("Before %d of them the machine was still busy after the idle wait (median %d%% of both CPUs):" % (
            len(busy), median(busy)))
        p("other work was running on it.")
    p("")

print("\n".join(out))
