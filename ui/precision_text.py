"""The precision a comparison reached, in one sentence for the table, the report and the app.

A comparison run until its headline KPIs were decided says so; one stopped by its maximum,
or run with a fixed count, names the headline KPIs still undecided, how precise each is
(half its 95% interval) and the threshold it would need to be read against.
"""

from __future__ import annotations

from collections.abc import Mapping

from ui import report_format as fmt

Row = Mapping[str, object]


def _headline(rows: list[Row]) -> list[Row]:
    return [r for r in rows if r.get("group") is None and fmt.is_headline(str(r.get("kpi")))]


def _amount(row: Row, key: str) -> str:
    return fmt.diff_text(str(row.get("unit", "")), row.get(key), compact=True).lstrip("+")


def precision_summary(rows: list[Row], japanese: bool = False) -> str:
    """``12 replications: every headline KPI decided at its practical threshold`` or the
    undecided ones with their precision; "" for rows saved without a precision."""
    headline = [r for r in _headline(rows) if r.get("decided") is not None]
    if not headline:
        return ""
    count = max(int(r.get("replications") or 0) for r in headline)  # type: ignore[call-overload]
    open_rows = [r for r in headline if r.get("decided") is False]
    if japanese:
        if not open_rows:
            return f"反復 {count} 回: 主要KPIはすべて実務上のしきい値で判定済み"
        named = "、".join(f"{r.get('scenario')} の {fmt.base_kpi(str(r.get('kpi')))} "
                         f"(±{_amount(r, 'precision')}、しきい値 {_amount(r, 'threshold')})"
                         for r in open_rows)
        return f"反復 {count} 回: 未判定の主要KPI {len(open_rows)} 件: {named}"
    if not open_rows:
        return f"{count} replications: every headline KPI decided at its practical threshold"
    named = "; ".join(f"{r.get('scenario')}: {fmt.base_kpi(str(r.get('kpi')))} "
                      f"±{_amount(r, 'precision')} (threshold {_amount(r, 'threshold')})"
                      for r in open_rows)
    return (f"{count} replications: {len(open_rows)} headline "
            f"KPI{'s' if len(open_rows) != 1 else ''} not decided at the threshold: {named}")
