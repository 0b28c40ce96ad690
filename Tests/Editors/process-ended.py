"""Waits for a process that is not our child (the language server, whose editor has exited) to end, by its pidfd:
the descriptor becomes readable when the process exits, so the wait is on that event, not a poll of its state.
Usage: process-ended.py PID SECONDS. Exit status 0 when it has ended (or was already gone), 1 if it still runs
after SECONDS, a bound only to fail by."""
import os, select, sys

pid, seconds = int(sys.argv[1]), float(sys.argv[2])
try:
    fd = os.pidfd_open(pid)
except ProcessLookupError:
    sys.exit(0)
readable, _, _ = select.select([fd], [], [], seconds)
sys.exit(0 if readable else 1)
