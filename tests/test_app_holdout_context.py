"""The holdout panel says what the test period did that no model learned before it could
know (here: an export of finished cases only), in the page's language, beside the verdict."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from calibration.evaluate import evaluate_log
from tests.test_closed_export import cases, export
from ui.app.trust import Holdout, holdout_of


def _panel(found: "Holdout", lang: str) -> None:  # noqa: UP037 (the page runs this source alone)
    import streamlit as st

    from ui.app import trust_view

    st.session_state["lang"] = lang
    trust_view.holdout(found)


@pytest.fixture(scope="module")
def closed_holdout() -> Holdout:
    report = evaluate_log(export(cases(), closed_only=True), split=0.7, reps=2, n_jobs=1)
    return holdout_of(report)


@pytest.mark.parametrize(("lang", "words"), [
    ("en", "The log holds finished cases only"),
    ("ja", "このログには完了した案件だけが含まれています"),
])
def test_the_holdout_panel_names_a_closed_export(closed_holdout: Holdout, lang: str,
                                                 words: str):
    at = AppTest.from_function(_panel, args=(closed_holdout, lang), default_timeout=30).run()
    assert not at.exception
    shown = [m.value for m in at.info]
    assert len(shown) == 1 and words in shown[0], shown
    if lang == "ja":
        assert "The log" not in shown[0]


def test_a_holdout_without_context_shows_the_verdict_only(closed_holdout: Holdout):
    from dataclasses import replace

    at = AppTest.from_function(_panel, args=(replace(closed_holdout, context=()), "en"),
                               default_timeout=30).run()
    assert not at.exception and not at.info
    assert [m.value for m in [*at.success, *at.warning]]


@pytest.mark.parametrize(("lang", "words"), [
    ("en", "than the weeks just before the split, repeated"),
    ("ja", "分割直前の数週間"),
])
def test_the_verdict_weighs_the_model_against_the_recent_past(closed_holdout: Holdout,
                                                             lang: str, words: str):
    assert closed_holdout.with_past == 6
    at = AppTest.from_function(_panel, args=(closed_holdout, lang), default_timeout=30).run()
    verdict = " ".join(m.value for m in [*at.success, *at.warning])
    assert words in verdict
