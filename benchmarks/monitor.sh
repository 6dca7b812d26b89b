#!/usr/bin/env bash
# The monitor's cost (docs/performance.md, "The monitor"):
#   1. instructions per 64-byte new/delete pair under callgrind: the defaults and leak tracking
#      only, with counting off and on (dump_signal=SIGUSR2 switches counting on, the thread idle);
#      and the instructions of each whole-program workload (at a twentieth of its size or less),
#      the defaults, counting off and on: exact, where CPU seconds on a shared machine are not;
#   2. user+system CPU of the whole-program workloads (benchmarks/monitor_cpu.py: microseconds from
#      wait4's rusage) with the monitor off, counting only (dump_signal, the thread idle) and on at
#      1 s: ROUNDS interleaved runs, medians;
#   3. the time of one report with 100,000 live sites and with 1,000,000 live blocks of one site.
# BASE_BUILD=<another build-bench> adds its workloads_tracked as "before", off and on (a build of
# another commit: git archive it to a directory and build there as below; a commit before
# benchmarks/CMakeLists.txt aligned functions to 32 bytes needs -DCMAKE_CXX_FLAGS=-falign-functions=32,
# or its instruction counts move by where its code fell).
#   benchmarks/monitor.sh          ROUNDS=7 by default; SKIP_CALLGRIND=1 to skip part 1
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build-bench}
ROUNDS=${ROUNDS:-7}
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
  echo "instructions of the workloads (callgrind, the defaults; counting on: dump_signal=SIGUSR2;"
  echo "  libc: how much of on - off is the C library's own code, as a share of off)"
  # The program's instructions, and a space and those in libc.so (callgrind_annotate's per-function
  # totals): with the monitor's thread, glibc's malloc and free run in multi-threaded mode.
  ir_libc() {
    local out; out=$(mktemp)
    LEAKGUARD_OPTIONS="report=summary:exitcode=0${3:+:$3}" valgrind --tool=callgrind \
      --callgrind-out-file="$out" "$1" $2 >/dev/null 2>&1
    callgrind_annotate --threshold=100 "$out" | python3 -c "
import re, sys
total = libc = 0
for line in sys.stdin:
    m = re.match(r'\s*([\d,]+) \(', line)
    if not m: continue
    n = int(m.group(1).replace(',', ''))
    if 'PROGRAM TOTALS' in line: total = n
    elif 'libc.so' in line: libc += n
print(total, libc)"
    rm -f "$out"
  }
  ir() { ir_libc "$@" | cut -d' ' -f1; }
  for w in "ring 1000000" "map 150000" "umap 300000" "json 1" "prodcons 300000" "pairs 1000000"; do
    read -r off off_libc < <(ir_libc "$W" "$w" "")
    read -r on on_libc < <(ir_libc "$W" "$w" "dump_signal=SIGUSR2")
    line=$(python3 -c "print('  %-16s off %7.1fM  on %7.1fM  on/off %.4f  libc %+.2f%%' % ('$w', $off / 1e6, $on / 1e6, $on / $off, 100.0 * ($on_libc - $off_libc) / $off))")
    if [ -n "${BASE_BUILD:-}" ]; then
      boff=$(ir "$BASE_BUILD/benchmarks/workloads_tracked" "$w" "")
      bon=$(ir "$BASE_BUILD/benchmarks/workloads_tracked" "$w" "dump_signal=SIGUSR2")
      line="$line$(python3 -c "print('   before: off %7.1fM  on %7.1fM  on/off %.4f   off/before %.4f' % ($boff / 1e6, $bon / 1e6, $bon / $boff, $off / $boff))")"
    fi
    echo "$line"
  done
fi

echo "CPU seconds of the workloads: off, counting only (dump_signal=SIGUSR2), monitor on at 1 s"
python3 benchmarks/monitor_cpu.py "$ROUNDS" "$W" ${BASE_BUILD:+"$BASE_BUILD/benchmarks/workloads_tracked"}

echo "one report"
"$BUILD_DIR/benchmarks/monitor_report_tracked" sites 100000 2>/dev/null
"$BUILD_DIR/benchmarks/monitor_report_tracked" blocks 1000000 2>/dev/null
