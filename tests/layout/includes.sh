#!/bin/sh
# The folder rule of src/README.md: base <- trace, decide <- cli <- main.c.
# Every quoted include names its folder, and no file includes a folder that
# may not see it. Prints TAP, one test per source file.
#
#   includes.sh SRC
set -eu
src=$1
cd "$src"

# allowed FOLDER: the folders a file in FOLDER may include.
allowed() {
	case $1 in
	base) echo "base" ;;
	trace) echo "base trace" ;;
	decide) echo "base decide" ;;
	cli) echo "base trace decide cli" ;;
	.) echo "base trace decide cli" ;;
	*) echo "" ;;
	esac
}

files=$(find . -name '*.c' -o -name '*.h' -o -name '*.def' | sed 's|^\./||' | sort)
n=0
failed=0
echo "1..$(echo "$files" | wc -l)"
for f in $files; do
	n=$((n + 1))
	dir=$(dirname "$f")
	ok=1
	msg=
	for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
		case $inc in
		*/*) folder=${inc%%/*} ;;
		*) ok=0; msg="$msg $inc (no folder)"; continue ;;
		esac
		case " $(allowed "$dir") " in
		*" $folder "*) ;;
		*) ok=0; msg="$msg $inc ($dir may not include $folder)" ;;
		esac
		[ -e "$inc" ] || { ok=0; msg="$msg $inc (no such file)"; }
	done
	if [ $ok = 1 ]; then
		echo "ok $n - $f"
	else
		echo "not ok $n - $f:$msg"
		failed=$((failed + 1))
	fi
done
[ $failed = 0 ]
