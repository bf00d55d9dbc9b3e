#!/bin/sh
# bench/run.sh — benchmark harness of `cptsopt assign` (see bench/README.md).
#
# Usage: sh bench/run.sh [BUILD_DIR]        (what `make bench` runs)
#
# For each case it generates a synthetic instance with bench/gen_assign into
# BUILD_DIR/bench-data/ (reused when present and made by the same generator
# source and arguments), runs
#   cptsopt assign --method flow|mip --threads T --time-limit S --quiet ...
# REPS times under GNU time to record the wall seconds and the peak RSS,
# reads the top-level keys of the JSON report with sed/grep, and writes
# bench/results/assign.csv and bench/results/assign.md.  Rows of cases not
# run this time are kept from the previous assign.csv (each row has its own
# date and git id).
#
# Environment: REPS (default 3), REPS_1M (repetitions of flow-1m, default 1),
# BENCH_CASES (subset of case names, space-separated), TIME_LIMIT (seconds,
# default 60), THREADS (default: nproc), SEED (instance seed, default 1),
# STRICT=1 (exit 3 when a target FAILs).
#
# Exit status: 0 all runs completed, 1 a run failed or setup error,
# 3 (STRICT=1 only) a target failed.

set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
B=${1:-build}

ALL_CASES="flow-10k flow-100k flow-1m mip-10k mip-hh-2k mip-hh-10k auto-hh-2k auto-hh-10k"
REPS=${REPS:-3}
REPS_1M=${REPS_1M:-1}
TIME_LIMIT=${TIME_LIMIT:-60}
THREADS=${THREADS:-$(nproc 2>/dev/null || echo 1)}
SEED=${SEED:-1}
BENCH_CASES=${BENCH_CASES:-$ALL_CASES}
STRICT=${STRICT:-0}

CPTSOPT=$B/cptsopt
GEN=$B/bench/gen_assign
DATA=$B/bench-data
OUTS=$B/bench-out
RES=bench/results
TIMEBIN=/usr/bin/time

die() {
  echo "bench/run.sh: error: $*" >&2
  exit 1
}

# ------------------------------------------------------------ checks --
[ -x "$CPTSOPT" ] || die "$CPTSOPT not found (or not executable): build it first with 'make' (or use 'make bench', which builds it)"
[ -x "$TIMEBIN" ] || die "$TIMEBIN not found: the harness needs GNU time for wall time and peak RSS (Debian/Ubuntu: apt-get install time)"
"$TIMEBIN" -f '%e %M' -o /dev/null true 2>/dev/null || die "$TIMEBIN does not accept -f/-o: GNU time is required"
for v in REPS REPS_1M TIME_LIMIT THREADS SEED; do
  eval "val=\$$v"
  case $val in '' | *[!0-9]*) die "$v must be a non-negative integer, got '$val'" ;; esac
done
[ "$REPS" -ge 1 ] && [ "$REPS_1M" -ge 1 ] || die "REPS and REPS_1M must be at least 1"
for c in $BENCH_CASES; do
  case " $ALL_CASES " in *" $c "*) ;; *) die "unknown case '$c' in BENCH_CASES (cases: $ALL_CASES)" ;; esac
done

if [ ! -x "$GEN" ]; then
  echo "bench/run.sh: $GEN missing, compiling bench/gen_assign.c"
  mkdir -p "$B/bench" || exit 1
  ${CC:-cc} -std=c11 -O2 -Wall -Wextra -o "$GEN" bench/gen_assign.c -lm ||
    die "cannot compile bench/gen_assign.c"
fi

# ------------------------------------------------------------- cases --
# case_params NAME: sets P (patients), D (doctors), H (household share), M (method)
case_params() {
  case $1 in
    flow-10k) P=10000 D=100 H=0 M=flow ;;
    flow-100k) P=100000 D=1000 H=0 M=flow ;;
    flow-1m) P=1000000 D=10000 H=0 M=flow ;;
    mip-10k) P=10000 D=100 H=0 M=mip ;;
    mip-hh-2k) P=2000 D=20 H=0.3 M=mip ;;
    mip-hh-10k) P=10000 D=100 H=0.3 M=mip ;;
    auto-hh-2k) P=2000 D=20 H=0.3 M=auto ;;
    auto-hh-10k) P=10000 D=100 H=0.3 M=auto ;;
  esac
}

# Target of a case (text), empty when it has none.
case_target() {
  case $1 in
    flow-100k) echo "optimal <2s <1GiB" ;;
    flow-1m) echo "optimal <30s <4GiB" ;;
    mip-10k) echo "objective = flow-10k" ;;
    *) echo "" ;;
  esac
}

# ------------------------------------------------------------ helpers --
# json_top FILE KEY: value of a top-level key of a pretty-printed JSON
# report (one key per line; top-level keys have the indentation of the
# first key line).  Quotes around strings are removed.
json_top() {
  ind=$(sed -n 's/^\([[:blank:]]*\)"[^"]*"[[:blank:]]*:.*$/\1/p' "$1" | head -n 1)
  val=$(sed -n "s/^$ind\"$2\"[[:blank:]]*:[[:blank:]]*//p" "$1" | head -n 1)
  if [ -z "$val" ]; then # not pretty-printed: first occurrence anywhere
    val=$(grep -o "\"$2\"[[:blank:]]*:[[:blank:]]*[^,}]*" "$1" | head -n 1 | sed 's/^[^:]*:[[:blank:]]*//')
  fi
  printf '%s\n' "$val" | sed 's/[[:blank:]]*,[[:blank:]]*$//; s/[[:blank:]]*$//; s/^"\(.*\)"$/\1/'
}

# median of the numbers on stdin
median() {
  sort -n | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "NA"; exit }
    if (NR % 2) printf "%.3f\n", v[(NR + 1) / 2];
    else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

git_id() {
  id=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null) || id=unknown
  if [ "$id" != unknown ] && [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    id="$id-dirty"
  fi
  echo "$id"
}

# instance_dir P D H: generate (or reuse) the instance, print its directory
instance_dir() {
  dir=$DATA/p$1-d$2-h$3-s$SEED
  cmd="$GEN --patients $1 --doctors $2 --households $3 --seed $SEED --out $dir"
  stamp="$cmd | $(cksum <bench/gen_assign.c)"
  if [ -f "$dir/doctors.csv" ] && [ -f "$dir/patients.csv" ] && [ -f "$dir/gen.stamp" ] &&
    [ "$(cat "$dir/gen.stamp")" = "$stamp" ]; then
    echo "$dir"
    return 0
  fi
  rm -f "$dir/gen.stamp"
  $cmd >&2 || return 1
  printf '%s\n' "$stamp" >"$dir/gen.stamp"
  echo "$dir"
}

HOST_CORES=$(nproc 2>/dev/null || echo NA)
GIT_ID=$(git_id)
mkdir -p "$RES" "$DATA" "$OUTS" || exit 1
NEW=$(mktemp "${TMPDIR:-/tmp}/cptsopt-bench.XXXXXX") || exit 1
CMDS=$(mktemp "${TMPDIR:-/tmp}/cptsopt-bench-cmds.XXXXXX") || exit 1
trap 'rm -f "$NEW" "$CMDS"' EXIT
HEADER="case,patients,doctors,households,method,threads,reps,status,objective,bound,gap,median_wall_s,peak_rss_mib,solver_time_s,target,result,date,host_cores,git_id"
failed_runs=0

echo "cptsopt bench: cases '$BENCH_CASES', REPS=$REPS (flow-1m: $REPS_1M), TIME_LIMIT=$TIME_LIMIT, THREADS=$THREADS, SEED=$SEED"

# --------------------------------------------------------------- runs --
for c in $ALL_CASES; do
  case " $BENCH_CASES " in *" $c "*) ;; *) continue ;; esac
  case_params "$c"
  reps=$REPS
  [ "$c" = flow-1m ] && [ "$REPS_1M" -lt "$REPS" ] && reps=$REPS_1M
  dir=$(instance_dir $P $D $H) || {
    echo "[$c] instance generation failed" >&2
    failed_runs=$((failed_runs + 1))
    continue
  }
  out=$OUTS/$c
  rm -rf "$out"
  mkdir -p "$out" || exit 1
  cmd="$CPTSOPT assign --doctors $dir/doctors.csv --patients $dir/patients.csv --method $M --threads $THREADS --time-limit $TIME_LIMIT --quiet"
  printf '%s\t%s\t%s\n' "$c" "$GEN --patients $P --doctors $D --households $H --seed $SEED --out $dir" \
    "$TIMEBIN -f '%e %M' $cmd --out $out/assign.R.csv --report $out/report.R.json" >>"$CMDS"
  statuses="" obj=NA bound=NA gap=NA ok=0
  : >"$out/walls" && : >"$out/rss" && : >"$out/solver_times"
  r=1
  while [ "$r" -le "$reps" ]; do
    $TIMEBIN -f '%e %M' -o "$out/time.$r" $cmd --out "$out/assign.$r.csv" --report "$out/report.$r.json" \
      >"$out/log.$r" 2>&1
    rc=$?
    tl=$(tail -n 1 "$out/time.$r" 2>/dev/null)
    wall=${tl% *} rss=${tl#* }
    if [ "$rc" -le 1 ] && [ -s "$out/report.$r.json" ]; then
      st=$(json_top "$out/report.$r.json" status)
      obj=$(json_top "$out/report.$r.json" objective)
      bound=$(json_top "$out/report.$r.json" bound)
      gap=$(json_top "$out/report.$r.json" gap)
      ts=$(json_top "$out/report.$r.json" time_s)
      meth=$(json_top "$out/report.$r.json" method)
      [ -n "$ts" ] && echo "$ts" >>"$out/solver_times"
      echo "$wall" >>"$out/walls"
      echo "$rss" >>"$out/rss"
      ok=$((ok + 1))
      echo "[$c] rep $r/$reps: $st (method $meth) objective $obj bound $bound gap $gap; wall ${wall}s, RSS $((rss / 1024)) MiB"
    else
      st="error(rc=$rc)"
      sig=$(grep "^Command terminated by signal" "$out/time.$r" 2>/dev/null | head -n 1)
      [ -n "$sig" ] && st="error(signal ${sig##* })"
      failed_runs=$((failed_runs + 1))
      echo "[$c] rep $r/$reps FAILED with exit code $rc${sig:+ ($sig)}; last lines of $out/log.$r:" >&2
      tail -n 5 "$out/log.$r" >&2
    fi
    case "|$statuses|" in *"|$st|"*) ;; *) statuses=${statuses:+$statuses|}$st ;; esac
    r=$((r + 1))
  done
  wall_med=$(median <"$out/walls")
  solver_med=$(median <"$out/solver_times")
  rss_max=$(sort -n "$out/rss" | tail -n 1)
  if [ -n "$rss_max" ]; then
    rss_mib=$(awk -v k="$rss_max" 'BEGIN { printf "%.1f", k / 1024 }')
  else
    rss_mib=NA rss_max=NA
  fi
  target=$(case_target "$c")
  result=-
  case $c in
    flow-100k | flow-1m)
      if [ "$c" = flow-100k ]; then lim_s=2 lim_kib=1048576; else lim_s=30 lim_kib=4194304; fi
      if [ "$ok" -eq "$reps" ] && [ "$statuses" = optimal ] &&
        awk -v w="$wall_med" -v m="$rss_max" -v ls="$lim_s" -v lk="$lim_kib" \
          'BEGIN { exit !(w + 0 < ls && m + 0 < lk) }'; then
        result=PASS
      else
        result=FAIL
      fi
      ;;
    mip-10k)
      ref=$(grep '^flow-10k,' "$NEW" 2>/dev/null | cut -d, -f9)
      [ -z "$ref" ] && [ -f "$RES/assign.csv" ] && ref=$(grep '^flow-10k,' "$RES/assign.csv" | cut -d, -f9)
      if [ -z "$ref" ] || [ "$ref" = NA ]; then
        result=n/a
      elif awk -v a="$obj" -v b="$ref" 'BEGIN { d = a - b; if (d < 0) d = -d; s = b < 0 ? -b : b;
             if (s < 1) s = 1; exit !(a != "NA" && d <= 1e-6 * s) }'; then
        result=PASS
      else
        result=FAIL
      fi
      ;;
  esac
  [ -n "$statuses" ] || statuses=NA
  printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n' \
    "$c" "$P" "$D" "$H" "$M" "$THREADS" "$reps" "$statuses" "${obj:-NA}" "${bound:-NA}" "${gap:-NA}" \
    "$wall_med" "$rss_mib" "$solver_med" "$target" "$result" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "$HOST_CORES" "$GIT_ID" >>"$NEW"
  echo "[$c] median wall $wall_med s, peak RSS $rss_mib MiB${target:+, target '$target': $result}"
done

# ------------------------------------------------------------ results --
# assign.csv: this run's rows, and the previous rows of the other cases.
CSV=$RES/assign.csv
{
  echo "$HEADER"
  for c in $ALL_CASES; do
    row=$(grep "^$c," "$NEW")
    if [ -z "$row" ] && [ -f "$CSV" ] && [ "$(head -n 1 "$CSV")" = "$HEADER" ]; then
      row=$(grep "^$c," "$CSV" | head -n 1)
    fi
    if [ -n "$row" ]; then printf "%s\n" "$row"; fi
  done
} >"$CSV.tmp" && mv "$CSV.tmp" "$CSV"

MD=$RES/assign.md
cpu=$(sed -n 's/^model name[[:blank:]]*:[[:blank:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
ccv=$(${CC:-cc} --version 2>/dev/null | head -n 1)
gccv=$(gcc --version 2>/dev/null | head -n 1)
ver=$("$CPTSOPT" --version 2>/dev/null | head -n 1)
{
  echo "# cptsopt assign benchmark"
  echo
  echo "Generated by \`bench/run.sh\` (\`make bench\`); see bench/README.md for what is measured."
  echo "Last run: $(date -u +%Y-%m-%dT%H:%M:%SZ), git $GIT_ID, cases: $BENCH_CASES."
  echo "Rows with an older date come from an earlier run."
  echo
  echo "| case | patients × doctors | households | method | threads | reps | status | objective | bound | gap | median wall (s) | peak RSS (MiB) | solver time_s | target | result | date | git |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  tail -n +2 "$CSV" | while IFS=, read -r c p d h m t n s o bd g w rs ts tg res dt hc gi; do
    echo "| $c | $p × $d | $h | $m | $t | $n | $s | $o | $bd | $g | $w | $rs | $ts | ${tg:--} | $res | $dt | $gi |"
  done
  echo
  echo "Targets: flow-100k optimal in < 2 s and < 1 GiB; flow-1m optimal in < 30 s and < 4 GiB"
  echo "(median wall time, maximum peak RSS over the repetitions); mip-10k must reach the"
  echo "objective of flow-10k (same instance; relative tolerance 1e-6)."
  echo
  echo "## Machine"
  echo
  echo "- cores (nproc): $HOST_CORES"
  echo "- CPU: ${cpu:-unknown}"
  echo "- memory: ${mem:-unknown}"
  echo "- compiler: ${gccv:-${ccv:-unknown}}"
  echo "- kernel: $(uname -srm 2>/dev/null)"
  echo "- cptsopt: ${ver:-unknown}"
  echo
  echo "## Commands of the last run"
  echo
  echo "Environment: REPS=$REPS REPS_1M=$REPS_1M TIME_LIMIT=$TIME_LIMIT THREADS=$THREADS SEED=$SEED"
  echo "(R is the repetition number)."
  echo
  echo '```sh'
  while IFS="$(printf '\t')" read -r c g r; do
    echo "# $c"
    echo "$g"
    echo "$r"
  done <"$CMDS"
  echo '```'
} >"$MD.tmp" && mv "$MD.tmp" "$MD"

echo "results: $CSV, $MD"
if [ "$failed_runs" -gt 0 ]; then
  echo "bench/run.sh: $failed_runs run(s) failed" >&2
  exit 1
fi
if [ "$STRICT" = 1 ] && grep -q ',FAIL,' "$NEW"; then
  echo "bench/run.sh: a target failed (STRICT=1)" >&2
  exit 3
fi
exit 0
