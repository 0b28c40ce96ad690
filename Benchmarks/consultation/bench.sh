#!/usr/bin/env bash
# Load benchmark of the consultation collector (release build), all on loopback:
#  1. `eccoe serve` on a fresh database on disk, write rate limit off;
#  2. wrk with 64 connections POSTing distinct valid responses (post-responses.lua, Accept-Language rotating over
#     English, French and a German browser that accepts French): submissions/s, p50/p99, responses per language;
#  3. in the same run (before the load, on a quiet disk), a bare SQLite connection committing the same rows, one transaction per response,
#     with the same durability settings (bare-sqlite.swift);
#  4. checks: every request got 201, the database holds at least that many responses, and the WAL stayed
#     within twice the database plus 64 MiB (sampled every 0.2 s during the load).
# Needs wrk, sqlite3 and python3 (apt-get install wrk sqlite3). Environment: SCRATCH (SwiftPM scratch
# path, default .build), DURATION (seconds, default 10), CONNECTIONS (default 64), BARE_RESPONSES (default 5000),
# ECCOE_BIN (an eccoe binary to measure instead of building this tree: before/after comparisons).
set -euo pipefail
cd "$(dirname "$0")/../.."
SCRATCH=${SCRATCH:-.build}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-64}
BARE_RESPONSES=${BARE_RESPONSES:-5000}
OUT=Benchmarks/out/consultation
rm -rf "$OUT"
mkdir -p "$OUT"

if [ -n "${ECCOE_BIN:-}" ]; then
    BIN=$ECCOE_BIN
else
    swift build -c release --scratch-path "$SCRATCH" --product eccoe >&2
    BIN="$SCRATCH/release/eccoe"
fi
swiftc -O -I Sources/CSQLite Benchmarks/consultation/bare-sqlite.swift -o "$OUT/bare-sqlite" >&2

ECCOE_ANALYST_TOKEN=bench-analyst-token-0123456789abcdef "$BIN" serve --db "$OUT/collector.sqlite" --port 0 --write-rate-limit 0 > "$OUT/serve.out" 2> "$OUT/serve.log" &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 200); do grep -q "Press Ctrl-C" "$OUT/serve.out" 2>/dev/null && break; sleep 0.05; done
PORT=$(sed -n 's|.*form: *http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$OUT/serve.out")
CRITERIA=$(curl -s "http://127.0.0.1:$PORT/api/v1/consultation" | python3 -c 'import json,sys; print(" ".join(i["id"] for i in json.load(sys.stdin)["items"]))')
echo "collector on port $PORT, $(echo $CRITERIA | wc -w) criteria per response, $CONNECTIONS connections, ${DURATION}s" >&2

# The baseline first, while the collector is idle and the disk is quiet: the same schema (read from the
# collector's freshly migrated database) and consultation row, fresh data.
sqlite3 "$OUT/collector.sqlite" .schema | grep -v '^CREATE TABLE sqlite_' > "$OUT/schema.sql"
sqlite3 "$OUT/bare.sqlite" < "$OUT/schema.sql"
sqlite3 "$OUT/bare.sqlite" "ATTACH '$OUT/collector.sqlite' AS c; INSERT INTO consultations SELECT * FROM c.consultations;"
sync
"$OUT/bare-sqlite" "$OUT/bare.sqlite" "$BARE_RESPONSES" $CRITERIA | tee "$OUT/bare.txt" >&2
sync
# The WAL's size against the database's, sampled during the load.
( while kill -0 $PID 2>/dev/null; do
    echo "$(stat -c %s "$OUT/collector.sqlite-wal" 2>/dev/null || echo 0) $(stat -c %s "$OUT/collector.sqlite" 2>/dev/null || echo 0)"
    sleep 0.2
  done > "$OUT/wal.txt" ) &
SAMPLER=$!
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s Benchmarks/consultation/post-responses.lua "http://127.0.0.1:$PORT" -- $CRITERIA | tee "$OUT/wrk.txt" >&2
# Server CPU time (user + system clock ticks) over the whole run, for CPU per submission.
TICKS=$(awk '{print $14 + $15}' /proc/$PID/stat)
HZ=$(getconf CLK_TCK)
kill -TERM $PID
wait $PID || true
wait $SAMPLER 2>/dev/null || true
trap - EXIT
STORED=$(sqlite3 "$OUT/collector.sqlite" 'SELECT count(*) FROM responses')
ANSWERS=$(sqlite3 "$OUT/collector.sqlite" 'SELECT count(*) FROM answers')
LANGUAGES=$(sqlite3 "$OUT/collector.sqlite" "SELECT group_concat(language || ' ' || n, ', ') FROM (SELECT language, count(*) AS n FROM responses GROUP BY language ORDER BY language)")
echo "responses by negotiated language: $LANGUAGES"


python3 - "$OUT/wrk.txt" "$OUT/bare.txt" "$STORED" "$ANSWERS" "$TICKS" "$HZ" "$OUT/wal.txt" <<'PY'
import re, sys
wrk = open(sys.argv[1]).read()
bare = open(sys.argv[2]).read()
r = dict(re.findall(r"(\w+)=([\d.]+)", wrk.split("RESULT", 1)[1]))
b = dict(re.findall(r"(\w+)=([\d.]+)", bare))
stored, answers = int(sys.argv[3]), int(sys.argv[4])
rps, bare_rate = float(r["rps"]), float(b["rate"])
print(f"collector: {int(r['requests'])} responses acknowledged (201) in the run, {int(r['rejected'])} rejected, "
      f"{int(r['socket_errors'])} socket errors; database holds {stored} responses, {answers} answer rows")
print(f"collector: {rps:.0f} durable submissions/s, p50 {float(r['p50_ms']):.2f} ms, p99 {float(r['p99_ms']):.2f} ms, max {float(r['max_ms']):.2f} ms")
print(f"collector CPU: {int(sys.argv[5]) / int(sys.argv[6]) * 1000 / stored:.3f} ms per stored submission (user + system, all threads)")
print(f"bare SQLite, one transaction per response, WAL + synchronous=FULL: {bare_rate:.0f} responses/s")
print(f"ratio collector / bare SQLite: {rps / bare_rate:.2f}")
ok = int(r["rejected"]) == 0 and stored >= int(r["requests"])
targets = rps >= 2000 and float(r["p99_ms"]) < 50 and rps >= bare_rate / 2
samples = [tuple(map(int, l.split())) for l in open(sys.argv[7]) if len(l.split()) == 2]
peak_wal, db_at_peak = max(samples, default=(0, 0))
wal_ok = all(w <= 2 * d + 64 * 2**20 for w, d in samples)
print(f"WAL: peak {peak_wal / 2**20:.1f} MiB with the database at {db_at_peak / 2**20:.1f} MiB; "
      f"within twice the database plus 64 MiB at every sample: {'yes' if wal_ok else 'NO'}")
print("checks: " + ("every request acknowledged and stored" if ok else "SOME REQUESTS FAILED OR ARE MISSING"))
print("targets (>= 2000/s, p99 < 50 ms, >= half the bare rate): " + ("met" if targets else "NOT met"))
sys.exit(0 if ok else 1)
PY
