#!/bin/sh
# Concurrent appends to one decision history: N processes started at once
# record one decision each; the history must then hold exactly N intact
# lines that bopt stats parses as N decisions. Prints TAP.
#
#   concurrent-record.sh BOPT RECORDER [N]
#
# RECORDER is tests/gen/record.c (bopt-record HISTORY INDEX PAD), which calls
# history_record with lines padded far beyond PIPE_BUF, or the word
# "recommend" for the real command, bopt recommend --record.
set -eu
LC_ALL=C
export LC_ALL

bopt=$1
recorder=$2
n=${3:-8}
pad=200000 # bytes added to each line, far beyond PIPE_BUF

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
history=$tmp/history.ndjson

# The one command that records decision number $1 into $history.
if [ "$recorder" = recommend ]; then
	cat >"$tmp/pattern.json" <<'PATTERN'
{"pattern_type":"Steady","event_rate":2000.0,"batch_size":500,"event_size_bytes":365,
 "temporal_distribution":{"Normal":{"mean":0.5,"std_dev":0.1}},
 "data_characteristics":{"compression_ratio":0.7,"serialization_overhead":0.1,
   "has_complex_structures":false,"requires_ordering":false,"has_time_windows":false,
   "requires_deduplication":true},
 "consistency_requirements":"AtLeastOnce"}
PATTERN
	record() {
		"$bopt" recommend --pattern "$tmp/pattern.json" --now "2026-07-19T12:00:0$(($1 % 10))Z" \
			--record "$history" >/dev/null
	}
else
	record() { "$recorder" "$history" "$1" "$pad"; }
fi

# All start at once: each child waits for a line on one pipe; once all are
# waiting, a single write hands out the N lines.
mkfifo "$tmp/go"
exec 3<>"$tmp/go"
pids=
i=0
while [ "$i" -lt "$n" ]; do
	(
		: >"$tmp/ready.$i"
		read -r _ <&3
		exec 3<&-
		record "$i"
	) >"$tmp/out.$i" 2>&1 &
	pids="$pids $!"
	i=$((i + 1))
done
while [ "$(find "$tmp" -name 'ready.*' | wc -l)" -lt "$n" ]; do
	sleep 0.01
done
yes go | head -n "$n" >&3

echo "1..4"
failed=0
check() {
	if [ "$2" = 0 ]; then
		echo "ok $1"
	else
		echo "not ok $1"
		failed=$((failed + 1))
	fi
}

bad=0
for pid in $pids; do
	wait "$pid" || bad=$((bad + 1))
done
[ "$bad" = 0 ] || cat "$tmp"/out.* | sed 's/^/# /'
check "1 - all $n recorders succeeded" "$bad"

lines=$(wc -l <"$history")
echo "# $lines lines, $(wc -c <"$history") bytes"
[ "$lines" -eq "$n" ] && r=0 || r=1
check "2 - exactly $n lines" "$r"

[ -z "$(tail -c 1 "$history")" ] && r=0 || r=1
check "3 - the history ends with a whole line" "$r"

r=0
"$bopt" stats -f json "$history" >"$tmp/stats.json" 2>"$tmp/stats.err" || r=1
grep -q "\"total_decisions\": $n," "$tmp/stats.json" || r=1
sed 's/^/# /' "$tmp/stats.err"
check "4 - bopt stats parses $n decisions" "$r"

[ "$failed" = 0 ]
