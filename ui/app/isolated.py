"""Reading an upload in a process of its own, under a time and a memory limit.

The checks before parsing refuse the bombs we know of; this is for the ones we do not. A
read that runs too long is killed, and one that needs more memory than allowed fails in
its own process, so the app server (and every other session on it) carries on, and the
memory a read took is the system's again when it ends. The reading process comes from a
fork server that has the readers imported, so it starts in a fraction of a second.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext, SpawnContext
from pathlib import Path
from typing import Unpack

from calibration.limits import Limit
from calibration.read import ReadOptions, ReadResult, read_log
from sim.errors import PlannerError

SECONDS = Limit("L2C_APP_READ_SECONDS", 600, "the time the app gives one file to be read")
MEMORY_MB = Limit("L2C_APP_READ_MB", 4096, "the memory the app gives one file's reading, MB")
if "forkserver" in multiprocessing.get_all_start_methods():
    _forkserver = multiprocessing.get_context("forkserver")
    _forkserver.set_forkserver_preload(["calibration.read"])
    _context: ForkServerContext | SpawnContext = _forkserver
else:  # Windows
    _context = multiprocessing.get_context("spawn")


def read(path: Path, name: str, **options: Unpack[ReadOptions]) -> ReadResult:
    """``read_log(path, **options)`` in a child process; a PlannerError naming ``name``
    when it takes too long or too much memory."""
    receive, send = _context.Pipe(duplex=False)
    child = _context.Process(target=_read_in_child, name="l2c-read", daemon=True,
                             args=(send, path, MEMORY_MB.value(), options))
    child.start()
    send.close()
    try:
        if not receive.poll(SECONDS.value()):
            raise PlannerError(f"Reading '{name}' took more than {SECONDS.value():,} seconds "
                               f"and was stopped. Filter the export to fewer cases, or "
                               f"{SECONDS.raise_hint()}.")
        outcome = receive.recv()
    except EOFError:
        outcome = PlannerError(f"Reading '{name}' needed more than {MEMORY_MB.value():,} MB "
                               f"of memory and was stopped. Filter the export to fewer cases, "
                               f"or {MEMORY_MB.raise_hint()}.")
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def _read_in_child(send: Connection, path: Path, memory_mb: int,
                   options: ReadOptions) -> None:
    """Cap this process's address space at what it uses now plus the allowance, read,
    send back the result (or the error, worded for the user)."""
    try:
        import resource

        used = int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
    except (ImportError, OSError):  # no address-space limit where it cannot be set
        pass
    else:
        cap = used + memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        outcome: object = read_log(path, **options)
    except MemoryError:
        outcome = PlannerError(f"Reading '{path.name}' needed more than {memory_mb:,} MB of "
                               f"memory and was stopped. Filter the export to fewer cases, "
                               f"or {MEMORY_MB.raise_hint()}.")
    except Exception as error:  # a bug: raised again in the app, which reports it as one
        outcome = error
    send.send(outcome)
    send.close()
