"""The business case section of the HTML report: each scenario's money figures as a table.

Words and numbers come from ``ui.business_case_text``, so the report reads as the terminal
and the app do; the report's own styles (``ui.report``) colour nothing here: a cost up or
down is for the reader to weigh against what the change earns.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

from ui import business_case_text as words


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def business_case_html(case: Mapping[str, object], baseline: str,
                       member: Callable[[str], str], japanese: bool = False) -> str:
    """One table per scenario (``member`` gives a study member's shown name)."""
    parts = []
    for scenario in words.scenarios_of(case):
        heads = "".join(
            f'<th scope="col">{_esc(member(baseline) if key == "baseline" else shown)}</th>'
            for key, shown in words.headers(japanese).items())
        body = "".join(
            f'<tr><th scope="row">{_esc(row["measure"])}</th>'
            f'<td class="num">{_esc(row["baseline"])}</td>'
            f'<td class="num">{_esc(row["scenario"])}</td>'
            f'<td class="num">{_esc(row["change"])}</td>'
            f'<td class="num ci">{_esc(row["interval"])}</td>'
            f'<td class="note">{_esc(row["note"])}</td></tr>'
            for row in words.case_rows(case, scenario, japanese))
        parts.append(
            f'<section class="scenario"><h3>{_esc(member(scenario))}</h3>'
            f'<div class="scroll"><table class="detail"><thead><tr>{heads}<th></th></tr>'
            f"</thead><tbody>{body}</tbody></table></div>"
            f'<p class="muted">{_esc(words.explanation(case, scenario, japanese))}</p>'
            "</section>")
    return "".join(parts)
