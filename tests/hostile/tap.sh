# Sourced by the hostile-input tests: TAP output and a few checks.
# Each test script sets plan, then calls the checks; `finish` ends it.
LC_ALL=C
TZ=UTC
export LC_ALL TZ
# abspath PATH: PATH made absolute (the tests run in $tmp).
abspath() {
	case $1 in
	/*) echo "$1" ;;
	*) echo "$PWD/$1" ;;
	esac
}

n=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

ok() {
	n=$((n + 1))
	echo "ok $n - $1"
}

not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	for line in "$@"; do
		echo "# $line"
	done
}

# expect NAME STATUS STDERR CMD...: runs CMD with stdout discarded and checks
# its exit status and its whole standard error (one line, or empty).
expect() {
	name=$1 want_status=$2 want_err=$3
	shift 3
	status=0
	"$@" >/dev/null 2>"$tmp/stderr" </dev/null || status=$?
	got_err=$(cat "$tmp/stderr")
	if [ "$status" = "$want_status" ] && [ "$got_err" = "$want_err" ]; then
		ok "$name"
	else
		not_ok "$name" "status $status, wanted $want_status" "stderr: $(head -c 300 "$tmp/stderr")" \
			"wanted: $want_err"
	fi
}

finish() {
	[ "$failed" = 0 ]
}
