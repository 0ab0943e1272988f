"""How an extraction worker process lives and dies with its build. Standard library only: a spawned worker imports
this first (pipelines/__init__.py), before the seconds of imports the extractor needs."""

from __future__ import annotations

import ctypes
import os
import signal
import sys

# Set in the build's environment while it starts its pool: a spawned worker sees the pid of its build.
BUILD_PID_VARIABLE = "ZHIBIAO_EXTRACTION_WORKER_OF"

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_build(parent_pid: int) -> None:
    """Linux kills this process when its parent dies (even by kill -9), so no orphan keeps working or holds the
    build's files and pipes; if the parent died already, this process exits now."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before the line above took effect
        os._exit(1)


def worker_started(parent_pid: int) -> None:
    """Run first in each extraction worker process. Ctrl-C reaches the whole process group; the build itself decides
    what an interrupt means and stops its workers, so they ignore SIGINT."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_build(parent_pid)
