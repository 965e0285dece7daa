"""A deterministic SimPy generator of the bundled lead-to-cash sample log.

It plays the true process of ``truth.py``: leads arrive by a weekday/hour profile with a
growth trend, reps, approvers and billing clerks work only inside their calendars and
serve a FIFO queue, customers answer in calendar time, quotes are revised and re-approved,
deals are lost at every stage, and won deals run through order, invoice and (sometimes late)
payment. Cases start before the log window (warm-up) and some are still open at its end,
as in a real export. The same seed always gives the same log.

A ``ChangedDelay`` plays a process change at a known date (say e-signature contracts from
month 12: the wait for the signature 60% shorter), so a backtest can be checked against a
change whose size is known.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import simpy

from calibration.sample import truth
from sim.calendar import DAY, HOUR, WeekCalendar, WorkingClock
from sim.eventlog import (
    ACCOUNT,
    ACTIVITY,
    AMOUNT,
    CASE_ID,
    CONTRACT_TYPE,
    DISCOUNT,
    END,
    LEAD_SOURCE,
    LOST_REASON,
    OUTCOME,
    PAYMENT_TERMS,
    PRODUCT_CATEGORY,
    REGION,
    RESOURCE,
    STAGE,
    START,
    EventLog,
)
from sim.log_meta import LogMeta

AVERAGE_MONTH = 30.44 * DAY


@dataclass(frozen=True)
class ChangedDelay:
    """From ``day`` of the log on, the delay before ``activity`` is ``scale`` times as long."""

    activity: str
    day: float
    scale: float


def draw(spec: truth.DurationSpec, rng: np.random.Generator) -> float:
    """One value of a distribution written in ``truth``'s parameter names."""
    kind = spec["kind"]
    if kind == "fixed":
        return float(spec["value"])
    if kind == "exponential":
        return float(rng.exponential(spec["mean"]))
    if kind == "gamma":
        return float(rng.gamma(spec["shape"], spec["scale"]))
    if kind == "lognormal":
        return float(rng.lognormal(spec["mu"], spec["sigma"]))
    raise ValueError(f"unknown distribution kind {kind!r}")


def pick(options: dict[str, float], rng: np.random.Generator) -> str:
    names = list(options)
    return names[int(rng.choice(len(names), p=np.array(list(options.values()))))]


def arrival_times(rng: np.random.Generator, first: float, last: float) -> np.ndarray:
    """Lead arrival times (seconds from the log start) in [first, last): a Poisson process
    whose rate follows the weekday/hour profile and grows month by month."""
    hours = np.arange(np.floor(first / HOUR), np.ceil(last / HOUR))
    hour_of_week = (hours % 168).astype(int)
    weekday, hour_of_day = hour_of_week // 24, hour_of_week % 24
    office = (hour_of_day >= 8) & (hour_of_day < 18)
    profile = np.where(weekday >= 5, truth.WEEKEND_FACTOR,
                       np.where(office, 1.0, truth.OFF_HOURS_FACTOR))
    growth = 1.0 + truth.MONTHLY_GROWTH * (hours * HOUR / AVERAGE_MONTH)
    counts = rng.poisson(truth.BASE_ARRIVALS_PER_HOUR * profile * growth)
    starts = np.repeat(hours * HOUR, counts)
    times = np.sort(starts + rng.uniform(0.0, HOUR, size=starts.size))
    return times[(times >= first) & (times < last)]


@dataclass
class Case:
    """One opportunity being generated: its attributes and what has happened so far."""

    case_id: str
    rng: np.random.Generator
    attributes: dict[str, object]
    owner: str
    speed: float
    lead_source: str  # also among ``attributes``: what routing and delays read
    approvals: int = 0
    stage: str = "Qualify"
    outcome: str | None = None
    lost_reason: str | None = None


@dataclass
class Pools:
    """Named people per pool, handed out first come, first served."""

    env: simpy.Environment
    stores: dict[str, simpy.Store] = field(default_factory=dict)
    clocks: dict[str, WorkingClock] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for pool, spec in truth.CALENDARS.items():
            self.clocks[pool] = WeekCalendar.weekdays(
                spec["start_hour"], spec["end_hour"], spec["days"]).clock
        for member in truth.POOLS["Sales"]:  # a rep works on their own deals only
            self.stores[member] = self._store([member])
        for pool in ("Approvers", "Billing"):
            self.stores[pool] = self._store(truth.POOLS[pool])

    def _store(self, members: list[str]) -> simpy.Store:
        store = simpy.Store(self.env)
        store.items.extend(members)
        return store


class SampleGenerator:
    """Runs the true process once and returns the event log it leaves behind."""

    def __init__(self, seed: int = truth.SEED, change: ChangedDelay | None = None) -> None:
        self.seed = seed
        self.change = change
        self.offset = truth.WARMUP_DAYS * DAY  # simulation seconds at the log's start
        self.env = simpy.Environment()
        self.pools = Pools(self.env)
        self.events: list[tuple[str, str, float, float, str, str]] = []
        self.cases: list[Case] = []

    def run(self) -> EventLog:
        root = np.random.SeedSequence(self.seed)
        arrivals_seed, cases_seed = root.spawn(2)
        first, last = -truth.WARMUP_DAYS * DAY, truth.LOG_DAYS * DAY
        # Simulation time is seconds since the warm-up start (a Monday, like the log start).
        offset = self.offset
        times = arrival_times(np.random.default_rng(arrivals_seed), first, last) + offset
        for number, (moment, case_seed) in enumerate(
                zip(times, cases_seed.spawn(len(times)), strict=True)):
            case = self._new_case(f"OPP-{100001 + number}", np.random.default_rng(case_seed))
            self.cases.append(case)
            self.env.process(self._run_case(case, moment))
        self.env.run(until=offset + last)
        return self._event_log(offset)

    def _new_case(self, case_id: str, rng: np.random.Generator) -> Case:
        source = pick({s: v["share"] for s, v in truth.LEAD_SOURCES.items()}, rng)
        region = pick(truth.REGIONS, rng)
        owner, speed = truth.REPS[region][int(rng.integers(len(truth.REPS[region])))]
        product = pick({p: v["share"] for p, v in truth.PRODUCTS.items()}, rng)
        spec = truth.PRODUCTS[product]
        amount = round(float(rng.lognormal(np.log(spec["median_amount"]), truth.AMOUNT_SIGMA)), -2)
        net60 = truth.NET60_SHARE * (2.0 if amount > 50_000 else 1.0)
        terms = "Net 60" if rng.random() < min(net60, 0.9) else "Net 30"
        discount_mean = truth.DISCOUNT_MEAN[product] + truth.DISCOUNT_BIAS.get(owner, 0.0)
        discount = float(np.clip(rng.normal(discount_mean, truth.DISCOUNT_SPREAD), 0.0, 0.25))
        words = [w[int(rng.integers(len(w)))] for w in truth.ACCOUNT_WORDS]
        attributes = {
            LEAD_SOURCE: source, REGION: region, PRODUCT_CATEGORY: product,
            AMOUNT: max(amount, 500.0), PAYMENT_TERMS: terms,
            DISCOUNT: round(discount * 200) / 200, CONTRACT_TYPE: spec["contract"],
            ACCOUNT: " ".join(words),
        }
        return Case(case_id, rng, attributes, owner, speed, source)

    def _run_case(self, case: Case, arrival: float) -> Generator[simpy.Event, object, None]:
        yield self.env.timeout(arrival)
        self._record(case, "Lead Created", arrival, arrival)
        current = "Lead Created"
        while (following := self._next_activity(case, current)) is not None:
            current = following
            yield from self._perform(case, current)

    def _next_activity(self, case: Case, current: str) -> str | None:
        if current in (truth.LOST, "Payment Received"):
            return None
        if current == "Lead Created":
            options = truth.routing_after_lead(case.lead_source)
        elif current == "Quote Approved":
            case.approvals += 1
            options = truth.routing_after_approval(case.approvals)
        else:
            options = truth.ROUTING[current]
        return pick(options, case.rng)

    def _perform(self, case: Case, activity: str) -> Generator[simpy.Event, object, None]:
        spec = truth.ACTIVITIES[activity]
        delay = self._delay(case, activity, spec)
        if spec["kind"] != "staffed":
            yield self.env.timeout(delay)
            resource = case.owner if spec["resource"] == "owner" else spec["resource"]
            self._record(case, activity, self.env.now, self.env.now, resource)
            return
        pool = spec["pool"]
        clock = self.pools.clocks[pool]
        store = self.pools.stores[case.owner if pool == "Sales" else pool]
        yield self.env.timeout(clock.advance(self.env.now, delay) - self.env.now)
        member = yield store.get()
        start = clock.next_open(self.env.now)
        work = draw(spec["processing"], case.rng) * (case.speed if pool == "Sales" else 1.0)
        end = clock.advance(start, work)
        yield self.env.timeout(end - self.env.now)
        store.put(member)
        self._record(case, activity, start, end, str(member))

    def _delay(self, case: Case, activity: str, spec: truth.ActivitySpec) -> float:
        rule = spec["delay"]
        if isinstance(rule, str):  # payment terms (Payment Received)
            term = (60 if case.attributes[PAYMENT_TERMS] == "Net 60" else 30) * DAY
            if case.rng.random() < truth.LATE_PAYMENT_SHARE:
                return term + draw(truth.LATENESS, case.rng)
            return term * case.rng.uniform(*truth.ON_TIME_SHARE_OF_TERM)
        delay = draw(rule, case.rng)
        if activity == "Lead Qualified":
            delay *= truth.LEAD_SOURCES[case.lead_source]["speed"]
        change = self.change
        if change is not None and activity == change.activity and (
                self.env.now >= self.offset + change.day * DAY):
            delay *= change.scale
        return delay

    def _record(self, case: Case, activity: str, start: float, end: float,
                resource: str | None = None) -> None:
        stage = truth.ACTIVITIES[activity]["stage"]
        if activity == truth.LOST:
            case.outcome = "Lost"
            case.lost_reason = pick(truth.LOST_REASONS[case.stage], case.rng)
        elif activity == "Opportunity Won":
            case.outcome = "Won"
        case.stage = stage
        self.events.append((case.case_id, activity, start, end,
                            resource or truth.ACTIVITIES[activity]["resource"], stage))

    def _event_log(self, offset: float) -> EventLog:
        origin = pd.Timestamp(truth.LOG_START)
        events = pd.DataFrame(self.events, columns=[CASE_ID, ACTIVITY, START, END, RESOURCE,
                                                    STAGE])
        for column in (START, END):
            seconds = (events[column] - offset).round()
            events[column] = origin + pd.to_timedelta(seconds, unit="s")
        events = events[events[START] >= origin]
        events = events.sort_values([CASE_ID, START, END], kind="stable").reset_index(drop=True)
        seen = set(events[CASE_ID])
        cases = pd.DataFrame(
            [{CASE_ID: c.case_id, OUTCOME: c.outcome, LOST_REASON: c.lost_reason,
              **c.attributes} for c in self.cases if c.case_id in seen]).set_index(CASE_ID)
        return EventLog(events=events, cases=cases, name="bundled lead-to-cash sample",
                        meta=LogMeta(seed=self.seed, log_end=str(origin + pd.Timedelta(
                            days=truth.LOG_DAYS))))


def generate(seed: int = truth.SEED, change: ChangedDelay | None = None) -> EventLog:
    """The bundled sample log (deterministic for a given seed), with ``change`` if given."""
    return SampleGenerator(seed, change).run()
