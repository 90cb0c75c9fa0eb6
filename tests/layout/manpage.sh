#!/bin/sh
# bopt(1) names every option of every command's option table: each --LONG
# (and -S, --LONG where it has a short letter) appears in man/bopt.1.scd,
# and each command has a section. Prints TAP, one test per command.
#
#   manpage.sh LIST-OPTIONS MANPAGE
set -eu
list=$1
man=$2
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$list" >"$tmp"
commands=$(cut -f1 "$tmp" | uniq)
echo "1..$(($(echo "$commands" | wc -l) + 1))"
n=1
failed=0
if grep -qE '^(<<<<<<<|>>>>>>>) ' "$man"; then
	echo "not ok 1 - bopt(1) holds merge conflict markers"
	failed=1
else
	echo "ok 1 - no merge conflict markers"
fi
for c in $commands; do
	n=$((n + 1))
	missing=
	grep -q "^## bopt $c\b" "$man" || missing="$missing (no section '## bopt $c')"
	while IFS='	' read -r cmd short long; do
		[ "$cmd" = "$c" ] || continue
		grep -q -- "$long\\b" "$man" || missing="$missing $long"
		if [ "$short" != "--" ]; then
			grep -q -- "$short, $long\\b" "$man" || missing="$missing $short,$long"
		fi
	done <"$tmp"
	if [ -z "$missing" ]; then
		echo "ok $n - $c"
	else
		echo "not ok $n - $c: not in bopt(1):$missing"
		failed=$((failed + 1))
	fi
done
[ $failed = 0 ]
