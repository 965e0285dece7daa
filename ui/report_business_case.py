"""The business case section of the HTML report: each scenario's money figures as a table.

Words and numbers come from ``ui.business_case_text``, so the report reads as the terminal
and the app do; the report's own styles (``ui.report``) colour nothing here: a cost up or
down is for the reader to weigh against what the change earns. The markup is the template
``ui/templates/business_case.html.j2``'s, which escapes every value.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

from sim.business_case import BusinessCase
from ui import business_case_text as words
from ui.html_page import render


def business_case_html(case: BusinessCase, baseline: str,
                       member: Callable[[str], str], japanese: bool = False) -> Markup:
    """One table per scenario (``member`` gives a study member's shown name)."""
    heads = [member(baseline) if key == "baseline" else shown
             for key, shown in words.headers(japanese).items()]
    return render("business_case.html.j2", tables=[
        {"scenario": member(scenario), "heads": heads,
         "rows": words.case_rows(case, scenario, japanese),
         "explanation": words.explanation(case, scenario, japanese)}
        for scenario in words.scenarios_of(case)])
