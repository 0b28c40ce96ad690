#!/usr/bin/env python3
"""Checks that eccoe's long CSV and the sqlite3 shell's CSV of the same join hold the same data: the same
header, the same number of rows, and per response the same answers (eccoe orders a response's criteria as
the consultation does, the shell by id), once eccoe's formula protection (a leading ' before = + - @ tab CR)
is undone. Streams both files one response at a time. Prints one line; exits 1 on a difference."""
import csv, itertools, sys

def plain(cell):
    stripped = cell.lstrip(" ")
    if stripped.startswith("'") and stripped[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return cell.replace("'", "", 1)
    return cell

with open(sys.argv[1], newline="", encoding="utf-8-sig") as f1, open(sys.argv[2], newline="", encoding="utf-8") as f2:
    ours, theirs = csv.reader(f1, strict=True), csv.reader(f2, strict=True)
    h1, h2 = next(ours), next(theirs)
    if h1 != h2:
        sys.exit(f"headers differ:\n  {h1}\n  {h2}")
    criterion = h1.index("criterion_id")
    rows = 0
    groups = itertools.zip_longest(itertools.groupby(ours, key=lambda r: r[0]), itertools.groupby(theirs, key=lambda r: r[0]))
    for mine, other in groups:
        if mine is None or other is None or mine[0] != other[0]:
            sys.exit(f"responses differ or are missing: {mine and mine[0]} vs {other and other[0]}")
        a = sorted(([plain(c) for c in r] for r in mine[1]), key=lambda r: r[criterion])
        b = sorted(other[1], key=lambda r: r[criterion])
        if a != b:
            sys.exit(f"response {mine[0]} differs:\n  {a}\n  {b}")
        rows += len(a)
print(f"same data: {rows} rows × {len(h1)} columns in both files")
