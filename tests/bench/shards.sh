#!/bin/bash
# Benchmark of summary documents (bopt analyze -f summary, bopt merge): the
# sorted trace of tests/bench/merge.sh (BENCH_MERGE_BYTES, default 1 GiB)
# cut into 1000 time-ordered shards, each summarised; then the time and
# peak RSS of merging 100 and 1000 summaries (their ratio shows the cost
# grows with the summaries, not the events), the size of the whole trace's
# summary, and 4 shards summarised by GNU parallel (2 jobs of --jobs 1) and
# merged against one bopt analyze --jobs 2 of the same bytes (figures and
# ratios measured in one run: the machine is noisy).
#
#   tests/bench/shards.sh [BUILD_DIR]     (default: build)
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
command -v parallel >/dev/null || { echo "bench: needs GNU parallel (apt-get install parallel)" >&2; exit 1; }

sorted=$dir/merge-sorted-$bytes.ndjson
if [ ! -s "$sorted" ]; then
	echo "generating $sorted (poisson, 20000/s) ..." >&2
	"$gen" -p poisson -r 20000 -s 5 -b "$bytes" >"$sorted"
fi
many=$dir/shards-1000-$bytes
if [ ! -d "$many" ]; then
	echo "cutting into 1000 shards and summarising them ..." >&2
	mkdir -p "$many.tmp"
	split -n l/1000 -a 4 -d --additional-suffix=.ndjson "$sorted" "$many.tmp/s"
	parallel --will-cite -j 2 "$bopt" analyze --jobs 1 --no-progress -f summary -o '{.}.sum' '{}' \
		::: "$many.tmp"/s*.ndjson
	rm "$many.tmp"/s*.ndjson
	mv "$many.tmp" "$many"
fi
four=$dir/shards-4-$bytes
if [ ! -d "$four" ]; then
	mkdir -p "$four.tmp"
	split -n l/4 -d --additional-suffix=.ndjson "$sorted" "$four.tmp/s"
	mv "$four.tmp" "$four"
fi
size=$(stat -c %s "$sorted")
cat "$sorted" "$four"/*.ndjson >/dev/null # warm the page cache

# shellcheck source=tests/bench/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
kib() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.0f", b / 1024 }'; }

sums=("$many"/*.sum)
hundred=("${sums[@]:0:100}")
echo "trace: $(awk -v b="$size" 'BEGIN { printf "%.0f", b / 1048576 }') MiB, $(getconf _NPROCESSORS_ONLN) cores, best of $runs runs"
echo "summaries: ${#sums[@]}, $(du -sk "$many" | cut -f1) KiB in all"
t100=$(best_of "$bopt" merge -f json "${hundred[@]}")
t1000=$(best_of "$bopt" merge -f json "${sums[@]}")
r100=$(rss_mib "$bopt" merge -f json "${hundred[@]}")
r1000=$(rss_mib "$bopt" merge -f json "${sums[@]}")
printf '%-34s %8s %9s %7s\n' case seconds "RSS MiB" ratio
printf '%-34s %8s %9s %7s\n' "merge 100 summaries" "$t100" "$r100" 1.00
printf '%-34s %8s %9s %7s\n' "merge 1000 summaries" "$t1000" "$r1000" "$(ratio "$t1000" "$t100")"

"$bopt" merge -f summary -o "$dir/whole.sum" "${sums[@]}"
"$bopt" merge -f summary -o "$dir/whole.sum.gz" "${sums[@]}"
echo "summary of the whole trace: $(kib "$dir/whole.sum") KiB, $(kib "$dir/whole.sum.gz") KiB gzip"

a=(analyze --no-progress -f json)
t_one=$(best_of "$bopt" "${a[@]}" --jobs 2 "$sorted")
four_run() {
	parallel --will-cite -j 2 "$bopt" analyze --jobs 1 --no-progress -f summary -o '{.}.sum' '{}' \
		::: "$four"/*.ndjson
	"$bopt" merge -f json "$four"/*.sum
}
t_four=$(best_of four_run)
printf '%-34s %8s %7s\n' case seconds ratio
printf '%-34s %8s %7s\n' "analyze --jobs 2, one file" "$t_one" 1.00
printf '%-34s %8s %7s\n' "parallel -j 2, 4 shards, merge" "$t_four" "$(ratio "$t_four" "$t_one")"
