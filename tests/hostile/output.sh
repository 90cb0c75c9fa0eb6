#!/bin/sh
# Output faults. Every command writing to a full device (/dev/full) reports
# "bopt: write error on standard output: ..." and exits 1; a reader that
# goes away (bopt ... | head -1) ends bopt quietly, and what it wrote to
# files before stays whole.
#
#   output.sh BOPT TESTDATA
set -eu
. "$(dirname "$0")/tap.sh"
bopt=$(abspath "$1")
data=$(abspath "$2")
echo "1..26"

pattern=$data/cost/builtin/pattern.json
trace=$data/analyze/json/trace.ndjson
model=$data/recommend/model/model.json
points=$data/train-data/sample.ndjson
history=$data/examples/history.ndjson
cd "$tmp"

full="bopt: write error on standard output: No space left on device"
# full NAME ARGS...: the command's output goes to /dev/full.
full() {
	name=$1
	shift
	status=0
	"$bopt" "$@" >/dev/full 2>"$tmp/stderr" </dev/null || status=$?
	if [ "$status" = 1 ] && [ "$(cat "$tmp/stderr")" = "$full" ]; then
		ok "/dev/full: $name"
	else
		not_ok "/dev/full: $name" "status $status" "stderr: $(head -c 300 "$tmp/stderr")"
	fi
}
full "bopt --help" --help
full "bopt --version" --version
full "bopt help analyze" help analyze
full "analyze --help" analyze --help
full "analyze" analyze "$trace"
full "analyze -f json" analyze -f json "$trace"
full "cost" cost --pattern "$pattern"
full "cost -f json" cost -f json --pattern "$pattern"
full "recommend" recommend --pattern "$pattern"
full "recommend -f json" recommend -f json --pattern "$pattern"
full "recommend --model" recommend --pattern "$pattern" --model "$model"
full "train --show" train --show -m "$model"
full "train --evaluate" train --evaluate "$points"
full "train -f json" train -f json -m new-model.json "$points"
full "stats" stats "$history"
full "stats -f json" stats -f json "$history"

# The reader is gone before bopt writes (the input comes a second later):
# bopt dies of SIGPIPE, or with SIGPIPE ignored sees EPIPE, and says nothing.
# closed NAME SIGPIPE-STATUS ARGS...: runs bopt ARGS with the trace on stdin.
closed() {
	name=$1 want=$2
	shift 2
	rm -f "$tmp/stderr" "$tmp/status"
	(
		st=0
		{ sleep 1; cat "$trace"; } | "$bopt" "$@" 2>"$tmp/stderr" || st=$?
		echo $st >"$tmp/status"
	) | true
	status=$(cat "$tmp/status")
	if [ "$status" = "$want" ] && [ ! -s "$tmp/stderr" ]; then
		ok "closed pipe: $name"
	else
		not_ok "closed pipe: $name" "status $status, wanted $want" \
			"stderr: $(head -c 300 "$tmp/stderr")"
	fi
}
closed "analyze" 141 analyze -
closed "analyze -f json" 141 analyze -f json -
closed "recommend" 141 recommend --trace -
closed "recommend --record" 141 recommend --trace - --record decisions.ndjson
closed "train" 141 train -m model.json "$points"
# With SIGPIPE ignored (as some supervisors start programs) the write fails
# with EPIPE: still no message.
trap '' PIPE
closed "analyze, SIGPIPE ignored" 0 analyze -
closed "recommend --record, SIGPIPE ignored" 0 recommend --trace - --record decisions.ndjson
trap - PIPE

# What was written before the reader went is whole.
if "$bopt" stats decisions.ndjson >stats.out 2>&1 && grep -q '^decisions *2 ' stats.out; then
	ok "closed pipe: the history holds two whole decisions"
else
	not_ok "closed pipe: the history holds two whole decisions" "$(cat stats.out)"
fi
if "$bopt" train --show -m model.json >show.out 2>&1; then
	ok "closed pipe: the model file is whole"
else
	not_ok "closed pipe: the model file is whole" "$(cat show.out)"
fi

# The issue's own example: a big trace, only the first line wanted.
gzip -cd "$data/examples/trace.ndjson.gz" >big.ndjson
status=0
first=$("$bopt" analyze big.ndjson 2>"$tmp/stderr" | head -n 1) || status=$?
if [ "$status" = 0 ] && [ ! -s "$tmp/stderr" ] && [ -n "$first" ]; then
	ok "bopt analyze big.ndjson | head -1"
else
	not_ok "bopt analyze big.ndjson | head -1" "status $status, first line: $first" \
		"stderr: $(head -c 300 "$tmp/stderr")"
fi
finish
