#!/usr/bin/env python3
"""Hostile clients against `eccoe serve`, from 127.0.0.2 (the collector listens on 127.0.0.1, and honest
participants, where an attack needs them, come from 127.0.0.1).

    python3 Benchmarks/consultation/attacks/attack.py --bin .build/release/eccoe [--only NAME ...] [--json OUT]

Each attack starts its own collector on a fresh database in a scratch folder, attacks it, prints what the
collector answered and the figures that matter (server memory, bytes, status codes, WAL size), and says
whether the collector held. Run it against two binaries (before and after a change) to compare.
Python's standard library only; `wal` also needs wrk (apt-get install wrk).
"""

import argparse
import csv
import io
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ATTACKER = "127.0.0.2"
HONEST = "127.0.0.1"
HERE = os.path.dirname(os.path.abspath(__file__))
STRONG_TOKEN = "attack-analyst-token-0123456789abcdef-0123456789"


class Collector:
    """One `eccoe serve` on a fresh database, on 127.0.0.1 and a free port."""

    def __init__(self, binary, token=STRONG_TOKEN, extra=(), rate_limit="0", env=None, directory=None):
        self.dir = directory or tempfile.mkdtemp(prefix="eccoe-attack-")
        self.db = os.path.join(self.dir, "attack.sqlite")
        environment = dict(os.environ)
        environment.pop("ECCOE_ANALYST_TOKEN", None)
        if token is not None:
            environment["ECCOE_ANALYST_TOKEN"] = token
        environment.update(env or {})
        args = [binary, "serve", "--db", self.db, "--port", "0", "--write-rate-limit", rate_limit, *extra]
        self.out = open(os.path.join(self.dir, "serve.out"), "w+")
        self.err = open(os.path.join(self.dir, "serve.err"), "w+")
        self.proc = subprocess.Popen(args, stdout=self.out, stderr=self.err, env=environment)
        self.port = None
        for _ in range(400):
            self.out.seek(0)
            text = self.out.read()
            m = re.search(r"form: +http://[^:]+:(\d+)/", text)
            if m:
                self.port = int(m.group(1))
                break
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.out.seek(0)
        self.banner = self.out.read()

    @property
    def started(self):
        return self.port is not None

    def alive(self):
        return self.proc.poll() is None

    def rss_mb(self):
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            pass
        return float("nan")

    def stderr_text(self):
        self.err.flush()
        self.err.seek(0)
        return self.err.read()

    def stop(self, kill=False):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def cleanup(self):
        self.stop()
        self.out.close()
        self.err.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def connect(self, source=ATTACKER, timeout=10):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind((source, 0))
        s.settimeout(timeout)
        s.connect((HONEST, self.port))
        return s

    def healthy(self):
        try:
            status, _, _ = request(self, "GET", "/healthz", source=HONEST, timeout=5)
            return status == 200
        except OSError:
            return False


def read_response(s, limit=64 << 20):
    """Reads one HTTP/1.1 response: (status, headers dict lowercased, body bytes, total bytes on the wire)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            if not data:
                raise ConnectionError("closed without an answer")
            raise ConnectionError("closed in the middle of the head")
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers.setdefault(k.strip().lower(), v.strip())
    body = rest
    if "content-length" in headers:
        n = int(headers["content-length"])
        while len(body) < n:
            chunk = s.recv(min(65536, n - len(body)))
            if not chunk:
                break
            body += chunk
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        raw = body
        body = b""
        while True:
            while b"\r\n" not in raw:
                raw += s.recv(65536)
            size_line, raw = raw.split(b"\r\n", 1)
            size = int(size_line.split(b";")[0], 16)
            while len(raw) < size + 2:
                raw += s.recv(65536)
            body += raw[:size]
            raw = raw[size + 2:]
            if size == 0:
                break
    else:
        while len(body) < limit:
            chunk = s.recv(65536)
            if not chunk:
                break
            body += chunk
    return status, headers, body, len(head) + 4 + len(body)


def request(c, method, path, headers=None, body=b"", source=ATTACKER, timeout=30, host="127.0.0.1"):
    s = c.connect(source, timeout)
    try:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
        for k, v in (headers or {}).items():
            lines.append(f"{k}: {v}")
        if body or method in ("POST", "PUT"):
            lines.append(f"Content-Length: {len(body)}")
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        status, h, b, _ = read_response(s)
        return status, h, b
    finally:
        s.close()


def valid_response(n=0, comment="Clear.", extra_answers=None):
    answers = {"MC-01": {"rating": n % 5 + 1, "comment": comment}, "MC-02": {"rating": None}}
    answers.update(extra_answers or {})
    return {
        "profile": {"capacity": "individual", "stakeholderGroup": "academic",
                    "country": "http://publications.europa.eu/resource/authority/country/BEL", "familiarity": 3},
        "answers": answers,
        "questions": {"credentialSufficient": "partly"},
        "consent": {"privacyVersion": "1", "given": True},
    }


def submit(c, n, source=HONEST, key=None, timeout=10):
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    return request(c, "POST", "/api/v1/responses", headers, json.dumps(valid_response(n)).encode(), source, timeout)


def raw_exchange(c, payload, timeout=10):
    """Sends raw bytes from the attacker; returns the status answered (or what happened instead)."""
    s = c.connect(ATTACKER, timeout)
    try:
        s.sendall(payload)
        status, h, body, _ = read_response(s)
        return status, h, body
    except (ConnectionError, OSError) as e:
        return f"no answer ({e.__class__.__name__}: {e})", {}, b""
    finally:
        s.close()


# ---------------------------------------------------------------------------------------------------------
# The attacks of issue 13


def survives(c, payload):
    """Sends one raw request that once killed the collector; held if the collector still answers /healthz."""
    status, _, _ = raw_exchange(c, payload)
    time.sleep(0.3)
    alive = c.alive() and c.healthy()
    return {"request_bytes": len(payload), "answer": status, "server_alive_after": alive}, alive


def attack_chunk_negative(c):
    """A chunked body whose chunk size is `-1`."""
    return survives(c, b"POST /api/v1/responses HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n")


def attack_chunk_overflow(c):
    """A chunk of size 1, then one of size 0x7fffffffffffffff."""
    return survives(c, b"POST /api/v1/responses HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                       b"1\r\nx\r\n7fffffffffffffff\r\n")


def attack_chunk_grammar(c):
    """Chunk sizes that are not 1*HEXDIG: `+5`, `-0`, `0x5`, 17 digits."""
    answers = {}
    for size in ["+5", "-0", "0x5", "00000000000000005", "5 "]:
        # An unknown path: a body the parser accepts reaches the application and gets its 404.
        payload = (b"POST /api/v1/nowhere HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                   + size.encode() + b"\r\nabcde\r\n0\r\n\r\n")
        answers[size] = raw_exchange(c, payload)[0]
    ok = all(v == 400 for v in answers.values()) and c.alive()
    return {"answers": answers}, ok


def attack_blank_lines(c, seconds=7.0):
    """One connection sending CRLF before any request line, as fast as it can."""
    s = c.connect(ATTACKER)
    s.settimeout(0.5)
    rss0 = c.rss_mb()
    blob = b"\r\n" * 32768
    sent = 0
    ended = "still open"
    t0 = time.time()
    peak = rss0
    try:
        while time.time() - t0 < seconds:
            try:
                sent += s.send(blob)
            except socket.timeout:
                pass
            peak = max(peak, c.rss_mb())
    except (ConnectionError, OSError) as e:
        ended = f"closed by server after {time.time() - t0:.1f} s ({e.__class__.__name__})"
    answer = None
    try:
        s.settimeout(2)
        answer = read_response(s)[0]
    except Exception:
        pass
    s.close()
    time.sleep(0.3)
    peak = max(peak, c.rss_mb())
    growth = peak - rss0
    ok = c.alive() and growth < 64
    return {"bytes_sent": sent, "seconds": round(time.time() - t0, 1), "answer": answer, "connection": ended,
            "server_rss_mb_before": round(rss0, 1), "server_rss_mb_peak": round(peak, 1),
            "server_rss_growth_mb": round(growth, 1)}, ok


def attack_idle_slots(c, sockets=520, seconds=20.0):
    """520 sockets from 127.0.0.2 that send nothing (reopened whenever the server closes one), while
    127.0.0.1 submits one response every 100 ms."""
    stop = threading.Event()
    opened = [0]
    lock = threading.Lock()

    def hog():
        held = []
        while not stop.is_set():
            while len(held) < sockets and not stop.is_set():
                try:
                    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                    s.bind((ATTACKER, 0))
                    s.settimeout(2)
                    s.connect((HONEST, c.port))
                    s.setblocking(False)
                    held.append(s)
                    with lock:
                        opened[0] += 1
                except OSError:
                    break
            # Drop the sockets the server closed, to reconnect them.
            alive = []
            for s in held:
                try:
                    data = s.recv(4096)
                    if data == b"":
                        s.close()
                        continue
                    alive.append(s)  # a 503 or other answer: the server will close it
                except BlockingIOError:
                    alive.append(s)
                except OSError:
                    s.close()
            held = alive
            time.sleep(0.05)
        for s in held:
            s.close()

    t = threading.Thread(target=hog, daemon=True)
    t.start()
    time.sleep(2.0)  # let the attacker take the slots
    outcomes = {}
    latencies = []
    t0 = time.time()
    n = 0
    while time.time() - t0 < seconds:
        n += 1
        started = time.time()
        try:
            status = submit(c, n, source=HONEST, timeout=5)[0]
            key = str(status)
        except socket.timeout:
            key = "timeout"
        except (ConnectionError, OSError) as e:
            key = e.__class__.__name__
        latencies.append(time.time() - started)
        outcomes[key] = outcomes.get(key, 0) + 1
        time.sleep(max(0.0, 0.1 - (time.time() - started)))
    stop.set()
    t.join(timeout=10)
    latencies.sort()
    accepted = outcomes.get("201", 0)
    ok = accepted == n
    return {"attacker_connections_opened": opened[0], "honest_submissions": n, "honest_outcomes": outcomes,
            "honest_p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
            "honest_max_ms": round(latencies[-1] * 1000, 1)}, ok


def attack_unknown_keys(c, keys=150_000):
    """A 3-4 MB body with 150,000 unknown criteria."""
    extra = {f"ZZ-{i:06d}": {"rating": 3} for i in range(keys)}
    body = json.dumps(valid_response(1, extra_answers=extra), separators=(",", ":")).encode()
    rss0 = c.rss_mb()
    peak = [rss0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], c.rss_mb())
            time.sleep(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    s = c.connect(ATTACKER, 60)
    head = (f"POST /api/v1/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    s.sendall(head + body)
    try:
        status, h, answer, wire = read_response(s)
    except (ConnectionError, OSError) as e:
        status, answer, wire = f"no answer ({e})", b"", 0
    s.close()
    done.set()
    sampler.join()
    listed = None
    try:
        listed = len(json.loads(answer)["error"].get("fields", []))
    except Exception:
        pass
    growth = peak[0] - rss0
    ok = c.alive() and wire <= 64 * 1024
    return {"request_bytes": len(body), "answer": status, "answer_bytes": wire, "problems_listed": listed,
            "server_rss_growth_mb": round(growth, 1)}, ok


def attack_wal(c, seconds=30, connections=64):
    """Sustained writes (wrk, 64 connections, distinct valid responses) for 30 s; the WAL is sampled every
    0.25 s; then the server is killed with SIGKILL during the load and every acknowledged response is looked for."""
    if not shutil.which("wrk"):
        return {"skipped": "wrk is not installed"}, False
    status, _, body = request(c, "GET", "/api/v1/consultation", source=HONEST)
    criteria = [i["id"] for i in json.loads(body)["items"]]
    wal = c.db + "-wal"
    peak = {"wal": 0, "db": 0, "ratio_ok": True}
    done = threading.Event()

    def sample():
        while not done.is_set():
            try:
                w = os.path.getsize(wal)
                d = os.path.getsize(c.db)
            except OSError:
                w, d = 0, 0
            if w > peak["wal"]:
                peak["wal"], peak["db"] = w, d
            if w > 2 * d + 64 * 1024 * 1024:
                peak["ratio_ok"] = False
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    lua = os.path.join(HERE, "..", "post-responses.lua")
    wrk = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", lua,
                          f"http://127.0.0.1:{c.port}", "--", *criteria], capture_output=True, text=True)
    done.set()
    sampler.join()
    result = dict(re.findall(r"(\w+)=([\d.]+)", wrk.stdout.split("RESULT", 1)[-1]))
    final_wal = os.path.getsize(wal) if os.path.exists(wal) else 0
    final_db = os.path.getsize(c.db)
    figures = {"seconds": seconds, "submissions": int(float(result.get("requests", 0))),
               "rejected": int(float(result.get("rejected", 0))),
               "peak_wal_mb": round(peak["wal"] / 2**20, 1), "db_mb_at_peak": round(peak["db"] / 2**20, 1),
               "final_wal_mb": round(final_wal / 2**20, 1), "final_db_mb": round(final_db / 2**20, 1),
               "wal_within_2x_db_plus_64mb": peak["ratio_ok"]}
    # SIGKILL under load: acknowledged (201) keys are recorded by a client, then the server is killed.
    acknowledged = []
    stop = threading.Event()

    def writer(w):
        i = 0
        while not stop.is_set():
            i += 1
            key = f"kill-{w}-{i}"
            try:
                if submit(c, i, key=key, timeout=5)[0] == 201:
                    acknowledged.append((key, i))
            except Exception:
                pass

    workers = [threading.Thread(target=writer, args=(w,), daemon=True) for w in range(16)]
    for w in workers:
        w.start()
    time.sleep(3)
    c.stop(kill=True)
    stop.set()
    for w in workers:
        w.join(timeout=10)
    restarted = Collector(c_binary[0], directory=c.dir)
    found = 0
    try:
        if not restarted.started:
            raise RuntimeError("the collector did not restart: " + restarted.stderr_text()[-300:])
        for key, i in acknowledged:
            if submit(restarted, i, key=key, timeout=10)[0] == 200:  # a replay: the response is there
                found += 1
        figures.update({"acknowledged_before_sigkill": len(acknowledged), "found_after_restart": found})
    finally:
        restarted.stop()
        restarted.out.close()
        restarted.err.close()
    ok = peak["ratio_ok"] and figures["rejected"] == 0 and found == len(acknowledged)
    return figures, ok


# ---------------------------------------------------------------------------------------------------------
# Further attacks on the points issue 13 lists


def attack_host_header(c):
    """A form submission with `Host: evil.example`: where does the receipt's edit link point?"""
    s, h, body = request(c, "GET", "/", source=ATTACKER)
    cookie = h.get("set-cookie", "").split(";")[0]
    csrf = re.search(rb'name="csrf" value="([^"]+)"', body).group(1).decode()
    form = {"csrf": csrf, "submissionKey": "host-attack", "profile.capacity": "individual",
            "profile.stakeholderGroup": "academic", "profile.country":
            "http://publications.europa.eu/resource/authority/country/BEL", "profile.familiarity": "3",
            "rating.MC-01": "4", "consent": "yes", "privacyVersion": "1", "action": "submit"}
    status, h2, page = request(c, "POST", "/", {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
                               urllib.parse.urlencode(form).encode(), host="evil.example")
    links = sorted(set(re.findall(rb'https?://[^/"\s<]+/edit/', page)))
    hosts = [l.decode().split("/")[2] for l in links]
    ok = "evil.example" not in hosts
    return {"answer": status, "edit_link_hosts": hosts}, ok


def attack_weak_token(binary):
    """`ECCOE_ANALYST_TOKEN=abc`: does the collector start with a 24-bit analyst token?"""
    c = Collector(binary, token="abc")
    try:
        started = c.started
        message = "" if started else c.stderr_text().strip().splitlines()[-1:]
        return {"started_with_weak_token": started, "message": message}, not started
    finally:
        c.cleanup()


def attack_token_guessing(c, attempts=300):
    """300 wrong analyst tokens from one address as fast as possible."""
    statuses = {}
    t0 = time.time()
    s = c.connect(ATTACKER)
    for i in range(attempts):
        try:
            s.sendall(f"GET /api/v1/statistics HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer guess-{i}\r\n\r\n".encode())
            st = read_response(s)[0]
        except (ConnectionError, OSError):
            s.close()
            s = c.connect(ATTACKER)
            continue
        statuses[st] = statuses.get(st, 0) + 1
    s.close()
    rate = attempts / (time.time() - t0)
    honest, _, _ = request(c, "GET", "/api/v1/statistics", {"Authorization": f"Bearer {STRONG_TOKEN}"}, source=HONEST)
    ok = statuses.get(429, 0) > 0 and statuses.get(401, 0) <= 20 and honest == 200
    return {"answers": statuses, "guesses_per_second": round(rate), "honest_analyst_from_other_address": honest}, ok


def attack_token_in_url(c):
    """The analyst token in the report's URL (it lands in logs, history and Referer)."""
    status, h, _ = request(c, "GET", "/report?token=" + urllib.parse.quote(STRONG_TOKEN))
    signin, h2, page = request(c, "GET", "/report")
    has_form = b"<form" in page and b"password" in page
    return {"report_with_token_in_query": status, "report_without": signin, "sign_in_form": has_form}, status != 200


def attack_db_mode(c):
    """Who may read the database file the collector created?"""
    mode = oct(os.stat(c.db).st_mode & 0o777)
    extra = [oct(os.stat(p).st_mode & 0o777) for p in (c.db + "-wal", c.db + "-shm") if os.path.exists(p)]
    return {"database_mode": mode, "wal_shm_modes": extra}, mode == "0o600" and all(m == "0o600" for m in extra)


def attack_non_json(c):
    """API bodies that are not declared application/json."""
    body = json.dumps(valid_response(2)).encode()
    answers = {}
    for label, headers in [("no Content-Type", {}), ("text/plain", {"Content-Type": "text/plain"}),
                           ("application/jsonx", {"Content-Type": "application/jsonx"})]:
        answers[label] = request(c, "POST", "/api/v1/responses", headers, body)[0]
    return {"answers": answers}, all(v == 415 for v in answers.values())


def attack_draft_flood(c, drafts=20):
    """Form drafts of 3 MB of fields the consultation does not have, 20 times."""
    s, h, body = request(c, "GET", "/", source=ATTACKER)
    cookie = h.get("set-cookie", "").split(";")[0]
    csrf = re.search(rb'name="csrf" value="([^"]+)"', body).group(1).decode()
    statuses = {}
    size0 = os.path.getsize(c.db) + (os.path.getsize(c.db + "-wal") if os.path.exists(c.db + "-wal") else 0)
    junk = "x" * 9000
    for d in range(drafts):
        fields = [("csrf", csrf), ("action", "draft")] + [(f"comment.NOPE-{d}-{i}", junk) for i in range(330)]
        st = request(c, "POST", "/", {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
                     urllib.parse.urlencode(fields).encode())[0]
        statuses[st] = statuses.get(st, 0) + 1
    time.sleep(1)
    size1 = os.path.getsize(c.db) + (os.path.getsize(c.db + "-wal") if os.path.exists(c.db + "-wal") else 0)
    growth = (size1 - size0) / 2**20
    return {"answers": statuses, "storage_growth_mb": round(growth, 1)}, growth < 5


def attack_honeypot(c):
    """A bot fills the hidden `website` field: does the answer tell it, and does it cost rate-limit tokens?"""
    s, h, body = request(c, "GET", "/", source=ATTACKER)
    cookie = h.get("set-cookie", "").split(";")[0]
    csrf = re.search(rb'name="csrf" value="([^"]+)"', body).group(1).decode()
    answers = {}
    texts = set()
    for i in range(40):
        form = {"csrf": csrf, "submissionKey": f"bot-{i}", "website": "http://spam.example", "rating.MC-01": "4",
                "consent": "yes", "privacyVersion": "1", "action": "submit"}
        st, hh, page = request(c, "POST", "/", {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
                               urllib.parse.urlencode(form).encode())
        answers[st] = answers.get(st, 0) + 1
        if st == 400 or b"hidden field" in page.lower():
            texts.add("the answer points at the trap field")
    announced = bool(texts)
    # Then the same address fills the form in honestly: its honeypot hits have cost it its write tokens.
    form = {"csrf": csrf, "submissionKey": "after-bot", "rating.MC-01": "4", "consent": "yes", "privacyVersion": "1",
            "action": "submit"}
    after = request(c, "POST", "/", {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
                    urllib.parse.urlencode(form).encode())[0]
    limited = after == 429 or answers.get(429, 0) > 0
    return {"answers": answers, "announced": announced, "next_write_from_that_address": after}, (not announced) and limited


def attack_csv_injection(c):
    """Comments that spreadsheets would run as formulas after a leading space, line feed or no-break space,
    in full-width forms, and with a NUL byte; then the analyst's CSV export."""
    payloads = [" =1+1", "\n=HYPERLINK(\"http://x\")", "\u00a0=1+1", "\uff1d1+1", "\uff0bcmd", "\uff0d1", "\uff20SUM(A1)",
                "a\u0000b", "\t=1", "=1"]
    for i, p in enumerate(payloads):
        request(c, "POST", "/api/v1/responses", {"Content-Type": "application/json"},
                json.dumps(valid_response(i, comment=p)).encode())
    status, h, data = request(c, "GET", "/api/v1/export?format=csv", {"Authorization": f"Bearer {STRONG_TOKEN}"},
                              source=HONEST)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8", "replace"), newline="")))
    column = rows[0].index("comment")
    comments = [r[column] for r in rows[1:] if len(r) > column and r[column]]
    triggers = "=+-@\t\r\uff1d\uff0b\uff0d\uff20"
    unsafe = [v for v in comments if v.lstrip(" \t\r\n\u00a0")[:1] in triggers and v.lstrip(" \t\r\n\u00a0") and not v.startswith("'")]
    nul = b"\0" in data
    return {"comments_exported": len(comments), "unneutralised": unsafe, "nul_in_csv": nul}, not unsafe and not nul


def attack_encoded_slash(c):
    """`/api%2Fv1%2Fconsultation`: is %2F decoded before routing?"""
    status = request(c, "GET", "/api%2Fv1%2Fconsultation")[0]
    return {"answer": status}, status == 404


def attack_conformance(c):
    """RFC 9112 points: HEAD, HTTP/1.0 and chunked, 204, absolute-form, headers on the parser's own errors."""
    out = {}
    s = c.connect(ATTACKER)
    s.sendall(b"HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    out["head_then_get_two_answers"] = data.count(b"HTTP/1.1 ") == 2 and data.split(b"\r\n\r\n")[1].startswith(b"HTTP/1.1 200")
    status, h, _ = request(c, "GET", "http://127.0.0.1/healthz")
    out["absolute_form"] = status
    s = c.connect(ATTACKER)
    s.sendall(f"GET /api/v1/export?format=jsonl HTTP/1.0\r\nAuthorization: Bearer {STRONG_TOKEN}\r\n\r\n".encode())
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    out["http10_export_chunked"] = b"transfer-encoding: chunked" in data.lower()
    st, h, b = submit(c, 7, source=ATTACKER)
    receipt = json.loads(b)
    s = c.connect(ATTACKER)
    s.sendall(f"DELETE /api/v1/responses/{receipt['id']} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {receipt['editToken']}\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    out["204_has_content_length"] = b"content-length" in data.lower()
    status, h, _ = raw_exchange(c, b"GET / HTTP/1.1\r\n\r\n")
    out["parser_400_has_csp"] = "content-security-policy" in h
    ok = (out["head_then_get_two_answers"] and out["absolute_form"] == 200 and not out["http10_export_chunked"]
          and not out["204_has_content_length"] and out["parser_400_has_csp"])
    return out, ok


def attack_full_disk(binary):
    """The database on a 24 MB tmpfs filled up by submissions: what is logged, what /healthz says, and
    does the collector serve again once space is freed? (needs root for the mount)"""
    if os.geteuid() != 0:
        return {"skipped": "needs root to mount a small tmpfs"}, False
    mount = tempfile.mkdtemp(prefix="eccoe-fulldisk-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mount], check=True)
    c = None
    try:
        c = Collector(binary, directory=mount)
        filler = os.path.join(mount, "filler")
        with open(filler, "wb") as f:
            try:
                f.write(b"\0" * (23 << 20))
            except OSError:
                pass
        statuses = {}
        for i in range(200):
            st = submit(c, i, source=ATTACKER)[0]
            statuses[st] = statuses.get(st, 0) + 1
            if st != 201 and statuses.get(st, 0) > 5:
                break
        hs, hh, hb = request(c, "GET", "/healthz", source=HONEST)
        log = c.stderr_text()
        logged = [l for l in log.splitlines() if "full" in l.lower() or "space" in l.lower()][:2]
        os.remove(filler)
        time.sleep(1)
        after = submit(c, 999, source=HONEST)[0]
        alive = c.alive()
        ok = alive and bool(logged) and (hs != 200 or b"degraded" in hb)
        return {"answers_while_full": statuses, "healthz_while_full": [hs, hb.decode(errors="replace").strip()],
                "logged": logged, "submission_after_space_freed": after, "alive": alive}, ok and after == 201
    finally:
        if c:
            c.cleanup()
        subprocess.run(["umount", mount])
        shutil.rmtree(mount, ignore_errors=True)


c_binary = [None]

ATTACKS = {
    "chunk-negative": attack_chunk_negative,
    "chunk-overflow": attack_chunk_overflow,
    "chunk-grammar": attack_chunk_grammar,
    "blank-lines": attack_blank_lines,
    "idle-slots": attack_idle_slots,
    "unknown-keys": attack_unknown_keys,
    "wal": attack_wal,
    "host-header": attack_host_header,
    "weak-token": None,
    "token-guessing": attack_token_guessing,
    "token-in-url": attack_token_in_url,
    "db-mode": attack_db_mode,
    "non-json": attack_non_json,
    "draft-flood": attack_draft_flood,
    "honeypot": None,
    "csv-injection": attack_csv_injection,
    "encoded-slash": attack_encoded_slash,
    "conformance": attack_conformance,
    "full-disk": None,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", required=True)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--json")
    args = parser.parse_args()
    c_binary[0] = os.path.abspath(args.bin)
    results = {}
    for name, fn in ATTACKS.items():
        if args.only and name not in args.only:
            continue
        t0 = time.time()
        try:
            if name == "weak-token":
                figures, held = attack_weak_token(c_binary[0])
            elif name == "full-disk":
                figures, held = attack_full_disk(c_binary[0])
            else:
                # The honeypot attack needs the default write rate limit; the others turn it off.
                c = Collector(c_binary[0], rate_limit="30" if name == "honeypot" else "0")
                try:
                    if not c.started:
                        figures, held = {"error": "the collector did not start: " + c.stderr_text()[-300:]}, False
                    else:
                        figures, held = (attack_honeypot if name == "honeypot" else fn)(c)
                        if name not in ("wal",):
                            figures.setdefault("server_alive_after", c.alive())
                finally:
                    c.cleanup()
        except Exception as e:  # an attack that cannot even run says so rather than stopping the others
            figures, held = {"error": f"{e.__class__.__name__}: {e}"}, False
        results[name] = {"held": held, **figures}
        print(f"{name:15} {'held  ' if held else 'BROKEN'} {json.dumps(figures, ensure_ascii=True)}  ({time.time() - t0:.0f} s)",
              flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    sys.exit(0 if all(r["held"] for r in results.values()) else 1)


if __name__ == "__main__":
    main()
