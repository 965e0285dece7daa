"""The shape of the chart data a study keeps for each member, as the type checker sees it.

The data stays JSON-ready dictionaries (a saved comparison stores it as it is and reads it
back with ``member_charts``), but every section is named here with the type of its values,
so a renderer reads ``charts[member].get("cash")`` as months to amounts instead of
``object``. A section may be missing: an older saved comparison lacks the newer ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypedDict, cast

Interval = list[float]  # [low, high], the 95% interval across replications


class WeeklySeries(TypedDict):
    """One measure week by week (``sim.over_time``): the mean across replications per week
    ('2024-01-01') and, from two replications on, its interval."""

    mean: dict[str, float]
    ci: dict[str, Interval]


class MapPart(TypedDict, total=False):
    """The map of one part of a member's cases (``sim.process_map.summarise_parts``)."""

    filter: str  # "attribute", "variant" or "month"
    by: str  # the attribute ("" for a variant or a month)
    value: str  # its value, the variant's path or the month ('2024-03')
    cases: float  # a run's cases in the part, on average over the runs that have it
    runs: int
    map: list[dict[str, object]]  # as ``process_map``
    diff: list[dict[str, object]]  # as ``process_map_diff`` (a scenario's only)


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
    process_map: list[dict[str, object]]  # ``sim.process_map.summarise``
    process_map_diff: list[dict[str, object]]  # ``sim.process_map.differences``
    process_map_parts: list[MapPart]  # ``sim.process_map.summarise_parts``


Charts = Mapping[str, MemberCharts]  # member name -> its chart data


def member_charts(stored: Mapping[str, object]) -> dict[str, MemberCharts]:
    """Chart data read back from storage (JSON written from ``MemberCharts``), typed once
    here at the boundary."""
    return {str(name): cast(MemberCharts, data) for name, data in stored.items()
            if isinstance(data, Mapping)}


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
