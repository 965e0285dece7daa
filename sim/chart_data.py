"""The shape of the chart data a study keeps for each member, as the type checker sees it.

The sections of plain values (months to amounts, weeks, KPI curves) stay JSON-ready
dictionaries, named here with the type of their values, so a renderer reads
``charts[member].get("cash")`` as months to amounts instead of ``object``; the process maps
are typed rows (``MapStep``, ``MapChange``, ``MapPart``). A saved comparison stores the data
with ``to_json`` and reads it back with ``member_charts``: the only two places that know
the stored shape. A section may be missing: an older saved comparison lacks the newer ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from typing import TypedDict, cast

from sim.materiality import finite_number

Interval = list[float]  # [low, high], the 95% interval across replications
StepKey = tuple[str, str, str]  # kind, source, target


class WeeklySeries(TypedDict):
    """One measure week by week (``sim.over_time``): the mean across replications per week
    ('2024-01-01') and, from two replications on, its interval."""

    mean: dict[str, float]
    ci: dict[str, Interval]


@dataclass(frozen=True)
class MapPlace:
    """Where on a map: an activity (``kind`` "node", ``target`` "") or a transition
    ("arc", ``sim.process_map.START`` and ``END`` for a case's start and end)."""

    kind: str
    source: str
    target: str

    @property
    def key(self) -> StepKey:
        return self.kind, self.source, self.target


@dataclass(frozen=True)
class MapStep(MapPlace):
    """A place on a member's map (``sim.process_map.summarise``): how often a run passes it
    and the mean over the runs of its median work or wait in days (None: no run timed it,
    as a case's start and end)."""

    count: float
    median: float | None

    @classmethod
    def from_dict(cls, row: Mapping[str, object]) -> MapStep:
        """A stored row read back; a figure stored as text or null read as unknown."""
        return cls(*_place(row), finite_number(row.get("count")) or 0.0,
                   finite_number(row.get("median")))


@dataclass(frozen=True)
class MapChange(MapPlace):
    """A place's median against the baseline's (``sim.process_map.differences``): the mean
    paired difference in days and its 95% interval (None from fewer than two pairs)."""

    diff: float
    ci_low: float | None
    ci_high: float | None

    @classmethod
    def from_dict(cls, row: Mapping[str, object]) -> MapChange:
        """A stored row read back; a figure stored as text or null read as unknown."""
        return cls(*_place(row), finite_number(row.get("diff")) or 0.0,
                   finite_number(row.get("ci_low")), finite_number(row.get("ci_high")))


def _place(row: Mapping[str, object]) -> StepKey:
    return str(row.get("kind", "")), str(row.get("source", "")), str(row.get("target", ""))


@dataclass(frozen=True)
class MapPart:
    """The map of one part of a member's cases (``sim.process_map.summarise_parts``)."""

    filter: str  # "attribute", "variant" or "month"
    by: str  # the attribute ("" for a variant or a month)
    value: str  # its value, the variant's path or the month ('2024-03')
    cases: float  # a run's cases in the part, on average over the runs that have it
    runs: int
    map: list[MapStep] = field(default_factory=list)
    diff: list[MapChange] | None = None  # against the baseline's part (a scenario's only)

    @property
    def part(self) -> StepKey:
        return self.filter, self.by, self.value

    def to_dict(self) -> dict[str, object]:
        """The stored row: ``diff`` only for a scenario's part, as it was always kept."""
        return {k: v for k, v in asdict(self).items() if k != "diff" or v is not None}

    @classmethod
    def from_dict(cls, row: Mapping[str, object]) -> MapPart:
        diff = row.get("diff")
        return cls(str(row.get("filter", "")), str(row.get("by", "")),
                   str(row.get("value", "")), finite_number(row.get("cases")) or 0.0,
                   int(finite_number(row.get("runs")) or 0),
                   [MapStep.from_dict(r) for r in _rows(row.get("map"))],
                   None if diff is None else [MapChange.from_dict(r) for r in _rows(diff)])


class MemberCharts(TypedDict, total=False):
    """One study member's chart data, by section."""

    cycle_times: dict[str, list[float]]  # KPI -> days at each share of the quantile grid
    cycle_band: dict[str, list[list[float]]]  # KPI -> [lows, highs] along the same grid
    funnel: dict[str, float]  # stage -> share of closed cases reaching it
    funnel_ci: dict[str, Interval]
    waiting: dict[str, float]  # activity -> median wait before it (days)
    waiting_ci: dict[str, Interval]
    cash: dict[str, float]  # month ('2024-03') -> cash received
    cash_ci: dict[str, Interval]
    utilisation: dict[str, float]  # pool -> busy share of its working time
    utilisation_ci: dict[str, Interval]
    partial_months: list[str]  # months only partly inside the run
    over_time: dict[str, WeeklySeries]  # series key ('queue:Approvers') -> its weeks
    over_time_history: dict[str, WeeklySeries]  # the baseline's only: the history's weeks
    process_map: list[MapStep]  # ``sim.process_map.summarise``
    process_map_diff: list[MapChange]  # ``sim.process_map.differences``
    process_map_parts: list[MapPart]  # ``sim.process_map.summarise_parts``


Charts = Mapping[str, MemberCharts]  # member name -> its chart data


def to_json(charts: Charts) -> dict[str, dict[str, object]]:
    """Chart data as a saved comparison stores it: plain values, the map rows as dicts."""
    found: dict[str, dict[str, object]] = {}
    for name, data in charts.items():
        stored: dict[str, object] = dict(data)
        if "process_map" in data:
            stored["process_map"] = [asdict(row) for row in data["process_map"]]
        if "process_map_diff" in data:
            stored["process_map_diff"] = [asdict(row) for row in data["process_map_diff"]]
        if "process_map_parts" in data:
            stored["process_map_parts"] = [p.to_dict() for p in data["process_map_parts"]]
        found[name] = stored
    return found


def member_charts(stored: Mapping[str, object]) -> dict[str, MemberCharts]:
    """Chart data read back from storage (``to_json``), typed once here at the boundary."""
    found: dict[str, MemberCharts] = {}
    for name, data in stored.items():
        if not isinstance(data, Mapping):
            continue
        charts = cast(MemberCharts, dict(data))
        if "process_map" in data:
            charts["process_map"] = [MapStep.from_dict(r) for r in _rows(data["process_map"])]
        if "process_map_diff" in data:
            charts["process_map_diff"] = [MapChange.from_dict(r)
                                          for r in _rows(data["process_map_diff"])]
        if "process_map_parts" in data:
            charts["process_map_parts"] = [MapPart.from_dict(r)
                                           for r in _rows(data["process_map_parts"])]
        found[str(name)] = charts
    return found


def _rows(stored: object) -> list[Mapping[str, object]]:
    """The rows of a stored list (anything else: none)."""
    return [r for r in stored if isinstance(r, Mapping)] if isinstance(stored, list) else []


def renamed(charts: Charts, member: Callable[[str], str], activity: Callable[[str], str]
            ) -> dict[str, MemberCharts]:
    """The chart data with its members and the activities of its waits named for a reader
    (in Japanese, an activity a scenario added carries a Japanese suffix)."""
    found: dict[str, MemberCharts] = {}
    for name, data in charts.items():
        copy = data.copy()
        if "waiting" in copy:
            copy["waiting"] = {activity(a): v for a, v in copy["waiting"].items()}
        if "waiting_ci" in copy:
            copy["waiting_ci"] = {activity(a): v for a, v in copy["waiting_ci"].items()}
        found[member(name)] = copy
    return found
