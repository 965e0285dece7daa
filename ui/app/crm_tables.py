"""A CRM's own tables uploaded on the Data page (several files or a zip) become the log.

The app does what ``l2c extract dynamics|oracle TABLES -o log.csv`` does (a Dynamics
payments file uploaded beside the tables, named ``payments``, is its ``--payments``), then
reads the log like any upload: the tables are kept privately together, the extraction runs in a
process of its own under the reading limits, and the extraction report is remembered with
the log it produced, so the page shows it (before the validation report) as long as that
log is in use, whatever the user changes in how the log is read.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Protocol

import streamlit as st

from sim.errors import PlannerError
from ui.app import cache, isolated, uploads
from ui.app.extract_words import sentence
from ui.app.state import LoadedData, ReadOptions

CRMS = ("dynamics", "oracle")
TYPES = ["zip", "csv", "txt", "gz", "xlsx", "json"]
PAYMENTS = ("payments", "payment")  # a Dynamics payments file uploaded beside the tables
REPORT = "data.extraction"  # (path of the extracted log, the extraction report)


class Upload(Protocol):
    """What the page needs of an uploaded file (Streamlit's ``UploadedFile``)."""

    name: str

    def getvalue(self) -> bytes: ...


def load(files: list[Upload], crm: str) -> LoadedData:
    """Extract the log from the uploaded tables, read it, remember the report with it."""
    if crm not in CRMS:
        raise PlannerError(f"'{crm}': not a CRM the app extracts from; one of "
                           f"{', '.join(CRMS)}.")
    names = Counter(Path(f.name).name for f in files)
    twice = sorted(name for name, n in names.items() if n > 1)
    if twice:
        raise PlannerError(f"Two uploaded files are named {', '.join(twice)}: give each "
                           "table's pages their own names (e.g. quote_1.csv, quote_2.csv).")
    paths, digest = uploads.keep_together([(f.name, f.getvalue()) for f in files])
    name = _log_name(files, crm)
    output = paths[0].parent / "extracted" / name
    output.parent.mkdir(mode=0o700, exist_ok=True)
    shown = files[0].name if len(files) == 1 else f"{len(files)} files"
    payments = next((p for p in paths if crm == "dynamics" and p.stem.lower() in PAYMENTS),
                    None)
    try:
        report = isolated.extract(crm, [p for p in paths if p != payments], output, shown,
                                  payments)
    except PlannerError as error:  # the extraction's own words, in the page's language
        raise PlannerError(sentence(str(error))) from None
    loaded = cache.load(output, f"{digest}:{crm}", name, ReadOptions())
    st.session_state[REPORT] = (str(output), _scrubbed(report))
    return loaded


def report_of(loaded: LoadedData) -> dict[str, object] | None:
    """The extraction report of the log in use, when it came from a CRM's tables."""
    kept = st.session_state.get(REPORT)
    if kept is None or kept[0] != str(loaded.path):
        return None
    report: dict[str, object] = kept[1]
    return report


def _log_name(files: list[Upload], crm: str) -> str:
    """The extracted log's name: after the zip it came from, else after the CRM."""
    if len(files) == 1 and files[0].name.lower().endswith(".zip"):
        return f"{Path(files[0].name).stem}_log.csv"
    return f"{crm}_log.csv"


def _scrubbed(report: dict[str, object]) -> dict[str, object]:
    """The report with no path of the server's upload folder in it."""
    warnings = report.get("warnings")
    if isinstance(warnings, list):
        report["warnings"] = [uploads.scrub(str(w)) for w in warnings]
    return report
