"""What the benchmark scripts share: their child processes, the sample they build on, the
machine they describe and the way they print a median.

A measurement that needs a process of its own (a peak memory that is the run's alone, a
fresh interpreter as on the command line, Prosimos in its own environment) runs one of the
modules in ``benchmarks/children/`` as a script: ordinary, linted code that prints its
figures as one line of JSON. The child finds the planner on ``PYTHONPATH`` (this checkout, or
the earlier one a comparison times) and this module beside it.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from sim.model import ProcessModel

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
CHILDREN = BENCH / "children"
RESULTS = BENCH / "results"
NOT_PEOPLE = ("Customer", "System", "Marketing Automation", "Fulfilment")


def run_child(name: str, *args: object, python: str | Path = sys.executable,
              root: Path | None = ROOT, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run ``benchmarks/children/NAME.py ARGS`` in a fresh interpreter and read its last line
    of output as JSON. ``root`` is the checkout whose planner it imports (None: none, as in
    Prosimos's environment); a failure raises with the end of the child's error output."""
    path = os.pathsep.join(str(p) for p in (root, BENCH) if p is not None)
    environment = dict(os.environ, **(env or {}), PYTHONPATH=path)
    done = subprocess.run([str(python), str(CHILDREN / f"{name}.py"), *map(str, args)],
                          capture_output=True, text=True, cwd=root or ROOT, env=environment,
                          check=False)
    if done.returncode != 0 or not done.stdout.strip():
        raise RuntimeError(f"{name} {' '.join(map(str, args))[:200]} failed:\n"
                           f"{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def own_peak_mb() -> float:
    """This process's own peak resident memory: VmHWM, since ``ru_maxrss`` keeps the parent's
    across fork and exec."""
    try:
        with Path("/proc/self/status").open(encoding="utf-8") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sample_copies(n_events: int, *, own_people: bool = False, as_text: bool = False
                  ) -> pd.DataFrame:
    """The bundled sample repeated until it has ``n_events`` rows, each copy with its own case
    ids (and, with ``own_people``, its own reps, approvers and clerks: a separate sales
    organisation over the same months). ``as_text`` keeps every column as read (strings), for
    writing back as CSV."""
    import pandas as pd

    from calibration.sample import sample_path

    base = pd.read_csv(sample_path("d365"), dtype=str if as_text else None)
    if not as_text:
        for column in ("Start Time", "End Time"):
            base[column] = pd.to_datetime(base[column])
    people = ~base["Owner"].isin(NOT_PEOPLE)
    parts = []
    for k in range(-(-n_events // len(base))):
        part = base.copy()
        part["Opportunity ID"] = part["Opportunity ID"] + f"-{k:03d}"
        if own_people:
            part.loc[people, "Owner"] = part.loc[people, "Owner"] + f" ({k})"
        parts.append(part)
    return pd.concat(parts, ignore_index=True).head(n_events)


def calibrated_sample() -> ProcessModel:
    """The model calibrated from the bundled sample, as ``l2c calibrate sample.csv`` learns it
    without tuning."""
    from calibration.fit.calibrate import calibrate
    from calibration.read import read_log
    from calibration.sample import sample_path

    read = read_log(sample_path("d365"))
    return calibrate(read.require_log(), read.path).model


def median_line(values: Iterable[float], digits: int = 1, more: str = "") -> str:
    """``median 12.3 s (runs 12.1, 12.3, 14.0)``, with ``more`` inside the brackets."""
    seconds = list(values)
    runs = ", ".join(f"{v:.{digits}f}" for v in seconds)
    return f"median {statistics.median(seconds):.{digits}f} s (runs {runs}{more})"


def machine_info(prosimos: Path | None = None) -> dict[str, object]:
    """Platform, CPU, cores, memory, Python and library versions (and the load average); with
    ``prosimos``, the versions in Prosimos's environment too."""
    cpu = platform.processor() or platform.machine()
    memory_gb = None
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal"):
                memory_gb = round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    info: dict[str, object] = {
        "platform": platform.platform(), "cpu": cpu, "cores": os.cpu_count(),
        "memory_gb": memory_gb, "python": platform.python_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "versions": {name: _version(name) for name in
                     ("l2c-planner", "simpy", "numpy", "pandas", "scipy", "pyarrow")},
    }
    if prosimos is not None:
        info["prosimos_environment"] = run_child("prosimos_versions", python=prosimos,
                                                 root=None)
    return info


def written_by(script: str, report: dict[str, Any]) -> str:
    """The results page's first sentence: which script wrote it when, on what machine, under
    what load (``report`` holds ``date``, ``load_before`` and ``machine_info()``)."""
    m = report["machine"]
    return (f"Written by `benchmarks/{script}` on {report['date']}. Machine: {m['cpu']}, "
            f"{m['cores']} cores, {m['memory_gb']} GB RAM, {m['platform']}, Python "
            f"{m['python']}; load average before and after: {report['load_before']} / "
            f"{m['load_average']}")


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
