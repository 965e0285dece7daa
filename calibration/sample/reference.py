"""The true medians and P90s of the sample's durations, as calibration should find them.

Some true durations are mixtures: qualification delays are scaled by the lead source's
speed, payment days depend on the terms and on whether the customer pays late. Their
quantiles are computed here by Monte Carlo (fixed seed, 200,000 draws), weighted the way
the generator mixes them, so tests compare like with like. A rep's work is the base
distribution times the rep's speed; the model keeps the two apart too (work time of the
typical member, and each member's speed), so the base is what is compared.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from calibration.sample import truth

DRAWS = 200_000
QUANTILES = (0.5, 0.9)


def _vector(spec: truth.DurationSpec, rng: np.random.Generator, n: int) -> np.ndarray:
    kind = spec["kind"]
    if kind == "exponential":
        return rng.exponential(spec["mean"], n)
    if kind == "gamma":
        return rng.gamma(spec["shape"], spec["scale"], n)
    return rng.lognormal(spec["mu"], spec["sigma"], n)


def typical_rep_speed() -> float:
    """Geometric mean of the reps' speeds, weighted by their share of the work: the speed of
    the "typical member" the model's work times refer to."""
    logs, weights = [], []
    for region, reps in truth.REPS.items():
        for _, speed in reps:
            logs.append(np.log(speed))
            weights.append(truth.REGIONS[region] / len(reps))
    return float(np.exp(np.average(logs, weights=weights)))


def _payment_days(terms: str, rng: np.random.Generator) -> np.ndarray:
    term = (60 if terms == "Net 60" else 30) * truth.DAY
    late = rng.random(DRAWS) < truth.LATE_PAYMENT_SHARE
    lateness = _vector(truth.LATENESS, rng, DRAWS)
    on_time = term * rng.uniform(*truth.ON_TIME_SHARE_OF_TERM, DRAWS)
    return np.where(late, term + lateness, on_time)


def _quantiles(values: np.ndarray) -> tuple[float, float]:
    median, p90 = np.quantile(values, QUANTILES)
    return float(median), float(p90)


@cache
def reference_quantiles() -> dict[str, dict[str, object]]:
    """activity -> {"processing": (median, p90), "delay": (median, p90),
    "delay_by": {value: (median, p90)}} in seconds, for the true process."""
    rng = np.random.default_rng(0)
    result: dict[str, dict[str, object]] = {}
    for name, spec in truth.ACTIVITIES.items():
        entry: dict[str, object] = {}
        if "processing" in spec:
            work = _vector(spec["processing"], rng, DRAWS)
            if spec["pool"] == "Sales":
                work = work * typical_rep_speed()
            entry["processing"] = _quantiles(work)
        rule = spec["delay"]
        if isinstance(rule, str):  # payment terms (Payment Received)
            entry["delay_by"] = {terms: _quantiles(_payment_days(terms, rng))
                                 for terms in ("Net 30", "Net 60")}
        elif rule["kind"] == "fixed":
            entry["delay"] = (float(rule["value"]),) * 2
        else:
            delay = _vector(rule, rng, DRAWS)
            if name == "Lead Qualified":  # each lead source has its own speed
                entry["delay_by"] = {source: _quantiles(delay * values["speed"])
                                     for source, values in truth.LEAD_SOURCES.items()}
            else:
                entry["delay"] = _quantiles(delay)
        result[name] = entry
    return result
