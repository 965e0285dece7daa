"""Giving memory back when a session has finished with a large upload.

A session's data lives in its session state and goes when the session does, but the C
allocator keeps the freed heap for reuse: after a 150 MB upload the server stayed more than
a gigabyte larger once the browser was closed. A daemon thread of the server asks the
allocator every minute to return free memory to the system (glibc's ``malloc_trim``; a
no-op where there is none), and a new upload does so at once for the data it replaces.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import threading
import time
from collections.abc import Callable

import streamlit as st

TRIM_SECONDS = 60.0


def _trimmer() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        return None


_TRIM = _trimmer()


def release() -> None:
    """Collect unreachable objects and hand the free heap back to the system."""
    gc.collect()
    if _TRIM is not None:
        _TRIM(0)


@st.cache_resource(show_spinner=False)
def keep_releasing() -> threading.Thread:
    """Start (once per server) the thread that releases memory every minute."""

    def loop() -> None:
        while True:
            time.sleep(TRIM_SECONDS)
            release()

    thread = threading.Thread(target=loop, name="memory-release", daemon=True)
    thread.start()
    return thread
