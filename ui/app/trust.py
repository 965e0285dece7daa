"""How far the model can be trusted: one summary per model, with the run it came from.

The Model header, the Trust tab, Compare's check against the history and the holdout panel
all read this one summary, so they cannot disagree. The check against the history is kept
the first time it is computed for a model (on the Trust tab, or by a comparison over the
log's period); a later run reads the summary instead of making a second, different count.
Findings are ordered worst first, so the largest error is the first thing said.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from calibration.evaluate.report import WITHIN_FLOOR, EvaluationReport
from sim.fidelity_row import FidelityRow
from sim.materiality import count_of, finite_number
from ui.app import state

SLOT = "trust"  # state slot: the model's Trust
CHECK, COMPARE = "check", "compare"  # where the check against the history was run


@dataclass(frozen=True)
class Replay:
    """The simulated log's period against the history, KPI by KPI."""

    rows: tuple[FidelityRow, ...]
    reps: int
    seed: int
    source: str  # CHECK or COMPARE

    @property
    def reproduced(self) -> int:
        return sum(bool(r.reproduced) for r in self.rows)

    @property
    def total(self) -> int:
        return len(self.rows)

    def misses(self) -> list[FidelityRow]:
        """The KPIs not reproduced, the largest error first."""
        missed = [r for r in self.rows if not r.reproduced]
        return sorted(missed, key=lambda r: -error_size(r))


@dataclass(frozen=True)
class Holdout:
    """Learned from the earlier cases only, the later ones predicted."""

    split: str
    reps: int
    seed: int
    reproduced: int
    compared: int
    near_floor: int
    distances: int
    worst: str | None  # the largest error, in words
    within_past: int = 0  # distances no farther than the weeks before the split, repeated
    with_past: int = 0  # distances measured against those weeks too
    # what the test period did that no model learned before it could know (key, values)
    context: tuple[tuple[str, dict[str, object]], ...] = ()

    @property
    def floor(self) -> float:
        return WITHIN_FLOOR


@dataclass(frozen=True)
class Trust:
    replay: Replay | None = None
    holdout: Holdout | None = None

    @property
    def warned(self) -> bool:
        """True when any test found a KPI the model does not reproduce."""
        return bool((self.replay and self.replay.misses())
                    or (self.holdout and self.holdout.reproduced < self.holdout.compared))


def summary() -> Trust:
    """The trust summary of the model in use (empty before any check)."""
    found = state.recall(SLOT)
    return found if isinstance(found, Trust) else Trust()


def keep_replay(rows: Sequence[FidelityRow], reps: int, seed: int, source: str) -> Trust:
    """Keep a check against the history unless the model already has one; the summary."""
    current = summary()
    if current.replay is None and rows:
        current = replace(current, replay=Replay(tuple(rows), reps, seed, source))
        state.remember(SLOT, current)
    return current


def error_size(row: FidelityRow) -> float:
    """How far a KPI of the check is from the history, whichever way (0: not known)."""
    return abs(finite_number(row.error) or 0.0)


def holdout_of(report: EvaluationReport) -> Holdout:
    """The holdout test's headline and context, as the summary keeps them."""
    head = report.headline()
    return Holdout(split=str(report.split.get("date") or "")[:10], reps=report.reps,
                   seed=report.seed, reproduced=count_of(head["kpis_reproduced"]),
                   compared=count_of(head["kpis_compared"]),
                   near_floor=count_of(head["distances_near_floor"]),
                   distances=count_of(head["distances"]),
                   worst=report.findings[0].text if report.findings else None,
                   within_past=count_of(head["distances_within_recent_past"]),
                   with_past=count_of(head["distances_with_recent_past"]),
                   context=tuple((note.key, dict(note.values)) for note in report.context))


def keep_holdout(report: EvaluationReport) -> Trust:
    """Keep the holdout test's headline in the summary; the summary."""
    current = replace(summary(), holdout=holdout_of(report))
    state.remember(SLOT, current)
    return current
