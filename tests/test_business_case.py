"""The business case: prices applied to counted work, paired over replications.

The arithmetic is checked by hand on counts whose answer is known (three replications of a
baseline and a scenario, and small models with fixed work and payment times), then the
library's "Automated invoicing" on the sample with the sample's costs file, end to end.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from engine_models import OFFICE, calendar_model, system
from scipy import stats
from typer.testing import CliRunner

from scenarios import LIBRARY
from scenarios.comparison import Baseline, reprice, rerun, run_comparison, to_saved
from scenarios.costs_file import read_costs
from sim.business_case import build_business_case
from sim.calendar import DAY, HOUR
from sim.cost_drivers import CostDrivers
from sim.costs import ChangeCost, Costs, Prices
from sim.distributions import Fixed
from sim.kpis.result import KpiResult
from sim.measured import measure_replication
from sim.model import Branch, CaseAttributes, Outcomes, ProcessModel, Routing
from sim.saved import SavedStore
from ui.cli import app

SAMPLE_COSTS = LIBRARY / "costs" / "sample_costs.yaml"
PRICES = Prices(pools={"Office": 40.0}, resources={"Ann": 60.0},
                activities={"Review": 5.0})


def _drivers(ann: float, bob: float, reviews: int, won: int, days: float | None,
             months: float = 2.0) -> CostDrivers:
    return CostDrivers(months=months, hours={"Office": {"Ann": ann, "Bob": bob}},
                       occurrences={"Review": reviews, "Request": 99}, won=won,
                       days_to_cash=days)


def _kpis(cash: float) -> list[KpiResult]:
    return [KpiResult("cash_collected", "Cash collected", "money_per_month", 10, cash),
            KpiResult("revenue_won", "Revenue won", "money_per_month", 10, 2 * cash)]


def _half_width(values: list[float]) -> float:
    return float(stats.t.ppf(0.975, len(values) - 1) * np.std(values, ddof=1)
                 / math.sqrt(len(values)))


BASE = [_drivers(100, 80, 40, 20, 30.0), _drivers(110, 70, 44, 22, 32.0),
        _drivers(90, 90, 38, 18, 28.0)]
CHANGED = [_drivers(80, 60, 40, 20, 20.0, 1.9), _drivers(85, 60, 44, 22, 24.0, 2.1),
           _drivers(70, 75, 38, 18, 19.0, 1.8)]  # their cases end sooner or later: the
# same work is priced per month of the baseline's period
CASH = [30_440.0, 60_880.0, 30_440.0]  # 1,000, 2,000 and 1,000 a day


def _case(one_off: float = 6000.0, monthly: float = 100.0):
    priced = {"Baseline": (PRICES, ChangeCost()),
              "Faster": (PRICES, ChangeCost(monthly=monthly, one_off=one_off))}
    return build_business_case(["Baseline", "Faster"],
                               {"Baseline": BASE, "Faster": CHANGED},
                               {"Baseline": [_kpis(c) for c in CASH],
                                "Faster": [_kpis(c) for c in CASH]},
                               priced.__getitem__, "EUR")


def _line(case, measure: str):
    return next(line for line in case.lines if line.measure == measure)


def test_the_business_case_adds_up_by_hand():
    case = _case()
    # staff: Ann at her own 60/h, Bob at the pool's 40/h, over 2 months
    base_staff = [(60 * a + 40 * b) / 2 for a, b in ((100, 80), (110, 70), (90, 90))]
    new_staff = [(60 * a + 40 * b) / 2 for a, b in ((80, 60), (85, 60), (70, 75))]
    staff = _line(case, "staff_cost")
    saved = [n - b for b, n in zip(base_staff, new_staff, strict=True)]
    assert staff.baseline == pytest.approx(np.mean(base_staff))
    assert staff.value == pytest.approx(np.mean(new_staff))
    assert staff.diff == pytest.approx(np.mean(saved))
    assert staff.ci_high - staff.diff == pytest.approx(_half_width(saved))
    assert staff.replications == 3
    # reviews at 5 each, the unpriced requests at nothing
    assert _line(case, "activity_cost").baseline == pytest.approx(5 * np.mean([40, 44, 38]) / 2)
    running = _line(case, "running_cost")
    assert running.diff == pytest.approx(np.mean(saved) + 100)  # the change's 100 a month
    per_deal = _line(case, "cost_per_won_deal")
    base_deal = [(s + 5 * r / 2) * 2 / w for s, r, w in zip(base_staff, (40, 44, 38),
                                                              (20, 22, 18), strict=True)]
    assert per_deal.baseline == pytest.approx(np.mean(base_deal))
    # working capital: days saved x the baseline's cash per day
    freed = [10 * 1000, 8 * 2000, 9 * 1000]
    capital = _line(case, "working_capital_freed")
    assert capital.value == pytest.approx(np.mean(freed))
    assert capital.ci_high - capital.value == pytest.approx(_half_width(freed))
    assert _line(case, "days_to_cash").diff == pytest.approx(-9.0)
    # payback: the one-off over the running cost saved, its interval turned over
    saving = [-(s + 100) for s in saved]
    payback = _line(case, "payback")
    assert payback.value == pytest.approx(6000 / np.mean(saving))
    low, high = np.mean(saving) - _half_width(saving), np.mean(saving) + _half_width(saving)
    assert (payback.ci_low, payback.ci_high) == pytest.approx((6000 / high, 6000 / low))
    assert case.one_off == {"Faster": 6000.0} and case.currency == "EUR"


def test_payback_says_when_there_is_nothing_to_pay_back_or_no_saving():
    assert _line(_case(one_off=0.0), "payback").note == "no one-off cost"
    never = _line(_case(monthly=50_000.0), "payback")
    assert never.value is None and "never pays back" in never.note


def test_a_persons_rate_wins_and_a_scenarios_own_costs_win_over_the_file():
    costs = Costs(pools={"Office": 40}, changes={"Faster": ChangeCost(monthly=10, one_off=99)})
    own = Costs.model_validate({"activities": {"Review": 3}})
    prices, fixed = costs.for_scenario("Faster", None)
    assert (prices.pools, fixed.monthly, fixed.one_off) == ({"Office": 40}, 10, 99)
    from sim.costs import ScenarioCosts
    block = ScenarioCosts(one_off=500, activities=own.activities)
    prices, fixed = costs.for_scenario("Faster", block)
    assert prices.activities == {"Review": 3} and prices.pools == {"Office": 40}
    assert (fixed.monthly, fixed.one_off) == (10, 500)  # the monthly the block left unsaid


def test_hours_are_working_hours_on_the_pools_calendar():
    """Fixed work of 4 h and 1 h in a 9-17 office: a task begun at 16:00 ends the next
    morning and still counts 4 hours."""
    model = calendar_model(per_hour=0.2)
    activities = {**model.activities,
                  "Prepare": model.activities["Prepare"].model_copy(
                      update={"processing": Fixed(value=4 * HOUR)}),
                  "Review": model.activities["Review"].model_copy(
                      update={"processing": Fixed(value=HOUR)})}
    model = model.model_copy(update={"activities": activities})
    measured = measure_replication(model, seed=3, replication=0, run={"days": 28})
    counted = measured.drivers
    done = counted.occurrences
    assert sum(counted.hours["Office"].values()) == pytest.approx(
        4 * done["Prepare"] + done["Review"], abs=1e-3 * (done["Prepare"] + done["Review"]))
    assert set(counted.hours["Office"]) == {"Ann", "Bob"}
    assert OFFICE.hours[0] == tuple(range(9, 17))  # what "working hours" meant above


def _paying_model(payment_days: float):
    """Order Fulfilled, then Payment Received ``payment_days`` later; every deal 1,000."""
    model = calendar_model(per_hour=0.5)
    return model.model_copy(update={
        "attributes": CaseAttributes(columns=("amount",), rows=((1000.0,),)),
        "activities": {"Order Fulfilled": system(),
                       "Payment Received": system(delay=Fixed(value=payment_days * DAY))},
        "routing": Routing(start={"Order Fulfilled": 1.0},
                           branches={"Order Fulfilled": Branch(pooled={"Payment Received": 1})}),
        "pools": {}, "outcomes": Outcomes(won=("Payment Received",))})


def test_days_to_cash_and_the_working_capital_freed_by_paying_sooner():
    run = {"days": 120}
    slow = measure_replication(_paying_model(30), seed=5, replication=0, run=run)
    fast = measure_replication(_paying_model(20), seed=5, replication=0, run=run)
    assert slow.drivers.days_to_cash == pytest.approx(30.0, abs=1e-4)
    assert fast.drivers.days_to_cash == pytest.approx(20.0, abs=1e-4)
    priced = {"Baseline": (Prices(), ChangeCost()), "Sooner": (Prices(), ChangeCost())}
    case = build_business_case(["Baseline", "Sooner"], {"Baseline": [slow.drivers] * 2,
                                                        "Sooner": [fast.drivers] * 2},
                               {"Baseline": [slow.kpis] * 2, "Sooner": [fast.kpis] * 2},
                               priced.__getitem__, None)
    cash = next(r.value for r in slow.kpis if r.id == "cash_collected")
    assert _line(case, "working_capital_freed").value == pytest.approx(10 * cash / 30.44)


@pytest.fixture(scope="module")
def model_file(tmp_path_factory, sample_model):
    return sample_model.save(tmp_path_factory.mktemp("model") / "model.json")


def test_automated_invoicing_on_the_sample_saves_staff_frees_capital_and_pays_back(
        model_file, tmp_path):
    """The run of ``test_comparison``'s automated-invoicing test (the same model, seed and
    length), so the suite simulates it once: the replication cache serves the other."""
    comparison = run_comparison(Baseline(ProcessModel.load(model_file)),
                                [LIBRARY / "automated_invoicing.yaml"], replications=4,
                                seed=3, run={"days": 365.0, "warmup_days": 60.0},
                                costs=read_costs(SAMPLE_COSTS)[0])
    case = comparison.business_case
    assert case is not None and case.currency == "EUR"
    staff, capital, payback = (_line(case, k) for k in ("staff_cost",
                                                       "working_capital_freed", "payback"))
    assert staff.diff < 0 and staff.ci_high < 0  # the billing clerks' invoicing work is gone
    assert _line(case, "days_to_cash").ci_high < 0  # invoices go out at once
    assert capital.value > 0 and capital.ci_low > 0
    running = _line(case, "running_cost")
    assert payback.value == pytest.approx(9000 / -running.diff)  # the file's one-off cost
    assert payback.ci_low <= payback.value <= payback.ci_high
    saved = to_saved(comparison, "invoicing")
    assert saved.business_case == case and "Automated invoicing" in saved.costs
    store = SavedStore(tmp_path / "saved.sqlite")
    store.save(saved)
    again = store.load("invoicing")
    repriced = reprice(again, rerun(again))  # from the database alone; the cache serves it
    assert again.business_case is not None and repriced is not None
    assert repriced.to_dict() == again.business_case.to_dict() == case.to_dict()
    shown = CliRunner().invoke(app, ["saved", "show", "invoicing", "--db",
                                     str(tmp_path / "saved.sqlite")])
    assert shown.exit_code == 0, shown.output
    assert "business case vs Baseline, in EUR" in shown.stdout
    workbook = tmp_path / "invoicing.xlsx"
    exported = CliRunner().invoke(app, ["saved", "export", "invoicing", "-o", str(workbook),
                                        "--lang", "ja", "--db", str(tmp_path / "saved.sqlite")])
    assert exported.exit_code == 0, exported.output
    sheet = pd.read_excel(workbook, sheet_name="ビジネスケース")
    staff_row = sheet[sheet["項目"] == "人件費"].iloc[0]
    assert staff_row["差"] == pytest.approx(staff.diff) and staff_row["通貨"] == "EUR"


def test_the_cli_shows_the_business_case_as_json_table_and_html(model_file, tmp_path):
    args = ["compare", str(model_file), str(LIBRARY / "automated_invoicing.yaml"), "--reps",
            "2", "--cases", "300", "--costs", str(SAMPLE_COSTS), "--no-holdout"]
    runner = CliRunner()
    found = runner.invoke(app, [*args, "--format", "json"])
    assert found.exit_code == 0, found.output
    shape = json.loads(found.stdout)
    assert shape["differences"][0].keys() >= {"scenario", "kpi", "diff", "ci_low"}
    assert [line["measure"] for line in shape["business_case"]["lines"]] == [
        "staff_cost", "activity_cost", "fixed_cost", "running_cost", "cost_per_won_deal",
        "revenue_won", "cash_collected", "days_to_cash", "working_capital_freed", "payback"]
    table = runner.invoke(app, args)
    assert table.exit_code == 0, table.output
    assert "business case vs Baseline, in EUR" in table.stdout
    assert "Working capital freed" in table.stdout
    report = tmp_path / "report.html"
    html = runner.invoke(app, [*args, "--format", "html", "-o", str(report), "--lang", "ja"])
    assert html.exit_code == 0, html.output
    page = report.read_text(encoding="utf-8")
    assert 'id="business-case"' in page and "解放される運転資本" in page and "回収期間" in page


def test_a_costs_file_with_a_misspelt_name_stops_before_the_run(model_file, tmp_path):
    costs = tmp_path / "costs.yaml"
    costs.write_text("pools: {Biling: 40}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["compare", str(model_file),
                                      str(LIBRARY / "automated_invoicing.yaml"), "--costs",
                                      str(costs)])
    assert result.exit_code == 1
    assert "no pool 'Biling'" in result.output and "Did you mean 'Billing'?" in result.output


@pytest.mark.parametrize(("text", "said"), [
    ("pools: {Billing: -5}\n", "pools.Billing: Input should be greater than or equal to 0"),
    ("pool: {Billing: 40}\n", "unknown key 'pool'. Did you mean 'pools'?"),
    ("changes: {Automated invoicing: {monthly: 10, once: 5}}\n",
     "changes.Automated invoicing.once: Extra inputs are not permitted"),
    ("pools: [40]\n", "pools: Input should be a valid dictionary"),
])
def test_a_broken_costs_file_names_the_key_and_the_fix(text, said):
    from scenarios.costs_file import parse_costs_text
    from sim.errors import PlannerError

    with pytest.raises(PlannerError, match=r"costs\.yaml: ") as raised:
        parse_costs_text(text, "costs.yaml")
    assert said in str(raised.value)


def test_a_scenario_carries_its_own_costs_and_they_are_checked(tmp_path, sample_model):
    from scenarios.comparison import check_costs, prepare_scenarios
    from sim.errors import PlannerError

    path = tmp_path / "own.yaml"
    path.write_text("name: Own\nextends: " + str(LIBRARY / "automated_invoicing.yaml")
                    + "\ncosts: {one_off: 500, activities: {Invoice Generated (manual fix): 9}}\n",
                    encoding="utf-8")
    scenarios, models, _ = prepare_scenarios(sample_model, [path])
    assert scenarios[0].costs.one_off == 500
    check_costs(None, sample_model, scenarios, models)  # the fix exists in the changed model
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Bad\ncosts: {activities: {Invoice Fix: 9}}\n", encoding="utf-8")
    scenarios, models, _ = prepare_scenarios(sample_model, [bad])
    with pytest.raises(PlannerError, match=r"bad.yaml: costs: activities: no activity "
                                           r"'Invoice Fix'"):
        check_costs(None, sample_model, scenarios, models)


def test_an_open_payback_interval_reads_as_at_least():
    from ui.business_case_text import interval

    assert interval("months", 2.04, None, "EUR", signed=False) == "at least 2.0 months"
    assert interval("months", 2.04, None, "EUR", japanese=True, signed=False) == "2.0 か月以上"
    assert interval("money_per_month", -10.0, 5.0, "EUR") == "−10 to +5 EUR / month"
