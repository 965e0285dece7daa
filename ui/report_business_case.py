"""The business case section of the HTML report: each scenario's money figures as a table.

Words and numbers come from ``ui.business_case_text``, so the report reads as the terminal
and the app do; the report's own styles (``ui.report``) colour nothing here: a cost up or
down is for the reader to weigh against what the change earns.
"""

from __future__ import annotations

from collections.abc import Callable

from sim.business_case import BusinessCase
from ui import business_case_text as words
from ui.report_format import esc


def business_case_html(case: BusinessCase, baseline: str,
                       member: Callable[[str], str], japanese: bool = False) -> str:
    """One table per scenario (``member`` gives a study member's shown name)."""
    parts = []
    for scenario in words.scenarios_of(case):
        heads = "".join(
            f'<th scope="col">{esc(member(baseline) if key == "baseline" else shown)}</th>'
            for key, shown in words.headers(japanese).items())
        body = "".join(
            f'<tr><th scope="row">{esc(row["measure"])}</th>'
            f'<td class="num">{esc(row["baseline"])}</td>'
            f'<td class="num">{esc(row["scenario"])}</td>'
            f'<td class="num">{esc(row["change"])}</td>'
            f'<td class="num ci">{esc(row["interval"])}</td>'
            f'<td class="note">{esc(row["note"])}</td></tr>'
            for row in words.case_rows(case, scenario, japanese))
        parts.append(
            f'<section class="scenario"><h3>{esc(member(scenario))}</h3>'
            f'<div class="scroll"><table class="detail"><thead><tr>{heads}<th></th></tr>'
            f"</thead><tbody>{body}</tbody></table></div>"
            f'<p class="muted">{esc(words.explanation(case, scenario, japanese))}</p>'
            "</section>")
    return "".join(parts)
