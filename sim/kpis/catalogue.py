"""Every KPI the planner reports, defined once.

A KPI is either one figure of the whole log (``sales_cycle``) or a family with one result
per item (``waiting_time:Quote Approved``: one per activity, resource or stage). Its entry
here says what it is called, what it measures, its unit, which direction is better, the
block it is shown in, its rank among the headline KPIs and how large a difference must be
to earn a verdict. The computation, the verdicts (``sim.materiality``), every renderer and
the translations look a KPI up here by its kind, so adding a KPI is one entry here, its
function in ``sim.kpis`` and its translation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import MappingProxyType

LOWER, NEITHER, HIGHER = -1, 0, 1  # which direction of a KPI is better
POINTS = 100.0  # a rate's threshold is read in percentage points
TAIL = ".p90"  # the id suffix of a duration's P90 twin in the fidelity checks


@dataclass(frozen=True)
class Rule:
    """A practical threshold: an amount in the KPI's reading unit (days, percentage points,
    cases, money) and/or a share of the baseline; with both, whichever is smaller, so a
    change counts when it is large in absolute or in relative terms."""

    absolute: float | None = None
    relative: float | None = None

    def amount(self, unit: str, baseline: float | None) -> float:
        """The threshold in the unit of the KPI's values (rates as shares, not points)."""
        found = []
        if self.absolute is not None:
            found.append(self.absolute / POINTS if unit == "share" else self.absolute)
        if self.relative is not None and baseline is not None and math.isfinite(baseline):
            found.append(self.relative * abs(baseline))
        return min(found) if found else 0.0


DURATION_RULE = Rule(absolute=0.5, relative=0.01)  # half a day or 1%
RATE_RULE = Rule(absolute=1.0)  # one percentage point
AMOUNT_RULE = Rule(relative=0.01)  # counts, cases, money: 1%
# The invoice lag's own: a quarter of a day or 5%. An invoice that leaves a few hours later
# leaves on the same day, and the payment terms count from that day; 1% of a three-day lag
# (43 minutes) is what other levers move it by through the billing clerks' queue, and no
# decision turns on it.
INVOICE_LAG_RULE = Rule(absolute=0.25, relative=0.05)


def unit_rule(unit: str) -> Rule:
    """The default practical threshold of a KPI in this unit."""
    return {"days": DURATION_RULE, "share": RATE_RULE}.get(unit, AMOUNT_RULE)


@dataclass(frozen=True)
class Span:
    """A duration from the first of ``start`` (roles by preference) to the earliest of
    ``end`` after it; ``won_only`` counts won cases only."""

    start: tuple[str, ...]
    end: tuple[str, ...]
    won_only: bool = False


@dataclass(frozen=True)
class Section:
    """A block of per-item KPIs, and how its tables head their columns."""

    id: str  # the kind of its KPIs; "" for the headline block
    title: str  # "Waiting time before each activity"
    short: str  # the app's prefix of one row: "Waiting before: Quote Approved"
    item: str  # what one row is: activity, resource, stage
    value: str = "value"  # the value column of ``l2c kpis``
    n: str = "n"  # what ``n`` counts
    caption: str = ""
    detail: str = ""  # added to the title in ``l2c kpis``

    @property
    def table_title(self) -> str:
        return f"{self.title} ({self.detail})" if self.detail else self.title


@dataclass(frozen=True)
class KpiDefinition:
    """One KPI, or one family of per-item KPIs (``section`` names its block)."""

    kind: str  # the id, or the part of a family's ids before ":"
    name: str  # the short name: "Sales cycle"
    definition: str  # what it measures, in one sentence (tooltips, reports)
    unit: str
    better: int  # HIGHER, LOWER or NEITHER
    section: str = ""  # "" for a headline KPI (ranked by its place in KPIS)
    title: str = ""  # the label's head when it is longer than the name
    detail: str = ""  # the label's bracket: "opportunity created to won"
    item_label: str = ""  # a family's label of one item: "Waiting time before {}"
    span: Span | None = None  # durations between two roles (the window a lever must touch)
    worse_items: frozenset[str] = frozenset()  # items of a family where ``better`` flips
    threshold: Rule | None = None  # None: the unit's default (``unit_rule``)
    needs: tuple[tuple[str, ...], ...] = ()  # roles it measures beyond its span: one of each
    target: bool = False  # Targets can aim at it (levers move it in a known direction)
    # where its change comes among the Compare page's sentences (end to end first; None:
    # after these, the largest relative change first)
    sentence_rank: int | None = None
    cycle_chart: bool = False  # its cases' days are charted as a distribution (Compare, report)

    @property
    def label(self) -> str:
        """The label results carry: ``Sales cycle (opportunity created to won)``."""
        head = self.title or self.name
        return f"{head} ({self.detail})" if self.detail else head

    def label_of(self, item: str) -> str:
        """The label of one item of a family."""
        return self.item_label.format(item)

    @property
    def rule(self) -> Rule:
        return self.threshold or unit_rule(self.unit)

    def direction(self, item: str | None = None) -> int:
        return -self.better if item in self.worse_items else self.better

    @property
    def roles(self) -> tuple[tuple[str, ...], ...]:
        """The roles it cannot be measured without: one of each group."""
        span = () if self.span is None else (self.span.start, self.span.end)
        return span + self.needs

    def measurable(self, present: Iterable[str]) -> bool:
        """Whether a log or model with these roles has what this KPI measures."""
        found = set(present)
        return all(found.intersection(group) for group in self.roles)


OUTCOME_ROLES = ("opportunity_won", "payment_received", "opportunity_lost")  # say how deals end

KPIS: tuple[KpiDefinition, ...] = (
    # the headline KPIs, in the order a process owner reads them
    KpiDefinition("lead_to_opportunity", "Lead to opportunity",
                  "Days from the lead's creation to the opportunity's creation.", "days", LOWER,
                  span=Span(("lead_created",), ("opportunity_created",)), target=True),
    KpiDefinition("sales_cycle", "Sales cycle",
                  "Days from the opportunity's creation to its close (won or lost).", "days",
                  LOWER, detail="opportunity created to won",
                  span=Span(("opportunity_created",), ("contract_signed", "opportunity_won"),
                            won_only=True), target=True, sentence_rank=1, cycle_chart=True),
    KpiDefinition("quote_approval", "Quote approval",
                  "Days from a quote's creation to its approval, per quote.", "days", LOWER,
                  detail="quote created to approved, per quote",
                  span=Span(("quote_created",), ("quote_approved",)), target=True),
    KpiDefinition("quote_revisions", "Quotes per case",
                  "Quotes created per closed case, mean over cases (1 = no revision).",
                  "count", LOWER, detail="1 = no revision", needs=(("quote_created",),)),
    KpiDefinition("quote_to_order", "Quote to order",
                  "Days from the first quote to the sales order.", "days", LOWER,
                  detail="first quote to sales order",
                  span=Span(("quote_created",), ("order_created",)), target=True,
                  sentence_rank=6),
    KpiDefinition("contract_time", "Contract time",
                  "Days from the quote's acceptance to the signed contract.", "days", LOWER,
                  detail="quote accepted to contract signed",
                  span=Span(("quote_accepted",), ("contract_signed",)), target=True),
    KpiDefinition("fulfilment_time", "Fulfilment time",
                  "Days from the sales order to its fulfilment.", "days", LOWER,
                  detail="sales order to fulfilled",
                  span=Span(("order_created",), ("order_fulfilled",)), target=True),
    KpiDefinition("invoice_lag", "Invoice lag",
                  "Days from fulfilment to the invoice being sent.", "days", LOWER,
                  detail="fulfilled to invoice sent",
                  span=Span(("order_fulfilled",), ("invoice_sent",)), target=True,
                  threshold=INVOICE_LAG_RULE),
    KpiDefinition("payment_days", "Payment days",
                  "Days from the invoice being sent to the payment received.", "days", LOWER,
                  detail="invoice sent to payment received",
                  span=Span(("invoice_sent",), ("payment_received",)), target=True,
                  sentence_rank=5),
    KpiDefinition("order_to_cash", "Order to cash",
                  "Days from the sales order to the payment received.", "days", LOWER,
                  detail="sales order to payment received",
                  span=Span(("order_created",), ("payment_received",)), target=True,
                  sentence_rank=2, cycle_chart=True),
    KpiDefinition("lead_to_cash", "Lead to cash",
                  "Days from the lead (else the opportunity) being created to the payment "
                  "received.", "days", LOWER,
                  detail="lead, else opportunity, created to payment received",
                  span=Span(("lead_created", "opportunity_created"), ("payment_received",)),
                  target=True, sentence_rank=0, cycle_chart=True),
    KpiDefinition("win_rate", "Win rate",
                  "Won cases as a share of closed cases (won or lost).", "share", HIGHER,
                  detail="won / closed", needs=(OUTCOME_ROLES,), target=True,
                  sentence_rank=3),
    KpiDefinition("rework_rate", "Rework rate",
                  "Share of closed cases in which some activity was repeated.", "share", LOWER,
                  detail="closed cases with a repeated activity", needs=(OUTCOME_ROLES,)),
    KpiDefinition("throughput", "Throughput",
                  "Cases closed per month over the period (in a log that states no outcome: "
                  "cases not open at its end).",
                  "per_month", HIGHER, detail="cases closed per month", target=True),
    KpiDefinition("wip", "Work in progress",
                  "Work in progress: the mean number of cases open at a time, each counted "
                  "from its first event to its end.", "cases", LOWER, detail="mean open cases"),
    KpiDefinition("revenue_won", "Revenue won",
                  "Amount of the deals won, per month, in the currency of the data.",
                  "money_per_month", HIGHER, title="Revenue won per month",
                  needs=(OUTCOME_ROLES,), target=True),
    KpiDefinition("cash_collected", "Cash collected",
                  "Payments received (net of discounts), per month, in the currency of the "
                  "data.", "money_per_month", HIGHER, title="Cash collected per month",
                  needs=(("payment_received",),), target=True, sentence_rank=4),
    # headline KPIs of any process, whatever its activities
    KpiDefinition("case_duration", "Case duration",
                  "Days from a finished case's first event to its last (closed cases; in a "
                  "log that states no outcome, cases not open at its end).",
                  "days", LOWER, detail="first to last event, finished cases", target=True),
    KpiDefinition("cases_started", "Cases started",
                  "New cases per month over the period (in a run of a number of cases, over the "
                  "weeks they arrived in): the demand on the process.",
                  "per_month", NEITHER, detail="new cases per month"),
    KpiDefinition("custom", "Your KPI",
                  "Days from one step to another as your KPI file defines it (its statistic: "
                  "median, mean or P90).", "days", LOWER, item_label="{}"),
    # families: one result per activity, resource or stage
    KpiDefinition("waiting_time", "Waiting time",
                  "Days a case waits before the activity starts, after the previous one ends.",
                  "days", LOWER, section="waiting_time", item_label="Waiting time before {}"),
    KpiDefinition("processing_time", "Processing time",
                  "Working time the activity itself takes, in days.", "days", LOWER,
                  section="processing_time", item_label="Processing time of {}"),
    KpiDefinition("utilisation", "Utilisation",
                  "Busy share of a person's time between their first and last event.",
                  "share", NEITHER, section="utilisation", title="Utilisation of resources",
                  detail="busy share between its first and last event; approximate: no "
                         "calendar, counted as one person",
                  item_label="Utilisation of {} (busy share between its first and last "
                             "event; approximate: no calendar, counted as one person)"),
    KpiDefinition("pool_utilisation", "Pool utilisation",
                  "Busy share of a pool's working time in a simulated run: the hours its "
                  "people worked out of the hours their calendar opens, mean over the days.",
                  "share", NEITHER, section="pool_utilisation", title="Utilisation of pools",
                  item_label="Utilisation of the pool {}"),
    KpiDefinition("funnel", "Funnel", "Share of closed cases that reached the stage.",
                  "share", HIGHER, section="funnel", item_label="Closed cases reaching '{}'",
                  worse_items=frozenset({"opportunity_lost"}), needs=(OUTCOME_ROLES,)),
    KpiDefinition("loss_at", "Where lost deals stopped",
                  "Share of lost deals whose last step before the loss was this activity.",
                  "share", NEITHER, section="loss_at",
                  item_label="Lost deals whose last step was {}", needs=(("opportunity_lost",),)),
    KpiDefinition("frequency", "Activity frequency",
                  "How many times the activity happens per case, mean over cases.", "count",
                  NEITHER, section="frequency", item_label="{} per case"),
)

SECTIONS: tuple[Section, ...] = (
    Section("", "Headline KPIs", "Headline", "KPI", "value", "n",
            "value: the median for durations, the share for rates, the mean for counts and "
            "levels; n: the cases (quotes for quote approval) it rests on; P90: 9 in 10 take "
            "at most this long."),
    Section("waiting_time", "Waiting time before each activity", "Waiting before", "activity",
            "median", "events"),
    Section("processing_time", "Processing time of each activity", "Work time", "activity",
            "median", "events"),
    Section("utilisation", "Resource utilisation", "Utilisation", "resource", "busy share",
            "events",
            "Busy share between the resource's first and last event; approximate: no working "
            "calendar, and each name counts as one person."),
    Section("pool_utilisation", "Utilisation of each pool", "Pool busy", "pool", "busy share",
            "days", "Busy share of the pool's working time (its calendar, all its people); "
            "only a simulated run knows its pools."),
    Section("funnel", "Funnel: closed cases reaching each stage", "Funnel", "stage", "share",
            "closed cases"),
    Section("loss_at", "Where lost deals stopped", "Lost at", "last step", "share",
            "lost deals", detail="their last step before the loss"),
    Section("frequency", "Activity frequencies", "Per case", "activity", "per case", "events"),
)

BY_KIND: MappingProxyType[str, KpiDefinition] = MappingProxyType({k.kind: k for k in KPIS})
SECTION_BY_ID: MappingProxyType[str, Section] = MappingProxyType({s.id: s for s in SECTIONS})
HEADLINE: tuple[str, ...] = tuple(k.kind for k in KPIS if not k.section)


@dataclass(frozen=True)
class KpiRef:
    """What an id says: the kind, the item of a family, and whether it is a P90 twin."""

    kind: str
    item: str | None = None
    tail: bool = False
    definition: KpiDefinition | None = field(default=None, compare=False)

    @property
    def section(self) -> str | None:
        """The block the KPI is shown in ("" for headline), None for an unknown kind."""
        return None if self.definition is None else self.definition.section

    @property
    def headline(self) -> bool:
        return self.section == ""

    @property
    def block(self) -> str:
        """"" for a headline KPI, else the kind of the block it is shown in (an unknown
        kind: a block of its own)."""
        return "" if self.headline else self.kind


def kpi_id(kind: str, item: str | None = None) -> str:
    """The id of a KPI: ``sales_cycle``, ``waiting_time:Quote Approved``."""
    return kind if item is None else f"{kind}:{item}"


def ref(kpi: str) -> KpiRef:
    """The kind and item of an id as stored in saved rows and JSON (the one place that
    reads an id)."""
    base = kpi.removesuffix(TAIL)
    kind, sep, item = base.partition(":")
    return KpiRef(kind, item if sep else None, base != kpi, BY_KIND.get(kind))


def is_headline(kpi: str) -> bool:
    """Whether an id is a headline KPI (a whole-log figure of the catalogue's first block)."""
    return ref(kpi).headline


def definition_of(kind: str) -> KpiDefinition | None:
    return BY_KIND.get(kind)


def section_of(kind: str) -> Section:
    """The block of a kind's KPIs (unknown kinds read as headline figures)."""
    found = BY_KIND.get(kind)
    return SECTION_BY_ID.get(found.section if found else "", SECTIONS[0])


def headline_rank(kind: str) -> int:
    """Where a headline KPI comes in reading order (unknown ones last)."""
    return HEADLINE.index(kind) if kind in HEADLINE else len(HEADLINE)


def sentence_rank(kind: str) -> int:
    """Where a headline KPI's change comes among the Compare page's sentences: the end-to-end
    KPIs first, in their ``sentence_rank`` order; the others after them."""
    found = BY_KIND.get(kind)
    return len(KPIS) if found is None or found.sentence_rank is None else found.sentence_rank


def cycle_charted() -> tuple[str, ...]:
    """The KPIs whose cases' days are charted as a distribution, in reading order."""
    return tuple(k.kind for k in KPIS if k.cycle_chart)


def direction(kpi: str, unit: str = "") -> int:
    """HIGHER when a higher value is better, LOWER when lower is, NEITHER otherwise; a KPI
    not in the catalogue: lower for a duration of the whole log, else neither."""
    found = ref(kpi)
    if found.definition is not None:
        return found.definition.direction(found.item)
    return LOWER if unit == "days" and found.item is None else NEITHER


def rule(kpi: str, unit: str) -> Rule:
    """The practical threshold of a KPI by default: its catalogue entry's, else its unit's."""
    found = ref(kpi).definition
    return found.rule if found is not None else unit_rule(unit)


def targets(present: Iterable[str]) -> tuple[str, ...]:
    """The KPIs Targets can aim at on a model or log with these roles, in reading order."""
    found = set(present)
    return tuple(k.kind for k in KPIS if k.target and k.measurable(found))
