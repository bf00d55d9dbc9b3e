#!/bin/sh
# bench/run_export.sh — the models of `cptsopt export` solved by COIN-OR CBC,
# against cptsopt's own `--method mip` (GLPK) on the same instances.
#
# Usage: sh bench/run_export.sh [BUILD_DIR]      (what `make bench-export` runs)
#
# Cases (instances of bench/run.sh, bench/run_depart.sh, bench/run_rota.sh,
# generated or reused under BUILD_DIR/bench-data/):
#   mip-10k          assign, 10,000 patients × 100 doctors, no households
#   mip-hh-2k        assign, 2,000 × 20, 30 % in households
#   depart-sud-tarn  depart, one doctor leaves in cpts-sud-tarn (generate)
#   snp-week         rota, SNP week, 100 doctors
#   pdsa-month       rota, PDSA month, 600 doctors
# For each case:
#   1. cptsopt assign|depart|rota --method mip --threads 1 --time-limit S
#      (report: status, objective, bound, time_s; wall by GNU time);
#   2. cptsopt export assign|rota ... --format mps --out model.mps (wall);
#   3. cbc model.mps -timeMode elapsed -sec S -solve -quit (wall and CPU by
#      GNU time; cbc's result line and objective; the assign model is a
#      maximization written as minimize −f in MPS, so CBC's objective is
#      negated back).
# Both solvers get the same wall-clock limit S (GLPK's tm_lim is wall time;
# CBC's -sec counts CPU seconds unless -timeMode elapsed, which matters on
# a loaded machine) and one thread.  Results in bench/results/export_cbc.md.
#
# Knobs: TIME_LIMIT (60), SEED (1), EXPORT_CASES (subset of the cases).
# When cbc is not installed the script says how to install it and exits 0
# without writing anything.  Exit 1 when a run failed.
set -u
B=${1:-build}
if ! command -v cbc >/dev/null 2>&1; then
  echo "run_export.sh: cbc (COIN-OR CBC) is not installed; install it with" >&2
  echo "  sudo apt-get install -y coinor-cbc      (Debian/Ubuntu)" >&2
  echo "run_export.sh: nothing written" >&2
  exit 0
fi
BIN=$B/cptsopt
GEN_A=$B/bench/gen_assign
GEN_R=$B/bench/gen_rota
[ -x "$BIN" ] || { echo "run_export.sh: $BIN is missing; run make first" >&2; exit 1; }
for g in "$GEN_A" "$GEN_R"; do
  [ -x "$g" ] || { echo "run_export.sh: $g is missing; run 'make $g' (or make bench-export)" >&2; exit 1; }
done
/usr/bin/time -f '%e' true >/dev/null 2>&1 ||
  { echo "run_export.sh: /usr/bin/time is not GNU time (Debian: apt-get install time)" >&2; exit 1; }
TIME_LIMIT=${TIME_LIMIT:-60}
SEED=${SEED:-1}
ALL="mip-10k mip-hh-2k depart-sud-tarn snp-week pdsa-month"
EXPORT_CASES=${EXPORT_CASES:-$ALL}
DATA=$B/bench-data
OUTD=$B/bench-out/export
RES=bench/results
mkdir -p "$DATA" "$OUTD" "$RES" || exit 1
GIT_ID=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ "$GIT_ID" != unknown ] && ! git diff --quiet HEAD 2>/dev/null; then GIT_ID=$GIT_ID-dirty; fi
DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)

# top-level value of a pretty-printed report
val() { sed -n "s/^	\"$2\":	\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" "$1" 2>/dev/null | head -n 1; }
# wall seconds of a GNU time file
wall() { tail -n 1 "$1" 2>/dev/null | cut -d' ' -f1; }
# CPU seconds (user + system) of a GNU time file written with '%e %M %U %S'
cpu() { tail -n 1 "$1" 2>/dev/null | awk '{ printf "%.2f", $3 + $4 }'; }
num() { awk -v x="$1" 'BEGIN { printf "%.6f", x }'; }

ROWS=$OUTD/rows
CMDS=$OUTD/commands.txt
: > "$ROWS"
: > "$CMDS"
fail=0
for c in $EXPORT_CASES; do
  o=$OUTD/$c
  rm -rf "$o"
  mkdir -p "$o"
  case $c in
    mip-10k | mip-hh-2k)
      if [ "$c" = mip-10k ]; then P=10000 D=100 H=0; else P=2000 D=20 H=0.3; fi
      dir=$DATA/p$P-d$D-h$H-s$SEED
      [ -f "$dir/patients.csv" ] || "$GEN_A" --patients $P --doctors $D --households $H \
        --seed "$SEED" --out "$dir" > "$o/gen.log" 2>&1 || { echo "run_export.sh: gen $c failed" >&2; fail=1; continue; }
      kind=assign sense=max size="$P × $D"
      set -- --doctors "$dir/doctors.csv" --patients "$dir/patients.csv"
      solve="$BIN assign $* --method mip"
      export="$BIN export assign $*"
      ;;
    depart-sud-tarn)
      dir=$DATA/depart/cpts-sud-tarn-1-s$SEED
      mkdir -p "$DATA/depart"
      [ -f "$dir/scenario.json" ] || "$BIN" generate --territory cpts-sud-tarn --seed "$SEED" \
        --departures 1 --out "$dir" --quiet > "$o/gen.log" 2>&1 || { echo "run_export.sh: generate failed" >&2; fail=1; continue; }
      leaving=$(tr -d '\n\t ' < "$dir/scenario.json" | sed -n 's/.*"leaving":\[\([^]]*\)\].*/\1/p' | tr -d '"')
      kind=assign sense=max
      size="$(($(wc -l < "$dir/departure_patients.csv") - 1)) × $(($(wc -l < "$dir/doctors.csv") - 1))"
      set -- --doctors "$dir/doctors.csv" --patients "$dir/departure_patients.csv" --leaving "$leaving"
      solve="$BIN depart $* --method mip"
      export="$BIN export assign $*"
      ;;
    snp-week | pdsa-month)
      if [ "$c" = snp-week ]; then nd=100; else nd=600; fi
      dir=$DATA/rota/$c-d$nd-s$SEED
      [ -f "$dir/slots.csv" ] || "$GEN_R" --kind "$c" --doctors "$nd" --seed "$SEED" --out "$dir" \
        > "$o/gen.log" 2>&1 || { echo "run_export.sh: gen_rota $c failed" >&2; fail=1; continue; }
      kind=rota sense=min
      size="$(($(wc -l < "$dir/slots.csv") - 1)) slots × $(($(wc -l < "$dir/doctors.csv") - 1))"
      set -- --doctors "$dir/doctors.csv" --slots "$dir/slots.csv" \
        --availability "$dir/availability.csv" --history "$dir/history.csv"
      solve="$BIN rota $* --method mip"
      export="$BIN export rota $*"
      ;;
    *) echo "run_export.sh: unknown case $c ($ALL)" >&2; fail=1; continue ;;
  esac
  # 1. cptsopt's own MIP
  rep=$o/report.json
  cmd="$solve --threads 1 --time-limit $TIME_LIMIT --quiet --out $o/plan.csv --report $rep"
  echo "# $c" >> "$CMDS"
  echo "$cmd" >> "$CMDS"
  /usr/bin/time -o "$o/solve.time" -f '%e %M %U %S' $cmd > "$o/solve.log" 2>&1
  rc=$?
  if [ "$rc" -ge 2 ] || [ ! -s "$rep" ]; then
    echo "run_export.sh: $c: cptsopt failed (exit $rc); end of $o/solve.log:" >&2
    tail -n 5 "$o/solve.log" >&2
    fail=1
    continue
  fi
  st=$(val "$rep" status) obj=$(val "$rep" objective) bnd=$(val "$rep" bound)
  ts=$(val "$rep" time_s) w1=$(wall "$o/solve.time") c1=$(cpu "$o/solve.time")
  # 2. export
  cmd="$export --format mps --out $o/model.mps"
  echo "$cmd" >> "$CMDS"
  /usr/bin/time -o "$o/export.time" -f '%e %M' $cmd > "$o/export.log" 2>&1
  rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "run_export.sh: $c: export failed (exit $rc); end of $o/export.log:" >&2
    tail -n 5 "$o/export.log" >&2
    fail=1
    continue
  fi
  we=$(wall "$o/export.time")
  shape=$(sed -n 's/^export [a-z]*: \([0-9]*\) columns ([0-9]* integer), \([0-9]*\) rows.*/\1 × \2/p' "$o/export.log")
  mb=$(awk -v b="$(wc -c < "$o/model.mps")" 'BEGIN { printf "%.1f", b / 1048576 }')
  # 3. CBC
  cmd="cbc $o/model.mps -timeMode elapsed -sec $TIME_LIMIT -solve -quit"
  echo "$cmd" >> "$CMDS"
  /usr/bin/time -o "$o/cbc.time" -f '%e %M %U %S' $cmd > "$o/cbc.log" 2>&1
  rc=$?
  w2=$(wall "$o/cbc.time") c2=$(cpu "$o/cbc.time")
  cst=$(sed -n 's/^Result - //p' "$o/cbc.log" | head -n 1)
  cobj=$(sed -n 's/^Objective value:[[:blank:]]*\([-0-9.eE+]*\).*/\1/p' "$o/cbc.log" | head -n 1)
  if [ "$rc" -ne 0 ] || [ -z "$cst" ]; then
    echo "run_export.sh: $c: cbc failed (exit $rc); end of $o/cbc.log:" >&2
    tail -n 5 "$o/cbc.log" >&2
    fail=1
    cst="error(rc=$rc)"
  fi
  if [ -n "$cobj" ] && [ "$sense" = max ]; then cobj=$(awk -v x="$cobj" 'BEGIN { printf "%.8f", -x }'); fi
  # the comparison: same objective (1e-6 relative), or who is better
  cmp=$(awk -v a="$obj" -v b="$cobj" -v s="$sense" 'BEGIN {
    if (b == "") { print "no CBC solution"; exit }
    d = a - b; if (d < 0) d = -d; m = a < 0 ? -a : a; if (m < 1) m = 1
    if (d <= 1e-6 * m) { print "same"; exit }
    better = (s == "max") ? (a > b) : (a < b)
    printf "%s better by %.6g\n", better ? "cptsopt" : "CBC", d }')
  echo "$c|$kind|$size|$shape|$mb|$st|$(num "$obj")|$(num "$bnd")|$(num "$ts")|$w1|$c1|$we|$cst|${cobj:+$(num "$cobj")}|$w2|$c2|$cmp" >> "$ROWS"
  printf '%-16s cptsopt %-9s %-16s %7ss (cpu %s) | export %5ss | cbc %-28s %-16s %7ss (cpu %s) | %s\n' \
    "$c" "$st" "$obj" "$w1" "$c1" "$we" "$cst" "$cobj" "$w2" "$c2" "$cmp"
done

cpuname=$(sed -n 's/^model name[[:blank:]]*:[[:blank:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
cbcv=$(cbc -quit 2>/dev/null | sed -n 's/^Version: *\([^ ]*\).*/\1/p' | head -n 1)
ver=$("$BIN" --version 2>/dev/null | head -n 1)
{
  echo "# Exported models solved by CBC vs cptsopt --method mip"
  echo
  echo "Generated by \`bench/run_export.sh\` (\`make bench-export\`). Last run: $DATE, git $GIT_ID,"
  echo "seed $SEED, time limit $TIME_LIMIT s for both solvers, one thread each, one repetition."
  echo "Machine: $(nproc 2>/dev/null || echo ?) cores (${cpuname:-unknown CPU}), ${mem:-?}, $(uname -srm 2>/dev/null);"
  echo "${ver:-cptsopt ?}; CBC ${cbcv:-?} (Debian coinor-cbc)."
  echo
  echo "cptsopt = \`cptsopt assign|depart|rota --method mip\` (GLPK branch-and-cut, the"
  echo "objective recomputed from the plan in SPEC units); export = \`cptsopt export … --format mps\`"
  echo "(the same model, written); CBC = \`cbc model.mps -timeMode elapsed -sec $TIME_LIMIT -solve -quit\`"
  echo "on that file. Walls and CPU (user + system) are whole processes (reading the CSV files for"
  echo "cptsopt, the MPS file for CBC); the machine is shared, so CPU is the steadier figure. The"
  echo "assign model is a maximization, written in MPS as minimize −f: CBC's objective is negated"
  echo "back here. \"same\" = objectives within 1e-6 (relative)."
  echo
  echo "| case | model | size | columns × rows | MPS (MiB) | cptsopt status | cptsopt objective | cptsopt bound | cptsopt time_s | cptsopt wall (s) | cptsopt CPU (s) | export wall (s) | CBC result | CBC objective | CBC wall (s) | CBC CPU (s) | comparison |"
  echo "|---|---|---|---|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|"
  awk -F'|' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17 }' "$ROWS"
  echo
  echo "Commands:"
  echo
  sed 's/^/    /' "$CMDS"
} > "$RES/export_cbc.md"
echo "results: $RES/export_cbc.md"
[ "$fail" = 1 ] && exit 1
exit 0
