#!/bin/sh
# make report-preview: a small ACT store with a history of four months
# (its commits dated as the story goes), its compliance report, and the
# report rendered by headless Chromium as a PDF and a PNG screenshot.
# usage: sh scripts/report-preview.sh BIN OUT
set -eu

name=report-preview user="Ada Admin" email=ada@example.org
. "$(dirname "$0")/preview-env.sh"

# event ID TYPE DATE: recorded, and its commit dated that day
event() {
	case-event -C "$S" --today "$3" "$1" "$2" --date "$3"
	GIT_COMMITTER_DATE="$3T12:00:00Z" GIT_AUTHOR_DATE="$3T12:00:00Z" \
	    git -C "$S" commit -q --amend --no-edit --date "$3T12:00:00Z"
}
{
	store-init -C "$S" --jurisdiction ACT
	registry -C "$S" add-agency actcs --name "ACT Corrective Services"
	registry -C "$S" add-operator ada --name "Ada Admin" --email ada@example.org \
	    --role case-manager,administrator --agency actcs
	case-new -C "$S" --today 2026-01-05 --cohort remandee R1 R2 R3 R4 R5 R6
	GIT_COMMITTER_DATE=2026-01-05T12:00:00Z git -C "$S" commit -q --amend \
	    --no-edit --date 2026-01-05T12:00:00Z
	event R1 reception 2026-01-12
	event R1 engaged 2026-01-14
	event R2 reception 2026-02-02
	event R2 engaged 2026-02-13
	event R3 reception 2026-02-16
	event R3 engaged 2026-02-18
	event R4 reception 2026-03-02
	event R5 reception 2026-03-16
	event R5 engaged 2026-03-18
	event R4 engaged 2026-04-08
	event R6 reception 2026-04-13
	event R6 engaged 2026-04-15
} >"$out/report-preview.log" 2>&1 || preview_failed
compliance-report -C "$S" --from 2026-01-01 --to 2026-04-30 \
    -o "$out/report-preview.html" 2>>"$out/report-preview.log"
preview_render
