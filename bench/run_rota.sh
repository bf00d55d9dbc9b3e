#!/bin/sh
# Benchmark of `cptsopt rota` (SNP week of a CPTS, PDSA month of a
# département) and, optionally, of `cptsopt nrp` on the public
# nurse-rostering instances of schedulingbenchmarks.org.
#
# Instances come from build/bench/gen_rota (seeded, byte-identical for the
# same arguments) into $B/bench-data/rota/; each case runs
#   cptsopt rota --method mip --threads T --time-limit S --quiet ...
# under GNU time at every thread count of THREADS.  Results:
# bench/results/rota.csv and rota.md (and nrp.md when NRP_DIR is set).
#
# Knobs: REPS (3), THREADS ("1 2"), TIME_LIMIT (60 s), SEED (1),
# ROTA_CASES (subset of "snp-week pdsa-month"), NRP_DIR (directory of
# instance files *.txt; unset = skip), NRP_TIME_LIMIT (60 s), NRP_METHODS
# ("mip heuristic"), NRP_THREADS (all cores), STRICT (1 = exit 3
# when a target FAILs).  Exit 1 when a run failed (others still run).
set -u
B=${1:-build}
BIN=$B/cptsopt
GEN=$B/bench/gen_rota
[ -x "$BIN" ] || { echo "run_rota.sh: $BIN is missing; run make first" >&2; exit 2; }
[ -x "$GEN" ] || { echo "run_rota.sh: $GEN is missing; run 'make $GEN' first" >&2; exit 2; }
/usr/bin/time -f '%e' true >/dev/null 2>&1 ||
  { echo "run_rota.sh: /usr/bin/time is not GNU time (Debian: apt-get install time)" >&2; exit 2; }
REPS=${REPS:-3}
THREADS=${THREADS:-"1 2"}
METHODS=${METHODS:-"mip heuristic"}
TIME_LIMIT=${TIME_LIMIT:-60}
SEED=${SEED:-1}
ROTA_CASES=${ROTA_CASES:-"snp-week pdsa-month"}
STRICT=${STRICT:-0}
DATA=$B/bench-data/rota
OUTD=$B/bench-out/rota
RES=bench/results
mkdir -p "$DATA" "$OUTD" "$RES" || exit 2
GIT_ID=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ "$GIT_ID" != unknown ] && ! git diff --quiet HEAD 2>/dev/null; then GIT_ID=$GIT_ID-dirty; fi
DATE=$(date -u +%Y-%m-%dT%H:%M:%SZ)
CORES=$(nproc 2>/dev/null || echo 1)

# top-level numeric or string value of a pretty-printed report
val() { sed -n "s/^	\"$2\":	\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" "$1" 2>/dev/null | head -n 1; }
# a value inside the "counts" object of a rota report
cnt() { sed -n "/^	\"counts\":/,/^	}/s/^		\"$2\":	\([0-9.e+-]*\),\{0,1\}$/\1/p" "$1" 2>/dev/null | head -n 1; }
# median of numbers on stdin (one per line)
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

fail=0
tfail=0
CSV=$RES/rota.csv
CMDS=$OUTD/commands.txt
: > "$CMDS"
echo "case,doctors,sites,slots,need,method,threads,reps,status,objective,bound,gap,uncovered,median_wall_s,peak_rss_mib,solver_time_s,time_limit,target,result,date,host_cores,git_id" > "$CSV.tmp"
for c in $ROTA_CASES; do
  case $c in
    snp-week) nd=100; target="proven optimal < 10 s" ;;
    pdsa-month) nd=600; target="within 2% of the bound in 60 s" ;;
    *) echo "run_rota.sh: unknown case $c (snp-week, pdsa-month)" >&2; fail=1; continue ;;
  esac
  dir=$DATA/$c-d$nd-s$SEED
  if ! "$GEN" --kind "$c" --doctors "$nd" --seed "$SEED" --out "$dir" 2> "$OUTD/gen-$c.log"; then
    echo "run_rota.sh: gen_rota $c failed:" >&2; tail -n 5 "$OUTD/gen-$c.log" >&2; fail=1; continue
  fi
  ndoc=$(($(wc -l < "$dir/doctors.csv") - 1))
  nslot=$(($(wc -l < "$dir/slots.csv") - 1))
  nsite=$(tail -n +2 "$dir/slots.csv" | cut -d, -f5 | sort -u | wc -l | tr -d ' ')
  need=$(tail -n +2 "$dir/slots.csv" | cut -d, -f6 | awk "{ s += \$1 } END { print s + 0 }")
  for m in $METHODS; do
  for t in $THREADS; do
    o=$OUTD/$c-$m-t$t
    mkdir -p "$o"
    rm -f "$o"/time.* "$o"/report.*.json
    r=1; err=""
    while [ "$r" -le "$REPS" ]; do
      rep=$o/report.$r.json
      set -- "$BIN" rota --doctors "$dir/doctors.csv" --slots "$dir/slots.csv" \
        --availability "$dir/availability.csv" --history "$dir/history.csv" \
        --method "$m" --threads "$t" --time-limit "$TIME_LIMIT" --quiet \
        --out "$o/rota.$r.csv" --report "$rep"
      [ "$r" -eq 1 ] && echo "$*" >> "$CMDS"
      /usr/bin/time -o "$o/time.$r" -f '%e %M' "$@" > "$o/log.$r" 2>&1
      rc=$?
      if [ "$rc" = 1 ] && [ ! -s "$rep" ] && grep -q no_solution "$no/$n-$m.log"; then
      echo "$n|$m|no_solution (no roster in time)||||$NRP_TIME_LIMIT|$wall|$rss" >> "$rows"
    elif [ "$rc" -ge 2 ] || [ ! -s "$rep" ]; then
        err="error(rc=$rc)"
        echo "run_rota.sh: $c threads=$t rep $r failed (exit $rc); end of $o/log.$r:" >&2
        tail -n 5 "$o/log.$r" >&2
        fail=1
        break
      fi
      r=$((r + 1))
    done
    if [ -n "$err" ]; then
      st=$err; obj=; bnd=; gap=; unc=; wall=; rss_mib=; solve=; result=FAIL
    else
      rep=$o/report.$REPS.json
      st=$(val "$rep" status); obj=$(val "$rep" objective); bnd=$(val "$rep" bound)
      gap=$(val "$rep" gap); unc=$(cnt "$rep" uncovered_slots)
      wall=$(for f in "$o"/time.*; do tail -n 1 "$f" | cut -d' ' -f1; done | median)
      rss=$(for f in "$o"/time.*; do tail -n 1 "$f" | cut -d' ' -f2; done | sort -n | tail -n 1)
      rss_mib=$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')
      solve=$(for f in "$o"/report.*.json; do val "$f" time_s; done | median)
      solve=$(awk -v s="$solve" 'BEGIN { printf "%.3f", s }')
      case $c in
        snp-week) result=$(awk -v s="$st" -v w="$wall" 'BEGIN { print (s == "optimal" && w + 0 < 10) ? "PASS" : "FAIL" }') ;;
        pdsa-month) result=$(awk -v g="$gap" -v s="$solve" 'BEGIN { print (g != "" && g + 0 <= 0.02 && s + 0 <= 60) ? "PASS" : "FAIL" }') ;;
      esac
    fi
    [ "$result" = FAIL ] && tfail=1
    echo "$c,$ndoc,$nsite,$nslot,${need:-},$m,$t,$REPS,$st,$obj,$bnd,$gap,$unc,$wall,$rss_mib,$solve,$TIME_LIMIT,$target,$result,$DATE,$CORES,$GIT_ID" >> "$CSV.tmp"
    printf '%-10s %4s doctors %5s slots  %-9s threads %s  %-9s obj %-12s gap %-10s wall %6ss  %7s MiB  %s\n' \
      "$c" "$ndoc" "$nslot" "$m" "$t" "$st" "$obj" "$gap" "$wall" "$rss_mib" "$result"
  done
  done
done
mv "$CSV.tmp" "$CSV"

cpu=$(sed -n 's/^model name[[:blank:]]*:[[:blank:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)
gccv=$(${CC:-cc} --version 2>/dev/null | head -n 1)
ver=$("$BIN" --version 2>/dev/null | head -n 1)
machine() {
  echo "Machine: $CORES cores (${cpu:-unknown CPU}), ${mem:-? GiB}, ${gccv:-unknown compiler}, $(uname -srm 2>/dev/null), ${ver:-cptsopt ?}."
}
{
  echo "# cptsopt rota benchmark"
  echo
  echo "Generated by \`bench/run_rota.sh\` (\`sh bench/run_rota.sh $B\`); see bench/README.md."
  echo "Last run: $DATE, git $GIT_ID, seed $SEED, time limit $TIME_LIMIT s, $REPS repetition(s);"
  echo "wall = median over the repetitions (whole process), peak RSS = maximum."
  machine
  echo
  echo "| case | doctors | sites | slots | need | method | threads | status | objective | bound | gap | uncovered | median wall (s) | peak RSS (MiB) | solver time_s | target | result |"
  echo "|---|---:|---:|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|"
  tail -n +2 "$CSV" | awk -F, '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1,$2,$3,$4,$5,$6,$7,$9,$10,$11,$12,$13,$14,$15,$16,$18,$19 }'
  echo
  echo "Targets: snp-week proven optimal with median wall < 10 s; pdsa-month gap ≤ 2 %"
  echo "with the solver's time_s ≤ 60 s."
  echo
  echo "Commands (first repetition of each run):"
  echo
  sed 's/^/    /' "$CMDS"
} > "$RES/rota.md"

if [ -n "${NRP_DIR:-}" ]; then
  NRP_TIME_LIMIT=${NRP_TIME_LIMIT:-60}
  no=$OUTD/nrp
  mkdir -p "$no"
  rows=$no/rows
  : > "$rows"
  found=0
  NRP_METHODS=${NRP_METHODS:-"mip heuristic"}
  NRP_THREADS=${NRP_THREADS:-$CORES}
  for f in "$NRP_DIR"/*.txt; do
    [ -f "$f" ] || continue
    found=1
    n=$(basename "$f" .txt)
    for m in $NRP_METHODS; do
    rep=$no/$n-$m.json
    rm -f "$rep"
    /usr/bin/time -o "$no/$n-$m.time" -f '%e %M' "$BIN" nrp "$f" --method "$m" \
      --threads "$NRP_THREADS" --time-limit "$NRP_TIME_LIMIT" \
      --report "$rep" --quiet > "$no/$n-$m.log" 2>&1
    rc=$?
    wall=$(tail -n 1 "$no/$n-$m.time" 2>/dev/null | cut -d' ' -f1)
    rss=$(tail -n 1 "$no/$n-$m.time" 2>/dev/null | awk '{ printf "%.1f", $2 / 1024 }')
    if [ "$rc" = 1 ] && [ ! -s "$rep" ] && grep -q no_solution "$no/$n-$m.log"; then
      echo "$n|$m|no_solution (no roster in time)||||$NRP_TIME_LIMIT|$wall|$rss" >> "$rows"
    elif [ "$rc" -ge 2 ] || [ ! -s "$rep" ]; then
      echo "run_rota.sh: nrp $n ($m) failed (exit $rc); end of $no/$n-$m.log:" >&2
      tail -n 5 "$no/$n-$m.log" >&2
      fail=1
      echo "$n|$m|error(rc=$rc)|||||$wall|$rss" >> "$rows"
    else
      ts=$(awk -v s="$(val "$rep" time_s)" 'BEGIN { printf "%.3f", s }')
      echo "$n|$m|$(val "$rep" status)|$(val "$rep" objective)|$(val "$rep" bound)|$(val "$rep" gap)|$ts|$wall|$rss" >> "$rows"
    fi
    printf 'nrp %-12s %s\n' "$n" "$(tail -n 1 "$rows" | cut -d'|' -f2-)"
    done
  done
  [ "$found" = 1 ] || { echo "run_rota.sh: no *.txt instance in $NRP_DIR" >&2; fail=1; }
  {
    echo "# cptsopt nrp on schedulingbenchmarks.org instances"
    echo
    echo "Generated by \`bench/run_rota.sh\` with NRP_DIR=$NRP_DIR; last run $DATE, git $GIT_ID."
    machine
    echo "Command: \`$BIN nrp INSTANCE.txt --method M --threads $NRP_THREADS --time-limit $NRP_TIME_LIMIT --report R --quiet\`."
    echo
    echo "| instance | method | status | objective | bound | gap | time (s) | wall (s) | peak RSS (MiB) |"
    echo "|---|---|---|---:|---:|---:|---:|---:|---:|"
    sort -V "$rows" 2>/dev/null | awk -F'|' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1,$2,$3,$4,$5,$6,$7,$8,$9 }'
  } > "$RES/nrp.md"
fi

[ "$fail" = 1 ] && exit 1
[ "$STRICT" = 1 ] && [ "$tfail" = 1 ] && exit 3
exit 0
