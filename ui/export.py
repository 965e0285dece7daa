"""A saved comparison as a file to share: the KPI table as CSV, a workbook, or the report.

CSV and Excel go through ``calibration.writers`` (text that a spreadsheet would run as a
formula is defused); HTML is the self-contained report of ``ui.report``. Every file is built
in memory and written once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import overload

import pandas as pd

from calibration.writers import csv_bytes, save_bytes, xlsx_bytes
from sim.chart_data import MemberCharts
from sim.errors import PlannerError, did_you_mean
from sim.over_time import HISTORY_OVER_TIME
from sim.saved import SavedComparison
from ui.report import differences_frame, html_report
from ui.report_format import run_text

FORMATS: tuple[str, ...] = ("csv", "xlsx", "html")
OVER_TIME = "over_time"
SEGMENT_COLUMNS: tuple[str, ...] = ("scenario", "segment", "kpi", "label", "unit", "baseline",
                                    "value", "diff", "ci_low", "ci_high", "replications")
CHART_COLUMNS: tuple[str, ...] = ("member", "chart", "item", "quantile", "value")


def suffix(fmt_name: str) -> str:
    return f".{_check(fmt_name)}"


def _check(fmt_name: str) -> str:
    name = str(fmt_name).lower().lstrip(".")
    if name not in FORMATS:
        raise PlannerError(f"Cannot export as '{fmt_name}': use one of {', '.join(FORMATS)}."
                           f"{did_you_mean(name, FORMATS)}")
    return name


def export_format(path: Path | None, fmt_name: str | None) -> str:
    """The format to write: ``fmt_name`` when given, else the file's extension, else html.

    An extension that names no format is refused rather than guessed: a report written
    as ``x.pdf`` or a workbook as ``x.csv`` would only be found broken later."""
    if fmt_name is not None:
        return _check(fmt_name)
    if path is None:
        return "html"
    extension = path.suffix.lower().lstrip(".")
    extension = "html" if extension == "htm" else extension
    if extension not in FORMATS:
        raise PlannerError(f"{path}: cannot tell the format from "
                           f"'{path.suffix or 'no extension'}'. Name the file .csv, .xlsx or "
                           ".html, or give --format.")
    return extension


def slugify(name: str, fallback: str = "comparison") -> str:
    """A file-name-safe version of a comparison name: ``"Q3: faster approval!"`` ->
    ``q3-faster-approval``; letters of any script are kept (``見積承認`` stays)."""
    text = unicodedata.normalize("NFKC", name).strip().lower()
    text = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_")
    return text[:80].strip("-_") or fallback


def default_path(comparison: SavedComparison, fmt_name: str, folder: Path | None = None
                 ) -> Path:
    """Where an export goes when no file is named: the slugified name and the format."""
    return (folder or Path.cwd()) / f"{slugify(comparison.name)}{suffix(fmt_name)}"


def charts_frame(comparison: SavedComparison) -> pd.DataFrame:
    """The chart data flattened: member, chart, item (KPI, stage, activity, month, pool),
    quantile (cycle-time curves only) and value; an interval's bounds are charts of their
    own ('funnel_ci_low', 'cycle_band_high'), and so is each weekly series
    ('over_time:queue:Sales', its 'over_time:queue:Sales_ci_low')."""
    rows: list[dict[str, object]] = []
    for member, charts in (comparison.charts or {}).items():
        for chart, data in _figures(charts):
            for item, value in data.items():
                if isinstance(value, list | tuple):
                    grid = len(value) - 1
                    rows.extend({"member": member, "chart": chart, "item": item,
                                 "quantile": round(i / grid, 4) if grid else 0.0, "value": v}
                                for i, v in enumerate(value))
                else:
                    rows.append({"member": member, "chart": chart, "item": item,
                                 "quantile": None, "value": value})
    frame = pd.DataFrame.from_records(rows, columns=list(CHART_COLUMNS))
    for column in ("quantile", "value"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    return frame


Figures = Mapping[str, float | Sequence[float]]  # item -> a figure, or a curve on the grid


def _figures(charts: MemberCharts) -> Iterator[tuple[str, Figures]]:
    """A member's sections of figures, in the order its chart data keeps them; the maps
    and the list of partial months are no figures."""
    plain: dict[str, Figures] = {
        "cycle_times": charts.get("cycle_times", {}), "funnel": charts.get("funnel", {}),
        "waiting": charts.get("waiting", {}), "cash": charts.get("cash", {}),
        "utilisation": charts.get("utilisation", {})}
    intervals: dict[str, Mapping[str, Sequence[float | Sequence[float]]]] = {
        "cycle_band": charts.get("cycle_band", {}), "funnel_ci": charts.get("funnel_ci", {}),
        "waiting_ci": charts.get("waiting_ci", {}), "cash_ci": charts.get("cash_ci", {}),
        "utilisation_ci": charts.get("utilisation_ci", {})}
    weekly = {OVER_TIME: charts.get("over_time", {}),
              HISTORY_OVER_TIME: charts.get("over_time_history", {})}
    for chart in charts:
        if chart in plain:
            yield chart, plain[chart]
        yield from _bounds(chart, intervals.get(chart, {}))
        for key, series in weekly.get(chart, {}).items():
            yield f"{chart}:{key}", series.get("mean") or {}
            yield from _bounds(f"{chart}:{key}_ci", series.get("ci") or {})


def _bounds(chart: str, pairs: Mapping[str, Sequence[float | Sequence[float]]]
            ) -> Iterator[tuple[str, Figures]]:
    """Interval sections ({item: [low, high]}) as a low and a high section."""
    if pairs:
        for index, bound in enumerate(("low", "high")):
            yield f"{chart}_{bound}", {item: pair[index] for item, pair in pairs.items()}


def segments_frame(comparison: SavedComparison) -> pd.DataFrame:
    """The headline KPIs segment by segment, as measured before the comparison was saved
    (``sim.segments``), with the attribute the segments are values of."""
    kept = comparison.segments
    rows = [] if kept is None else [row.to_dict() for row in kept.rows]
    frame = pd.DataFrame.from_records(rows, columns=list(SEGMENT_COLUMNS))
    return frame.assign(by="" if kept is None else kept.by)


def scenarios_frame(comparison: SavedComparison) -> pd.DataFrame:
    return pd.DataFrame.from_records(
        [{"name": s.name, "source": s.source, "text": s.text} for s in comparison.scenarios],
        columns=["name", "source", "text"])


def about_frame(comparison: SavedComparison, language: str = "en") -> pd.DataFrame:
    """The About sheet's facts; the run length in ``language`` (the rest is translated by
    ``export_ja.about``)."""
    facts: list[tuple[str, object]] = [
        ("comparison", comparison.name), ("created", comparison.created),
        ("model", comparison.model_name), ("model fingerprint", comparison.model_fingerprint),
        ("scenarios", ", ".join(s.name for s in comparison.scenarios)),
        ("seed", comparison.seed), ("replications", comparison.replications),
        ("run length", run_text(dict(comparison.run or {}), language)),
    ]
    facts += [(f"run: {key}", value if isinstance(value, (int, float)) else str(value))
              for key, value in (comparison.run or {}).items()]
    return pd.DataFrame(facts, columns=["item", "value"])


def comparison_bytes(comparison: SavedComparison, fmt_name: str, language: str = "en"
                     ) -> bytes:
    """The export in memory, in ``language`` ("en" or "ja": the CSV and Excel tables with
    Japanese headers and words, the HTML report in Japanese)."""
    kind = _check(fmt_name)
    if comparison.is_target:  # a target's answer, kept with the comparisons
        from ui.export_target import target_bytes

        return target_bytes(comparison, kind, language)
    if kind == "html":
        return html_report(comparison, comparison.fidelity or None, language).encode("utf-8")
    sheets = {"Comparison": differences_frame(comparison),
              "Scenarios": scenarios_frame(comparison),
              "Charts data": charts_frame(comparison),
              "About": about_frame(comparison, language)}
    if comparison.segments is not None and comparison.segments.rows:
        sheets["Segments"] = segments_frame(comparison)
    if language == "ja":
        from ui import export_ja

        sheets = {export_ja.SHEETS[name]: said(sheets[name]) for name, said in (
            ("Comparison", export_ja.differences), ("Scenarios", export_ja.scenarios),
            ("Charts data", export_ja.charts), ("Segments", export_ja.segments),
            ("About", export_ja.about)) if name in sheets}
    if kind == "csv":
        return csv_bytes(next(iter(sheets.values())))
    case = comparison.business_case
    if case is not None:  # beside the differences it prices
        from ui.business_case_text import case_frame

        first, *rest = sheets.items()
        sheets = dict([first, case_frame(case, language == "ja"), *rest])
    return xlsx_bytes(sheets)


@overload
def export_comparison(comparison: SavedComparison, fmt: str, path: None = None,
                      language: str = "en") -> bytes: ...
@overload
def export_comparison(comparison: SavedComparison, fmt: str, path: Path,
                      language: str = "en") -> Path: ...
def export_comparison(comparison: SavedComparison, fmt: str, path: Path | None = None,
                      language: str = "en") -> bytes | Path:
    """``fmt`` is csv (the differences table), xlsx (Comparison, Business case when priced,
    Scenarios, Charts data and About sheets) or html (the report), in ``language``. Without
    ``path`` the bytes are returned; with it the file is written and its path returned."""
    data = comparison_bytes(comparison, fmt, language)
    if path is None:
        return data
    return save_bytes(Path(path), data)
