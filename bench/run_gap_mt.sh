#!/bin/sh
# bench/run_gap_mt.sh — benchmark of `cptsopt assign --method heuristic`:
# the MT model with households on the GAP core (solver/gap.h).
#
# Usage: sh bench/run_gap_mt.sh [BUILD_DIR]      (what `make bench-gap-mt` runs)
#
# Cases (instances generated into BUILD_DIR/bench-data/, reused while the
# generator and its arguments are unchanged):
#   hh-10k, hh-100k, hh-1m   bench/gen_assign with 10k / 100k / 1M patients,
#                            100 / 1,000 / 10,000 doctors, 30 % of patients
#                            in households (as bench/run.sh)
#   france                   `cptsopt generate --territory france` (≈ 7.5 M
#                            patients without an MT, ≈ 53,000 GPs)
#   mip-hh-10k               GLPK's own mip on hh-10k with hh-10k's time limit
#   ttg-hh-100k              time to gap: hh-100k with --mip-gap TARGET_GAP
#                            (the heuristic stops once its gap is within it)
# Each heuristic case runs with 1 and 2 threads under GNU time (wall seconds,
# peak RSS) and a virtual-memory cap (ulimit -v MEM_LIMIT_KIB).  The top-level
# keys of the JSON report give status, objective, bound, gap and time_s.
# Results: bench/results/gap_mt.csv (rows of cases not run this time are
# kept, each with its date and git id) and bench/results/gap_mt.md.
#
# Targets (2-core machine): hh-100k within 0.5 % of the bound in 30 s;
# france within 1 % in 10 minutes of wall time under 16 GiB (--time-limit
# TL_FRANCE = 540 leaves the reading, the candidates and the output their
# minute); ttg-hh-100k: 2 threads reach the target gap (0.01 %, which the
# 1-thread run reaches in about half a minute) at least 1.6× faster than 1
# (ratio of the reports' time_s).
#
# Environment: BENCH_CASES (subset of the case names), SEED (default 1),
# TL_10K, TL_100K, TL_1M, TL_FRANCE (time limits, default 30, 30, 120, 540),
# TL_TTG (default 120), TARGET_GAP (default 0.0001), THREAD_LIST (default
# "1 2"), MEM_LIMIT_KIB (default 16777216 = 16 GiB), STRICT=1 (exit 3 when
# a target FAILs).
#
# Exit status: 0 all runs completed, 1 a run failed or setup error,
# 3 (STRICT=1 only) a target failed.

set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
B=${1:-build}

ALL_CASES="hh-10k mip-hh-10k hh-100k ttg-hh-100k hh-1m france"
BENCH_CASES=${BENCH_CASES:-$ALL_CASES}
SEED=${SEED:-1}
TL_10K=${TL_10K:-30}
TL_100K=${TL_100K:-30}
TL_1M=${TL_1M:-120}
TL_FRANCE=${TL_FRANCE:-540}
TL_TTG=${TL_TTG:-120}
TARGET_GAP=${TARGET_GAP:-0.0001}
THREAD_LIST=${THREAD_LIST:-1 2}
MEM_LIMIT_KIB=${MEM_LIMIT_KIB:-16777216}
STRICT=${STRICT:-0}

CPTSOPT=$B/cptsopt
GEN=$B/bench/gen_assign
DATA=$B/bench-data
OUTS=$B/bench-out/gap-mt
RES=bench/results
TIMEBIN=/usr/bin/time

die() {
  echo "bench/run_gap_mt.sh: error: $*" >&2
  exit 1
}

[ -x "$CPTSOPT" ] || die "$CPTSOPT not found: build it first (make bench-gap-mt builds it)"
[ -x "$TIMEBIN" ] || die "$TIMEBIN not found: GNU time is required (apt-get install time)"
"$TIMEBIN" -f '%e %M' -o /dev/null true 2>/dev/null || die "$TIMEBIN is not GNU time"
for v in SEED TL_10K TL_100K TL_1M TL_FRANCE TL_TTG MEM_LIMIT_KIB; do
  eval "val=\$$v"
  case $val in '' | *[!0-9]*) die "$v must be a non-negative integer, got '$val'" ;; esac
done
for c in $BENCH_CASES; do
  case " $ALL_CASES " in *" $c "*) ;; *) die "unknown case '$c' (cases: $ALL_CASES)" ;; esac
done
if [ ! -x "$GEN" ]; then
  mkdir -p "$B/bench" || exit 1
  ${CC:-cc} -std=c11 -O2 -Wall -Wextra -o "$GEN" bench/gen_assign.c -lm ||
    die "cannot compile bench/gen_assign.c"
fi

# json_top FILE KEY: a top-level key of the (pretty-printed) JSON report
json_top() {
  sed -n "s/^	\"$2\":	\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" "$1" | head -n 1
}

git_id() {
  id=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null) || id=unknown
  if [ "$id" != unknown ] && [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    id="$id-dirty"
  fi
  echo "$id"
}

# gen_dir P D: bench/gen_assign instance with 30 % households
gen_dir() {
  dir=$DATA/p$1-d$2-h0.3-s$SEED
  cmd="$GEN --patients $1 --doctors $2 --households 0.3 --seed $SEED --out $dir"
  stamp="$cmd | $(cksum <bench/gen_assign.c)"
  if [ ! -f "$dir/gen.stamp" ] || [ "$(cat "$dir/gen.stamp")" != "$stamp" ]; then
    rm -f "$dir/gen.stamp"
    $cmd >&2 || return 1
    printf '%s\n' "$stamp" >"$dir/gen.stamp"
  fi
  echo "$dir"
}

# france_dir: the all-France scenario of `cptsopt generate`
france_dir() {
  dir=$DATA/france-s$SEED
  cmd="$CPTSOPT generate --territory france --seed $SEED --quiet --out $dir"
  stamp="$cmd | $(cat models/scenario_gen*.c | cksum)"
  if [ ! -f "$dir/gen.stamp" ] || [ "$(cat "$dir/gen.stamp")" != "$stamp" ]; then
    rm -f "$dir/gen.stamp"
    $cmd >&2 || return 1
    printf '%s\n' "$stamp" >"$dir/gen.stamp"
  fi
  echo "$dir"
}

GIT_ID=$(git_id)
HOST_CORES=$(nproc 2>/dev/null || echo NA)
mkdir -p "$RES" "$DATA" "$OUTS" || exit 1
NEW=$(mktemp "${TMPDIR:-/tmp}/cptsopt-gapmt.XXXXXX") || exit 1
CMDS=$(mktemp "${TMPDIR:-/tmp}/cptsopt-gapmt-cmds.XXXXXX") || exit 1
trap 'rm -f "$NEW" "$CMDS"' EXIT
HEADER="case,patients,doctors,method,threads,time_limit_s,mip_gap,status,objective,bound,gap,wall_s,time_s,peak_rss_mib,target,result,date,host_cores,git_id"
failed_runs=0

# run CASE DIR METHOD THREADS TL MIPGAP: one run; appends a row to $NEW
run() {
  c=$1 dir=$2 m=$3 t=$4 tl=$5 mg=$6
  out=$OUTS/$c-t$t
  rm -rf "$out" && mkdir -p "$out" || exit 1
  np=$(($(wc -l <"$dir/patients.csv") - 1))
  nd=$(($(wc -l <"$dir/doctors.csv") - 1))
  cmd="$CPTSOPT assign --doctors $dir/doctors.csv --patients $dir/patients.csv --method $m --threads $t --time-limit $tl --mip-gap $mg --seed 1 --quiet"
  printf '%s\t%s\n' "$c (threads $t)" "ulimit -v $MEM_LIMIT_KIB; $TIMEBIN -f '%e %M' $cmd --out OUT.csv --report REPORT.json" >>"$CMDS"
  (ulimit -v "$MEM_LIMIT_KIB" && exec $TIMEBIN -f '%e %M' -o "$out/time" $cmd \
    --out "$out/assign.csv" --report "$out/report.json") >"$out/log" 2>&1
  rc=$?
  tl_line=$(tail -n 1 "$out/time" 2>/dev/null)
  wall=${tl_line% *} rss=${tl_line#* }
  st=NA obj=NA bd=NA gap=NA ts=NA rss_mib=NA
  if [ "$rc" -le 1 ] && [ -s "$out/report.json" ]; then
    st=$(json_top "$out/report.json" status)
    obj=$(json_top "$out/report.json" objective)
    bd=$(json_top "$out/report.json" bound)
    gap=$(json_top "$out/report.json" gap)
    ts=$(json_top "$out/report.json" time_s)
    rss_mib=$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')
  else
    st="error(rc=$rc)"
    failed_runs=$((failed_runs + 1))
    echo "[$c t$t] FAILED with exit code $rc; end of $out/log:" >&2
    tail -n 5 "$out/log" >&2
  fi
  target=-
  result=-
  case $c in
    hh-100k)
      target="gap <= 0.5% in ${TL_100K}s"
      result=$(awk -v g="$gap" 'BEGIN { print (g != "NA" && g + 0 <= 0.005) ? "PASS" : "FAIL" }') ;;
    france)
      target="gap <= 1% in 600s wall, < 16 GiB"
      result=$(awk -v g="$gap" -v r="$rss" -v w="$wall" 'BEGIN {
        print (g != "NA" && g + 0 <= 0.01 && r + 0 < 16777216 && w + 0 <= 600) ? "PASS" : "FAIL" }') ;;
  esac
  printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' \
    "$c" "$np" "$nd" "$m" "$t" "$tl" "$mg" "$st" "$obj" "$bd" "$gap" "${wall:-NA}" \
    "${ts:-NA}" "$rss_mib" "$target" "$result" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "$HOST_CORES" "$GIT_ID" >>"$NEW"
  echo "[$c threads $t] $st objective $obj bound $bd gap $gap; time_s $ts, wall ${wall}s, RSS $rss_mib MiB${target:+ ($target: $result)}"
}

echo "cptsopt gap-mt bench: cases '$BENCH_CASES', threads '$THREAD_LIST', SEED=$SEED"
for c in $ALL_CASES; do
  case " $BENCH_CASES " in *" $c "*) ;; *) continue ;; esac
  case $c in
    hh-10k | mip-hh-10k) dir=$(gen_dir 10000 100) ;;
    hh-100k | ttg-hh-100k) dir=$(gen_dir 100000 1000) ;;
    hh-1m) dir=$(gen_dir 1000000 10000) ;;
    france) dir=$(france_dir) ;;
  esac || {
    echo "[$c] instance generation failed" >&2
    failed_runs=$((failed_runs + 1))
    continue
  }
  case $c in
    hh-10k) for t in $THREAD_LIST; do run $c "$dir" heuristic $t $TL_10K 0; done ;;
    mip-hh-10k) run $c "$dir" mip 1 $TL_10K 0 ;;
    hh-100k) for t in $THREAD_LIST; do run $c "$dir" heuristic $t $TL_100K 0; done ;;
    ttg-hh-100k) for t in $THREAD_LIST; do run $c "$dir" heuristic $t $TL_TTG $TARGET_GAP; done ;;
    hh-1m) for t in $THREAD_LIST; do run $c "$dir" heuristic $t $TL_1M 0; done ;;
    france) for t in $THREAD_LIST; do run $c "$dir" heuristic $t $TL_FRANCE 0; done ;;
  esac
done

# time to gap: speedup of 2 threads over 1 (time_s of reports that reached
# the target gap, i.e. status optimal)
ttg1=$(awk -F, '$1 == "ttg-hh-100k" && $5 == 1 && $8 == "optimal" { print $13 }' "$NEW")
ttg2=$(awk -F, '$1 == "ttg-hh-100k" && $5 == 2 && $8 == "optimal" { print $13 }' "$NEW")
if [ -n "$ttg1" ] && [ -n "$ttg2" ]; then
  speedup=$(awk -v a="$ttg1" -v b="$ttg2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  sres=$(awk -v s="$speedup" 'BEGIN { print ((s + 0 >= 1.6) ? "PASS" : "FAIL") }')
  printf 'ttg-speedup,,,heuristic,1/2,%s,%s,,,,,,%s,,speedup >= 1.6,%s,%s,%s,%s\n' \
    "$TL_TTG" "$TARGET_GAP" "$speedup" "$sres" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "$HOST_CORES" "$GIT_ID" >>"$NEW"
  echo "[ttg-hh-100k] time to gap $TARGET_GAP: $ttg1 s with 1 thread, $ttg2 s with 2: speedup $speedup ($sres)"
elif grep -q '^ttg-hh-100k,' "$NEW"; then
  printf 'ttg-speedup,,,heuristic,1/2,%s,%s,,,,,,NA,,speedup >= 1.6,FAIL,%s,%s,%s\n' \
    "$TL_TTG" "$TARGET_GAP" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$HOST_CORES" "$GIT_ID" >>"$NEW"
  echo "[ttg-hh-100k] a run did not reach the target gap $TARGET_GAP" >&2
fi

# ---------------------------------------------------------------- results --
CSV=$RES/gap_mt.csv
{
  echo "$HEADER"
  for c in $ALL_CASES ttg-speedup; do
    rows=$(grep "^$c," "$NEW")
    if [ -z "$rows" ] && [ -f "$CSV" ] && [ "$(head -n 1 "$CSV")" = "$HEADER" ]; then
      rows=$(grep "^$c," "$CSV")
    fi
    if [ -n "$rows" ]; then printf '%s\n' "$rows"; fi
  done
} >"$CSV.tmp" && mv "$CSV.tmp" "$CSV"

MD=$RES/gap_mt.md
cpu=$(sed -n 's/^model name[[:blank:]]*:[[:blank:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
{
  echo "# cptsopt assign --method heuristic (MT model with households on the GAP core)"
  echo
  echo "Generated by \`bench/run_gap_mt.sh\` (\`make bench-gap-mt\`). Last run: $(date -u +%Y-%m-%dT%H:%M:%SZ),"
  echo "git $GIT_ID, cases: $BENCH_CASES. Rows with an older date come from an earlier run."
  echo "Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) (the machine may be shared)."
  echo
  echo "| case | patients × doctors | method | threads | time limit (s) | mip_gap | status | objective | bound | gap | wall (s) | time_s | peak RSS (MiB) | target | result | date | git |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  tail -n +2 "$CSV" | while IFS=, read -r c p d m t tl mg s o bd g w ts rs tg res dt hc gi; do
    echo "| $c | $p × $d | $m | $t | $tl | $mg | $s | $o | $bd | $g | $w | $ts | $rs | ${tg:--} | $res | $dt | $gi |"
  done
  echo
  echo "Objective and bound are in SPEC §1 units (a maximization: the bound is an upper"
  echo "bound); gap = (bound − objective) / max(1, |objective|). Peak RSS from GNU time;"
  echo "every run under \`ulimit -v $MEM_LIMIT_KIB\`. ttg-speedup is time_s with 1 thread"
  echo "over time_s with 2 threads to reach mip_gap (status optimal = the gap was reached)."
  echo
  echo "## Machine"
  echo
  echo "- cores (nproc): $HOST_CORES"
  echo "- CPU: ${cpu:-unknown}"
  echo "- memory: ${mem:-unknown}"
  echo "- cptsopt: $("$CPTSOPT" --version 2>/dev/null | head -n 1)"
  echo
  echo "## Commands of the last run"
  echo
  echo '```sh'
  while IFS="$(printf '\t')" read -r c r; do
    echo "# $c"
    echo "$r"
  done <"$CMDS"
  echo '```'
} >"$MD.tmp" && mv "$MD.tmp" "$MD"

echo "results: $CSV, $MD"
if [ "$failed_runs" -gt 0 ]; then
  echo "bench/run_gap_mt.sh: $failed_runs run(s) failed" >&2
  exit 1
fi
if [ "$STRICT" = 1 ] && grep -q ',FAIL,' "$NEW"; then
  echo "bench/run_gap_mt.sh: a target failed (STRICT=1)" >&2
  exit 3
fi
exit 0
