#!/usr/bin/env bash
# Screenshots of a registration form (issue 18, item 3), taken with headless Chromium: the webinar example's form at
# 1280 px and at 320 px wide, in English and French, the form once its places are taken (a copy of the example with
# 2 places), and the confirmation page of a registrant on the waiting list (opened through its private link).
# PNGs go to Benchmarks/out/registration/. Environment: ECCOE_BIN (default: build into SCRATCH, default .build),
# CHROMIUM (default chromium).
set -euo pipefail
cd "$(dirname "$0")/../.."
SCRATCH=${SCRATCH:-.build}
CHROMIUM=${CHROMIUM:-chromium}
OUT=Benchmarks/out/registration
rm -rf "$OUT"
mkdir -p "$OUT"
if [ -z "${ECCOE_BIN:-}" ]; then
  swift build --scratch-path "$SCRATCH" --product eccoe >&2
  ECCOE_BIN="$SCRATCH/debug/eccoe"
fi

# The example, open now: registration from yesterday until the event a month from now (the example's own dates may
# have passed); and a copy with 2 places to fill.
python3 - "$OUT" <<'PY'
import datetime, json, sys
out = sys.argv[1]
d = json.load(open("Schemas/examples/webinar-registration.consultation.json", encoding="utf-8"))
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0, second=0, minute=0)
d["opensAt"] = (now - datetime.timedelta(days=1)).isoformat()
d["closesAt"] = (now + datetime.timedelta(days=29)).isoformat()
d["registration"]["startsAt"] = (now + datetime.timedelta(days=30)).replace(hour=9).isoformat()
d["registration"]["endsAt"] = (now + datetime.timedelta(days=30)).replace(hour=14).isoformat()
json.dump(d, open(f"{out}/webinar.consultation.json", "w", encoding="utf-8"), ensure_ascii=False, indent=2)
d["id"] += "-small"
d["registration"]["places"] = 2
json.dump(d, open(f"{out}/small.consultation.json", "w", encoding="utf-8"), ensure_ascii=False, indent=2)
PY

serve() {  # serve DEFINITION NAME: starts a collector, sets BASE and PID_NAME
  ECCOE_ANALYST_TOKEN=screenshots-registration-0123456789abcdef "$ECCOE_BIN" serve --consultation "$1" --db "$OUT/$2.sqlite" \
    --port 0 --write-rate-limit 0 > "$OUT/$2.out" 2> "$OUT/$2.log" &
  echo $! > "$OUT/$2.pid"
  for _ in $(seq 200); do grep -q "Press Ctrl-C" "$OUT/$2.out" 2>/dev/null && break; sleep 0.05; done
  sed -n 's|.*form: *http://127.0.0.1:\([0-9]*\)/.*|http://127.0.0.1:\1|p' "$OUT/$2.out"
}
trap 'for p in "$OUT"/*.pid; do kill "$(cat "$p")" 2>/dev/null || true; done' EXIT
BASE=$(serve "$OUT/webinar.consultation.json" webinar)
SMALL=$(serve "$OUT/small.consultation.json" small)

shot() {  # shot URL FILE WIDTH
  "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="$3,2400" \
    --screenshot="$OUT/$2" "$1" 2> /dev/null
}
shot "$BASE/?lang=en" form-1280.png 1280
shot "$BASE/?lang=en" form-320.png 320
shot "$BASE/?lang=fr" form-fr-320.png 320

# Three registrants for two places: the third waits. Its private link opens its confirmation page.
LINK=$(python3 - "$SMALL" <<'PY'
import json, sys, urllib.request
base = sys.argv[1]
link = None
for n, (name, org) in enumerate([("Ana Silva", "Universidade do Porto"), ("Jonas Petraitis", "Vilnius University"),
                                  ("Élodie Martin", "Université de Lille")]):
    body = {"profile": {"name": name, "email": f"registrant{n}@example.org", "organisation": org},
            "questions": {"expectations": "How other institutions read the criteria when they recognise credits."},
            "consent": {"privacyVersion": "1", "given": True}}
    req = urllib.request.Request(base + "/api/v1/responses", data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json", "Idempotency-Key": f"shot-{n}"})
    r = json.load(urllib.request.urlopen(req))
    link = f"{base}/registration/{r['id']}?token={r['editToken']}"
print(link)
PY
)
shot "$LINK" waiting-list-1280.png 1280
shot "$LINK" waiting-list-320.png 320
shot "$SMALL/" full-form-1280.png 1280
ls -l "$OUT"/*.png
