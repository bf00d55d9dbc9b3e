#!/bin/sh
# tests/fuzz/run.sh BINDIR SECONDS TARGET... — run each libFuzzer target
# BINDIR/fuzz_TARGET for SECONDS seconds, one after the other, on a
# temporary copy of tests/fuzz/corpus/TARGET (the repository is never
# written), with tests/fuzz/dict/TARGET.dict when present.  Stops at the
# first crash, leak, sanitizer report or timeout, prints the end of the log
# and the reproducer's path, and exits 1; the temporary directory is then
# kept.  Run from the repository root.
set -u
bindir=$1 secs=$2
shift 2
work=$(mktemp -d "${TMPDIR:-/tmp}/cpt-fuzz-run.XXXXXX") || exit 1
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
for t in "$@"; do
  corpus=$work/$t
  mkdir -p "$corpus" "$work/$t-artifacts"
  cp tests/fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null
  case $t in
    rpps) maxlen=16384 ;;
    *) maxlen=4096 ;;
  esac
  dict=
  [ -f tests/fuzz/dict/"$t".dict ] && dict=-dict=tests/fuzz/dict/"$t".dict
  if ! "$bindir/fuzz_$t" $dict -max_total_time="$secs" -max_len="$maxlen" \
      -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$work/$t-artifacts/" "$corpus" >"$work/$t.log" 2>&1
  then
    tail -n 60 "$work/$t.log"
    echo "fuzz $t: FAILED"
    for a in "$work/$t-artifacts"/*; do echo "  reproducer: $a"; done
    echo "  replay: $bindir/fuzz_$t REPRODUCER   (log: $work/$t.log)"
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")
  cov=$(grep -o 'cov: [0-9]*' "$work/$t.log" | tail -n 1)
  echo "fuzz $t: ${secs} s, ${runs:-?} runs, $cov, corpus $(ls "$corpus" | wc -l) inputs, no crash"
done
rm -rf "$work"
