#!/bin/sh
# make demo: build two demo stores (VIC and ACT) under BUILD/demo with the
# real tools, then show their audited history and the cases.
# usage: sh examples/demo.sh BUILD
set -eu

build=${1:-build}
bin=$(cd "$build/bin" && pwd)
demo="$build/demo"
PATH="$bin:$PATH"
rm -rf "$demo"
mkdir -p "$demo/home"
# the demo runs as its own git identity, a registered operator
HOME=$(cd "$demo/home" && pwd)
export HOME PATH
unset GIT_DIR GIT_WORK_TREE CASETRAIL_STORE CASETRAIL_TODAY
git config --global user.name "Sam Officer"
git config --global user.email sam.officer@example.gov.au
export CASETRAIL_TODAY=2026-11-24

step() { printf '\n$ %s\n' "$*"; "$@"; }

echo "== Victoria: Serious Offenders Act 2018 store =="
V="$demo/vic"
step store-init -C "$V" --jurisdiction VIC
for a in "djcs|Department of Justice and Community Safety (chair)" \
         "dffh|Department of Families, Fairness and Housing" \
         "dh|Department of Health" \
         "vicpol|Victoria Police"; do
	registry -C "$V" add-agency "${a%%|*}" --name "${a#*|}" --map-member 2>/dev/null
done
registry -C "$V" add-agency forensicare --name "Forensicare (funded by DH)" --funded-by dh 2>/dev/null
step registry -C "$V" add-operator sam --name "Sam Officer" \
	--email sam.officer@example.gov.au --role soct-officer,administrator --agency dffh \
	-m "SOCT officer for the demo"
step case-new -C "$V" --cohort post-sentence --today 2026-03-01 VIC-0007 VIC-0012
step case-event -C "$V" VIC-0007 order-made --date 2026-03-02 --order supervision \
	-m "Supervision Order made by the Supreme Court"
step case-event -C "$V" VIC-0012 order-made --date 2026-05-20 --order interim-supervision
step registry -C "$V" list
# s 284 register (rule VIC-S284): what was disclosed, to whom, for what
registry -C "$V" add-operator jlee --name "Jo Lee" --email jo.lee@example.org \
	--role case-manager --agency forensicare 2>/dev/null
step disclose-log -C "$V" add VIC-0007 --to jlee --purpose csp --means written \
	--info "Draft CSP, treatment goals section" --ref "MAP meeting 2026-03-10" \
	--date 2026-03-04T10:30:00+11:00
step disclose-log -C "$V" add VIC-0012 --to vicpol --purpose risk-reduction \
	--grounds "Threat against a former partner reported on 2026-06-01" \
	--info "Current address and vehicle registration" --means verbal --date 2026-06-02
step disclose-log -C "$V" list
step disclose-log -C "$V" verify
# Coordinated Services Plan: drafted, endorsed by the MAP, the six-monthly
# review run (VIC-CSP-REVIEW, VIC-SDU), re-endorsed
cat >"$demo/vic-0007-csp.yaml" <<'EOF'
services:
  - id: s1
    agency: djcs
    delivers: Specialist case management
    addresses: Compliance with the Supervision Order conditions
    frequency: weekly
    start: '2026-03-02'
    status: active
  - id: s2
    agency: dh
    provider: forensicare
    delivers: Forensic mental health treatment, individual sessions
    addresses: Mental illness
    frequency: fortnightly
    start: '2026-03-16'
    status: active
comments: Agreed at the CSP conference of 10 March 2026.
EOF
step csp-new -C "$V" --today 2026-03-10 -f "$demo/vic-0007-csp.yaml" \
	-m "CSP conference 10 March 2026" VIC-0007
step csp-endorse -C "$V" --today 2026-03-20 --meeting "MAP 2026-03" \
	--date 2026-03-20 --agency djcs,dh VIC-0007
step deadline-check -C "$V" --today 2026-08-20 --rule VIC-CSP-REVIEW --status all --explain
if command -v jq >/dev/null 2>&1; then
	step sh "$(dirname "$0")/soct-review-run.sh" -C "$V" --today 2026-08-20 42 2026-09-04
else
	step csp-update -C "$V" --today 2026-08-20 request --agency all \
		--via written --due 2026-09-04 VIC-0007
fi
step csp-update -C "$V" --today 2026-08-28 record --agency forensicare \
	--received 2026-08-28 --delivered "Twelve fortnightly sessions; two missed" \
	--next "Sessions continue; goal: medication adherence" VIC-0007
step csp-new -C "$V" --today 2026-09-01 --review -m "Six-monthly review" VIC-0007
step csp-endorse -C "$V" --today 2026-09-15 --meeting "MAP 2026-09" \
	--date 2026-09-15 --agency djcs,dh VIC-0007
step deadline-check -C "$V" --rule VIC-CSP-REVIEW --rule VIC-SDU --status all --explain || true
step csp-update -C "$V" list || true

echo
echo "== Victoria: Post-Sentence Authority notices and the MAP meeting pack =="
step authority-notice -C "$V" add --received 2026-10-05 --kind report-request \
	--asks "Progress report on treatment and accommodation" --due 2026-10-19 \
	--agency dh,dffh --ref PSA/2026/117 VIC-0007
step authority-notice -C "$V" respond --notice n1 --date 2026-10-16 \
	--summary "Report sent with DH and DFFH contributions" --ref SOCT-L-2026-88 VIC-0007
step authority-notice -C "$V" add --received 2026-11-02 --kind conditions-instruction \
	--asks "Curfew varied to 9 pm; confirm the services are adjusted" --due 2026-11-16 VIC-0012
# exit status 1: VIC-0012's notice is overdue (rule VIC-AUTHORITY-NOTICE)
step authority-notice -C "$V" list || true
step csp-pack -C "$V" --meeting "MAP 2026-12" --date 2026-12-03 \
	--out "$demo/map-2026-12.html" --share-with-map \
	-m "Pack sent to the MAP members" VIC-0007 VIC-0012
echo "(open $demo/map-2026-12.html in a browser; it prints a page per case)"
step disclose-log -C "$V" list --purpose csp

echo
echo "== ACT: Case Management Policy 2022 store =="
A="$demo/act"
store-init -C "$A" --jurisdiction ACT
registry -C "$A" add-agency actcs --name "ACT Corrective Services" 2>/dev/null
registry -C "$A" add-operator sam --name "Sam Officer" \
	--email sam.officer@example.gov.au --role case-manager,cmu-team-leader,administrator \
	--agency actcs 2>/dev/null
step case-new -C "$A" --cohort sentenced --today 2026-09-01 --manager sam ACT-0042
step case-event -C "$A" ACT-0042 sentence-commenced --date 2026-09-01
step case-event -C "$A" ACT-0042 stage-changed --date 2026-09-15 --stage custodial
step case-event -C "$A" ACT-0042 eprd-set --date 2028-03-31 \
	-m "Earliest possible release date from the sentence"
step case-new -C "$A" --cohort remandee --today 2026-11-10 ACT-0077
step case-event -C "$A" ACT-0077 reception --date 2026-11-10

echo
echo "== ACT: a custodial Case Management Plan made, reviewed, approved =="
# rule ACT-LSIR: the plan is made on an LSI-R of the last 12 months
step assess-add -C "$A" --today 2026-09-10 ACT-0042 lsi-r --date 2026-09-10 \
	--items 101010101001100110000101100011110101010010010001100101
cat >"$demo/plan-act-0042.yaml" <<'YAML'
goals:
  - Complete a drug and alcohol program before the earliest release date
  - Find stable accommodation for release
needs:
  - id: N1
    domain: alcohol-drug
    description: Methamphetamine use linked to the offences
    interventions:
      - type: program
        description: Solaris therapeutic community program
    target: '2027-06-30'
    status: open
  - id: N2
    domain: accommodation
    description: Homeless before reception
    interventions:
      - type: support
        description: Justice Housing application
    target: '2027-09-30'
    status: open
s78:
  work_activities: Bakery work five days a week; literacy classes
  needs_capacity_welfare: See N1 and N2; no disability identified
  release_preparation: Justice Housing and Centrelink referrals six months before the EPRD
YAML
step cmp-new -C "$A" --today 2026-09-20 --kind custodial -f "$demo/plan-act-0042.yaml" \
	-m "Developed with the offender" ACT-0042
# the CMU Team Leader approves (rule ACT-CMP-CUSTODIAL), as a second
# operator with their own git identity: nobody approves their own plan
registry -C "$A" add-operator lee --name "Lee Leader" \
	--email lee.leader@example.gov.au --role cmu-team-leader --agency actcs 2>/dev/null
mkdir -p "$demo/home-lee"
printf '[user]\n\tname = Lee Leader\n\temail = lee.leader@example.gov.au\n' \
	>"$demo/home-lee/.gitconfig"
lee() { HOME=$(cd "$demo/home-lee" && pwd) "$@"; }
step lee cmp-approve -C "$A" --today 2026-09-22 --kind custodial ACT-0042 \
	-m "Discussed with the case manager"
# a risk rating change triggers a review (rule ACT-EVENT-REVIEW)
step case-event -C "$A" ACT-0042 risk-rating-changed --date 2026-10-20 \
	--rating medium-high -m "Positive drug test"
sed 's/^        description: Solaris therapeutic community program$/&\
      - type: support\
        description: Weekly AOD counselling until the program starts/' \
	"$demo/plan-act-0042.yaml" >"$demo/plan-act-0042-v2.yaml"
step cmp-review -C "$A" --today 2026-10-27 --kind custodial --reason risk-rating-change \
	-m "Relapse: weekly AOD counselling added" --offender-participated \
	-f "$demo/plan-act-0042-v2.yaml" ACT-0042
step lee cmp-approve -C "$A" --today 2026-10-28 --kind custodial ACT-0042

echo
echo "== ACT: contacts, non-engagement, remand plan copies, pre-release reports =="
# regular contact (cl 1.12-1.13, rule ACT-CONTACT): that it happened and
# what it was for, not a case note
step contact-add -C "$A" --today 2026-11-02 --date 2026-11-02 --kind in-person \
	-m "Reviewed progress on N1 and N2; AOD counselling attendance" ACT-0042
# the program's Team Leader tells the CM the offender is not engaging
# (cl 1.11): the plan no longer meets their needs, a review is due
step case-event -C "$A" ACT-0042 not-engaging --date 2026-11-05 \
	--service "Weekly AOD counselling" --notified-by "Team Leader, AOD programs"
# a community case may refer a breach to the SAB or the sentencing court
step case-new -C "$A" --cohort sentenced --today 2026-10-01 ACT-0099
step case-event -C "$A" ACT-0099 stage-changed --date 2026-10-01 --stage community
step case-event -C "$A" ACT-0099 breach-referred --date 2026-11-20 --to sab \
	-m "Three missed appointments"
# a remand plan after 4 weeks in custody; a copy goes to the remandee's
# Accommodation Area Supervisor (rule ACT-REMAND-CMP-COPY)
step case-new -C "$A" --cohort remandee --today 2026-10-01 ACT-0078
step case-event -C "$A" ACT-0078 reception --date 2026-10-01
cat >"$demo/plan-act-0078.yaml" <<'YAML'
goals:
  - Keep in touch with family while on remand
needs:
  - id: N1
    domain: family-marital
    description: No contact with children since reception
    interventions:
      - type: support
        description: Family contact visits
    target: '2027-02-28'
    status: open
YAML
step cmp-new -C "$A" --today 2026-11-16 --kind remand -f "$demo/plan-act-0078.yaml" ACT-0078
step deadline-check -C "$A" --rule ACT-REMAND-CMP-COPY || true
step cmp-copy -C "$A" --date 2026-11-24 --supervisor "CO2, Area 4" ACT-0078
# the SAB Secretariat asks for a pre-release report: a Community
# Corrections Officer is allocated, the report has a due date (ACT-SAB-REPORT)
registry -C "$A" add-operator jo --name "Jo Lee" \
	--email jo.lee@example.gov.au --role community-corrections-officer \
	--agency actcs 2>/dev/null
step sab-report -C "$A" request --ref SAB-2026-031 --requested 2026-11-16 \
	--officer jo --due 2026-12-11 ACT-0042
step deadline-check -C "$A" --status all --rule ACT-CONTACT --rule ACT-EVENT-REVIEW \
	--rule ACT-REMAND-CMP-COPY --rule ACT-SAB-REPORT || true

echo
echo "== The audit trail: one commit per change, with trailers =="
step git -C "$A" log --format='%h %an%n    %s%n%(trailers:separator=%x0a,key=Reason,key=Case,key=Record,key=Action,key=Approved-by,key=Tool)%n' -6

echo
echo "== A case as the store holds it, and its history field by field =="
step case-show -C "$A" ACT-0042
step case-log -C "$A" --record cmp/custodial ACT-0042
step store-verify -C "$A"   # the whole history: records, trailers, roles

echo
echo "== The morning deadline report (as of $CASETRAIL_TODAY) =="
# exit status 1 means something is overdue: that is the demo's point
step deadline-check -C "$A" --explain || true
step deadline-check -C "$V" || true
