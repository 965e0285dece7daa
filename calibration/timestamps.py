"""Turning the timestamp cells of an export into datetimes, and saying what was assumed.

Exports write time in many ways: ISO 8601 with or without an offset, locale formats such as
``03/04/2025 14:05`` (day or month first?), Japanese ``2025年3月4日``, Excel serial numbers,
Unix epochs, or real datetimes (Excel, Parquet, XES). One format is chosen per column from a
sample, then applied to the whole column in one vectorised call. When the data cannot tell
day/month order apart, the choice is reported so the user can override it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

ISO = "ISO8601"
SAMPLE_SIZE = 2000
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
OFFSET_PATTERN = r"(Z|[+-]\d{2}:?\d{2})$"

# (date format, what it means); slashes default to month first (US exports), dots and
# dashes to day first (European exports). Twins differ only in day/month order.
DATE_PARTS: tuple[tuple[str, str], ...] = (
    ("%Y-%m-%d", "year-month-day"),
    ("%Y/%m/%d", "year/month/day"),
    ("%m/%d/%Y", "month/day/year"),
    ("%d/%m/%Y", "day/month/year"),
    ("%d.%m.%Y", "day.month.year"),
    ("%m.%d.%Y", "month.day.year"),
    ("%d-%m-%Y", "day-month-year"),
    ("%m-%d-%Y", "month-day-year"),
    ("%m/%d/%y", "month/day/two-digit year"),
    ("%d/%m/%y", "day/month/two-digit year"),
    ("%Y年%m月%d日", "Japanese year-month-day"),
    ("%d-%b-%Y", "day-month name-year"),
    ("%d %b %Y", "day month-name year"),
    ("%b %d, %Y", "month-name day, year"),
)
TIME_PARTS = (" %H:%M:%S", " %H:%M", "", " %H:%M:%S.%f", " %I:%M:%S %p", " %I:%M %p",
              "T%H:%M:%S", " %H時%M分", " %H時%M分%S秒")
TWINS = {"%m/%d/%Y": "%d/%m/%Y", "%d/%m/%Y": "%m/%d/%Y", "%d.%m.%Y": "%m.%d.%Y",
         "%m.%d.%Y": "%d.%m.%Y", "%d-%m-%Y": "%m-%d-%Y", "%m-%d-%Y": "%d-%m-%Y",
         "%m/%d/%y": "%d/%m/%y", "%d/%m/%y": "%m/%d/%y"}


@dataclass
class ParsedTimes:
    """Parsed values (naive; values that carried an offset are in UTC) and what happened."""

    values: pd.Series
    failed: pd.Series  # True where a non-empty cell could not be read as a time
    offsets: pd.Series  # minutes east of UTC where the cell carried an offset, else NaN
    how: str
    ambiguous_with: str | None = None  # the other day/month reading that also fits


def parse_timestamps(raw: pd.Series, date_format: str | None = None) -> ParsedTimes:
    """Parse one column; ``date_format`` (strftime codes) forces the format."""
    present = raw.notna()
    values = raw[present]
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        return _from_datetimes(raw)
    kind = pd.api.types.infer_dtype(values, skipna=True) if len(values) else "empty"
    if kind in {"integer", "floating", "mixed-integer-float", "decimal"}:
        return _from_numbers(pd.to_numeric(raw, errors="coerce"), present)
    if kind in {"datetime", "datetime64", "date"}:
        return _from_datetimes(pd.to_datetime(raw, errors="coerce", utc=_any_aware(values)))
    if kind == "string":
        return _from_strings(raw.where(present).str.strip(), present, date_format)
    return _from_mixed(raw, present, date_format)


def _empty_offsets(index: pd.Index) -> pd.Series:
    return pd.Series(np.nan, index=index, dtype=float)


def _any_aware(values: pd.Series) -> bool:
    return any(getattr(v, "tzinfo", None) is not None for v in values.head(1000))


def _from_datetimes(parsed: pd.Series) -> ParsedTimes:
    offsets = _empty_offsets(parsed.index)
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        utc = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
        local = parsed.dt.tz_localize(None)
        offsets = (local - utc).dt.total_seconds() / 60.0
        parsed = utc
    failed = pd.Series(False, index=parsed.index)
    return ParsedTimes(parsed.astype("datetime64[ns]"), failed, offsets,
                       "datetimes stored in the file")


def _from_numbers(numbers: pd.Series, present: pd.Series) -> ParsedTimes:
    """Excel serial days, or Unix epoch seconds / milliseconds."""
    median = float(numbers.median()) if numbers.notna().any() else 0.0
    if 10_000 <= median <= 100_000:
        values = EXCEL_EPOCH + pd.to_timedelta(numbers.where(numbers.between(1, 2_958_465)),
                                               unit="D")
        how = "Excel serial dates (days since 1899-12-30)"
    elif median > 1e11:
        values = pd.to_datetime(numbers, unit="ms", errors="coerce")
        how = "Unix time in milliseconds"
    elif median > 1e8:
        values = pd.to_datetime(numbers, unit="s", errors="coerce")
        how = "Unix time in seconds"
    else:
        values = pd.Series(pd.NaT, index=numbers.index, dtype="datetime64[ns]")
        how = "numbers that are not dates"
    values = values.dt.round("s").astype("datetime64[ns]")
    failed = present & values.isna()
    return ParsedTimes(values, failed, _empty_offsets(numbers.index), how)


def _spread_sample(strings: pd.Series) -> pd.Series:
    unique = pd.Series(strings.dropna().unique())
    if len(unique) <= SAMPLE_SIZE:
        return unique
    step = len(unique) / SAMPLE_SIZE
    return unique.iloc[(np.arange(SAMPLE_SIZE) * step).astype(int)]


def _parse_with(strings: pd.Series, fmt: str) -> pd.Series:
    if fmt == ISO:
        return pd.to_datetime(strings, format=ISO, errors="coerce", utc=True)
    return pd.to_datetime(strings, format=fmt, errors="coerce")


def _choose_format(sample: pd.Series) -> tuple[str | None, list[str]]:
    """The date part parsing most of the sample, and its time variants in order of fit."""
    best_date, best_count, best_times = None, 0, []
    iso = int(_parse_with(sample, ISO).notna().sum())
    if iso == len(sample):
        return ISO, [ISO]
    for date_part, _meaning in DATE_PARTS:
        counts = [(int(_parse_with(sample, date_part + t).notna().sum()), date_part + t)
                  for t in TIME_PARTS]
        total = sum(c for c, _ in counts)
        if total > best_count:
            best_date, best_count = date_part, total
            best_times = [f for c, f in sorted(counts, key=lambda x: -x[0]) if c > 0]
    if iso >= best_count:
        return (ISO, [ISO]) if iso else (None, [])
    return best_date, best_times


def _meaning(date_part: str) -> str:
    return dict(DATE_PARTS).get(date_part, date_part)


def _from_strings(strings: pd.Series, present: pd.Series, date_format: str | None
                  ) -> ParsedTimes:
    offsets = _empty_offsets(strings.index)
    if date_format:
        values = pd.to_datetime(strings, format=date_format, errors="coerce")
        return ParsedTimes(values.astype("datetime64[ns]"), present & values.isna(), offsets,
                           f"the format {date_format} (as given)")
    sample = _spread_sample(strings)
    numeric = pd.to_numeric(sample, errors="coerce")
    if len(sample) and numeric.notna().all():
        return _from_numbers(pd.to_numeric(strings, errors="coerce"), present)
    date_part, formats = _choose_format(sample)
    if date_part is None:
        nat = pd.Series(pd.NaT, index=strings.index, dtype="datetime64[ns]")
        return ParsedTimes(nat, present.copy(), offsets, "no known date format")
    if date_part == ISO:
        parsed = _parse_with(strings, ISO)
        carried = strings.str.extract(OFFSET_PATTERN, expand=False)
        offsets = _offset_minutes(carried)
        # utc=True reads values without an offset as written, those with one in UTC.
        values = parsed.dt.tz_localize(None)
        how = "ISO 8601"
    else:
        values = _parse_in_turn(strings, formats)
        how = f"{_meaning(date_part)} ({' or '.join(formats[:2])})"
    twin = TWINS.get(date_part)
    ambiguous = None
    if twin is not None:
        unique = pd.Series(strings.dropna().unique())
        twin_formats = [f.replace(date_part, twin, 1) for f in formats]
        if _parse_in_turn(unique, twin_formats).notna().all():
            ambiguous = _meaning(twin)
    values = values.astype("datetime64[ns]")
    return ParsedTimes(values, present & values.isna(), offsets, how, ambiguous)


def _parse_in_turn(strings: pd.Series, formats: list[str]) -> pd.Series:
    """Apply formats one after the other to what is still unparsed (date-only cells, ...)."""
    values = pd.Series(pd.NaT, index=strings.index, dtype="datetime64[ns]")
    for fmt in formats:
        todo = values.isna() & strings.notna()
        if not todo.any():
            break
        values[todo] = _parse_with(strings[todo], fmt)
    return values


def _offset_minutes(carried: pd.Series) -> pd.Series:
    text = carried.str.replace(":", "", regex=False)
    is_z = text == "Z"
    sign = np.where(text.str[0] == "-", -1.0, 1.0)
    hours = pd.to_numeric(text.str[1:3], errors="coerce")
    minutes = pd.to_numeric(text.str[3:5], errors="coerce")
    result = sign * (hours * 60 + minutes)
    return pd.Series(np.where(is_z, 0.0, result), index=carried.index, dtype=float)


def _from_mixed(raw: pd.Series, present: pd.Series, date_format: str | None) -> ParsedTimes:
    """A column mixing real datetimes, numbers and text (Excel does this): one kind at a time."""
    kinds = raw.map(lambda v: "str" if isinstance(v, str) else
                    "num" if isinstance(v, (int, float, np.number)) and not pd.isna(v) else
                    "other")
    values = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    offsets = _empty_offsets(raw.index)
    failed = pd.Series(False, index=raw.index)
    parts: list[str] = []
    for kind, subset in raw[present].groupby(kinds[present]):
        if kind == "str":
            result = _from_strings(subset.str.strip(), subset.notna(), date_format)
        elif kind == "num":
            result = _from_numbers(pd.to_numeric(subset), subset.notna())
        else:
            result = _from_datetimes(pd.to_datetime(subset, errors="coerce", utc=True))
        values[subset.index] = result.values
        offsets[subset.index] = result.offsets
        failed[subset.index] = result.failed
        parts.append(result.how)
    return ParsedTimes(values, failed, offsets, " and ".join(parts))
