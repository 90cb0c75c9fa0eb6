#!/bin/sh
# The report in a real browser: headless Chromium opens each page from disk
# (no network), takes a screenshot and dumps the DOM it built. A page
# passes when the screenshot is not blank (many colours, not one) and the
# DOM holds the sections, the charts' titles and the workload's pattern.
# The screenshots stay in OUTDIR for a person to look at. Prints TAP; skips
# when Chromium is not installed (CI installs it: .ci/run).
#
#   chromium.sh BOPT GENTRACE TESTDATA OUTDIR
set -eu
LC_ALL=C
TZ=UTC
export LC_ALL TZ
bopt=$1
gentrace=$2
data=$3
outdir=$4

browser=
for b in chromium chromium-browser; do
	if command -v "$b" >/dev/null 2>&1; then
		browser=$b
		break
	fi
done
if [ -z "$browser" ]; then
	echo "1..0 # SKIP chromium is not installed"
	exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 is not installed (it reads the screenshots)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$outdir"
now=2026-07-19T12:00:00Z

"$gentrace" -p onoff -r 200 -n 20000 >"$tmp/bursty.ndjson"
"$gentrace" -p sinusoid -r 50 -n 100000 --period 600 >"$tmp/seasonal.ndjson"
"$gentrace" -p batches -r 100 -n 20000 --period 10 --batch 200 >"$tmp/batches.ndjson"

# name, trace, the pattern the page must name
set -- example "$data/examples/trace.ndjson.gz" Seasonal \
	bursty "$tmp/bursty.ndjson" Bursty \
	seasonal "$tmp/seasonal.ndjson" Seasonal \
	batches "$tmp/batches.ndjson" BatchOriented
echo "1..$(($# / 3 * 2))"
n=0
failed=0
while [ $# -gt 0 ]; do
	name=$1 trace=$2 pattern=$3
	shift 3
	page=$tmp/$name.html
	"$bopt" report --trace "$trace" --now $now -o "$page"
	# A fresh profile each time; --no-sandbox as CI runs as root in a container.
	run() {
		timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
			--no-first-run --user-data-dir="$tmp/profile-$name" "$@" "file://$page" \
			2>>"$tmp/browser.log"
	}
	run --window-size=1280,2600 --screenshot="$outdir/$name.png" >/dev/null
	run --dump-dom >"$tmp/$name.dom"

	n=$((n + 1))
	if python3 - "$outdir/$name.png" <<'PY'
import struct, sys, zlib
# Decodes the PNG (8-bit RGB or RGBA, as Chromium writes it) and counts colours.
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, w, h, ctype = 8, b"", 0, 0, 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
bpp = 3 if ctype == 2 else 4
raw, stride = zlib.decompress(idat), w * bpp
prev, colours, y = bytearray(stride), set(), 0
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 8 == 0:
        colours.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp * 4))
    prev = line
sys.exit(0 if len(colours) >= 16 else 1)
PY
	then
		echo "ok $n - $name: the screenshot is not blank ($outdir/$name.png)"
	else
		echo "not ok $n - $name: the screenshot is blank or unreadable"
		failed=$((failed + 1))
	fi
	n=$((n + 1))
	missing=
	for want in "bopt report" "Event rate over time" "Inter-arrival times" "Event sizes" \
		"Event variants" "Score of each eligible backend" "Provenance" "$pattern"; do
		grep -qF "$want" "$tmp/$name.dom" || missing="$missing '$want'"
	done
	if [ -z "$missing" ]; then
		echo "ok $n - $name: the rendered page holds its sections and charts"
	else
		echo "not ok $n - $name: missing from the DOM:$missing"
		failed=$((failed + 1))
	fi
done
[ $failed = 0 ]
