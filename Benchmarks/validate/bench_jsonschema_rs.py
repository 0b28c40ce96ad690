#!/usr/bin/env python3
"""Times jsonschema-rs validating the corpus against the schema, collecting every error (iter_errors).
Documents are parsed with json.loads beforehand (not timed): this is validation alone.

Usage: bench_jsonschema_rs.py SCHEMA CORPUS_DIR [--seconds N]
"""
import json
import os
import sys
import time

import jsonschema_rs


def main():
    schema_path, corpus = sys.argv[1], sys.argv[2]
    seconds = float(sys.argv[sys.argv.index("--seconds") + 1]) if "--seconds" in sys.argv else 3.0
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    names = sorted(n for n in os.listdir(corpus) if n.endswith(".json"))
    texts = [open(os.path.join(corpus, n), "rb").read() for n in names]
    docs = [json.loads(t) for t in texts]
    total = sum(len(t) for t in texts)
    validator = jsonschema_rs.Draft202012Validator(schema)
    invalid = sum(1 for d in docs if not validator.is_valid(d))
    errors = sum(len(list(validator.iter_errors(d))) for d in docs)
    print("jsonschema-rs %s: %d invalid, %d errors in all" % (getattr(jsonschema_rs, "__version__", "?"), invalid, errors))

    def one_pass():
        n = 0
        for d in docs:
            for _ in validator.iter_errors(d):
                n += 1
        return n

    one_pass()
    best = float("inf")
    deadline = time.perf_counter() + seconds
    rounds = 0
    while rounds < 3 or time.perf_counter() < deadline:
        start = time.perf_counter()
        one_pass()
        best = min(best, time.perf_counter() - start)
        rounds += 1
    print("%-26s%9.0f docs/s %8.1f MB/s" % ("jsonschema-rs validate only", len(docs) / best, total / 1e6 / best))
    print("RESULT documents=%d invalid=%d validate_seconds=%.6f" % (len(docs), invalid, best))


if __name__ == "__main__":
    main()
