#!/usr/bin/env bash
# Export benchmark (issue 7): a database of RESPONSES responses × ITEMS rated criteria, exported to long CSV
# by `eccoe export` and, in the same run, the same join written as CSV by the sqlite3 command-line shell;
# then `eccoe report` on the same database. Prints rows/s, seconds and peak memory of each, and the ratio.
#
#   Benchmarks/export/run.sh            # RESPONSES=250000 ITEMS=30 SCRATCH=.build RUNS=3
#
# ECCOE_BIN=path measures that binary instead of building this tree; BASELINE_BIN=path also measures another
# binary's export and report in the same runs, alternating with the first, and prints the ratio (before/after).
#
# Needs sqlite3 (apt-get install sqlite3) and python3. The database is generated once per size and kept in
# Benchmarks/out/export/ (about 1 GB at the full size); delete it to regenerate.
set -euo pipefail
cd "$(dirname "$0")/../.."
RESPONSES=${RESPONSES:-250000}
ITEMS=${ITEMS:-30}
RUNS=${RUNS:-3}
SCRATCH=${SCRATCH:-.build}
OUT=Benchmarks/out/export
HERE=Benchmarks/export
mkdir -p "$OUT"
command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell: apt-get install sqlite3" >&2; exit 2; }

if [ -n "${ECCOE_BIN:-}" ]; then
  ECCOE=$ECCOE_BIN
else
  swift build -c release --scratch-path "$SCRATCH" --product eccoe >&2
  ECCOE="$SCRATCH/release/eccoe"
fi
DB="$OUT/export-$RESPONSES-$ITEMS.sqlite"

if [ ! -f "$DB" ]; then
  echo "generating $RESPONSES responses × $ITEMS items into $DB" >&2
  rm -f "$DB.tmp" "$DB.tmp-wal" "$DB.tmp-shm" "$OUT/serve.out"
  "$ECCOE" serve --db "$DB.tmp" --port 0 > "$OUT/serve.out" 2> "$OUT/serve.log" &
  PID=$!
  for _ in $(seq 400); do grep -q "Press Ctrl-C" "$OUT/serve.out" 2>/dev/null && break; sleep 0.05; done
  PORT=$(sed -n 's|.*form: *http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$OUT/serve.out")
  ITEMS_LIST=$(python3 -c 'import json,sys,urllib.request; print(",".join(i["id"] for i in json.load(urllib.request.urlopen(sys.argv[1]))["items"]))' "http://127.0.0.1:$PORT/api/v1/consultation")
  kill $PID; wait $PID 2>/dev/null || true
  ECCOE_ITEMS="$ITEMS_LIST" python3 "$HERE/generate.py" "$DB.tmp" --responses "$RESPONSES" --items "$ITEMS"
  sqlite3 "$DB.tmp" "PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;" >/dev/null
  mv "$DB.tmp" "$DB"
fi

# The same join the long CSV holds: one row per response × answer, with the response's metadata, its profile
# and question answers as columns (pivoted once per response, the fastest form we found for the shell), in
# arrival order.
pv() { echo "max(CASE WHEN part = '$1' AND question_id = '$2' THEN v END) AS ${1%s}_$2"; }
ts() { echo "strftime('%Y-%m-%dT%H:%M:%fZ', r.$1 / 1000.0, 'unixepoch') AS $1"; }
SQL="WITH v AS (SELECT response_seq, part, question_id, CASE json_type(value_json) WHEN 'array'
    THEN (SELECT group_concat(value, ';') FROM json_each(value_json)) ELSE json_extract(value_json, '\$') END AS v
    FROM question_answers),
  p AS (SELECT response_seq, $(pv profile capacity), $(pv profile stakeholderGroup), $(pv profile organisationType),
    $(pv profile country), $(pv profile role), $(pv profile familiarity), $(pv questions credentialSufficient),
    $(pv questions missingCriteria), $(pv questions useAtInstitution) FROM v GROUP BY response_seq)
SELECT r.id AS response_id, r.consultation_id, r.catalogue_version, r.channel, $(ts received_at), $(ts updated_at),
  r.consent_version, $(ts consent_at), r.duplicate_of, r.language, p.profile_capacity, p.profile_stakeholderGroup,
  p.profile_organisationType, p.profile_country, p.profile_role, p.profile_familiarity,
  p.question_credentialSufficient, p.question_missingCriteria, p.question_useAtInstitution,
  a.criterion_id, a.rating, a.rating IS NULL AS no_opinion, a.comment, a.suggestion
FROM responses r LEFT JOIN p ON p.response_seq = r.seq JOIN answers a ON a.response_seq = r.seq
ORDER BY r.seq, a.criterion_id;"

ROWS=$((RESPONSES * ITEMS))
echo "database: $(du -h "$DB" | cut -f1), $RESPONSES responses, $ROWS answer rows; best of $RUNS runs"
ours=() theirs=() reports=() base=() basereports=()
for run in $(seq "$RUNS"); do
  if [ -n "${BASELINE_BIN:-}" ]; then
    base+=("$(python3 "$HERE/measure.py" /dev/null "$BASELINE_BIN" export --db "$DB" --format csv --out "$OUT/baseline.csv" 2>/dev/null)")
    basereports+=("$(python3 "$HERE/measure.py" /dev/null "$BASELINE_BIN" report --db "$DB" --out "$OUT/baseline.html" 2>/dev/null)")
  fi
  ours+=("$(python3 "$HERE/measure.py" /dev/null "$ECCOE" export --db "$DB" --format csv --out "$OUT/eccoe.csv" 2>/dev/null)")
  theirs+=("$(python3 "$HERE/measure.py" "$OUT/sqlite3.csv" sqlite3 -readonly -csv -header "$DB" "$SQL")")
  reports+=("$(python3 "$HERE/measure.py" /dev/null "$ECCOE" report --db "$DB" --out "$OUT/report.html" 2>/dev/null)")
done
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
o=$(printf '%s\n' "${ours[@]}" | sort -t= -k2 -g | head -1)
t=$(printf '%s\n' "${theirs[@]}" | sort -t= -k2 -g | head -1)
r=$(printf '%s\n' "${reports[@]}" | sort -t= -k2 -g | head -1)
os=$(echo "$o" | field seconds) ts=$(echo "$t" | field seconds) rs=$(echo "$r" | field seconds)
om=$(printf '%s\n' "${ours[@]}" | field max_rss_mb | sort -g | tail -1)
tm=$(printf '%s\n' "${theirs[@]}" | field max_rss_mb | sort -g | tail -1)
rm_=$(printf '%s\n' "${reports[@]}" | field max_rss_mb | sort -g | tail -1)
# Both files must hold the same rows and cells (up to our formula protection and criterion order).
python3 "$HERE/compare.py" "$OUT/eccoe.csv" "$OUT/sqlite3.csv"
python3 - "$ROWS" "$os" "$om" "$ts" "$tm" "$rs" "$rm_" "$OUT" <<'PY'
import os, sys
rows, os_, om, ts, tm, rs, rm, out = int(sys.argv[1]), *map(float, sys.argv[2:8]), sys.argv[8]
size = lambda f: os.path.getsize(os.path.join(out, f)) / 1e6
print(f"eccoe export --format csv : {os_:7.2f} s  {rows / os_:>10,.0f} rows/s  {size('eccoe.csv'):7.0f} MB  peak {om:6.1f} MB")
print(f"sqlite3 -csv (same join)  : {ts:7.2f} s  {rows / ts:>10,.0f} rows/s  {size('sqlite3.csv'):7.0f} MB  peak {tm:6.1f} MB")
print(f"ratio eccoe/sqlite3 time  : {os_ / ts:.2f}   (target ≤ 1.5; peak memory target < 50 MB)")
print(f"eccoe report              : {rs:7.2f} s  peak {rm:6.1f} MB  ({size('report.html'):.1f} MB HTML; target < 10 s)")
PY
if [ -n "${BASELINE_BIN:-}" ]; then
  b=$(printf '%s\n' "${base[@]}" | sort -t= -k2 -g | head -1 | field seconds)
  br=$(printf '%s\n' "${basereports[@]}" | sort -t= -k2 -g | head -1 | field seconds)
  cmp -s "$OUT/baseline.csv" "$OUT/eccoe.csv" && same="byte-identical" || same="DIFFERENT"
  cmp -s "$OUT/baseline.html" "$OUT/report.html" && rsame="byte-identical" || rsame="DIFFERENT"
  python3 -c "import sys; o,b,r,br=map(float,sys.argv[1:5]); print(f'baseline export {b:.2f} s, report {br:.2f} s; this binary / baseline: export {o/b:.3f}, report {r/br:.3f}')" "$os" "$b" "$rs" "$br"
  echo "export and report against the baseline's: $same, $rsame"
fi
