#!/bin/sh
# The progress line: shown on standard error when it is a terminal (here a
# pseudo-terminal made by script(1)), never on standard output, never with
# --no-progress or when standard error is not a terminal.
#
#   progress.sh BOPT GENTRACE
set -eu
bopt=$1
gen=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
"$gen" -p poisson -r 5000 -b 20000000 -s 5 >"$tmp/t.ndjson"
# A pause in the middle of the input makes the work last past the
# half-second delay before the first drawing.
slow="(head -c 8000000 $tmp/t.ndjson; sleep 1; tail -c +8000001 $tmp/t.ndjson)"
echo "1..4"
script -qec "$slow | $bopt analyze - >$tmp/out1" "$tmp/tty1" >/dev/null
if grep -q 'MiB/s' "$tmp/tty1"; then echo "ok 1 - progress on a terminal"; else echo "not ok 1 - no progress on a terminal"; fi
if grep -q 'MiB/s' "$tmp/out1" || grep -q "$(printf '\r')" "$tmp/out1"; then
	echo "not ok 2 - progress reached stdout"
else
	echo "ok 2 - stdout is clean"
fi
script -qec "$slow | $bopt analyze --no-progress - >$tmp/out2" "$tmp/tty2" >/dev/null
if grep -q 'MiB/s' "$tmp/tty2"; then echo "not ok 3 - progress despite --no-progress"; else echo "ok 3 - --no-progress"; fi
"$bopt" analyze "$tmp/t.ndjson" >"$tmp/out3" 2>"$tmp/err3"
if [ -s "$tmp/err3" ]; then echo "not ok 4 - output on a non-terminal stderr"; else echo "ok 4 - silent when stderr is a file"; fi
cmp -s "$tmp/out1" "$tmp/out3" || { echo "# outputs differ"; exit 1; }
