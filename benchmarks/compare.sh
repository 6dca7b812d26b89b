#!/usr/bin/env bash
# What leak checking costs whole programs, leakguard against every peer, measured side by side in
# one run: each workload of workloads.cpp runs, interleaved, RUNS times under each configuration
# below; the table (median user CPU and wall time as ratios to plain, peak RSS as a ratio to
# plain, with the machine and versions on top) goes to stdout and to benchmarks/results/.
#
#   benchmarks/compare.sh          # 5 runs of each workload under each configuration
#   benchmarks/compare.sh 1        # one run of each: a quick check (about 10 minutes)
#
# Installs what it needs with apt-get (sudo when not root) unless SKIP_INSTALL=1. Environment:
# BUILD_DIR (default <repo>/build-bench; its compiler is the one CXX named when it was first
# configured, g++ by default), RESULTS_DIR (default benchmarks/results), WORKLOADS / CONFIGS (space-separated subsets, default all), TIMEOUT (seconds, default 60:
# a run that takes longer is killed, reported as "> N x" and not run again), SLOW_FACTOR and
# SLOW_RUNS (default 10 and 3: a configuration whose first run of a workload took more than
# SLOW_FACTOR times the plain run's wall time is run SLOW_RUNS times in all, not RUNS times).
# LEAKGUARD_REVISION: what to print as leakguard's revision (default: git describe of this tree).
set -uo pipefail

# --- the configurations' options, in one place -------------------------------------------------
LG_DEFAULT_OPTIONS=""                                                     # leakguard's defaults
LG_LEAK_ONLY_OPTIONS="stack_depth=0:guard_bytes=0:quarantine_bytes=0:fill=0" # leak tracking only
VALGRIND_ARGS="--leak-check=full --quiet"
HEAPCHECK_MODE="normal"
# Every configuration: NAME|label. Their commands are in cmd_for below.
CONFIG_LIST="plain leakguard leakguard-leak-only header-only header-32 header-16 lsan asan memcheck heaptrack tcmalloc gperftools cpputest"

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
build=${BUILD_DIR:-$repo/build-bench}
results=${RESULTS_DIR:-$here/results}
runs=${1:-${RUNS:-5}}
timeout_s=${TIMEOUT:-60}
slow_factor=${SLOW_FACTOR:-10}
slow_runs=${SLOW_RUNS:-3}
out=$results/compare
bin=$build/benchmarks
[[ $runs =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [RUNS]" >&2; exit 2; }

# --- dependencies (Debian/Ubuntu package names) ------------------------------------------------
if [[ ${SKIP_INSTALL:-0} != 1 ]]; then
  missing=()
  for pair in g++:g++ cmake:cmake valgrind:valgrind heaptrack:heaptrack python3:python3; do
    command -v "${pair%%:*}" > /dev/null || missing+=("${pair#*:}")
  done
  [[ -x /usr/bin/time ]] || missing+=(time)
  for pkg in libbenchmark-dev nlohmann-json3-dev libgoogle-perftools-dev libcpputest-dev; do
    dpkg-query -W -f='${Status}' "$pkg" 2> /dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    echo "== installing: ${missing[*]}"
    sudo=""
    [[ $(id -u) == 0 ]] || sudo=sudo
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" > /dev/null \
      || echo "warning: apt-get install failed; configurations that need ${missing[*]} may be missing" >&2
  fi
fi

# --- build -------------------------------------------------------------------------------------
echo "== building the workloads in $build"
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -g -DNDEBUG" \
  -DLEAKGUARD_BUILD_TESTS=OFF -DLEAKGUARD_BUILD_EXAMPLES=OFF -DLEAKGUARD_BUILD_BENCHMARKS=ON > /dev/null || exit 1
cmake --build "$build" -j"$(nproc)" --target leakguard_bench_workloads > /dev/null || exit 1
cxx=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")

# The command of configuration $1 (empty when its build or tool is missing), as words in CMD.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmd_for() {
  CMD=()
  case $1 in
    plain) CMD=("$bin/workloads_plain") ;;
    leakguard) CMD=(env "LEAKGUARD_OPTIONS=$LG_DEFAULT_OPTIONS" "$bin/workloads_tracked") ;;
    leakguard-leak-only) CMD=(env "LEAKGUARD_OPTIONS=$LG_LEAK_ONLY_OPTIONS" "$bin/workloads_tracked") ;;
    header-only) [[ -x $bin/workloads_header_only ]] && CMD=("$bin/workloads_header_only") ;;
    header-32) [[ -x $bin/workloads_header_32 ]] && CMD=("$bin/workloads_header_32") ;;
    header-16) [[ -x $bin/workloads_header_16 ]] && CMD=("$bin/workloads_header_16") ;;
    lsan) [[ -x $bin/workloads_lsan ]] && CMD=("$bin/workloads_lsan") ;;
    asan) [[ -x $bin/workloads_asan ]] && CMD=("$bin/workloads_asan") ;;
    memcheck) command -v valgrind > /dev/null && CMD=(valgrind $VALGRIND_ARGS "$bin/workloads_plain") ;;
    heaptrack) command -v heaptrack > /dev/null && CMD=(heaptrack -o "$tmp/heaptrack" "$bin/workloads_plain") ;;
    tcmalloc) [[ -x $bin/workloads_tcmalloc ]] && CMD=("$bin/workloads_tcmalloc") ;;
    gperftools) [[ -x $bin/workloads_tcmalloc ]] && CMD=(env "HEAPCHECK=$HEAPCHECK_MODE" "$bin/workloads_tcmalloc") ;;
    cpputest) [[ -x $bin/workloads_cpputest ]] && CMD=("$bin/workloads_cpputest") ;;
    *) echo "unknown configuration $1" >&2; exit 2 ;;
  esac
}

workloads=${WORKLOADS:-$("$bin/workloads_plain" --list | tr '\n' ' ')}
configs=()
for c in ${CONFIGS:-$CONFIG_LIST}; do
  cmd_for "$c"
  if ((${#CMD[@]})); then configs+=("$c"); else echo "   (no $c: its build or tool is missing)"; fi
done
[[ " ${configs[*]} " == *" plain "* ]] || { echo "the plain configuration is required" >&2; exit 2; }

rm -rf "$out"
mkdir -p "$out"

# --- the machine and the versions --------------------------------------------------------------
pkgver() { dpkg-query -W -f='${Version}' "$1" 2> /dev/null || echo "not installed"; }
# Options of LG_LEAK_ONLY_OPTIONS that this leakguard does not know yet (it warns and ignores them).
unknown=$(env LEAKGUARD_OPTIONS="$LG_LEAK_ONLY_OPTIONS" "$bin/workloads_tracked" pairs 1 2>&1 > /dev/null \
  | sed -n "s/.*unknown option '\([^']*\)'.*/\1/p" | tr '\n' ' ')
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "leakguard: ${LEAKGUARD_REVISION:-$(git -C "$repo" rev-parse --short HEAD 2> /dev/null || echo unknown)$(git -C "$repo" diff --quiet HEAD -- include 2> /dev/null || echo ' + uncommitted changes in include/')}"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores"
  echo "kernel: $(uname -sr); $(ldd --version | head -n1 | sed 's/^ldd //')"
  echo "compiler: $("$cxx" --version | head -n1), flags -O2 -g (every build)"
  echo "valgrind: $(valgrind --version 2> /dev/null || echo none); heaptrack: $(heaptrack --version 2> /dev/null | sed 's/heaptrack //' || echo none)"
  echo "gperftools: $(pkgver libgoogle-perftools-dev); CppUTest: $(pkgver libcpputest-dev); nlohmann-json: $(pkgver nlohmann-json3-dev)"
  echo "runs: $runs per configuration and workload (slow ones: $slow_runs), interleaved; timeout $timeout_s s per run"
  echo "leak-only options: LEAKGUARD_OPTIONS=$LG_LEAK_ONLY_OPTIONS${unknown:+ (not known to this leakguard yet, ignored: ${unknown% })}"
  echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"
cat "$out/machine.txt"

# --- the runs ----------------------------------------------------------------------------------
clk=$(getconf CLK_TCK)
busy_ticks() { local a; read -r -a a < /proc/stat; echo $((a[1] + a[2] + a[3] + a[6] + a[7])); }
declare -A skip plain_wall rounds_for checksum_of
raw=$out/raw.tsv
printf 'round\tworkload\tconfig\tstatus\twall_s\tuser_s\tsys_s\tmaxrss_kb\tothers_cpu\tload1\n' > "$raw"

run_one() { # run_one ROUND WORKLOAD CONFIG
  local round=$1 w=$2 c=$3 status word b0 b1 wall user sys rss others load sum
  cmd_for "$c"
  load=$(cut -d' ' -f1 /proc/loadavg)
  b0=$(busy_ticks)
  /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" timeout -k 5 "$timeout_s" "${CMD[@]}" "$w" \
    > "$tmp/stdout" 2> "$tmp/stderr" < /dev/null
  status=$?
  b1=$(busy_ticks)
  rm -rf "$tmp"/heaptrack*
  read -r wall user sys rss < <(tail -n1 "$tmp/time")
  # CPU time other processes used meanwhile, in CPUs (0.5 = half of one core on average).
  others=$(awk -v b=$((b1 - b0)) -v clk="$clk" -v u="$user" -v s="$sys" -v w="$wall" \
    'BEGIN { o = b / clk - u - s; if (o < 0 || w <= 0) o = 0; printf "%.2f", (w > 0 ? o / w : 0) }')
  sum=$(sed -n 's/^workload=.*checksum=\([0-9]*\).*/\1/p' "$tmp/stdout" | head -n1)
  if ((status == 124 || status == 137)); then
    word=timeout
  elif ((status != 0)); then
    word=failed
    { echo "== $c $w (round $round): exit status $status"; tail -n 20 "$tmp/stderr"; } >> "$out/failures.txt"
  elif [[ -z $sum || (-n ${checksum_of[$w]:-} && $sum != "${checksum_of[$w]}") ]]; then
    word=failed
    echo "== $c $w (round $round): checksum '$sum', plain '${checksum_of[$w]:-}'" >> "$out/failures.txt"
  else
    word=ok
  fi
  [[ $c == plain && $word == ok ]] && checksum_of[$w]=$sum
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$w" "$c" "$word" "$wall" "$user" "$sys" "$rss" \
    "$others" "$load" >> "$raw"
  printf '   round %s %-9s %-20s %-7s wall %6.2f s  user %6.2f s  sys %5.2f s  rss %7d KiB  others %s CPU\n' \
    "$round" "$w" "$c" "$word" "$wall" "$user" "$sys" "$rss" "$others"
  if [[ $c == plain ]]; then
    plain_wall[$w]=$wall
  elif [[ $word == timeout ]]; then
    skip[$w/$c]=1
  elif ((round == 1)) && awk -v a="$wall" -v p="${plain_wall[$w]:-0}" -v f="$slow_factor" 'BEGIN { exit !(p > 0 && a > f * p) }'; then
    rounds_for[$w/$c]=$slow_runs
  fi
}

echo "== $runs rounds: every workload under every configuration, in a rotating order"
n=${#configs[@]}
for round in $(seq "$runs"); do
  for w in $workloads; do
    run_one "$round" "$w" plain
    # The others in an order that rotates from round to round (plain first: its checksum and
    # wall time are what the others are checked and judged against).
    for i in $(seq 0 $((n - 2))); do
      c=${configs[$((1 + (i + round - 1) % (n - 1)))]}
      [[ -n ${skip[$w/$c]:-} ]] && continue
      ((round > ${rounds_for[$w/$c]:-$runs})) && continue
      run_one "$round" "$w" "$c"
    done
  done
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"

# --- the table ---------------------------------------------------------------------------------
python3 "$here/compare.py" "$out" > "$out/table.md" || exit 1
cat "$out/table.md"
python3 "$here/assemble.py" "$results" || exit 1
