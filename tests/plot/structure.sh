#!/bin/sh
# The pictures' structure: analyze --plot writes well-formed SVG whose
# title, description and legend carry analyze's own figures; bopt report
# writes a page that parses as XML, with every chart titled and described,
# the ranking and the ineligible backends as recommend ranks them, and each
# input's size and SHA-256 as the file has them; a failed run leaves an
# earlier report untouched. Prints TAP (python3's xml.etree is the parser).
#
#   structure.sh BOPT TESTDATA
set -eu
LC_ALL=C
TZ=UTC
export LC_ALL TZ
bopt=$1
data=$2
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 is not installed"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
trace=$data/examples/trace.ndjson.gz
now=2026-07-19T12:00:00Z

"$bopt" analyze --plot "$tmp/rate.svg" "$trace" >"$tmp/table"
"$bopt" analyze -f json "$trace" >"$tmp/analyze.json"
"$bopt" recommend -f json --trace "$trace" --now $now >"$tmp/recommend.json"
"$bopt" report --trace "$trace" --now $now -o "$tmp/report.html"
cp "$tmp/report.html" "$tmp/before.html"
status=0
"$bopt" report --trace "$tmp/missing.ndjson" --now $now -o "$tmp/report.html" \
	2>/dev/null || status=$?
ls -a "$tmp" >"$tmp/listing"

exec python3 - "$tmp" "$trace" "$status" <<'PY'
import hashlib, json, os, sys
import xml.etree.ElementTree as ET

tmp, trace, status = sys.argv[1], sys.argv[2], int(sys.argv[3])
SVG = "{http://www.w3.org/2000/svg}"
checks = []

def check(name, cond, detail=""):
    checks.append((name, bool(cond), detail))

def parse(name, what):
    try:
        root = ET.parse(os.path.join(tmp, name)).getroot()
        check(what, True)
        return root
    except ET.ParseError as e:
        check(what, False, str(e))
        return None

def texts(e):
    return ["".join(t.itertext()) for t in e.iter(SVG + "text")]

a = json.load(open(os.path.join(tmp, "analyze.json")))
rate, peak = a["pattern"]["event_rate"], a["trace"]["peak_rate"]
period = a["trace"]["periodicity"]["period_seconds"]

svg = parse("rate.svg", "the plot is well-formed XML")
if svg is not None:
    check("its root is an SVG element", svg.tag == SVG + "svg", svg.tag)
    title, desc = svg.find(SVG + "title"), svg.find(SVG + "desc")
    check("it has a title", title is not None and title.text == "Event rate over time")
    d = desc.text if desc is not None else ""
    check("its description states mean, peak and period",
          "mean %.4g events/s" % rate in d and "peak %d events" % peak in d
          and "period %g s" % period in d, d)
    t = texts(svg)
    check("the legend names the mean", "mean %.4g events/s" % rate in t, t)
    check("the legend names the busiest second",
          "peak %d events in the busiest second" % peak in t, t)
    check("the period is annotated", "period %g s" % period in t, t)
    check("the y axis has round ticks", all(v in t for v in ["0", "20", "40", "60", "80", "100"]), t)
    check("the rate is drawn as one path", len(list(svg.iter(SVG + "path"))) >= 1)
    check("the table still went to standard output",
          open(os.path.join(tmp, "table")).read().startswith("pattern"))

r = json.load(open(os.path.join(tmp, "recommend.json")))
page = parse("report.html", "the report parses as XML")
if page is not None:
    sections = [s.get("id") for s in page.iter("section")]
    check("the report has its four sections",
          sections == ["workload", "decision", "capacity", "provenance"], sections)
    svgs = list(page.iter(SVG + "svg"))
    titles = [s.find(SVG + "title").text for s in svgs]
    check("six charts, each titled", titles == ["Event rate over time",
          "Inter-arrival times", "Event sizes", "Event variants",
          "Score of each eligible backend, by component",
          "Dollars a month of each eligible backend"], titles)
    check("each chart is described",
          all((s.find(SVG + "desc").text or "") != "" for s in svgs))
    ids = [e.get("id") for e in page.iter() if e.get("id")]
    check("element ids are unique", len(ids) == len(set(ids)))
    tables = list(page.iter("table"))
    def rows(table):
        return [["".join(c.itertext()) for c in tr] for tr in table.iter("tr")]
    ranking = next(t for t in tables if rows(t)[0][:2] == ["rank", "backend"])
    got = [row[1] for row in rows(ranking)[1:]]
    want = [x["backend_type"] for x in r["recommendations"]]
    check("the ranking is recommend's", got == want, (got, want))
    scores = [row[2] for row in rows(ranking)[1:]]
    check("the scores are recommend's",
          scores == ["%.4f" % x["score"] for x in r["recommendations"]], scores)
    bars = texts(svgs[4])
    check("each stacked bar ends in its score",
          all("%.4f" % x["score"] in bars for x in r["recommendations"]), bars)
    inel = next(t for t in tables if rows(t)[0] == ["backend", "why not"])
    got = [(row[0], row[1]) for row in rows(inel)[1:]]
    want = [(x["backend_type"], "; ".join(x["reasons"])) for x in r["ineligible"]]
    check("the ineligible backends and reasons are recommend's", got == want, (got, want))
    inputs = next(t for t in tables if rows(t)[0][:2] == ["input", "file"])
    row = rows(inputs)[1]
    digest = hashlib.sha256(open(trace, "rb").read()).hexdigest()
    check("the trace's size and SHA-256", row[2] == str(os.path.getsize(trace))
          and row[3] == digest, (row, digest))
    text = "".join(page.itertext())
    check("the time is --now", "2026-07-19T12:00:00Z (--now)" in text)
    check("the command line is there", "bopt report --trace" in text)

check("a failed report exits 1", status == 1, status)
check("and leaves the earlier report as it was",
      open(os.path.join(tmp, "report.html"), "rb").read()
      == open(os.path.join(tmp, "before.html"), "rb").read())
listing = open(os.path.join(tmp, "listing")).read().split()
check("no temporary file is left", all(not n.startswith("report.html.") for n in listing),
      listing)

print("1..%d" % len(checks))
failed = 0
for i, (name, ok, detail) in enumerate(checks, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok:
        failed += 1
        print("# %r" % (detail,))
sys.exit(1 if failed else 0)
PY
