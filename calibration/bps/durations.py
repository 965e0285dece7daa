"""Prosimos duration distributions, read as Prosimos samples them, and turned into ours.

Two dialects of ``distribution_params`` exist, told apart by the number of values:

* **Prosimos 2 / Simod** (pix-framework): ``fix [value]``, ``expon [mean, min, max]``,
  ``uniform [min, max]``, ``norm [mean, std, min, max]``, ``lognorm [mean, variance, min,
  max]``, ``gamma [mean, variance, min, max]``.
* **Prosimos 1** (scipy.stats order): any scipy.stats continuous family with its shape
  parameters, then ``loc`` and ``scale``, optionally followed by ``min`` and ``max``
  (``expon [loc, scale, min, max]``, ``lognorm [s, loc, scale]``, ``exponnorm [K, loc,
  scale, min, max]``). ``norm [mean, std, min, max]`` means the same in both; a two-value
  ``uniform`` is read as Prosimos 2 reads it, ``[min, max]``.

``histogram_sampling`` (a CDF over bin midpoints) is read too. Like Prosimos, a draw outside
``[max(min, 0), max]`` is rejected and drawn again. Prosimos 2 itself reads every list by
position in its own order (a Prosimos 1 ``expon [loc, scale, min, max]`` becomes ``mean,
min, max`` there, the fourth value unused), so specs read in Prosimos 1 order are marked
``legacy`` and the import says so.

Conversion: a family we have (exponential, gamma, log-normal, Weibull, fixed) is used as it
is when it is faithful: the Prosimos limits cut off less than ``TOLERANCE`` of it and its mean
is within ``TOLERANCE`` of the mean Prosimos draws. Anything else (normal, uniform, shifted or
truncated families, histograms, and a task whose duration differs per resource) is replaced
by ``DurationFitter``'s choice for ``DRAWS`` values drawn exactly as Prosimos would, from a
fixed seed, so the same files always give the same model. For a task done by several
resources the draws mix the resources' distributions in proportion to their headcount.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, SupportsFloat

import numpy as np
from scipy import stats

from calibration.fit_durations import DurationFitter
from sim.distributions import (
    BY_SCIPY_NAME,
    Distribution,
    Exponential,
    Fixed,
    Gamma,
    Lognormal,
    ParametricFamily,
)
from sim.errors import PlannerError

TOLERANCE = 0.01
DRAWS = 10_000
SEED = 20240101
MIN_MASS = 0.01  # limits that keep less of a distribution than this are a mistake
CURRENT_COUNTS = {"expon": 3, "uniform": 2, "norm": 4, "lognorm": 4, "gamma": 4}
FORMS = ("fix [value]; expon [mean, min, max]; uniform [min, max]; norm [mean, std, min, "
         "max]; lognorm or gamma [mean, variance, min, max]; or a scipy.stats family with "
         "its shapes, loc, scale and optionally min, max")


@dataclass(frozen=True, eq=False)
class Spec:
    """One Prosimos distribution; ``key`` says how it was written (equal keys, equal specs).

    ``legacy`` marks parameters read in Prosimos 1 (scipy.stats) order: Prosimos 2 reads the
    same list by position as its own parameters, so the file means something else there.
    """

    key: tuple
    where: str
    legacy: bool = False

    @property
    def text(self) -> str:
        name, values = self.key[0], self.key[1:]
        return f"{name}({', '.join(f'{v:g}' for v in values)})"

    def mean(self) -> float:
        raise NotImplementedError

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        raise NotImplementedError

    def direct(self) -> Distribution | None:
        """Our equivalent when it is faithful (see the module docstring), else None."""
        return None


@dataclass(frozen=True, eq=False)
class FixedSpec(Spec):
    value: float = 0.0

    def mean(self) -> float:
        return self.value

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return np.full(n, self.value)

    def direct(self) -> Distribution:
        return Fixed(value=self.value)


@dataclass(frozen=True, eq=False)
class ScipySpec(Spec):
    """A scipy family drawn with rejection outside ``[low, high]``."""

    frozen: Any = None  # a frozen scipy.stats distribution (scipy has no type information)
    low: float = 0.0
    high: float = math.inf
    candidate: ParametricFamily | None = field(default=None)

    @cached_property
    def mass(self) -> float:
        return float(self.frozen.cdf(self.high) - self.frozen.cdf(self.low))

    @cached_property
    def _mean(self) -> float:
        dist = self.frozen
        with np.errstate(all="ignore"):
            if self.mass > 1 - 1e-12:
                value = float(dist.mean())
            else:
                value = float(dist.expect(lambda x: x, lb=self.low, ub=self.high,
                                          conditional=True))
        if not math.isfinite(value):
            raise PlannerError(f"{self.where}: {self.text} has no finite mean; give a "
                               "maximum (the last parameter) or another family.")
        return value

    def mean(self) -> float:
        return self._mean

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        kept: list[np.ndarray] = []
        need = n
        while need > 0:
            size = int(need / self.mass * 1.2) + 16
            draws = self.frozen.rvs(size=size, random_state=rng)
            draws = draws[(draws >= self.low) & (draws <= self.high)][:need]
            kept.append(draws)
            need -= draws.size
        return np.concatenate(kept)

    def direct(self) -> Distribution | None:
        if self.candidate is None:
            return None
        frozen = self.candidate.frozen()
        outside = float(frozen.cdf(self.low) + frozen.sf(self.high))
        close = abs(self.candidate.mean() - self.mean()) <= TOLERANCE * self.mean()
        return self.candidate if outside <= TOLERANCE and close else None


@dataclass(frozen=True, eq=False)
class HistogramSpec(Spec):
    """``histogram_sampling``: a uniform draw picks the first bin whose CDF reaches it."""

    cdf: tuple[float, ...] = ()
    midpoints: tuple[float, ...] = ()

    def mean(self) -> float:
        shares = np.diff(np.r_[0.0, np.asarray(self.cdf)])
        return float(shares @ np.asarray(self.midpoints) / shares.sum())

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        index = np.searchsorted(np.asarray(self.cdf), rng.random(n) * self.cdf[-1])
        return np.asarray(self.midpoints)[np.minimum(index, len(self.midpoints) - 1)]


# ------------------------------------------------------------------------------- reading


def parse_spec(data: dict, where: str) -> Spec:
    """The distribution written at ``where`` (a key path with the file name in front)."""
    name = data.get("distribution_name")
    if not isinstance(name, str) or not name:
        raise PlannerError(f"{where}.distribution_name is missing; name a distribution "
                           f"({FORMS}).")
    if name == "histogram_sampling":
        return _histogram(data, where)
    values = _values(data.get("distribution_params"), where)
    key = (name, *values)
    lowered = name.lower()
    if lowered in ("fix", "fixed"):
        if not values or values[0] < 0:
            raise PlannerError(f"{where}: fix needs one value >= 0 (got {values}).")
        return FixedSpec(key, where, value=values[0])
    if CURRENT_COUNTS.get(lowered) == len(values):
        return _current(lowered, values, key, where)
    return _legacy(name, values, key, where)


def _values(raw: object, where: str) -> list[float]:
    if not isinstance(raw, list):
        raise PlannerError(f"{where}.distribution_params must be a list of {{\"value\": "
                           f"number}} (got {type(raw).__name__}).")
    values = []
    for i, item in enumerate(raw):
        value = item.get("value") if isinstance(item, dict) else item
        try:
            number = float(value) if isinstance(value, str | SupportsFloat) else math.nan
        except ValueError:
            number = math.nan
        if isinstance(value, bool) or not math.isfinite(number):
            raise PlannerError(f"{where}.distribution_params[{i}] must be a finite number "
                               f"(got {value!r}).")
        values.append(number)
    return values


def _limited(key: tuple, where: str, frozen: object, low: float, high: float,
             candidate: ParametricFamily | None = None, legacy: bool = False) -> ScipySpec:
    """A spec with Prosimos's rejection limits, checked to leave something to draw."""
    if high < low or high < 0:
        raise PlannerError(f"{where}: {key[0]} has maximum {high:g} below its minimum "
                           f"{max(low, 0):g} (or below 0), so no duration can be drawn.")
    spec = ScipySpec(key, where, legacy, frozen=frozen, low=max(low, 0.0), high=high,
                     candidate=candidate)
    if spec.mass < MIN_MASS:
        raise PlannerError(f"{where}: {spec.text} puts {spec.mass:.2%} of its probability "
                           f"between its limits {spec.low:g} and {spec.high:g} s; check the "
                           "parameters.")
    return spec


def _current(name: str, v: list[float], key: tuple, where: str) -> Spec:
    """Prosimos 2 (pix-framework) parameters: means and variances, then limits."""
    if name == "uniform":
        lo, hi = v
        if hi == lo:
            return FixedSpec(key, where, value=lo)
        return _limited(key, where, stats.uniform(loc=lo, scale=hi - lo), lo, hi)
    if name == "expon":
        mean, lo, hi = v
        scale = mean - lo if mean >= lo else mean  # what Prosimos does when mean < min
        if scale <= 0:
            raise PlannerError(f"{where}: expon needs a mean above its minimum (got mean "
                               f"{mean:g}, min {lo:g}).")
        return _limited(key, where, stats.expon(loc=lo, scale=scale), lo, hi,
                        Exponential(scale=mean))
    mean, spread, lo, hi = v
    if spread == 0:
        return FixedSpec(key, where, value=mean)
    if spread < 0 or (name != "norm" and mean <= 0):
        raise PlannerError(f"{where}: {name} needs a positive mean and spread (got {v}).")
    if name == "norm":
        return _limited(key, where, stats.norm(mean, spread), lo, hi)
    if name == "lognorm":
        phi = math.sqrt(spread + mean**2)
        mu, sigma = math.log(mean**2 / phi), math.sqrt(math.log(phi**2 / mean**2))
        return _limited(key, where, stats.lognorm(sigma, scale=math.exp(mu)), lo, hi,
                        Lognormal(mu=mu, sigma=sigma))
    shape, scale = mean**2 / spread, spread / mean
    return _limited(key, where, stats.gamma(shape, scale=scale), lo, hi,
                    Gamma(shape=shape, scale=scale))


def _legacy(name: str, v: list[float], key: tuple, where: str) -> Spec:
    """Prosimos 1 parameters in scipy.stats order: shapes, loc, scale[, min, max]."""
    family = getattr(stats, name, None)
    if not isinstance(family, stats.rv_continuous):
        raise PlannerError(f"{where}: unknown distribution '{name}' with {len(v)} parameters. "
                           f"Supported: {FORMS}.")
    n = family.numargs
    if len(v) not in (n + 2, n + 4):
        raise PlannerError(f"{where}: {name} with {len(v)} parameters matches no known form; "
                           f"scipy order needs {n + 2} (shapes, loc, scale) or {n + 4} (then "
                           f"min, max). Supported: {FORMS}.")
    shapes, loc, scale = v[:n], v[n], v[n + 1]
    lo, hi = (v[n + 2], v[n + 3]) if len(v) == n + 4 else (0.0, math.inf)
    if scale <= 0:
        raise PlannerError(f"{where}: {name} needs a scale > 0 (got {scale:g}).")
    try:
        frozen = family(*shapes, loc=loc, scale=scale)
        valid = bool(np.isfinite(frozen.cdf(loc + scale)))
    except (ValueError, TypeError):
        valid = False
    if not valid:
        raise PlannerError(f"{where}: {name}{tuple(v)} are not valid parameters.")
    ours = BY_SCIPY_NAME.get(name)  # scipy's family that is one of ours
    candidate = (ours.from_scipy(shapes, scale) if ours is not None and all(s > 0 for s in shapes)
                 else None)
    return _limited(key, where, frozen, lo, hi, candidate, legacy=True)


def _histogram(data: dict, where: str) -> Spec:
    table = data.get("histogram_data")
    cdf = table.get("cdf") if isinstance(table, dict) else None
    mids = table.get("bin_midpoints") if isinstance(table, dict) else None
    try:
        cdf_a, mids_a = np.asarray(cdf, dtype=float), np.asarray(mids, dtype=float)
    except (TypeError, ValueError):
        cdf_a = mids_a = np.empty(0)
    ok = (cdf_a.ndim == 1 and cdf_a.size > 0 and cdf_a.shape == mids_a.shape
          and np.isfinite(cdf_a).all() and np.isfinite(mids_a).all()
          and (np.diff(cdf_a) >= 0).all() and cdf_a[0] >= 0 and cdf_a[-1] > 0
          and (mids_a >= 0).all())
    if not ok:
        raise PlannerError(f"{where}: histogram_sampling needs histogram_data with a rising "
                           "'cdf' and as many 'bin_midpoints' >= 0.")
    return HistogramSpec(("histogram", *cdf_a.tolist()), where, cdf=tuple(cdf_a.tolist()),
                         midpoints=tuple(mids_a.tolist()))


# ---------------------------------------------------------------------------- converting


@dataclass(frozen=True)
class Converted:
    """Our distribution and, when it is not the same family, how it was made."""

    distribution: Distribution
    fitted: str | None = None  # None: exact; else a short reason


def convert(spec: Spec) -> Converted:
    """Ours for one Prosimos distribution: the same family if faithful, else a fit."""
    direct = spec.direct()
    if direct is not None:
        return Converted(direct)
    sample = spec.sample(np.random.default_rng(SEED), DRAWS)
    return Converted(DurationFitter().fit(sample).best_, f"{spec.text} has no exact "
                                                           "equivalent here")


def _weighted(parts: list[tuple[Spec, int]]) -> list[tuple[Spec, int]]:
    """The parts with people; if none has any, every part counts once."""
    return [p for p in parts if p[1] > 0] or [(spec, 1) for spec, _ in parts]


def convert_mixture(parts: list[tuple[Spec, int]]) -> Converted:
    """One distribution for a task done by several resources (spec, headcount)."""
    parts = _weighted(parts)
    if len({spec.key for spec, _ in parts}) == 1:
        return convert(parts[0][0])
    weights = np.array([w for _, w in parts], dtype=float)
    counts = _allocate(weights / weights.sum(), DRAWS)
    rng = np.random.default_rng(SEED)
    sample = np.concatenate([spec.sample(rng, k)
                             for (spec, _), k in zip(parts, counts, strict=True)])
    return Converted(DurationFitter().fit(sample).best_,
                     "durations differ by resource: " + ", ".join(
                         f"{spec.text} x{w}" for spec, w in parts))


def _allocate(shares: np.ndarray, n: int) -> list[int]:
    """Whole counts summing to ``n`` in proportion to ``shares`` (largest remainders)."""
    raw = shares * n
    counts = np.floor(raw).astype(int)
    for i in np.argsort(-(raw - counts))[: n - counts.sum()]:
        counts[i] += 1
    return counts.tolist()
