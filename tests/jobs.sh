#!/bin/sh
# The analysis does not depend on how the trace is read: --jobs 1, 2 and 3
# on a file, standard input (a file or a pipe), gzip (one member, several,
# BGZF where bgzip is installed) with 1 or 2 workers give byte-identical
# JSON, for a trace of every classifier class, each spanning several
# blocks, one with disorder.
#
#   jobs.sh BOPT GENTRACE
set -eu
bopt=$1
gen=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

set -- \
	"constant -r 50 -n 30000" \
	"constant -r 20000 -n 40000" \
	"jitter -r 500 -n 30000" \
	"poisson -r 1000 -n 40000 --disorder 20" \
	"onoff -r 600 --on 0.05 --off 0.1 -n 40000" \
	"sinusoid -r 500 --period 10 -n 40000" \
	"batches --batch 500 --period 10 -n 30000"
echo "1..$#"
n=0
failed=0
for spec in "$@"; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	"$gen" -p $spec -s "$n" >"$tmp/t.ndjson"
	gzip -c "$tmp/t.ndjson" >"$tmp/t.ndjson.gz"
	split -l 7000 "$tmp/t.ndjson" "$tmp/part."
	for f in "$tmp"/part.*; do gzip -c "$f"; done >"$tmp/members.gz"
	rm -f "$tmp"/part.*
	ways="--jobs 2 $tmp/t.ndjson|--jobs 3 $tmp/t.ndjson|$tmp/t.ndjson.gz|--jobs 1 $tmp/t.ndjson.gz"
	ways="$ways|--jobs 2 $tmp/members.gz|-|pipe"
	if command -v bgzip >/dev/null; then
		bgzip -c "$tmp/t.ndjson" >"$tmp/t.bgz"
		ways="$ways|$tmp/t.bgz"
	fi
	"$bopt" analyze -f json --jobs 1 "$tmp/t.ndjson" >"$tmp/ref.json"
	ok=1
	IFS='|'
	for how in $ways; do
		IFS=' '
		if [ "$how" = pipe ]; then
			cat "$tmp/t.ndjson" | "$bopt" analyze -f json - >"$tmp/out.json"
		else
			# shellcheck disable=SC2086
			"$bopt" analyze -f json $how <"$tmp/t.ndjson" >"$tmp/out.json"
		fi
		if ! cmp -s "$tmp/ref.json" "$tmp/out.json"; then
			echo "# $spec: analyze $how differs from --jobs 1"
			diff "$tmp/ref.json" "$tmp/out.json" | sed 's/^/# /' | head -20
			ok=0
		fi
	done
	type=$(sed -n 's/.*"pattern_type": "\(.*\)".*/\1/p' "$tmp/ref.json")
	if [ $ok = 1 ]; then
		echo "ok $n - $spec ($type)"
	else
		echo "not ok $n - $spec"
		failed=$((failed + 1))
	fi
done
[ $failed = 0 ]
