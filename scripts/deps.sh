#!/bin/sh
# Install what casetrail needs to build and test, when it is missing.
# As root on Debian: apt-get install.  Otherwise: print the exact command.
set -eu

pkgs="build-essential cmake pkg-config git libyaml-dev libgit2-dev libcmocka-dev libssl-dev"
# optional, used by the tests when present
extra="python3 python3-yaml python3-jsonschema jq mandoc openssh-client gnupg"
# optional: printing tests and make pack-preview render with headless
# Chromium and read the PDF with poppler-utils
extra="$extra chromium poppler-utils fonts-dejavu-core"

if ! command -v dpkg-query >/dev/null 2>&1; then
	for m in yaml-0.1 libgit2 cmocka; do
		pkg-config --exists "$m" 2>/dev/null || {
			echo "deps: pkg-config cannot find $m; install libyaml," \
			    "libgit2, cmocka, cmake and pkg-config" >&2
			exit 1
		}
	done
	exit 0
fi

missing=""
for p in $pkgs $extra; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
	    missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	echo "deps: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2
	apt-get install -y -qq --no-install-recommends $missing >&2
	exit 0
fi

echo "deps: missing packages:$missing" >&2
echo "deps: run: sudo apt-get install -y$missing" >&2
exit 1
