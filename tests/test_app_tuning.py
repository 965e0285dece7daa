"""The app can choose the model's structure on the log, as 'l2c calibrate' does: a switch on
the Data page, and on the Model page the structures tried with their scores and the one kept
(``streamlit.testing``; the validation runs are replaced by a fixed record, the calibration
around it is real)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from calibration.evaluate import tuning
from sim.model import Tuning, TuningTrial
from tests.test_app_pages import go, isolated, ok, open_app, texts

__all__ = ["isolated"]  # the pages' fixture: saved comparisons in a temporary folder
DEFAULT = {"since": "auto", "routing_memory": 2, "delays_by_state": True,
           "arrival_trend": True, "queue_removal": True, "current_waits": True}
RECORD = Tuning(split_date="2025-03-13T00:00:00", learned_cases=2450, validation_cases=614,
                replications=2, chosen={**DEFAULT, "arrival_trend": False}, score=0.8,
                trials=(TuningTrial(options=DEFAULT, distances={}, score=1.0),
                        TuningTrial(options={**DEFAULT, "arrival_trend": False},
                                    distances={}, score=0.8)))


@pytest.fixture
def tried(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each call of the validation search, answered with ``RECORD``."""
    calls: list[bool] = []

    def search(*args: object, **kwargs: object) -> Tuning:
        calls.append(True)
        return RECORD

    monkeypatch.setattr(tuning, "tune", search)
    return calls


def tuned_session(lang: str) -> AppTest:
    at = open_app(lang=lang)
    at.button(key="data.sample").click()
    ok(at.run())
    at.toggle(key="data.tune").set_value(True)
    ok(at.run())
    at.button(key="data.calibrate").click()
    ok(at.run())
    return go(at, "model")


def test_the_switch_tunes_and_the_model_page_lists_what_was_tried(tried: list[bool]) -> None:
    at = tuned_session("en")
    assert tried == [True]
    model = at.session_state["model"]
    assert model.tune and '"tuning"' in model.model_json
    expander = [e for e in at.expander if e.label == "Structures tried on the log (2)"]
    assert expander, [e.label for e in at.expander]
    table = expander[0].dataframe[0].value
    assert list(table["structure"]) == ["the first tried", "the volume kept at its level"]
    assert list(table["kept"]) == [False, True]
    assert "Its structure was chosen on the log itself" in texts(at)


def test_in_japanese_the_structures_are_named_in_japanese(tried: list[bool]) -> None:
    at = tuned_session("ja")
    expander = [e for e in at.expander if e.label == "ログで試した構造(2)"]
    assert expander, [e.label for e in at.expander]
    table = expander[0].dataframe[0].value
    assert list(table["structure"]) == ["最初に試した構造", "件数は傾向なしの水準"]


def test_without_the_switch_nothing_is_tried(tried: list[bool]) -> None:
    at = open_app()
    at.button(key="data.sample").click()
    ok(at.run())
    at.button(key="data.calibrate").click()
    ok(at.run())
    assert tried == [] and not at.session_state["model"].tune
