#!/usr/bin/env python3
"""Fills a consultation database (created by `eccoe serve`, so the schema is the real one) with N synthetic
responses of ITEMS rated criteria each, straight through SQLite: the export benchmark's input.

usage: generate.py DB --responses N --items K [--seed S]

Texts are hostile on purpose (quotes, commas, newlines, formula triggers, emoji, right-to-left script) and
one answer in eight has a comment, one in twenty a suggested rewording; one response in 500 is flagged as a
duplicate of an earlier one."""
import argparse, hashlib, json, os, random, sqlite3, sys

parser = argparse.ArgumentParser()
parser.add_argument("db")
parser.add_argument("--responses", type=int, default=250_000)
parser.add_argument("--items", type=int, default=30)
parser.add_argument("--seed", type=int, default=2026)
args = parser.parse_args()

random.seed(args.seed)
db = sqlite3.connect(args.db)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=OFF")
cid, version = db.execute(
    "SELECT id, catalogue_version FROM consultations ORDER BY created_at DESC LIMIT 1").fetchone()
opens = db.execute("SELECT opens_at FROM consultations WHERE id = ?", (cid,)).fetchone()[0]
# The built-in definition names its items by catalogue prefix, so the criterion ids come from the server's
# API: run.sh passes them in ECCOE_ITEMS.
criteria = os.environ["ECCOE_ITEMS"].split(",")
if len(criteria) < args.items:
    sys.exit(f"the consultation has {len(criteria)} criteria, fewer than --items {args.items}")

groups = ["academic", "recognitionOfficer", "qaAgency", "employer", "learner", "provider", "policy", "other"]
orgs = ["hei", "qaAgency", "company", "publicAuthority", "ngo", "other"]
countries = ["BEL", "DEU", "FRA", "ITA", "ESP", "POL", "LTU", "FIN", "NLD", "IRL", "PRT", "GRC", "CZE", "SWE", "AUT"]
texts = [
    "Clear and useful.", "Too vague, say \"which\" level.", "Needs an example, e.g. ECTS, EQF, ISCED-F",
    "line one\nline two\r\nline three", "=HYPERLINK(\"http://example.org\",\"x\")", "+32 2 555 0100", "-1 for me",
    "@registrar should decide", "\tindented", "Ünïcödé and emoji 😀👍", "يجب توضيح هذا المعيار", "זה לא ברור",
    "日本語のコメント", "  spaces around  ", "'quoted'", "semi;colon;separated",
]

db.execute("BEGIN")
base = opens + 60_000
for n in range(args.responses):
    seq = n + 1
    at = base + n * 40_000 + random.randrange(30_000)  # about one response every 40 s
    rid = hashlib.sha256(f"r{seq}".encode()).hexdigest()[:32]
    dup = hashlib.sha256(f"r{seq - 7}".encode()).hexdigest()[:32] if seq > 7 and seq % 500 == 0 else None
    db.execute(
        "INSERT INTO responses (seq, id, consultation_id, catalogue_version, token_hash, channel, received_at, updated_at,"
        " consent_version, consent_at, content_hash, duplicate_of) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (seq, rid, cid, version, hashlib.sha256(f"t{seq}".encode()).digest(), "form" if n % 3 else "api", at,
         at + (0 if n % 11 else 3_600_000), "1", at, hashlib.sha256(f"c{seq}".encode()).digest(), dup))
    capacity = "organisation" if n % 4 else "individual"
    profile = [("capacity", json.dumps(capacity)), ("stakeholderGroup", json.dumps(random.choice(groups))),
               ("country", json.dumps("http://publications.europa.eu/resource/authority/country/" + random.choice(countries))),
               ("familiarity", str(random.randint(1, 5)))]
    if capacity == "organisation":
        profile.append(("organisationType", json.dumps(random.choice(orgs))))
    if n % 9 == 0:
        profile.append(("role", json.dumps(random.choice(texts))))
    db.executemany("INSERT INTO question_answers VALUES (?, 'profile', ?, ?)", [(seq, q, v) for q, v in profile])
    if n % 6 == 0:
        db.execute("INSERT INTO question_answers VALUES (?, 'questions', 'credentialSufficient', ?)",
                     (seq, json.dumps(random.choice(["yes", "partly", "no"]))))
    rows = []
    for c in random.sample(criteria, args.items):
        rating = random.choice([1, 2, 3, 3, 4, 4, 4, 5, 5, 5, None])
        comment = random.choice(texts) if random.random() < 0.125 else None
        suggestion = random.choice(texts) if random.random() < 0.05 else None
        rows.append((seq, c, rating, comment, suggestion))
    db.executemany("INSERT INTO answers VALUES (?,?,?,?,?)", rows)
    if seq % 50_000 == 0:
        print(f"  {seq} responses", file=sys.stderr)
db.execute("COMMIT")
db.close()
