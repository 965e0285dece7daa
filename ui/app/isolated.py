"""Reading an upload (or extracting a log from uploaded CRM tables) in a process of its own,
under a time and a memory limit.

The checks before parsing refuse the bombs we know of; this is for the ones we do not. A
read that runs too long is killed, and one that needs more memory than allowed fails in
its own process, so the app server (and every other session on it) carries on, and the
memory a read took is the system's again when it ends. The reading process comes from a
fork server that has the readers imported, so it starts in a fraction of a second.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
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
    outcome = _in_child(name, _read, path, options)
    assert isinstance(outcome, ReadResult)
    return outcome


def extract(crm: str, paths: list[Path], output: Path, name: str,
            payments: Path | None = None) -> dict[str, object]:
    """``l2c extract CRM PATHS -o OUTPUT [--payments FILE]`` in a child process, under the
    same limits as a read: the extraction report (``ExtractionReport.to_dict``)."""
    outcome = _in_child(name, _extract, crm, paths, output, payments)
    assert isinstance(outcome, dict)
    return outcome


def _read(path: Path, options: ReadOptions) -> ReadResult:
    return read_log(path, **options)


def _extract(crm: str, paths: list[Path], output: Path, payments: Path | None
             ) -> dict[str, object]:
    from calibration.extract.dataverse import extract_dynamics
    from calibration.extract.oracle import extract_oracle
    from calibration.writers import write_log

    if crm == "dynamics":
        log, report = extract_dynamics(paths, payments=payments)
    else:
        log, report = extract_oracle(paths)
    write_log(log, output)
    return report.to_dict()


def _in_child(name: str, job: Callable[..., object], *args: object) -> object:
    """``job(*args)`` in a child process; what it returned, or its error raised here."""
    receive, send = _context.Pipe(duplex=False)
    child = _context.Process(target=_run_in_child, name="l2c-read", daemon=True,
                             args=(send, name, MEMORY_MB.value(), job, args))
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


def _run_in_child(send: Connection, name: str, memory_mb: int,
                  job: Callable[..., object], args: tuple[object, ...]) -> None:
    """Cap this process's address space at what it uses now plus the allowance, run the
    job, send back its result (or the error, worded for the user)."""
    try:
        import resource

        used = int(Path("/proc/self/statm").read_text().split()[0]) * resource.getpagesize()
    except (ImportError, OSError):  # no address-space limit where it cannot be set
        pass
    else:
        cap = used + memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    try:
        outcome: object = job(*args)
    except MemoryError:
        outcome = PlannerError(f"Reading '{name}' needed more than {memory_mb:,} MB of "
                               f"memory and was stopped. Filter the export to fewer cases, "
                               f"or {MEMORY_MB.raise_hint()}.")
    except Exception as error:  # a bug: raised again in the app, which reports it as one
        outcome = error
    send.send(outcome)
    send.close()
