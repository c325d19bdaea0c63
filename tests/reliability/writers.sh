# The writers of the reliability tests (crash, concurrency, full disk),
# in one place.  Source it after tests/cli/lib.sh.
#
#   rel_store DIR             a store with the records the writers change
#   rel_cmd KIND SLOT SEQ TAG sets REL_CMD to the command line of one write
#                             by the tool KIND on the record SLOT (0-7)
#                             picks; SEQ (unique per write) makes its
#                             content new; TAG ends its Reason trailer
#                             and REL_IN_RECORD to yes when TAG is also
#                             written into the record, else no
#   rel_write KIND SLOT SEQ TAG  runs it
#   rel_tags DIR              the tags of every write in DIR's history
#
# The store is $RS.  To drive another tool: add its name to REL_WRITERS, a
# rel_w_<name> function below, and what it needs to rel_store.  Several
# slots share a record, so concurrent writers meet on the same file.
REL_WRITERS="case_event csp_update disclose_add cmp_review authority_notice"
REL_TODAY=2026-08-10
REL_FIX="${CT_FIXTURES:?}"

rel_store() {
	local s=$1 i
	new_store "$s" VIC || return 1
	{
		for i in 0 1 2 3; do
			case-new -C "$s" --today 2026-03-01 --cohort post-sentence "V$i" &&
			case-event -C "$s" "V$i" order-made --date 2026-03-02 --order supervision &&
			csp-new -C "$s" --today 2026-03-03 -f "$REL_FIX/csp/plan-djcs-dffh.yaml" "V$i" || return 1
		done
		for i in 0 1; do
			case-new -C "$s" --today 2026-03-01 --jurisdiction ACT --cohort sentenced "A$i" &&
			assess-add -C "$s" --today 2026-03-10 --date 2026-03-04 \
			    --items 000000000000000000000000000000000000000000000000000000 "A$i" lsi-r &&
			cmp-new -C "$s" --today 2026-03-10 --kind custodial \
			    -f "$REL_FIX/cmp/custodial-act-0042.yaml" "A$i" || return 1
		done
	} >/dev/null 2>&1
}

# case-event: an event on a new day on A0 or A1 (shared by half the slots)
rel_w_case_event() {
	REL_IN_RECORD=yes
	REL_CMD=(case-event -C "$RS" "A$(($1 % 2))" engaged \
	    --date "$(date -d "2026-01-01 + $2 days" +%F)" -m "$3")
}

# csp-update: on one agency's requests of one CSP (each slot its own pair,
# two slots per CSP), a request when none is open, else its answer
rel_w_csp_update() {
	local id="V$(($1 % 2 + 2 * ($1 / 4)))" ag
	ag=$( [ $(($1 / 2 % 2)) -eq 0 ] && echo djcs || echo dffh)
	if csp-update -C "$RS" --today "$REL_TODAY" list --outstanding --agency "$ag" \
	    --format csv 2>/dev/null | grep -q "^$id,"; then
		REL_IN_RECORD=yes
		REL_CMD=(csp-update -C "$RS" --today "$REL_TODAY" -m "$3" record --agency "$ag"
		    --received "$REL_TODAY" --delivered "delivered $3" --next "next $3" "$id")
	else
		REL_IN_RECORD=no
		REL_CMD=(csp-update -C "$RS" --today "$REL_TODAY" -m "$3" request --agency "$ag"
		    --via written --due 2026-08-31 "$id")
	fi
}

# disclose-log add: a new entry in the register of V0..V3
rel_w_disclose_add() {
	REL_IN_RECORD=yes
	REL_CMD=(disclose-log -C "$RS" -m "$3" add "V$(($1 % 4))" --to dffh --purpose csp
	    --info "plan summary $3" --date "$REL_TODAY")
}

# cmp-review: a new version of the custodial plan of A0 or A1
rel_w_cmp_review() {
	REL_IN_RECORD=yes
	REL_CMD=(cmp-review -C "$RS" --today "$REL_TODAY" --kind custodial --reason scheduled
	    -m "$3" -f "$REL_FIX/cmp/custodial-act-0042.yaml" "A$(($1 % 2))")
}

# authority-notice add: a new notice of the Post-Sentence Authority on
# V0..V3 (one record per case, shared by two slots)
rel_w_authority_notice() {
	REL_IN_RECORD=yes
	REL_CMD=(authority-notice -C "$RS" --today "$REL_TODAY" -m "$3" add
	    --kind update-request --asks "progress update $3" --due 2026-09-01
	    --received "$REL_TODAY" "V$(($1 % 4))")
}

rel_cmd() {
	local kind=$1
	shift
	REL_CMD=()
	"rel_w_$kind" "$@"
}

rel_write() {
	rel_cmd "$@" && "${REL_CMD[@]}"
}

rel_tags() {
	git -C "$1" log --format='%(trailers:key=Reason,valueonly)' |
	    sed -n 's/^\(.*: \)\{0,1\}\(rel-[0-9][0-9]*-[0-9][0-9]*\)$/\2/p'
}
