#!/usr/bin/env bash
# The README is a test: its stories run as written.
#
# Every fenced block of README.md whose info string is exactly "sh" is
# run, in order, as one bash script with set -e: in a fresh HOME (with a
# git identity) and an empty working directory, the built tools first on
# PATH, EX naming the source tree's examples/ (as the README tells a reader
# outside the tree to set it), and no network where the machine lets a
# user make a network namespace.  The README sets CASETRAIL_TODAY itself
# where the story needs a date.
#
# Blocks that must not run here are fenced as something else: "console"
# for commands to type on another machine or with other means (the two
# make commands, a server, an ssh remote, a signing key), "text" for
# output.  A reader sees no difference; the runner skips them.
#
# One test per block: a failing block is named by its first line in
# README.md, with the command that failed and its output.  Then a few
# lines the README promises are looked for in the output.
. "$(dirname "$0")/lib.sh"

: "${CT_SOURCE_DIR:?CT_SOURCE_DIR must name the source tree}"
README="$CT_SOURCE_DIR/README.md"

if ! command -v jq >/dev/null 2>&1; then
	echo "1..0 # SKIP the Victorian story pipes deadline-check into jq, not installed"
	exit 0
fi

# the blocks: one file of bash, each block preceded by a marker command
awk -v q='```' '
	function open_fence(l) { return substr(l, 1, 3) == q }
	inblk == 0 && open_fence($0) {
		info = substr($0, 4)
		inblk = 1
		if (info == "sh") {
			run = 1
			nblk++
			printf "__ct_block %d\n", NR + 1
		} else
			run = 0
		next
	}
	inblk == 1 && $0 == q { inblk = 0; run = 0; next }
	inblk == 1 && run { printf "__ct_at %d; %s\n", NR, $0 }
	END { if (inblk) { print "unterminated fence" > "/dev/stderr"; exit 1 } }
' "$README" >"$T/blocks" || { echo "Bail out! cannot read the blocks of README.md"; exit 1; }

# "__ct_at N; " before every line, so a failure names its README line;
# it is kept off continuation lines (after a trailing backslash or a
# pipe) and lines inside a here-document, where it would be data
awk '
	{
		line = $0
		if (match(line, /^__ct_at [0-9]+; /)) {
			pre = substr(line, 1, RLENGTH); body = substr(line, RLENGTH + 1)
		} else { print; cont = 0; next }
		if (heredoc != "") {
			print body
			if (body == heredoc) heredoc = ""
			next
		}
		if (cont) print body; else print pre body
		if (match(body, /<<-?'"'"'?[A-Za-z_]+'"'"'?/)) {
			heredoc = substr(body, RSTART, RLENGTH)
			gsub(/[<'"'"'-]/, "", heredoc)
		}
		cont = body ~ /(\\|\||&&)[ \t]*(#.*)?$/
	}' "$T/blocks" >"$T/body"

W="$T/work"
mkdir -p "$W"
cat >"$T/readme.sh" <<'SH'
set -e
__ct_block() {
	[ -n "${__ct_first:-}" ] && echo "block $__ct_first" >&3
	__ct_first=$1
	printf '### README.md:%s\n' "$1"
}
__ct_at() { __ct_line=$1; }
trap 'rc=$?; echo "### failed: README.md:${__ct_line:-?} (block at line ${__ct_first:-?}): exit $rc: $BASH_COMMAND"' ERR
SH
cat "$T/body" >>"$T/readme.sh"
printf '%s\n' '[ -n "${__ct_first:-}" ] && echo "block $__ct_first" >&3' 'exit 0' \
    >>"$T/readme.sh"

# no network: a private network namespace when the machine allows it
nonet=
if unshare -rn true 2>/dev/null; then nonet="unshare -rn"; fi
# CT_README_EX: run the stories on an installed share/casetrail/examples
export EX="${CT_README_EX:-$CT_SOURCE_DIR/examples}"
export http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 \
    GIT_SSH_COMMAND=false GIT_ALLOW_PROTOCOL=file
start=$(date +%s)
(cd "$W" && $nonet bash "$T/readme.sh" >"$T/log" 2>&1 3>"$T/done" </dev/null)
status=$?
end=$(date +%s)

grep -n '^__ct_block ' "$T/blocks" | sed 's/.*__ct_block //' >"$T/all"
while read -r first; do
	if grep -qx "block $first" "$T/done"; then
		ok "README.md block at line $first runs"
	elif [ "$status" -ne 0 ] && ! grep -q "^### failed: .*block at line $first)" "$T/log"; then
		not_ok "README.md block at line $first runs" "not run: an earlier block failed"
	else
		not_ok "README.md block at line $first runs" \
		    "$(grep '^### failed: ' "$T/log" | tail -1 | sed 's/^### failed: //')"
		awk -v m="### README.md:$first" '$0 == m { on = 1; next } on' "$T/log" |
		    grep -v '^### ' | tail -25 | sed 's/^/#   output: /'
	fi
done <"$T/all"
[ -s "$T/all" ] || not_ok "README.md has runnable blocks" "no \`\`\`sh block found"
echo "# README blocks ran in $((end - start)) s"

# every example file the stories name is shipped in examples/, which is
# installed
for f in $(grep -o '\$EX/[A-Za-z0-9._-]*' "$README" | sed 's|^\$EX/||' | sort -u); do
	check "README: examples/$f exists" test -f "$CT_SOURCE_DIR/examples/$f"
done
check "README: examples/ is installed" \
    grep -q '^install(DIRECTORY examples/ DESTINATION ${CT_DATADIR}/examples' \
    "$CT_SOURCE_DIR/CMakeLists.txt"

# what the stories promise
claim() {
	if grep -qE -- "$1" "$T/log"; then ok "README: $2"; else
		not_ok "README: $2" "the output lacks /$1/"; fi
}
if [ "$status" -eq 0 ]; then
	check "README: the tour writes its calendar, deadlines.ics" \
	    grep -q '^BEGIN:VCALENDAR' "$W/deadlines.ics"
	claim 'VIC-0007 +VIC-CSP-REVIEW .*csp endorsement 1 2026-03-20' \
	    "VIC-CSP-REVIEW counts from the MAP endorsement of 20 March"
	claim '^2026-09-20 ' "the first review is due 2026-09-20"
	claim '^2027-03-15 .*VIC-0007 +VIC-CSP-REVIEW' "after the second endorsement it is due 2027-03-15"
	claim 'exit status 1: some are overdue' "an overdue update or notice exits 1"
	claim 'ACT-0042 +ACT-EVENT-REVIEW .*risk-rating-changed 2026-10-02' \
	    "the risk rating change makes a review due (ACT-EVENT-REVIEW)"
	claim 'ACT-0042 +ACT-SAB-REPORT' "the SAB report request is due (ACT-SAB-REPORT)"
fi
done_testing
