#!/usr/bin/env bash
# bash completion (completion/casetrail.bash), sourced and called as bash
# calls it, with COMP_WORDS and COMP_CWORD: tool names, each tool's
# commands, options and option values as its --help gives them, case ids,
# rule ids, agencies and operators from the store at HEAD; for casetrail
# TOOL and for each tool by its own name.
. "$(dirname "$0")/lib.sh"

: "${CT_SOURCE_DIR:?CT_SOURCE_DIR must name the source tree}"
S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
case-new -C "$S" --today 2026-01-02 --cohort sentenced ACT-0042 2>/dev/null
case-new -C "$S" --today 2026-01-02 --cohort sentenced ACT-0078 2>/dev/null
case-new -C "$S" --today 2026-01-02 --cohort sentenced NSW-1 2>/dev/null
n=$(commits "$S")

# shellcheck source=/dev/null
. "$CT_SOURCE_DIR/completion/casetrail.bash"

# comp WORD...: complete the last word of the line WORD... (as typed so
# far), the completions sorted one a line in $got
comp() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	complete_fn=$(complete -p "$1" 2>/dev/null | sed -n 's/.* -F \([^ ]*\) .*/\1/p')
	"$complete_fn" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort)
}
lines() { printf '%s\n' "$@" | sort; }

check "casetrail is completed" complete -p casetrail
check "a tool by its own name too" complete -p case-show

comp casetrail ca
is "$got" "$(lines case-bundle case-event case-import case-log case-new case-show)" "tool names"
comp casetrail t
is "$got" "tools" "casetrail's own commands"
comp casetrail help deadline-c
is "$got" "deadline-check" "help TOOL"
comp casetrail --v
is "$got" "--version" "casetrail's options"

# commands
comp registry l
is "$got" "list" "registry's commands"
comp casetrail registry ''
is "$got" "$(lines add-agency add-operator set-key set-roles deactivate reactivate list)" \
    "every registry command, from its synopsis"
comp store-policy -C "$S" s
is "$got" "$(lines set show)" "store-policy's, after -C DIR"
comp disclose-log -n ''
is "$got" "$(lines add list verify report)" "disclose-log's, after an option"

# options: those of the tool's --help
comp registry --na
is "$got" "--name" "a long option"
comp case-show --
is "$got" "$(case-show --help | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u)" \
    "every long option of case-show --help"
comp casetrail case-show --p
is "$got" "--path" "through casetrail"
comp registry add-agency x --fu
is "$got" "--funded-by" "after the command"

# option values
comp deadline-check --format ''
is "$got" "$(lines text json csv ics)" "the values its synopsis lists"
comp case-new --cohort r
is "$got" "remandee" "... of another tool"
comp deadline-check -C "$S" --rule ACT-REMAND-
is "$got" "$(sed -n 's/^  - id: \(ACT-REMAND-[A-Z0-9-]*\)$/\1/p' "$S/rules/deadlines.yaml" | sort)" \
    "rule ids from the store's rules"
comp deadline-check -C "$S" --case ACT
is "$got" "$(lines ACT-0042 ACT-0078)" "case ids for --case"
comp csp-update -C "$S" record --agency d
is "$got" "$(lines dffh djcs)" "agencies from the registry"
comp case-event -C "$S" --manager ''
is "$got" "$(lines ada bob)" "operators from the registry"
comp case-show -C "$T/s"
is "$got" "$T/s" "-C completes directories"

# case ids
comp case-show -C "$S" ''
is "$got" "$(lines ACT-0042 ACT-0078 NSW-1)" "case ids from the store"
comp casetrail -C "$S" case-log AC
is "$got" "$(lines ACT-0042 ACT-0078)" "through casetrail -C"
CASETRAIL_STORE="$S" comp case-event N
is "$got" "NSW-1" "from \$CASETRAIL_STORE"
(cd "$S/cases" && comp case-show A && echo "$got" >"$T/got")
is "$(cat "$T/got")" "$(lines ACT-0042 ACT-0078)" "from a directory inside the store"
(cd "$T" && comp case-show A && echo "$got" >"$T/got")
is "$(cat "$T/got")" "" "outside a store, none"

# zsh: _casetrail names every tool on its #compdef line and runs this
# completion through bashcompinit
ZC="$CT_BIN/../completion/_casetrail"
is "$(sed -n 1p "$ZC")" "#compdef casetrail $(casetrail tools | awk '{print $1}' | paste -sd' ')" \
    "zsh: _casetrail is for casetrail and every tool"
if command -v zsh >/dev/null 2>&1; then
	got=$(cd "$S/cases" && zsh -f -c '
	autoload -Uz compinit && compinit -D -d "$1/zcompdump"
	autoload -Uz bashcompinit && bashcompinit
	source "$2"
	words=(registry l) CURRENT=2
	COMP_WORDS=($words) COMP_CWORD=1
	compgen -F __casetrail_by_name -- l
	words=(case-show A) CURRENT=2
	COMP_WORDS=($words) COMP_CWORD=1
	compgen -F __casetrail_by_name -- A' zsh "$T" "$CT_SOURCE_DIR/completion/casetrail.bash" 2>&1 | sort)
	is "$got" "$(lines ACT-0042 ACT-0078 NSW-1 add-agency add-operator deactivate list reactivate set-key set-roles)" \
	    "zsh: the same completions through bashcompinit"
else
	ok "zsh: the same completions through bashcompinit # SKIP no zsh"
fi

is "$(commits "$S")" "$n" "completing commits nothing"
clean "$S" "at the end"
done_testing
