#!/bin/sh
# Run each cmocka suite given under valgrind's memcheck, two at a time, from
# the repository root; one line per suite (ok / FAIL and its log), and a
# non-zero exit when any suite has a memory error or a definite or indirect
# leak.  Logs: <B>/memcheck/<suite>.log.  Usage: memcheck.sh B SUITE...
B=$1; shift
rm -rf "$B/memcheck"; mkdir -p "$B/memcheck"
VG="valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect \
--error-exitcode=99 --suppressions=tests/valgrind.supp --num-callers=30"
export VG B
printf '%s\n' "$@" | xargs -P 2 -I{} sh -c '
  t={}; n=$(basename "$t"); log="$B/memcheck/$n.log"
  $VG --log-file="$log" "$t" >"$B/memcheck/$n.out" 2>&1; rc=$?
  if [ $rc -eq 0 ]; then echo "memcheck: ok   $n"
  else echo "memcheck: FAIL $n (exit $rc; see $log)"; fi'
fail=""
for t in "$@"; do
  n=$(basename "$t")
  grep -q "ERROR SUMMARY: 0 errors" "$B/memcheck/$n.log" 2>/dev/null &&
    grep -q "PASSED" "$B/memcheck/$n.out" && ! grep -q "FAILED" "$B/memcheck/$n.out" ||
    fail="$fail $n"
done
if [ -n "$fail" ]; then echo "memcheck: failed:$fail"; exit 1; fi
echo "memcheck: $# suites clean"
