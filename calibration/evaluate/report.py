"""The fidelity report: what was split, simulated and compared, and how close it came.

``to_dict`` is the JSON shape (stable keys: ``split``, ``warmup_days``, ``kpis``,
``distances``, ``findings``, plus context); ``headline`` the few lines the Model page and
``l2c compare`` show.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from calibration.evaluate.findings import Finding
from calibration.evaluate.kpis import KpiRow
from calibration.fit.calibrate import Note

WITHIN_FLOOR = 1.5  # a distance up to this many times its noise floor reads as "at the floor"


def _clean_record(record: dict[str, object]) -> dict[str, object]:
    """A record for JSON: NaN and infinities as None, at any depth."""
    return {key: _clean(value) for key, value in record.items()}


def _clean(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


@dataclass(frozen=True)
class DistanceRow:
    metric: str
    label: str
    unit: str
    value: float  # mean over replications
    noise_floor: float
    ratio: float | None  # value / noise_floor
    per_replication: tuple[float, ...] = ()
    recent_past: float | None = None  # the weeks before the split repeated (``recent_past``)

    def to_dict(self) -> dict[str, object]:
        return _clean_record(asdict(self))


@dataclass
class EvaluationReport:
    log: str
    split: dict[str, object]  # date, train_share, train_cases, test_cases, compared ..., end
    warmup_days: float
    method: str
    reps: int
    seed: int
    kpis: list[KpiRow]
    distances: list[DistanceRow]
    findings: list[Finding]
    cycle_time: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    versions: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    # what the test period did that no model learned before it could know (its English
    # wording is in ``notes`` too), keyed so an interface can word it in its language
    context: list[Note] = field(default_factory=list)

    def add_context(self, found: list[Note], first: bool = False) -> None:
        """Add ``found`` to the context and its wording to the notes (``first``: before
        the others)."""
        texts = [note.text for note in found]
        self.context = [*found, *self.context] if first else [*self.context, *found]
        self.notes = [*texts, *self.notes] if first else [*self.notes, *texts]

    @property
    def reproduced(self) -> int:
        return sum(r.reproduced for r in self.kpis)

    @property
    def inside(self) -> int:
        return sum(r.inside for r in self.kpis)

    def headline(self) -> dict[str, object]:
        """The few figures to show next to a model: KPIs reproduced, distances against the
        noise floor, the top finding."""
        ratios = {d.metric: d.ratio for d in self.distances}
        near = sum(1 for r in ratios.values() if r is not None and r <= WITHIN_FLOOR)
        past = [d for d in self.distances
                if d.recent_past is not None and math.isfinite(d.value)]
        return _clean_record({
            "kpis_reproduced": self.reproduced, "kpis_inside": self.inside,
            "kpis_compared": len(self.kpis), "distance_ratios": ratios,
            "distances_near_floor": near,
            "distances": sum(1 for r in ratios.values() if r is not None),
            "distances_within_recent_past": sum(1 for d in past
                                                if d.value <= (d.recent_past or 0.0)),
            "distances_with_recent_past": len(past),
            "split_date": self.split.get("date"), "top_finding":
                self.findings[0].text if self.findings else None,
        })

    def headline_text(self) -> list[str]:
        """The headline as sentences."""
        head = self.headline()
        lines = [f"Holdout test (split {str(self.split.get('date'))[:10]}): "
                 f"{head['kpis_reproduced']} of {head['kpis_compared']} KPIs reproduced "
                 f"({head['kpis_inside']} inside the 95% interval); "
                 f"{head['distances_near_floor']} of {head['distances']} log distances within "
                 f"{WITHIN_FLOOR:g}x the noise floor"
                 + (f", {head['distances_within_recent_past']} of "
                    f"{head['distances_with_recent_past']} no farther than the recent past "
                    "(the weeks before the split, repeated)."
                    if head["distances_with_recent_past"] else ".")]
        if self.findings:
            lines.append(f"Largest error: {self.findings[0].text}")
        return lines

    def to_dict(self) -> dict[str, object]:
        return _clean_record({
            "log": self.log, "split": self.split, "warmup_days": self.warmup_days,
            "method": self.method, "reps": self.reps, "seed": self.seed,
            "headline": self.headline(),
            "kpis": [r.to_dict() for r in self.kpis],
            "distances": [d.to_dict() for d in self.distances],
            "findings": [f.text for f in self.findings],
            "findings_detail": [f.to_dict() for f in self.findings],
            "cycle_time": self.cycle_time, "notes": self.notes,
            "context": [{"key": note.key, "values": note.values} for note in self.context],
            "versions": self.versions,
            "seconds": round(self.seconds, 1),
        })
