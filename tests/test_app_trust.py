"""One trust summary per model: the Model header, the Trust tab and Compare's check against
the history say the same thing, from the same run, the worst finding first, with no check
mark on a warning (``streamlit.testing``, no browser)."""

from __future__ import annotations

from scenarios import LIBRARY
from tests.test_app_pages import go, isolated, ok, texts, wait_for_job, with_model
from ui.app.i18n import kpi_name

__all__ = ["isolated"]  # the pages' fixture: saved comparisons in a temporary folder
VERIFIED = ":material/verified:"


def _verdicts(elements: list) -> list[tuple[str, str]]:
    return [(e.value, e.icon) for e in elements if "Against the history" in e.value]


def test_one_trust_summary_from_one_run_everywhere() -> None:
    at = with_model("model")
    assert "Not checked against the history yet" in texts(at)
    at.number_input(key="model.fid_reps").set_value(3)
    at.button(key="model.check").click()
    ok(at.run())
    at = wait_for_job(at, "model.fidelity_job")
    shown = _verdicts([*at.success, *at.warning])
    assert len(shown) == 2, shown  # the header and the Trust tab
    assert len(set(shown)) == 1, "header and Trust tab say the same thing"
    verdict, icon = shown[0]
    assert "3 replications, seed 1, checked on the Trust tab" in verdict
    summary = at.session_state["results"]["trust"][1]
    misses = summary.replay.misses()
    errors = [abs(r.error or 0.0) for r in misses]
    assert errors == sorted(errors, reverse=True), "the worst finding first"
    if misses:
        assert icon != VERIFIED, "no check mark on a warning"
        worst = verdict.split("Largest errors first: ", 1)[1]
        assert worst.startswith(kpi_name(misses[0].kpi, misses[0].label))

    go(at, "compare")
    at.multiselect(key="cmp.scenarios").set_value([str(LIBRARY / "automated_invoicing.yaml")])
    at.number_input(key="cmp.reps").set_value(2)
    ok(at.run())
    at.button(key="cmp.run").click()
    ok(at.run())
    at = wait_for_job(at, "comparison")
    expander = next(e for e in at.expander if e.label == "How far to trust the baseline")
    inside = _verdicts([*expander.success, *expander.warning])
    assert [v for v, _ in inside] == [verdict], "Compare reads the same summary"
    assert (expander.icon == VERIFIED) == (not misses)

    go(at, "model")
    assert _verdicts([*at.success, *at.warning])[0][0] == verdict, "still the first run's"
