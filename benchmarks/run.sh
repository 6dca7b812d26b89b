#!/usr/bin/env bash
# leakguard's microbenchmarks (Google Benchmark, and the exit report for 100,000 leaks): builds
# them (Release, -O2 -g), runs each plain and tracked - and tracked under the LEAKGUARD_OPTIONS
# variants below - and writes benchmarks/results/micro/ (raw outputs, micro.md) and
# benchmarks/results/results.md. The whole-program comparison with the other leak checkers is
# compare.sh.
#
#   benchmarks/run.sh          # 5 rounds of everything
#   benchmarks/run.sh 2        # 2 rounds: a quicker check
#
# Environment: BUILD_DIR (default <repo>/build-bench), RESULTS_DIR (default benchmarks/results),
# ROUNDS (rounds of each Google Benchmark benchmark, default 5, or the first argument),
# REPETITIONS (Google Benchmark repetitions per process, default 5), MIN_TIME (seconds per
# repetition, default 0.1), REPORT_RUNS (hyperfine runs of each exit-report variant, default 20),
# IDLE_TIMEOUT and ATTEMPTS (see "Noise"), LEAKGUARD_REVISION (what to print as leakguard's
# revision).
#
# Noise: on a 2-core machine anything else running (a compiler) skews the numbers, the 2-thread
# ones most. So before each measurement the script waits (up to IDLE_TIMEOUT seconds, default
# 5) until the machine is idle, and during it counts the CPU time that other processes used
# (busy time in /proc/stat minus the measured command's own user+system time). When others used
# more than 10% of one CPU, the measurement is repeated (up to ATTEMPTS times, default 2; the last
# attempt is kept either way). Every attempt is logged in micro/noise.txt, with a speed probe
# taken just before it (user time of 2M plain new/delete pairs): on a virtual machine the host
# can slow the guest down without anything showing in /proc/stat.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
build=${BUILD_DIR:-$repo/build-bench}
results=${RESULTS_DIR:-$here/results}
rounds=${1:-${ROUNDS:-5}}
export reps=${REPETITIONS:-5}
export min_time=${MIN_TIME:-0.1}
report_runs=${REPORT_RUNS:-20}
idle_timeout=${IDLE_TIMEOUT:-5}
attempts=${ATTEMPTS:-2}
raw=$results/micro
bin=$build/benchmarks

# --- the LEAKGUARD_OPTIONS of the tracked runs, in one place -----------------------------------
# Every tracked Google Benchmark run: no report text in the output (Google Benchmark's own statics
# are alive at exit), and never a non-zero status.
export LG_TRACKED_OPTIONS="report=summary:exitcode=0"
# Appended to it for the variants (kind name = option string). Options this leakguard does not
# know yet are reported in micro/machine.txt and the tables, and their warning is not shown.
LG_STACK_VARIANTS="stack_depth=0 stack_depth=1 stack_depth=8 stack_depth=16"
LG_GUARDS_OFF="guard_bytes=0:quarantine_bytes=0"
LG_LEAK_ONLY="stack_depth=0:guard_bytes=0:quarantine_bytes=0:fill=0"

# --- build -------------------------------------------------------------------------------------
cmake -S "$repo" -B "$build" \
  -DCMAKE_BUILD_TYPE=Release \
  "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -g -DNDEBUG" \
  -DLEAKGUARD_BUILD_TESTS=OFF -DLEAKGUARD_BUILD_EXAMPLES=OFF -DLEAKGUARD_BUILD_BENCHMARKS=ON
targets=()
for name in bench_alloc bench_malloc bench_scope leak_report workloads; do
  targets+=("${name}_plain" "${name}_tracked")
done
cmake --build "$build" -j"$(nproc)" --target "${targets[@]}"
cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")

rm -rf "$raw"
mkdir -p "$raw"

# --- the machine -------------------------------------------------------------------------------
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
  echo "leakguard: ${LEAKGUARD_REVISION:-$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$repo" diff --quiet HEAD -- include 2>/dev/null || echo ' + uncommitted changes in include/')}"
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
  unknown=$(env LEAKGUARD_OPTIONS="$LG_LEAK_ONLY:$LG_GUARDS_OFF:${LG_STACK_VARIANTS// /:}" "$bin/workloads_tracked" pairs 1 2>&1 >/dev/null \
    | sed -n "s/.*unknown option '\([^']*\)'.*/\1/p" | sort -u | tr '\n' ' ')
  echo "options not known to this leakguard yet (ignored, so those variants measure the defaults): ${unknown:-none}"
  echo "rounds: $rounds, $reps repetitions of $min_time s each; noise control: IDLE_TIMEOUT=$idle_timeout ATTEMPTS=$attempts"
  echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
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
  local label=$1 outfile=$2 attempt b0 b1 t0 t1 verdict probe
  shift 2
  for attempt in $(seq "$attempts"); do
    wait_idle "$label"
    # The machine's speed right now: 2M plain 64-byte new/delete pairs (user seconds).
    probe=$("$bin/workloads_plain" pairs 2000000 | sed 's/.*user_s=\([0-9.]*\).*/\1/')
    b0=$(busy_jiffies); t0=$(date +%s%N)
    /usr/bin/time -f '%U %S' -o "$raw/.own_time" "$@" > "$outfile" 2>&1
    t1=$(date +%s%N); b1=$(busy_jiffies)
    verdict=$(awk -v b="$((b1 - b0))" -v clk="$clk" -v ns="$((t1 - t0))" -v own="$(tail -n1 "$raw/.own_time")" \
      'BEGIN { split(own, o, " "); others = b / clk - o[1] - o[2]; if (others < 0) others = 0;
               share = 100 * others / (ns / 1e9);
               printf "%s %.1f s, other processes used %.1f%% of one CPU", (share > 10 ? "noisy" : "clean"), ns / 1e9, share }')
    verdict="$verdict; speed probe before: $probe s"
    echo "$label (attempt $attempt): ${verdict#* }" >> "$raw/noise.txt"
    [[ $verdict == clean* ]] && break
    (( attempt < attempts )) && echo "   ($label was noisy: ${verdict#* }; measuring again)"
  done
  rm -f "$raw/.own_time"
}

# --- 1-3: Google Benchmark ---------------------------------------------------------------------
# This machine's speed drifts (a virtual machine: the same loop takes 15 or 30 ns, from one second
# to the next), so plain and tracked are measured close together in time and many times: for each
# benchmark, ROUNDS rounds of [plain, tracked, (tracked --after_thread)], one process each with
# REPETITIONS repetitions of MIN_TIME seconds. summarize.py reports the median and the minimum of
# all repetitions, and the median of the per-round tracked/plain ratios.
#
# One process per run also keeps the single-threaded numbers honest: leakguard counts live bytes
# exactly (one atomic add per operation) until a second thread has allocated, and batches them
# per thread after that. --after_thread makes a thread allocate first, to measure that mode.
mkdir -p "$raw/gb"
# gb_run ID KIND ROUND BINARY FILTER [ARG...]: one Google Benchmark process. KIND "opt:OPTIONS"
# runs the tracked binary with OPTIONS appended to LG_TRACKED_OPTIONS (its file is named after
# OPTIONS, ':' and '=' made '-'); the warning about options this leakguard does not know is
# dropped (machine.txt lists them).
gb_run() {
  local id=$1 kind=$2 round=$3 exe=$4 filter=$5 opts=$LG_TRACKED_OPTIONS
  shift 5
  if [[ $kind == opt:* ]]; then
    opts="$opts:${kind#opt:}"
    kind="opt-$(echo "${kind#opt:}" | tr ':=' '--')"
  fi
  env LEAKGUARD_OPTIONS="$opts" "$bin/$exe" "$@" --benchmark_filter="$filter" \
    --benchmark_repetitions="$reps" --benchmark_min_time="$min_time" \
    --benchmark_display_aggregates_only=true --benchmark_out="$raw/gb/${id}__${kind}__${round}.json" \
    --benchmark_out_format=json 2>&1 | grep -v "^leakguard: warning: unknown option"
}
# gb_round ID ROUND PROGRAM FILTER VARIANT...: plain, then each variant: "tracked",
# "tracked-after-thread" (the tracked binary with --after_thread) or "opt:OPTIONS".
gb_round() {
  local id=$1 round=$2 prog=$3 filter=$4 v
  shift 4
  gb_run "$id" plain "$round" "${prog}_plain" "$filter"
  for v in "$@"; do
    case $v in
      tracked) gb_run "$id" tracked "$round" "${prog}_tracked" "$filter" ;;
      tracked-after-thread) gb_run "$id" tracked-after-thread "$round" "${prog}_tracked" "$filter" --after_thread ;;
      opt:*) gb_run "$id" "$v" "$round" "${prog}_tracked" "$filter" ;;
    esac
  done
}
export -f gb_run gb_round
export bin raw
gbench() { # gbench ID PROGRAM FILTER VARIANT...
  echo "== $2 --benchmark_filter='$3'"
  for round in $(seq "$rounds"); do
    measured "$1 round $round" "$raw/gb/$1.round$round.txt" bash -c 'set -o pipefail; gb_round "$@"' _ "$1" "$round" "${@:2}"
    grep -E '^BM_.*_median|^leakguard:' "$raw/gb/$1.round$round.txt" | sed "s/^/   /" || true
  done
}
stack_variants=()
for o in $LG_STACK_VARIANTS; do stack_variants+=("opt:$o"); done

# 1. new/delete pairs; leak tracking only; guards and quarantine off; stacks at depths 0/1/8/16
# (20 calls deep, so that 16 frames exist to capture).
for size in 16 64 1024 65536; do
  gbench "new_delete_$size" bench_alloc "^BM_new_delete<$size>\$" tracked tracked-after-thread "opt:$LG_LEAK_ONLY"
done
gbench new_delete_guards bench_alloc '^BM_new_delete<64>$' tracked "opt:$LG_GUARDS_OFF"
gbench new_delete_deep bench_alloc '^BM_new_delete_deep/20$' tracked "${stack_variants[@]}"
# The same pair made inside libstdc++ (no frame pointers): the CFI walk, and libgcc's for comparison.
gbench string_reserve_deep bench_alloc '^BM_string_reserve_deep/20$' tracked "opt:stack_unwinder=fp" \
  "opt:stack_unwinder=libgcc"
# 2. mapped malloc/free and realloc growth (malloc is glibc's in both builds until
# LEAKGUARD_MAP_MALLOC exists; the results say which).
for size in 16 64 1024 65536; do
  gbench "malloc_free_$size" bench_malloc "^BM_malloc_free<$size>\$" tracked
done
gbench realloc_geometric bench_malloc '^BM_realloc_geometric$' tracked
gbench realloc_linear bench_malloc '^BM_realloc_linear$' tracked
# 3. 1 and 2 threads on the same churn workload; allocation on one thread, free on the other.
gbench churn_1 bench_alloc '^BM_churn/real_time/threads:1$' tracked tracked-after-thread "opt:$LG_LEAK_ONLY"
gbench churn_2 bench_alloc '^BM_churn/real_time/threads:2$' tracked "opt:$LG_LEAK_ONLY"
gbench cross_thread bench_alloc '^BM_cross_thread/' tracked
# 4. scopes with 0 and 1,000,000 older live blocks.
for this_thread in 0 1; do
  for older in 0 1000000; do
    gbench "scope_${older}_${this_thread}" bench_scope "^BM_scope/older:$older/this_thread:$this_thread\$" tracked
  done
done

# --- 5: the exit report for 100,000 leaks ------------------------------------------------------
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

# --- tables ------------------------------------------------------------------------------------
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$raw/machine.txt"
python3 "$here/summarize.py" "$raw" > "$raw/micro.md"
cat "$raw/micro.md"
python3 "$here/assemble.py" "$results"
