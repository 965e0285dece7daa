"""The precision a comparison reached, in one sentence for the table, the report and the app.

A comparison run until its headline KPIs were decided says so, with each scenario's
replications when they stopped apart; one stopped by its maximum, or run with a fixed count,
names the headline KPIs still undecided, how precise each is
(half its 95% interval) and the threshold it would need to be read against.
"""

from __future__ import annotations

from collections.abc import Sequence

from sim.compare import Difference
from sim.kpis import catalogue
from ui import kpi_definitions
from ui import report_format as fmt
from ui.report_ja import SCENARIOS_JA

FINE_DIGITS = 3  # decimals of a precision and its threshold in days or percentage points


def _headline(rows: Sequence[Difference]) -> list[Difference]:
    return [r for r in rows if r.group is None and catalogue.is_headline(r.kpi)]


def _name(row: Difference, japanese: bool) -> str:
    return kpi_definitions.name(row.kpi, japanese) or row.kpi.removesuffix(catalogue.TAIL)


def _amount(unit: str, amount: float | None, japanese: bool = False) -> str:
    digits = FINE_DIGITS if unit in ("days", "share") else None  # 0.028 d is not 0.031 d
    text = (fmt.number(unit, amount, signed=True, digits=digits)
            + fmt.unit_suffix(unit, difference=True, compact=not japanese,
                              lang="ja" if japanese else "en"))
    return text.lstrip("+")


def precision_summary(rows: Sequence[Difference], japanese: bool = False) -> str:
    """``12 replications: every headline KPI decided at its practical threshold`` or the
    undecided ones with their precision; "" for rows saved without a precision."""
    headline = [r for r in _headline(rows) if r.decided is not None]
    if not headline:
        return ""
    open_rows = [r for r in headline if r.decided is False]
    if japanese:
        used = _used(headline, True)
        if not open_rows:
            return f"{used}: 主要KPIはすべて実務上のしきい値で判定済み"
        named = "、".join(
            f"{SCENARIOS_JA.get(r.scenario, r.scenario)} の "
            f"{_name(r, True)} (±{_amount(r.unit, r.precision, True)}、しきい値 "
            f"{_amount(r.unit, r.threshold, True)})" for r in open_rows)
        return f"{used}: 未判定の主要KPI {len(open_rows)} 件: {named}"
    used = _used(headline, False)
    if not open_rows:
        return f"{used}: every headline KPI decided at its practical threshold"
    named = "; ".join(f"{r.scenario}: {_name(r, False)} ±{_amount(r.unit, r.precision)} "
                      f"(threshold {_amount(r.unit, r.threshold)})" for r in open_rows)
    return (f"{used}: {len(open_rows)} headline "
            f"KPI{'s' if len(open_rows) != 1 else ''} not decided at the threshold: {named}")


def _counts(rows: Sequence[Difference]) -> dict[str, int]:
    """Each scenario's replications (its headline rows were compared on as many)."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.scenario] = max(counts.get(row.scenario, 0), row.replications)
    return counts


def replications_range(rows: Sequence[Difference]) -> str:
    """``12``, or ``6–20`` when each scenario stopped at its own count."""
    counts = _counts(_headline(rows)).values()
    if not counts:
        return ""
    low, high = min(counts), max(counts)
    return f"{high:,}" if low == high else f"{low:,}–{high:,}"


def _used(headline: Sequence[Difference], japanese: bool) -> str:
    """``12 replications``, or each scenario's count when they stopped apart."""
    counts = _counts(headline)
    if len(set(counts.values())) == 1:
        count = next(iter(counts.values()))
        return f"反復 {count} 回" if japanese else f"{count} replications"
    if japanese:
        each = "、".join(f"{SCENARIOS_JA.get(name, name)} {n} 回" for name, n in counts.items())
        return f"反復 {replications_range(headline)} 回 ({each})"
    each = ", ".join(f"{name} {n}" for name, n in counts.items())
    return f"{replications_range(headline)} replications ({each})"
