#!/bin/sh
# Hostile inputs too large to commit, made here: a 100 MiB single line, a
# gzip bomb and JSON nested 100000 deep, given to every parser; and an
# unreadable file.
# Each must end with a clear "FILE:LINE: reason" (or "FILE: reason") and
# exit 1, in bounded memory, never with a crash.
#
#   large.sh BOPT TESTDATA
set -eu
. "$(dirname "$0")/tap.sh"
bopt=$(abspath "$1")
data=$(abspath "$2")
echo "1..28"

pattern=$data/cost/builtin/pattern.json
trace=$data/analyze/json/trace.ndjson
cd "$tmp"

# One line of 100 MiB (plus the JSON around it).
{
	printf '{"timestamp":"2026-07-19T08:54:15Z","x":"'
	head -c 104857600 /dev/zero | tr '\0' a
	printf '"}\n'
} >long.ndjson
expect "100 MiB line: analyze" 1 "bopt: long.ndjson:1: line longer than 16 MiB" \
	"$bopt" analyze long.ndjson
expect "100 MiB line: recommend --trace" 1 "bopt: long.ndjson:1: line longer than 16 MiB" \
	"$bopt" recommend --trace long.ndjson
expect "100 MiB line: stats" 1 "bopt: long.ndjson:1: line longer than 1 MiB" \
	"$bopt" stats long.ndjson
expect "100 MiB line: --pattern" 1 "bopt: long.ndjson: larger than 64 MiB" \
	"$bopt" cost --pattern long.ndjson
expect "100 MiB line: --metrics" 1 "bopt: long.ndjson: larger than 64 MiB" \
	"$bopt" recommend --pattern "$pattern" --metrics long.ndjson
expect "100 MiB line: --model" 1 \
	'bopt: long.ndjson: not a bopt model file (no "format":"bopt-model")' \
	"$bopt" recommend --pattern "$pattern" --model long.ndjson
# A sparse model file one byte over the 1 GiB limit: refused before reading.
truncate -s 1073741825 huge.json
expect "1 GiB + 1 byte: --model" 1 "bopt: huge.json: larger than 1024 MiB" \
	"$bopt" recommend --pattern "$pattern" --model huge.json
rm -f huge.json
expect "100 MiB line: train data" 1 "bopt: long.ndjson:1: line longer than 16 MiB" \
	"$bopt" train --evaluate long.ndjson
# The same line after 3 MiB of good lines (two blocks), through a pipe and
# through gzip: the line named is the long one's.
for _ in $(seq 40); do cat "$trace"; done >x40.ndjson
{
	for _ in $(seq 20); do cat x40.ndjson; done
	cat long.ndjson
} >late.ndjson
good=$(($(wc -l <late.ndjson) - 1))
gzip -1 -c late.ndjson >late.ndjson.gz
expect "100 MiB line after $good lines: analyze -" 1 \
	"bopt: <stdin>:$((good + 1)): line longer than 16 MiB" \
	sh -c 'cat late.ndjson | "$1" analyze -' sh "$bopt"
expect "100 MiB line after $good lines: analyze gzip" 1 \
	"bopt: late.ndjson.gz:$((good + 1)): line longer than 16 MiB" \
	"$bopt" analyze --jobs 2 late.ndjson.gz
rm -f long.ndjson x40.ndjson late.ndjson late.ndjson.gz

# A gzip bomb: 100 KiB that inflate to 100 MiB of NUL bytes, no newline.
head -c 104857600 /dev/zero | gzip -9 >bomb.gz
expect "gzip bomb: analyze" 1 "bopt: bomb.gz:1: line longer than 16 MiB" \
	"$bopt" analyze bomb.gz
expect "gzip bomb: stats" 1 "bopt: bomb.gz:1: line longer than 1 MiB" \
	"$bopt" stats bomb.gz
expect "gzip bomb: train data" 1 "bopt: bomb.gz:1: line longer than 16 MiB" \
	"$bopt" train --evaluate bomb.gz
expect "gzip bomb: --pattern" 1 "bopt: bomb.gz: larger than 64 MiB" \
	"$bopt" cost --pattern bomb.gz
expect "gzip bomb: --metrics" 1 "bopt: bomb.gz: larger than 64 MiB" \
	"$bopt" recommend --pattern "$pattern" --metrics bomb.gz
rm -f bomb.gz

# JSON nested 100000 deep, as a trace line (inside an event) and as a
# document.
deep() {
	i=0
	open=$1 close=$2
	yes "$open" | head -n 100000 | tr -d '\n'
	yes "$close" | head -n 100000 | tr -d '\n'
}
{ printf '{"TripleAdded":{"timestamp":"2026-07-19T08:54:15Z","x":'; deep '[' ']'; printf '}}\n'; } \
	>deep.ndjson
{ deep '[' ']'; echo; } >deep.json
expect "100000 deep: analyze" 1 \
	"bopt: deep.ndjson:1: invalid JSON at column 182: nesting deeper than 128 levels" \
	"$bopt" analyze deep.ndjson
expect "100000 deep: stats" 1 \
	"bopt: deep.json:1: invalid JSON at column 129: nesting deeper than 128 levels" \
	"$bopt" stats deep.json
expect "100000 deep: --metrics" 1 \
	"bopt: deep.json:1: invalid JSON at column 129: nesting deeper than 128 levels" \
	"$bopt" recommend --pattern "$pattern" --metrics deep.json
expect "100000 deep: --pattern" 1 \
	"bopt: deep.json:1: invalid JSON at column 129: nesting deeper than 128 levels" \
	"$bopt" cost --pattern deep.json
expect "100000 deep: --model" 1 \
	"bopt: deep.json:1: not a bopt model file: invalid JSON at column 129: nesting deeper than 128 levels" \
	"$bopt" train --show -m deep.json
expect "100000 deep: train data" 1 \
	"bopt: deep.json:1: invalid JSON at column 129: nesting deeper than 128 levels" \
	"$bopt" train --evaluate deep.json
expect "100000 deep: trace on stdin" 1 \
	"bopt: <stdin>:1: invalid JSON at column 182: nesting deeper than 128 levels" \
	sh -c '"$1" analyze - <deep.ndjson' sh "$bopt"

# A file that cannot be read: as root, read it as nobody.
cp "$trace" unreadable.ndjson
cp "$pattern" unreadable.json
chmod 000 unreadable.ndjson unreadable.json
chmod 755 "$tmp"
run=
if [ "$(id -u)" = 0 ]; then
	run="setpriv --reuid=65534 --regid=65534 --clear-groups"
fi
expect "unreadable: analyze" 1 "bopt: unreadable.ndjson: Permission denied" \
	$run "$bopt" analyze unreadable.ndjson
expect "unreadable: stats" 1 "bopt: unreadable.ndjson: Permission denied" \
	$run "$bopt" stats unreadable.ndjson
expect "unreadable: --pattern" 1 "bopt: unreadable.json: Permission denied" \
	$run "$bopt" cost --pattern unreadable.json
expect "unreadable: --metrics" 1 "bopt: unreadable.ndjson: Permission denied" \
	$run "$bopt" recommend --pattern "$pattern" --metrics unreadable.ndjson
expect "unreadable: --model" 1 "bopt: unreadable.json: Permission denied" \
	$run "$bopt" train --show -m unreadable.json
expect "unreadable: train data" 1 "bopt: unreadable.ndjson: Permission denied" \
	$run "$bopt" train --evaluate unreadable.ndjson
finish
