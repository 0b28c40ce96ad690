#!/usr/bin/env python3
"""Runs one command with its standard output sent to a file, and prints `seconds=… max_rss_mb=…` from the
child's own resource usage (os.wait4), so the figure is the command's peak memory and nothing else's.

usage: measure.py OUTFILE COMMAND [ARG...]"""
import os, sys, time

out, command = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.execvp(command[0], command)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
if os.waitstatus_to_exitcode(status) != 0:
    sys.exit(f"{command[0]} failed with status {os.waitstatus_to_exitcode(status)}")
print(f"seconds={seconds:.3f} max_rss_mb={usage.ru_maxrss / 1024:.1f}")
