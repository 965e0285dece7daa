"""The app's Streamlit-free helpers: the process map, the scenario form, the Model page's
data, background jobs, labels and the ``l2c ui`` launcher."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from calibration import model_view, processmap
from scenarios import apply_scenario, library, load_scenario, parse_scenario
from scenarios.form import ScenarioForm, file_name, form_from_scenario, scenario_yaml
from sim.distributions import Distribution, Fixed, Gamma, Lognormal, ZeroInflated
from sim.errors import PlannerError
from sim.eventlog import ACTIVITY, CASE_ID, END, START, EventLog
from sim.kpis import catalogue
from sim.model import ProcessModel
from ui.app import i18n, launch
from ui.app.jobs import JobRunner, Progress, wait_for

APP = Path(__file__).resolve().parents[1] / "ui" / "app"


@pytest.fixture(scope="module")
def sample(sample_log: EventLog, sample_model: ProcessModel) -> tuple[EventLog, ProcessModel]:
    """The bundled sample and its calibrated model (the suite's one copy)."""
    return sample_log, sample_model


def tiny_log() -> EventLog:
    rows = [("A", "Lead", "2024-01-01 09:00", "2024-01-01 09:00"),
            ("A", "Quote", "2024-01-01 11:00", "2024-01-01 12:00"),
            ("A", 'Say "yes"', "2024-01-03 12:00", "2024-01-03 12:00"),
            ("B", "Lead", "2024-01-02 09:00", "2024-01-02 09:00"),
            ("B", "Quote", "2024-01-02 09:30", "2024-01-02 10:00"),
            ("C", "Lead", "2024-01-02 10:00", "2024-01-02 10:00")]
    events = pd.DataFrame(rows, columns=[CASE_ID, ACTIVITY, START, END])
    for column in (START, END):
        events[column] = pd.to_datetime(events[column])
    return EventLog(events, pd.DataFrame(index=pd.Index(["A", "B", "C"], name=CASE_ID)))


# --- process map ----------------------------------------------------------------------------

def test_transitions_count_every_step_and_the_median_wait() -> None:
    nodes, edges = processmap.transitions(tiny_log())
    assert dict(zip(nodes[ACTIVITY], nodes["count"], strict=True)) == {
        "Lead": 3, "Quote": 2, 'Say "yes"': 1}
    pairs = {(r.source, r.target): r for r in edges.itertuples()}
    assert pairs[("Lead", "Quote")].count == 2
    # waits 2 h (case A) and 30 min (case B): the median is 1.25 h
    assert pairs[("Lead", "Quote")].median_wait_days == pytest.approx(1.25 / 24)
    assert pairs[(processmap.START_NODE, "Lead")].count == 3
    ends = {r.source: r.count for r in edges.itertuples() if r.target == processmap.END_NODE}
    assert ends == {'Say "yes"': 1, "Quote": 1, "Lead": 1}
    # every event is one arrival: from the start or from the activity before it
    arrivals = edges[edges["target"] != processmap.END_NODE]["count"].sum()
    assert arrivals == len(tiny_log().events)


def test_busiest_keeps_a_way_in_and_out_of_every_activity(sample: tuple) -> None:
    nodes, edges = processmap.transitions(sample[0])
    shown = processmap.busiest(edges, 0.5)
    assert len(shown) < len(edges)
    for activity in nodes[ACTIVITY]:
        assert (shown["target"] == activity).any() and (shown["source"] == activity).any()


def test_the_dot_source_quotes_names_and_sizes_japanese_boxes() -> None:
    nodes, edges = processmap.transitions(tiny_log())
    dot = processmap.to_dot(nodes, edges)
    assert '"Say \\"yes\\""' in dot
    assert dot.startswith("digraph") and dot.rstrip().endswith("}")
    assert processmap.display_width("見積承認") == 8 == 2 * processmap.display_width("Lead")
    assert processmap.wait_text(2 / 24) == "2.0 h" and processmap.wait_text(float("nan")) == ""
    assert "2.0 時間" in processmap.to_dot(nodes, edges.assign(median_wait_days=2 / 24),
                                        lang="ja")


# --- scenario form --------------------------------------------------------------------------

@pytest.mark.parametrize("path", library(), ids=lambda p: p.stem)
def test_every_library_scenario_survives_the_form(path: Path, sample: tuple) -> None:
    """Opening a scenario in the form and writing it back changes nothing it does."""
    model = sample[1]
    original = load_scenario(path)
    text = scenario_yaml(form_from_scenario(original, model), model)
    again = parse_scenario(text, "form")
    assert again.name == original.name
    assert (apply_scenario(model, again)[0].model_dump(exclude={"name"})
            == apply_scenario(model, original)[0].model_dump(exclude={"name"}))


def test_the_form_writes_only_what_differs_from_the_baseline(sample: tuple) -> None:
    model = sample[1]
    branch = model.routing.branches["Quote Approved"]
    form = ScenarioForm(
        name="Mixed", work={"Quote Approved": 0.5, "Quote Created": 1.0},
        delay={"Contract Signed": 1.0}, pools={"Approvers": model.pools["Approvers"].size,
                                               "Billing": 3},
        routing={("Quote Approved", target): p for target, p in branch.pooled.items()},
        automate={"Invoice Sent": 0.0}, volume=1.0, payment_days=-5)
    text = scenario_yaml(form, model)
    changes = parse_scenario(text).changes
    assert [c.kind for c in changes] == ["duration", "automate", "pool", "payment"]
    assert "Quote Created" not in text and "transition" not in text


def test_scenario_file_names_are_safe() -> None:
    assert file_name("Faster approval: Q3/2025!") == "faster_approval_q3_2025.yaml"
    assert file_name("見積承認の短縮") == "見積承認の短縮.yaml"
    assert file_name("../../etc") == "etc.yaml"
    assert file_name("  ") == "scenario.yaml"


# --- Model page data ------------------------------------------------------------------------

@pytest.mark.parametrize("dist", [
    Lognormal(mu=8.0, sigma=0.8), Gamma(shape=2.0, scale=3600.0),
    ZeroInflated(p_zero=0.4, rest=Gamma(shape=2.0, scale=600.0))], ids=repr)
def test_fitted_shares_are_the_distributions_probabilities(dist: Distribution) -> None:
    edges = model_view.histogram_bins(np.array([]), dist)
    shares = model_view.fitted_shares(dist, edges)
    assert shares.min() >= 0
    # everything up to the 99th percentile is in the bins (the tail beyond is cut off)
    assert shares.sum() == pytest.approx(0.99, abs=0.002)
    if isinstance(dist, ZeroInflated):
        assert shares[0] >= dist.p_zero  # the point mass at zero lands in the first bin


def test_observed_durations_match_the_log(sample: tuple) -> None:
    log, model = sample
    observed = model_view.observed_durations(log, model)
    assert set(observed) == set(model.activities)
    counts = log.events[ACTIVITY].value_counts()
    for name, found in observed.items():
        if model.activities[name].processing is not None:
            assert found.processing is not None and len(found.processing) == counts[name]
            fitted = float(model.activities[name].processing.quantile(0.5))
            assert np.median(found.processing) == pytest.approx(fitted, rel=0.25)
    terms = observed["Payment Received"].delay_groups
    assert set(terms) == {"Net 30", "Net 60"}
    assert np.median(terms["Net 60"]) > np.median(terms["Net 30"])


def test_model_tables(sample: tuple) -> None:
    model = sample[1]
    rows = model_view.activity_rows(model)
    assert list(rows["count"]) == sorted(rows["count"], reverse=True)
    table = model_view.branch_rows(model, "Quote Approved", "end")
    assert table["probability"].sum() == pytest.approx(1.0)
    assert {"1", "2", "3"} <= set(table.columns)  # conditioned on the visit
    pools = model_view.pool_rows(model)
    assert set(pools["pool"]) == set(model.pools)
    assert model_view.time_unit(np.array([3 * 86400.0])) == (86400.0, "days")
    assert model_view.week_matrix(model.arrivals.week_profile()).shape == (7, 24)
    assert model_view.fitted_shares(Fixed(value=0.0), np.linspace(0, 1, 3)).sum() == 1.0


# --- jobs -----------------------------------------------------------------------------------

def test_a_job_runs_in_the_background_and_reports_progress() -> None:
    runner = JobRunner()
    release = threading.Event()

    def work(progress: Progress) -> str:
        progress(1, 2)
        release.wait(10)
        progress(2, 2)
        return "done"

    job = runner.submit("k", "test", work)
    assert runner.submit("k", "test", work) is job  # the same inputs: the same job
    deadline = threading.Event()
    while job.done < 1 and not deadline.wait(0.01):
        pass
    assert not job.finished and job.fraction == 0.5
    release.set()
    assert wait_for(job, 10) and job.ok and job.result == "done"
    assert runner.submit("k", "test", work) is job  # finished: kept, not run again


def test_failed_and_stopped_jobs_say_why_and_can_run_again() -> None:
    runner = JobRunner()

    def bad_input(progress: object) -> None:
        raise PlannerError("scenario.yaml: no activity 'Invoice Sennt'")

    def bug(progress: object) -> None:
        raise ZeroDivisionError("division by zero")

    failed = runner.submit("a", "input", bad_input)
    crashed = runner.submit("b", "bug", bug)
    assert wait_for(failed, 5) and wait_for(crashed, 5)
    assert failed.error == "scenario.yaml: no activity 'Invoice Sennt'" and not failed.unexpected
    assert crashed.unexpected and "ZeroDivisionError" in str(crashed.error)
    assert runner.submit("a", "input", lambda progress: 1) is not failed  # retried

    started = threading.Event()

    def long(progress: Progress) -> None:
        for done in range(1000):
            started.set()
            progress(done, 1000)
            threading.Event().wait(0.01)

    job = runner.submit("c", "long", long)
    started.wait(5)
    job.stop.set()
    assert wait_for(job, 5) and job.cancelled and not job.ok


def test_the_runner_forgets_old_finished_jobs() -> None:
    runner = JobRunner(keep=2)
    jobs = [runner.submit(str(n), "j", lambda progress: None) for n in range(4)]
    for job in jobs:
        wait_for(job, 5)
    runner.submit("new", "j", lambda progress: None)
    assert runner.get("0") is None and runner.get("3") is jobs[3]


# --- labels ---------------------------------------------------------------------------------

def _used_keys() -> set[str]:
    found = set()
    for path in [*APP.glob("*.py"), *APP.glob("views/*.py")]:
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""", text))
    return found


def test_every_label_the_app_uses_exists_in_both_languages() -> None:
    missing = sorted(k for k in _used_keys() if k not in i18n.LABELS)
    assert not missing
    for key, (english, japanese) in i18n.LABELS.items():
        assert english and japanese, key
        placeholders = set(re.findall(r"{(\w+)}", english))
        assert placeholders == set(re.findall(r"{(\w+)}", japanese)), key
    assert set(i18n.KPI_JA) == set(catalogue.HEADLINE)


def test_labels_fall_back_to_english_outside_a_session() -> None:
    assert i18n.t("page.data") == "Data"
    assert i18n.t("no.such.label") == "no.such.label"
    assert i18n.kpi_name("sales_cycle.p90", "") == "Sales cycle (P90)"
    assert i18n.kpi_name("waiting_time:Quote Approved",
                         "Waiting time before Quote Approved") == (
        "Waiting time before Quote Approved")


# --- l2c ui ---------------------------------------------------------------------------------

def test_the_launcher_serves_locally_headless_with_an_upload_limit() -> None:
    command = launch.command("127.0.0.1", 8601, 50)
    flags = dict(zip(command[5::2], command[6::2], strict=True))
    assert command[1:5] == ["-m", "streamlit", "run", str(APP / "main.py")]
    assert flags == {"--server.address": "127.0.0.1", "--server.port": "8601",
                     "--server.maxUploadSize": "50", "--server.headless": "true",
                     "--server.fileWatcherType": "none",
                     "--browser.gatherUsageStats": "false", "--client.toolbarMode": "minimal"}
    assert launch.url("0.0.0.0", 8601) == "http://localhost:8601"


def test_the_launcher_refuses_bad_settings() -> None:
    with pytest.raises(PlannerError, match="--port must be between 1 and 65535"):
        launch.serve("127.0.0.1", 0, 200)
    with pytest.raises(PlannerError, match="--max-upload-mb must be at least 1"):
        launch.serve("127.0.0.1", 8501, 0)


def test_no_browser_is_opened_without_a_desktop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(launch.sys, "platform", "linux")
    assert not launch.can_open_browser()


def test_target_levers_read_in_the_chosen_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from scenarios.target.levers import Lever

    pool = Lever("pool:Approvers", "pool", "Approvers people", "Approvers", 5, 1, 1, True)
    faster = Lever("duration:見積承認", "duration", "見積承認 work time", "見積承認", 0.9, 0.5,
                   0.01)
    assert (i18n.lever_label(pool), i18n.lever_change(pool, 2)) == ("Approvers people",
                                                                    "+2 people")
    monkeypatch.setattr(i18n, "language", lambda: "ja")
    assert i18n.lever_label(pool) == "Approvers の人数"
    assert i18n.lever_change(pool, 2) == "+2 人"
    assert i18n.lever_label(faster) == "見積承認 の作業時間"
    assert i18n.lever_change(faster, 0.5) == "50% 短縮"


def test_calibration_notes_read_in_the_chosen_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from calibration.fit.calibrate import NOTE_TEXT

    values = {"activity": "見積承認", "attribute": "lead_source"}
    assert i18n.note_text("routing_by_attribute", values) == (
        "What follows '見積承認' depends on lead_source.")
    monkeypatch.setattr(i18n, "language", lambda: "ja")
    assert i18n.note_text("routing_by_attribute", values) == (
        "「見積承認」の次に何が起きるかは lead_source によって変わります。")
    assert set(i18n.NOTES_JA) == set(NOTE_TEXT)  # every finding has its Japanese wording
