#!/bin/sh
# make pack-preview: a small VIC store made with the real tools, its MAP
# meeting pack, and that pack rendered by headless Chromium as a PDF and
# a PNG screenshot, so the printed pack can be looked at.
# usage: sh scripts/pack-preview.sh BIN OUT
#   BIN  the directory of the built tools
#   OUT  where pack-preview.html, .pdf and .png are written (the store is
#        OUT/pack-preview-store)
set -eu

name=pack-preview user="Sam Officer" email=sam.officer@example.gov.au
. "$(dirname "$0")/preview-env.sh"
export CASETRAIL_TODAY=2026-08-17

{
	store-init -C "$S" --jurisdiction VIC
	registry -C "$S" add-agency djcs --name "Justice and Community Safety" --map-member
	registry -C "$S" add-agency dh --name "Health" --map-member
	registry -C "$S" add-agency dffh --name "Families, Fairness and Housing" --map-member
	registry -C "$S" add-agency forensicare --name "Forensicare" --funded-by dh
	registry -C "$S" add-operator sam --name "Sam Officer" \
	    --email sam.officer@example.gov.au --role soct-officer,administrator --agency djcs
	case-new -C "$S" --today 2026-03-01 --cohort post-sentence VIC-0007 VIC-0012
	case-event -C "$S" VIC-0007 order-made --date 2026-03-02 --order supervision
	case-event -C "$S" VIC-0012 order-made --date 2026-04-01 --order interim-supervision
	csp-new -C "$S" --today 2026-03-10 -f "$src/examples/vic-0007.yaml" VIC-0007
	csp-endorse -C "$S" --today 2026-03-20 --meeting MAP-2026-03 --date 2026-03-20 \
	    --agency djcs,dh,dffh VIC-0007
	csp-update -C "$S" request --today 2026-08-03 --agency djcs,forensicare \
	    --via written --due 2026-08-14 VIC-0007
	csp-update -C "$S" record --today 2026-08-10 --agency forensicare \
	    --received 2026-08-10 --delivered 'Twelve sessions' \
	    --next 'Continue; goal: adherence' VIC-0007
	authority-notice -C "$S" add --today 2026-08-04 --kind report-request \
	    --asks 'Report on compliance' --due 2026-08-12 --agency dh VIC-0007
} >"$out/pack-preview.log" 2>&1 || preview_failed
csp-pack -C "$S" --meeting MAP-2026-08 --date 2026-08-19 \
    --out "$out/pack-preview.html" VIC-0007 VIC-0012

preview_render
