"""Every page of the Streamlit app, driven with ``streamlit.testing`` (no browser).

Each test is one session: it loads the bundled sample, calibrates (cached by content, so
only the first test pays for it) and works one page the way a process owner would. Runs
are small (a few hundred cases, two replications) and happen in the app's background
jobs, which the tests wait for before looking at the page again. Saved comparisons and
scenarios go to a temporary folder through ``$L2C_SAVED_DB`` and ``$L2C_SCENARIO_DIR``.
"""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from calibration.sample import sample_path
from scenarios import LIBRARY
from scenarios.comparison import Baseline, run_comparison, to_saved
from sim.eventlog import EventLog
from sim.model import ProcessModel
from sim.saved import SavedStore

MAIN = str(Path(__file__).resolve().parents[1] / "ui" / "app" / "main.py")
TIMEOUT = 120
JOB_TIMEOUT = 180
PAGES = {"data": "Data", "model": "Model", "scenarios": "Scenarios", "compare": "Compare",
         "targets": "Targets", "saved": "Saved comparisons"}
PAGES_JA = {"data": "データ", "model": "モデル", "scenarios": "シナリオ", "compare": "比較",
            "targets": "目標", "saved": "保存済みの比較"}


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("L2C_SAVED_DB", str(tmp_path / "saved.sqlite"))
    monkeypatch.setenv("L2C_SCENARIO_DIR", str(tmp_path / "scenarios"))
    monkeypatch.setenv("L2C_APP_JOBS", "1")
    return tmp_path


def ok(at: AppTest) -> AppTest:
    """No traceback reached the page, and no unexpected-error apology either."""
    assert not at.exception, [e.value for e in at.exception]
    apologies = [e.value for e in at.error if "Sorry" in e.value or "申し訳" in e.value]
    assert not apologies, apologies
    return at


def open_app(page: str = "data", lang: str = "en") -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=TIMEOUT)
    at.session_state["start_page"] = page
    at.session_state["lang"] = lang
    return ok(at.run())


def go(at: AppTest, page: str) -> AppTest:
    at.session_state["goto"] = page
    return ok(at.run())


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "success", "info", "warning", "error",
                                  "title", "subheader", "header")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def with_model(page: str = "data") -> AppTest:
    """A session with the sample loaded and calibrated, on ``page``."""
    at = open_app()
    at.button(key="data.sample").click()
    ok(at.run())
    at.button(key="data.calibrate").click()
    ok(at.run())
    assert at.session_state["model"] is not None
    return go(at, page) if page != "data" else at


def job_key(at: AppTest, slot: str) -> str:
    """The key of the job a page keeps in ``slot`` for the model in use."""
    model_key, key = at.session_state["results"][slot]
    assert model_key == at.session_state["model"].key
    return key


def wait_for_job(at: AppTest, slot: str) -> AppTest:
    from ui.app import cache
    from ui.app.jobs import wait_for

    job = cache.runner().get(job_key(at, slot))
    assert job is not None
    assert wait_for(job, JOB_TIMEOUT), f"{job.label} did not finish in {JOB_TIMEOUT} s"
    assert job.error is None, job.error
    return ok(at.run())


def answer_target(at: AppTest, reps: int = 2, cases: int = 200) -> AppTest:
    """The Targets page's default question answered with a small run."""
    at = go(at, "targets")
    at.number_input(key="tg.reps").set_value(reps)
    at.number_input(key="tg.cases").set_value(cases)
    at.button(key="tg.run").click()
    ok(at.run())
    return wait_for_job(at, "targets.job")


def japanese_sample(folder: Path) -> Path:
    """The sample with its activities renamed in Japanese (as a Japanese CRM writes them)."""
    from tests.browser import JAPANESE

    text = gzip.decompress(sample_path("d365").read_bytes()).decode("utf-8")
    for english, japanese in JAPANESE.items():
        text = text.replace(f",{english},", f",{japanese},")
    path = folder / "商談ログ.csv"
    path.write_text(text, encoding="utf-8")
    return path


# --- every page -----------------------------------------------------------------------------

@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_opens_before_any_data(page: str) -> None:
    at = open_app(page)
    assert at.title[0].value == PAGES[page]


@pytest.mark.parametrize("page", list(PAGES_JA))
def test_every_page_speaks_japanese(page: str) -> None:
    at = open_app(page, lang="ja")
    assert at.title[0].value == PAGES_JA[page]
    assert at.sidebar.radio[0].value == "ja"


# --- Data -----------------------------------------------------------------------------------

def test_data_page_reads_an_upload_shows_overview_map_and_template(tmp_path: Path) -> None:
    at = open_app()
    sample = gzip.decompress(sample_path("d365").read_bytes())
    at.file_uploader(key="data.upload").upload("export.csv", sample, "text/csv")
    ok(at.run())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Cases"] == "3,064"
    assert metrics["Activities"] == "16"
    assert "The log can be used" in texts(at)
    assert at.get("graphviz_chart"), "the process map is drawn"
    assert any("Lead Created → Lead Qualified" in " ".join(map(str, d.value["path"]))
               for d in at.dataframe if "path" in d.value)
    keys = [b.key for b in at.get("download_button")]
    assert {"data.template_xlsx", "data.template_csv"} <= set(keys)
    at.button(key="data.calibrate").click()
    ok(at.run())
    assert "The process model is ready" in texts(at)


def test_a_bad_upload_shows_the_report_and_the_mapping_fixes_it() -> None:
    at = open_app()
    odd = ("Deal Number,Step Done,When\nD1,Lead Created,2024-01-02 09:00\n"
           "D1,Quote Created,2024-01-03 10:00\nD2,Lead Created,2024-01-04 11:00\n")
    at.file_uploader(key="data.upload").upload("odd.csv", odd.encode(), "text/csv")
    ok(at.run())
    shown = texts(at)
    assert "cannot be used yet" in shown
    assert "No column for the case id" in shown
    assert not at.metric, "no overview of a log that could not be read"
    prefix = next(s.key for s in at.selectbox if s.key and s.key.endswith(".case_id"))
    prefix = prefix.removesuffix(".case_id")
    at.selectbox(key=f"{prefix}.case_id").set_value("Deal Number")
    at.selectbox(key=f"{prefix}.activity").set_value("Step Done")
    at.selectbox(key=f"{prefix}.timestamp").set_value("When")
    at.button(key="data.read_again").click()
    ok(at.run())
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Cases"] == "2"


def test_an_unreadable_file_is_a_message_not_a_traceback() -> None:
    at = open_app()
    at.file_uploader(key="data.upload").upload("broken.xlsx", b"this is not a workbook",
                                               "application/octet-stream")
    ok(at.run())
    assert at.error, "the reader's message is shown"
    assert "cannot be used yet" in texts(at)


def test_japanese_activity_names_read_map_and_calibrate(tmp_path: Path) -> None:
    at = open_app(lang="ja")
    path = japanese_sample(tmp_path)
    at.file_uploader(key="data.upload").upload(path.name, path.read_bytes(), "text/csv")
    ok(at.run())
    dot = at.get("graphviz_chart")[0].proto.spec
    assert '"見積承認"' in dot and "見積作成" in dot
    at.button(key="data.calibrate").click()
    ok(at.run())
    go(at, "model")
    activities = at.dataframe[0].value
    assert "見積承認" in set(activities.iloc[:, 0])
    assert at.title[0].value == "モデル"


# --- Model ----------------------------------------------------------------------------------

def test_model_page_explains_the_model_and_checks_it_against_history() -> None:
    at = with_model("model")
    assert "What calibration found" in " ".join(e.label for e in at.expander)
    table = at.dataframe[0].value
    assert {"Quote Approved", "Payment Received"} <= set(table["Activity"])
    assert len(at.get("plotly_chart")) >= 4  # histograms, branches, calendars, arrivals
    at.selectbox(key="model.activity").set_value("Payment Received")
    ok(at.run())
    assert any("payment_terms" in s.label for s in at.selectbox)  # delay by payment terms
    at.number_input(key="model.fid_reps").set_value(2)
    at.button(key="model.check").click()
    ok(at.run())
    at = wait_for_job(at, "model.fidelity_job")
    verdicts = [m.value for m in [*at.success, *at.warning]]
    assert any("KPIs reproduced" in v for v in verdicts), verdicts


def test_model_page_runs_the_holdout_test() -> None:
    at = with_model("model")
    at.button(key="model.holdout_run").click()
    ok(at.run())
    at = wait_for_job(at, "model.holdout_job")
    holdout = [m.value for m in [*at.success, *at.warning] if m.value.startswith("Holdout test (")]
    assert len(holdout) == 2, holdout  # the Model header and the holdout panel, the same words
    assert len(set(holdout)) == 1
    assert "The noise floor is how far" in texts(at), "the jargon is explained"


# --- Scenarios ------------------------------------------------------------------------------

def test_scenarios_page_builds_shows_and_saves_a_scenario(isolated: Path) -> None:
    at = with_model("scenarios")
    at.text_input(key="sc.name").input("Faster approval and one more approver")
    at.multiselect(key="sc.acts").select("Quote Approved")
    ok(at.run())
    at.slider(key="sc.work.Quote Approved").set_value(-50)
    at.number_input(key="sc.pool.Approvers").set_value(3)
    at.slider(key="sc.volume").set_value(30)
    ok(at.run())
    yaml_text = at.code[0].value
    assert "duration: {activity: Quote Approved, scale: 0.5}" in yaml_text
    assert "pool: {name: Approvers, size: 3}" in yaml_text
    assert "volume: {scale: 1.3}" in yaml_text
    assert "Checked against the model: 3 changes, all valid." in texts(at)
    at.button(key="sc_save").click()
    ok(at.run())
    saved = isolated / "scenarios" / "faster_approval_and_one_more_approver.yaml"
    assert saved.is_file()
    from scenarios import load_scenario

    assert load_scenario(saved).name == "Faster approval and one more approver"


def test_scenarios_page_opens_a_library_scenario_into_the_controls() -> None:
    at = with_model("scenarios")
    assert "Best practice · library" in at.selectbox(key="sc_open_choice").options
    at.selectbox(key="sc_open_choice").set_value(str(LIBRARY / "best_practice.yaml"))
    at.button(key="sc_open").click()
    ok(at.run())
    assert at.text_input(key="sc.name").value == "Best practice"
    assert at.toggle(key="sc.auto.Invoice Generated").value is True
    assert at.slider(key="sc.payment").value == -10
    yaml_text = at.code[0].value
    assert "rework: {from: Quote Approved, to: Quote Created, cut: 0.5}" in yaml_text


# --- Compare --------------------------------------------------------------------------------

def _run_automated_invoicing(at: AppTest, cases: int = 300) -> AppTest:
    assert "Automated invoicing · library" in at.multiselect(key="cmp.scenarios").options
    return run_scenarios(at, [str(LIBRARY / "automated_invoicing.yaml")], cases)


def run_scenarios(at: AppTest, scenarios: list[str], cases: int, reps: int = 2) -> AppTest:
    """These scenario files against the baseline on the Compare page: ``reps`` replications
    of ``cases`` new cases, until the results are drawn."""
    at.multiselect(key="cmp.scenarios").set_value(scenarios)
    at.number_input(key="cmp.reps").set_value(reps)
    at.radio(key="cmp.length").set_value("cases")
    ok(at.run())
    at.number_input(key="cmp.cases").set_value(cases)
    at.button(key="cmp.run").click()
    ok(at.run())
    return wait_for_job(at, "comparison")


def test_compare_page_runs_shows_the_kpi_table_and_saves(isolated: Path) -> None:
    # 4 replications: with 2, the interval takes Student's t with one degree of freedom
    # (12.7 standard errors), and the invoice lag's spread over runs of 300 cases (about
    # 100 invoices each) can leave even a 100% cut undecided
    at = run_scenarios(with_model("compare"), [str(LIBRARY / "automated_invoicing.yaml")], 300,
                       reps=4)
    table = at.dataframe[0].value
    invoice = table[table["KPI"] == "Invoice lag"].iloc[0]
    assert invoice["Verdict"] == "better"
    assert invoice["Baseline"].endswith("days") and invoice["Scenario"] == "0.0 days"
    assert len(at.get("plotly_chart")) == 6  # cycle times, funnel, cash, waiting, utilisation,
    # one series over time
    at.number_input(key="thr.days").set_value(10.0)
    at.number_input(key="thr.days_pct").set_value(200.0)  # no duration can change that much
    ok(at.run())
    table = at.dataframe[0].value
    invoice = table[table["KPI"] == "Invoice lag"].iloc[0]
    assert invoice["Verdict"] == "no material change"
    assert not any("Invoice lag" in m.value for m in at.markdown), "no longer a headline"
    at.number_input(key="thr.days").set_value(0.5)
    at.number_input(key="thr.days_pct").set_value(1.0)
    ok(at.run())
    at.toggle(key="cmp.results.every").set_value(True)
    ok(at.run())
    assert len(at.dataframe[0].value) > len(table)
    at.text_input(key="cmp.save_name").input("Invoicing test")
    at.button(key="cmp.save").click()
    ok(at.run())
    assert "Saved as 'Invoicing test'." in texts(at)
    assert SavedStore(isolated / "saved.sqlite").names() == ["Invoicing test"]
    go(at, "saved")
    assert at.selectbox(key="saved.open").value == "Invoicing test"


def test_a_failing_run_shows_its_message_and_loses_nothing_saved(isolated: Path) -> None:
    at = _run_automated_invoicing(with_model("compare"))
    at.text_input(key="cmp.save_name").input("Kept")
    at.button(key="cmp.save").click()
    ok(at.run())
    broken = isolated / "scenarios" / "typo.yaml"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_text("name: Typo\nchanges:\n  - automate: Invoice Sennt\n", encoding="utf-8")
    at.run()
    at.multiselect(key="cmp.scenarios").set_value([str(broken)])
    at.button(key="cmp.run").click()
    ok(at.run())
    from ui.app import cache
    from ui.app.jobs import wait_for

    job = cache.runner().get(job_key(at, "comparison"))
    assert job is not None and wait_for(job, JOB_TIMEOUT)
    ok(at.run())
    assert any("Invoice Sennt" in e.value and "Invoice Sent" in e.value for e in at.error)
    assert SavedStore(isolated / "saved.sqlite").names() == ["Kept"]


# --- Targets --------------------------------------------------------------------------------

def test_targets_page_answers_in_one_sentence_with_the_evidence_below() -> None:
    at = with_model("targets")
    at.radio(key="tg.mode").set_value("seek")
    ok(at.run())
    at.multiselect(key="tg.levers").set_value(["delay:Contract Signed"])
    at.number_input(key="tg.reps").set_value(2)
    at.number_input(key="tg.cases").set_value(200)
    at.slider(key="tg.change").set_value(-10)
    ok(at.run())
    at.button(key="tg.run").click()
    ok(at.run())
    at = wait_for_job(at, "targets.job")
    answer = [*at.success, *at.warning][0].value
    assert "sales cycle" in answer.lower() and "10% shorter" in answer
    assert "Contract Signed waiting" in answer
    assert any(s.value == "Evidence" for s in at.subheader)
    assert at.get("plotly_chart"), "the goal seek's trace is drawn"


# --- a second log ---------------------------------------------------------------------------

def test_a_second_log_replaces_every_result(tmp_path: Path) -> None:
    """Fidelity, target answer and comparison of the first log's model are gone once the
    second log is calibrated: every page shows only what belongs to the new model."""
    at = with_model("model")
    at.number_input(key="model.fid_reps").set_value(2)
    at.button(key="model.check").click()
    ok(at.run())
    at = wait_for_job(at, "model.fidelity_job")
    assert any("KPIs reproduced" in m.value for m in [*at.success, *at.warning])
    go(at, "targets")
    at.radio(key="tg.mode").set_value("seek")
    ok(at.run())
    at.multiselect(key="tg.levers").set_value(["delay:Contract Signed"])
    at.number_input(key="tg.reps").set_value(2)
    at.number_input(key="tg.cases").set_value(200)
    ok(at.run())
    at.button(key="tg.run").click()
    ok(at.run())
    at = wait_for_job(at, "targets.job")
    assert "Contract Signed" in texts(at)
    go(at, "compare")
    at = _run_automated_invoicing(at)
    assert at.dataframe, "the first model's comparison is shown"

    go(at, "data")
    second = japanese_sample(tmp_path)
    at.file_uploader(key="data.upload").upload(second.name, second.read_bytes(), "text/csv")
    ok(at.run())
    at.button(key="data.calibrate").click()
    ok(at.run())
    assert "Contract Signed" not in at.session_state["model"].model_json
    go(at, "model")
    assert not any("KPIs reproduced" in m.value for m in [*at.success, *at.warning])
    assert not at.button(key="model.check").disabled, "the new model can be checked"
    go(at, "targets")
    shown = texts(at)
    assert "Contract Signed" not in shown and "Evidence" not in shown
    go(at, "compare")
    assert not at.dataframe and "Invoice lag" not in texts(at)


# --- Saved ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sample_baseline(sample_log: EventLog, sample_model: ProcessModel) -> Baseline:
    """The sample's baseline (model and history) for the Saved tests."""
    return Baseline(sample_model, sample_log)


@pytest.fixture
def saved_comparison(isolated: Path, sample_baseline: Baseline) -> str:
    """One saved comparison in the test database, made without the app."""
    comparison = run_comparison(sample_baseline, [LIBRARY / "automated_invoicing.yaml"], 2,
                                1, {"cases": 200}, n_jobs=1)
    SavedStore(isolated / "saved.sqlite").save(to_saved(comparison, "Q3 invoicing"))
    return "Q3 invoicing"


def test_saved_page_lists_opens_exports_renames_and_deletes(saved_comparison: str,
                                                            isolated: Path) -> None:
    at = open_app("saved")
    assert at.dataframe[0].value["Name"].tolist() == [saved_comparison]
    assert any(s.value == saved_comparison for s in at.subheader)
    assert "Invoice lag" in set(at.dataframe[1].value["KPI"])
    exports = {b.key for b in at.get("download_button")}
    assert {"saved.export.csv", "saved.export.xlsx", "saved.export.html"} <= exports
    at.text_input(key="saved.new_name").input("Q3 invoicing (final)")
    at.button(key="saved.rename").click()
    ok(at.run())
    assert SavedStore(isolated / "saved.sqlite").names() == ["Q3 invoicing (final)"]
    assert "Renamed" in texts(at)
    assert at.selectbox(key="saved.open").value == "Q3 invoicing (final)"
    assert at.button(key="saved.delete").disabled
    at.checkbox(key="saved.sure").check()
    ok(at.run())
    at.button(key="saved.delete").click()
    ok(at.run())
    assert SavedStore(isolated / "saved.sqlite").names() == []
    assert "No comparison saved yet" in texts(at)


def test_saved_page_in_japanese_translates_the_kpi_table(saved_comparison: str) -> None:
    at = open_app("saved", lang="ja")
    table = at.dataframe[1].value
    assert "請求の遅れ" in set(table["KPI"])
    assert "判定" in table.columns


def test_saved_exports_are_the_shared_export_files(saved_comparison: str,
                                                   isolated: Path) -> None:
    from ui import export

    saved = SavedStore(isolated / "saved.sqlite").load(saved_comparison)
    assert export.comparison_bytes(saved, "csv").decode("utf-8-sig").startswith("scenario,")
    assert b"<html" in export.comparison_bytes(saved, "html")[:2000].lower()


def test_the_data_page_learns_from_the_cases_the_user_chooses() -> None:
    at = with_model()
    assert "model is ready" in texts(at) or "model of this log is ready" in texts(at)
    at.radio(key="data.learn_from").set_value("since")
    ok(at.run())
    assert "is ready" not in texts(at)  # it learned from every case
    at.date_input(key="data.learn_since_date").set_value(date(2025, 1, 1))
    ok(at.run())
    at.button(key="data.calibrate").click()
    ok(at.run())
    fitted = at.session_state["model"]
    model = ProcessModel.from_json(fitted.model_json, "test")
    assert fitted.since == "2025-01-01"
    assert model.provenance.period_start >= "2025-01-01"
    assert fitted.notes[0][0] == "since"  # and the Model page says so
    assert "model is ready" in texts(at) or "model of this log is ready" in texts(at)
