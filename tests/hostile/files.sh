#!/bin/sh
# Numbers, files and processes a user meets without malice: feature spreads
# and ridge penalties at the ends of the double range (each run under a
# timeout: they once hung LAPACK), concurrent trainings of one model, model
# paths that are links, FIFOs or devices, the umask and an existing file's
# mode and owner, decision records to pipes, onto other files and after a
# lone CR, --window on a pipe, and SIGTERM in the middle of a model write.
#
#   files.sh BOPT TESTDATA
set -eu
. "$(dirname "$0")/tap.sh"
bopt=$(abspath "$1")
data=$(abspath "$2")
echo "1..26"

pattern=$data/cost/builtin/pattern.json
points=$data/train-data/sample.ndjson
trace=$data/analyze/json/trace.ndjson
cd "$tmp"
# Every run ends within this many seconds or fails (a hang is a failure).
limit=${BOPT_HANG_LIMIT:-60}

# run NAME STATUS STDERR CMD...: expect under the time limit.
run() {
	name=$1 want_status=$2 want_err=$3
	shift 3
	expect "$name" "$want_status" "$want_err" timeout "$limit" "$@"
}

# points_with RATE-OF-I N: N copies of the first sample point (a Kafka one),
# point i with event_rate RATE-OF-I (i substituted) and latency 10 + i.
points_with() {
	i=0
	while [ "$i" -lt "$2" ]; do
		rate=$(echo "$1" | sed "s/i/$i/")
		head -n 1 "$points" | sed -e "s/\"event_rate\":[^,]*/\"event_rate\":$rate/" \
			-e "s/\"actual_latency\":[^,]*/\"actual_latency\":$((10 + i))/"
		i=$((i + 1))
	done
}

# A feature spread of ~1e-200: its squared deviations underflow.
points_with 'ie-200' 12 >tiny.ndjson
run "train: a feature spread of 1e-200" 0 "" "$bopt" train -m tiny.json tiny.ndjson
run "train --evaluate: a feature spread of 1e-200" 0 "" "$bopt" train --evaluate tiny.ndjson
run "recommend -m: a model whose history has a spread of 1e-200" 0 "" \
	"$bopt" recommend --pattern "$pattern" -m tiny.json
run "train --show: the same model" 0 "" "$bopt" train --show -m tiny.json
# 1e-300 and 0 alternating: no raw LAPACK message (DLASCL) either.
points_with 'i' 10 | sed -e 's/"event_rate":[13579],/"event_rate":1e-300,/' \
	-e 's/"event_rate":[2468],/"event_rate":0,/' >alternate.ndjson
run "train --evaluate: 1e-300 and 0" 0 "" "$bopt" train --evaluate alternate.ndjson
run "train --evaluate --ridge 1e307" 0 "" "$bopt" train --evaluate --ridge 1e307 "$points"
run "train --ridge 1.7e308" 0 "" "$bopt" train --ridge 1.7e308 -m ridge.json "$points"
run "recommend -m: a model with ridge 1.7e308" 0 "" \
	"$bopt" recommend --pattern "$pattern" -m ridge.json

# Two trainings of one model at once: each trial must keep both runs'
# points (12 + 12).
head -n 12 "$points" >a.ndjson
tail -n 12 "$points" >b.ndjson
lost=0
for trial in 1 2 3 4 5 6 7 8 9 10; do
	rm -f both.json
	"$bopt" train -m both.json a.ndjson >/dev/null 2>&1 &
	"$bopt" train -m both.json b.ndjson >/dev/null 2>&1 || true
	wait
	"$bopt" train --show -m both.json 2>/dev/null | grep -q '^points  *24$' || lost=$((lost + 1))
done
if [ "$lost" = 0 ]; then
	ok "concurrent trainings of one model lose no points"
else
	not_ok "concurrent trainings of one model lose no points" "$lost of 10 trials lost points"
fi

# A symbolic link: the file it names is rewritten, the link stays.
"$bopt" train -m target.json a.ndjson >/dev/null
ln -s target.json link.json
run "train through a symbolic link" 0 "" "$bopt" train -m link.json b.ndjson
if [ -L link.json ] && "$bopt" train --show -m target.json | grep -q '^points  *24$'; then
	ok "the link is kept and its target holds the new points"
else
	not_ok "the link is kept and its target holds the new points" "$(ls -l link.json target.json)"
fi
ln -s nowhere.json dangling.json
run "train through a dangling link" 1 \
	"bopt: dangling.json: cannot follow the symbolic link: No such file or directory" \
	"$bopt" train -m dangling.json a.ndjson
mkfifo fifo.json
run "train -m FIFO" 1 "bopt: fifo.json: not a regular file; bopt replaces only regular files" \
	"$bopt" train -m fifo.json a.ndjson
# /dev/stdout, here a pipe: refused, and the device link stays a link.
status=0
timeout "$limit" "$bopt" train -m /dev/stdout a.ndjson 2>stderr | cat >/dev/null || status=$?
if [ "$(cat stderr)" = "bopt: /dev/stdout: not a regular file; bopt replaces only regular files" ] &&
		[ -L /dev/stdout ]; then
	ok "train -m /dev/stdout is refused"
else
	not_ok "train -m /dev/stdout is refused" "stderr: $(cat stderr)"
fi

# Modes: a new model follows the umask, an existing one keeps its mode.
(umask 077 && "$bopt" train -m private.json a.ndjson >/dev/null)
mode=$(stat -c %a private.json)
if [ "$mode" = 600 ]; then ok "a new model follows the umask"; else
	not_ok "a new model follows the umask" "mode $mode under umask 077"; fi
chmod 640 private.json
"$bopt" train -m private.json b.ndjson >/dev/null
mode=$(stat -c %a private.json)
if [ "$mode" = 640 ]; then ok "a rewritten model keeps its mode"; else
	not_ok "a rewritten model keeps its mode" "mode $mode, was 640"; fi
if [ "$(id -u)" = 0 ]; then
	chown 65534:65534 private.json
	"$bopt" train -m private.json a.ndjson >/dev/null
	owner=$(stat -c %u:%g private.json)
	if [ "$owner" = 65534:65534 ]; then ok "root rewriting a user's model keeps its owner"; else
		not_ok "root rewriting a user's model keeps its owner" "owner $owner"; fi
else
	ok "# SKIP not root: cannot give a model another owner"
fi

# Decision records. To a pipe: the table, then the record, exit 0.
status=0
"$bopt" recommend --pattern "$pattern" --record /dev/stdout 2>stderr | cat >out || status=$?
if [ "$status" = 0 ] && [ ! -s stderr ] && head -n 1 out | grep -q '^workload' &&
		tail -n 1 out | grep -q '^{"timestamp":'; then
	ok "recommend --record /dev/stdout | cat: the table, then the record"
else
	not_ok "recommend --record /dev/stdout | cat: the table, then the record" \
		"status $status" "stderr: $(cat stderr)" "last line: $(tail -n 1 out | head -c 100)"
fi
# To a file that stdout also writes: its first line is the table, not a
# decision, so the record is refused; the table is whole.
status=0
"$bopt" recommend --pattern "$pattern" --record /dev/stdout >out 2>stderr || status=$?
want="bopt: /dev/stdout: not appending: not a decision history (line 1: invalid JSON at column 1: expected a value)"
if [ "$status" = 1 ] && [ "$(cat stderr)" = "$want" ] && head -n 1 out | grep -q '^workload' &&
		! grep -q '"timestamp"' out; then
	ok "recommend --record /dev/stdout >file: refused, the table whole"
else
	not_ok "recommend --record /dev/stdout >file: refused, the table whole" "status $status" \
		"stderr: $(cat stderr)"
fi
cp target.json before.json
run "recommend --record onto a model file" 1 \
	"bopt: target.json: not appending: a bopt model file, not a decision history" \
	"$bopt" recommend --pattern "$pattern" --record target.json
if cmp -s target.json before.json; then ok "the model file is untouched"; else
	not_ok "the model file is untouched"; fi
printf '\r' >cr.ndjson
run "recommend --record after a lone CR" 0 "" "$bopt" recommend --pattern "$pattern" \
	--record cr.ndjson
run "recommend --record again" 0 "" "$bopt" recommend --pattern "$pattern" --record cr.ndjson
if "$bopt" stats cr.ndjson | grep -q '^decisions  *2 '; then ok "stats reads both decisions"; else
	not_ok "stats reads both decisions" "$("$bopt" stats cr.ndjson 2>&1 | head -n 1)"; fi

# --window reads its trace twice: a pipe cannot be.
status=0
cat "$trace" | timeout "$limit" "$bopt" analyze --window 1h /dev/stdin >/dev/null 2>stderr ||
	status=$?
want="bopt: --window needs files: /dev/stdin is not a regular file and cannot be read twice"
if [ "$status" = 1 ] && [ "$(cat stderr)" = "$want" ]; then
	ok "--window on a pipe is refused"
else
	not_ok "--window on a pipe is refused" "status $status" "stderr: $(cat stderr)"
fi

# SIGTERM on entering the fsync of the temporary model file: the temporary
# file is removed and the model is as it was.
if command -v strace >/dev/null 2>&1; then
	"$bopt" train -m signal.json a.ndjson >/dev/null
	cp signal.json before.json
	strace -f -o /dev/null -e trace=fsync -e inject=fsync:signal=TERM:when=1 \
		"$bopt" train -m signal.json b.ndjson >/dev/null 2>&1 || true
	left=$(ls | grep '^signal\.json\.' || true)
	if [ -z "$left" ] && cmp -s signal.json before.json; then
		ok "SIGTERM during a model write removes the temporary file"
	else
		not_ok "SIGTERM during a model write removes the temporary file" "left: $left"
	fi
else
	ok "# SKIP no strace"
fi
finish
