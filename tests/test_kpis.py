"""KPIs on tiny hand-made logs whose right answers are worked out by hand.

Times are written as day offsets from one base instant, so every expected duration is a
plain subtraction of the numbers in the rows.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from calibration.read import read_log
from sim.errors import PlannerError
from sim.eventlog import EventLog
from sim.kpi_roles import ActivityRoles
from sim.kpis import compute_kpis, kpis_frame, kpis_to_records, summarise_replications
from sim.kpis.groups import deal_size
from sim.kpis.result import KpiResult
from tests.conftest import GOOD_CSV

BASE = pd.Timestamp("2024-03-04 08:00")
MONTH = 30.44


def make_log(rows: list[tuple], cases: dict[str, dict[str, object]] | None = None,
             tz: str | None = None) -> EventLog:
    """Rows are (case, activity, start day[, end day[, resource]]); end defaults to start."""
    full = [(r[0], r[1], r[2], r[3] if len(r) > 3 else r[2], r[4] if len(r) > 4 else None)
            for r in rows]
    events = pd.DataFrame(full, columns=["case_id", "activity", "start", "end", "resource"])
    base = BASE.tz_localize(tz) if tz else BASE
    for column, name in (("start", "start_time"), ("end", "end_time")):
        events[name] = base + pd.to_timedelta(events.pop(column), unit="D")
    ids = list(dict.fromkeys(events["case_id"]))
    frame = pd.DataFrame.from_dict(cases or {}, orient="index").reindex(ids)
    frame.index.name = "case_id"
    return EventLog(events, frame)


def by_id(results: list[KpiResult], group: str | None = None) -> dict[str, KpiResult]:
    return {r.id: r for r in results if r.group == group}


def sales_log() -> EventLog:
    """Three won deals (2, 5 and 9 days), one lost, one still open at the end of the log."""
    rows = [
        ("W1", "Opportunity Created", 0), ("W1", "Opportunity Won", 2),
        ("W2", "Opportunity Created", 1), ("W2", "Contract Signed", 6),
        ("W2", "Opportunity Won", 8),  # the contract (day 6) is the earlier end: 5 days
        ("W3", "Opportunity Created", 2), ("W3", "Opportunity Won", 11),
        ("L1", "Opportunity Created", 3), ("L1", "Opportunity Lost", 4),
        ("O1", "Opportunity Created", 0), ("O1", "Contract Signed", 12),  # open: no outcome
    ]
    outcomes = {"W1": "Won", "W2": "Won", "W3": "Won", "L1": "Lost", "O1": None}
    return make_log(rows, {c: {"outcome": o} for c, o in outcomes.items()})


def test_sales_cycle_counts_won_deals_only():
    kpis = by_id(compute_kpis(sales_log()))
    cycle = kpis["sales_cycle"]
    assert cycle.available and cycle.unit == "days" and cycle.n == 3
    assert cycle.value == cycle.median == pytest.approx(5.0)
    assert cycle.mean == pytest.approx((2 + 5 + 9) / 3)
    assert cycle.p90 == pytest.approx(5 + 0.8 * (9 - 5))  # linear between 2nd and 3rd


def test_open_deal_is_neither_lost_nor_finished():
    kpis = by_id(compute_kpis(sales_log()))
    assert kpis["win_rate"].value == pytest.approx(3 / 4)
    assert kpis["win_rate"].n == 4
    period = 12.0  # first event day 0, last day 12
    assert kpis["throughput"].value == pytest.approx(4 / (period / MONTH))
    # in progress: W1 0-2, W2 1-8, W3 2-11, L1 3-4, O1 open 0-12 (the horizon)
    assert kpis["wip"].value == pytest.approx((2 + 7 + 9 + 1 + 12) / period)


def test_outcome_from_activities_when_no_outcome_column():
    log = make_log([
        ("A", "Lead Created", 0), ("A", "Opportunity Won", 3),
        ("B", "Lead Created", 0), ("B", "Opportunity Lost", 1),
        ("C", "Lead Created", 0), ("C", "Payment Received", 5),  # paid means won
        ("D", "Lead Created", 1),  # open
    ])
    assert by_id(compute_kpis(log))["win_rate"].value == pytest.approx(2 / 3)


def test_horizon_cuts_what_had_not_happened_yet():
    log = make_log([("A", "Opportunity Created", 0), ("A", "Opportunity Won", 10),
                    ("B", "Opportunity Created", 0), ("B", "Opportunity Won", 4)],
                   {"A": {"outcome": "Won"}, "B": {"outcome": "Won"}})
    kpis = by_id(compute_kpis(log, horizon=BASE + pd.Timedelta(days=6)))
    assert kpis["sales_cycle"].n == 1 and kpis["sales_cycle"].value == pytest.approx(4)
    # A was still open at day 6, whatever its outcome attribute says now
    assert kpis["wip"].value == pytest.approx((4 + 6) / 6)
    assert kpis["throughput"].value == pytest.approx(1 / (6 / MONTH))


def test_horizon_in_log_time_zone():
    log = make_log([("A", "Opportunity Created", 0), ("A", "Opportunity Won", 10)],
                   tz="Asia/Tokyo")
    won = BASE + pd.Timedelta(days=10)  # wall-clock time in Tokyo, like the log
    assert by_id(compute_kpis(log, horizon=won))["sales_cycle"].value == pytest.approx(10)
    before = won - pd.Timedelta(hours=1)  # read as UTC it would be 8 hours after the win
    assert by_id(compute_kpis(log, horizon=before))["sales_cycle"].available is False
    with pytest.raises(PlannerError, match="not after the log's first event"):
        compute_kpis(log, horizon=BASE - pd.Timedelta(days=1))


def test_missing_activity_makes_kpi_unavailable_with_reason():
    log = make_log([("A", "Lead Created", 0), ("A", "Quote Created", 1),
                    ("A", "Opportunity Lost", 2)])
    kpis = by_id(compute_kpis(log))
    approval = kpis["quote_approval"]
    assert not approval.available and math.isnan(approval.value) and approval.n == 0
    assert approval.note == ("not available: no 'Quote Approved' activity in this log (role "
                             "quote_approved not mapped to an activity)")
    assert kpis["payment_days"].note == ("not available: no 'Invoice Sent' and no "
                                         "'Payment Received' activity in this log (roles "
                                         "invoice_sent, payment_received not mapped to an "
                                         "activity)")


def test_kpi_whose_end_never_happened_is_unavailable():
    log = make_log([("A", "Opportunity Created", 0), ("A", "Opportunity Lost", 2),
                    ("B", "Opportunity Created", 0), ("B", "Contract Signed", 3)])
    cycle = by_id(compute_kpis(log))["sales_cycle"]
    assert not cycle.available
    assert "no won case" in cycle.note


def test_japanese_names_map_by_default():
    log = make_log([
        ("J1", "リード作成", 0), ("J1", "商談作成", 2), ("J1", "見積作成", 3),
        ("J1", "見積承認", 4.5), ("J1", "受注", 6), ("J1", "受注登録", 7), ("J1", "入金確認", 20),
        ("J2", "リード獲得", 0), ("J2", "商談作成", 4), ("J2", "失注", 5),
    ])
    kpis = by_id(compute_kpis(log))
    assert kpis["lead_to_opportunity"].value == pytest.approx(3)  # median of 2 and 4
    assert kpis["quote_approval"].value == pytest.approx(1.5)
    assert kpis["sales_cycle"].value == pytest.approx(4)
    assert kpis["order_to_cash"].value == pytest.approx(13)
    assert kpis["win_rate"].value == pytest.approx(0.5)


def test_names_match_ignoring_case_punctuation_and_width():
    roles = ActivityRoles.default()
    assert roles.role_of("QUOTE-approved ") == "quote_approved"
    assert roles.role_of("Ｑｕｏｔｅ　Ａｐｐｒｏｖｅｄ") == "quote_approved"
    assert roles.role_of("payment_collected") == "payment_received"
    assert roles.role_of("Coffee Break") is None
    found = roles.resolve(["Lead Captured", "lead created", "見積作成", "Other"])
    assert found == {"lead_created": {"Lead Captured", "lead created"},
                     "quote_created": {"見積作成"}}


def test_overrides_replace_a_role_and_take_the_name_from_others():
    log = make_log([("A", "Quote Created", 0), ("A", "Angebot freigegeben", 2.5),
                    ("A", "Opportunity Won", 3)])
    assert not by_id(compute_kpis(log))["quote_approval"].available
    roles = ActivityRoles.default().with_overrides({"quote_approved": ["Angebot freigegeben"]})
    assert by_id(compute_kpis(log, roles))["quote_approval"].value == pytest.approx(2.5)
    assert roles.role_of("Quote Approved") is None
    moved = ActivityRoles.default().with_overrides({"opportunity_won": "Contract Signed"})
    assert moved.role_of("Contract Signed") == "opportunity_won"
    assert "Contract Signed" not in moved.names["contract_signed"]


def test_unknown_role_is_refused_with_a_suggestion():
    with pytest.raises(PlannerError, match="Did you mean 'quote_approved'"):
        ActivityRoles.default().with_overrides({"quote_aproved": ["X"]})


def test_quote_approval_pairs_each_quote_with_the_next_approval():
    log = make_log([
        ("A", "Quote Created", 0), ("A", "Quote Approved", 2),
        ("A", "Quote Created", 3), ("A", "Quote Created", 4),  # the day-3 quote is superseded
        ("A", "Quote Approved", 5), ("A", "Opportunity Won", 6),
        ("B", "Quote Created", 1),  # still waiting for approval: not observed
    ])
    approval = by_id(compute_kpis(log))["quote_approval"]
    assert approval.n == 2
    assert approval.value == pytest.approx(1.5)  # median of 2 and 1


def test_quote_revisions_count_quotes_of_closed_cases():
    log = make_log([
        ("A", "Quote Created", 0), ("A", "Quote Created", 1), ("A", "Quote Created", 2),
        ("A", "Opportunity Won", 3),
        ("B", "Quote Created", 0), ("B", "Opportunity Lost", 1),
        ("C", "Lead Created", 0), ("C", "Opportunity Lost", 1),  # no quote: not counted
        ("D", "Quote Created", 0), ("D", "Quote Created", 1), ("D", "Quote Created", 2),
        ("D", "Quote Created", 3), ("D", "Quote Created", 4),  # open: not counted
    ])
    kpis = by_id(compute_kpis(log))
    revisions = kpis["quote_revisions"]
    assert revisions.unit == "count" and revisions.n == 2
    assert revisions.value == revisions.mean == pytest.approx(2.0)
    assert kpis["rework_rate"].value == pytest.approx(1 / 3)  # A of A, B, C


def funnel_log() -> EventLog:
    rows = [
        ("W", "Lead Created", 0), ("W", "Quote Created", 1), ("W", "Payment Received", 4),
        ("L1", "Lead Created", 0), ("L1", "Quote Created", 1), ("L1", "Opportunity Lost", 2),
        ("L2", "Lead Created", 0), ("L2", "Quote Created", 1), ("L2", "Opportunity Lost", 2),
        ("L3", "Lead Created", 0), ("L3", "Lead Qualified", 1), ("L3", "Opportunity Lost", 2),
        ("L4", "Lead Created", 0), ("L4", "First Customer Contact", 1),  # lost per attribute
        ("O", "Lead Created", 0), ("O", "Quote Created", 3),  # open
    ]
    outcomes = {"W": "Won", "L1": "Lost", "L2": "Lost", "L3": "Lost", "L4": "Lost", "O": None}
    return make_log(rows, {c: {"outcome": o} for c, o in outcomes.items()})


def test_funnel_shares_of_closed_cases():
    kpis = by_id(compute_kpis(funnel_log()))
    assert kpis["funnel:lead_created"].value == pytest.approx(1.0)
    assert kpis["funnel:quote_created"].value == pytest.approx(3 / 5)  # W, L1, L2
    assert kpis["funnel:lead_qualified"].value == pytest.approx(1 / 5)
    assert kpis["funnel:payment_received"].value == pytest.approx(1 / 5)
    assert kpis["funnel:quote_created"].n == 5


def test_loss_stage_is_the_last_step_before_the_loss():
    kpis = by_id(compute_kpis(funnel_log()))
    losses = {k: r.value for k, r in kpis.items() if k.startswith("loss_at:")}
    assert losses == {"loss_at:Quote Created": pytest.approx(2 / 4),
                      "loss_at:Lead Qualified": pytest.approx(1 / 4),
                      "loss_at:First Customer Contact": pytest.approx(1 / 4)}


def test_waiting_and_processing_time_per_activity():
    log = make_log([
        ("A", "Draft", 0, 1), ("A", "Review", 3, 4), ("A", "Sign", 3.5, 5),  # Sign overlaps
        ("B", "Draft", 0, 0.5), ("B", "Review", 1.5, 2.5),
    ])
    kpis = by_id(compute_kpis(log))
    assert kpis["waiting_time:Review"].n == 2
    assert kpis["waiting_time:Review"].value == pytest.approx((2 + 1) / 2)
    assert kpis["waiting_time:Sign"].value == pytest.approx(0.0)  # Review was still running
    assert "waiting_time:Draft" not in kpis  # nothing comes before a first activity
    assert kpis["processing_time:Draft"].value == pytest.approx(0.75)
    assert kpis["processing_time:Sign"].value == pytest.approx(1.5)


def test_processing_time_needs_start_and_end():
    log = make_log([("A", "Draft", 0), ("A", "Review", 2)])
    kpis = by_id(compute_kpis(log))
    assert not kpis["processing_time"].available
    assert "one timestamp per event" in kpis["processing_time"].note
    assert kpis["waiting_time:Review"].value == pytest.approx(2)


def test_utilisation_counts_overlapping_work_once():
    log = make_log([
        ("A", "Draft", 0, 2, "Ann"), ("B", "Draft", 1, 3, "Ann"), ("C", "Draft", 6, 8, "Ann"),
        ("A", "Review", 2, 3, "Bob"), ("B", "Review", 5, 6, "Bob"),
    ])
    kpis = by_id(compute_kpis(log))
    assert kpis["utilisation:Ann"].value == pytest.approx(5 / 8)  # [0, 3] and [6, 8]
    assert kpis["utilisation:Bob"].value == pytest.approx(2 / 4)
    shares = [r.value for k, r in kpis.items() if k.startswith("utilisation:")]
    assert all(0 <= s <= 1 for s in shares)


def test_money_per_month_net_of_discount():
    log = make_log(
        [("A", "Opportunity Won", 0), ("A", "Payment Received", 20),
         ("B", "Opportunity Won", 10), ("C", "Opportunity Lost", 30.44)],
        {"A": {"amount": 1000.0, "discount": 0.1}, "B": {"amount": 500.0, "discount": None},
         "C": {"amount": 9999.0, "discount": None}})
    kpis = by_id(compute_kpis(log))
    assert kpis["revenue_won"].value == pytest.approx(1500.0)  # one month: 0 to 30.44 days
    assert kpis["cash_collected"].value == pytest.approx(900.0)
    assert kpis["cash_collected"].n == 1


def test_by_attribute_gives_per_group_values():
    log = make_log(
        [("A", "Opportunity Created", 0), ("A", "Opportunity Won", 4),
         ("B", "Opportunity Created", 0), ("B", "Opportunity Won", 8),
         ("C", "Opportunity Created", 0), ("C", "Opportunity Lost", 3),
         ("D", "Opportunity Created", 1), ("D", "Opportunity Won", 3),
         ("E", "Opportunity Created", 1), ("E", "Opportunity Lost", 2),
         ("F", "Opportunity Created", 2), ("F", "Opportunity Won", 3)],
        {"A": {"lead_source": "web"}, "B": {"lead_source": "web"},
         "C": {"lead_source": "web"}, "D": {"lead_source": "referral"},
         "E": {"lead_source": "referral"}, "F": {"lead_source": None}})
    results = compute_kpis(log, by="lead_source")
    assert {r.group for r in results} == {"web", "referral", "(missing)"}
    web, referral = by_id(results, "web"), by_id(results, "referral")
    assert web["sales_cycle"].value == pytest.approx(6)  # median of 4 and 8
    assert web["win_rate"].value == pytest.approx(2 / 3)
    assert referral["sales_cycle"].value == pytest.approx(2)
    assert referral["win_rate"].value == pytest.approx(1 / 2)
    # the period (0 to 8 days) is the whole log's for every group
    assert referral["throughput"].value == pytest.approx(2 / (8 / MONTH))
    assert by_id(results, "(missing)")["sales_cycle"].n == 1


def test_deal_size_bands_by_tertiles():
    bands = deal_size(pd.Series([100.0, 600.0, 300.0, 200.0, 500.0, 400.0, np.nan]))
    # tertiles of 100..600 are 266.7 and 433.3
    assert list(bands) == ["small", "large", "medium", "small", "large", "medium", "(missing)"]
    log = make_log([("A", "Opportunity Won", 0), ("B", "Opportunity Lost", 1),
                    ("C", "Opportunity Won", 2)],
                   {"A": {"amount": 10.0}, "B": {"amount": 20.0}, "C": {"amount": 30.0}})
    results = compute_kpis(log, by="deal_size")
    assert by_id(results, "small")["win_rate"].value == pytest.approx(1.0)
    assert by_id(results, "medium")["win_rate"].value == pytest.approx(0.0)


def test_by_unknown_attribute_is_refused():
    with pytest.raises(PlannerError, match="Did you mean 'outcome'"):
        compute_kpis(sales_log(), by="outcom")


def test_records_are_json_with_null_for_missing():
    records = kpis_to_records(compute_kpis(sales_log()))
    text = json.dumps(records, allow_nan=False)
    by_record = {r["id"]: r for r in json.loads(text)}
    assert by_record["quote_approval"]["value"] is None
    assert by_record["quote_approval"]["available"] is False
    assert set(by_record["sales_cycle"]) >= {"id", "unit", "n", "value", "mean", "median",
                                             "p90", "label", "group", "available", "note"}
    assert "median" not in by_record["win_rate"]
    frame = kpis_frame(compute_kpis(sales_log()))
    assert frame.set_index("id").loc["win_rate", "value"] == pytest.approx(0.75)


def test_replications_mean_and_t_interval():
    reps = [[KpiResult("sales_cycle", "Sales cycle", "days", 10, v, v, v, v)]
            for v in (1.0, 2.0, 3.0)]
    (summary,) = summarise_replications(reps)
    half = 4.3027 * 1.0 / math.sqrt(3)  # t(0.975, 2 df) * sd / sqrt(3 reps)
    assert summary.value == pytest.approx(2.0) and summary.n == 30
    assert summary.ci_low == pytest.approx(2 - half, abs=1e-3)
    assert summary.ci_high == pytest.approx(2 + half, abs=1e-3)


def test_replications_note_a_kpi_missing_in_some_runs():
    measured = KpiResult("loss_at:Quote Created", "Lost at quote", "share", 4, 0.5)
    (summary,) = summarise_replications([[measured], []])
    assert summary.value == 0.5 and summary.ci_low is None
    assert summary.note == "measured in 1 of 2 replications"


def test_sample_file_read_from_csv(write_file):
    log = read_log(write_file("good.csv", GOOD_CSV)).require_log()
    kpis = by_id(compute_kpis(log))
    assert kpis["win_rate"].value == pytest.approx(0.5)  # C3 is open, not lost
    # C1: lead 01-01 09:00 to payment 01-05 12:00
    assert kpis["lead_to_cash"].n == 1
    assert kpis["lead_to_cash"].value == pytest.approx(4 + 3 / 24)
    assert kpis["quote_approval"].note.startswith(
        "not available: no 'Quote Approved' activity in this log (role quote_approved")
