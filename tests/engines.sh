#!/bin/sh
# The engine recipes of bopt(1), EXAMPLES, run locally: GNU parallel with
# several jobs, and contrib/bopt-dask.py on a LocalCluster of 2 workers
# (Debian's python3-distributed). Each summarises shards of a trace and
# merges them; the result must equal bopt analyze of the whole trace
# (the compression ratio aside: it is sampled per file, see shards.sh).
#
#   engines.sh BOPT GENTRACE DASK-SCRIPT
set -eu
bopt=$1
gen=$2
dask=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

n=0
failed=0
ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}
not_ok() {
	n=$((n + 1))
	echo "not ok $n - $1"
	failed=$((failed + 1))
}
same() { # NAME EXPECTED ACTUAL
	if grep -v '"compression_ratio"' "$3" | cmp -s "$2" -; then
		ok "$1"
	else
		not_ok "$1"
		grep -v '"compression_ratio"' "$3" | diff "$2" - | sed 's/^/# /' | head -20
	fi
}

"$gen" -p poisson -r 1500 -n 40000 -s 9 >"$tmp/trace.ndjson"
"$bopt" analyze -f json --no-progress "$tmp/trace.ndjson" | grep -v '"compression_ratio"' \
	>"$tmp/whole"
mkdir "$tmp/shards"
# 12 time-ordered shards, gzip.
split -n l/12 -d --additional-suffix=.ndjson "$tmp/trace.ndjson" "$tmp/shards/s"
gzip "$tmp"/shards/s*.ndjson

# GNU parallel: one analyze per shard, 3 at a time, then the merge.
if command -v parallel >/dev/null; then
	parallel --will-cite -j 3 "$bopt" analyze -f summary --no-progress -o '{.}.sum' '{}' \
		::: "$tmp"/shards/*.ndjson.gz
	"$bopt" merge -f json "$tmp"/shards/*.sum >"$tmp/parallel.json"
	same "GNU parallel -j 3: 12 shards summarised and merged" "$tmp/whole" "$tmp/parallel.json"
else
	echo "ok $((n + 1)) - # SKIP GNU parallel is not installed (apt-get install parallel)"
	n=$((n + 1))
fi

# Dask: Debian's python3 has it; a python3 earlier on PATH may not.
py=
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import distributed' 2>/dev/null; then
		py=$p
		break
	fi
done
if [ -n "$py" ]; then
	if "$py" "$dask" --local 2 --bopt "$bopt" --fan-in 4 -f json "$tmp/dask" \
		"$tmp"/shards/*.ndjson.gz >"$tmp/dask.json" 2>"$tmp/dask.err"; then
		same "Dask LocalCluster of 2 workers: 12 shards, a tree of fan-in 4" \
			"$tmp/whole" "$tmp/dask.json"
	else
		not_ok "Dask LocalCluster of 2 workers"
		sed 's/^/# /' "$tmp/dask.err" | tail -20
	fi
	# A failing analyze on a worker fails the run with bopt's message.
	echo '{"broken": ' >"$tmp/bad.ndjson"
	if "$py" "$dask" --local 2 --bopt "$bopt" "$tmp/dask-bad" "$tmp/bad.ndjson" \
		>/dev/null 2>"$tmp/dask.err"; then
		not_ok "Dask: a bad trace fails the run"
	elif grep -q "bopt-dask: bopt: .*bad.ndjson:1:" "$tmp/dask.err"; then
		ok "Dask: a bad trace fails the run with bopt's message"
	else
		not_ok "Dask: a bad trace's message"
		sed 's/^/# /' "$tmp/dask.err" | tail -5
	fi
else
	echo "ok $((n + 1)) - # SKIP python3-distributed is not installed"
	n=$((n + 1))
fi

echo "1..$n"
[ $failed = 0 ]
