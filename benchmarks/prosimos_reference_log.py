"""Record Prosimos's own log of the reference lead-to-cash model, for the agreement test.

``tests/test_prosimos_agreement.py`` checks that ``l2c import-bps`` + our engine reproduce
what Prosimos itself makes of ``benchmarks/models/lead_to_cash.bpmn`` + ``.json``. CI has no
Prosimos, so its log is recorded once, here, and kept in the repository:

    .venv/bin/python benchmarks/prosimos_reference_log.py [--cases 3000] [--seed 1]

runs Prosimos (``PROSIMOS_VERSION`` of ``benchmarks/speed.py``, in its own virtual
environment ``benchmarks/.prosimos-venv``, installed on first use) on the model in a child
process, with Python's and NumPy's global generators seeded with ``--seed`` and the first
case at ``PROSIMOS_START`` (Monday 2024-01-01 00:00 UTC), and writes to
``tests/data/prosimos/``:

* ``lead_to_cash_prosimos_log.csv.gz``: Prosimos's log trimmed to case_id, activity,
  start_time, end_time, resource (its enable_time column dropped), times rounded to the
  whole second and written without the ``+00:00`` (all UTC), rows in Prosimos's order;
  gzip with mtime 0 and no file name, so the same run gives the same bytes;
* ``lead_to_cash_prosimos_log.json``: how it was made (versions, seed, cases, start, the
  command) and the SHA-256 of the model files and of the log, so the test can tell when
  the model changed after the recording;
* ``README.md``: the same, for people.

Prosimos is deterministic under these seeds: the same command gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import tempfile
import textwrap
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

from harness import ROOT, run_child
from speed import BPMN, PARAMS, PROSIMOS_START, PROSIMOS_VERSION, TASKS, prosimos_python

OUT = ROOT / "tests" / "data" / "prosimos"
LOG_NAME = "lead_to_cash_prosimos_log.csv.gz"
META_NAME = "lead_to_cash_prosimos_log.json"
COLUMNS = ("case_id", "activity", "start_time", "end_time", "resource")

def file_sha256(path: Path) -> str:
    """SHA-256 of a text file with line ends made LF (a CRLF checkout gives the same)."""
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def whole_second(stamp: str) -> str:
    """``2024-01-01 08:01:05.769531+00:00`` -> ``2024-01-01 08:01:06`` (UTC, rounded)."""
    moment = datetime.fromisoformat(stamp)
    if moment.utcoffset() != timedelta(0):
        raise ValueError(f"Prosimos wrote a time that is not UTC: {stamp!r}")
    moment = moment.replace(tzinfo=None)
    rounded = moment.replace(microsecond=0)
    if moment.microsecond >= 500_000:
        rounded += timedelta(seconds=1)
    return rounded.strftime("%Y-%m-%d %H:%M:%S")


def run_prosimos(cases: int, seed: int, raw: Path) -> dict[str, str]:
    try:
        versions = run_child("prosimos_log", BPMN, PARAMS, cases, seed, PROSIMOS_START, raw,
                             python=prosimos_python(), root=None)
    except RuntimeError as failed:
        raise SystemExit(f"Prosimos failed: {failed}") from failed
    if versions["prosimos"] != PROSIMOS_VERSION:
        raise SystemExit(f"expected Prosimos {PROSIMOS_VERSION}, ran {versions['prosimos']}")
    return versions


def trimmed(raw: Path) -> tuple[bytes, Counter[str], int]:
    """The trimmed CSV text, the task counts and the number of cases."""
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(COLUMNS)
    counts: Counter[str] = Counter()
    cases: set[str] = set()
    with raw.open(newline="", encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            counts[row["activity"]] += 1
            cases.add(row["case_id"])
            writer.writerow([row["case_id"], row["activity"], whole_second(row["start_time"]),
                             whole_second(row["end_time"]), row["resource"]])
    unknown = set(counts) - set(TASKS)
    if unknown:
        raise SystemExit(f"Prosimos logged activities the model does not have: {unknown}")
    return text.getvalue().encode("utf-8"), counts, len(cases)


def gzipped(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9,
                       mtime=0) as out:
        out.write(data)
    return buffer.getvalue()


def readme(meta: dict) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in meta["prosimos_environment"].items())
    counts = ", ".join(f"{name} {n:,}" for name, n in meta["task_counts"].items())
    facts = [
        f"Prosimos environment: {versions}.",
        f"Cases: {meta['cases']:,} (ids 0 to {meta['cases'] - 1}); rows (task instances): "
        f"{meta['rows']:,}; the first case arrives at {meta['start']} (a Monday).",
        f"Task instances: {counts}. Prosimos does not log the timer event (\"Payment term "
        "runs\").",
        f"Columns kept: {', '.join(meta['columns'])}. Prosimos's `enable_time` is dropped; "
        "times are rounded to the whole second and written without the `+00:00` (they are "
        "all UTC); rows are in Prosimos's own order. Gzip with mtime 0 and no file name: the "
        "same command gives the same bytes (with the same zlib).",
        f"`{META_NAME}`: the same facts, with the SHA-256 of the model files (line ends as LF) "
        "at the time of recording; the test fails with a hint to re-run the script when they "
        "change.",
        f"SHA-256 of `{LOG_NAME}`: `{meta['log_sha256']}`.",
    ]
    bullets = "\n".join(textwrap.fill(fact, width=92, initial_indent="- ",
                                      subsequent_indent="  ", break_on_hyphens=False,
                                      break_long_words=False) for fact in facts)
    return f"""# Prosimos's own log of the reference lead-to-cash model

`{LOG_NAME}` is the event log that Prosimos {meta['prosimos_version']} (the open-source
business process simulator) wrote when it simulated this project's own reference model,
`benchmarks/models/lead_to_cash.bpmn` + `lead_to_cash.json` (written by hand for this
project; see `benchmarks/models/README.md`). It is the output of running Prosimos on our
model, not third-party data. `tests/test_prosimos_agreement.py` compares our engine's
simulation of the imported model with it, so that CI needs no Prosimos.

Produced by

    {meta['command']}

which runs, in the Prosimos virtual environment `benchmarks/.prosimos-venv` (created by
`benchmarks/speed.py` with `pip install prosimos=={meta['prosimos_version']}`):

    random.seed({meta['seed']}); numpy.random.seed({meta['seed']})
    prosimos.simulation_engine.run_simulation(bpmn, json, {meta['cases']},
        log_out_path=..., starting_at="{meta['start']}")

{bullets}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the log")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "prosimos.csv"
        versions = run_prosimos(args.cases, args.seed, raw)
        data, counts, cases = trimmed(raw)
    if cases != args.cases:
        raise SystemExit(f"Prosimos logged {cases} cases, not {args.cases}")
    packed = gzipped(data)
    args.out.mkdir(parents=True, exist_ok=True)
    log_path = args.out / LOG_NAME
    log_path.write_bytes(packed)
    command = ".venv/bin/python benchmarks/prosimos_reference_log.py"
    if args.cases != 3_000 or args.seed != 1:
        command += f" --cases {args.cases} --seed {args.seed}"
    meta = {
        "prosimos_version": PROSIMOS_VERSION,
        "prosimos_environment": versions,
        "command": command,
        "seed": args.seed,
        "cases": args.cases,
        "start": PROSIMOS_START,
        "rows": sum(counts.values()),
        "columns": list(COLUMNS),
        "times": "UTC, rounded to the whole second",
        "task_counts": {name: counts[name] for name in TASKS if counts[name]},
        "model_sha256": {path.name: file_sha256(path) for path in (BPMN, PARAMS)},
        "log_sha256": hashlib.sha256(packed).hexdigest(),
    }
    (args.out / META_NAME).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    (args.out / "README.md").write_text(readme(meta), encoding="utf-8")
    print(f"{cases:,} cases, {meta['rows']:,} rows, {len(packed):,} bytes -> {log_path}")


if __name__ == "__main__":
    main()
