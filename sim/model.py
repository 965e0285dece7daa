"""The process model: the one contract between calibration and simulation.

Calibration writes it, scenarios change copies of it, the engine runs it. It is a tree of
frozen, validated pydantic objects saved as readable JSON (short lists on one line, so a
person can diff and edit it), with a schema version and the provenance of the log it was
learned from. Times are seconds; ``working`` durations run on the pool's calendar, and
``calendar`` ones on the wall clock (customers, deliveries, systems).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Literal, Self

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    ValidationError,
    model_serializer,
    model_validator,
)

from sim.calendar import HOURS_PER_WEEK, WeekCalendar
from sim.distributions import Distribution
from sim.errors import PlannerError, did_you_mean
from sim.kpi_roles import ROLES, ActivityRoles
from sim.kpis.custom import CustomKpi
from sim.summer_time import SummerRule

SCHEMA_VERSION = 3  # 2: the lead-to-cash roles (``roles``); 3: the tuning record
READABLE_VERSIONS = (1, 2, SCHEMA_VERSION)  # older files read as having no roles, no tuning
END = "(end)"  # the routing target that ends a case
MISSING = "(none)"  # the table key of a case attribute with no value
VISIT = "visit"  # Branch.conditioned_on: how often the case has done the activity
MAX_VISIT = 3  # visits 3 and more share one key ("3")
NEXT = "next"  # AttributeDelays.attribute: what the case does after the activity
PREVIOUS = "previous"  # Branch.conditioned_on: the activity the case did just before
FIRST = "(start)"  # the PREVIOUS key of an activity that began its case
HISTORY = "history"  # Branch.conditioned_on: the two activities the case did before
PATH_SEPARATOR = " → "  # between the two activities of a HISTORY key
AROUND = "around"  # AttributeDelays.attribute: the activity before and the one after
AHEAD = (NEXT, AROUND)  # factors that depend on what follows: the engine draws it first
LEVEL_SEPARATOR = " | "  # between the two factors' values in a key of AttributeDelays.also
Clock = Literal["working", "calendar"]
ActivityKind = Literal["staffed", "customer", "system"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TuningTrial(Frozen):
    """One structure tried on the validation split: its options, its log distances to the
    validation cases, and its score (geometric mean of the distances against the first
    structure tried's: below 1 is closer)."""

    options: dict[str, object]
    distances: dict[str, float]
    score: float


class Tuning(Frozen):
    """How the model's structure was chosen: learned from the cases begun before
    ``split_date``, simulated over the rest, scored; ``chosen`` the options kept."""

    split_date: str
    learned_cases: int
    validation_cases: int
    replications: int
    chosen: dict[str, object]
    score: float = Field(description="The chosen structure's score (1: the first tried).")
    trials: tuple[TuningTrial, ...]


class Provenance(Frozen):
    """Where the model came from, so a result can always be traced to its log."""

    source: str = Field(description="File name of the event log.")
    fingerprint: str = Field(description="SHA-256 of the log file's bytes.")
    period_start: str = Field(description="First timestamp of the log (ISO 8601).")
    period_end: str = Field(description="Last timestamp of the log (ISO 8601).")
    cases: int
    events: int
    open_cases: int = Field(description="Cases still running at the end of the log.")
    options: dict[str, object] = Field(default_factory=dict,
                                       description="Fitting options used.")
    library: str = Field(description="Planner version that fitted the model.")
    tuning: Tuning | None = Field(default=None, description="The validation split that chose "
                                                            "the structure, when tuned.")


class Arrivals(Frozen):
    """New cases: a Poisson process whose hourly rate follows the week and a monthly trend,
    or (``process="renewal"``) gaps drawn one after another from ``interarrival``.

    ``hourly_rate[d][h]`` is the expected number of new cases on weekday ``d`` (0 Monday) in
    hour ``h`` at the reference date; the rate is multiplied by
    ``exp(trend_per_month * months since reference)`` (a month is 30.44 days). A renewal
    process uses the hourly rates only to tell open hours (rate > 0) from closed ones: each
    gap runs on the wall clock from the previous arrival, and an arrival that falls in a
    closed hour moves to the next open one, as in Prosimos; the trend does not apply.
    """

    hourly_rate: tuple[tuple[float, ...], ...]
    trend_per_month: float = 0.0
    reference: str = Field(description="Date (ISO 8601) where the trend factor is 1.")
    trend_until: str | None = Field(
        default=None, description="Last date (ISO 8601) the trend was seen; later the rate "
                                  "stays at that date's level (growth is not extrapolated).")
    monthly_counts: dict[str, int] = Field(default_factory=dict,
                                           description="Observed new cases per month.")
    interarrival: Distribution | None = Field(
        default=None, description="Inter-arrival time (seconds): for reference with the "
                                  "poisson process, the gaps themselves with renewal.")
    process: Literal["poisson", "renewal"] = Field(
        default="poisson",
        description="poisson: the hourly rate with its trend, for models learned from logs; "
                    "renewal: gaps drawn from interarrival, counted on the wall clock from the "
                    "previous arrival and moved to the next open hour (hourly_rate > 0) when "
                    "they end in a closed one, like Prosimos (imported models).")

    @model_validator(mode="after")
    def _check(self) -> Self:
        if len(self.hourly_rate) != 7 or any(len(day) != 24 for day in self.hourly_rate):
            raise ValueError("hourly_rate needs 7 weekdays (Mon..Sun) of 24 hourly rates")
        week = self.week_profile()
        if week.min() < 0 or week.sum() <= 0:
            raise ValueError("hourly_rate must be >= 0 with at least one positive hour")
        if self.process == "renewal" and (self.interarrival is None
                                          or not self.interarrival.mean() > 0):
            raise ValueError("a renewal process needs interarrival, with a mean gap > 0")
        return self

    def week_profile(self) -> np.ndarray:
        """The 168 hourly rates of the week, Monday 00:00-01:00 first."""
        return np.asarray(self.hourly_rate, dtype=float).reshape(HOURS_PER_WEEK)


class CaseAttributes(Frozen):
    """Historical combinations of case attributes, resampled whole so correlations survive
    (a referral lead from the North with a large software deal stays one draw)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str | float | None, ...], ...]
    weights: tuple[float, ...] | None = Field(
        default=None, description="Relative chance of drawing each row (None: all equal); "
                                  "scenarios change the mix of segments this way.")

    @model_validator(mode="after")
    def _check(self) -> Self:
        bad = [i for i, row in enumerate(self.rows) if len(row) != len(self.columns)]
        if bad:
            raise ValueError(f"attribute rows {bad[:5]} do not have {len(self.columns)} values")
        if self.weights is not None and (
                len(self.weights) != len(self.rows) or min(self.weights, default=0) < 0
                or sum(self.weights) <= 0):
            raise ValueError("weights need one value >= 0 per row, with a positive sum")
        return self


class AttributeDelays(Frozen):
    """A delay that depends on a case attribute (payment days by payment terms), with
    ``attribute`` "previous" on the activity the case did just before (a follow-up call
    waits days after the last call, but none after the application), or with "visit" on how
    often the case has been here (keys "1", "2", "3" meaning 3 or more: a third round of
    rework waits longer than the first), or with "next" on what the case does after it
    (an activity, or "(end)"): an application completed only after a long wait for the
    customer's papers is more often the last step than one completed the same day. With
    "around" on both, keys "A → B" for the activity before (A) and after (B): the first
    follow-up call comes the moment an offer is sent, a second one days later, and a call
    that ends the case later still. The engine chooses what follows before the wait and
    keeps that choice. With ``also`` a second factor, the keys hold both values, "k1 | k2"
    (a follow-up call waits longer the first time than the fifth), and a pair seen too
    rarely falls back on the key of the first factor alone. The delay per key, the
    activity's own ``delay`` for any other."""

    attribute: str
    also: str | None = None
    values: dict[str, Distribution]

    @property
    def factors(self) -> tuple[str, ...]:
        return (self.attribute,) if self.also is None else (self.attribute, self.also)

    @property
    def label(self) -> str:
        """What the delay depends on, as ``l2c model`` names it."""
        return " + ".join(self.factors)

    @property
    def ahead(self) -> bool:
        """Whether the delay depends on what follows, so that is drawn before it."""
        return any(factor in AHEAD for factor in self.factors)


class CandidateScore(Frozen):
    """How well one distribution family described the observed durations."""

    family: str
    aic: float | None = None
    bic: float | None = None
    ks_pvalue: float | None = None
    note: str | None = None


class FitReport(Frozen):
    """Why a duration distribution was chosen, with every candidate's goodness of fit."""

    n: int
    chosen: str
    candidates: tuple[CandidateScore, ...] = ()


class BatchRelease(Frozen):
    """Runs that release waiting cases on a few dates (invoice runs, monthly dunning, yearly
    credit collection): a case's wait is set by the calendar of runs, not by a delay.

    Runs fall on ``reference + k * every_days`` for any whole ``k``; each takes the cases
    that have waited at least ``min_age_days`` since their previous activity.
    """

    every_days: float = Field(gt=0, description="Typical interval between two runs (days).")
    reference: str = Field(description="Date (ISO 8601) of one run, the last one seen; the "
                                       "other runs are whole intervals before or after it.")
    min_age_days: float = Field(ge=0, description="Days since the previous activity before "
                                                  "a case is taken by a run.")
    dates: tuple[str, ...] = Field(default=(), description="Run dates seen in the log.")

    @model_validator(mode="after")
    def _check(self) -> Self:
        try:
            dt.datetime.fromisoformat(self.reference)
        except ValueError:
            raise ValueError(f"batch reference {self.reference!r} is not an ISO 8601 date "
                             f"like 2013-04-24") from None
        return self


class Activity(Frozen):
    """One activity: who does it, the work it takes, and the delay before it can start."""

    kind: ActivityKind = Field(description="staffed: needs a person from `pool`; customer and "
                                           "system activities are instant events after a delay")
    pool: str | None = None
    processing: Distribution | None = Field(
        default=None, description="Work time in working seconds of the pool's calendar.")
    delay: Distribution = Field(description="Time from the end of the previous activity until "
                                            "this one is ready to start.")
    delay_clock: Clock = "calendar"
    delay_by: AttributeDelays | None = None
    stage: str | None = None
    resource: str | None = Field(default=None,
                                 description="Resource written for non-staffed activities.")
    count: int = Field(default=0, description="Instances seen in the log.")
    processing_fit: FitReport | None = None
    delay_fit: FitReport | None = None
    batch: BatchRelease | None = Field(
        default=None, description="Released in runs: the case waits `batch.min_age_days`, "
                                  "then for the next run, instead of drawing `delay`.")

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.kind == "staffed" and (self.pool is None or self.processing is None):
            raise ValueError("a staffed activity needs a pool and a processing time")
        return self


class Branch(Frozen):
    """What follows an activity: next activity (or END) -> probability.

    ``conditioned_on`` is None, ``"visit"`` (how many times the case has done this activity:
    keys "1", "2", "3" meaning 3 or more), ``"previous"`` (the activity the case did just
    before this one, "(start)" if none: a second-order chain, so the next step follows the
    case's recent path), ``"history"`` (the two activities before, keys "A → B" for A then B,
    backing off to the keys "B" of the activity just before where a pair was not seen) or a
    case attribute; ``table`` then holds the probabilities per key, shrunk towards
    ``pooled`` where a key has few cases.
    """

    pooled: dict[str, float]
    observations: int = 0
    conditioned_on: str | None = None
    table: dict[str, dict[str, float]] = Field(default_factory=dict)
    table_observations: dict[str, int] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> Self:
        for key, probabilities in [("pooled", self.pooled), *self.table.items()]:
            total = sum(probabilities.values())
            if abs(total - 1.0) > 1e-6 or min(probabilities.values(), default=0) < 0:
                raise ValueError(f"branch probabilities '{key}' must be >= 0 and sum to 1 "
                                 f"(sum {total:.6f})")
        return self

    def options(self, visit: int, attributes: dict[str, object],
                previous: str | None = None, earlier: str | None = None) -> dict[str, float]:
        """The probabilities that apply to a case at its ``visit``-th time here, having done
        ``earlier`` and then ``previous`` just before (None: nothing before)."""
        if self.conditioned_on == VISIT:
            return self.table.get(visit_key(visit), self.pooled)
        if self.conditioned_on == PREVIOUS:
            return self.table.get(FIRST if previous is None else previous, self.pooled)
        if self.conditioned_on == HISTORY:
            last = FIRST if previous is None else previous
            pair = history_key(FIRST if earlier is None or previous is None else earlier, last)
            return self.table.get(pair) or self.table.get(last, self.pooled)
        if self.conditioned_on is not None:
            return self.table.get(attribute_key(attributes.get(self.conditioned_on)),
                                  self.pooled)
        return self.pooled


def history_key(earlier: str, previous: str) -> str:
    """The table key of a path: ``earlier`` and then ``previous``."""
    return f"{earlier}{PATH_SEPARATOR}{previous}"


def visit_key(visit: int) -> str:
    """The table key of a case's ``visit``-th time at an activity."""
    return str(min(visit, MAX_VISIT))


def visit_keys(visits: np.ndarray) -> np.ndarray:
    """``visit_key`` of many visits at once."""
    return np.minimum(visits, MAX_VISIT).astype(str)


def attribute_key(value: object) -> str:
    """A case attribute's value as a table key. A missing value is a value of its own (a
    fine never sent has no notification type, and is paid, not collected)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    return str(value)


class Routing(Frozen):
    """Control flow: the first activity of a case and what follows each activity."""

    start: dict[str, float]
    branches: dict[str, Branch]
    parallel: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="Lead activity -> companions that start together with it and run at the "
                    "same time; once all are done the case continues from the lead's branch.")


class Pool(Frozen):
    """A role whose members do staffed activities, working only inside their calendar."""

    members: tuple[str, ...]
    size: int = Field(ge=1, description="How many can work at once; scenarios change it.")
    calendar: WeekCalendar
    assignment: Literal["any", "case_owner"] = Field(
        default="any", description="case_owner: each case is served by its own member "
                                   "(the rep who owns the deal); any: first free member.")
    speed: dict[str, float] = Field(
        default_factory=dict, description="Member -> factor on work times (1.3: takes 30% "
                                          "longer than the pool's typical member); 1 if absent.")


class Outcomes(Frozen):
    """Which activities close a case as won or lost, and why lost deals were lost."""

    won: tuple[str, ...] = ()
    lost: tuple[str, ...] = ()
    lost_reasons: dict[str, dict[str, float]] = Field(
        default_factory=dict, description="Activity before the loss -> reason -> share.")


class CaseVariant(Frozen):
    """How the process differs for the cases of one segment: a scenario's changes made for
    them only ("automated invoicing for small deals"). A case drawing one of ``rows`` of
    the case attributes runs the model with these activities, branches and start instead
    of the model's own; every other case runs the model as it is."""

    segment: dict[str, str] = Field(description="Attribute -> value the cases share, e.g. "
                                                "{lead_source: Web} (said, not matched).")
    rows: tuple[int, ...] = Field(description="The attribute rows whose cases follow it.")
    activities: dict[str, Activity] = Field(default_factory=dict)
    branches: dict[str, Branch] = Field(default_factory=dict)
    start: dict[str, float] | None = None


class ProcessModel(Frozen):
    """Everything the engine needs to replay a lead-to-cash process."""

    schema_version: int = SCHEMA_VERSION
    name: str = "process model"
    provenance: Provenance
    timezone: str | None = None
    summer_time: SummerRule | None = Field(
        default=None, description="The summer-time rule of the local clock the model runs "
                                  "on, when the log's clock does not keep it; simulated times "
                                  "are given back on the log's clock.")
    arrivals: Arrivals
    attributes: CaseAttributes
    activities: dict[str, Activity]
    routing: Routing
    pools: dict[str, Pool]
    outcomes: Outcomes = Outcomes()
    owner_attribute: str | None = Field(
        default=None, description="Case attribute naming the member of a case_owner pool.")
    roles: dict[str, tuple[str, ...]] = Field(
        default_factory=dict, description="Lead-to-cash role -> the activities that play it "
                                          "(detected or mapped at calibration); a role not "
                                          "listed is found by its built-in names.")
    kpis: tuple[CustomKpi, ...] = Field(
        default=(), description="The user's own KPIs (a KPI file), measured on every "
                                "simulated log of the model.")
    variants: tuple[CaseVariant, ...] = Field(
        default=(), description="Segments whose cases run a changed process (a scenario's "
                                "change made for one segment); none in a learned model.")

    @model_serializer(mode="wrap")
    def _without_no_variants(self, handler: SerializerFunctionWrapHandler) -> dict:
        """A model without variants is written as before they existed (same file, same
        cache key)."""
        data = handler(self)
        if not self.variants:
            data.pop("variants", None)
        return data

    def variant_model(self, variant: CaseVariant) -> ProcessModel:
        """The model as the cases of ``variant`` run it."""
        routing = self.routing.model_copy(update={
            "branches": {**self.routing.branches, **variant.branches},
            **({"start": variant.start} if variant.start is not None else {})})
        return self.model_copy(update={"activities": {**self.activities, **variant.activities},
                                       "routing": routing, "variants": ()})

    @model_validator(mode="after")
    def _check_variants(self) -> Self:
        for number, variant in enumerate(self.variants):
            where = f"variants[{number}]"
            for name in [*variant.activities, *variant.branches]:
                if name not in self.activities:
                    raise ValueError(f"{where} changes unknown activity '{name}'."
                                     f"{did_you_mean(name, self.activities)}")
            if any(not 0 <= row < len(self.attributes.rows) for row in variant.rows):
                raise ValueError(f"{where}.rows: every row must be one of the "
                                 f"{len(self.attributes.rows)} attribute rows")
            try:
                self.variant_model(variant)._check_names()
            except ValueError as error:
                raise ValueError(f"{where}: {error}") from None
        return self

    @model_validator(mode="after")
    def _check_references(self) -> Self:
        return self._check_names()

    def _check_names(self) -> Self:
        """Every pool, activity and role the model names exists in it."""
        known = set(self.activities)
        for name, activity in self.activities.items():
            if activity.pool is not None and activity.pool not in self.pools:
                raise ValueError(f"activity '{name}' uses pool '{activity.pool}', which is not "
                                 f"defined.{did_you_mean(activity.pool, self.pools)}")
        targets = [("routing.start", t) for t in self.routing.start]
        for source, branch in self.routing.branches.items():
            if source not in known:
                raise ValueError(f"routing.branches has unknown activity '{source}'."
                                 f"{did_you_mean(source, known)}")
            for probabilities in [branch.pooled, *branch.table.values()]:
                targets += [(f"routing.branches['{source}']", t) for t in probabilities]
        for source, parallel in self.routing.parallel.items():
            targets += [(f"routing.parallel['{source}']", t) for t in parallel]
        for where, target in targets:
            if target != END and target not in known:
                raise ValueError(f"{where} leads to unknown activity '{target}'."
                                 f"{did_you_mean(target, known)}")
        for role, names in self.roles.items():
            if role not in ROLES:
                raise ValueError(f"roles has unknown role '{role}'.{did_you_mean(role, ROLES)}")
            for name in names:
                if name not in known:
                    raise ValueError(f"roles['{role}'] names unknown activity '{name}'."
                                     f"{did_you_mean(name, known)}")
        return self

    def activity_roles(self) -> ActivityRoles:
        """Which activities play which lead-to-cash role in this model: its own mapping
        over the roles in effect."""
        return ActivityRoles.default().with_overrides(self.roles)

    def to_json(self) -> str:
        return compact_json(self.model_dump(mode="json"))

    def save(self, path: str | Path) -> Path:
        target = Path(path)
        target.write_text(self.to_json() + "\n", encoding="utf-8")
        return target

    @classmethod
    def from_json(cls, text: str, source: str = "model") -> ProcessModel:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise PlannerError(f"{source} is not valid JSON (line {error.lineno}, column "
                               f"{error.colno}): {error.msg}.") from None
        version = data.get("schema_version") if isinstance(data, dict) else None
        if version not in READABLE_VERSIONS or isinstance(version, bool):
            raise PlannerError(f"{source} has schema_version {version!r}; this planner reads "
                               f"versions {', '.join(map(str, READABLE_VERSIONS))}. Calibrate "
                               f"the log again with 'l2c calibrate'.")
        data = {**data, "schema_version": SCHEMA_VERSION}  # read as the current version
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            raise PlannerError(f"{source} is not a valid process model:\n"
                               f"{explain(error)}") from None

    @classmethod
    def load(cls, path: str | Path) -> ProcessModel:
        source = Path(path)
        if not source.is_file():
            raise PlannerError(f"No process model at {source}. Make one with "
                               f"'l2c calibrate LOG -o {source.name}'.")
        return cls.from_json(source.read_text(encoding="utf-8"), str(source))


def explain(error: ValidationError) -> str:
    """One line per problem, with the key path a person can find in the file."""
    lines = []
    for problem in error.errors()[:10]:
        path = ".".join(str(p) for p in problem["loc"])
        lines.append(f"  - {path or '(top level)'}: {problem['msg']}")
    return "\n".join(lines)


SIGNIFICANT_DIGITS = 7  # enough for seconds over years and for probabilities


def compact_json(value: object, indent: int = 0) -> str:
    """JSON with one key per line but short lists of plain values on one line, and numbers
    to seven significant digits so a person can read and diff them."""
    pad = "  " * (indent + 1)
    if isinstance(value, dict) and value:
        items = [f"{pad}{json.dumps(k, ensure_ascii=False)}: {compact_json(v, indent + 1)}"
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + "  " * indent + "}"
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        items = [pad + compact_json(v, indent + 1) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + "  " * indent + "]"
    if isinstance(value, list):
        return "[" + ", ".join(compact_json(v) for v in value) + "]"
    if isinstance(value, float) and math.isfinite(value):
        return json.dumps(float(f"{value:.{SIGNIFICANT_DIGITS}g}"))
    return json.dumps(value, ensure_ascii=False)
