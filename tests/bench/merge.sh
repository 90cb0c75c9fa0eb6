#!/bin/bash
# Benchmark of several files merged by event time: a sorted trace of
# BENCH_MERGE_BYTES (default 1 GiB), the same events split round-robin into
# 12 files, and the same trace shuffled within 10 s windows. Prints wall
# time, throughput and peak RSS of bopt analyze on each, and the ratios to
# the sorted single file (measured in one run: the machine is noisy).
#
#   tests/bench/merge.sh [BUILD_DIR]     (default: build)
#
# Environment: BENCH_DIR (default /tmp/bopt-bench), BENCH_MERGE_BYTES,
# BENCH_RUNS (best of, default 3).
set -euo pipefail
LC_ALL=C
export LC_ALL

build=${1:-build}
bopt=$build/bopt
gen=$build/tests/bopt-gentrace
dir=${BENCH_DIR:-/tmp/bopt-bench}
bytes=${BENCH_MERGE_BYTES:-1073741824}
runs=${BENCH_RUNS:-3}
mkdir -p "$dir"
[ -x "$bopt" ] && [ -x "$gen" ] || { echo "bench: build first (meson compile -C $build)" >&2; exit 1; }

sorted=$dir/merge-sorted-$bytes.ndjson
shuffled=$dir/merge-shuffled-$bytes.ndjson
parts=$dir/merge-parts-$bytes
spec="-p poisson -r 20000 -s 5 -b $bytes"
if [ ! -s "$sorted" ]; then
	echo "generating $sorted (poisson, 20000/s) ..." >&2
	# shellcheck disable=SC2086
	"$gen" $spec >"$sorted"
fi
if [ ! -s "$shuffled" ]; then
	echo "generating $shuffled (the same, shuffled within 10 s windows) ..." >&2
	# shellcheck disable=SC2086
	"$gen" $spec --shuffle 10 >"$shuffled"
fi
if [ ! -d "$parts" ]; then
	echo "splitting into 12 files round-robin ..." >&2
	mkdir -p "$parts.tmp"
	awk -v dir="$parts.tmp" '{ print > (dir "/p" (NR % 12) ".ndjson") }' "$sorted"
	mv "$parts.tmp" "$parts"
fi
size=$(stat -c %s "$sorted")
cat "$sorted" "$shuffled" "$parts"/* >/dev/null # warm the page cache

# shellcheck source=tests/bench/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
mibs() { awk -v b="$size" -v t="$1" 'BEGIN { printf "%.0f", b / 1048576 / t }'; }

echo "trace: $(awk -v b="$size" 'BEGIN { printf "%.0f", b / 1048576 }') MiB, $(getconf _NPROCESSORS_ONLN) cores, best of $runs runs"
a=(analyze --no-progress -f json)
t_one=$(best_of "$bopt" "${a[@]}" "$sorted")
t_parts=$(best_of "$bopt" "${a[@]}" "$parts"/*)
t_shuf=$(best_of "$bopt" "${a[@]}" "$shuffled")
r_one=$(rss_mib "$bopt" "${a[@]}" "$sorted")
r_parts=$(rss_mib "$bopt" "${a[@]}" "$parts"/*)
r_shuf=$(rss_mib "$bopt" "${a[@]}" "$shuffled")
printf '%-28s %8s %8s %9s %7s\n' case seconds MiB/s "RSS MiB" ratio
printf '%-28s %8s %8s %9s %7s\n' "sorted, one file" "$t_one" "$(mibs "$t_one")" "$r_one" 1.00
printf '%-28s %8s %8s %9s %7s\n' "12 files, merged by time" "$t_parts" "$(mibs "$t_parts")" "$r_parts" "$(ratio "$t_parts" "$t_one")"
printf '%-28s %8s %8s %9s %7s\n' "shuffled in 10 s windows" "$t_shuf" "$(mibs "$t_shuf")" "$r_shuf" "$(ratio "$t_shuf" "$t_one")"
