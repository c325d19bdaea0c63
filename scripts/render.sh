#!/bin/sh
# Render an HTML document with headless Chromium, as a reader prints it.
# usage: sh scripts/render.sh HTML OUTBASE WORKDIR
#   writes OUTBASE.pdf and OUTBASE.png; Chromium's profile and log go to
#   WORKDIR.  Exit 2 when chromium is not installed.
set -eu
html=$1 base=$2 work=$3
chromium=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium" ] || exit 2
mkdir -p "$work"
# no GPU, no sandbox (it may run as root)
render() {
	"$chromium" --headless --no-sandbox --disable-gpu --no-first-run \
	    --user-data-dir="$work/chromium" "$@" "file://$html" \
	    >>"$work/render.log" 2>&1
}
render --no-pdf-header-footer --print-to-pdf="$base.pdf"
render --window-size=1100,1500 --screenshot="$base.png"
