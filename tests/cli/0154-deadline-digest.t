#!/usr/bin/env bash
# deadline-digest: one RFC 5322 message per person per run (an mbox on
# stdout, a maildir, or sendmail -t), saying what became due or overdue
# in the cases they manage since their previous digest, then everything
# open; nothing for a person with nothing new; remembered per recipient
# under the git directory; -n remembers nothing.
. "$(dirname "$0")/lib.sh"

S="$T/s"
new_store "$S" ACT || { echo "Bail out! cannot make a store"; exit 1; }
{
	registry -C "$S" add-operator cam --name "Cam Manager" --email cam@example.org --role case-manager --agency djcs &&
	registry -C "$S" add-operator jo --name "Jo Manager" --email jo@example.org --role case-manager --agency dffh &&
	case-new -C "$S" --today 2026-03-01 --cohort remandee --manager cam R1 R3 &&
	case-new -C "$S" --today 2026-03-01 --cohort remandee --manager jo R2 &&
	case-event -C "$S" --today 2026-03-02 R1 reception --date 2026-03-02 &&
	case-event -C "$S" --today 2026-03-02 R2 reception --date 2026-03-02
} >/dev/null 2>"$T/setup.err" || { echo "Bail out! $(head -2 "$T/setup.err")"; exit 1; }
G=$(git -C "$S" rev-parse --absolute-git-dir)

# 2 Mar + 5 business days (Canberra Day 9 Mar) = 10 Mar; due from 6 Mar
run deadline-digest -C "$S" --today 2026-03-05
expect 0 "nothing due yet"
is "$(cat "$T/out")" "" "no message"
err_has "0 messages, 0 with nothing new" "says so"

run deadline-digest -C "$S" --today 2026-03-09 --from "SOCT <soct@example.org>"
expect 0 "a digest run"
is "$(grep -c '^From casetrail@localhost ' "$T/out")" "2" "two messages, an mbox"
check "to cam" grep -qx 'To: Cam Manager <cam@example.org>' "$T/out"
check "to jo" grep -qx 'To: Jo Manager <jo@example.org>' "$T/out"
check "from the address given" grep -qx 'From: SOCT <soct@example.org>' "$T/out"
check "a subject with counts and cases" grep -qx 'Subject: casetrail: 0 overdue, 1 due in your cases (R1)' "$T/out"
check "a Date" grep -qE '^Date: [A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} 20[0-9]{2} [0-9:]{8} \+0000$' "$T/out"
check "auto-generated" grep -qx 'Auto-Submitted: auto-generated' "$T/out"
check "the new findings" grep -q '^New since your last digest (1):' "$T/out"
check "the rule" grep -q 'ACT-REMAND-ENGAGE' "$T/out"
check "the state is kept under the git directory" test -f "$G/casetrail/digest/cam"
python3 - "$T/out" <<'PY' && ok "each message parses as RFC 5322 (mailbox module)" || not_ok "each message parses as RFC 5322 (mailbox module)"
import mailbox, sys
box = mailbox.mbox(sys.argv[1])
msgs = list(box)
assert len(msgs) == 2, len(msgs)
for m in msgs:
    assert m["To"] and m["Subject"] and m["Message-ID"], m.items()
    assert m.get_content_type() == "text/plain"
    assert "deadline-check --manager" in m.get_payload()
PY

run deadline-digest -C "$S" --today 2026-03-09
is "$(cat "$T/out")" "" "the same day again: nothing new, no message"
err_has "0 messages, 2 with nothing new" "says so"
run deadline-digest -C "$S" --today 2026-03-11
is "$(grep -c '^From casetrail' "$T/out")" "2" "overdue now: new again"
check "... as overdue" grep -qx 'Subject: casetrail: 1 overdue, 0 due in your cases (R1)' "$T/out"
run deadline-digest -C "$S" -n --today 2026-03-20
is "$(cat "$T/out")" "" "nothing new: a dry run says nothing"

# a new reception of R3: cam gets a message with both, jo none
case-event -C "$S" --today 2026-03-20 R3 reception --date 2026-03-13 >/dev/null 2>&1
run deadline-digest -C "$S" -n --today 2026-03-20
is "$(grep -c '^From casetrail' "$T/out")" "1" "one message"
check "to cam alone" grep -qx 'To: Cam Manager <cam@example.org>' "$T/out"
check "... new: R3" grep -q '^New since your last digest (1):' "$T/out"
check "... everything open: R1 and R3" grep -q '^Everything open in your cases (2):' "$T/out"
run deadline-digest -C "$S" -n --today 2026-03-20
is "$(grep -c '^From casetrail' "$T/out")" "1" "a dry run remembered nothing"

# a maildir; sendmail
M="$T/Maildir"
mkdir -p "$M/tmp" "$M/new" "$M/cur"
run deadline-digest -C "$S" --today 2026-03-20 --maildir "$M"
expect 0 "into a maildir"
is "$(ls "$M/new" | wc -l | tr -d ' ')" "1" "one message in new/"
is "$(ls "$M/tmp" | wc -l | tr -d ' ')" "0" "nothing left in tmp/"
mkdir -p "$T/bin"
printf '#!/bin/sh\necho "$@" >>"%s/sendmail.args"\ncat >>"%s/sendmail.in"\n' "$T" "$T" >"$T/bin/sendmail"
chmod +x "$T/bin/sendmail"
case-event -C "$S" --today 2026-03-23 R2 released --date 2026-03-23 >/dev/null 2>&1
case-event -C "$S" --today 2026-03-24 R2 reception --date 2026-03-24 >/dev/null 2>&1
run env PATH="$T/bin:$PATH" deadline-digest -C "$S" --today 2026-03-30 --sendmail --to jo
expect 0 "to sendmail"
is "$(cat "$T/sendmail.args")" "-t -i" "sendmail -t -i"
check "the message went in" grep -qx 'To: Jo Manager <jo@example.org>' "$T/sendmail.in"
run deadline-digest -C "$S" --to nobody
expect 2 "an unknown recipient"
err_has "--to: no operator 'nobody'" "says so"
run deadline-digest -C "$S" --maildir "$M" --sendmail
expect 2 "maildir and sendmail together"

done_testing
