"""A saved target's answer as tables and words, read from what was saved (no simulation).

The terminal (``l2c saved show``), the exports (CSV, Excel, HTML) and the app's Saved page
show a kept answer through these, so they agree with each other and with the answer as it
was first given: the goal, each answer with its KPI and interval, whether it reaches the
target and how sure that is, its cost, the levers of a proposed mix, the sensitivity table,
and the business case when costs were given.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from sim.business_case import BusinessCase
from ui import report_format as fmt

Row = dict[str, object]


def _answer(target: Mapping[str, object]) -> object:
    return target.get("answer")


def question(target: Mapping[str, object]) -> Mapping[str, object]:
    found = target.get("question")
    return found if isinstance(found, Mapping) else {}


def goal_text(target: Mapping[str, object]) -> str:
    """'Sales cycle, median: 23.3 days → 17.5 days (-25%)'."""
    answer = _answer(target)
    first = answer[0] if isinstance(answer, list) and answer else answer
    if not isinstance(first, Mapping):
        return ""
    unit = str(first.get("unit") or "days")
    label = str(question(target).get("label") or first.get("kpi"))
    stat = str(first.get("stat") or "")
    return (f"{label}{'' if stat == 'value' else f', {stat}'}: "
            f"{fmt.value_text(unit, first.get('baseline'))} → "
            f"{fmt.value_text(unit, first.get('target'))} "
            f"({float(first.get('target_change') or 0):+.0%})")


def _verdict(found: Mapping[str, object]) -> str:
    if found.get("confident"):
        return "yes, with confidence"
    return "on average only" if found.get("reached") else "no"


def answer_frame(target: Mapping[str, object]) -> pd.DataFrame:
    """One row per answer: each goal seek, or the proposed mix (its levers joined)."""
    answer = _answer(target)
    if isinstance(answer, list):
        found = [(str(a.get("label")), str(a.get("change_label")), a) for a in answer]
    elif isinstance(answer, Mapping) and isinstance(answer.get("combination"), Mapping):
        mix: Mapping[str, object] = answer["combination"]
        levers = mix.get("levers")
        found = [("proposed mix", "; ".join(f"{x['label']}: {x['change_label']}"
                                            for x in levers if isinstance(x, Mapping))
                  if isinstance(levers, list) else "", mix)]
    else:
        found = []
    rows = [{"answer": name, "setting": setting, "value": a.get("value"),
             "ci_low": a.get("ci_low"), "ci_high": a.get("ci_high"),
             "pct_change": a.get("pct_change"), "reached": _verdict(a),
             "confidence": a.get("confidence"), "more_replications": a.get("more_replications"),
             "cost": a.get("cost"), "cost_unit": a.get("cost_unit", target.get("cost_unit"))}
            for name, setting, a in found]
    return pd.DataFrame(rows, columns=["answer", "setting", "value", "ci_low", "ci_high",
                                       "pct_change", "reached", "confidence",
                                       "more_replications", "cost", "cost_unit"])


def mix_frame(target: Mapping[str, object]) -> pd.DataFrame:
    """The proposed mix lever by lever, with each lever's cost."""
    answer = _answer(target)
    mix = answer.get("combination") if isinstance(answer, Mapping) else None
    levers = mix.get("levers") if isinstance(mix, Mapping) else None
    return pd.DataFrame([{"lever": x["label"], "id": x["lever"], "setting": x["change_label"],
                          "cost": x["cost"]} for x in levers or []],
                        columns=["lever", "id", "setting", "cost"])


def sensitivity_frame(target: Mapping[str, object]) -> pd.DataFrame:
    """Each lever alone at its standard step (the ranking behind a proposed mix)."""
    answer = _answer(target)
    rows = answer.get("tornado") if isinstance(answer, Mapping) else None
    columns = ["label", "lever", "step", "value", "diff", "ci_low", "ci_high", "pct_change",
               "cost"]
    return pd.DataFrame([{k: r.get(k) for k in columns} for r in rows or []], columns=columns)


def cases(target: Mapping[str, object]) -> list[tuple[str, BusinessCase]]:
    """Each answer's business case (given costs), titled by the answer."""
    answer = _answer(target)
    found: list[tuple[str, object]] = (
        [(str(a.get("label")), a.get("business_case")) for a in answer]
        if isinstance(answer, list) else
        [("proposed mix", (answer.get("combination") or {}).get("business_case"))]
        if isinstance(answer, Mapping) else [])
    return [(title, BusinessCase.from_dict(case)) for title, case in found
            if isinstance(case, Mapping) and case]


def left_out(target: Mapping[str, object]) -> list[str]:
    """The levers that were not the owner's (the customer's own waits), by name."""
    answer = _answer(target)
    rows = answer.get("not_controllable") if isinstance(answer, Mapping) else None
    return [f"{r['label']} ({r['why']})" for r in rows or []]


def cost_text(value: object, unit: object) -> str:
    """A saved cost as the answer said it: '-9,143 EUR per month' or '3 units'."""
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return fmt.MISSING
    return f"{value:,.0f} {unit}" if "month" in str(unit) else f"{value:g} {unit}"
