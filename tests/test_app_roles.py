"""The Data page's roles step: a log whose activities are named in German is mapped once on
the page, and the model, its Targets and its KPI notes read that mapping; with your own KPIs
from a file on the Data page, its comparison is the original sample's, name for name."""

from __future__ import annotations

import json

import pandas as pd
from streamlit.testing.v1 import AppTest

from calibration.sample import sample_path
from sim.kpi_roles import ActivityRoles
from tests.test_app_pages import (
    _run_automated_invoicing,
    answer_target,
    go,
    isolated,  # noqa: F401 (autouse: each test runs in it)
    ok,
    open_app,
    texts,
    with_model,
)
from tests.test_roles_renamed import ENGLISH, GERMAN
from ui.app.views.targets import target_kpis


def german_upload() -> bytes:
    frame = pd.read_csv(sample_path("d365"))
    frame["Activity"] = frame["Activity"].map(GERMAN)
    return frame.to_csv(index=False).encode("utf-8")


KPI_FILE = (b"kpis:\n  - {id: approval_to_contract, name: Approval to contract, from: "
            b"quote_approved, to: contract_signed}\n")


def use_kpi_file(at: AppTest) -> AppTest:
    """Your own KPIs given on the Data page, after the model was learned: it keeps its fit."""
    learned = at.session_state["model"]
    at.file_uploader(key="data.kpis_upload").upload("kpis.yaml", KPI_FILE, "text/yaml")
    ok(at.run())
    assert "1 KPIs of yours are measured on the data and in the model." in texts(at)
    model = at.session_state["model"]
    assert model.notes == learned.notes and model.data_key == at.session_state["data"].key
    assert [k["id"] for k in json.loads(model.model_json)["kpis"]] == ["approval_to_contract"]
    return at


def comparison_table(at: AppTest) -> pd.DataFrame:
    """Every KPI of the library's automated invoicing against the baseline, as shown."""
    at = _run_automated_invoicing(go(at, "compare"), cases=200)
    at.toggle(key="cmp.results.every").set_value(True)
    return ok(at.run()).dataframe[0].value


def in_english(text: str) -> str:
    for german, english in sorted(ENGLISH.items(), key=lambda pair: -len(pair[0])):
        text = text.replace(german, english)
    return text


def mapped_german() -> AppTest:
    """The German sample uploaded, each role given its German activity on the Data page,
    and the model learned."""
    at = open_app()
    at.file_uploader(key="data.upload").upload("beispiel.csv", german_upload(), "text/csv")
    ok(at.run())
    assert "Lead-to-cash roles" in [e.label for e in at.expander]
    digest = at.session_state["data"].digest[:8]
    builtin = ActivityRoles.builtin()
    for english, german in GERMAN.items():
        at.selectbox(key=f"data.role.{digest}.{builtin.role_of(english)}").set_value(german)
    at.button(key="data.roles_apply").click()
    ok(at.run())
    log = at.session_state["data"].result.log
    assert log.roles.role_of("Angebot freigegeben") == "quote_approved"
    at.button(key="data.calibrate").click()
    return ok(at.run())


def target_answer(at: AppTest) -> list[str]:
    """What the Targets page answered: the answer, its baseline and confidence, and the
    tables of levers and of the proposed mix."""
    said = [e.value for e in at.success]
    said += [c.value for c in at.caption if c.value.startswith(("Baseline", "Confidence"))]
    return said + [d.value.to_csv(index=False) for d in at.dataframe]


def test_roles_chosen_on_the_data_page_reach_the_model_and_the_comparison() -> None:
    at = mapped_german()
    model = json.loads(at.session_state["model"].model_json)
    assert model["roles"]["quote_approved"] == ["Angebot freigegeben"]
    assert model["outcomes"]["won"] == ["Chance gewonnen"]  # the fitters read the mapping
    present = ActivityRoles.builtin().with_overrides(model["roles"]).resolve(model["activities"])
    assert "sales_cycle" in target_kpis(present)

    mapped = comparison_table(use_kpi_file(at))
    sample = use_kpi_file(with_model())
    assert "Approval to contract" in go(sample, "targets").selectbox(key="tg.kpi").options
    original = comparison_table(sample)
    assert "Approval to contract" in set(original["KPI"])
    assert not original["Verdict"].str.contains("Not measurable").any()
    assert mapped.map(in_english).equals(original)


def test_an_unmapped_role_is_named_once_with_where_to_choose_it() -> None:
    """Not a row of dashes per KPI: one line under the table names the KPIs no activity
    can measure and the roles that would."""
    from sim.compare import Difference
    from ui.app.shared import kpi_frame, unmapped_line

    row = {"kpi": "quote_approval", "label": "Quote approval", "unit": "days", "group": None,
           "baseline": None, "value": None, "diff": None, "ci_low": None, "ci_high": None,
           "significant": None, "note": "not available: no 'Quote Approved' activity in this "
                                       "log (role quote_approved not mapped to an activity)"}
    measured = {**row, "kpi": "throughput", "label": "Throughput", "unit": "per_month",
                "baseline": 10.0, "value": 10.0, "diff": 0.0, "note": ""}
    rows = [Difference.from_dict(row), Difference.from_dict(measured)]
    assert list(kpi_frame(rows)["KPI"]) == ["Throughput"]
    line = unmapped_line(rows)
    assert line == ("Not measurable here, as no activity plays the roles they need: Quote "
                    "approval. To measure them, choose the activities playing Quote approved "
                    "on the Data page, under 'Lead-to-cash roles'.")
    assert "--role" not in line


def test_the_german_sample_mapped_gives_the_same_target_answer() -> None:
    german = target_answer(answer_target(mapped_german()))
    assert any("Angebot" in text for text in german)  # the levers in the data's own words
    assert [in_english(text) for text in german] == target_answer(answer_target(with_model()))
