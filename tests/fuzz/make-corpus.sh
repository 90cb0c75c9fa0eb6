#!/bin/sh
# Rebuilds the seed corpora in tests/fuzz/corpus/NAME/ from the golden
# inputs under testdata/ (small files, or single lines of them). Each seed
# is named by its SHA-1, as libFuzzer names the inputs it keeps.
#
#   tests/fuzz/make-corpus.sh    (from the top of the source tree)
set -eu
LC_ALL=C
export LC_ALL
out=tests/fuzz/corpus
td=testdata

# seed NAME < data: stores standard input as one seed of NAME, unless it is
# empty or 32 KiB or more.
seed() {
	tmp=$(mktemp)
	cat >"$tmp"
	if [ -s "$tmp" ] && [ "$(wc -c <"$tmp")" -lt 32768 ]; then
		mkdir -p "$out/$1"
		chmod 644 "$tmp"
		mv "$tmp" "$out/$1/$(sha1sum <"$tmp" | cut -c1-40)"
	else
		rm -f "$tmp"
	fi
}

# lines NAME FILE...: every line of the (possibly gzip) files, one seed each.
lines() {
	name=$1
	shift
	for f in "$@"; do
		{ gzip -cdf "$f" 2>/dev/null || true; } | head -n 40 | while IFS= read -r line; do
			printf '%s' "$line" | seed "$name"
		done
	done
}

# files NAME FILE...: each file whole.
files() {
	name=$1
	shift
	for f in "$@"; do
		seed "$name" <"$f"
	done
}

rm -rf "$out"
lines trace-line $td/analyze/*/*.ndjson $td/analyze/*/*.ndjson.gz
gzip -cd $td/examples/trace.ndjson.gz | head -n 20 >"${TMPDIR:-/tmp}/bopt-trace-head"
lines trace-line "${TMPDIR:-/tmp}/bopt-trace-head"
rm -f "${TMPDIR:-/tmp}/bopt-trace-head"

# The scanner's differential harness: the trace lines, a few whole
# documents, and strings with escapes and UTF-8 at a 64-byte chunk's edge.
for f in "$out"/trace-line/*; do
	seed jsonscan <"$f"
done
files jsonscan $td/analyze/json/expected.stdout $td/*/model.json
printf '%s' '{"a":"\u00e9\ud83d\ude00","b":[1,-2.5e+3,true,false,null,{"c":"x\\\"y"}]}' | seed jsonscan
printf '"%62s\303\251%30s\\n"' '' '' | seed jsonscan

for f in $td/*/*.ndjson $td/*/*.ndjson.gz $td/*/*/*.ndjson $td/*/*/*.ndjson.gz $td/*/*/stdin; do
	gzip -cdf "$f" 2>/dev/null || true
done | grep -o '"[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][Tt ][^"]*"' | tr -d '"' |
	sort -u | head -n 60 | while IFS= read -r ts; do
	printf '%s' "$ts" | seed timestamp
done

files metrics $td/*/*/snapshots.ndjson $td/recommend/stdin/stdin
files omb $td/recommend/omb-*/*.json
# The real OMB results are too large as seeds: keep the top-level fields,
# the first three windows of every array and three entries of every nested
# object (the latency quantiles).
for f in $td/omb/*.json; do
	jq 'walk(if type == "array" then .[:3]
		elif type == "object" and (has("driver") | not) then to_entries[:3] | from_entries
		else . end)' "$f" | seed omb
done

files pattern $td/*/*/pattern.json $td/analyze/json/expected.stdout \
	$td/analyze/example-json/expected.stdout
files model $td/*/model.json $td/*/*/model.json
# Summary documents of the small golden traces, made by the bopt built in
# $BOPT (default build/bopt); skipped when there is none.
bopt=${BOPT:-build/bopt}
if [ -x "$bopt" ]; then
	for f in $td/analyze/*/trace.ndjson; do
		"$bopt" analyze -f summary --no-progress "$f" 2>/dev/null | seed summary
	done
fi
files config $td/config/*/*.json
files prices $td/*/*/prices.json
lines history-line $td/stats/*/history.ndjson $td/stats/*/history.ndjson.gz \
	$td/stats/*/stdin $td/examples/history.ndjson
