#!/usr/bin/env bash
# The monitor's cost (docs/performance.md, "The monitor"):
#   1. instructions per 64-byte new/delete pair under callgrind: the defaults and leak tracking
#      only, with counting off and on (dump_signal=SIGUSR2 switches counting on, the thread idle);
#   2. user+system CPU of the whole-program workloads with the monitor off and on at 1 s (ROUNDS
#      interleaved runs, median);
#   3. the time of one report with 100,000 live sites and with 1,000,000 live blocks of one site.
# BASE_BUILD=<another build-bench> adds its workloads_tracked as "before" (a build of the parent
# commit: git archive it to a directory and build there as below).
#   benchmarks/monitor.sh          ROUNDS=5 by default; SKIP_CALLGRIND=1 to skip part 1
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-bench}
ROUNDS=${ROUNDS:-5}
cmake -S . -B "$BUILD_DIR" -DLEAKGUARD_BUILD_BENCHMARKS=ON -DCMAKE_BUILD_TYPE=Release \
  -DLEAKGUARD_BUILD_TESTS=OFF -DLEAKGUARD_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$BUILD_DIR" -j2 --target workloads_tracked monitor_report_tracked >/dev/null
W="$BUILD_DIR/benchmarks/workloads_tracked"
LEAK_ONLY="guard_bytes=0:fill=0:stack_depth=1:quarantine_bytes=0"

pair_instructions() { # binary options -> instructions per pair
  local ir=()
  for n in 100000 1100000; do
    ir+=("$(LEAKGUARD_OPTIONS="report=summary:exitcode=0${2:+:$2}" valgrind --tool=callgrind \
      --callgrind-out-file=/dev/null "$1" pairs $n 2>&1 | grep -o 'refs: *[0-9,]*' | tr -d ', ' | cut -d: -f2)")
  done
  python3 -c "print('%.0f' % ((${ir[1]} - ${ir[0]}) / 1e6))"
}

if [ -z "${SKIP_CALLGRIND:-}" ]; then
  echo "instructions per 64-byte new/delete pair (callgrind)"
  for cfg in "defaults|" "leak tracking only|$LEAK_ONLY"; do
    name=${cfg%%|*}; opts=${cfg#*|}
    line="  $name: off $(pair_instructions "$W" "$opts"), counting on $(pair_instructions "$W" "${opts:+$opts:}dump_signal=SIGUSR2")"
    [ -n "${BASE_BUILD:-}" ] && line="$line, before $(pair_instructions "$BASE_BUILD/benchmarks/workloads_tracked" "$opts")"
    echo "$line"
  done
fi

echo "CPU seconds (user+system) of the workloads, median of $ROUNDS interleaved runs"
results=$(mktemp)
for round in $(seq "$ROUNDS"); do
  for w in ring map umap json prodcons pairs; do
    for cfg in base off on; do
      bin=$W; opts="report=summary:exitcode=0"
      if [ $cfg = base ]; then [ -n "${BASE_BUILD:-}" ] || continue; bin="$BASE_BUILD/benchmarks/workloads_tracked"; fi
      [ $cfg = on ] && opts="$opts:monitor_interval=1:monitor_path=/dev/null"
      /usr/bin/time -o "$results.t" -f "%U %S" env LEAKGUARD_OPTIONS=$opts "$bin" $w >/dev/null 2>&1
      echo "$w $cfg $(cat "$results.t")" >>"$results"
    done
  done
done
python3 - "$results" <<'PY'
import collections, statistics, sys
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    p = line.split()
    d[(p[0], p[1])].append(float(p[2]) + float(p[3]))
for w in "ring map umap json prodcons pairs".split():
    off, on = statistics.median(d[(w, "off")]), statistics.median(d[(w, "on")])
    base = " before %.2f (off/before %.3f)" % (statistics.median(d[(w, "base")]), off / statistics.median(d[(w, "base")])) if d[(w, "base")] else ""
    print("  %-9s off %.2f  on %.2f  on/off %.3f%s" % (w, off, on, on / off, base))
PY
rm -f "$results" "$results.t"

echo "one report"
"$BUILD_DIR/benchmarks/monitor_report_tracked" sites 100000 2>/dev/null
"$BUILD_DIR/benchmarks/monitor_report_tracked" blocks 1000000 2>/dev/null
