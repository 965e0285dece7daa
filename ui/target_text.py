"""A saved target's answer as tables and words, read from what was saved (no simulation).

The terminal (``l2c saved show``), the exports (CSV, Excel, HTML) and the app's Saved page
show a kept answer through these, so they agree with each other and with the answer as it
was first given: the goal, each answer with its KPI and interval, whether it reaches the
target and how sure that is, its cost, the levers of a proposed mix, the sensitivity table,
and the business case when costs were given.

A saved comparison keeps the answer as ``l2c target --format json`` wrote it (goal seeks: a
list, one object per lever; otherwise one object with the sensitivity table and the
proposed ``combination``). ``KeptTarget.of`` reads it once into typed rows; every reader
takes those.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from sim.business_case import BusinessCase
from ui import report_format as fmt

MIX = "proposed mix"  # the title of a combination's answer
ANSWER_COLUMNS = ["answer", "setting", "value", "ci_low", "ci_high", "pct_change", "reached",
                  "confidence", "more_replications", "cost", "cost_unit"]
SENSITIVITY_COLUMNS = ["label", "lever", "step", "value", "diff", "ci_low", "ci_high",
                       "pct_change", "cost"]


def _number(value: object) -> float | None:
    """A figure as saved (an int stays an int, so the exports write it as they did); None
    for missing, text or not finite."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value if math.isfinite(value) else None


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _rows(value: object) -> list[Mapping[str, object]]:
    return [r for r in value if isinstance(r, Mapping)] if isinstance(value, list) else []


@dataclass(frozen=True)
class Goal:
    """What the answer aims at: the KPI's statistic from its baseline to the target."""

    kpi: str
    label: str  # as the question named it (else the KPI's id)
    stat: str
    unit: str
    baseline: float | None
    target: float | None
    change: float  # the target's relative change: -0.25

    def text(self) -> str:
        """'Sales cycle, median: 23.3 days → 17.5 days (-25%)'."""
        return (f"{self.label}{'' if self.stat == 'value' else f', {self.stat}'}: "
                f"{fmt.value_text(self.unit, self.baseline)} → "
                f"{fmt.value_text(self.unit, self.target)} ({self.change:+.0%})")


@dataclass(frozen=True)
class Answer:
    """One answer: a goal seek's lever at the setting found, or the proposed mix."""

    title: str  # the lever, or ``MIX``
    setting: str  # the lever's change, or each lever of the mix with its change
    value: float | None  # the KPI's statistic with it, and its 95% interval
    ci_low: float | None
    ci_high: float | None
    pct_change: float | None
    reached: bool  # on average
    confident: bool  # with the confidence asked for
    confidence: float | None
    more_replications: int | None  # the replications that would make it sure
    cost: float | None
    cost_unit: str
    business_case: BusinessCase | None  # given costs

    @property
    def verdict(self) -> str:
        if self.confident:
            return "yes, with confidence"
        return "on average only" if self.reached else "no"

    @classmethod
    def of(cls, title: str, setting: str, row: Mapping[str, object], cost_unit: str
           ) -> Answer:
        more, case = _number(row.get("more_replications")), row.get("business_case")
        return cls(title, setting, _number(row.get("value")), _number(row.get("ci_low")),
                   _number(row.get("ci_high")), _number(row.get("pct_change")),
                   bool(row.get("reached")), bool(row.get("confident")),
                   _number(row.get("confidence")), None if more is None else int(more),
                   _number(row.get("cost")), _text(row.get("cost_unit", cost_unit)),
                   BusinessCase.from_dict(case) if isinstance(case, Mapping) and case
                   else None)


@dataclass(frozen=True)
class MixLever:
    """One lever of the proposed mix, its setting and what it costs."""

    label: str
    lever: str  # its id
    setting: str
    cost: float | None


@dataclass(frozen=True)
class Sensitivity:
    """One lever alone at its standard step (the ranking behind a proposed mix)."""

    label: str
    lever: str
    step: str
    value: float | None
    diff: float | None
    ci_low: float | None
    ci_high: float | None
    pct_change: float | None
    cost: float | None


@dataclass(frozen=True)
class KeptTarget:
    """A saved target's answer, typed."""

    question: Mapping[str, object]  # what was asked, as asked (kpi, stat, change, unit, ...)
    cost_unit: str
    goal: Goal | None = None
    answers: list[Answer] = field(default_factory=list)
    mix: list[MixLever] = field(default_factory=list)
    sensitivity: list[Sensitivity] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # levers not the owner's, and why

    @property
    def unit(self) -> str:
        return _text(self.question.get("unit")) or "days"

    @classmethod
    def of(cls, target: Mapping[str, object]) -> KeptTarget:
        """A saved target (``scenarios.target.keep``) read once."""
        found = target.get("question")
        question: Mapping[str, object] = found if isinstance(found, Mapping) else {}
        cost_unit, answer = _text(target.get("cost_unit")), target.get("answer")
        if isinstance(answer, list):
            seeks = _rows(answer)
            return cls(question, cost_unit, _goal(seeks[0] if seeks else None, question), [
                Answer.of(_text(a.get("label")), _text(a.get("change_label")), a, cost_unit)
                for a in seeks])
        if not isinstance(answer, Mapping):
            return cls(question, cost_unit)
        mix = answer.get("combination")
        levers = _rows(mix.get("levers")) if isinstance(mix, Mapping) else []
        setting = "; ".join(f"{x['label']}: {x['change_label']}" for x in levers)
        return cls(
            question, cost_unit, _goal(answer, question),
            [Answer.of(MIX, setting if isinstance(mix.get("levers"), list) else "", mix,
                       cost_unit)] if isinstance(mix, Mapping) else [],
            [MixLever(_text(x["label"]), _text(x["lever"]), _text(x["change_label"]),
                      _number(x["cost"])) for x in levers],
            [Sensitivity(_text(r.get("label")), _text(r.get("lever")), _text(r.get("step")),
                         *(_number(r.get(k)) for k in SENSITIVITY_COLUMNS[3:]))
             for r in _rows(answer.get("tornado"))],
            [f"{r['label']} ({r['why']})" for r in _rows(answer.get("not_controllable"))])

    def answer_frame(self) -> pd.DataFrame:
        """One row per answer: each goal seek, or the proposed mix."""
        return pd.DataFrame([
            {"answer": a.title, "setting": a.setting, "value": a.value, "ci_low": a.ci_low,
             "ci_high": a.ci_high, "pct_change": a.pct_change, "reached": a.verdict,
             "confidence": a.confidence, "more_replications": a.more_replications,
             "cost": a.cost, "cost_unit": a.cost_unit} for a in self.answers],
            columns=ANSWER_COLUMNS)

    def mix_frame(self) -> pd.DataFrame:
        """The proposed mix lever by lever, with each lever's cost."""
        return pd.DataFrame([{"lever": x.label, "id": x.lever, "setting": x.setting,
                              "cost": x.cost} for x in self.mix],
                            columns=["lever", "id", "setting", "cost"])

    def sensitivity_frame(self) -> pd.DataFrame:
        """Each lever alone at its standard step."""
        return pd.DataFrame([{k: getattr(r, k) for k in SENSITIVITY_COLUMNS}
                             for r in self.sensitivity], columns=SENSITIVITY_COLUMNS)

    def cases(self) -> list[tuple[str, BusinessCase]]:
        """Each answer's business case (given costs), titled by the answer."""
        return [(a.title, a.business_case) for a in self.answers
                if a.business_case is not None]

    def goal_text(self) -> str:
        return "" if self.goal is None else self.goal.text()


def _goal(first: Mapping[str, object] | None, question: Mapping[str, object]) -> Goal | None:
    """The goal as the first answer states it (a seek's, or the mix's object)."""
    if first is None:
        return None
    return Goal(_text(first.get("kpi")), _text(question.get("label") or first.get("kpi")),
                _text(first.get("stat")), _text(first.get("unit")) or "days",
                _number(first.get("baseline")), _number(first.get("target")),
                float(_number(first.get("target_change")) or 0))


def cost_text(value: float | None, unit: str) -> str:
    """A saved cost as the answer said it: '-9,143 EUR per month' or '3 units'."""
    if value is None:
        return fmt.MISSING
    return f"{value:,.0f} {unit}" if "month" in unit else f"{value:g} {unit}"
