"""Flow: the first step is obvious, calibrating keeps the user's place (the message where
the button was, nothing above it moved, so an opened report stays open), and Scenarios
asks for what exists on the page (``streamlit.testing``, no browser)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.test_app_pages import isolated, ok, open_app, texts, with_model

__all__ = ["isolated"]  # the pages' fixture: saved comparisons in a temporary folder
LEARN = "Learn the process model"


def _nodes(at: AppTest) -> list[tuple[str, str]]:
    """The main area in reading order: (type, label or text) of every element and block."""
    found = []
    for node in at.main:
        text = getattr(node, "label", None) or getattr(node, "value", None)
        found.append((str(getattr(node, "type", "")), str(text)[:60]))
    return found


def _above_learning(at: AppTest) -> list[tuple[str, str]]:
    nodes = _nodes(at)
    return nodes[:nodes.index(("subheader", LEARN))]


def test_the_first_step_is_obvious_and_calibrating_keeps_the_place() -> None:
    at = open_app()
    start = [i.value for i in at.info if i.value.startswith("Start here")]
    assert start and '"Use the bundled sample"' in start[0]
    at.button(key="data.sample").click()
    ok(at.run())
    before = _above_learning(at)
    assert any(kind == "expander" and text.startswith("Validation report")
               for kind, text in before), before
    nodes = _nodes(at)
    assert nodes.index(("subheader", LEARN)) < nodes.index(("subheader", "What is in the log")), \
        "the next step comes right after the report, before the overview"

    at.button(key="data.calibrate").click()
    ok(at.run())
    assert _above_learning(at) == before, "nothing above the learning section moved"
    nodes = _nodes(at)
    ready = [i for i, (kind, text) in enumerate(nodes)
             if kind == "success" and text.startswith("The process model is ready")]
    assert len(ready) == 1, nodes
    assert ready[0] > nodes.index(("subheader", LEARN)), "said where the button was"


def test_scenarios_asks_for_controls_that_exist() -> None:
    at = with_model("scenarios")
    shown = texts(at)
    assert "slider" not in shown.split("Start with a tab above")[0]
    assert 'choose the activities to change under "Durations"' in shown
