#!/bin/sh
# Summary documents merged (bopt merge). A trace cut into 1, 3 and 17
# time-ordered shards of unequal sizes (some gzip), summarised one by one
# and merged in shuffled order, analyses as the whole trace, field by field
# (JSON); a tree of merges equals the flat merge. The compression ratio is
# measured on a sample of each file's first bytes, so it is left out (as in
# merge.sh). Four partition shards merge as the several files analysed
# together: every figure exactly but the inter-arrival spread, which is
# flagged approximate and within the error bopt(1) states.
#
#   shards.sh BOPT GENTRACE
set -eu
bopt=$1
gen=$2
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
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		diff "$2" "$3" | sed 's/^/# /' | head -20
	fi
}
nocr() {
	grep -v '"compression_ratio"' "$1"
}
summarise() { # FILE...
	for f in "$@"; do
		"$bopt" analyze -f summary --no-progress -o "$f.sum" "$f"
	done
}
# Shuffled order: sorted by a checksum of the name.
shuffled() {
	for f in "$@"; do
		printf '%s %s\n' "$(printf %s "${f##*/}" | cksum | cut -d' ' -f1)" "$f"
	done | sort -n | cut -d' ' -f2
}

# cut FILE K: K time-ordered shards of unequal sizes (shard i holds about
# i + 1 parts in K(K+1)/2), every third one gzip.
cut_trace() {
	rm -rf "$tmp/shards"
	mkdir "$tmp/shards"
	awk -v k="$2" -v dir="$tmp/shards" 'NR == FNR { total++; next }
	{
		while (i < k - 1 && FNR > total * (i + 1) * (i + 2) / (k * (k + 1)))
			i++
		print > sprintf("%s/s%02d.ndjson", dir, i)
	}' "$1" "$1"
	i=0
	for f in "$tmp"/shards/s*.ndjson; do
		i=$((i + 1))
		if [ $((i % 3)) = 0 ]; then
			gzip "$f"
		fi
	done
}

"$gen" -p batches --batch 300 --period 2 -n 30000 -s 11 >"$tmp/trace.ndjson"
"$bopt" analyze -f json --no-progress "$tmp/trace.ndjson" >"$tmp/whole.json"
nocr "$tmp/whole.json" >"$tmp/whole"
for k in 1 3 17; do
	cut_trace "$tmp/trace.ndjson" $k
	# shellcheck disable=SC2046
	summarise $(ls "$tmp"/shards/s*)
	# shellcheck disable=SC2046
	"$bopt" merge -f json $(shuffled "$tmp"/shards/*.sum) >"$tmp/merged.json"
	nocr "$tmp/merged.json" >"$tmp/merged"
	same "$k time-ordered shards merge to the whole trace" "$tmp/whole" "$tmp/merged"
done

# Trees: ((a+b)+(c+d)) and (a+(b+(c+d))) equal the flat merge, as JSON and
# as summary documents.
set -- "$tmp"/shards/s0[0-3]*.sum
"$bopt" merge -f json "$@" >"$tmp/flat.json"
"$bopt" merge -f summary "$@" >"$tmp/flat.sum"
"$bopt" merge -f summary -o "$tmp/ab.sum.gz" "$1" "$2"
"$bopt" merge -f summary -o "$tmp/cd.sum" "$3" "$4"
"$bopt" merge -f json "$tmp/cd.sum" "$tmp/ab.sum.gz" >"$tmp/tree.json"
same "tree merge ((a+b)+(c+d)) equals the flat merge" "$tmp/flat.json" "$tmp/tree.json"
"$bopt" merge -f summary "$2" "$tmp/cd.sum" >"$tmp/bcd.sum"
"$bopt" merge -f summary "$tmp/bcd.sum" "$1" >"$tmp/tree.sum"
# The input names are kept in time order, so even the documents agree.
same "tree merge (a+(b+(c+d))) gives the flat merge's document" "$tmp/flat.sum" "$tmp/tree.sum"

# Partitions: 4 shards of one stream, by key and round-robin.
# within ACTUAL EXPECTED TOLERANCE: |a - e| <= t |e|
within() {
	awk -v a="$1" -v e="$2" -v t="$3" 'BEGIN { d = a - e; if (d < 0) d = -d;
		if (e < 0) e = -e; exit !(d <= t * e) }'
}
field() { # FILE NAME: the first number of that field
	sed -n "s/^ *\"$2\": \([-0-9.e]*\).*/\1/p" "$1" | head -1
}
# The figures a merge of partitions keeps exact: all but the gap spread and
# the list of approximate ones.
exact() {
	sed -e '/"std_dev"/d' -e '/"cv"/d' -e '/"approximate": \[/d' \
		-e '/^      "inter_arrival_ms"$/d' -e '/^    \]$/d' -e 's/^    },$/    }/' "$1"
}
for spec in "poisson -r 2000 -n 60000:0.05" "batches --batch 400 --period 5 -n 40000:0.05" \
	"poisson -r 200 -n 40000:0.05"; do
	tol=${spec##*:}
	spec=${spec%:*}
	# shellcheck disable=SC2086
	"$gen" -p $spec -s 5 >"$tmp/trace.ndjson"
	for how in rr key; do
		rm -rf "$tmp/parts"
		mkdir "$tmp/parts"
		awk -v how="$how" -v dir="$tmp/parts" '{
			if (how == "rr") {
				k = NR % 4
			} else {
				match($0, /resource\/[0-9]+/)
				k = substr($0, RSTART + 9, RLENGTH - 9) % 4
			}
			print > (dir "/p" k ".ndjson")
		}' "$tmp/trace.ndjson"
		gzip "$tmp/parts/p1.ndjson"
		# shellcheck disable=SC2046
		summarise $(ls "$tmp"/parts/p*)
		"$bopt" analyze -f json --no-progress "$tmp"/parts/p?.ndjson "$tmp"/parts/p?.ndjson.gz \
			>"$tmp/truth.json"
		# shellcheck disable=SC2046
		"$bopt" merge -f json $(shuffled "$tmp"/parts/*.sum) >"$tmp/merged.json"
		exact "$tmp/truth.json" >"$tmp/a"
		exact "$tmp/merged.json" >"$tmp/b"
		name="${spec%% *} in 4 partitions ($how)"
		same "$name: exact figures" "$tmp/a" "$tmp/b"
		cv=$(field "$tmp/truth.json" cv)
		est=$(field "$tmp/merged.json" cv)
		if grep -q '"inter_arrival_ms"$' "$tmp/merged.json" && within "$est" "$cv" "$tol"; then
			ok "$name: gap CV $est flagged approximate, within $tol of $cv"
		else
			not_ok "$name: gap CV $est against $cv (tolerance $tol)"
		fi
	done
done

echo "1..$n"
[ $failed = 0 ]
