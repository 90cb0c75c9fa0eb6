#!/bin/bash
# Benchmarks of the queueing model (decide/queue.h): its error against the
# exact event-level recursion on generated traces of several shapes, and
# its cost beside the analysis of the 1 M-event benchmark trace (7
# candidates at 5 scales, best of 3, measured in one process) and its
# memory. Not part of the test suite; prints figures and PASS/FAIL.
#
#   tests/bench/queue.sh [BUILD_DIR]     (default: build)
#
# Environment: BENCH_DIR (where the trace goes, default /tmp/bopt-bench),
# BENCH_EVENTS (default 1000000).
set -euo pipefail
LC_ALL=C
export LC_ALL

build=${1:-build}
gen=$build/tests/bopt-gentrace
qb=$build/tests/bopt-queuebench
dir=${BENCH_DIR:-/tmp/bopt-bench}
events=${BENCH_EVENTS:-1000000}
mkdir -p "$dir"
[ -x "$qb" ] && [ -x "$gen" ] || { echo "bench: build first (meson compile -C $build)" >&2; exit 1; }

# shellcheck source=tests/bench/lib.sh
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
trace=$(bench_trace)
cat "$trace" >/dev/null # warm the page cache

echo "== the count-series model against the exact recursion (errors in %, and p99 in ms)"
"$qb" error
echo
echo "== cost on $trace"
"$qb" cost "$trace"
