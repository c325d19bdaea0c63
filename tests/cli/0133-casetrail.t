#!/usr/bin/env bash
# casetrail, the front door: casetrail TOOL ARGS runs the tool (the one
# beside casetrail first, else PATH's) with its exit status; help and tools
# list the tools with the NAME line of each page; help TOOL runs man, or
# the tool's --help without man; a name that is not a tool is refused with
# the nearest names.
. "$(dirname "$0")/lib.sh"

: "${CT_SOURCE_DIR:?CT_SOURCE_DIR must name the source tree}"
S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
n=$(commits "$S")

run casetrail --version
expect 0 "--version"
is "$(cat "$T/out")" "casetrail $(case-show --version | cut -d' ' -f2)" "names casetrail and the version"
run casetrail --help
expect 0 "--help"
out_has "usage: casetrail [-C dir] tool [arg ...]" "prints the synopsis"
run casetrail
expect 2 "no tool"
err_has "usage: casetrail" "prints the synopsis"

# the list: every tool built but casetrail, with its page's NAME line
run casetrail tools
expect 0 "tools"
want=$(for b in "$CT_BIN"/*; do
	[ -f "$b" ] && [ -x "$b" ] && [ "${b##*/}" != casetrail ] && echo "${b##*/}"
done | sort)
is "$(awk '{print $1}' "$T/out")" "$want" "one line per tool, sorted"
bad=$(while read -r name desc; do
	[ "$desc" = "$(sed -n 's/^\.Nd //p' "$CT_SOURCE_DIR/man/man1/$name.1")" ] || echo "$name"
done <"$T/out")
is "$bad" "" "each with its page's NAME line"
cp "$T/out" "$T/tools"
run casetrail help
expect 0 "help"
out_has "$(sed -n 1p "$T/tools")" "help lists the tools too"

# running a tool
run casetrail case-new -C "$S" --today 2026-01-02 --cohort sentenced ACT-0042
expect 0 "casetrail case-new"
is "$(commits "$S")" "$((n + 1))" "one commit"
is "$(trailer "$S" Tool)" "case-new 0.1.0" "made by case-new"
run casetrail -C "$S" case-show --path ACT-0042
expect 0 "casetrail -C DIR case-show"
is "$(cat "$T/out")" "$(shard ACT-0042)" "the tool got -C and its arguments"
run casetrail -C "$S" case-show --path ACT-0099
expect 2 "the tool's exit status"
err_has "case-show: case ACT-0099 does not exist" "the tool's message, in its name"
run casetrail case-show --version
expect 0 "a tool's --version is the tool's"
out_has "case-show 0.1.0" "... not casetrail's"

# the tool beside casetrail first, else PATH's
mkdir -p "$T/beside" "$T/alone"
cp "$CT_BIN/casetrail" "$T/beside/"
printf '#!/bin/sh\necho "beside $*"\n' >"$T/beside/case-show"
chmod +x "$T/beside/case-show"
run "$T/beside/casetrail" case-show x
is "$(cat "$T/out")" "beside x" "the tool beside casetrail"
cp "$CT_BIN/casetrail" "$T/alone/"
run "$T/alone/casetrail" -C "$S" case-show --path ACT-0042
expect 0 "else the one in PATH"
is "$(cat "$T/out")" "$(shard ACT-0042)" "... runs it"

# not a tool
run casetrail case-shw ACT-0042
expect 2 "a misspelt tool"
err_has "casetrail: 'case-shw' is not a casetrail tool; did you mean 'case-show'?" "suggests it"
run casetrail disclose
expect 2 "an abbreviation"
err_has "did you mean 'disclose-log'?" "suggests the tool it begins"
run casetrail ls
expect 2 "a name near none"
err_has "'ls' is not a casetrail tool; see 'casetrail tools'" "says where to look"
run casetrail ../bin/case-show
expect 2 "a path is not a tool"
run casetrail --bogus
expect 2 "an unknown option"
err_has "unknown option '--bogus'" "names it"
run casetrail -C "$S" tools
expect 2 "-C with tools"

# help TOOL: man, else --help
mkdir -p "$T/man-bin"
printf '#!/bin/sh\necho "man $*"\n' >"$T/man-bin/man"
chmod +x "$T/man-bin/man"
PATH="$T/man-bin:$PATH" run casetrail help case-show
expect 0 "help TOOL"
is "$(cat "$T/out")" "man case-show" "runs man TOOL"
PATH="$T/man-bin:$PATH" run casetrail help casetrail
is "$(cat "$T/out")" "man casetrail" "help casetrail: this page"
PATH="$CT_BIN" run "$CT_BIN/casetrail" help case-show
expect 0 "help TOOL without man"
out_has "usage: case-show" "prints the tool's --help"
run casetrail help case-shwo
expect 2 "help of a misspelt tool"
err_has "did you mean 'case-show'?" "suggests it"

is "$(commits "$S")" "$((n + 1))" "no other commit"
clean "$S" "at the end"
done_testing
