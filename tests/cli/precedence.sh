#!/bin/sh
# Configuration precedence (issue 17): option > environment > file >
# built-in, on the commands that use each key: the result with a configured
# value equals the result with the same value given as an option, and
# differs from the built-in one. TAP.
#
#   precedence.sh BOPT TESTDATA
set -eu
bopt=$1
data=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/isolate.sh"
isolate "$tmp/xdg"
n=0
failed=0

# same NAME "ENV" "ARGS-A" "ARGS-B": the outputs of bopt ARGS-A (with ENV)
# and bopt ARGS-B (without) are equal and non-empty. differ: they differ.
compare() {
	want=$1 name=$2 envs=$3 a=$4 b=$5
	n=$((n + 1))
	# shellcheck disable=SC2086
	env $envs "$bopt" $a >"$tmp/a" 2>&1 || true
	# shellcheck disable=SC2086
	"$bopt" $b >"$tmp/b" 2>&1 || true
	if [ -s "$tmp/a" ] && { cmp -s "$tmp/a" "$tmp/b"; [ $? = "$want" ]; }; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		diff "$tmp/a" "$tmp/b" | sed 's/^/# /' | head -20
		failed=$((failed + 1))
	fi
}
same() { compare 0 "$@"; }
differ() { compare 1 "$@"; }

pattern=$data/cost/builtin/pattern.json
snapshots=$data/cost/snapshots-json/snapshots.ndjson
kafka=$data/omb/kafka-latency-default-sync-200k.json
pulsar=$data/omb/pulsar-latency-default-sync-200k.json
now=--now=2026-07-19T12:00:00Z
cost="cost --pattern $pattern -f ndjson"
echo '{"cost_weight_latency": 0.9, "cost_weight_resource_usage": 0.6}' >"$tmp/w.json"

same "file weights = --weights" "" "$cost --config $tmp/w.json" \
	"$cost --weights latency=0.9,resource=0.6"
differ "file weights differ from the built-in ones" "" "$cost --config $tmp/w.json" "$cost"
same "environment over file" "BOPT_COST_WEIGHT_LATENCY=0.5" "$cost --config $tmp/w.json" \
	"$cost --weights latency=0.5,resource=0.6"
same "--weights over environment and file, name by name" "BOPT_COST_WEIGHT_LATENCY=0.5" \
	"$cost --config $tmp/w.json --weights latency=0.1" \
	"$cost --weights latency=0.1,resource=0.6"
same "\$BOPT_CONFIG" "BOPT_CONFIG=$tmp/w.json" "$cost" \
	"$cost --weights latency=0.9,resource=0.6"
mkdir -p "$tmp/xdg/bopt"
echo '{"cost_weight_throughput": 2}' >"$tmp/xdg/bopt/config.json"
same "the XDG file" "" "$cost" "$cost --weights throughput=2"
same "--config over \$BOPT_CONFIG over the XDG file" "BOPT_CONFIG=$tmp/w.json" \
	"$cost --config $tmp/xdg/bopt/config.json" "$cost --weights throughput=2"
rm "$tmp/xdg/bopt/config.json"

recommend="recommend --pattern $pattern --metrics $snapshots $now -f ndjson --explain"
echo '{"alpha": 0.5}' >"$tmp/a.json"
same "file alpha = --alpha" "" "$recommend --config $tmp/a.json" "$recommend --alpha 0.5"
differ "file alpha differs from the built-in one" "" "$recommend --config $tmp/a.json" \
	"$recommend"
same "--alpha over BOPT_ALPHA" "BOPT_ALPHA=0.5" "$recommend --alpha 0.9" \
	"$recommend --alpha 0.9"
same "BOPT_ALPHA over the file" "BOPT_ALPHA=0.9" "$recommend --config $tmp/a.json" \
	"$recommend --alpha 0.9"

printf '{"metrics": ["%s", "%s"]}\n' "$kafka" "$pulsar" >"$tmp/m.json"
plain="recommend --pattern $pattern $now -f ndjson"
same "file metrics = --metrics" "" "$plain --config $tmp/m.json" \
	"$plain --metrics $kafka --metrics $pulsar"
same "--metrics replaces the file's" "" "$plain --config $tmp/m.json --metrics $kafka" \
	"$plain --metrics $kafka"
same "BOPT_METRICS" "BOPT_METRICS=$kafka:$pulsar" "$plain" \
	"$plain --metrics $kafka --metrics $pulsar"

# bopt's own defaults: headroom, scoring, prices, max_disorder.
costj="cost --pattern $pattern -f json"
echo '{"headroom": 80}' >"$tmp/h.json"
same "file headroom = --headroom" "" "$costj --config $tmp/h.json" "$costj --headroom 80"
differ "file headroom differs from the built-in one" "" "$costj --config $tmp/h.json" "$costj"
same "BOPT_HEADROOM over the file" "BOPT_HEADROOM=70" "$costj --config $tmp/h.json" \
	"$costj --headroom 70"
same "--headroom over BOPT_HEADROOM and the file" "BOPT_HEADROOM=70" \
	"$costj --config $tmp/h.json --headroom 90" "$costj --headroom 90"
echo '{"scoring": "reference"}' >"$tmp/r.json"
same "file scoring = --scoring" "" "$costj --config $tmp/r.json" "$costj --scoring reference"
same "--scoring over the file" "" "$costj --config $tmp/r.json --scoring bopt" "$costj"
same "BOPT_SCORING" "BOPT_SCORING=reference" "$recommend" "$recommend --scoring reference"
printf '{"prices": "%s"}\n' "$data/cost/prices/prices.json" >"$tmp/p.json"
same "file prices = --prices" "" "$costj --config $tmp/p.json" \
	"$costj --prices $data/cost/prices/prices.json"
differ "file prices differ from the built-in ones" "" "$costj --config $tmp/p.json" "$costj"
echo '{"prices": null}' >"$tmp/p0.json"
same "\"prices\": null is the built-in prices" "" "$costj --config $tmp/p0.json" "$costj"
# One event a second behind: repaired within the built-in 10 s, late at 0.
awk 'NR == 3 { l = $0; next } NR == 4 { print; print l; next } { print }' \
	"$data/analyze/json/trace.ndjson" >"$tmp/disorder.ndjson"
costt="cost --trace $tmp/disorder.ndjson --no-progress -f ndjson"
echo '{"max_disorder": {"secs": 0, "nanos": 0}}' >"$tmp/d.json"
same "file max_disorder = --max-disorder" "" "$costt --config $tmp/d.json" \
	"$costt --max-disorder 0"
differ "file max_disorder differs from the built-in one" "" "$costt --config $tmp/d.json" \
	"$costt"
same "--max-disorder over BOPT_MAX_DISORDER" "BOPT_MAX_DISORDER=0" "$costt --max-disorder 10s" \
	"$costt"
analyze="analyze -f json --no-progress $tmp/disorder.ndjson"
same "analyze: file max_disorder = --max-disorder" "" "$analyze --config $tmp/d.json" \
	"$analyze --max-disorder 0"
same "analyze: --max-disorder over the file" "" "$analyze --config $tmp/d.json --max-disorder 10s" \
	"$analyze"
differ "analyze: BOPT_MAX_DISORDER differs from the built-in one" "BOPT_MAX_DISORDER=0" \
	"$analyze" "$analyze"
# partition_by: the bursty trace at x10 keyed by variant queues far longer
# on Kinesis's 16 shards than round-robin.
recq="recommend --trace $data/examples/queue-bursty.ndjson.gz --no-progress -f ndjson --scale 10 --now 2026-07-19T12:00:00Z"
echo '{"partition_by": "variant"}' >"$tmp/k.json"
same "file partition_by = --partition-by" "" "$recq --config $tmp/k.json" \
	"$recq --partition-by variant"
differ "file partition_by differs from the built-in one" "" "$recq --config $tmp/k.json" "$recq"
same "--partition-by over BOPT_PARTITION_BY and the file" "BOPT_PARTITION_BY=variant" \
	"$recq --config $tmp/k.json --partition-by round-robin" "$recq"
same "BOPT_PARTITION_BY over the file" "BOPT_PARTITION_BY=round-robin" \
	"$recq --config $tmp/k.json" "$recq"
n=$((n + 1))
if env BOPT_HEADROOM=70 "$bopt" config --show-origin --config "$tmp/h.json" >"$tmp/origin" &&
		grep -qx "env:BOPT_HEADROOM	headroom=70.0" "$tmp/origin" &&
		"$bopt" config --show-origin --config "$tmp/r.json" | grep -qx "file:$tmp/r.json:1	scoring=reference"; then
	echo "ok $n - bopt config --show-origin: the new keys' origins"
else
	echo "not ok $n - bopt config --show-origin:"
	sed 's/^/# /' "$tmp/origin"
	failed=$((failed + 1))
fi

# min_samples_for_prediction: Kafka has 24 training points in --evaluate and
# 30 in the model; Nats 5 and 6.
points=$data/train-data/sample.ndjson
echo '{"min_samples_for_prediction": 5}' >"$tmp/s5.json"
echo '{"min_samples_for_prediction": 100}' >"$tmp/s100.json"
n=$((n + 1))
kafka_mae=$("$bopt" train --evaluate -f json --config "$tmp/s100.json" "$points" |
	jq '.backends[] | select(.backend_type == "Kafka") | .latency.regression_mae')
nats_mae=$("$bopt" train --evaluate -f json --config "$tmp/s5.json" "$points" |
	jq '.backends[] | select(.backend_type == "Nats") | .latency.regression_mae')
nats_default=$("$bopt" train --evaluate -f json "$points" |
	jq '.backends[] | select(.backend_type == "Nats") | .latency.regression_mae')
if [ "$kafka_mae" = null ] && [ "$nats_mae" != null ] && [ "$nats_default" = null ]; then
	echo "ok $n - min_samples_for_prediction sets --evaluate's minimum"
else
	echo "not ok $n - min_samples_for_prediction: Kafka $kafka_mae, Nats $nats_mae/$nats_default"
	failed=$((failed + 1))
fi
n=$((n + 1))
"$bopt" train -q -m "$tmp/model.json" "$points"
fitted=$("$bopt" train --show -f json -m "$tmp/model.json" |
	jq -c '[.backends[] | .latency != null]')
unfitted=$(BOPT_MIN_SAMPLES_FOR_PREDICTION=31 "$bopt" train --show -f json \
	-m "$tmp/model.json" | jq -c '[.backends[] | .latency != null]')
source=$(BOPT_MIN_SAMPLES_FOR_PREDICTION=31 "$bopt" recommend -f ndjson \
	--pattern "$data/recommend/model/pattern.json" --model "$tmp/model.json" $now |
	jq -r 'select(.backend_type == "Kafka") | .prediction_source')
source_default=$("$bopt" recommend -f ndjson --pattern "$data/recommend/model/pattern.json" \
	--model "$tmp/model.json" $now | jq -r 'select(.backend_type == "Kafka") | .prediction_source')
if [ "$fitted" = "[true,false]" ] && [ "$unfitted" = "[false,false]" ] &&
		[ "$source" = similar ] && [ "$source_default" = model ]; then
	echo "ok $n - min_samples_for_prediction sets the model's minimum points"
else
	echo "not ok $n - model minimum: $fitted $unfitted $source $source_default"
	failed=$((failed + 1))
fi

echo "1..$n"
[ $failed = 0 ]
