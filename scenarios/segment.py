"""Changes made for one segment only: "automated invoicing for small deals", "30% more
leads from Web".

A change with ``segment: {attribute: value}`` touches the cases whose attribute row has that
value. Changes to the process (work, waits, automation, routing) become a ``CaseVariant``:
the attribute rows of the segment run the model as the change leaves it, every other row
runs the model without it. More leads from a segment raise the arrivals by the segment's
share and draw its rows that much more often, so the other segments keep their volume; new
payment terms rewrite the segment's rows only. A pool serves every case and a mix sets the
segments' shares itself: neither is made for one segment.
"""

from __future__ import annotations

import numpy as np

from scenarios import changes as c
from scenarios.schema import Change, PaymentChange, VolumeChange
from sim.errors import PlannerError, did_you_mean
from sim.model import CaseVariant, ProcessModel, attribute_key

NOT_FOR_A_SEGMENT = {
    "pool": "a pool's people serve every case, so its size or hours cannot change for one "
            "segment; change the work or the waits of the segment's activities instead",
    "mix": "a mix sets the shares of the segments itself; give it without a segment",
}
SHOWN_VALUES = 12  # values listed in a message about a value the attribute does not have
MAX_SEGMENTS = 30  # an attribute with more values is an amount or an id, not a segment


def segments_of(model: ProcessModel) -> dict[str, list[str]]:
    """The attributes a change can be made for and their values, the commonest first (an
    attribute with one value or more than ``MAX_SEGMENTS`` is left out)."""
    found = {}
    for index, attribute in enumerate(model.attributes.columns):
        counts: dict[str, int] = {}
        for row in model.attributes.rows:
            key = attribute_key(row[index])
            counts[key] = counts.get(key, 0) + 1
        if 2 <= len(counts) <= MAX_SEGMENTS:
            found[attribute] = sorted(counts, key=lambda v: (-counts[v], v))
    return found


def made_by_rows(change: Change) -> bool:
    """A change made on the attribute rows (their weights or values), not on the process."""
    return change.kind == "volume" or (change.kind == "payment"
                                       and isinstance(change.settings, PaymentChange)
                                       and change.settings.terms is not None)


def segment_rows(model: ProcessModel, change: Change, where: str) -> np.ndarray:
    """Which attribute rows belong to the change's segment (a mask), after checking the
    segment against the model's attributes with a "did you mean"."""
    if change.kind in NOT_FOR_A_SEGMENT:
        raise PlannerError(f"{where}.segment: {NOT_FOR_A_SEGMENT[change.kind]}.")
    attribute, value = next(iter((change.segment or {}).items()))
    columns = model.attributes.columns
    if attribute not in columns:
        raise PlannerError(f"{where}.segment: no case attribute '{attribute}' in the model."
                           f"{did_you_mean(attribute, columns)} Attributes: "
                           f"{', '.join(columns) or 'none'}.")
    index = columns.index(attribute)
    keys = np.array([attribute_key(row[index]) for row in model.attributes.rows], dtype=object)
    rows = keys == value
    if not rows.any():
        known = sorted(set(keys.tolist()))
        listed = ", ".join(known[:SHOWN_VALUES]) + (", ..." if len(known) > SHOWN_VALUES else "")
        raise PlannerError(f"{where}.segment: '{attribute}' has no value '{value}'."
                           f"{did_you_mean(value, known)} Values: {listed}.")
    return rows


def for_rows(model: ProcessModel, change: Change, rows: np.ndarray, where: str,
             notes: list[str]) -> ProcessModel:
    """A change made on the attribute rows, for the ``rows`` of its segment only."""
    if isinstance(change.settings, VolumeChange):
        return _more_of(model, change.settings.scale, rows, where, notes)
    if not isinstance(change.settings, PaymentChange):
        raise TypeError(f"{where}: only a volume or a payment change is made on the rows")
    paid = c.change_payment(model, change.settings, where, notes)
    mixed = tuple(new if inside else old for new, old, inside in
                  zip(paid.attributes.rows, model.attributes.rows, rows.tolist(), strict=True))
    attributes = model.attributes.model_copy(update={"rows": mixed})
    return model.model_copy(update={"attributes": attributes})


def _more_of(model: ProcessModel, scale: float, rows: np.ndarray, where: str,
             notes: list[str]) -> ProcessModel:
    """``scale`` times the segment's new cases, the others' as many as before: all arrivals
    by ``1 - share + share * scale``, the segment's rows drawn ``scale`` times as often."""
    weights = np.asarray(model.attributes.weights or [1.0] * len(rows), dtype=float)
    share = weights[rows].sum() / weights.sum()
    overall = 1.0 - share + share * scale
    if overall <= 0:
        raise PlannerError(f"{where}: the segment is every case drawn and its volume would "
                           "fall to nothing.")
    model = c.change_volume(model, VolumeChange(scale=overall), where, notes)
    weights = np.where(rows, weights * scale, weights)
    if weights.sum() <= 0:
        raise PlannerError(f"{where}: no case would be left to draw once the segment's "
                           "volume falls to nothing.")
    attributes = model.attributes.model_copy(update={"weights": tuple(weights.tolist())})
    return model.model_copy(update={"attributes": attributes})


def row_groups(touched: dict[int, np.ndarray], rows: int) -> dict[frozenset[int], list[int]]:
    """The attribute rows grouped by the segment changes they get (change numbers; rows
    that get none are left out)."""
    groups: dict[frozenset[int], list[int]] = {}
    for row in range(rows):
        numbers = frozenset(n for n, mask in touched.items() if mask[row])
        if numbers:
            groups.setdefault(numbers, []).append(row)
    return groups


def with_variants(base: ProcessModel, changed: dict[frozenset[int], ProcessModel],
                  groups: dict[frozenset[int], list[int]],
                  segments: dict[int, dict[str, str]]) -> ProcessModel:
    """``base`` with one variant per group of rows: what ``changed[group]`` (the model with
    that group's segment changes made) does differently. Activities and branches a variant
    adds (an automated step's manual fix) join the base too, where no case reaches them."""
    activities, branches = dict(base.activities), dict(base.routing.branches)
    for model in changed.values():
        activities.update({k: v for k, v in model.activities.items() if k not in activities})
        branches.update({k: v for k, v in model.routing.branches.items() if k not in branches})
    variants = []
    for group, model in changed.items():
        start = model.routing.start
        variants.append(CaseVariant(
            segment={k: v for n in sorted(group) for k, v in segments[n].items()},
            rows=tuple(groups[group]),
            activities={k: v for k, v in model.activities.items() if activities[k] != v},
            branches={k: v for k, v in model.routing.branches.items() if branches[k] != v},
            start=start if start != base.routing.start else None))
    routing = base.routing.model_copy(update={"branches": branches})
    return base.model_copy(update={"activities": activities, "routing": routing,
                                   "variants": tuple(variants)})
