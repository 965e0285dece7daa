"""The backtest as one self-contained HTML page (every KPI, not only those that moved)."""

from __future__ import annotations

import html

from calibration.evaluate.backtest import Backtest, BacktestRow, Interval
from ui.render_evaluate import STYLE, value_text


def html_report(result: Backtest) -> str:
    e = html.escape
    rows = "".join(_row(row) for row in sorted(result.rows, key=lambda r: not r.material))
    notes = "".join(f'<p class="muted">note: {e(n)}</p>' for n in result.notes)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Backtest of {e(result.scenario)}</title>
<style>{STYLE}</style></head><body>
<h1>Backtest of '{e(result.scenario)}' on {e(result.log)}</h1>
<p>Change on {e(result.change_date)} ({e(result.chosen_by)}); {result.reps} replications,
seed {result.seed}.</p>
<p class="muted">{e(result.window)}</p>
<table><thead><tr><th>KPI</th><th>before</th><th>after (real)</th><th>predicted without</th>
<th>predicted with</th><th>real shift</th><th>predicted shift</th><th>explained</th></tr>
</thead><tbody>{rows}</tbody></table>
<p class="muted">Real shift: the real after-value less the unchanged model's prediction.
Explained: the predicted shift over the real one (95% interval across replications), for
the KPIs whose real shift passes its practical threshold (listed first).
<span class="miss">Red</span>: the real after-value lies outside the prediction with the
scenario.</p>{notes}
</body></html>"""


def _row(row: BacktestRow) -> str:
    e = html.escape
    cls = ' class="miss"' if row.missed else ""
    explained = ("—" if row.explained is None else
                 f"{row.explained.mean:.0%} ({row.explained.low:.0%} to "
                 f"{row.explained.high:.0%})")
    cells = [value_text(row.unit, row.before), value_text(row.unit, row.after),
             _range(row.unit, row.without), _range(row.unit, row.with_scenario),
             value_text(row.unit, row.real_shift), _range(row.unit, row.predicted_shift),
             explained]
    return (f"<tr{cls}><th>{e(row.label)}</th>"
            + "".join(f'<td class="num">{e(c)}</td>' for c in cells) + "</tr>")


def _range(unit: str, interval: Interval) -> str:
    return (f"{value_text(unit, interval.mean)} ({value_text(unit, interval.low)} to "
            f"{value_text(unit, interval.high)})")
