"""The HTML pages' templates escape every value they show, as the hand-built pages did
(``html.escape``), and let through only what is marked as markup."""

from __future__ import annotations

import html

from markupsafe import Markup

from sim.business_case import BusinessCase, CaseLine
from ui.html_page import ENVIRONMENT, escaped, sentence
from ui.report_business_case import business_case_html

PAYLOAD = "<script>alert('x')</script> & \"O'Brien\""


def test_a_value_is_escaped_as_html_escape_spells_it_and_markup_goes_in_as_it_is() -> None:
    page = ENVIRONMENT.from_string("<p>{{ text }}</p><p>{{ marked }}</p><p>{{ nothing }}</p>")
    shown = page.render(text=PAYLOAD, marked=Markup("<b>bold</b>"), nothing=None)
    assert shown == f"<p>{html.escape(PAYLOAD)}</p><p><b>bold</b></p><p></p>"
    assert escaped(PAYLOAD) == html.escape(PAYLOAD)


def test_a_sentence_keeps_its_own_markup_and_escapes_what_fills_it() -> None:
    said = sentence("<strong>{n} of {total}</strong> by {who}", n=3, total=4, who=PAYLOAD)
    assert said == f"<strong>3 of 4</strong> by {html.escape(PAYLOAD)}"


def test_a_business_case_table_shows_a_hostile_name_as_text_with_no_layout() -> None:
    case = BusinessCase("EUR", [CaseLine(PAYLOAD, "staff_cost", "money_per_month", 100.0,
                                         90.0, -10.0, -12.0, -8.0, 5)], {PAYLOAD: 1000.0})
    page = business_case_html(case, "Baseline", lambda name: name)
    assert PAYLOAD not in page and html.escape(PAYLOAD) in page
    assert "\n" not in page and "<script" not in page
    assert page.startswith('<section class="scenario"><h3>')
