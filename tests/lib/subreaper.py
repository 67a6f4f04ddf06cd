"""Runs a command as a child subreaper and reaps nothing more until its
stdin closes: a process orphaned under it (a Postgres whose starter
exited) stays a zombie when killed, as under an init that reaps slowly.

    python3 subreaper.py PROGRAM ARGS...   prints "exited N" when done
"""

import ctypes
import os
import subprocess
import sys

PR_SET_CHILD_SUBREAPER = 36

libc = ctypes.CDLL(None, use_errno=True)
if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
    sys.exit(f"prctl: {os.strerror(ctypes.get_errno())}")
rc = subprocess.call(sys.argv[1:])
print(f"exited {rc}", flush=True)
sys.stdin.read()
while True:
    try:
        os.waitpid(-1, 0)
    except ChildProcessError:
        break
