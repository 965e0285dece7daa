"""The summary ``l2c calibrate`` prints: what the planner learned, in a process owner's words."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from sim.distributions import Distribution
from sim.duration_text import duration_text
from sim.model import END, Activity, ProcessModel, Tuning

RARE = 0.01


def median_p90(dist: Distribution | None) -> str:
    if dist is None:
        return "—"
    median, p90 = dist.quantile([0.5, 0.9])
    return f"{duration_text(median)} / {duration_text(p90)}"


def print_model_summary(console: Console, model: ProcessModel, notes: list[str]) -> None:
    p = model.provenance
    console.rule(f"[bold]{model.name}")
    console.print(f"{p.cases:,} cases, {p.events:,} events, {p.period_start[:10]} → "
                  f"{p.period_end[:10]}; {p.open_cases:,} still open at the end")
    weekly = model.arrivals.week_profile().sum()
    console.print(f"New cases: {weekly:.1f} a week"
                  + (f", trend {model.arrivals.trend_per_month:+.1%} a month"
                     if model.arrivals.trend_per_month else ""))
    console.print(_activities(model))
    console.print(_pools(model))
    console.print(_routing(model))
    if model.provenance.tuning is not None:
        console.print(_tuning(model.provenance.tuning))
    for note in notes:
        console.print(f"[cyan]NOTE[/]     {note}", highlight=False)


def _tuning(tuning: Tuning) -> Table:
    """Every structure tried on the validation split, by what it changed, and its score."""
    from calibration.evaluate.tuning import trial_lines

    table = Table(title=f"Structures tried (learned from {tuning.learned_cases:,} cases begun "
                        f"before {tuning.split_date[:10]}, checked on the "
                        f"{tuning.validation_cases:,} since; {tuning.replications} runs each)",
                  title_justify="left")
    for column in ("structure", "log distances", "kept"):
        table.add_column(column, justify="right" if column == "log distances" else "left")
    for line in trial_lines(tuning):
        table.add_row("; ".join(line.changes) or "the default", f"{line.score:.2f}x",
                      "✓" if line.kept else "")
    return table


def _activities(model: ProcessModel) -> Table:
    table = Table(title="Activities (median / P90)", title_justify="left")
    for column in ("activity", "count", "kind", "pool", "work", "delay before", "clock",
                   "delay by"):
        table.add_column(column, justify="right" if column == "count" else "left")
    for name, activity in sorted(model.activities.items(), key=lambda kv: -kv[1].count):
        table.add_row(name, f"{activity.count:,}", activity.kind, activity.pool or "",
                      median_p90(activity.processing), _delay(activity),
                      activity.delay_clock,
                      activity.delay_by.label if activity.delay_by else "")
    return table


def _delay(activity: Activity) -> str:
    """The drawn delay, or for an activity released in runs the runs that replace it."""
    batch = activity.batch
    if batch is None:
        return median_p90(activity.delay)
    return f"runs every {batch.every_days:.0f} d, after {batch.min_age_days:.0f} d"


def _pools(model: ProcessModel) -> Table:
    table = Table(title="Resource pools", title_justify="left")
    for column in ("pool", "size", "works", "takes cases", "members"):
        table.add_column(column)
    for name, pool in model.pools.items():
        members = ", ".join(pool.members[:4]) + (" ..." if len(pool.members) > 4 else "")
        table.add_row(name, str(pool.size), pool.calendar.describe(),
                      "by owner" if pool.assignment == "case_owner" else "first free",
                      members)
    return table


def _routing(model: ProcessModel) -> Table:
    table = Table(title="What follows each activity", title_justify="left")
    for column in ("after", "next (probability)", "depends on"):
        table.add_column(column)
    for name, branch in model.routing.branches.items():
        options = sorted(branch.pooled.items(), key=lambda kv: -kv[1])
        shown = [(t, p) for t, p in options if p >= RARE]
        text = ", ".join(f"{'end' if target == END else target} {share:.0%}"
                         for target, share in shown)
        if len(shown) < len(options):
            text += f", {len(options) - len(shown)} rare (<1%)"
        table.add_row(name, text, branch.conditioned_on or "")
    return table
