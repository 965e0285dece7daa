"""KPIs a user defines in a small YAML file: the time from one step to another.

A process owner's own question ("how long from approval to the signed contract?") needs no
code: a KPI file names the steps, by activity or by lead-to-cash role, and the statistic::

    kpis:
      - id: approval_to_contract
        name: Approval to contract
        from: quote_approved        # a role or an activity
        to: Contract Signed
        statistic: median           # median, mean or p90
        per: case                   # case: first 'from' to the first 'to' after it;
                                    # occurrence: every 'from' to the next 'to'

The KPIs travel with the log and the model (so simulated logs measure them too) and read as
``custom:<id>`` in every table, comparison and target.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.errors import PlannerError, did_you_mean
from sim.kpi_roles import ROLES, name_key
from sim.kpis.catalogue import BY_KIND
from sim.kpis.durations import each_to_next
from sim.kpis.observed import Observed
from sim.kpis.result import KpiResult, distribution, make, unavailable

FIELDS = ("id", "name", "from", "to", "statistic", "per")


class CustomKpi(BaseModel):
    """One user-defined duration between two steps."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    id: str = Field(pattern=r"^[A-Za-z0-9_]+$", max_length=60)
    name: str = Field(min_length=1, max_length=200)
    start: str = Field(alias="from", min_length=1)
    end: str = Field(alias="to", min_length=1)
    statistic: Literal["median", "mean", "p90"] = "median"
    per: Literal["case", "occurrence"] = "case"


def _steps(obs: Observed, step: str) -> np.ndarray:
    """Mask of the events of a step: a role's activities, or an activity by name."""
    if step in ROLES:
        return obs.is_role(step)
    names = [i for i, a in enumerate(obs.activities) if name_key(a) == name_key(step)]
    return np.isin(obs.activity, names)


def _durations(obs: Observed, kpi: CustomKpi, start: np.ndarray, end: np.ndarray
               ) -> np.ndarray:
    if kpi.per == "case":
        since = obs.per_case(start, obs.start, "min")
        until = obs.per_case(end & (obs.start >= since[obs.case]), obs.end, "min")
        return (until - since)[~np.isnan(until)]
    return each_to_next(obs, start, end)


def measure(obs: Observed, kpi: CustomKpi) -> KpiResult:
    """The KPI on one observed log: the chosen statistic of its durations, in days."""
    family = BY_KIND["custom"]
    start, end = _steps(obs, kpi.start), _steps(obs, kpi.end)
    absent = [step for step, mask in ((kpi.start, start), (kpi.end, end)) if not mask.any()]
    if absent:
        return unavailable(family, " and ".join(f"no '{s}' in this log" for s in absent),
                           kpi.id, kpi.name)
    found = distribution(family, _durations(obs, kpi, start, end),
                         f"no case in this log went from '{kpi.start}' to '{kpi.end}'", kpi.id)
    if not found.available:
        return unavailable(family, found.note.removeprefix("not available: "), kpi.id, kpi.name)
    value = {"median": found.median, "mean": found.mean, "p90": found.p90}[kpi.statistic]
    return make(family, found.n, float(value or 0.0), kpi.id, kpi.name, mean=found.mean,
                median=found.median, p90=found.p90, quantiles=found.quantiles)


def load_custom_kpis(path: Path) -> tuple[CustomKpi, ...]:
    """The KPIs of a KPI file; a bad entry is named with its key and a did-you-mean."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PlannerError(f"{path}: cannot read the KPI file ({error}).") from None
    return parse_custom_kpis(text, str(path))


def parse_custom_kpis(text: str, source: str) -> tuple[CustomKpi, ...]:
    """The KPIs of a KPI file's text (an upload has no path); ``source`` names it."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise PlannerError(f"{source}: cannot read the KPI file ({error}).") from None
    entries = data.get("kpis") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise PlannerError(f"{source}: write the KPIs as a list under 'kpis:', e.g. kpis: [{{id: "
                           "approval_to_contract, name: Approval to contract, from: "
                           "quote_approved, to: contract_signed}].")
    kpis = []
    for number, entry in enumerate(entries):
        where = f"{source}: kpis[{number}]"
        unknown = [k for k in entry if k not in FIELDS] if isinstance(entry, dict) else []
        if unknown:
            raise PlannerError(f"{where}: unknown key '{unknown[0]}'."
                               f"{did_you_mean(str(unknown[0]), FIELDS)} Keys: "
                               f"{', '.join(FIELDS)}.")
        try:
            kpis.append(CustomKpi.model_validate(entry))
        except ValidationError as error:
            problem = error.errors()[0]
            key = ".".join(str(p) for p in problem["loc"]) or "entry"
            raise PlannerError(f"{where}.{key}: {problem['msg']} (got "
                               f"{problem.get('input')!r}).") from None
    ids = [k.id for k in kpis]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise PlannerError(f"{source}: the KPI id '{twice[0]}' is used twice; give each its own.")
    return tuple(kpis)
