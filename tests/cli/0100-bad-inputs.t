#!/usr/bin/env bash
# The bad-input corpus: every file of tests/fixtures/bad/ fed through the
# tool that would read it, as tests/fixtures/bad/MANIFEST says:
#
#   FILE | EXIT | FRAGMENT | HOW
#
# HOW names one of the feeders below (the file as a plan, a rules file
# committed into the store, a case id, the text of a flag, ...).  Each
# must exit EXIT (2) with FRAGMENT in its message, and commit nothing.
# CT_BAD_SHOW=1 prints every message instead (to write a new line).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../reliability/writers.sh"
: "${CT_FIXTURES:?}"
BAD="$CT_FIXTURES/bad"
PLAN="$CT_FIXTURES/cmp/custodial-act-0042.yaml"
Z54=000000000000000000000000000000000000000000000000000000

S="$T/s"
RS=$S
rel_store "$S" && {
	case-new -C "$S" --today 2026-03-01 --jurisdiction ACT --cohort sentenced A2 &&
	assess-add -C "$S" --today 2026-03-10 --date 2026-03-04 --items $Z54 A2 lsi-r &&
	case-new -C "$S" --today 2026-03-01 --cohort post-sentence V4 &&
	case-event -C "$S" V4 order-made --date 2026-03-02 --order supervision &&
	csp-update -C "$S" --today 2026-08-10 request --agency djcs --via written \
	    --due 2026-08-31 V0
} >/dev/null 2>&1 || { echo "Bail out! cannot make a store"; exit 1; }

# W: a copy of the store with FILE committed at PATH (by git, as someone
# might), for the records and rules the tools read from the store
commit_into() {
	W="$T/w"
	rm -rf "$W"
	cp -a "$S" "$W"
	mkdir -p "$W/$(dirname "$2")"
	cp "$1" "$W/$2"
	git -C "$W" add -- "$2" && git -C "$W" commit -q -m "hand edit" -- "$2"
}

# the feeders: $1 is the file
plan() { cmp-new -C "$S" --today 2026-03-10 --kind custodial -f "$1" A2; }
services() { csp-new -C "$S" --today 2026-03-03 -f "$1" V4; }
answer() {
	csp-update -C "$S" --today 2026-08-10 record --agency djcs \
	    --received 2026-08-10 -f "$1" V0
}
items() { assess-add -C "$S" --today 2026-03-10 --date 2026-03-09 -f "$1" A2 lsi-r; }
rules() { commit_into "$1" rules/deadlines.yaml && deadline-check -C "$W" --today 2026-08-10; }
record() {
	commit_into "$1" "$(shard A0)/case.yaml" &&
	case-event -C "$W" A0 engaged --date 2026-08-01
}
id() { case-new -C "$S" --today 2026-03-01 --cohort sentenced "$(cat "$1")"; }
idstdin() { case-new -C "$S" --today 2026-03-01 --cohort sentenced - <"$1"; }
note() { case-event -C "$S" A0 engaged --date 2026-08-01 -m "$(cat "$1")"; }
reason-new() { case-new -C "$S" --today 2026-03-01 --cohort sentenced -m "$(cat "$1")" NEW1; }
csp-reason() {
	csp-update -C "$S" --today 2026-08-10 -m "$(cat "$1")" request \
	    --agency dffh --via written --due 2026-08-31 V1
}
delivered() {
	csp-update -C "$S" --today 2026-08-10 record --agency djcs \
	    --received 2026-08-10 --delivered "$(cat "$1")" --next "more" V0
}
info() {
	disclose-log -C "$S" add V1 --to dffh --purpose csp --info "$(cat "$1")" \
	    --date 2026-08-10
}
grounds() {
	disclose-log -C "$S" add V1 --to dffh --purpose risk-reduction \
	    --info "risk notes" --grounds "$(cat "$1")" --date 2026-08-10
}
ref() {
	disclose-log -C "$S" add V1 --to dffh --purpose csp --info "plan" \
	    --ref "$(cat "$1")" --date 2026-08-10
}
review-summary() {
	cmp-review -C "$S" --today 2026-08-10 --kind custodial --reason scheduled \
	    -m "$(cat "$1")" -f "$PLAN" A0
}
approve-note() { cmp-approve -C "$S" --today 2026-08-10 --kind custodial -m "$(cat "$1")" A0; }
meeting() {
	csp-endorse -C "$S" --today 2026-08-10 --meeting "$(cat "$1")" \
	    --date 2026-08-10 --agency djcs,dffh V1
}
registry-name() { registry -C "$S" add-agency newagency --name "$(cat "$1")"; }
assess-reason() {
	assess-add -C "$S" --today 2026-03-10 --date 2026-03-09 -m "$(cat "$1")" \
	    --items $Z54 A2 lsi-r
}

n=0
while IFS='|' read -r file want frag how; do
	file=$(echo $file) want=$(echo $want) how=$(echo $how)
	frag=${frag# } frag=${frag% }
	case $file in ''|\#*) continue ;; esac
	n=$((n + 1))
	head=$(git -C "$S" rev-parse HEAD)
	W=
	"$how" "$BAD/$file" >"$T/out" 2>"$T/err" </dev/null
	rc=$?
	whead=
	[ -n "$W" ] && whead=$(git -C "$W" rev-parse HEAD)
	if [ -n "${CT_BAD_SHOW:-}" ]; then
		echo "# $file ($how) exit $rc: $(tr '\n' '~' <"$T/err" | cut -c1-300)"
		continue
	fi
	if [ "$rc" -eq "$want" ] && grep -qF -- "$frag" "$T/err"; then
		ok "$file: $how exits $want: $frag"
	else
		not_ok "$file: $how exits $want: $frag" "exit $rc"
	fi
	[ "$(git -C "$S" rev-parse HEAD)" = "$head" ] || not_ok "$file: nothing committed"
	if [ -n "$W" ] && [ "$(git -C "$W" rev-parse HEAD)" != "$whead" ]; then
		not_ok "$file: nothing committed on the hand-edited store"
	fi
	if [ -s "$T/out" ] && [ "$how" != rules ]; then
		not_ok "$file: nothing on stdout" "$(head -3 "$T/out")"
	fi
done <"$BAD/MANIFEST"

check "at least 100 bad inputs tried ($n)" test "$n" -ge 100
is "$(ls "$BAD" | grep -vc '^MANIFEST$')" "$n" "every file of the corpus is in the MANIFEST"
clean "$S" "after the bad inputs"
done_testing
