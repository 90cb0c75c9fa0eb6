#!/bin/sh
# Golden end-to-end cases: runs every testdata/<command>/<case>/ and compares stdout,
# stderr and exit status with the expectations there. Prints TAP.
#
#   run.sh BOPT TESTDATA [COMMAND/CASE...]
#
# A case directory holds:
#   cmd              the arguments, one shell word list; run in the case dir
#   stdin            (optional) standard input, else /dev/null
#   env              (optional) VAR=value lines, exported for the command
#   scratch          (optional, empty) run in a fresh copy of the case
#                    directory, for commands that write files
#   expected.stdout  expected.stderr  expected.status
# With BOPT_GOLDEN_UPDATE=1 the expectations are rewritten from the output.
set -eu
LC_ALL=C
TZ=UTC
export LC_ALL TZ

bopt=$1
data=$2
shift 2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

update=${BOPT_GOLDEN_UPDATE:-0}
# No configuration but the case's own.
. "$(dirname "$0")/../cli/isolate.sh"
isolate "$tmp/xdg"

if [ $# -eq 0 ]; then
	set -- $(cd "$data" && for d in */*/; do [ -f "$d/cmd" ] && echo "${d%/}"; done)
fi

echo "1..$#"
n=0
failed=0
for case in "$@"; do
	n=$((n + 1))
	dir=$data/$case
	input=/dev/null
	[ -f "$dir/stdin" ] && input=$dir/stdin
	run=$dir
	if [ -f "$dir/scratch" ]; then
		rm -rf "$tmp/scratch"
		cp -R "$dir" "$tmp/scratch"
		run=$tmp/scratch
	fi
	status=0
	(cd "$run" && if [ -f env ]; then set -a && . ./env && set +a; fi &&
		eval "set -- $(cat cmd)" && exec "$bopt" "$@") \
		<"$input" >"$tmp/stdout" 2>"$tmp/stderr" || status=$?
	echo "$status" >"$tmp/status"
	if [ "$update" = 1 ]; then
		cp "$tmp/stdout" "$dir/expected.stdout"
		cp "$tmp/stderr" "$dir/expected.stderr"
		cp "$tmp/status" "$dir/expected.status"
	fi
	ok=1
	for f in stdout stderr status; do
		if ! diff -u "$dir/expected.$f" "$tmp/$f" >"$tmp/diff" 2>&1; then
			ok=0
			sed 's/^/# /' "$tmp/diff"
		fi
	done
	if [ $ok = 1 ]; then
		echo "ok $n - $case"
	else
		echo "not ok $n - $case"
		failed=$((failed + 1))
	fi
done
[ $failed = 0 ]
