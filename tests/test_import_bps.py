"""``l2c import-bps``: Prosimos models (BPMN + JSON, as Simod writes them) as process models.

The hand-written quote-to-cash model pins every part of the conversion to exact values (or,
where a distribution is fitted to draws, to 4 standard errors of the draws' mean); so do a
timer-event model and an order-fulfilment model written with Prosimos 1 (scipy-order)
parameters, and all three must round-trip through JSON; broken and unsupported inputs
must fail with a message naming the element. The arrival interpretation is checked against a
replay of Prosimos's own arrival rule, and routing against a simulation.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from calibration.bps import import_bps
from calibration.bps.arrivals import hourly_rates
from calibration.bps.durations import DRAWS
from scenarios.changes import change_volume
from scenarios.schema import VolumeChange
from sim.calendar import DAY, HOUR, WEEK
from sim.distributions import Exponential, Fixed, Gamma, Lognormal, Weibull
from sim.engine.arrivals import arrival_times
from sim.engine.streams import arrivals_stream
from sim.errors import PlannerError
from sim.model import END, Arrivals, ProcessModel
from ui.cli import app

DATA = Path(__file__).parent / "data" / "bps"
Z = 4.0
runner = CliRunner()


def files(stem: str) -> tuple[Path, Path]:
    return DATA / f"{stem}.bpmn", DATA / f"{stem}.json"


@pytest.fixture(scope="module")
def q2c():
    return import_bps(*files("quote_to_cash"))


def variant(tmp_path: Path, bpmn: dict[str, str] | None = None, edit=None,
            stem: str = "quote_to_cash") -> tuple[Path, Path]:
    """A copy of a model with text replaced in the BPMN and ``edit(params)`` applied."""
    source_bpmn, source_json = files(stem)
    text = source_bpmn.read_text(encoding="utf-8")
    for old, new in (bpmn or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    target_bpmn = tmp_path / source_bpmn.name
    target_bpmn.write_text(text, encoding="utf-8")
    params = json.loads(source_json.read_text(encoding="utf-8"))
    if edit is not None:
        edit(params)
    target_json = tmp_path / source_json.name
    target_json.write_text(json.dumps(params), encoding="utf-8")
    return target_bpmn, target_json


def fails(tmp_path: Path, match: str, **kwargs) -> str:
    with pytest.raises(PlannerError, match=match) as error:
        import_bps(*variant(tmp_path, **kwargs))
    return str(error.value)


# ----------------------------------------------------------------- the hand-written model


def test_routing_multiplies_and_adds_branch_probabilities(q2c):
    routing = q2c.model.routing
    assert routing.start == {"Qualify lead": 1.0}
    expected = {
        "Qualify lead": {"Deal lost": 0.3, "Prepare quote": 0.7},
        "Deal lost": {END: 1.0},
        "Prepare quote": {"Approve quote": 1.0},
        "Approve quote": {"Send quote": 1.0},
        "Send quote": {"Prepare quote": 0.4, "Receive payment": 0.6},  # the rework loop
        "Receive payment": {"Deal won": 1.0},
        "Deal won": {END: 1.0},
    }
    assert list(routing.branches) == list(expected)
    for activity, probabilities in expected.items():
        assert routing.branches[activity].pooled == pytest.approx(probabilities), activity


def test_parallel_split_and_join_become_a_lead_and_its_companion(q2c):
    routing = q2c.model.routing
    assert routing.parallel == {"Approve quote": ("Check credit",)}
    assert "Check credit" not in routing.branches  # a companion does not route
    assert routing.branches["Approve quote"].pooled == {"Send quote": 1.0}  # after the join


def test_pools_sizes_members_and_calendars(q2c):
    model = q2c.model
    pools = model.pools
    assert set(pools) == {"Sales", "Managers", "Finance"}
    assert pools["Sales"].members == ("Sales rep 1", "Sales rep 2", "Sales rep 3")
    assert pools["Sales"].size == 3
    assert pools["Managers"].size == 1 and pools["Managers"].members == ("Manager",)
    assert pools["Finance"].size == 2 and pools["Finance"].members == ("Anna", "Ben")
    office = tuple(range(9, 17))
    assert pools["Sales"].calendar.hours == (office,) * 5 + ((), ())
    # Finance: the union of 09-17 (Anna) and 12-20 plus Saturday 09:30-12:00 (Ben); the
    # half hour 09:30-10:00 counts as open
    assert pools["Finance"].calendar.hours == ((tuple(range(9, 20)),) * 5 + ((9, 10, 11), ()))
    assert {a: model.activities[a].pool for a in ("Qualify lead", "Approve quote",
                                                  "Check credit", "Receive payment")} == {
        "Qualify lead": "Sales", "Approve quote": "Managers", "Check credit": "Finance",
        "Receive payment": "Finance"}
    assert all(p.assignment == "any" for p in pools.values())


def test_notes_report_rounding_capacity_and_restricted_tasks(q2c):
    notes = "\n".join(q2c.notes)
    assert "rounded to whole hours (+0.5 h a week)" in notes
    # 2 people x 58 open hours against Anna's 40 h and Ben's 42.5 h
    assert "116 person-hours a week against 82" in notes
    assert "'Receive payment' is done only by Anna" in notes
    assert "'Check credit' (durations differ by resource" in notes


def test_arrival_gaps_are_kept_and_only_fitted_ones_are_noted(q2c, tmp_path):
    assert q2c.model.arrivals.process == "renewal"
    assert not [n for n in q2c.notes if "time between arrivals" in n]  # expon: exact

    def gaps(name: str, values: list[float]):
        def edit(params: dict) -> None:
            params["arrival_time_distribution"] = {
                "distribution_name": name, "distribution_params": [{"value": v} for v in values]}
        return edit

    fixed = import_bps(*variant(tmp_path, edit=gaps("fix", [1800])))
    assert fixed.model.arrivals.interarrival == Fixed(value=1800.0)
    assert fixed.model.arrivals.process == "renewal"
    assert not [n for n in fixed.notes if "time between arrivals" in n]
    normal = import_bps(*variant(tmp_path, edit=gaps("norm", [1800, 300, 0, 3600])))
    note = next(n for n in normal.notes if "time between arrivals" in n)
    assert ("Prosimos draws the time between arrivals from norm(1800, 300, 0, 3600) (mean "
            "1,800 s, coefficient of variation 0.17), which has no exact equivalent here") in note
    assert "Poisson" not in note


def test_prosimos_1_parameters_are_noted_with_where_they_are(q2c):
    note = next(n for n in import_bps(*files("legacy_parameters")).notes
                if "in Prosimos 1 order" in n)
    assert "expon(600, 1200, 0, 36000) for arrivals" in note
    assert "lognorm(0.5, 0, 1200, 0, 100000) for 'Check credit'" in note
    assert "norm(240" not in note  # mean, std, min, max: the same in both orders
    assert not [n for n in q2c.notes if "Prosimos 1 order" in n]


def test_distributions_keep_family_and_mean(q2c):
    activities = q2c.model.activities
    assert activities["Qualify lead"].processing == Exponential(scale=600.0)
    prepare = activities["Prepare quote"].processing
    assert isinstance(prepare, Lognormal)  # mean 3600, variance 3600^2
    assert prepare.mean() == pytest.approx(3600.0)
    assert prepare.sigma**2 == pytest.approx(math.log(2))
    assert activities["Approve quote"].processing == Gamma(shape=3.0, scale=400.0)
    assert activities["Send quote"].processing == Fixed(value=300.0)
    for activity in activities.values():
        if activity.kind == "staffed":
            assert activity.delay == Fixed(value=0.0) and activity.delay_clock == "working"


def test_mixed_and_foreign_distributions_are_fitted_to_the_right_mean(q2c):
    activities = q2c.model.activities
    # Check credit: Anna norm(1800, 300), Ben fix(900), one each -> a 50/50 mixture
    variance = 0.5 * 300**2 + 0.25 * (1800 - 900) ** 2
    credit = activities["Check credit"].processing.mean()
    assert abs(credit - 1350) <= Z * math.sqrt(variance / DRAWS)
    # Receive payment: uniform(600, 1800)
    payment = activities["Receive payment"].processing.mean()
    assert abs(payment - 1200) <= Z * math.sqrt(1200**2 / 12 / DRAWS)


def test_arrivals_rate_in_open_hours_and_the_deferred_arrival_at_opening(q2c):
    arrivals = q2c.model.arrivals
    rates = np.asarray(arrivals.hourly_rate)
    assert arrivals.interarrival == Exponential(scale=3600.0)
    assert arrivals.trend_per_month == 0 and arrivals.reference == "2024-01-01"
    assert (rates[:5, 9:18] == 1.0).all()  # 3600 s / 3600 s mean gap, in 08:00-18:00
    assert rates[:5, :8].sum() == 0 and rates[:5, 18:].sum() == 0 and rates[5:].sum() == 0
    assert rates[0, 8] == pytest.approx(2 - math.exp(-62))  # closed since Friday 18:00
    assert rates[1:5, 8] == pytest.approx(2 - math.exp(-14))  # closed 14 h overnight


def test_outcomes_attributes_and_provenance(q2c):
    model = q2c.model
    assert model.outcomes.won == ("Deal won",) and model.outcomes.lost == ("Deal lost",)
    assert model.activities["Deal won"].kind == "system"
    assert model.attributes.columns == () and model.attributes.rows == ((),)
    bpmn, params = files("quote_to_cash")
    digest = hashlib.sha256(bpmn.read_bytes() + params.read_bytes()).hexdigest()
    p = model.provenance
    assert p.source == "quote_to_cash.bpmn" and p.fingerprint == f"sha256:{digest}"
    assert (p.cases, p.events, p.open_cases) == (0, 0, 0)
    assert p.period_start == "2024-01-01" and p.library.startswith("l2c-planner ")
    assert p.options["parameters"] == "quote_to_cash.json"


def test_whitespace_in_names_is_collapsed(q2c):
    assert "Check credit" in q2c.model.activities  # written "Check\n      credit"


# ------------------------------------------------ the timer and legacy-parameter models


@pytest.mark.parametrize("stem", ["quote_to_cash", "timer_event", "legacy_parameters"])
def test_models_round_trip_through_json(stem):
    model = import_bps(*files(stem)).model
    text = model.to_json()
    again = ProcessModel.from_json(text)  # validated again on loading
    assert again.to_json() == text  # the file is stable (numbers keep 7 digits)
    assert again.routing == model.routing and again.pools == model.pools


@pytest.fixture(scope="module")
def legacy():
    return import_bps(*files("legacy_parameters")).model


def test_legacy_model_skip_paths_and_parallel_block(legacy):
    routing = legacy.routing
    assert routing.start == {"Register order": 1.0}
    assert routing.parallel == {"Pick goods": ("Issue invoice",)}
    expected = {
        "Register order": {"Check credit": 0.3, "Pick goods": 0.7},  # skip the credit check
        "Check credit": {"Pick goods": 1.0},
        "Pick goods": {"Book courier": 0.15, "Print label": 0.85 * 0.4,  # after the join
                       "Dispatch parcel": 0.85 * 0.6},  # standard mode, label skipped
        "Book courier": {END: 1.0},
        "Print label": {"Dispatch parcel": 1.0},
        "Dispatch parcel": {END: 1.0},
    }
    assert list(routing.branches) == list(expected)  # "Issue invoice" is a companion
    for activity, probabilities in expected.items():
        assert routing.branches[activity].pooled == pytest.approx(probabilities), activity


def test_legacy_model_pools_are_expanded_by_amount(legacy):
    pools = legacy.pools
    assert {n: p.size for n, p in pools.items()} == {
        "Order desk": 4, "Picker": 50, "Billing clerk": 1, "Dispatcher": 12}
    pickers = pools["Picker"].members
    assert len(pickers) == 50 and pickers[:2] == ("Picker 1", "Picker 2")
    assert pickers[-1] == "Picker 50"
    assert pools["Billing clerk"].members == ("Billing clerk",)
    office = (tuple(range(8, 16)),) * 5 + ((), ())
    shifts = (tuple(range(6, 22)),) * 6 + ((),)
    assert pools["Order desk"].calendar.hours == office
    assert pools["Billing clerk"].calendar.hours == office
    assert pools["Picker"].calendar.hours == shifts
    assert pools["Dispatcher"].calendar.hours == shifts
    assert {n: a.pool for n, a in legacy.activities.items()} == {
        "Register order": "Order desk", "Check credit": "Order desk", "Pick goods": "Picker",
        "Issue invoice": "Billing clerk", "Book courier": "Dispatcher",
        "Print label": "Dispatcher", "Dispatch parcel": "Dispatcher"}


def test_legacy_model_reads_parameters_in_scipy_order(legacy):
    # arrivals: expon(loc 600, scale 1200), cut at 36000 s (29.5 scales: nothing lost), so
    # a mean gap of 1800 s, always open
    assert np.asarray(legacy.arrivals.hourly_rate) == pytest.approx(3600 / 1800)
    gap = legacy.arrivals.interarrival.mean()  # shifted: fitted to draws, mean kept
    assert abs(gap - 1800) <= Z * 1200 / math.sqrt(DRAWS)
    activities = legacy.activities
    # families we have, with limits that cut off nothing that matters: used as they are
    assert activities["Register order"].processing == Exponential(scale=300.0)
    assert activities["Dispatch parcel"].processing == Exponential(scale=180.0)  # no limits
    credit = activities["Check credit"].processing
    assert isinstance(credit, Lognormal)
    assert (credit.mu, credit.sigma) == pytest.approx((math.log(1200), 0.5))
    assert activities["Pick goods"].processing == Gamma(shape=2.0, scale=450.0)
    invoice = activities["Issue invoice"].processing
    assert isinstance(invoice, Weibull)
    assert (invoice.shape, invoice.scale) == pytest.approx((1.5, 800.0))
    # norm(240, 60) within [0, 600] (4 and 6 standard deviations away): mean 240
    courier = activities["Book courier"].processing.mean()
    assert abs(courier - 240) <= Z * 60 / math.sqrt(DRAWS)
    # uniform(loc 30, scale 60): 30 to 90 s, inside the limits [0, 1000]
    label = activities["Print label"].processing.mean()
    assert abs(label - 60) <= Z * math.sqrt(60**2 / 12 / DRAWS)


def test_timer_event_becomes_a_delayed_system_event():
    model = import_bps(*files("timer_event")).model
    event = model.activities["Wait 2 hours"]
    assert event.kind == "system" and event.delay == Fixed(value=7200.0)
    assert event.delay_clock == "calendar" and event.pool is None
    routing = model.routing
    assert routing.start == {"Send reminder": 1.0}
    assert routing.branches["Send reminder"].pooled == {"Wait 2 hours": 1.0}
    assert routing.branches["Wait 2 hours"].pooled == {"Call customer": 1.0}
    assert routing.branches["Call customer"].pooled == {END: 1.0}
    assert set(model.activities) == {"Send reminder", "Wait 2 hours", "Call customer"}
    assert model.activities["Send reminder"].processing == Fixed(value=420.0)
    assert model.activities["Call customer"].processing == Exponential(scale=900.0)
    back_office, call_centre = model.pools["Back office"], model.pools["Call centre"]
    assert back_office.members == ("Clerk 1", "Clerk 2")
    assert back_office.calendar.hours == ((), tuple(range(12, 18)), (), (), (), (), ())
    assert call_centre.members == ("Agent",)
    assert call_centre.calendar.hours == ((8, 9, 10, 11),) * 5 + ((), ())
    # one arrival every 1800 s on Tuesdays 13:00-16:00, plus the one deferred to the opening
    # after 165 closed hours
    arrivals = model.arrivals
    assert arrivals.interarrival == Fixed(value=1800.0)
    rates = np.asarray(arrivals.hourly_rate)
    assert rates[1, 13] == pytest.approx(2 + 1 - math.exp(-165 * 2))
    assert (rates[1, 14:16] == 2.0).all() and rates.sum() == pytest.approx(3 * 2 + 1)


# --------------------------------------------------------- the arrival interpretation


def prosimos_arrivals(grid: np.ndarray, mean_gap: float, weeks: int, seed: int) -> np.ndarray:
    """Replay Prosimos's rule: next = previous + gap, moved to the next opening if closed."""
    rng = np.random.default_rng(seed)
    counts = np.zeros(168)
    t = 0.0
    while t < weeks * WEEK:
        t += rng.exponential(mean_gap)
        hour = int(t % WEEK // HOUR)
        if not grid[hour]:
            step = 1
            while not grid[(hour + step) % 168]:
                step += 1
            t = (t // HOUR + step) * HOUR
            hour = (hour + step) % 168
        if t < weeks * WEEK:
            counts[hour] += 1
    return counts / weeks


def test_hourly_rates_match_a_replay_of_the_prosimos_arrival_rule():
    grid = np.zeros(168, dtype=bool)
    for day in range(5):
        grid[day * 24 + 8:day * 24 + 18] = True
    mean_gap, weeks = 2 * HOUR, 3000
    expected = np.asarray(hourly_rates(grid, mean_gap)).ravel()
    observed = prosimos_arrivals(grid, mean_gap, weeks, seed=11)
    tolerance = Z * np.sqrt(np.maximum(expected, 1e-9) / weeks)  # Poisson counts per hour
    assert (np.abs(observed - expected) <= tolerance).all()
    assert expected[8] == pytest.approx(0.5 + 1 - math.exp(-31))  # Monday's opening hour
    assert abs(observed.sum() - expected.sum()) <= Z * math.sqrt(expected.sum() / weeks)


def test_always_open_arrivals_have_no_opening_term():
    rates = np.asarray(hourly_rates(np.ones(168, dtype=bool), 900.0))
    assert (rates == 4.0).all()


# ------------------------------------------------------------ renewal arrivals (engine)

OFFICE = tuple(tuple(1.0 if day < 5 and 9 <= hour < 17 else 0.0 for hour in range(24))
               for day in range(7))  # Monday to Friday 09:00-17:00
MONDAY = pd.Timestamp("2024-01-01")


def renewal(gap, rates=OFFICE) -> Arrivals:
    return Arrivals(hourly_rate=rates, reference="2024-01-01", interarrival=gap,
                    process="renewal")


def test_fixed_gaps_arrive_exactly_regularly_within_open_hours():
    times = arrival_times(renewal(Fixed(value=HOUR)), MONDAY, np.random.default_rng(3),
                          first=0.0, last=2 * WEEK)
    # 09:00 to 16:00, then 17:00 is closed: Prosimos moves it to the next opening, 09:00
    day = np.arange(9, 17) * HOUR
    expected = np.concatenate([w * WEEK + d * DAY + day for w in range(2) for d in range(5)])
    assert np.array_equal(times, expected)
    # a gap that ends inside a closure starts the next gap from the opening
    times = arrival_times(renewal(Fixed(value=3 * HOUR)), MONDAY, np.random.default_rng(3),
                          first=10 * HOUR, last=DAY + 17 * HOUR)
    assert np.array_equal(times / HOUR, [10, 13, 16, 33, 36, 39])


def test_exponential_gaps_match_the_rate_and_the_import_profile():
    weeks, mean_gap = 200, 1800.0
    times = arrival_times(renewal(Exponential(scale=mean_gap)), MONDAY,
                          np.random.default_rng(5), first=0.0, last=weeks * WEEK)
    grid = np.asarray(OFFICE).ravel() > 0
    expected = float(np.sum(hourly_rates(grid, mean_gap))) * weeks  # 40 h x 2 + 5 openings
    assert abs(times.size - expected) <= Z * math.sqrt(expected)  # Poisson counts in open hours
    hours = (times % WEEK // HOUR).astype(int)
    assert grid[hours].all() and (np.diff(times) > 0).all()


def test_renewal_keeps_warm_up_limit_and_seed():
    arrivals = renewal(Exponential(scale=1200.0))

    def run(**kwargs):
        return arrival_times(arrivals, MONDAY, arrivals_stream(7, 0), first=DAY, **kwargs)

    whole = run(last=30 * WEEK)
    assert np.array_equal(whole, run(last=30 * WEEK))  # same seed, same times
    limited = run(last=30 * WEEK, limit=500, counted_from=3 * DAY)
    warm = np.count_nonzero(limited < 3 * DAY)
    assert limited.size == warm + 500 and warm > 0
    assert np.array_equal(limited, whole[: limited.size])  # stopping early changes nothing
    assert limited[0] >= DAY and whole[-1] < 30 * WEEK
    other = arrival_times(arrivals, MONDAY, arrivals_stream(8, 0), first=DAY, last=30 * WEEK)
    assert not np.array_equal(other[:10], whole[:10])


def test_renewal_needs_gaps_and_round_trips(q2c):
    with pytest.raises(ValueError, match="renewal process needs interarrival"):
        renewal(None)
    with pytest.raises(ValueError, match="renewal process needs interarrival"):
        renewal(Fixed(value=0.0))
    model = q2c.model
    assert ProcessModel.model_validate_json(model.model_dump_json()) == model
    data = json.loads(model.model_dump_json())
    data["arrivals"].pop("process")  # a model file from before: a Poisson process
    assert ProcessModel.model_validate(data).arrivals.process == "poisson"


def test_more_volume_shortens_renewal_gaps(q2c):
    model = change_volume(q2c.model, VolumeChange(scale=1.25), "test", [])
    assert model.arrivals.interarrival == Exponential(scale=3600.0 / 1.25)
    assert np.asarray(model.arrivals.hourly_rate) == pytest.approx(
        np.asarray(q2c.model.arrivals.hourly_rate) * 1.25)


# -------------------------------------------------------------- unsupported and broken


def test_inclusive_split_is_refused_by_name(tmp_path):
    message = fails(tmp_path, r"inclusiveGateway 'Qualified\?' \(id g_qualified\)",
                    bpmn={'<bpmn:exclusiveGateway id="g_qualified" name="Qualified?"/>':
                          '<bpmn:inclusiveGateway id="g_qualified" name="Qualified?"/>'})
    assert "Supported are" in message and "inclusive (OR) split" in message


def test_inclusive_join_closes_a_parallel_block(tmp_path):
    model = import_bps(*variant(tmp_path, bpmn={
        '<bpmn:parallelGateway id="p_join"/>': '<bpmn:inclusiveGateway id="p_join"/>'})).model
    assert model.routing.parallel == {"Approve quote": ("Check credit",)}
    assert model.routing.branches["Approve quote"].pooled == {"Send quote": 1.0}
    assert "Check credit" not in model.routing.branches


@pytest.mark.parametrize(("element", "tag"), [
    ('<bpmn:subProcess id="t_pay" name="Receive payment"/>', "subProcess"),
    ('<bpmn:callActivity id="t_pay" name="Receive payment"/>', "callActivity"),
])
def test_unsupported_elements_are_named(tmp_path, element, tag):
    fails(tmp_path, rf"{tag} 'Receive payment' \(id t_pay\) is not supported",
          bpmn={'<bpmn:task id="t_pay" name="Receive payment"/>': element})


def test_event_based_gateway_is_refused(tmp_path):
    fails(tmp_path, r"eventBasedGateway 'Accepted\?' .* not supported",
          bpmn={'<bpmn:exclusiveGateway id="g_accepted" name="Accepted?"/>':
                '<bpmn:eventBasedGateway id="g_accepted" name="Accepted?"/>'})


def test_parallel_branch_of_two_tasks_is_refused(tmp_path):
    bpmn = {
        '<bpmn:sequenceFlow id="f_approved" sourceRef="t_approve" targetRef="p_join"/>':
            '<bpmn:sequenceFlow id="f_approved" sourceRef="t_approve" targetRef="t_extra"/>'
            '<bpmn:task id="t_extra" name="Sign quote"/>'
            '<bpmn:sequenceFlow id="f_extra" sourceRef="t_extra" targetRef="p_join"/>'}

    def add_task(params: dict) -> None:
        params["task_resource_distribution"].append({"task_id": "t_extra", "resources": [
            {"resource_id": "mgr", "distribution_name": "fix",
             "distribution_params": [{"value": 60}]}]})

    fails(tmp_path, r"parallel split at parallelGateway 'p_split' is not supported: "
                    r"the branch through flow 'f_approve' reaches task 'Sign quote'",
          bpmn=bpmn, edit=add_task)


def test_malformed_json_names_line_and_column(tmp_path):
    bpmn, params = files("quote_to_cash")
    broken = tmp_path / "broken.json"
    broken.write_text(params.read_text(encoding="utf-8")[:300], encoding="utf-8")
    with pytest.raises(PlannerError, match=r"broken.json: is not valid JSON \(line \d+, column"):
        import_bps(bpmn, broken)


def test_malformed_bpmn_is_not_well_formed(tmp_path):
    bpmn, params = files("quote_to_cash")
    broken = tmp_path / "broken.bpmn"
    broken.write_text(bpmn.read_text(encoding="utf-8")[:500], encoding="utf-8")
    with pytest.raises(PlannerError, match=r"broken\.bpmn: is not well-formed XML"):
        import_bps(broken, params)


def test_not_a_bpmn_file(tmp_path):
    _, params = files("quote_to_cash")
    other = tmp_path / "other.bpmn"
    other.write_text('<?xml version="1.0"?><log xmlns="http://www.xes-standard.org/"/>')
    with pytest.raises(PlannerError, match=r"is not a BPMN 2.0 model \(root element <log>"):
        import_bps(other, params)


def test_dtd_and_entities_are_refused(tmp_path):
    bpmn, params = files("quote_to_cash")
    text = bpmn.read_text(encoding="utf-8").replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE d [<!ENTITY x "lol">]>')
    hostile = tmp_path / "hostile.bpmn"
    hostile.write_text(text.replace('name="Qualify lead"', 'name="&x;"'), encoding="utf-8")
    with pytest.raises(PlannerError, match="declares a DTD or XML entities"):
        import_bps(hostile, params)


def test_missing_task_distribution_names_the_task(tmp_path):
    def drop(params: dict) -> None:
        params["task_resource_distribution"] = [
            t for t in params["task_resource_distribution"] if t["task_id"] != "t_send"]

    fails(tmp_path, r"task_resource_distribution has no resources for task 'Send quote' "
                    r"\(id t_send\)", edit=drop)


def test_probabilities_not_summing_to_one_name_the_gateway(tmp_path):
    def skew(params: dict) -> None:
        params["gateway_branching_probabilities"][0]["probabilities"][1]["value"] = 0.5

    message = fails(tmp_path, r"exclusiveGateway 'Qualified\?' \(id g_qualified\) sum to 0.8",
                    edit=skew)
    assert "f_lost=0.3" in message and "f_go=0.5" in message


def test_missing_gateway_probabilities_name_the_gateway(tmp_path):
    def drop(params: dict) -> None:
        params["gateway_branching_probabilities"].pop(1)

    fails(tmp_path, r"exclusiveGateway 'Accepted\?' \(id g_accepted\) are missing; it splits "
                    r"into 2 flows", edit=drop)


def test_flow_that_does_not_leave_the_gateway(tmp_path):
    def wrong(params: dict) -> None:
        params["gateway_branching_probabilities"][0]["probabilities"][0]["path_id"] = "f_paid"

    fails(tmp_path, r"name flow 'f_paid', which does not leave that gateway", edit=wrong)


@pytest.mark.parametrize(("edit", "match"), [
    (lambda p: p.pop("resource_profiles"), r"section\(s\) resource_profiles are missing"),
    (lambda p: p["task_resource_distribution"][0]["resources"][0].update(resource_id="nobody"),
     r"task_resource_distribution\[0\].resources\[0\].resource_id 'nobody' is not a resource"),
    (lambda p: p["task_resource_distribution"][0]["resources"][0].update(
        distribution_name="zipf"), r"unknown distribution 'zipf'"),
    (lambda p: p["task_resource_distribution"][1]["resources"][0].update(
        distribution_params=[{"value": 1}, {"value": 2}]),
     r"lognorm with 2 parameters matches no known form"),
    (lambda p: p["task_resource_distribution"][1]["resources"][0].update(
        distribution_params=[{"value": 1}, {"value": "x"}, {"value": 0}, {"value": 9}]),
     r"resources\[0\].distribution_params\[1\] must be a finite number \(got 'x'\)"),
    (lambda p: p.update(batch_processing=[{"task_id": "t_send"}]),
     r"section 'batch_processing' is not supported: .* \(used by task t_send\)"),
    (lambda p: p.update(messages={"consume": [{"event_id": "e_reply", "type": "Reply"}]}),
     r"section 'messages' is not supported: messages make cases wait for events of other "
     r"processes, .* \(used by event e_reply\)"),
    (lambda p: (p["gateway_branching_probabilities"][1]["probabilities"][0].update(
        condition_id="big"), p.update(branch_rules=[{"id": "big", "rules": []}])),
     r"section 'branch_rules' is not supported: .* \(used by gateway g_accepted\)"),
    (lambda p: p.update(model_type="FUZZY"),
     r"model_type FUZZY \(probabilistic calendars: office, late\) is not supported"),
    (lambda p: p["resource_calendars"][0]["time_periods"][0].update(beginTime="9 am"),
     r"calendar 'office', period 1: beginTime must be a time of day like '09:00:00' "
     r"\(got '9 am'\)"),
    (lambda p: p["arrival_time_calendar"][0].update(endTime="07:00"),
     r"arrival_time_calendar, period 1: ends at 07:00 before it begins at 08:00:00"),
    (lambda p: p["resource_profiles"][0]["resource_list"][0].update(calendar="nights"),
     r"uses calendar 'nights', which is not in resource_calendars"),
    (lambda p: p["resource_profiles"][0]["resource_list"][0].update(amount=-2),
     r"amount must be a whole number >= 0"),
])
def test_bad_parameters_get_a_clear_message(tmp_path, edit, match):
    fails(tmp_path, match, edit=edit)


def test_missing_event_distribution_names_the_event(tmp_path):
    with pytest.raises(PlannerError, match=r"event_distribution has no entry for "
                                           r"intermediateCatchEvent 'Wait 2 hours' "
                                           r"\(id timer_wait\)"):
        import_bps(*variant(tmp_path, stem="timer_event",
                            edit=lambda p: p.update(event_distribution=[])))


# ----------------------------------------------------------------------------- the CLI


def test_cli_writes_a_model_that_loads(tmp_path):
    output = tmp_path / "model.json"
    result = runner.invoke(app, ["import-bps", *map(str, files("quote_to_cash")), "-o",
                                 str(output)])
    assert result.exit_code == 0, result.output
    assert "Process model written to" in result.stdout
    model = ProcessModel.load(output)
    assert model.routing.parallel == {"Approve quote": ("Check credit",)}


def test_cli_bad_input_exits_1_with_a_message(tmp_path):
    bpmn, params = variant(tmp_path, bpmn={
        '<bpmn:exclusiveGateway id="g_qualified" name="Qualified?"/>':
            '<bpmn:inclusiveGateway id="g_qualified" name="Qualified?"/>'})
    output = tmp_path / "model.json"
    result = runner.invoke(app, ["import-bps", str(bpmn), str(params), "-o", str(output)])
    assert result.exit_code == 1
    assert "error:" in result.output and "inclusiveGateway 'Qualified?'" in result.output
    assert not output.exists()


def test_cli_refuses_to_overwrite_an_input(tmp_path):
    bpmn, params = variant(tmp_path)
    result = runner.invoke(app, ["import-bps", str(bpmn), str(params), "-o", str(params)])
    assert result.exit_code == 1 and "is one of the input files" in result.output
    assert json.loads(params.read_text())["resource_profiles"]  # untouched


# -------------------------------------------------------------------------- simulation


def within_binomial(hits: int, n: int, p: float) -> bool:
    return abs(hits / n - p) <= Z * math.sqrt(p * (1 - p) / n)


def test_simulated_routing_follows_the_gateway_probabilities(q2c):
    from sim.engine import simulate
    from sim.eventlog import ACTIVITY, CASE_ID, START

    result = simulate(q2c.model, cases=3000, seed=7)
    events = result.log.events.sort_values([CASE_ID, START], kind="stable")
    paths = events.groupby(CASE_ID)[ACTIVITY].agg(tuple)
    after_qualify = paths.map(lambda t: t[1])
    assert within_binomial(int((after_qualify == "Deal lost").sum()), len(paths), 0.3)
    next_after_send = [t[i + 1] for t in paths for i, a in enumerate(t[:-1])
                       if a == "Send quote"]
    rework = sum(a == "Prepare quote" for a in next_after_send)
    assert within_binomial(rework, len(next_after_send), 0.4)
    counts = events[ACTIVITY].value_counts()
    assert counts["Approve quote"] == counts["Check credit"] == counts["Prepare quote"]
    assert set(result.log.cases["outcome"].dropna()) == {"Won", "Lost"}


def test_same_files_give_the_same_model(tmp_path):
    first = import_bps(*files("quote_to_cash")).model
    copied = [shutil.copy(f, tmp_path / f.name) for f in files("quote_to_cash")]
    assert import_bps(*copied).model == first


def test_reference_date_is_a_monday(q2c):
    import datetime as dt

    assert dt.date.fromisoformat(q2c.model.arrivals.reference).weekday() == 0
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", q2c.model.provenance.period_start)
