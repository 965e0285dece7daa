"""The backtest as one self-contained HTML page (every KPI, not only those that moved)."""

from __future__ import annotations

import html
from collections.abc import Callable

from calibration.evaluate.backtest import Backtest, BacktestRow, Interval
from ui.render_evaluate import STYLE
from ui.report_format import decimals, number, unit_suffix


def html_report(result: Backtest) -> str:
    e = html.escape
    rows = "".join(_row(row) for row in sorted(result.rows, key=lambda r: not r.material))
    notes = "".join(f'<p class="muted">note: {e(n)}</p>' for n in result.notes)
    header = "".join(f"<th>{column}</th>" for column in COLUMNS)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Backtest of {e(result.scenario)}</title>
<style>{STYLE}</style></head><body>
<h1>Backtest of '{e(result.scenario)}' on {e(result.log)}</h1>
<p>Change on {e(result.change_date)} ({e(result.chosen_by)}); {result.reps} replications,
seed {result.seed}.</p>
<p class="muted">{e(result.window)}</p>
<table><thead><tr><th>KPI</th>{header}</tr></thead><tbody>{rows}</tbody></table>
<p class="muted">Real shift: the real after-value less the unchanged model's prediction.
Explained: the predicted shift over the real one (95% interval across replications), for
the KPIs whose real shift passes its practical threshold (listed first).
<span class="miss">Red</span>: the real after-value lies outside the prediction with the
scenario.</p>{notes}
</body></html>"""


COLUMNS = ("before", "after (real)", "predicted without", "predicted with", "real shift",
           "predicted shift", "explained")


def cells(row: BacktestRow) -> list[str]:
    """One row's values under ``COLUMNS``, with units, as every backtest report writes them:
    with the decimals that show its shifts (so a shift past its threshold never reads 0)."""
    digits = decimals(row.unit, row.real_shift, row.predicted_shift.mean)

    def value(v: float) -> str:
        return number(row.unit, v, digits=digits) + unit_suffix(row.unit, compact=True)

    def shift(v: float) -> str:
        return (number(row.unit, v, signed=True, digits=digits)
                + unit_suffix(row.unit, difference=True, compact=True))

    def spread(interval: Interval, text: Callable[[float], str]) -> str:
        return f"{text(interval.mean)} ({text(interval.low)} to {text(interval.high)})"

    explained = ("—" if row.explained is None else
                 f"{row.explained.mean:.0%} ({row.explained.low:.0%} to "
                 f"{row.explained.high:.0%})")
    return [value(row.before), value(row.after), spread(row.without, value),
            spread(row.with_scenario, value), shift(row.real_shift),
            spread(row.predicted_shift, shift), explained]


def _row(row: BacktestRow) -> str:
    e = html.escape
    cls = ' class="miss"' if row.missed else ""
    return (f"<tr{cls}><th>{e(row.label)}</th>"
            + "".join(f'<td class="num">{e(c)}</td>' for c in cells(row)) + "</tr>")
