"""Cleaning cell values into canonical form: ids, text, won/lost, money and shares.

Exports disagree on how to write a won deal ("Won", "Closed Won", "WON", "受注"), money
("¥1,200,000", "$48,000.00", "48.000,00") and discounts (0.12 or 12 or "12%"). These
functions map them to one form and return what could not be understood, for the report.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.eventlog import LOST, OUTCOME, WON

WON_WORDS = {"won", "win", "closed won", "closedwon", "closed - won", "success", "successful",
             "受注", "成約", "受注済み", "成約済み"}
LOST_WORDS = {"lost", "loss", "closed lost", "closedlost", "closed - lost", "失注",
              "失注済み", "abandoned"}
OPEN_WORDS = {"open", "in progress", "inprogress", "active", "pending", "進行中", "商談中"}
FORMULA_ESCAPE = r"^'(?=[=+\-@\t\r])"


def as_text(column: pd.Series) -> pd.Series:
    """Strings without surrounding blanks; undo our own formula escaping; empty -> NA."""
    if pd.api.types.is_float_dtype(column.dtype) or pd.api.types.is_integer_dtype(column.dtype):
        column = column.map(_number_text, na_action="ignore")
    text = column.astype("string").str.strip()
    text = text.str.replace(FORMULA_ESCAPE, "", regex=True)
    return text.mask(text == "").astype(object).where(text.notna(), None)


def _number_text(value: float) -> str:
    """Excel stores ids as floats: 123.0 must read as '123'."""
    return str(int(value)) if float(value).is_integer() else str(value)


def outcome(column: pd.Series) -> tuple[pd.Series, dict[str, int]]:
    """Won/Lost/None, plus the values that meant neither (counted by value)."""
    text = as_text(column)
    lowered = text.str.lower()
    neither = np.full(len(column), None, dtype=object)
    result = pd.Series(np.where(lowered.isin(WON_WORDS), WON,
                                np.where(lowered.isin(LOST_WORDS), LOST, neither)),
                       index=column.index, dtype=object, name=OUTCOME)
    unknown = text.notna() & result.isna() & ~lowered.isin(OPEN_WORDS)
    return result, {str(k): int(v) for k, v in text[unknown].value_counts().items()}


def money(column: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers from money text; returns the values and a mask of cells that were not money."""
    if pd.api.types.is_numeric_dtype(column.dtype):
        values = pd.to_numeric(column, errors="coerce").astype(float)
        return values, column.notna() & values.isna()
    text = column.astype("string").str.replace(r"[^\d,.\-]", "", regex=True)
    both = text.str.contains(",", regex=False) & text.str.contains(".", regex=False)
    comma_decimal = (both & (text.str.rfind(",") > text.str.rfind("."))) | (
        ~both & text.str.fullmatch(r"-?\d+,\d{1,2}"))
    dotted = text.where(~comma_decimal, text.str.replace(".", "", regex=False)
                        .str.replace(",", ".", regex=False))
    dotted = dotted.where(comma_decimal, dotted.str.replace(",", "", regex=False))
    values = pd.to_numeric(dotted, errors="coerce").astype(float)
    return values, column.notna() & values.isna()


def share(column: pd.Series) -> tuple[pd.Series, pd.Series, bool]:
    """A rate as a share 0-1. Percent signs, or any value above 1, mean percentages."""
    text = column.astype("string").str.strip()
    percent_sign = text.str.endswith("%").fillna(False)
    values, bad = money(text.str.rstrip("%"))
    as_percent = bool(percent_sign.any() or (values.dropna() > 1).any())
    if as_percent:
        values = values / 100.0
    return values, bad, as_percent


def auto_type(column: pd.Series) -> pd.Series:
    """Numbers when every present value is one (CSV cells are all text), else clean text."""
    if column.dtype != object:
        return column
    numbers = pd.to_numeric(column, errors="coerce")
    present = int(column.notna().sum())
    if present and int(numbers.notna().sum()) == present:
        return numbers
    return as_text(column)
