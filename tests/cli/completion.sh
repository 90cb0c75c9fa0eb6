#!/bin/bash
# Shell completion (issue 17): the bash script loaded and its compgen results
# checked, every option of every command (bopt-list-options) offered; the zsh
# and fish scripts syntax-checked (zsh -n, fish -n), zsh's registered by
# compinit, fish's queried with complete -C. TAP.
#
#   completion.sh BOPT LIST-OPTIONS
set -u
bopt=$1
list=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0
failed=0
result() { # NAME OK [DETAIL]
	n=$((n + 1))
	if [ "$2" = 0 ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		[ -n "${3:-}" ] && echo "$3" | sed 's/^/# /'
		failed=$((failed + 1))
	fi
}

"$bopt" completion bash >"$tmp/bopt.bash" || exit 1
"$bopt" completion zsh >"$tmp/_bopt" || exit 1
"$bopt" completion fish >"$tmp/bopt.fish" || exit 1
bash -n "$tmp/bopt.bash"
result "bash -n" $?
# shellcheck source=/dev/null
. "$tmp/bopt.bash"

# The sorted completions of a command line whose last word is being typed.
complete_bash() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_bopt
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
}
expect() { # WANT WORDS...
	want=$1
	shift
	got=$(complete_bash "$@")
	[ "$got" = "$want" ]
	result "bash: '$*' -> $want" $? "got: $got"
}
expect "compare completion config cost" bopt co
expect "-V" bopt -V
expect "--format" bopt cost --for
expect "csv json markdown ndjson table" bopt cost --format ""
expect "csv json markdown ndjson summary table" bopt analyze -f ""
expect "Kafka Kinesis" bopt recommend --backend K
expect "Pulsar" bopt recommend --expect P
expect "bash fish zsh" bopt completion ""
expect "recommend" bopt help rec
expect "--show-origin" bopt config --sh
expect "--show" bopt train --sh
expect "" bopt cost --alpha ""
mkdir "$tmp/dir" && : >"$tmp/dir/pattern.json" && : >"$tmp/dir/points.ndjson"
expect "$tmp/dir/pattern.json" bopt cost --pattern "$tmp/dir/pa"
expect "$tmp/dir/points.ndjson" bopt train -m model.json "$tmp/dir/po"
expect "$tmp/dir/pattern.json" bopt config --config "$tmp/dir/pat"

# Every option of every command is offered after "-" (no drift).
missing=
while IFS='	' read -r cmd short long; do
	offered=" $(complete_bash bopt "$cmd" -) "
	case $offered in *" $long "*) ;; *) missing="$missing $cmd:$long" ;; esac
	if [ "$short" != "--" ]; then
		case $offered in *" $short "*) ;; *) missing="$missing $cmd:$short" ;; esac
	fi
done < <("$list")
[ -z "$missing" ]
result "bash: every option of the option tables" $? "missing:$missing"

if command -v zsh >/dev/null; then
	zsh -n "$tmp/_bopt"
	result "zsh -n" $?
	got=$(zsh -f -c "fpath=('$tmp' \$fpath); autoload -U compinit; compinit -u -d '$tmp/zcd';
		print -r -- \$_comps[bopt]")
	[ "$got" = _bopt ]
	result "zsh: compinit registers _bopt for bopt" $? "got: $got"
else
	result "zsh not installed (apt-get install zsh)" 1
fi

if command -v fish >/dev/null; then
	fish -n "$tmp/bopt.fish"
	result "fish -n" $?
	fish_expect() { # WANT LINE
		got=$(fish -N -c "source '$tmp/bopt.fish'; complete -C '$2'" | cut -f1 | sort |
			tr '\n' ' ' | sed 's/ $//')
		[ "$got" = "$1" ]
		result "fish: '$2' -> $1" $? "got: $got"
	}
	fish_expect "csv json markdown ndjson table" "bopt cost --format "
	fish_expect "Kafka Kinesis" "bopt recommend --backend K"
	fish_expect "recommend" "bopt rec"
	fish_expect "bash fish zsh" "bopt completion "
	fish_expect "--pattern" "bopt cost --pat"
else
	result "fish not installed (apt-get install fish)" 1
fi

echo "1..$n"
[ $failed = 0 ]
