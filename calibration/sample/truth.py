"""The true process behind the bundled sample log, in one structure.

The generator reads every number from here and ``true_params.json`` is this structure
written out, so tests can check that calibration recovers what the generator really did.
Durations are seconds. ``clock`` says which clock a duration runs on: ``working`` (the
calendar of the pool doing the activity) or ``calendar`` (customers, deliveries, systems).
Distributions use the planner's parameter names: gamma(shape, scale), lognormal(mu, sigma)
of log seconds, exponential(mean), fixed(value).
"""

from __future__ import annotations

import math
from typing import Required, TypedDict

HOUR = 3600.0
DAY = 86400.0

SEED = 20240101
LOG_START = "2024-01-01"  # a Monday: the sample's time zero is Monday 00:00
WARMUP_DAYS = 91  # 13 weeks: cases start before the log does, as in any real export
LOG_DAYS = 548
# Lead arrivals per hour on a working-day hour; other hours are scaled by the profile.
BASE_ARRIVALS_PER_HOUR = 0.56
OFF_HOURS_FACTOR = 0.08
WEEKEND_FACTOR = 0.05
MONTHLY_GROWTH = 0.015  # +1.5% lead volume per month: the trend calibration should see


class DurationSpec(TypedDict, total=False):
    """A distribution in the planner's parameter names; ``kind`` says which are given."""

    kind: Required[str]
    shape: float
    scale: float
    mu: float
    sigma: float
    mean: float
    value: float


class ActivitySpec(TypedDict, total=False):
    """Who does an activity, how long its work takes and the delay before it starts."""

    kind: Required[str]  # staffed, system or customer
    stage: Required[str]
    clock: Required[str]
    delay: Required[DurationSpec | str]  # "payment terms": drawn from the deal's terms
    pool: str  # staffed
    processing: DurationSpec  # staffed
    resource: str  # the others ("owner": the deal's rep)


class CalendarSpec(TypedDict):
    days: int
    start_hour: int
    end_hour: int


class ProductSpec(TypedDict):
    share: float
    median_amount: float
    contract: str


def gamma(mean: float, shape: float) -> DurationSpec:
    return {"kind": "gamma", "shape": shape, "scale": mean / shape}


def lognormal(median: float, sigma: float) -> DurationSpec:
    return {"kind": "lognormal", "mu": math.log(median), "sigma": sigma}


def exponential(mean: float) -> DurationSpec:
    return {"kind": "exponential", "mean": mean}


def fixed(value: float) -> DurationSpec:
    return {"kind": "fixed", "value": value}


CALENDARS: dict[str, CalendarSpec] = {
    "Sales": {"days": 5, "start_hour": 8, "end_hour": 18},
    "Approvers": {"days": 5, "start_hour": 9, "end_hour": 17},
    "Billing": {"days": 5, "start_hour": 8, "end_hour": 12},
}

REGIONS: dict[str, float] = {"North": 0.3, "South": 0.2, "East": 0.25, "West": 0.25}
REPS: dict[str, list[tuple[str, float]]] = {  # region -> (rep, speed multiplier)
    "North": [("Aiko Tanaka", 0.8), ("Ben Carter", 1.0), ("Chloe Martin", 1.3)],
    "South": [("Diego Alvarez", 1.1), ("Emma Fischer", 0.9), ("Farah Khan", 1.2)],
    "East": [("George Li", 0.7), ("Hiro Sato", 1.0), ("Isla Novak", 1.4)],
    "West": [("Jonas Berg", 0.9), ("Kate Moreau", 1.1), ("Liam O'Brien", 1.0)],
}
POOLS: dict[str, list[str]] = {
    "Sales": [rep for reps in REPS.values() for rep, _ in reps],
    "Approvers": ["Hana Suzuki", "Marcus Reed"],
    "Billing": ["Priya Nair", "Tom Becker"],
}

# Lead source: share of leads, chance the lead qualifies, speed of qualification (x delay).
LEAD_SOURCES: dict[str, dict[str, float]] = {
    "Web": {"share": 0.35, "qualify": 0.55, "speed": 1.6},
    "Referral": {"share": 0.20, "qualify": 0.85, "speed": 0.5},
    "Event": {"share": 0.15, "qualify": 0.70, "speed": 1.0},
    "Partner": {"share": 0.15, "qualify": 0.80, "speed": 0.8},
    "Cold Call": {"share": 0.15, "qualify": 0.45, "speed": 1.3},
}
PRODUCTS: dict[str, ProductSpec] = {
    "Software": {"share": 0.35, "median_amount": 40_000.0, "contract": "Subscription"},
    "Hardware": {"share": 0.25, "median_amount": 25_000.0, "contract": "Standard"},
    "Services": {"share": 0.25, "median_amount": 15_000.0, "contract": "Framework"},
    "Support": {"share": 0.15, "median_amount": 8_000.0, "contract": "Subscription"},
}
AMOUNT_SIGMA = 0.8
NET60_SHARE = 0.3  # of deals; deals over 50,000 get Net 60 twice as often
LATE_PAYMENT_SHARE = 0.35
LATENESS = gamma(12 * DAY, 2.0)  # added to the payment term when the customer pays late
ON_TIME_SHARE_OF_TERM = (0.6, 1.0)  # on-time payers pay within this part of the term
# Discount: mean share by product, plus reps who discount more than policy allows.
DISCOUNT_MEAN = {"Software": 0.10, "Hardware": 0.08, "Services": 0.04, "Support": 0.02}
DISCOUNT_SPREAD = 0.03
DISCOUNT_BIAS = {"Chloe Martin": 0.06, "Diego Alvarez": 0.04}

# Activity -> who does it, how long the work takes, and the delay before it starts.
ACTIVITIES: dict[str, ActivitySpec] = {
    "Lead Created": {"kind": "system", "resource": "Marketing Automation", "stage": "Qualify",
                     "delay": fixed(0.0), "clock": "calendar"},
    "Lead Qualified": {"kind": "staffed", "pool": "Sales", "stage": "Qualify",
                       "processing": gamma(40 * 60, 2.0),
                       "delay": exponential(10 * HOUR), "clock": "working"},
    "Opportunity Created": {"kind": "staffed", "pool": "Sales", "stage": "Develop",
                            "processing": gamma(20 * 60, 3.0),
                            "delay": exponential(30 * 60), "clock": "working"},
    "First Customer Contact": {"kind": "staffed", "pool": "Sales", "stage": "Develop",
                               "processing": lognormal(45 * 60, 0.5),
                               "delay": lognormal(15 * HOUR, 0.8), "clock": "working"},
    "Solution Proposed": {"kind": "staffed", "pool": "Sales", "stage": "Propose",
                          "processing": gamma(3 * HOUR, 2.0),
                          "delay": gamma(30 * HOUR, 1.5), "clock": "working"},
    "Quote Created": {"kind": "staffed", "pool": "Sales", "stage": "Propose",
                      "processing": lognormal(1.5 * HOUR, 0.6),
                      "delay": lognormal(10 * HOUR, 0.7), "clock": "working"},
    "Quote Approved": {"kind": "staffed", "pool": "Approvers", "stage": "Propose",
                       "processing": gamma(2.8 * HOUR, 2.0),
                       "delay": fixed(0.0), "clock": "working"},
    "Quote Accepted": {"kind": "customer", "resource": "Customer", "stage": "Propose",
                       "delay": lognormal(4 * DAY, 0.9), "clock": "calendar"},
    "Contract Signed": {"kind": "customer", "resource": "Customer", "stage": "Close",
                        "delay": lognormal(6 * DAY, 0.7), "clock": "calendar"},
    "Opportunity Won": {"kind": "system", "resource": "System", "stage": "Close",
                        "delay": fixed(60.0), "clock": "calendar"},
    "Opportunity Lost": {"kind": "system", "resource": "owner", "stage": "Close",
                         "delay": lognormal(5 * DAY, 1.0), "clock": "calendar"},
    "Sales Order Created": {"kind": "staffed", "pool": "Sales", "stage": "Won",
                            "processing": gamma(30 * 60, 3.0),
                            "delay": exponential(5 * HOUR), "clock": "working"},
    "Order Fulfilled": {"kind": "system", "resource": "Fulfilment", "stage": "Won",
                        "delay": gamma(9 * DAY, 3.0), "clock": "calendar"},
    "Invoice Generated": {"kind": "staffed", "pool": "Billing", "stage": "Won",
                          "processing": gamma(1.6 * HOUR, 2.5),
                          "delay": lognormal(4 * HOUR, 1.0), "clock": "working"},
    "Invoice Sent": {"kind": "staffed", "pool": "Billing", "stage": "Won",
                     "processing": gamma(15 * 60, 4.0),
                     "delay": exponential(1 * HOUR), "clock": "working"},
    "Payment Received": {"kind": "customer", "resource": "Customer", "stage": "Won",
                         "delay": "payment terms", "clock": "calendar"},
}

LOST = "Opportunity Lost"
# Next activity probabilities, first order. Lead Created depends on the lead source and
# Quote Approved on how many approvals the case has had (quote revision loop).
ROUTING: dict[str, dict[str, float]] = {
    "Lead Qualified": {"Opportunity Created": 1.0},
    "Opportunity Created": {"First Customer Contact": 0.92, LOST: 0.08},
    "First Customer Contact": {"Solution Proposed": 0.85, LOST: 0.15},
    "Solution Proposed": {"Quote Created": 0.90, LOST: 0.10},
    "Quote Created": {"Quote Approved": 0.86, "Quote Accepted": 0.10, LOST: 0.04},
    "Quote Accepted": {"Contract Signed": 0.93, LOST: 0.07},
    "Contract Signed": {"Opportunity Won": 1.0},
    "Opportunity Won": {"Sales Order Created": 1.0},
    "Sales Order Created": {"Order Fulfilled": 1.0},
    "Order Fulfilled": {"Invoice Generated": 1.0},
    "Invoice Generated": {"Invoice Sent": 1.0},
    "Invoice Sent": {"Payment Received": 1.0},
}
QUOTE_LOST_AFTER_APPROVAL = 0.12
# Chance the customer asks for a revised quote after the k-th approval (k = 1, 2, 3+).
REVISION_BY_APPROVAL = {1: 0.30, 2: 0.18, 3: 0.08}

LOST_REASONS: dict[str, dict[str, float]] = {
    "Qualify": {"Not qualified": 0.6, "No budget": 0.4},
    "Develop": {"No response": 0.5, "No budget": 0.3, "Chose competitor": 0.2},
    "Propose": {"Price too high": 0.45, "Chose competitor": 0.35, "Timing": 0.2},
    "Close": {"Legal terms": 0.5, "Timing": 0.3, "Chose competitor": 0.2},
}
ACCOUNT_WORDS = (
    ("Nordic", "Contoso", "Fabrikam", "Alpine", "Harbor", "Summit", "Pacific", "Golden",
     "Blue River", "Northwind", "Sakura", "Cedar", "Atlas", "Vertex", "Lumen", "Orion"),
    ("Freight", "Foods", "Health", "Systems", "Energy", "Retail", "Logistics", "Bank",
     "Motors", "Pharma", "Labs", "Textiles", "Media", "Insurance", "Telecom", "Steel"),
)


def routing_after_approval(approvals: int) -> dict[str, float]:
    """Next activity after the ``approvals``-th Quote Approved of a case."""
    revise = REVISION_BY_APPROVAL[min(approvals, 3)]
    return {"Quote Created": revise, LOST: QUOTE_LOST_AFTER_APPROVAL,
            "Quote Accepted": 1.0 - revise - QUOTE_LOST_AFTER_APPROVAL}


def routing_after_lead(source: str) -> dict[str, float]:
    qualify = LEAD_SOURCES[source]["qualify"]
    return {"Lead Qualified": qualify, LOST: 1.0 - qualify}


def as_dict() -> dict[str, object]:
    """Every true parameter, JSON-ready (what ``true_params.json`` holds)."""
    return {
        "seed": SEED, "log_start": LOG_START, "log_days": LOG_DAYS,
        "warmup_days": WARMUP_DAYS,
        "arrivals": {"base_per_working_hour": BASE_ARRIVALS_PER_HOUR,
                     "off_hours_factor": OFF_HOURS_FACTOR, "weekend_factor": WEEKEND_FACTOR,
                     "monthly_growth": MONTHLY_GROWTH},
        "calendars": CALENDARS, "pools": POOLS,
        "rep_speed": {rep: speed for reps in REPS.values() for rep, speed in reps},
        "regions": REGIONS, "lead_sources": LEAD_SOURCES, "products": PRODUCTS,
        "amount_sigma": AMOUNT_SIGMA, "net60_share": NET60_SHARE,
        "late_payment_share": LATE_PAYMENT_SHARE, "lateness": LATENESS,
        "on_time_share_of_term": ON_TIME_SHARE_OF_TERM,
        "discount_mean": DISCOUNT_MEAN, "discount_spread": DISCOUNT_SPREAD,
        "discount_bias": DISCOUNT_BIAS,
        "activities": ACTIVITIES,
        "routing": ROUTING,
        "routing_after_lead": {s: routing_after_lead(s) for s in LEAD_SOURCES},
        "routing_after_approval": {str(k): routing_after_approval(k)
                                   for k in REVISION_BY_APPROVAL},
        "lost_reasons": LOST_REASONS,
    }
