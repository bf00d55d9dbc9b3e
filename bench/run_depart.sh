#!/bin/sh
# Benchmark of `cptsopt depart` on real territories (issue: doctor leaves).
#
# For each bundled territory, `cptsopt generate --departures K` draws a
# scenario (seeded) and `cptsopt depart` places the leaving doctors'
# patients; wall time and peak RSS come from GNU time.  Cases: one departure
# in each bundled territory, and 20 simultaneous departures in Rhône.
# Results: bench/results/depart.csv and depart.md.
#
# Knobs: TIME_LIMIT (s, default 60), MIP_GAP (default 0, as SPEC), SEED
# (default 1), DEPART_CASES (subset of case names).
set -u
B=${1:-build}
BIN=$B/cptsopt
[ -x "$BIN" ] || { echo "run_depart.sh: $BIN is missing; run make first" >&2; exit 2; }
TIME_LIMIT=${TIME_LIMIT:-60}
MIP_GAP=${MIP_GAP:-0}
SEED=${SEED:-1}
ALL="cpts-sud-tarn:1 cpts-bas-armagnac:1 cpts-entre-chataigne-et-micocoule:1 cpts-conflent:1 vosges-rural:1 lyon-7e:1 bas-rhin:1 vosges:1 rhone:1 rhone:20"
DEPART_CASES=${DEPART_CASES:-$ALL}
DATA=$B/bench-data/depart
RES=bench/results
mkdir -p "$DATA" "$RES"
GIT_ID=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
DATE=$(date -u +%Y-%m-%d)
CSV=$RES/depart.csv
echo "territory,departures,patients,doctors,status,objective,bound,gap,placed,unplaced,wall_s,peak_rss_mib,solve_s,mip_gap,time_limit,date,git_id" > "$CSV.tmp"

# top-level numeric or string value of a pretty-printed report
val() { sed -n "s/^	\"$2\":	\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" "$1" | head -n 1; }
# a value inside the "result" object
res() { sed -n "/^	\"result\":/,/^	}/s/^		\"$2\":	\([0-9.e+-]*\),\{0,1\}$/\1/p" "$1" | head -n 1; }

fail=0
for c in $DEPART_CASES; do
  t=${c%%:*}; k=${c##*:}
  dir=$DATA/$t-$k-s$SEED
  if [ ! -f "$dir/scenario.json" ]; then
    "$BIN" generate --territory "$t" --seed "$SEED" --departures "$k" --out "$dir" --quiet || { echo "generate $t failed" >&2; fail=1; continue; }
  fi
  leaving=$(tr -d '\n\t ' < "$dir/scenario.json" | sed -n 's/.*"leaving":\[\([^]]*\)\].*/\1/p' | tr -d '"')
  ndoc=$(($(wc -l < "$dir/doctors.csv") - 1))
  npat=$(($(wc -l < "$dir/departure_patients.csv") - 1))
  rep=$dir/report.json
  tm=$( { /usr/bin/time -f '%e %M' "$BIN" depart --doctors "$dir/doctors.csv" \
      --patients "$dir/departure_patients.csv" --leaving "$leaving" \
      --time-limit "$TIME_LIMIT" --mip-gap "$MIP_GAP" --quiet \
      --out "$dir/placements.csv" --report "$rep" 2>&1 >/dev/null; } | tail -n 1)
  rc=$?
  wall=${tm% *}; rss=${tm#* }
  st=$(val "$rep" status); obj=$(val "$rep" objective); bnd=$(val "$rep" bound); gap=$(val "$rep" gap)
  placed=$(res "$rep" assigned); unpl=$(res "$rep" unassigned)
  solve=$(val "$rep" time_s)
  rss_mib=$(awk "BEGIN {printf \"%.1f\", $rss/1024}")
  echo "$t,$k,$npat,$ndoc,$st,$obj,$bnd,$gap,$placed,$unpl,$wall,$rss_mib,$solve,$MIP_GAP,$TIME_LIMIT,$DATE,$GIT_ID" >> "$CSV.tmp"
  printf '%-36s %2s departures %6s patients %5s doctors  %-9s gap %-10s placed %6s  %6ss  %7s MiB\n' \
    "$t" "$k" "$npat" "$ndoc" "$st" "$gap" "$placed" "$wall" "$rss_mib"
done
mv "$CSV.tmp" "$CSV"
{
  echo "# cptsopt depart benchmark"
  echo
  echo "Generated scenarios (\`cptsopt generate --departures K --seed $SEED\`) on the bundled"
  echo "territories; \`cptsopt depart\` with time limit ${TIME_LIMIT} s and mip_gap ${MIP_GAP}."
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(gcc --version | head -n 1)."
  echo "Reproduce: \`make bench-depart\` (or \`sh bench/run_depart.sh build\`)."
  echo
  echo "| territory | departures | patients | doctors | status | gap | placed | unplaced | wall (s) | peak RSS (MiB) |"
  echo "|---|---:|---:|---:|---|---:|---:|---:|---:|---:|"
  tail -n +2 "$CSV" | awk -F, '{printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1,$2,$3,$4,$5,$8,$9,$10,$11,$12}'
} > "$RES/depart.md"
exit $fail
