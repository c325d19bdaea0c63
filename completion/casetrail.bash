# bash completion of casetrail and of every casetrail tool by its own name:
# the tools, their commands and options, the values their synopsis lists,
# and from the store at HEAD its case ids, rule ids, agencies and operators.
#
# What a tool takes is read from its own --help the first time it is
# completed, so the completion and the tool never disagree:
#   - an option is a line of the option list ("  -C dir  the store",
#     "  -h, --help"), taking an argument when one word follows it before
#     the column of its description;
#   - the values of an option are those its synopsis lists ("--format
#     text|json|csv"; not placeholders such as "date|rev");
#   - a tool's commands are the first bare words of its synopsis lines, when
#     there are several lines and each begins with one (registry add-agency,
#     store-policy show, ...);
#   - a tool takes case ids when its synopsis says "id".
# The store is the one given with -C, else $CASETRAIL_STORE, else the
# current directory's.

# __casetrail_spec TOOL: the tool's --help, as lines "o OPT" (an option),
# "a OPT" (one that takes an argument), "v OPT VALUE..." (its values),
# "c CMD" (a command) and "i" (it takes case ids).
__casetrail_spec() {
	command "$1" --help 2>/dev/null | awk -v tool="$1" '
	function opt(o, arg) { print "o " o; if (arg) print "a " o }
	BEGIN { para = 0; n = 0; argword = "^ [^ ]+(  |$)" }
	/^$/ { para++; next }
	para == 0 {
		if (index($0, "usage: " tool " ") == 1 ||
		    index($0, "       " tool " ") == 1)
			syn[++n] = substr($0, length(tool) + 9)
		else
			syn[n] = syn[n] " " $0
		next
	}
	/^ +-/ {
		line = $0
		sub(/^ +/, "", line)
		if (match(line, /^-[A-Za-z](, |$| [^ -])/)) {
			short = substr(line, 1, 2)
			line = substr(line, 3)
			sub(/^, /, "", line)
			if (line !~ /^--/) { opt(short, line ~ argword); next }
		} else
			short = ""
		if (match(line, /^--[a-z][a-z0-9-]*/)) {
			long = substr(line, 1, RLENGTH)
			arg = substr(line, RLENGTH + 1) ~ argword
			opt(long, arg)
			if (short != "") opt(short, arg)
		}
	}
	END {
		all = ""
		for (i = 1; i <= n; i++) all = all " " syn[i]
		s = all
		while (match(s, /--[a-z][a-z0-9-]* [A-Za-z0-9-]+(\|[A-Za-z0-9-]+)+/)) {
			v = substr(s, RSTART, RLENGTH)
			s = substr(s, RSTART + RLENGTH)
			gsub(/\|/, " ", v)
			if (v !~ / (id|date|rev|file|dir)( |$)/) print "v " v
		}
		if (all ~ /(^|[ [(])id([.]|[ \]]|$)/) print "i"
		if (n < 2) exit
		for (i = 1; i <= n; i++) {
			s = syn[i]
			while (gsub(/\[[^][]*\]/, "", s)) ;
			split(s, w, " ")
			if (w[1] !~ /^[a-z][a-z|-]*$/) { delete cmds; exit }
			cmds[i] = w[1]
		}
		for (i = 1; i <= n; i++) {
			c = split(cmds[i], w, "|")
			for (j = 1; j <= c; j++) print "c " w[j]
		}
	}'
}

declare -gA __casetrail_specs

# __casetrail_get TOOL KIND [OPT]: the words of the tool's spec of a kind
__casetrail_get() {
	if [[ -z ${__casetrail_specs[$1]+set} ]]; then
		__casetrail_specs[$1]=$(__casetrail_spec "$1")
	fi
	local kind line
	kind=$2${3:+ $3}
	while IFS= read -r line; do
		case $line in
		"$kind") echo . ;;
		"$kind "*) echo "${line#"$kind "}" ;;
		esac
	done <<<"${__casetrail_specs[$1]}"
}

# __casetrail_store: the store named by -C on the line, else
# $CASETRAIL_STORE, else the current directory (git finds its top)
__casetrail_store() {
	local i
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-C) echo "${COMP_WORDS[i + 1]}"; return ;;
		-C?*) echo "${COMP_WORDS[i]#-C}"; return ;;
		esac
	done
	echo "${CASETRAIL_STORE:-.}"
}

# __casetrail_ids WHAT STORE: case ids, rule ids, agencies or operators
__casetrail_ids() {
	local shards
	case $1 in
	cases)
		shards=$(git -C "$2" ls-tree --full-tree -d --name-only HEAD \
		    cases/ 2>/dev/null) || return
		[[ -n $shards ]] || return
		git -C "$2" ls-tree --full-tree -d --name-only HEAD \
		    $(printf '%s/ ' $shards) 2>/dev/null | sed 's|.*/||'
		;;
	rules) git -C "$2" show HEAD:rules/deadlines.yaml 2>/dev/null |
		sed -n 's/^  - id: *//p' ;;
	agencies|operators) git -C "$2" show "HEAD:registry/$1.yaml" \
		2>/dev/null | sed -n 's/^  - id: *//p' ;;
	esac
}

# __casetrail_reply WORD...: the words that begin the word being completed
__casetrail_reply() {
	local cur=${COMP_WORDS[COMP_CWORD]}
	COMPREPLY=($(compgen -W "$*" -- "$cur"))
}

# __casetrail_value TOOL OPT: complete the argument of an option
__casetrail_value() {
	local store values cur=${COMP_WORDS[COMP_CWORD]}
	store=$(__casetrail_store)
	case $2 in
	-C) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--case) __casetrail_reply "$(__casetrail_ids cases "$store")"; return ;;
	--rule) __casetrail_reply "$(__casetrail_ids rules "$store")"; return ;;
	--agency|--funded-by) __casetrail_reply \
		"$(__casetrail_ids agencies "$store") all"; return ;;
	--manager|--officer) __casetrail_reply \
		"$(__casetrail_ids operators "$store")"; return ;;
	esac
	values=$(__casetrail_get "$1" v "$2")
	if [[ -n $values ]]; then
		__casetrail_reply "$values"
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}

# __casetrail_tool START: complete the words of the tool at COMP_WORDS[START]
__casetrail_tool() {
	local tool=${COMP_WORDS[$1]} cur=${COMP_WORDS[COMP_CWORD]} i w
	local prev=${COMP_WORDS[COMP_CWORD - 1]} argopts given=
	argopts=" $(__casetrail_get "$tool" a | tr '\n' ' ') "
	if ((COMP_CWORD > $1 + 1)) && [[ $argopts == *" $prev "* ]]; then
		__casetrail_value "$tool" "$prev"
		return
	fi
	if [[ $cur == -* ]]; then
		__casetrail_reply "$(__casetrail_get "$tool" o)"
		return
	fi
	for ((i = $1 + 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if [[ $argopts == *" $w "* ]]; then
			((i++))
		elif [[ $w != -* ]]; then
			given=$w
			break
		fi
	done
	if [[ -z $given && -n $(__casetrail_get "$tool" c) ]]; then
		__casetrail_reply "$(__casetrail_get "$tool" c)"
	elif [[ -n $(__casetrail_get "$tool" i) ]]; then
		__casetrail_reply "$(__casetrail_ids cases "$(__casetrail_store)")"
	fi
}

# casetrail [-C dir] TOOL ..., casetrail help [TOOL], casetrail tools
__casetrail() {
	local i=1 cur=${COMP_WORDS[COMP_CWORD]} tools
	while ((i < COMP_CWORD)); do
		case ${COMP_WORDS[i]} in
		-C) ((i += 2)) ;;
		-*) ((i++)) ;;
		*) break ;;
		esac
	done
	if ((i == COMP_CWORD)); then
		if [[ ${COMP_WORDS[i - 1]} == -C ]]; then
			COMPREPLY=($(compgen -d -- "$cur"))
		elif [[ $cur == -* ]]; then
			__casetrail_reply "$(__casetrail_get "$1" o)"
		else
			tools=$(command "$1" tools 2>/dev/null | awk '{print $1}')
			__casetrail_reply "$tools help tools"
		fi
		return
	fi
	case ${COMP_WORDS[i]} in
	help) ((COMP_CWORD == i + 1)) && __casetrail_reply \
		"$(command "$1" tools 2>/dev/null | awk '{print $1}') casetrail" ;;
	tools) ;;
	*) __casetrail_tool "$i" ;;
	esac
}

# a tool by its own name
__casetrail_by_name() {
	__casetrail_tool 0
}

complete -F __casetrail casetrail
complete -F __casetrail_by_name $(casetrail tools 2>/dev/null | awk '{print $1}')
