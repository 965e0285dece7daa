"""Process models built by hand for the engine's tests and its benchmark.

Each builder returns a valid ``ProcessModel`` whose behaviour is known in closed form (an
M/M/c queue, a routing with fixed probabilities, a chain of delays, a pool with office
hours) or, for ``l2c_model``, mirrors the true process of the bundled sample
(``calibration/sample/truth.py``) as closely as the model format allows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from calibration.sample import truth
from sim.calendar import DAY, HOUR, WeekCalendar
from sim.distributions import Distribution, Empirical, Exponential, Fixed, Gamma, Lognormal
from sim.model import (
    END,
    Activity,
    Arrivals,
    AttributeDelays,
    Branch,
    CaseAttributes,
    Outcomes,
    Pool,
    ProcessModel,
    Provenance,
    Routing,
)

START = "2024-01-01"  # a Monday


def provenance(start: str = START) -> Provenance:
    return Provenance(source="hand-built", fingerprint="0" * 64, period_start=start,
                      period_end="2024-12-31", cases=0, events=0, open_cases=0,
                      library="tests")


def constant_arrivals(per_hour: float, trend: float = 0.0) -> Arrivals:
    """The same rate in every hour of the week."""
    return Arrivals(hourly_rate=tuple((per_hour,) * 24 for _ in range(7)),
                    trend_per_month=trend, reference=START)


def no_attributes() -> CaseAttributes:
    return CaseAttributes(columns=(), rows=())


def system(delay: Distribution | None = None, stage: str | None = None,
           resource: str | None = "System") -> Activity:
    return Activity(kind="system", delay=delay or Fixed(value=0.0), stage=stage,
                    resource=resource)


def staffed(pool: str, processing: Distribution, delay: Distribution | None = None,
            clock: str = "calendar", stage: str | None = None) -> Activity:
    return Activity(kind="staffed", pool=pool, processing=processing,
                    delay=delay or Fixed(value=0.0), delay_clock=clock, stage=stage)


def mmc_model(servers: int = 2, rho: float = 0.7, service_hours: float = 1.0) -> ProcessModel:
    """M/M/c: Poisson arrivals, one exponential service by a pool of ``servers``, open 24/7.

    'Arrive' marks the arrival (an instant event), 'Serve' is the queue and the service.
    """
    rate = rho * servers / service_hours
    return ProcessModel(
        name=f"M/M/{servers}", provenance=provenance(), arrivals=constant_arrivals(rate),
        attributes=no_attributes(),
        activities={"Arrive": system(),
                    "Serve": staffed("Servers", Exponential(scale=service_hours * HOUR))},
        routing=Routing(start={"Arrive": 1.0},
                        branches={"Arrive": Branch(pooled={"Serve": 1.0})}),
        pools={"Servers": Pool(members=(), size=servers, calendar=WeekCalendar.always())})


def erlang_c_wait(servers: int, rho: float, service_hours: float) -> float:
    """Mean waiting time in queue of M/M/c (hours), from the Erlang C formula."""
    load = rho * servers
    top = load**servers / math.factorial(servers) / (1 - rho)
    bottom = sum(load**k / math.factorial(k) for k in range(servers)) + top
    return (top / bottom) * service_hours / (servers * (1 - rho))


ROUTE = {"B": 0.3, "C": 0.5, END: 0.2}
REWORK = {"1": {"Review": 0.5, END: 0.5}, "2": {"Review": 0.3, END: 0.7},
          "3": {"Review": 0.1, END: 0.9}}
BY_SEGMENT = {"small": {"B": 0.9, "C": 0.1}, "large": {"B": 0.2, "C": 0.8}}


def routing_model(per_hour: float = 5.0) -> ProcessModel:
    """A branch with fixed probabilities, a visit-conditioned rework loop and a branch by
    a case attribute; every activity is instant."""
    activities = {name: system(delay=Fixed(value=60.0)) for name in
                  ("A", "B", "C", "Review", "Split", "Small", "Large")}
    return ProcessModel(
        name="routing", provenance=provenance(), arrivals=constant_arrivals(per_hour),
        attributes=CaseAttributes(columns=("segment",), rows=(("small",), ("large",))),
        activities=activities,
        routing=Routing(start={"A": 0.6, "Review": 0.25, "Split": 0.15}, branches={
            "A": Branch(pooled=ROUTE),
            "Review": Branch(pooled=REWORK["1"], conditioned_on="visit", table=REWORK),
            "Split": Branch(pooled={"B": 0.5, "C": 0.5}, conditioned_on="segment",
                            table=BY_SEGMENT),
        }),
        pools={})


CHAIN: dict[str, Distribution] = {"B": Gamma(shape=2.0, scale=3 * HOUR), "C": Lognormal(mu=math.log(2 * DAY), sigma=0.7),
         "D": Exponential(scale=5 * HOUR)}


def delay_chain(per_hour: float = 2.0) -> ProcessModel:
    """A -> B -> C -> D, instant events separated by delays on the wall clock."""
    activities = {"A": system(), **{name: system(delay=d) for name, d in CHAIN.items()}}
    return ProcessModel(
        name="delay chain", provenance=provenance(), arrivals=constant_arrivals(per_hour),
        attributes=no_attributes(), activities=activities,
        routing=Routing(start={"A": 1.0}, branches={
            "A": Branch(pooled={"B": 1.0}), "B": Branch(pooled={"C": 1.0}),
            "C": Branch(pooled={"D": 1.0})}),
        pools={})


OFFICE = WeekCalendar.weekdays(9, 17)


def calendar_model(per_hour: float = 0.09, size: int = 2, owners: tuple[str, ...] = ()
                   ) -> ProcessModel:
    """Requests arrive around the clock; an office (Mon-Fri 9-17) prepares, then reviews
    (3.5 h of work per request: 0.09 requests an hour keep two people 60% busy).

    With ``owners``, each case names its owner (a case attribute) and the office serves
    cases by owner; an owner who is not a member gets whoever is free.
    """
    attributes = (CaseAttributes(columns=("owner",), rows=tuple((o,) for o in owners))
                  if owners else no_attributes())
    return ProcessModel(
        name="office", provenance=provenance(), arrivals=constant_arrivals(per_hour),
        attributes=attributes,
        activities={
            "Request": system(resource="Portal"),
            "Prepare": staffed("Office", Gamma(shape=2.0, scale=1.5 * HOUR),
                               delay=Exponential(scale=2 * HOUR), clock="working"),
            "Review": staffed("Office", Exponential(scale=0.5 * HOUR),
                              delay=Exponential(scale=6 * HOUR)),
        },
        routing=Routing(start={"Request": 1.0}, branches={
            "Request": Branch(pooled={"Prepare": 1.0}),
            "Prepare": Branch(pooled={"Review": 1.0})}),
        pools={"Office": Pool(members=("Ann", "Bob"), size=size, calendar=OFFICE,
                              assignment="case_owner" if owners else "any")},
        owner_attribute="owner" if owners else None)


def parallel_model(staffed_block: bool = False) -> ProcessModel:
    """Start -> a block of Lead and Companion side by side -> After.

    Instant version: Lead 2 h and Companion 5 h after Start, After 1 h after the later.
    Staffed version: Lead (3 h of work) and Companion (1 h) start at once in pools of one.
    Companion's own branch (to Never) must be ignored: the case goes on from Lead's branch.
    """
    if staffed_block:
        lead = staffed("Leads", Fixed(value=3 * HOUR))
        companion = staffed("Helpers", Fixed(value=1 * HOUR))
    else:
        lead = system(delay=Fixed(value=2 * HOUR))
        companion = system(delay=Fixed(value=5 * HOUR))
    always = WeekCalendar.always()
    return ProcessModel(
        name="parallel", provenance=provenance(), arrivals=constant_arrivals(0.05),
        attributes=no_attributes(),
        activities={"Start": system(), "Lead": lead, "Companion": companion,
                    "After": system(delay=Fixed(value=HOUR)), "Never": system()},
        routing=Routing(start={"Start": 1.0}, branches={
            "Start": Branch(pooled={"Lead": 1.0}), "Lead": Branch(pooled={"After": 1.0}),
            "Companion": Branch(pooled={"Never": 1.0})},
            parallel={"Lead": ("Companion",)}),
        pools={"Leads": Pool(members=("Lee",), size=1, calendar=always),
               "Helpers": Pool(members=("Hal",), size=1, calendar=always)})


# --- a lead-to-cash model mirroring the bundled sample's true process ----------------------

def truth_number(spec: Mapping[str, object], key: str) -> float:
    """A number of the truth's specification, whichever of its parts."""
    value = spec[key]
    assert isinstance(value, int | float), f"{key}: {value!r} is not a number"
    return float(value)


def _part(spec: Mapping[str, object], key: str) -> Mapping[str, object]:
    """A nested part of the truth's specification, such as an activity's delay."""
    value = spec[key]
    assert isinstance(value, Mapping), f"{key}: {value!r} is not a specification"
    return value


def _dist(spec: Mapping[str, object]) -> Distribution:
    kind = spec["kind"]
    if kind == "gamma":
        return Gamma(shape=spec["shape"], scale=spec["scale"])
    if kind == "lognormal":
        return Lognormal(mu=spec["mu"], sigma=spec["sigma"])
    if kind == "exponential":
        return Exponential(scale=spec["mean"])
    return Fixed(value=spec["value"])


def _payment_delays(rng: np.random.Generator, n: int = 4000) -> dict[str, Distribution]:
    """Truth's payment rule (on time within the term, or late by a gamma) as Empirical."""
    out: dict[str, Distribution] = {}
    for terms, days in (("Net 30", 30), ("Net 60", 60)):
        term = days * DAY
        late = rng.random(n) < truth.LATE_PAYMENT_SHARE
        lateness = rng.gamma(truth_number(truth.LATENESS, "shape"), truth_number(truth.LATENESS, "scale"), n)
        on_time = term * rng.uniform(*truth.ON_TIME_SHARE_OF_TERM, n)
        out[terms] = Empirical.from_sample(np.where(late, term + lateness, on_time))
    return out


def _reps(scale: int) -> dict[str, list[str]]:
    return {region: [f"{rep} {k}" if k > 1 else rep for k in range(1, scale + 1)
                     for rep, _ in reps] for region, reps in truth.REPS.items()}


def _attribute_rows(rng: np.random.Generator, reps: dict[str, list[str]], n: int
                    ) -> tuple[tuple[str, ...], tuple[tuple[object, ...], ...]]:
    columns = ("lead_source", "region", "product_category", "amount", "payment_terms",
               "discount", "contract_type", "owner")
    sources = list(truth.LEAD_SOURCES)
    source_p = [truth.LEAD_SOURCES[s]["share"] for s in sources]
    regions, region_p = list(truth.REGIONS), list(truth.REGIONS.values())
    products = list(truth.PRODUCTS)
    product_p = [truth_number(truth.PRODUCTS[p], "share") for p in products]
    rows = []
    for _ in range(n):
        region = regions[rng.choice(len(regions), p=region_p)]
        product = products[rng.choice(len(products), p=product_p)]
        spec = truth.PRODUCTS[product]
        amount = max(round(float(rng.lognormal(math.log(truth_number(spec, "median_amount")),
                                               truth.AMOUNT_SIGMA)), -2), 500.0)
        net60 = min(truth.NET60_SHARE * (2.0 if amount > 50_000 else 1.0), 0.9)
        discount = float(np.clip(rng.normal(truth.DISCOUNT_MEAN[product],
                                            truth.DISCOUNT_SPREAD), 0, 0.25))
        rows.append((sources[rng.choice(len(sources), p=source_p)], region, product, amount,
                     "Net 60" if rng.random() < net60 else "Net 30", round(discount * 200) / 200,
                     spec["contract"], reps[region][int(rng.integers(len(reps[region])))]))
    return columns, tuple(rows)


def l2c_model(scale: int = 1, rows: int = 2000, trend: float = truth.MONTHLY_GROWTH
              ) -> ProcessModel:
    """The sample's true process as a ``ProcessModel``; ``scale`` multiplies lead volume,
    the number of reps and the approver and billing pools (so queues stay alike).

    Each rep's own speed cannot be expressed and is left out; the lead source's effect on
    how fast leads are qualified becomes a delay by lead source, and the payment rule (on
    time within the term, or late) an empirical delay by payment terms.
    """
    rng = np.random.default_rng(20240101)
    reps = _reps(scale)
    hours = np.zeros((7, 24))
    for day in range(7):
        for hour in range(24):
            office = 8 <= hour < 18
            hours[day, hour] = (truth.WEEKEND_FACTOR if day >= 5 else
                                1.0 if office else truth.OFF_HOURS_FACTOR)
    hourly = truth.BASE_ARRIVALS_PER_HOUR * scale * hours
    activities = {}
    for name, spec in truth.ACTIVITIES.items():
        raw_delay = spec["delay"]  # the payment rule is no distribution: set below
        delay = raw_delay if isinstance(raw_delay, dict) else truth.fixed(0.0)
        if spec["kind"] == "staffed":
            activities[name] = Activity(kind="staffed", pool=spec["pool"],
                                        processing=_dist(_part(spec, "processing")),
                                        delay=_dist(delay), delay_clock=spec["clock"],
                                        stage=spec["stage"])
        else:
            resource = None if spec["resource"] == "owner" else spec["resource"]
            activities[name] = Activity(kind=spec["kind"], delay=_dist(delay),
                                        delay_clock=spec["clock"], stage=spec["stage"],
                                        resource=resource)
    qualify_delay = truth_number(_part(truth.ACTIVITIES["Lead Qualified"], "delay"), "mean")
    activities["Lead Qualified"] = activities["Lead Qualified"].model_copy(update={
        "delay_by": AttributeDelays(attribute="lead_source", values={
            source: Exponential(scale=qualify_delay * v["speed"])
            for source, v in truth.LEAD_SOURCES.items()})})
    payment = _payment_delays(rng)
    activities["Payment Received"] = activities["Payment Received"].model_copy(update={
        "delay": payment["Net 30"],
        "delay_by": AttributeDelays(attribute="payment_terms", values=payment)})
    branches = {name: Branch(pooled=options) for name, options in truth.ROUTING.items()}
    after_lead = {s: truth.routing_after_lead(s) for s in truth.LEAD_SOURCES}
    pooled_lead = {target: sum(truth.LEAD_SOURCES[s]["share"] * after_lead[s][target]
                               for s in after_lead) for target in after_lead["Web"]}
    branches["Lead Created"] = Branch(pooled=pooled_lead, conditioned_on="lead_source",
                                      table=after_lead)
    approvals = {str(k): truth.routing_after_approval(k) for k in truth.REVISION_BY_APPROVAL}
    branches["Quote Approved"] = Branch(pooled=approvals["1"], conditioned_on="visit",
                                        table=approvals)
    reasons = {name: truth.LOST_REASONS[spec["stage"]]
               for name, spec in truth.ACTIVITIES.items()
               if spec["stage"] in truth.LOST_REASONS and name != truth.LOST}
    calendars = {pool: WeekCalendar.weekdays(int(truth_number(c, "start_hour")),
                                             int(truth_number(c, "end_hour")), int(truth_number(c, "days")))
                 for pool, c in truth.CALENDARS.items()}
    sales = tuple(rep for region in reps.values() for rep in region)
    columns, attribute_rows = _attribute_rows(rng, reps, rows)
    return ProcessModel(
        name=f"lead-to-cash (truth x{scale})", provenance=provenance(),
        arrivals=Arrivals(hourly_rate=tuple(tuple(day) for day in hourly.tolist()),
                          trend_per_month=trend, reference=START),
        attributes=CaseAttributes(columns=columns, rows=attribute_rows),
        activities=activities,
        routing=Routing(start={"Lead Created": 1.0}, branches=branches),
        pools={
            "Sales": Pool(members=sales, size=len(sales), calendar=calendars["Sales"],
                          assignment="case_owner"),
            "Approvers": Pool(members=tuple(truth.POOLS["Approvers"]), size=2 * scale,
                              calendar=calendars["Approvers"]),
            "Billing": Pool(members=tuple(truth.POOLS["Billing"]), size=2 * scale,
                            calendar=calendars["Billing"]),
        },
        outcomes=Outcomes(won=("Opportunity Won",), lost=(truth.LOST,), lost_reasons=reasons),
        owner_attribute="owner")
