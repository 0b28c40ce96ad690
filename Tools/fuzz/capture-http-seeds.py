#!/usr/bin/env python3
"""Captures the bytes real HTTP clients send, as seeds for the HTTP fuzz target (Tools/fuzz/corpus/http).

    python3 Tools/fuzz/capture-http-seeds.py [OUT_DIR]

Listens on 127.0.0.1, answers every request with an empty 200 (or 100 Continue first when asked), and saves
each connection's bytes as one file named after the client that sent it: curl (GET, HEAD, HTTP/1.0, JSON and
form posts, a chunked upload, Expect: 100-continue, a proxy-style absolute-form request, pipelined keep-alive
requests), Python's http.client and urllib, wrk, and headless Chromium loading a page. Clients that are not
installed are skipped. The attack requests of issue 13 are added as they are.
"""

import http.client
import os
import shutil
import socket
import subprocess
import sys
import threading
import urllib.request

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "http")
os.makedirs(OUT, exist_ok=True)

listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(64)
PORT = listener.getsockname()[1]
captured = []
label = ["start"]


def serve():
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        threading.Thread(target=handle, args=(conn, label[0]), daemon=True).start()


def handle(conn, name):
    conn.settimeout(1.5)
    data = b""
    answered = 0
    try:
        while len(data) < 65536:
            chunk = conn.recv(65536)
            if not chunk:
                break
            data += chunk
            if b"100-continue" in data.lower() and b"HTTP/1.1 100" not in data:
                conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            # Answer each complete head (bodies are small here); keep-alive clients send the next request.
            heads = data.count(b"\r\n\r\n")
            for _ in range(heads - answered):
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            answered = heads
    except (socket.timeout, OSError):
        pass
    finally:
        conn.close()
    if data:
        captured.append((name, data))


threading.Thread(target=serve, daemon=True).start()
base = f"http://127.0.0.1:{PORT}"
json_body = ('{"profile":{"capacity":"individual","stakeholderGroup":"academic","country":'
             '"http://publications.europa.eu/resource/authority/country/BEL","familiarity":3},'
             '"answers":{"MC-01":{"rating":4,"comment":"Clear."},"MC-02":{"rating":null}},'
             '"consent":{"privacyVersion":"1","given":true}}')
form_body = ("csrf=Zm9vYmFy&submissionKey=abc123&privacyVersion=1&profile.capacity=individual"
             "&profile.country=http%3A%2F%2Fpublications.europa.eu%2Fresource%2Fauthority%2Fcountry%2FBEL"
             "&rating.MC-01=4&comment.MC-01=Clear+and+useful%2C+%C3%A9%3D1&rating.MC-02=none&consent=yes&action=submit")


def run(name, args):
    if not shutil.which(args[0]):
        print(f"skipped {name}: {args[0]} is not installed")
        return
    label[0] = name
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)


def python_clients():
    label[0] = "python-http-client"
    c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
    c.request("POST", "/api/v1/responses", body=json_body,
              headers={"Content-Type": "application/json", "Idempotency-Key": "7d1c1c4e-1b2a-4c0f-9f1e-2d3c4b5a6978"})
    c.getresponse().read()
    c.request("GET", "/api/v1/responses/0123456789abcdef0123456789abcdef", headers={"Authorization": "Bearer dG9rZW4"})
    c.getresponse().read()
    c.close()
    label[0] = "python-urllib"
    urllib.request.urlopen(urllib.request.Request(f"{base}/api/v1/statistics?as-of=2027-02-01T00:00:00Z",
                                                  headers={"Authorization": "Bearer x"}), timeout=5).read()


run("curl-get", ["curl", "-s", f"{base}/"])
run("curl-head", ["curl", "-s", "-I", f"{base}/healthz"])
run("curl-http10", ["curl", "-s", "-0", f"{base}/api/v1/consultation"])
run("curl-json", ["curl", "-s", "-H", "Content-Type: application/json", "-H", "Idempotency-Key: k-1",
                  "--data-binary", json_body, f"{base}/api/v1/responses"])
run("curl-form", ["curl", "-s", "-H", "Cookie: eccoe_csrf=bm9uY2U", "--data", form_body, f"{base}/"])
run("curl-chunked", ["curl", "-s", "-H", "Transfer-Encoding: chunked", "-H", "Content-Type: application/json",
                     "--data-binary", json_body, f"{base}/api/v1/responses"])
run("curl-expect", ["curl", "-s", "-H", "Expect: 100-continue", "-H", "Content-Type: application/json",
                    "--data-binary", json_body * 40, f"{base}/api/v1/responses"])
run("curl-put", ["curl", "-s", "-X", "PUT", "-H", "Authorization: Bearer dG9rZW4", "-H", "Content-Type: application/json",
                 "--data-binary", json_body, f"{base}/api/v1/responses/0123456789abcdef0123456789abcdef"])
run("curl-delete", ["curl", "-s", "-X", "DELETE", "-H", "Authorization: Bearer dG9rZW4",
                    f"{base}/api/v1/responses/0123456789abcdef0123456789abcdef"])
run("curl-proxy-absolute-form", ["curl", "-s", "-x", base, "http://consult.example.org/report"])
run("curl-keepalive", ["curl", "-s", f"{base}/", f"{base}/assets/form.css", f"{base}/healthz"])
python_clients()
run("wrk", ["wrk", "-t1", "-c1", "-d1s", f"{base}/api/v1/consultation"])
run("chromium", ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", f"{base}/?draft=abc"])

listener.close()
counts = {}
for name, data in captured:
    counts[name] = counts.get(name, 0) + 1
    if counts[name] > 3:
        continue  # a few connections per client are enough (wrk and Chromium open many)
    with open(os.path.join(OUT, f"{name}-{counts[name]}.http"), "wb") as f:
        f.write(data[:8192])

attacks = {
    "attack-chunk-negative": b"POST /api/v1/responses HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n",
    "attack-chunk-overflow": b"POST /api/v1/responses HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n7fffffffffffffff\r\n",
    "attack-blank-lines": b"\r\n" * 600 + b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    "attack-smuggling": b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /report HTTP/1.1\r\nHost: x\r\n\r\n",
    "attack-encoded-slash": b"GET /api%2Fv1%2Fconsultation HTTP/1.1\r\nHost: x\r\n\r\n",
}
for name, data in attacks.items():
    with open(os.path.join(OUT, f"{name}.http"), "wb") as f:
        f.write(data)
print(f"{sum(min(v, 3) for v in counts.values()) + len(attacks)} seeds in {OUT}: " + ", ".join(f"{k} ({v})" for k, v in sorted(counts.items())))
