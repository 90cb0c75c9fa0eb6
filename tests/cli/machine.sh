#!/bin/sh
# Machine outputs: every JSON output validated against its schema
# in schemas/, CSV parsed back and compared with NDJSON, -q, -o, -V. TAP.
#
#   machine.sh BOPT TESTDATA SCHEMAS VALIDATE 'cJSON X, zlib Y'
# (the versions meson found)
set -eu
bopt=$1
data=$2
schemas=$3
validate=$4
libraries=$5

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
. "$(dirname "$0")/isolate.sh"
isolate "$tmp/xdg"

n=0
failed=0
check() { # NAME COMMAND...: ok when the command succeeds
	name=$1
	shift
	n=$((n + 1))
	if "$@" >"$tmp/check.out" 2>&1; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		sed 's/^/# /' "$tmp/check.out"
		failed=$((failed + 1))
	fi
}

pattern=$data/cost/builtin/pattern.json
trace=$data/examples/trace.ndjson.gz
omb="--metrics $data/omb/kafka-latency-default-sync-200k.json --metrics $data/omb/pulsar-latency-default-sync-200k.json --now 2026-07-19T12:00:00Z"
# Configurations: labelled candidates, a throughput-only one borrowing its
# backend's latency runs, a saturated one, built-in profiles for the rest.
labelled="--metrics classic=$data/omb/rabbitmq-latency-classic-30k.json --metrics mirrored=$data/omb/rabbitmq-throughput-mirrored.json --metrics $data/omb/pulsar-throughput-default-sync-raid0.json --now 2026-07-19T12:00:00Z --all-backends"
points=$data/train-data/sample.ndjson
mkdir -p "$tmp/xdg/bopt"

# Each JSON document against its schema.
schema_case() { # NAME SCHEMA KIND BOPT-ARGS...
	name=$1 schema=$2 kind=$3
	shift 3
	"$bopt" "$@" >"$tmp/out" &&
		"$validate" "$schemas/$schema.schema.json" "$kind" "$tmp/out"
}
check "config json, built-in" schema_case config-builtin config json config -f json
cat >"$tmp/config.json" <<'JSON'
{"cost_weight_latency": 0.5, "alpha": 0.2,
 "optimization_interval": {"secs": 60, "nanos": 0}, "metrics": ["a.ndjson"]}
JSON
check "config json, file and environment" env BOPT_MIN_SAMPLES_FOR_PREDICTION=20 \
	"$bopt" config -f json --config "$tmp/config.json" -o "$tmp/config-out.json"
check "config json validates" "$validate" "$schemas/config.schema.json" json \
	"$tmp/config-out.json"
check "config json: config member is itself a valid configuration" sh -c \
	"jq .config '$tmp/config-out.json' >'$tmp/round.json' &&
	'$bopt' config -f json --config '$tmp/round.json' | jq -e '.config == $(jq -c .config "$tmp/config-out.json")'"
check "cost json" schema_case cost cost json cost -f json --pattern "$pattern"
check "cost ndjson" schema_case cost-ndjson cost-row ndjson cost -f ndjson --pattern "$pattern"
check "recommend json --explain" schema_case recommend recommend json recommend -f json \
	--pattern "$pattern" --explain
check "recommend json, OMB" schema_case recommend-omb recommend json recommend -f json \
	--pattern "$pattern" $omb
check "recommend json, OMB configurations" schema_case recommend-labelled recommend json \
	recommend -f json --trace "$trace" $labelled --explain
check "recommend json --scoring reference, OMB configurations" schema_case \
	recommend-reference-labelled recommend-reference json recommend -f json --scoring reference \
	--trace "$trace" $labelled
check "cost json, OMB configurations" schema_case cost-labelled cost json cost -f json \
	--trace "$trace" $labelled
check "recommend json, a trace (queueing)" schema_case recommend-trace recommend json recommend \
	-f json --trace "$data/examples/queue-bursty.ndjson.gz" --no-progress
check "recommend json, keyed by variant at x10" schema_case recommend-variant recommend json \
	recommend -f json --trace "$data/examples/queue-bursty.ndjson.gz" --no-progress --scale 10 \
	--partition-by variant
check "recommend json --scoring reference" schema_case recommend-reference \
	recommend-reference json recommend -f json --scoring reference --pattern "$pattern" --explain
check "recommend json --scoring reference, OMB" schema_case recommend-reference-omb \
	recommend-reference json recommend -f json --scoring reference --pattern "$pattern" $omb
check "recommend ndjson" schema_case recommend-ndjson recommend-row ndjson recommend \
	-f ndjson --pattern "$pattern"
check "analyze json" schema_case analyze analyze json analyze -f json "$trace"
check "cost json --scoring reference" schema_case cost-reference cost-reference json cost \
	-f json --scoring reference --pattern "$pattern"
check "cost json --scoring reference, OMB configurations" schema_case cost-reference-labelled \
	cost-reference json cost -f json --scoring reference --trace "$trace" $labelled
check "compare json" schema_case compare compare json compare -f json "$pattern" "$trace" \
	--no-progress
check "analyze json --per-file" schema_case analyze-per-file analyze json analyze -f json \
	--per-file "$trace" "$data/examples/queue-bursty.ndjson.gz"
check "analyze --series json" schema_case series series json analyze --series -f json \
	--bin 1m "$trace"
check "analyze --series ndjson" schema_case series-ndjson series-row ndjson analyze --series \
	-f ndjson --bin 1m "$trace"
check "merge json" sh -c "'$bopt' analyze -f summary -o '$tmp/t.sum' '$trace' &&
	'$bopt' merge -f json '$tmp/t.sum' >'$tmp/merge.json' &&
	'$validate' '$schemas/analyze.schema.json' json '$tmp/merge.json'"
check "analyze json is a --pattern (the envelope read back)" sh -c \
	"'$bopt' analyze -f json '$trace' >'$tmp/analysis.json' &&
	'$bopt' recommend -f json --pattern '$tmp/analysis.json' |
	jq -e --slurpfile a '$tmp/analysis.json' '.workload == \$a[0].pattern'"
check "stats json" schema_case stats stats json stats -f json "$data/examples/history.ndjson"
check "stats json, empty" schema_case stats-empty stats json stats -f json /dev/null
check "train json" schema_case train train json train -f json -m "$tmp/model.json" "$points"
check "train --show json" schema_case train-show train json train --show -f json \
	-m "$tmp/model.json"
check "train --evaluate json" schema_case train-evaluate train json train --evaluate \
	-f json "$points"

# CSV read back by a CSV reader equals the NDJSON rows.
csv_case() { # SCHEMA BOPT-ARGS...
	schema=$1
	shift
	"$bopt" "$@" -f csv >"$tmp/rows.csv" && "$bopt" "$@" -f ndjson >"$tmp/rows.ndjson" &&
		"$validate" "$schemas/$schema.schema.json" csv "$tmp/rows.csv" "$tmp/rows.ndjson"
}
check "cost csv = ndjson" csv_case cost-row cost --pattern "$pattern"
check "cost csv = ndjson, OMB" csv_case cost-row cost --pattern "$pattern" $omb
check "recommend csv = ndjson" csv_case recommend-row recommend --pattern "$pattern"
check "recommend csv = ndjson, trace, --top 2" csv_case recommend-row recommend \
	--trace "$trace" --top 2
check "recommend csv = ndjson, OMB configurations" csv_case recommend-row recommend \
	--trace "$trace" $labelled
check "analyze --series csv = ndjson" csv_case series-row analyze --series --bin 1m "$trace"
check "stats csv = ndjson" csv_case stats-row stats "$data/examples/history.ndjson"
check "stats ndjson: share = decisions / total_decisions, the usage adds up" sh -c \
	"'$bopt' stats -f json '$data/examples/history.ndjson' >'$tmp/stats.json' &&
	'$bopt' stats -f ndjson '$data/examples/history.ndjson' | jq -s -e --slurpfile s '$tmp/stats.json' \
	'length == 7 and (map(.decisions) | add) == \$s[0].total_decisions and
	all(.[]; .share == .decisions / \$s[0].total_decisions and
		.decisions == \$s[0].backend_usage[.backend_type])'"
check "stats csv, empty history: the header only" sh -c \
	"[ \"\$('$bopt' stats -f csv /dev/null)\" = \"\$(printf 'backend_type,decisions,share\\r')\" ]"
check "train --show csv = ndjson" csv_case train-row train --show -m "$tmp/model.json"
check "train csv = ndjson (a refit of no new points)" csv_case train-row train \
	-m "$tmp/model.json" /dev/null
check "train --evaluate csv = ndjson" csv_case train-evaluation-row train --evaluate "$points"
check "train ndjson: the figures of -f json" sh -c \
	"'$bopt' train --show -f json -m '$tmp/model.json' >'$tmp/train.json' &&
	'$bopt' train --show -f ndjson -m '$tmp/model.json' | jq -s -e --slurpfile j '$tmp/train.json' \
	'. == [\$j[0].backends[] as \$b | (\"latency\", \"throughput\") as \$t |
		{backend_type: \$b.backend_type, points: \$b.points, target: \$t,
		cv_r2: \$b[\$t].cv_r2, cv_rmse: \$b[\$t].cv_rmse,
		prediction: (if \$b[\$t].qualified then \"model\" else \"similar\" end)}]'"
check "cost csv = ndjson, OMB configurations" csv_case cost-row cost --trace "$trace" $labelled

# -q: nothing on standard output, the exit status kept.
quiet_case() { # STATUS BOPT-ARGS...
	want=$1
	shift
	status=0
	"$bopt" "$@" >"$tmp/q.out" 2>"$tmp/q.err" || status=$?
	[ "$status" = "$want" ] || { echo "exit $status, expected $want"; return 1; }
	[ ! -s "$tmp/q.out" ] || { echo "stdout:"; cat "$tmp/q.out"; return 1; }
}
check "-q recommend: exit 0, no output" quiet_case 0 recommend -q --pattern "$pattern"
check "-q recommend --min-score: exit 3" quiet_case 3 recommend -q --pattern "$pattern" \
	--min-score 0.99
check "-q recommend --expect: exit 3, reason on stderr" sh -c \
	"status=0; '$bopt' recommend --quiet --pattern '$pattern' \
	--expect Memory >'$tmp/x.out' 2>'$tmp/x.err' || status=\$?;
	[ \$status = 3 ] && [ ! -s '$tmp/x.out' ] && grep -q 'not Memory' '$tmp/x.err'"
check "-q analyze, stats, train, config, completion" sh -c \
	"for args in 'analyze $trace' 'stats $data/examples/history.ndjson' \
		'train --evaluate $points' 'config --show-origin' 'completion bash' 'cost --pattern $pattern'; do
		out=\$('$bopt' \${args%% *} -q \${args#* }) || exit 1
		[ -z \"\$out\" ] || exit 1
	done"
check "-q keeps usage errors" quiet_case 2 cost -q --pattern "$pattern" --alpha 2

# -o: the file holds what standard output would; failures leave it alone.
# (the pattern needs AtLeastOnce: six backends are eligible, Memory is not)
check "-o equals standard output" sh -c \
	"'$bopt' cost --pattern '$pattern' -f csv -o '$tmp/o.csv' &&
	'$bopt' cost --pattern '$pattern' -f csv | cmp - '$tmp/o.csv'"
check "-o on failure leaves the file" sh -c \
	"echo keep >'$tmp/keep' && ! '$bopt' cost --pattern /nonexistent -o '$tmp/keep' 2>/dev/null &&
	[ \"\$(cat '$tmp/keep')\" = keep ]"
check "-o with exit 3 writes the file" sh -c \
	"'$bopt' recommend --pattern '$pattern' --min-score 0.99 -f ndjson -o '$tmp/p.ndjson' 2>/dev/null;
	[ \$? = 3 ] && [ \$(wc -l <'$tmp/p.ndjson') = 6 ]"
check "-o into a missing directory fails" sh -c \
	"! '$bopt' cost --pattern '$pattern' -o '$tmp/no/such/dir' 2>'$tmp/e' && grep -q 'no/such' '$tmp/e'"

# -V is --version: the version, the features and the libraries' versions.
check "-V equals --version" sh -c "'$bopt' -V | cmp - \"\$('$bopt' --version >'$tmp/v'; echo '$tmp/v')\""
check "--version names libraries" sh -c \
	"[ \"\$('$bopt' --version | sed -n 1p)\" = \"bopt \$('$bopt' --version | sed -n '1s/bopt //p')\" ] &&
	'$bopt' --version | grep -q '^features: ' &&
	'$bopt' --version | sed -n 3p | grep -Eqx 'libraries: $libraries, LAPACK [0-9]+\\.[0-9]+\\.[0-9]+'"

echo "1..$n"
[ $failed = 0 ]
