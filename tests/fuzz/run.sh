#!/bin/sh
# Runs every libFuzzer harness of a -Dfuzzers=true build: first over the
# inputs kept in tests/fuzz/regress/NAME/ (earlier findings), then on its
# seed corpus tests/fuzz/corpus/NAME/ for SECONDS (default 30). New corpus
# entries go to a temporary directory, never into the tree. Fails on any
# finding; crashing inputs are copied to BUILD/fuzz-findings/.
#
#   tests/fuzz/run.sh BUILD [SECONDS [NAME...]]
set -eu
build=$1
seconds=${2:-30}
[ $# -ge 2 ] && shift 2 || shift $#
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then
	set -- $(cd "$here/corpus" && ls)
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
findings=$build/fuzz-findings
mkdir -p "$findings"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

total=0
failed=0
for name in "$@"; do
	fuzzer=$build/tests/fuzz/fuzz-$name
	[ -x "$fuzzer" ] || { echo "fuzz: no $fuzzer (build with -Dfuzzers=true)" >&2; exit 2; }
	if [ -d "$here/regress/$name" ]; then
		if ! "$fuzzer" "$here/regress/$name"/* >"$tmp/$name.regress.log" 2>&1; then
			echo "fuzz: $name: a kept regression input fails again" >&2
			tail -n 30 "$tmp/$name.regress.log" >&2
			failed=$((failed + 1))
			continue
		fi
	fi
	mkdir -p "$tmp/$name"
	status=0
	"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$tmp/$name-" \
		"$tmp/$name" "$here/corpus/$name" >"$tmp/$name.log" 2>&1 || status=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$tmp/$name.log" | tail -n 1)
	runs=${runs:-0}
	total=$((total + runs))
	kept=$(ls "$tmp/$name" | wc -l)
	if [ $status -ne 0 ] || ls "$tmp/$name"-* >/dev/null 2>&1; then
		echo "fuzz: $name: FINDING after $runs executions (status $status)"
		grep -E 'ERROR|SUMMARY|fuzz:|runtime error' "$tmp/$name.log" | head -n 10
		for a in "$tmp/$name"-*; do
			[ -e "$a" ] && cp "$a" "$findings/" && echo "fuzz: kept $findings/$(basename "$a")"
		done
		failed=$((failed + 1))
	else
		echo "fuzz: $name: $runs executions in ${seconds}s, $kept new corpus entries, no findings"
	fi
done
echo "fuzz: $total executions in total, $failed fuzzers with findings"
[ $failed -eq 0 ]
