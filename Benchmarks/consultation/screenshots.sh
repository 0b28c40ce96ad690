#!/usr/bin/env bash
# Screenshots of what participants and analysts see, taken with headless Chromium
# (apt-get install chromium): the form at 1280 px and at 320 px wide, a saved draft (answers and progress
# restored), a submission with mistakes (error summary), and the report over 60 seeded responses. PNGs go to Benchmarks/out/screenshots/.
# Environment: ECCOE_BIN (default: build with SCRATCH, default .build), CHROMIUM (default chromium).
set -euo pipefail
cd "$(dirname "$0")/../.."
SCRATCH=${SCRATCH:-.build}
CHROMIUM=${CHROMIUM:-chromium}
OUT=Benchmarks/out/screenshots
rm -rf "$OUT"
mkdir -p "$OUT"
if [ -z "${ECCOE_BIN:-}" ]; then
  swift build --scratch-path "$SCRATCH" --product eccoe >&2
  ECCOE_BIN="$SCRATCH/debug/eccoe"
fi

ECCOE_ANALYST_TOKEN=screenshots "$ECCOE_BIN" serve --db "$OUT/shots.sqlite" --port 0 --write-rate-limit 0 > "$OUT/serve.out" 2> "$OUT/serve.log" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 200); do grep -q "Press Ctrl-C" "$OUT/serve.out" 2>/dev/null && break; sleep 0.05; done
PORT=$(sed -n 's|.*form: *http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$OUT/serve.out")
BASE="http://127.0.0.1:$PORT"

# Seed responses through the API, and save a draft through the form (cookie, CSRF token, then the draft).
DRAFT=$(SHOTS="$OUT" python3 - "$BASE" <<'PY'
import json, random, re, sys, urllib.parse, urllib.request, http.cookiejar
base = sys.argv[1]
random.seed(7)
remarks = ["Essential for recognition officers.", "Too demanding for short courses; make it optional.",
           "Needs an example, e.g. the ECTS credits and the EQF level.", "=SUM(A1:A9) should stay text",
           "Unclear who checks this.\nAnd when?", "هذا المعيار مهم جدا للاعتراف", "Bitte mit dem DQR abgleichen."]
rewordings = ["The credential states its workload in ECTS credits.", "State the EQF level, if one applies.",
              "Name the body that assures the quality of the assessment."]
items = [i["id"] for i in json.load(urllib.request.urlopen(base + "/api/v1/consultation"))["items"]]
groups = ["academic", "recognitionOfficer", "qaAgency", "employer", "learner"]
countries = ["BEL", "DEU", "LTU", "FIN", "ITA"]
for n in range(60):
    answers = {c: {"rating": random.choice([1, 2, 3, 4, 4, 5, 5, 5, None])} for c in items if random.random() < 0.8}
    for c in list(answers)[:3]:
        if random.random() < 0.3:
            answers[c]["comment"] = random.choice(remarks)
        if random.random() < 0.15:
            answers[c]["suggestion"] = random.choice(rewordings)
    body = {"profile": {"capacity": "organisation", "stakeholderGroup": groups[n % 5], "organisationType": "hei",
                        "country": "http://publications.europa.eu/resource/authority/country/" + countries[n % 5], "familiarity": n % 5 + 1},
            "answers": answers, "consent": {"privacyVersion": "1", "given": True}}
    req = urllib.request.Request(base + "/api/v1/responses", data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json", "Idempotency-Key": f"seed-{n}"})
    assert urllib.request.urlopen(req).status == 201
    if n == 40:  # the same answers again, without an idempotency key: flagged as a duplicate
        req = urllib.request.Request(base + "/api/v1/responses", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        assert urllib.request.urlopen(req).status == 201
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), urllib.request.HTTPRedirectHandler())
page = opener.open(base + "/").read().decode()
hidden = dict(re.findall(r'name="(csrf|submissionKey|privacyVersion)" value="([^"]*)"', page))
fields = dict(hidden, **{"profile.capacity": "individual", "profile.stakeholderGroup": "learner", "profile.familiarity": "3",
              "profile.country": "http://publications.europa.eu/resource/authority/country/FIN",
              "rating.MC-01": "5", "comment.MC-01": "Learners need this <b>first</b>.", "rating.MC-02": "4", "rating.MC-03": "none",
              "action": "draft"})
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k): return None
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
try:
    opener.open(base + "/", data=urllib.parse.urlencode(fields).encode())
except urllib.error.HTTPError as e:
    print(e.headers["Location"].split("#")[0])
# A submission with mistakes: the page that comes back (422) is saved with the stylesheet, to be shown
# as a participant sees it (a headless browser cannot POST a form by itself).
page = opener.open(base + "/").read().decode()
hidden = dict(re.findall(r'name="(csrf|submissionKey|privacyVersion)" value="([^"]*)"', page))
wrong = dict(hidden, **{"profile.capacity": "individual", "rating.MC-01": "4", "comment.MC-01": "Kept after the error <script>",
             "comment.MC-02": "A comment without a rating", "action": "submit"})
try:
    opener.open(base + "/", data=urllib.parse.urlencode(wrong).encode())
except urllib.error.HTTPError as e:
    assert e.code == 422
    import os
    out = os.environ["SHOTS"]
    os.makedirs(out + "/static/assets", exist_ok=True)
    open(out + "/static/index.html", "wb").write(e.read())
    open(out + "/static/assets/form.css", "wb").write(urllib.request.urlopen(base + "/assets/form.css").read())
PY
)

shot() { # NAME WIDTH HEIGHT URL
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$2,$3" --screenshot="$OUT/$1.png" "$4" > /dev/null 2>&1
  echo "$OUT/$1.png"
}
shot form-1280 1280 2400 "$BASE/"
shot form-320 320 2400 "$BASE/"
shot draft-restored-1280 1280 1400 "$BASE$DRAFT"
shot report-1280 1280 3000 "$BASE/report?token=screenshots"
# The whole report as a PDF (what "print to PDF" gives), and its first pages as PNG when pdftoppm is there.
"$CHROMIUM" --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$OUT/report.pdf" "$BASE/report?token=screenshots" > /dev/null 2>&1
echo "$OUT/report.pdf"
if command -v pdftoppm > /dev/null; then pdftoppm -png -r 60 -f 1 -l 3 "$OUT/report.pdf" "$OUT/report-page"; ls "$OUT"/report-page*.png; fi
python3 -m http.server --bind 127.0.0.1 --directory "$OUT/static" 0 > "$OUT/static.log" 2>&1 &
STATIC=$!
trap 'kill $PID $STATIC 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q "port" "$OUT/static.log" 2>/dev/null && break; sleep 0.05; done
STATIC_PORT=$(sed -n 's|.*port \([0-9]*\).*|\1|p' "$OUT/static.log" | head -1)
shot errors-1280 1280 1600 "http://127.0.0.1:$STATIC_PORT/index.html"
