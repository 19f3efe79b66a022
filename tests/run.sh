#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run xbr's tests: tests/run.sh [SUITE|SUITE/NAME ...]
#
# Suites, in this order: unit cli net bench vhost e2e, then any other
# tests/DIR holding test-* files (default: all).
# A test is tests/SUITE/test-* that is either a .sh file (run with bash) or
# executable. Exit codes follow automake: 0 pass, 77 skip (the test prints
# "SKIP: reason" first), anything else fails; a test that outlives
# XBR_TEST_TIMEOUT seconds (default 300) is killed and fails.
# Output of each test goes to build/test-logs/SUITE-NAME.log.
# The last line is always "N passed, N failed, N skipped"; the exit code is
# non-zero if any test failed.

set -u
export LC_ALL=C

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 1

SUITES=(unit cli net vport bench vhost e2e)
# Any other folder with tests runs after these (tests/lib is the harness).
for d in tests/*/; do
	d=$(basename "$d")
	case " ${SUITES[*]} lib " in *" $d "*) continue ;; esac
	compgen -G "tests/$d/test-*" >/dev/null && SUITES+=("$d")
done
TIMEOUT=${XBR_TEST_TIMEOUT:-300}
LOGDIR=$root/build/test-logs
TAIL=${XBR_TEST_TAIL:-40}
mkdir -p "$LOGDIR"

[ "$(id -u)" -eq 0 ] || echo "run.sh: not root: most tests will skip" >&2

# Selection: whole suites or single tests (suite/test-name[.sh]).
want=("$@")
[ ${#want[@]} -gt 0 ] || want=("${SUITES[@]}")
for w in "${want[@]}"; do
	s=${w%%/*}
	case " ${SUITES[*]} " in
	*" $s "*) ;;
	*) echo "run.sh: unknown suite '$s' (suites: ${SUITES[*]})" >&2; exit 2 ;;
	esac
done

selected()	# selected SUITE FILE
{
	local w base
	base=$(basename "$2")
	for w in "${want[@]}"; do
		[ "$w" = "$1" ] && return 0
		[ "$w" = "$1/$base" ] && return 0
		[ "$w" = "$1/${base%.sh}" ] && return 0
	done
	return 1
}

pass=0 fail=0 skip=0
failed=()

for suite in "${SUITES[@]}"; do
	for t in tests/"$suite"/test-*; do
		[ -f "$t" ] || continue
		case $t in
		*.sh) cmd=(bash "$t") ;;
		*) [ -x "$t" ] || continue; cmd=("./$t") ;;
		esac
		selected "$suite" "$t" || continue
		name=$(basename "$t")
		name=${name%.sh}
		log=$LOGDIR/$suite-$name.log
		start=$(date +%s)
		# timeout signals the test's whole process group; the harness
		# trap then tears its namespaces down.
		timeout -k 20 "$TIMEOUT" "${cmd[@]}" </dev/null >"$log" 2>&1
		rc=$?
		secs=$(( $(date +%s) - start ))
		case $rc in
		0)
			pass=$((pass + 1))
			echo "PASS $suite/$name (${secs}s)"
			;;
		77)
			skip=$((skip + 1))
			why=$(grep -m1 '^SKIP:' "$log" | sed 's/^SKIP: *//')
			echo "SKIP $suite/$name (${secs}s): ${why:-no reason given}"
			;;
		*)
			fail=$((fail + 1))
			failed+=("$suite/$name")
			what="exit $rc"
			[ $rc -eq 124 ] || [ $rc -eq 137 ] && what="timed out after ${TIMEOUT}s"
			echo "FAIL $suite/$name (${secs}s): $what, log $log"
			grep -m3 '^FAIL:' "$log" | sed 's/^/    > /'
			tail -n "$TAIL" "$log" | sed 's/^/    | /'
			;;
		esac
	done
done

[ $fail -eq 0 ] || echo "failed: ${failed[*]}"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
