#!/bin/sh
# Run every cmocka suite given, from the repository root, and close with one
# summary line over all suites ("tests: N passed, M failed").
B=$1; shift
pass=0; fail=0; failed_suites=""
for t in "$@"; do
  out=$("$t" 2>&1); rc=$?
  printf '%s\n' "$out"
  # a suite may run several cmocka groups: add up every group's summary
  p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {if (NR) print s}')
  f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {if (NR) print s}')
  pass=$((pass + ${p:-0})); fail=$((fail + ${f:-0}))
  if [ $rc -ne 0 ] && [ -z "$f" ]; then fail=$((fail + 1)); fi
  [ $rc -ne 0 ] && failed_suites="$failed_suites $(basename "$t")"
done
[ -n "$failed_suites" ] && echo "failed suites:$failed_suites"
echo "tests: $pass passed, $fail failed"
[ $fail -eq 0 ] && [ -z "$failed_suites" ]
