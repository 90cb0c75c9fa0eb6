#!/bin/sh
# The deep check, run by hand before a release (not in CI: it takes about
# half an hour on 2 cores). What the plain suite cannot see:
#   1. memcheck: every process of the suites under valgrind (tests/valgrind.sh),
#      for leaks and reads of uninitialised or freed memory;
#   2. ThreadSanitizer: the suites again on a -Db_sanitize=thread build, for
#      data races between the trace workers, the reader thread and the main
#      thread (the worker pools of trace/trace.c, the locked appends), over
#      every suite but the Criterion unit tests (see below).
# Mutants that only leak or race survive meson test; this is where they die.
#
#   tests/deep.sh [BUILD] [SUITE...]
#
# BUILD (default build) is an existing plain build; the TSan build is set up
# beside it as BUILD-tsan. SUITE limits both runs to meson test suites (unit,
# golden, hostile, ...); default all. Exit status 0 only if both are clean.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
[ $# -gt 0 ] && shift
[ -f "$build/build.ninja" ] || { echo "deep: $build is not a meson build directory" >&2; exit 2; }
suites=
for s in "$@"; do
	suites="$suites --suite $s"
done
status=0

echo "deep: 1/2 valgrind memcheck over $build"
meson compile -C "$build"
"$root/tests/valgrind.sh" "$build" "$@" || status=1

tsan=$build-tsan
echo "deep: 2/2 ThreadSanitizer build in $tsan"
if [ ! -f "$tsan/build.ninja" ]; then
	# LTO and TSan do not mix well; -O1 keeps the reports readable.
	meson setup "$tsan" "$root" -Db_sanitize=thread -Dbuildtype=debugoptimized \
		-Doptimization=1 -Db_lto=false -Db_lundef=false -Dman-pages=disabled
fi
meson compile -C "$tsan"
# halt_on_error: a race fails the test that ran into it, so meson names it.
TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 ${TSAN_OPTIONS:-}"
export TSAN_OPTIONS
# The kill loops are slow under TSan: fewer rounds, as under valgrind.
BOPT_KILL_ROUNDS=${BOPT_KILL_ROUNDS:-5}
export BOPT_KILL_ROUNDS
# Criterion cannot create its worker arena under TSan ("Could not initialize
# inheritable arena"), so the unit tests are left out here (valgrind ran
# them); the threads are bopt's, and the end-to-end suites run them all.
tsan_suites=${suites:---no-suite unit}
# shellcheck disable=SC2086
meson test -C "$tsan" --timeout-multiplier 10 --print-errorlogs $tsan_suites || status=1

if [ "$status" = 0 ]; then
	echo "deep: clean (valgrind and ThreadSanitizer)"
else
	echo "deep: FAILED (see above)" >&2
fi
exit "$status"
