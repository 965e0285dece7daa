"""The summary ``l2c inspect`` prints: what is in the log, and what the reader found.

The dictionary is also the JSON interface for scripts; its keys ``cases``, ``events``,
``activities``, ``period``, ``errors``, ``warnings`` and ``mapping`` are stable.
"""

from __future__ import annotations

import pandas as pd

from calibration.completion import open_case_ids
from calibration.lifecycle import SOURCE_ROW
from calibration.read import ReadResult
from sim.eventlog import ACTIVITY, CASE_ID, END, START

TOP_VARIANTS = 10
VARIANT_SEPARATOR = "\x1f"


def variants(events: pd.DataFrame, top: int = TOP_VARIANTS) -> list[dict[str, object]]:
    """The most frequent activity sequences, with their number and share of cases."""
    traces = events.groupby(CASE_ID, sort=False)[ACTIVITY].agg(VARIANT_SEPARATOR.join)
    counts = traces.value_counts()
    total = len(traces)
    return [{"activities": key.split(VARIANT_SEPARATOR), "cases": int(n),
             "share": round(n / total, 4)} for key, n in counts.head(top).items()]


def _iso(value: pd.Timestamp) -> str:
    return value.isoformat()


def _case_attributes(cases: pd.DataFrame) -> dict[str, dict[str, object]]:
    found = {}
    for column in cases.columns:
        present = cases[column].dropna()
        found[column] = {"distinct": int(present.nunique()),
                         "missing": int(len(cases) - len(present)),
                         "examples": [str(v) for v in present.drop_duplicates().head(3)]}
    return found


def summarise(result: ReadResult) -> dict[str, object]:
    """Everything inspect shows, as plain JSON-ready values."""
    report = result.report
    summary: dict[str, object] = {
        "file": result.path.name, "format": result.fmt, "encoding": result.encoding,
        "delimiter": result.delimiter, "rows": result.rows, "mapping": result.mapping,
        "errors": report.errors, "warnings": report.warnings, "notes": report.notes,
        "findings": [f.to_dict() for f in report.findings],
    }
    log = result.log
    if log is None:
        summary.update(cases=0, events=0, activities={}, period=None)
        return summary
    events = log.events
    single = bool((events[START] == events[END]).all())
    summary.update(
        cases=log.n_cases, events=log.n_events,
        activities={str(k): int(v) for k, v in events[ACTIVITY].value_counts().items()},
        period={"start": _iso(events[START].min()), "end": _iso(events[END].max())},
        timestamps="single timestamp per event" if single else "start and end time",
        timezone=log.timezone,
        open_cases=len(open_case_ids(events)),
        resources=int(events["resource"].nunique()) if "resource" in events else 0,
        top_variants=variants(events),
        case_attributes=_case_attributes(log.cases),
        event_attributes=[c for c in events.columns
                          if c not in (CASE_ID, ACTIVITY, START, END, SOURCE_ROW)],
    )
    return summary
