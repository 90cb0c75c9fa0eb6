#!/bin/sh
# Several files are one trace merged by event time: a trace split into 2, 4
# and 12 "partition" files, round-robin and by key, plain and gzip, given in
# shuffled order, at --jobs 1 and 2, analyses as the sorted single file,
# field by field (JSON), and so does a trace shuffled within 10 s windows,
# whole or split. The compression ratio is measured on a sample of each
# file's bytes and the disorder figures describe the input order, so those
# are left out of the comparison. Disorder beyond the horizon is reported,
# warned about, and an error with --strict.
#
#   merge.sh BOPT GENTRACE
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

# analyze JSON without the fields that depend on how the bytes are laid out
# ("compression_ratio") or, with a second argument, on the input order.
json() {
	drop='"compression_ratio"'
	if [ "$1" = order ]; then
		drop="$drop|\"out_of_order\"|\"max_lateness_seconds\"|\"repaired\""
	fi
	shift
	"$bopt" analyze -f json --no-progress "$@" | grep -Ev "$drop"
}

# split FILE HOW N: writes $tmp/parts/p<i>.ndjson, round-robin (rr) or by
# the resource number of the subject (key); gzip every other part.
split() {
	rm -rf "$tmp/parts"
	mkdir "$tmp/parts"
	awk -v how="$2" -v n="$3" -v dir="$tmp/parts" '{
		if (how == "rr") {
			k = NR % n
		} else {
			match($0, /resource\/[0-9]+/)
			k = substr($0, RSTART + 9, RLENGTH - 9) % n
		}
		print > (dir "/p" k ".ndjson")
	}' "$1"
	i=0
	for f in "$tmp"/parts/p*.ndjson; do
		i=$((i + 1))
		[ $((i % 2)) = 0 ] && gzip "$f"
	done
	# Shuffled order: sorted by a checksum of the name.
	files=$(for f in "$tmp"/parts/p*; do
		printf '%s %s\n' "$(printf %s "${f##*/}" | cksum | cut -d' ' -f1)" "$f"
	done | sort -n | cut -d' ' -f2)
}

check_split() { # NAME ORDER SORTED SOURCE
	for how in rr key; do
		for parts in 2 4 12; do
			split "$4" $how $parts
			for jobs in 1 2; do
				# shellcheck disable=SC2086
				json "$2" --jobs $jobs $files >"$tmp/out.json"
				if cmp -s "$3" "$tmp/out.json"; then
					ok "$1: $parts parts ($how), --jobs $jobs"
				else
					not_ok "$1: $parts parts ($how), --jobs $jobs"
					diff "$3" "$tmp/out.json" | sed 's/^/# /' | head -20
				fi
			done
		done
	done
}

for spec in "poisson -r 2000 -n 60000" "batches --batch 400 --period 5 -n 40000"; do
	# shellcheck disable=SC2086
	"$gen" -p $spec -s 7 >"$tmp/sorted.ndjson"
	json all "$tmp/sorted.ndjson" >"$tmp/sorted.json"
	check_split "${spec%% *}" all "$tmp/sorted.json" "$tmp/sorted.ndjson"

	# Shuffled within 10 s windows: no event is 10 s behind a later one.
	# shellcheck disable=SC2086
	"$gen" -p $spec -s 7 --shuffle 10 >"$tmp/shuffled.ndjson"
	json order "$tmp/sorted.ndjson" >"$tmp/sorted-order.json"
	json order "$tmp/shuffled.ndjson" >"$tmp/out.json"
	if cmp -s "$tmp/sorted-order.json" "$tmp/out.json" &&
		grep -q '"beyond_repair": 0' "$tmp/out.json"; then
		ok "${spec%% *}: shuffled within 10 s windows"
	else
		not_ok "${spec%% *}: shuffled within 10 s windows"
		diff "$tmp/sorted-order.json" "$tmp/out.json" | sed 's/^/# /' | head -20
	fi
	check_split "${spec%% *} shuffled" order "$tmp/sorted-order.json" "$tmp/shuffled.ndjson"
done

# Beyond the horizon: warned, reported, counted; an error with --strict.
"$gen" -p poisson -r 2000 -n 60000 -s 7 --shuffle 10 >"$tmp/shuffled.ndjson"
status=0
"$bopt" analyze -f json --max-disorder 2s "$tmp/shuffled.ndjson" >"$tmp/out.json" \
	2>"$tmp/err" || status=$?
late=$(sed -n 's/.*"beyond_repair": \([0-9]*\).*/\1/p' "$tmp/out.json")
if [ $status = 0 ] && [ "${late:-0}" -gt 0 ] &&
	grep -q "^bopt: $late of 60000 events came more than 2 s behind a later one" "$tmp/err" &&
	grep -q "use --max-disorder 10000ms or sort the trace by time" "$tmp/err"; then
	ok "disorder beyond the horizon: $late events reported and warned about"
else
	not_ok "disorder beyond the horizon (status $status, late '$late')"
	sed 's/^/# /' "$tmp/err"
fi
status=0
"$bopt" analyze --strict --max-disorder 2s "$tmp/shuffled.ndjson" >"$tmp/out" \
	2>"$tmp/err" || status=$?
if [ $status = 1 ] && [ ! -s "$tmp/out" ] && grep -q "events came more than" "$tmp/err"; then
	ok "--strict: disorder beyond the horizon is an error"
else
	not_ok "--strict (status $status)"
fi
# Within the horizon --strict is quiet.
if "$bopt" analyze --strict "$tmp/shuffled.ndjson" >/dev/null 2>"$tmp/err" &&
	[ ! -s "$tmp/err" ]; then
	ok "--strict: disorder within the horizon passes"
else
	not_ok "--strict within the horizon"
fi

echo "1..$n"
[ $failed = 0 ]
