#!/bin/sh
# Issue 19: a --scale sweep of recommend's predicted p99 (bopt(1), QUEUEING).
# At a fixed sizing, more load never lowers the predicted p99, and the sweep
# must rise somewhere; as the load grows the plan never shrinks; at the same
# sizing and scale, the batched trace never predicts a lower p99 than the
# Poisson one of the same nominal rate. TAP.
#
#   queue-scale.sh BOPT TESTDATA
set -eu
bopt=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/isolate.sh"
isolate "$tmp/xdg"

scales="0.5 1 2 4 8 16 24 30 40"
n=0
failed=0
result() { # NAME OK(0/1) [DETAIL FILE]
	n=$((n + 1))
	if [ "$2" = 0 ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		[ $# -lt 3 ] || sed 's/^/# /' "$3"
		failed=$((failed + 1))
	fi
}

# One line per scale: scale units p99, for trace $1 and backend $2.
sweep() {
	for s in $scales; do
		"$bopt" recommend -f json --no-progress --trace "$data/examples/queue-$1.ndjson.gz" \
			--headroom 95 --backend "$2" --scale "$s" |
			jq -r --arg s "$s" '(.recommendations + .ineligible)[0] |
				"\($s) \(.capacity.units) \(.queueing.latency_ms.p99)"'
	done
}

for trace in bursty poisson; do
	for backend in Kafka Kinesis; do
		sweep $trace $backend >"$tmp/$trace-$backend"
		st=0
		awk -v want="$(echo $scales | wc -w)" '
			NF != 3 || $3 == "null" { bad = 1 }
			NR > 1 && $2 < units { bad = 1 }            # the plan shrank
			NR > 1 && $2 == units && $3 < p99 { bad = 1 } # p99 fell at a fixed sizing
			NR > 1 && $2 == units && $3 > p99 { rose = 1 }
			{ units = $2; p99 = $3 }
			END { exit !(NR == want && !bad && rose) }' "$tmp/$trace-$backend" || st=1
		result "$trace on $backend: p99 monotone in --scale at each sizing" $st \
			"$tmp/$trace-$backend"
	done
done

for backend in Kafka Kinesis; do
	paste -d ' ' "$tmp/bursty-$backend" "$tmp/poisson-$backend" >"$tmp/pair-$backend"
	st=0
	awk '$2 == $5 && $3 < $6 { bad = 1 } END { exit bad }' "$tmp/pair-$backend" || st=1
	result "$backend: the batched trace never predicts a lower p99 at the same sizing" $st \
		"$tmp/pair-$backend"
done

echo "1..$n"
[ "$failed" -eq 0 ]
