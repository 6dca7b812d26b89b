#!/usr/bin/env bash
# The monitor's cost (docs/performance.md, "The monitor"):
#   1. instructions per 64-byte new/delete pair under callgrind: the defaults and leak tracking
#      only, with counting off and on (dump_signal=SIGUSR2 switches counting on, the thread idle);
#      and the instructions of each whole-program workload (at a twentieth of its size or less),
#      the defaults, counting off and on: exact, where CPU seconds on a shared machine are not;
#   2. user+system CPU of the whole-program workloads with the monitor off and on at 1 s (ROUNDS
#      interleaved runs, median);
#   3. the time of one report with 100,000 live sites and with 1,000,000 live blocks of one site.
# BASE_BUILD=<another build-bench> adds its workloads_tracked as "before", off and on (a build of
# another commit: git archive it to a directory and build there as below).
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
  echo "instructions of the workloads (callgrind, the defaults; counting on: dump_signal=SIGUSR2)"
  ir() { LEAKGUARD_OPTIONS="report=summary:exitcode=0${3:+:$3}" valgrind --tool=callgrind \
    --callgrind-out-file=/dev/null "$1" $2 2>&1 | grep -o 'refs: *[0-9,]*' | tr -d ', ' | cut -d: -f2; }
  for w in "ring 1000000" "map 150000" "umap 300000" "json 1" "prodcons 300000" "pairs 1000000"; do
    off=$(ir "$W" "$w" "") on=$(ir "$W" "$w" "dump_signal=SIGUSR2")
    line=$(python3 -c "print('  %-16s off %7.1fM  on %7.1fM  on/off %.4f' % ('$w', $off / 1e6, $on / 1e6, $on / $off))")
    if [ -n "${BASE_BUILD:-}" ]; then
      boff=$(ir "$BASE_BUILD/benchmarks/workloads_tracked" "$w" "")
      bon=$(ir "$BASE_BUILD/benchmarks/workloads_tracked" "$w" "dump_signal=SIGUSR2")
      line="$line$(python3 -c "print('   before: off %7.1fM  on %7.1fM  on/off %.4f' % ($boff / 1e6, $bon / 1e6, $bon / $boff))")"
    fi
    echo "$line"
  done
fi

echo "CPU seconds (user+system) of the workloads, median of $ROUNDS interleaved runs"
results=$(mktemp)
for round in $(seq "$ROUNDS"); do
  for w in ring map umap json prodcons pairs; do
    for cfg in base base_on off on; do
      bin=$W; opts="report=summary:exitcode=0"
      if [ ${cfg%_on} = base ]; then [ -n "${BASE_BUILD:-}" ] || continue; bin="$BASE_BUILD/benchmarks/workloads_tracked"; fi
      [ ${cfg#*_} = on ] && opts="$opts:monitor_interval=1:monitor_path=/dev/null"
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
    base = ""
    if d[(w, "base")]:
        b, bon = statistics.median(d[(w, "base")]), statistics.median(d[(w, "base_on")])
        base = "  before: off %.2f  on %.2f  on/off %.3f  (off/before %.3f)" % (b, bon, bon / b, off / b)
    print("  %-9s off %.2f  on %.2f  on/off %.3f%s" % (w, off, on, on / off, base))
PY
rm -f "$results" "$results.t"

echo "one report"
"$BUILD_DIR/benchmarks/monitor_report_tracked" sites 100000 2>/dev/null
"$BUILD_DIR/benchmarks/monitor_report_tracked" blocks 1000000 2>/dev/null
