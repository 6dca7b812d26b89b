#!/usr/bin/env bash
# Builds leakguard's benchmarks (Release, -O2 -g, g++), runs all of them and writes the results to
# benchmarks/results/: raw outputs under results/raw/, the tables in results/results.md.
#
#   benchmarks/run.sh
#
# Environment: BUILD_DIR (default <repo>/build-benchmarks), RESULTS_DIR (default
# benchmarks/results), REPETITIONS (rounds of each Google Benchmark benchmark, default 5), RUNS
# (rounds of each whole-program workload, default 5), REPORT_RUNS (hyperfine runs of each
# exit-report variant, default 20), CXX (default g++), IDLE_TIMEOUT and ATTEMPTS (see "Noise").
#
# Noise: on a 2-core machine anything else running (a compiler) skews the numbers, the 2-thread
# ones most. So before each measurement the script waits (up to IDLE_TIMEOUT seconds, default
# 1800) until the machine is idle, and during it counts the CPU time that other processes used
# (busy time in /proc/stat minus the measured command's own user+system time). When others used
# more than 10% of one CPU, the measurement is repeated (up to ATTEMPTS times, default 3; the last
# attempt is kept either way). Every attempt is logged in results/raw/noise.txt.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
build=${BUILD_DIR:-$repo/build-benchmarks}
results=${RESULTS_DIR:-$here/results}
reps=${REPETITIONS:-5}
runs=${RUNS:-5}
report_runs=${REPORT_RUNS:-20}
cxx=${CXX:-g++}
idle_timeout=${IDLE_TIMEOUT:-1800}
attempts=${ATTEMPTS:-3}
raw=$results/raw
bin=$build/benchmarks

# --- build -------------------------------------------------------------------------------------
cmake -S "$repo" -B "$build" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER="$cxx" \
  "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -g -DNDEBUG" \
  -DLEAKGUARD_BUILD_TESTS=OFF -DLEAKGUARD_BUILD_EXAMPLES=OFF -DLEAKGUARD_BUILD_BENCHMARKS=ON
targets=()
for name in bench_alloc bench_scope leak_report workload_ring; do
  targets+=("${name}_plain" "${name}_tracked")
done
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}"

rm -rf "$raw"
mkdir -p "$raw"

# --- the machine -------------------------------------------------------------------------------
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "leakguard commit: $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$repo" diff --quiet HEAD -- include 2>/dev/null || echo ' (include/ modified)')"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
  echo "kernel: $(uname -sr)"
  echo "g++: $("$cxx" --version | head -n1)"
  echo "clang: $(clang++ --version 2>/dev/null | head -n1 || echo 'not installed') (not used for these numbers)"
  echo "cmake: $(cmake --version | head -n1)"
  echo "google benchmark: $(dpkg-query -W -f='${Version}' libbenchmark-dev 2>/dev/null || echo unknown)"
  echo "glibc: $(ldd --version | head -n1)"
  echo "hyperfine: $(hyperfine --version 2>/dev/null || echo 'not installed (fallback timing loop)')"
  echo "flags: $(grep -h '^CXX_FLAGS' "$build/benchmarks/CMakeFiles/bench_alloc_tracked.dir/flags.make" | sed 's/^CXX_FLAGS = //')"
} > "$raw/machine.txt"
cat "$raw/machine.txt"

# --- noise control -----------------------------------------------------------------------------
clk=$(getconf CLK_TCK)
busy_jiffies() { # CPU time (all CPUs) spent outside idle/iowait/steal since boot, in clock ticks
  local a
  read -r -a a < /proc/stat
  echo $((a[1] + a[2] + a[3] + a[6] + a[7]))
}
wait_idle() { # wait_idle LABEL: until the machine is < 10% busy over 2 s (or IDLE_TIMEOUT)
  local start=$SECONDS b0 b1 busy
  while :; do
    b0=$(busy_jiffies); sleep 2; b1=$(busy_jiffies)
    busy=$(( 100 * (b1 - b0) / (2 * clk * $(nproc)) ))
    (( busy < 10 )) && return
    if (( SECONDS - start >= idle_timeout )); then
      echo "$1: machine still ${busy}% busy after waiting $((SECONDS - start)) s" >> "$raw/noise.txt"
      return
    fi
  done
}
# measured LABEL OUTFILE COMMAND...: runs COMMAND (stdout and stderr to OUTFILE), repeating it
# while other processes used more than 10% of one CPU meanwhile (see the top of this file).
measured() {
  local label=$1 outfile=$2 attempt b0 b1 t0 t1 verdict
  shift 2
  for attempt in $(seq "$attempts"); do
    wait_idle "$label"
    b0=$(busy_jiffies); t0=$(date +%s%N)
    /usr/bin/time -f '%U %S' -o "$raw/.own_time" "$@" > "$outfile" 2>&1
    t1=$(date +%s%N); b1=$(busy_jiffies)
    verdict=$(awk -v b="$((b1 - b0))" -v clk="$clk" -v ns="$((t1 - t0))" -v own="$(tail -n1 "$raw/.own_time")" \
      'BEGIN { split(own, o, " "); others = b / clk - o[1] - o[2]; if (others < 0) others = 0;
               share = 100 * others / (ns / 1e9);
               printf "%s %.1f s, other processes used %.1f%% of one CPU", (share > 10 ? "noisy" : "clean"), ns / 1e9, share }')
    echo "$label (attempt $attempt): ${verdict#* }" >> "$raw/noise.txt"
    [[ $verdict == clean* ]] && break
    (( attempt < attempts )) && echo "   ($label was noisy: ${verdict#* }; measuring again)"
  done
  rm -f "$raw/.own_time"
}

# Tracked programs: no report text in the benchmark output (Google Benchmark's own statics are
# alive at exit), and never a non-zero status for them.
export LG_TRACKED_OPTIONS="report=summary:exitcode=0"

# --- 1-3: Google Benchmark ---------------------------------------------------------------------
# This machine's speed drifts (a virtual machine: the same loop runs 15 or 30 ns for tens of
# seconds at a time), so plain and tracked are measured close together in time: for each
# benchmark, REPETITIONS rounds of [plain, tracked, (tracked --after_thread)], one process per
# run with one Google Benchmark repetition each. summarize.py reports the median over the rounds
# and the median of the per-round tracked/plain ratios.
#
# One process per run also keeps the single-threaded numbers honest: leakguard counts live bytes
# exactly (one atomic add per operation) until a second thread has allocated, and batches them
# per thread after that. --after_thread makes a thread allocate first, to measure that mode.
mkdir -p "$raw/gb"
gb_run() { # gb_run ID KIND ROUND BINARY FILTER [ARG...]: one Google Benchmark process
  local id=$1 kind=$2 round=$3 exe=$4 filter=$5
  shift 5
  env LEAKGUARD_OPTIONS="$LG_TRACKED_OPTIONS" "$bin/$exe" "$@" --benchmark_filter="$filter" \
    --benchmark_repetitions=1 --benchmark_out="$raw/gb/${id}__${kind}__${round}.json" \
    --benchmark_out_format=json
}
gb_round() { # gb_round ID ROUND PROGRAM FILTER AFTER_THREAD(0|1)
  local id=$1 round=$2 prog=$3 filter=$4
  gb_run "$id" plain "$round" "${prog}_plain" "$filter"
  gb_run "$id" tracked "$round" "${prog}_tracked" "$filter"
  if [[ $5 == 1 ]]; then gb_run "$id" tracked-after-thread "$round" "${prog}_tracked" "$filter" --after_thread; fi
}
export -f gb_run gb_round
export bin raw
gbench() { # gbench ID PROGRAM FILTER AFTER_THREAD(0|1)
  echo "== $2 --benchmark_filter='$3'"
  for round in $(seq "$reps"); do
    measured "$1 round $round" "$raw/gb/$1.round$round.txt" bash -c 'gb_round "$@"' _ "$1" "$round" "$2" "$3" "$4"
    grep -E '^BM_|^leakguard:' "$raw/gb/$1.round$round.txt" | sed "s/^/   /" || true
  done
}
for size in 16 64 1024 65536; do
  gbench "new_delete_$size" bench_alloc "^BM_new_delete<$size>\$" 1
done
gbench churn_1 bench_alloc '^BM_churn/real_time/threads:1$' 1
gbench churn_2 bench_alloc '^BM_churn/real_time/threads:2$' 0
gbench cross_thread bench_alloc '^BM_cross_thread/' 0
for this_thread in 0 1; do
  for older in 0 1000000; do
    gbench "scope_${older}_${this_thread}" bench_scope "^BM_scope/older:$older/this_thread:$this_thread\$" 0
  done
done

# --- 4: the exit report for 100,000 leaks ------------------------------------------------------
json_out=$raw/leak_report_leaks.json
lg="env LEAKGUARD_OPTIONS"
names=(plain tracked-free tracked-off tracked-summary tracked-full tracked-off+json tracked-summary+json)
cmds=("$bin/leak_report_plain"
      "$lg=report=off:exitcode=0 $bin/leak_report_tracked --free"
      "$lg=report=off:exitcode=0 $bin/leak_report_tracked"
      "$lg=report=summary:exitcode=0 $bin/leak_report_tracked"
      "$lg=report=full:exitcode=0 $bin/leak_report_tracked"
      "$lg=report=off:exitcode=0:json_path=$json_out $bin/leak_report_tracked"
      "$lg=report=summary:exitcode=0:json_path=$json_out $bin/leak_report_tracked")
echo "== exit report for 100,000 leaks"
if command -v hyperfine >/dev/null; then
  args=()
  for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
  # In 4 rounds of REPORT_RUNS/4 runs of each variant, for the same drift as above; summarize.py
  # pools the rounds. --output=null: the report goes to stderr, which hyperfine would show.
  per_round=$(( (report_runs + 3) / 4 ))
  for round in 1 2 3 4; do
    measured "leak_report round $round" "$raw/leak_report.round$round.txt" hyperfine --warmup 2 \
      --runs "$per_round" --style basic --output=null \
      --export-json "$raw/leak_report.hyperfine.round$round.json" "${args[@]}"
    grep -E '^Benchmark|Time \(mean' "$raw/leak_report.round$round.txt" || true
  done
else
  # Fallback: wall-clock seconds of each run, one line per run: "name seconds".
  wait_idle leak_report
  for run in $(seq "$report_runs"); do
    for i in "${!names[@]}"; do
      t0=$(date +%s%N); ${cmds[$i]} >/dev/null 2>&1; t1=$(date +%s%N)
      echo "${names[$i]} $(( (t1 - t0) / 1000 ))e-6" >> "$raw/leak_report.times"
    done
  done
fi
# One more run of each report form, kept for reference (and to check that it reports all leaks).
env LEAKGUARD_OPTIONS=report=summary:exitcode=0:json_path="$json_out" "$bin/leak_report_tracked" \
  > /dev/null 2> "$raw/leak_report_summary.stderr"
env LEAKGUARD_OPTIONS=report=full:exitcode=0 "$bin/leak_report_tracked" \
  > /dev/null 2> "$raw/leak_report_full.stderr"
stat -c '%s' "$json_out" > "$raw/leak_report_json.bytes"
rm -f "$json_out" # 100,000 records: too big to commit

# --- 5: whole-program workloads ----------------------------------------------------------------
# One round = the plain, the tracked and the tracked --after_thread run of one workload, one
# after the other, so that a slow spell of the machine hits all three alike. A tracked run must
# end without leaks: with the default exitcode (23) the script stops otherwise.
workload_round() { # workload_round MODE
  "$bin/workload_ring_plain" "$1" | sed 's/^/build=plain /'
  env LEAKGUARD_OPTIONS=report=summary "$bin/workload_ring_tracked" "$1" | sed 's/^/build=tracked /'
  env LEAKGUARD_OPTIONS=report=summary "$bin/workload_ring_tracked" "$1" --after_thread \
    | sed 's/^/build=tracked-after-thread /'
}
export -f workload_round
echo "== whole-program workloads ($runs rounds each)"
for mode in ring map pairs; do
  for i in $(seq "$runs"); do
    measured "workload $mode round $i" "$raw/.round" bash -c "set -o pipefail; workload_round $mode"
    grep '^build=' "$raw/.round" | sed "s/^/run=$i /" | tee -a "$raw/workload.txt"
    grep '^leakguard:' "$raw/.round" >> "$raw/workload_tracked.stderr" || true
  done
done
rm -f "$raw/.round"

# --- tables ------------------------------------------------------------------------------------
python3 "$here/summarize.py" "$raw" > "$results/results.md"
cat "$results/results.md"
