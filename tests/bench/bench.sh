#!/bin/bash
# Benchmarks of bopt analyze against jq and cat on the same generated trace.
# Not part of the test suite; prints figures and ratios (compare ratios
# measured in one run: these machines are noisy).
#
#   tests/bench/bench.sh [BUILD_DIR]     (default: build)
#
# Environment: BENCH_DIR (where traces go, default /tmp/bopt-bench),
# BENCH_EVENTS (default 1000000), BENCH_RUNS (best of, default 3),
# BENCH_SKIP_1G=1 to skip the 1 GiB memory check, BENCH_SKIP_JQ=1,
# BENCH_SKIP_CALLGRIND=1.
set -euo pipefail
LC_ALL=C
export LC_ALL

build=${1:-build}
bopt=$build/bopt
gen=$build/tests/bopt-gentrace
dir=${BENCH_DIR:-/tmp/bopt-bench}
events=${BENCH_EVENTS:-1000000}
runs=${BENCH_RUNS:-3}
cores=$(getconf _NPROCESSORS_ONLN)
mkdir -p "$dir"
[ -x "$bopt" ] && [ -x "$gen" ] || { echo "bench: build first (meson compile -C $build)" >&2; exit 1; }

trace=$dir/trace-$events.ndjson
if [ ! -s "$trace" ]; then
	echo "generating $events events (poisson, 5000/s, seed 1) ..." >&2
	"$gen" -p poisson -r 5000 -n "$events" -s 1 --transactions >"$trace"
fi
bytes=$(stat -c %s "$trace")
mib=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
cat "$trace" >/dev/null; cat "$trace" >/dev/null # warm the page cache

# best_of CMD...: the shortest wall time of $runs runs, in seconds.
best_of() {
	local best="" t s e
	for _ in $(seq "$runs"); do
		s=$(date +%s.%N)
		"$@" >/dev/null
		e=$(date +%s.%N)
		t=$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.4f", e - s }')
		if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then
			best=$t
		fi
	done
	echo "$best"
}
rss_kib() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
rate() { awk -v b="$bytes" -v t="$1" 'BEGIN { printf "%.0f", b / 1048576 / t }'; }
evrate() { awk -v n="$events" -v t="$1" 'BEGIN { printf "%.0f", n / t }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "trace: $trace ($events events, $mib MiB), $cores cores, best of $runs runs"
echo
t_cat=$(best_of cat "$trace")
t1=$(best_of "$bopt" analyze --no-progress --jobs 1 "$trace")
tn=$(best_of "$bopt" analyze --no-progress "$trace")
# The machine's own ceiling for two threads: two independent single-thread
# runs side by side (on some virtual machines the two cores share one).
pair() {
	"$bopt" analyze --no-progress --jobs 1 "$trace" >/dev/null &
	"$bopt" analyze --no-progress --jobs 1 "$trace" >/dev/null
	wait
}
t_pair=$(best_of pair)
r1=$(rss_kib "$bopt" analyze --no-progress --jobs 1 "$trace")
rn=$(rss_kib "$bopt" analyze --no-progress "$trace")
printf '%-28s %9s %10s %12s %10s\n' "command" "seconds" "MiB/s" "events/s" "RSS KiB"
printf '%-28s %9s %10s %12s %10s\n' "cat" "$t_cat" "$(rate "$t_cat")" "-" "-"
printf '%-28s %9s %10s %12s %10s\n' "bopt analyze --jobs 1" "$t1" "$(rate "$t1")" "$(evrate "$t1")" "$r1"
printf '%-28s %9s %10s %12s %10s\n' "bopt analyze (--jobs $cores)" "$tn" "$(rate "$tn")" "$(evrate "$tn")" "$rn"
if [ "${BENCH_SKIP_JQ:-0}" != 1 ] && command -v jq >/dev/null; then
	s=$(date +%s.%N)
	jq -r '.[] | (.timestamp // .metadata.timestamp)' "$trace" >/dev/null
	e=$(date +%s.%N)
	t_jq=$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.4f", e - s }')
	printf '%-28s %9s %10s %12s %10s\n' "jq (timestamps only, 1 run)" "$t_jq" "$(rate "$t_jq")" "$(evrate "$t_jq")" "-"
fi
echo
echo "ratios"
echo "  threads speed-up (jobs $cores / jobs 1): $(ratio "$t1" "$tn")x   (target >= 1.7 on 2 cores)"
echo "  machine ceiling (2 x one-thread runs side by side): $(awk -v a="$t1" -v b="$t_pair" 'BEGIN { printf "%.2f", 2 * a / b }')x"
[ -n "${t_jq:-}" ] && echo "  bopt / jq speed:  $(ratio "$t_jq" "$tn")x faster   (target >= 20)"
echo "  bopt / cat time:  $(ratio "$tn" "$t_cat")x slower than cat"
echo "  single thread:    $(rate "$t1") MiB/s   (target >= 300)"

if [ "${BENCH_SKIP_1G:-0}" != 1 ]; then
	big=$dir/trace-1GiB.ndjson
	if [ ! -s "$big" ]; then
		echo "generating a 1 GiB trace ..." >&2
		"$gen" -p poisson -r 5000 -b 1073741824 -s 2 >"$big"
	fi
	echo
	echo "peak RSS on a 1 GiB trace (target <= 32768 KiB)"
	for j in 1 2 8 64; do
		echo "  --jobs $j: $(rss_kib "$bopt" analyze --no-progress --jobs "$j" "$big") KiB"
	done
	echo "  gzip stdin: $(gzip -1 -c "$big" | /usr/bin/time -f %M "$bopt" analyze --no-progress - 2>&1 >/dev/null | tail -1) KiB"
fi

if [ "${BENCH_SKIP_CALLGRIND:-0}" != 1 ] && command -v valgrind >/dev/null; then
	small=$dir/trace-100k.ndjson
	[ -s "$small" ] || "$gen" -p poisson -r 5000 -n 100000 -s 3 --transactions >"$small"
	out=$dir/callgrind.out
	valgrind --tool=callgrind --callgrind-out-file="$out" "$bopt" analyze --no-progress --jobs 1 "$small" >/dev/null 2>"$dir/callgrind.log"
	ir=$(awk '/^summary:/ { print $2 }' "$out")
	echo
	echo "callgrind, 100k events, --jobs 1: $ir instructions, $(awk -v i="$ir" 'BEGIN { printf "%.0f", i / 100000 }') per event"
fi
