#!/usr/bin/env python3
"""suite.py run BIN_DIR OUT_DIR: runs suite.sh's measurements (the suite_* programs of suite.cpp)
into OUT_DIR/raw.tsv.  suite.py table OUT_DIR: writes OUT_DIR/table.md from raw.tsv (with
OUT_DIR/machine.txt, written by suite.sh, on top).

Each round runs every configuration on every kind of test, and each build once with no test
selected (the empty run: start-up and exit), in an order that rotates from round to round. A
sample is REPS processes of one job (REPS chosen in a warm-up round so that a sample takes about
MIN_SAMPLE seconds of CPU) and its value is their mean. CPU time is user + system from wait4, to
the microsecond. Per test = (the run of 1,000 tests - the same build's empty run) / 1,000, each
from the same round; ratios are the median over the rounds of the per-round ratios.

Environment: ROUNDS (default 5), MIN_SAMPLE (seconds, default 1), KINDS (a subset of
clean reachable lost; default all)."""
import os
import statistics
import subprocess
import sys
import tempfile
import time

mode = sys.argv[1] if len(sys.argv) > 1 else ""
if mode == "run" and len(sys.argv) == 4:
    bin_dir, out_dir = sys.argv[2], sys.argv[3]
elif mode == "table" and len(sys.argv) == 3:
    out_dir = sys.argv[2]
else:
    sys.exit("usage: suite.py run BIN_DIR OUT_DIR | suite.py table OUT_DIR")
rounds = int(os.environ.get("ROUNDS", "5"))
min_sample = float(os.environ.get("MIN_SAMPLE", "1"))
TESTS = 1000
median = statistics.median

# name: (program, LEAKGUARD_OPTIONS or None for a build without leakguard, label)
CONFIGS = {
    "plain": ("suite_plain", None, "doctest alone (no leakguard)"),
    "tracked": ("suite_tracked", "", "leakguard and its doctest adapter, no whole-suite mode"),
    "all": ("suite_all", "", "whole-suite mode (`LEAKGUARD_CHECK_ALL_TESTS`), default rule `lost`"),
    "strict": ("suite_all", "test_checks=strict", "whole-suite mode, `test_checks=strict`"),
}
KINDS = {
    "clean": "each test allocates and frees 11 blocks",
    "reachable": "each test also leaves 1 block on a list a global holds (alive, not lost)",
    "lost": "each test also loses 1 block",
}
if os.environ.get("KINDS"):  # a subset, e.g. KINDS=clean for many rounds of the cheap runs
    KINDS = {k: v for k, v in KINDS.items() if k in os.environ["KINDS"].split()}
# Failed test cases each run must report (anything else: the run is marked failed).
EXPECTED_FAILURES = {("all", "lost"): TESTS, ("strict", "reachable"): TESTS, ("strict", "lost"): TESTS}
DOCTEST_ARGS = ["--no-version"]
EMPTY_ARGS = ["--test-case=no-such-test"]  # selects none of the 1,000: start-up and exit only


def command(config, kind):
    program, _, _ = CONFIGS[config]
    if kind == "empty":
        return [os.path.join(bin_dir, program), "clean"] + DOCTEST_ARGS + EMPTY_ARGS
    return [os.path.join(bin_dir, program), kind] + DOCTEST_ARGS


def environment(config):
    env = dict(os.environ)
    env.pop("LEAKGUARD_OPTIONS", None)
    options = CONFIGS[config][1]
    if options is not None:
        env["LEAKGUARD_OPTIONS"] = options
    return env


def busy_ticks():
    with open("/proc/stat") as f:
        a = f.readline().split()
    return sum(int(a[i]) for i in (1, 2, 3, 6, 7))


CLK = os.sysconf("SC_CLK_TCK")


def run_once(config, kind, log):
    """One process: (cpu_s, user_s, sys_s, wall_s, failed test cases or None)."""
    log.seek(0)
    log.truncate()
    t0 = time.perf_counter()
    p = subprocess.Popen(command(config, kind), stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                         env=environment(config))
    _, _, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = 0  # reaped by wait4
    log.flush()
    log.seek(0)
    failed = None
    for line in log.read().decode(errors="replace").splitlines():
        if line.startswith("[doctest] test cases:"):
            failed = int(line.split("|")[2].split()[0])
    return usage.ru_utime + usage.ru_stime, usage.ru_utime, usage.ru_stime, wall, failed


def sample(config, kind, reps, log):
    """REPS processes of one job: their mean CPU, user, system and wall time, and a status."""
    b0 = busy_ticks()
    runs = [run_once(config, kind, log) for _ in range(reps)]
    b1 = busy_ticks()
    cpu, user, sys_, wall = (sum(r[i] for r in runs) / reps for i in range(4))
    want = 0 if kind == "empty" else EXPECTED_FAILURES.get((config, kind), 0)
    bad = [r[4] for r in runs if r[4] != want]
    status = "ok" if not bad else "failed (%s failed test cases, expected %d)" % (bad[0], want)
    # CPU other processes used meanwhile, in CPUs (0.5: half of one core on average).
    others = max(0.0, (b1 - b0) / CLK - cpu * reps) / (wall * reps) if wall > 0 else 0.0
    return cpu, user, sys_, wall, status, others


# Every configuration has its own empty run (strict's runs no check either, but is its own row's
# baseline all the same).
jobs = [(c, k) for c in CONFIGS for k in list(KINDS) + ["empty"]]

raw_path = os.path.join(out_dir, "raw.tsv")


def measure():
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.TemporaryFile() as log, open(raw_path, "w") as raw:
        raw.write("round\tconfig\tkind\treps\tcpu_s\tuser_s\tsys_s\twall_s\tothers_cpu\tstatus\n")
        # Warm-up round (not recorded): the page cache, and how many processes make a sample.
        reps = {}
        for job in jobs:
            cpu = sample(job[0], job[1], 1, log)[0]
            reps[job] = max(1, min(100, int(round(min_sample / max(cpu, 1e-4)))))
        for rnd in range(1, rounds + 1):
            shift = (rnd - 1) * 5 % len(jobs)
            for config, kind in jobs[shift:] + jobs[:shift]:
                n = reps[(config, kind)]
                cpu, user, sys_, wall, status, others = sample(config, kind, n, log)
                raw.write("%d\t%s\t%s\t%d\t%.6f\t%.6f\t%.6f\t%.6f\t%.2f\t%s\n" %
                          (rnd, config, kind, n, cpu, user, sys_, wall, others, status))
                raw.flush()
                print("   round %d %-8s %-9s %2d x  cpu %8.2f ms  wall %8.2f ms  others %.2f CPU  %s" %
                      (rnd, config, kind, n, cpu * 1e3, wall * 1e3, others, status), flush=True)


if mode == "run":
    measure()
    sys.exit(0)

rows = []
with open(raw_path) as f:
    header = f.readline().rstrip("\n").split("\t")
    for line in f:
        r = dict(zip(header, line.rstrip("\n").split("\t")))
        rows.append(dict(round=int(r["round"]), config=r["config"], kind=r["kind"], reps=int(r["reps"]),
                         cpu=float(r["cpu_s"]), wall=float(r["wall_s"]), others=float(r["others_cpu"]),
                         status=r["status"]))
rounds = max(r["round"] for r in rows)

# --- the table -----------------------------------------------------------------------------------
value = {(r["round"], r["config"], r["kind"]): r for r in rows if r["status"] == "ok"}


def per_test(rnd, config, kind, key):
    t, e = value.get((rnd, config, kind)), value.get((rnd, config, "empty"))
    return None if t is None or e is None else (t[key] - e[key]) / TESTS


def per_round(f):
    return [v for v in (f(rnd) for rnd in range(1, rounds + 1)) if v is not None]


def over_rounds(f):
    vs = per_round(f)
    return median(vs) if vs else None


def ratio(a, b):
    return None if a is None or b is None or b <= 0 else a / b


def diff(a, b):
    return None if a is None or b is None else a - b


def fmt_ratio(v):
    return "-" if v is None else ("%.2f" % v if v < 10 else "%.1f" % v if v < 100 else "%.0f" % v)


def fmt_us(v):
    return "-" if v is None else "%+.1f" % (v * 1e6) if abs(v) < 1e-4 else "%+.0f" % (v * 1e6)


def with_range(fmt, f):
    """The median over the rounds, and their range when there is more than one round."""
    vs = per_round(f)
    if not vs:
        return "-"
    if len(vs) == 1:
        return fmt(vs[0])
    return "%s (%s to %s)" % (fmt(median(vs)), fmt(min(vs)), fmt(max(vs)))


machine = []
machine_path = os.path.join(out_dir, "machine.txt")
if os.path.exists(machine_path):
    with open(machine_path) as f:
        machine = [line.rstrip("\n") for line in f if line.strip()]

out = ["## Whole-suite mode per test (`suite.sh`)", "", "```"] + machine + [
    "rounds: %d; a sample is the mean of %d-%d processes (at least about %.2f s of CPU in all)" %
    (rounds, min(r["reps"] for r in rows), max(r["reps"] for r in rows), min_sample), "```", "",
    "A doctest program of 1,000 test cases (`suite.cpp`). **Per test**: (the run of the 1,000 tests - the same "
    "build's run with no test selected) / 1,000, so start-up and exit are left out. Ratios: the median over "
    "the rounds of the ratio to the plain build's per-test time in the same round; us: the median of the "
    "differences, in microseconds of CPU (user + system) on the machine above; in brackets: the range over "
    "the rounds.", "",
    "| kind | configuration | per test: CPU x plain | CPU us above plain | CPU us above the same without "
    "whole-suite mode | wall x plain | whole program: CPU x plain |",
    "|:--|:--|---:|---:|---:|---:|---:|"]
for kind in [k for k in KINDS if any(r["kind"] == k for r in rows)]:
    for config, (_, _, label) in CONFIGS.items():
        if config == "plain":
            us = over_rounds(lambda r: per_test(r, "plain", kind, "cpu"))
            whole = over_rounds(lambda r: value[(r, "plain", kind)]["cpu"] if (r, "plain", kind) in value else None)
            cells = ["%.1f us" % (us * 1e6) if us is not None else "-", "", "", "",
                     "%.1f ms" % (whole * 1e3) if whole is not None else "-"]
        else:
            cells = [
                with_range(fmt_ratio, lambda r: ratio(per_test(r, config, kind, "cpu"), per_test(r, "plain", kind, "cpu"))),
                fmt_us(over_rounds(lambda r: diff(per_test(r, config, kind, "cpu"), per_test(r, "plain", kind, "cpu")))),
                "" if config == "tracked" else
                with_range(fmt_us, lambda r: diff(per_test(r, config, kind, "cpu"), per_test(r, "tracked", kind, "cpu"))),
                fmt_ratio(over_rounds(lambda r: ratio(per_test(r, config, kind, "wall"), per_test(r, "plain", kind, "wall")))),
                fmt_ratio(over_rounds(lambda r: ratio(value[(r, config, kind)]["cpu"], value[(r, "plain", kind)]["cpu"])
                                      if (r, config, kind) in value and (r, "plain", kind) in value else None)),
            ]
        out.append("| `%s` | %s | %s |" % (kind, label, " | ".join(cells)))
out += ["", "Kinds: " + "; ".join("`%s`: %s" % kv for kv in KINDS.items() if any(r["kind"] == kv[0] for r in rows)) + ". The 11 blocks: a vector of 4 "
        "strings of 40 characters and a map of 4 entries. The plain rows give the plain build's own medians: CPU "
        "per test and per whole run. The failing runs write doctest's report of each failure to a file "
        "(--no-version, no other option). Under the default rule `reachable` passes and `lost` fails (a leak "
        "check per test); under `test_checks=strict` both fail (no leak check)."]
failed = sorted({(r["config"], r["kind"], r["status"]) for r in rows if r["status"] != "ok"})
if failed:
    out += ["", "Samples left out (wrong result): " + "; ".join("%s %s: %s" % f for f in failed) + "."]
others = [r["others"] for r in rows]
out += ["", "Noise: other processes used a median of %.2f CPUs (of %d) during a sample, at most %.2f." %
        (median(others), os.cpu_count() or 0, max(others))]
with open(os.path.join(out_dir, "table.md"), "w") as f:
    f.write("\n".join(out) + "\n")
