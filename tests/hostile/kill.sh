#!/bin/sh
# Writes interrupted by SIGKILL. A model rewrite (bopt train -m) killed at
# any moment leaves the model file exactly as it was before or exactly as
# the finished run writes it; a decision append (bopt recommend --record)
# killed at any moment leaves a history of whole lines with at most one new
# decision. Each writer is killed ROUNDS times at moments spread over its
# measured run time; with strace, also exactly at each system call of the
# write (strace -e inject=SYSCALL:signal=KILL).
#
#   kill.sh BOPT GENDATA TESTDATA [ROUNDS]
set -eu
. "$(dirname "$0")/tap.sh"
bopt=$(abspath "$1")
gendata=$(abspath "$2")
data=$(abspath "$3")
rounds=${4:-${BOPT_KILL_ROUNDS:-40}}
echo "1..6"
cd "$tmp"

now_us() {
	echo $(($(date +%s%N) / 1000))
}

# A deterministic spread of moments: round i of n waits i/n of span_us
# (plus a little past the end), with the rounds shuffled by a fixed stride.
delay_of() {
	i=$1 span=$2
	k=$(((i * 17) % rounds))
	us=$((k * span * 12 / 10 / rounds))
	printf '%d.%06d' $((us / 1000000)) $((us % 1000000))
}

# kill_after SECONDS CMD...: starts CMD, kills it with SIGKILL after SECONDS
# (if it still runs) and waits for it.
kill_after() {
	d=$1
	shift
	"$@" >/dev/null 2>&1 &
	pid=$!
	sleep "$d"
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# The model: a trained file, then a run adding more points that rewrites it.
"$gendata" -n 300 -B Kafka -B Nats -B Redis -B Pulsar -s 1 >old.ndjson
"$gendata" -n 300 -B Kafka -B Nats -B Redis -B Pulsar -s 2 >new.ndjson
"$bopt" train -m before.json old.ndjson >/dev/null
cp before.json after.json
start=$(now_us)
"$bopt" train -m after.json new.ndjson >/dev/null
span=$(($(now_us) - start))
kept=0 replaced=0 broken=0
i=0
while [ $i -lt "$rounds" ]; do
	cp before.json model.json
	kill_after "$(delay_of $i $span)" "$bopt" train -m model.json new.ndjson
	if cmp -s model.json before.json; then
		kept=$((kept + 1))
	elif cmp -s model.json after.json; then
		replaced=$((replaced + 1))
	else
		broken=$((broken + 1))
		cp model.json "broken-$i.json"
	fi
	i=$((i + 1))
done
echo "# model: $rounds kills over ${span} us: $kept before the rename, $replaced after," \
	"$broken damaged; $(ls model.json.* 2>/dev/null | wc -l) temporary files left"
if [ $broken = 0 ]; then
	ok "a killed model rewrite leaves the old file or the new one, whole"
else
	not_ok "a killed model rewrite leaves the old file or the new one, whole" \
		"$broken damaged files"
fi
if "$bopt" train --show -m model.json >/dev/null 2>&1; then
	ok "the model file still loads"
else
	not_ok "the model file still loads"
fi

# The history: each kill may add one whole decision, never part of one.
cp "$data/examples/history.ndjson" history.ndjson
pattern=$data/cost/builtin/pattern.json
start=$(now_us)
"$bopt" recommend --pattern "$pattern" --record timing.ndjson >/dev/null
span=$(($(now_us) - start))
lines=$(wc -l <history.ndjson)
added=0 bad=0 cut=0
i=0
while [ $i -lt "$rounds" ]; do
	kill_after "$(delay_of $i $span)" "$bopt" recommend --pattern "$pattern" \
		--record history.ndjson
	# Whole lines (wc -l counts newlines) grow by one at most.
	now=$(wc -l <history.ndjson)
	if [ "$now" -eq "$lines" ] || [ "$now" -eq $((lines + 1)) ]; then
		added=$((added + now - lines))
	else
		bad=$((bad + 1))
	fi
	# A write cut short between pages leaves part of a line without its
	# newline: stats ignores it and the next append cuts it off. Every
	# whole line is a decision: stats reads them all.
	[ -n "$(tail -c 1 history.ndjson)" ] && cut=$((cut + 1))
	"$bopt" stats history.ndjson >/dev/null 2>&1 || bad=$((bad + 1))
	lines=$now
	i=$((i + 1))
done
"$bopt" recommend --pattern "$pattern" --record history.ndjson >/dev/null
lines=$((lines + 1))
[ -z "$(tail -c 1 history.ndjson)" ] || bad=$((bad + 1))
echo "# history: $rounds kills over ${span} us: $added decisions appended whole," \
	"$cut unfinished lines (cut off by the next append), $bad damaged"
if [ $bad = 0 ]; then
	ok "a killed append leaves whole lines and at most one new decision"
else
	not_ok "a killed append leaves whole lines and at most one new decision" "$bad bad rounds"
fi
if "$bopt" stats history.ndjson | grep -q "^decisions *$lines "; then
	ok "stats counts every decision"
else
	not_ok "stats counts every decision" "$("$bopt" stats history.ndjson | head -n 1)"
fi

# At each system call of the writes. A model rewrite is fchmod, write and
# fsync of the temporary file, rename, fsync of the directory; an append is
# flock, fstat, write and fsync.
if command -v strace >/dev/null 2>&1; then
	# at SYSCALL N CMD...: runs CMD killed on entering its N-th SYSCALL.
	at() {
		sc=$1 nth=$2
		shift 2
		strace -f -o /dev/null -e trace="$sc" -e inject="$sc:signal=KILL:when=$nth" \
			"$@" >/dev/null 2>&1 || true
	}
	bad=
	for point in fchmod:1 write:1 fsync:1 rename:1 fsync:2; do
		cp before.json model.json
		at "${point%:*}" "${point#*:}" "$bopt" train -m model.json new.ndjson
		cmp -s model.json before.json || cmp -s model.json after.json || bad="$bad $point"
	done
	if [ -z "$bad" ]; then
		ok "a model rewrite killed at each of its system calls leaves a whole file"
	else
		not_ok "a model rewrite killed at each of its system calls leaves a whole file" \
			"damaged when killed at:$bad"
	fi
	bad=
	for point in flock:1 fstat:1 write:1 fsync:1; do
		cp history.ndjson before.ndjson
		at "${point%:*}" "${point#*:}" "$bopt" recommend --pattern "$pattern" \
			--record history.ndjson
		now=$(wc -l <history.ndjson)
		{ [ "$now" -eq "$lines" ] || [ "$now" -eq $((lines + 1)) ]; } &&
			"$bopt" stats history.ndjson >/dev/null 2>&1 || bad="$bad $point"
		lines=$now
	done
	if [ -z "$bad" ]; then
		ok "an append killed at each of its system calls leaves whole lines"
	else
		not_ok "an append killed at each of its system calls leaves whole lines" \
			"damaged when killed at:$bad"
	fi
else
	ok "# SKIP no strace"
	ok "# SKIP no strace"
fi
finish
