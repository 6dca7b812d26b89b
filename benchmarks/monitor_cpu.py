#!/usr/bin/env python3
"""CPU seconds of the whole-program workloads with the monitor off, counting only, and on.

benchmarks/monitor.sh, part 2 (docs/performance.md, "The monitor"):

    monitor_cpu.py ROUNDS WORKLOADS_TRACKED [BASE_WORKLOADS_TRACKED]

Each run's user + system CPU comes from wait4's rusage, in microseconds (/usr/bin/time rounds to
10 ms: as much as the 2% being measured on a 0.5 s run). The runs are interleaved - every
configuration of a workload in each round, the order rotated from round to round - so that a
change in the machine's load falls on all of them alike. Printed per workload: the median of each
configuration, and each ratio to "off" as the median of the per-round ratios (paired within a
round) with their range in brackets.

Configurations: off (report=summary:exitcode=0), count (dump_signal=SIGUSR2: counting on, the
monitor's thread idle: the hot paths' cost and the thread's), on (monitor_interval=1, reports to
/dev/null); with a base binary also "before" (its off) and "before on".
"""
import os
import statistics
import sys

WORKLOADS = ["ring", "map", "umap", "json", "prodcons", "pairs"]
BASE_OPTIONS = "report=summary:exitcode=0"
CONFIGS = [
    ("off", ""),
    ("count", ":dump_signal=SIGUSR2"),
    ("on", ":monitor_interval=1:monitor_path=/dev/null"),
]


def cpu_seconds(binary, workload, options):
    """Runs `binary workload` once; its user + system CPU seconds (children included)."""
    env = dict(os.environ, LEAKGUARD_OPTIONS=BASE_OPTIONS + options)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        pid = os.posix_spawn(
            binary,
            [binary, workload],
            env,
            file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)],
        )
    finally:
        os.close(devnull)
    _, status, usage = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("%s %s (LEAKGUARD_OPTIONS=%s) failed: %d" % (binary, workload, env["LEAKGUARD_OPTIONS"], status))
    return usage.ru_utime + usage.ru_stime


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    rounds, binary = int(sys.argv[1]), sys.argv[2]
    runs = [(name, binary, options) for name, options in CONFIGS]
    if len(sys.argv) == 4:
        runs += [("before", sys.argv[3], ""), ("before on", sys.argv[3], CONFIGS[2][1])]
    times = {(w, name): [] for w in WORKLOADS for name, _, _ in runs}
    for r in range(rounds):
        for w in WORKLOADS:
            order = runs[r % len(runs):] + runs[:r % len(runs)]
            for name, b, options in order:
                times[(w, name)].append(cpu_seconds(b, w, options))

    def ratio(w, name, to):
        per_round = [a / b for a, b in zip(times[(w, name)], times[(w, to)])]
        return "%.3f [%.3f-%.3f]" % (statistics.median(per_round), min(per_round), max(per_round))

    print("  user+system CPU seconds, median of %d interleaved runs; ratios: median of the per-round ratios [range]"
          % rounds)
    for w in WORKLOADS:
        line = "  %-9s off %.3f  count %.3f  on %.3f   count/off %s  on/off %s" % (
            w, statistics.median(times[(w, "off")]), statistics.median(times[(w, "count")]),
            statistics.median(times[(w, "on")]), ratio(w, "count", "off"), ratio(w, "on", "off"))
        if len(sys.argv) == 4:
            line += "   before: off %.3f  on %.3f  on/off %s  off/before %s" % (
                statistics.median(times[(w, "before")]), statistics.median(times[(w, "before on")]),
                ratio(w, "before on", "before"), ratio(w, "off", "before"))
        print(line)


if __name__ == "__main__":
    main()
