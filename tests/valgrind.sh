#!/bin/sh
# Runs test suites of BUILD under valgrind's memcheck, following every
# process they start except system tools (/bin, /usr/bin, /usr/sbin): bopt,
# the Criterion test workers, the generators. Criterion does not turn a
# worker's valgrind errors into a failure, so every process's log is read:
# the run fails if any reports an error or a definite or indirect leak.
# A process that execs a system tool, or that the tests kill on purpose
# (SIGKILL, SIGPIPE), leaves a log without a summary: counted apart. The
# test scripts' own shell is valgrind's first process: its leaks are
# suppressed (valgrind.supp).
#
#   tests/valgrind.sh BUILD [SUITE...]
set -eu
build=$(cd "$1" && pwd)
shift
logs=$build/valgrind-logs
rm -rf "$logs"
mkdir -p "$logs"
suites=
for s in "$@"; do
	suites="$suites --suite $s"
done
# The SIGKILL loops are slow under valgrind: fewer rounds.
BOPT_KILL_ROUNDS=${BOPT_KILL_ROUNDS:-5}
export BOPT_KILL_ROUNDS
status=0
# shellcheck disable=SC2086
meson test -C "$build" --timeout-multiplier 20 $suites --wrap="valgrind \
--error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
--suppressions=$(cd "$(dirname "$0")" && pwd)/valgrind.supp \
--trace-children=yes --trace-children-skip=/bin/*,/usr/bin/*,/usr/sbin/* \
--log-file=$logs/%p.log" || status=$?

total=$(ls "$logs" | wc -l)
summaries=$(cat "$logs"/*.log | grep -c 'ERROR SUMMARY' || true)
bad=$(grep -l 'ERROR SUMMARY: [1-9]' "$logs"/*.log || true)
errors=$(cat "$logs"/*.log | sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' |
	awk '{ s += $1 } END { print s + 0 }')
lost=$(cat "$logs"/*.log | sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' | tr -d , |
	awk '{ s += $1 } END { print s + 0 }')
echo "valgrind: $total processes, $summaries checked to the end ($((total - summaries))" \
	"exec'd a system tool or were killed on purpose), $errors errors," \
	"$lost bytes definitely lost"
for f in $bad; do
	echo "valgrind: errors in $f:"
	grep -E 'Command:|Invalid|uninitialised|definitely lost|indirectly lost|^==[0-9]+==    (at|by)' "$f" | head -n 40
done
[ -z "$bad" ] && [ "$status" = 0 ]
