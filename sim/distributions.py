"""Duration distributions: how long an activity or a wait takes, in seconds.

The process model stores them as small frozen pydantic models with a ``kind`` tag, so a
model file holds readable JSON such as ``{"kind": "lognormal", "mu": 8.1, "sigma": 0.9}``
and ``Distribution`` can be embedded in any other pydantic model. ``sample(rng, n)`` draws from
the caller's ``numpy.random.Generator``; the engine instead reads each duration at one
uniform number through the quantile function (``at_uniform``), so that a scenario's and the
baseline's draws stay paired (``sim.engine.streams``). Either way the same seed always gives
the same durations. ``scaled`` is what a what-if scenario uses
("approval takes half as long").
"""

from __future__ import annotations

import math
from abc import abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from statistics import NormalDist
from types import ModuleType
from typing import TYPE_CHECKING, Annotated, ClassVar, Literal, Self, overload

import numpy as np
from numpy.typing import ArrayLike
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator

from sim.duration_text import duration_text

if TYPE_CHECKING:
    from scipy import stats

__all__ = [
    "BY_SCIPY_NAME",
    "PARAMETRIC",
    "Adjusted",
    "Distribution",
    "DistributionWords",
    "Empirical",
    "Exponential",
    "Fixed",
    "Gamma",
    "Lognormal",
    "Parametric",
    "ParametricFamily",
    "Weibull",
    "ZeroInflated",
    "adjusted",
    "distribution_from_dict",
    "to_dict",
]

@dataclass(frozen=True)
class DistributionWords:
    """The words a fitted duration is described in, and the language of its units: English
    here, the app's language from its keyed labels (``ui.app.named.distribution``), so no
    text is translated after the fact."""

    lang: str = "en"  # the durations' units (``sim.duration_text``)
    kinds: Mapping[str, str] = field(default_factory=dict)  # a family's name; else its kind
    summary: str = "{kind}, median {median}, P90 {p90}"
    fixed: str = "fixed, {value}"
    zero: str = "{share} zero, else {rest}"  # a share of durations that are exactly zero
    cap: str = "at most {cap}"  # a scenario's cap (an SLA)
    separator: str = ", "  # between a duration and a scenario's shift and cap

    def kind(self, kind: str) -> str:
        return self.kinds.get(kind, kind)

    def duration(self, seconds: float) -> str:
        return duration_text(seconds, self.lang)


ENGLISH = DistributionWords()

BELOW_ONE = math.nextafter(1.0, 0.0)  # the largest uniform below 1
# What the engine reads a duration with: ``(value, None)`` for one that needs no draw, else
# ``(nan, at)`` with ``at(u)`` the duration at the uniform ``u`` (the nan is never read).
AtUniform = tuple[float, Callable[[float], float] | None]


def _scipy_stats() -> ModuleType:
    """scipy.stats, imported on first use: fitting needs it, a simulation worker does not
    (importing it is about half a second of every worker's start-up)."""
    from scipy import stats

    return stats


def _special() -> ModuleType:
    """scipy.special, imported on first use: only quantiles need it, and a simulation
    worker seldom asks for one (a tenth of a second of its start-up otherwise)."""
    from scipy import special

    return special


class _Duration(BaseModel):
    """Shared checks and conversions; each family supplies only its formulas."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)
    if TYPE_CHECKING:  # each family declares its own ``kind`` literal as a field
        kind: str

    @overload
    def sample(self, rng: np.random.Generator, n: None = None) -> float: ...

    @overload
    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray: ...

    def sample(self, rng: np.random.Generator, n: int | None = None) -> float | np.ndarray:
        """One duration (``n=None``) or an array of ``n`` durations, drawn from ``rng``."""
        if n is not None and n < 0:
            raise ValueError(f"sample size n must be >= 0 (got {n})")
        draws = self._draw(rng, 1 if n is None else n)
        return float(draws[0]) if n is None else draws

    def at_uniform(self) -> AtUniform:
        """What the engine calls per event: ``(value, None)`` for a duration that needs no
        draw, else ``(nan, at)`` with ``at(u)`` the duration at probability ``u`` in (0, 1):
        the quantile function for one float (each family supplies a fast one)."""
        return math.nan, self._at

    def _at(self, u: float) -> float:
        return float(self._ppf(np.asarray(u, dtype=float)))

    @overload
    def quantile(self, q: float) -> float: ...

    @overload
    def quantile(self, q: np.ndarray | Sequence[float]) -> np.ndarray: ...

    def quantile(self, q: float | ArrayLike) -> float | np.ndarray:
        """The duration below which a share ``q`` of draws fall (``q`` in [0, 1]): a number
        for a number, an array for several."""
        qs = np.asarray(q, dtype=float)
        if not np.all((qs >= 0) & (qs <= 1)):
            raise ValueError(f"quantile q must be in [0, 1] (got {q!r})")
        out = np.asarray(self._ppf(qs), dtype=float)
        return float(out) if out.ndim == 0 else out

    def scaled(self, factor: float) -> Distribution:
        """The same family with every duration multiplied by ``factor`` (0 gives Fixed(0))."""
        if not (math.isfinite(factor) and factor >= 0):
            raise ValueError(f"scale factor must be a finite number >= 0 (got {factor})")
        return Fixed(value=0.0) if factor == 0 else self._scaled(factor)

    def describe(self, words: DistributionWords = ENGLISH) -> str:
        """Short text for people: ``"lognormal, median 2.1 h, P90 9.8 h"`` (in English
        unless ``words`` give another language's)."""
        median, p90 = self.quantile([0.5, 0.9])
        return words.summary.format(kind=words.kind(self.kind), median=words.duration(median),
                                    p90=words.duration(p90))

    @abstractmethod
    def mean(self) -> float:
        """The expected duration in seconds (exact, not estimated)."""

    @abstractmethod
    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` draws in one vectorised call."""

    @abstractmethod
    def _ppf(self, q: np.ndarray) -> np.ndarray:
        """Inverse CDF at already validated ``q``."""

    @abstractmethod
    def _scaled(self, factor: float) -> Distribution:
        """The family with durations times ``factor`` > 0."""


class Fixed(_Duration):
    """Always the same duration; also what ``scaled(0)`` gives."""

    kind: Literal["fixed"] = Field("fixed", repr=False)
    value: float = Field(ge=0)

    def mean(self) -> float:
        return self.value

    def describe(self, words: DistributionWords = ENGLISH) -> str:
        return words.fixed.format(value=words.duration(self.value))

    def at_uniform(self) -> AtUniform:
        return self.value, None

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return np.full(size, self.value)

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        return np.full_like(q, self.value)

    def _scaled(self, factor: float) -> Fixed:
        return Fixed(value=self.value * factor)


class Parametric(_Duration):
    """A family fitted by maximum likelihood with scipy (location fixed at zero): it owns
    its fit, its scipy twin both ways (for likelihoods and tests, and for a Prosimos file
    that names scipy's family) and its quantile function for one uniform (``at_uniform``:
    in closed form, or Wichura's normal quantile, or scipy's inverse incomplete gamma)."""

    scipy_name: ClassVar[str]  # scipy.stats' name of the family ``frozen`` gives

    @classmethod
    @abstractmethod
    def fit(cls, y: np.ndarray) -> Self:
        """The maximum-likelihood member of the family for durations ``y`` (all > 0)."""

    @abstractmethod
    def frozen(self) -> stats.rv_continuous:
        """The same distribution as a frozen scipy one."""

    @classmethod
    @abstractmethod
    def from_scipy(cls, shapes: Sequence[float], scale: float) -> Self:
        """The member scipy's family gives with these shape parameters, ``scale`` and
        location 0 (the inverse of ``frozen``)."""


class Exponential(Parametric):
    """Memoryless waits. ``scale`` is the mean (a field named ``mean`` would hide ``mean()``)."""

    kind: Literal["exponential"] = Field("exponential", repr=False)
    scale: float = Field(gt=0)

    def mean(self) -> float:
        return self.scale

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.exponential(self.scale, size)

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        return -self.scale * np.log1p(-q)

    def _scaled(self, factor: float) -> Exponential:
        return Exponential(scale=self.scale * factor)

    @classmethod
    def fit(cls, y: np.ndarray) -> Self:
        _, scale = _scipy_stats().expon.fit(y, floc=0)
        return cls(scale=scale)

    scipy_name = "expon"

    def frozen(self) -> stats.rv_continuous:
        return _scipy_stats().expon(scale=self.scale)

    @classmethod
    def from_scipy(cls, shapes: Sequence[float], scale: float) -> Self:
        return cls(scale=scale)

    def at_uniform(self) -> AtUniform:
        scale = self.scale
        return math.nan, lambda u: -scale * math.log1p(-u)


class Gamma(Parametric):
    """Sums of several phases of work; ``shape`` 1 is the exponential."""

    kind: Literal["gamma"] = Field("gamma", repr=False)
    shape: float = Field(gt=0)
    scale: float = Field(gt=0)

    def mean(self) -> float:
        return self.shape * self.scale

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.gamma(self.shape, self.scale, size)

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        return _special().gammaincinv(self.shape, q) * self.scale

    def _scaled(self, factor: float) -> Gamma:
        return Gamma(shape=self.shape, scale=self.scale * factor)

    @classmethod
    def fit(cls, y: np.ndarray) -> Self:
        # With floc fixed scipy solves the likelihood equation for the shape directly.
        shape, _, scale = _scipy_stats().gamma.fit(y, floc=0)
        return cls(shape=shape, scale=scale)

    scipy_name = "gamma"

    def frozen(self) -> stats.rv_continuous:
        return _scipy_stats().gamma(self.shape, scale=self.scale)

    @classmethod
    def from_scipy(cls, shapes: Sequence[float], scale: float) -> Self:
        return cls(shape=shapes[0], scale=scale)

    def at_uniform(self) -> AtUniform:
        shape, scale, inverse = self.shape, self.scale, _special().gammaincinv
        return math.nan, lambda u: float(inverse(shape, u)) * scale


class Lognormal(Parametric):
    """Right-skewed human task times; ``mu`` and ``sigma`` are of log seconds."""

    kind: Literal["lognormal"] = Field("lognormal", repr=False)
    mu: float
    sigma: float = Field(gt=0)

    def mean(self) -> float:
        return math.exp(self.mu + self.sigma**2 / 2)

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.lognormal(self.mu, self.sigma, size)

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        return np.exp(self.mu + self.sigma * _special().ndtri(q))

    def _scaled(self, factor: float) -> Lognormal:
        return Lognormal(mu=self.mu + math.log(factor), sigma=self.sigma)

    @classmethod
    def fit(cls, y: np.ndarray) -> Self:
        sigma, _, scale = _scipy_stats().lognorm.fit(y, floc=0)
        return cls(mu=math.log(scale), sigma=sigma)

    scipy_name = "lognorm"

    def frozen(self) -> stats.rv_continuous:
        return _scipy_stats().lognorm(self.sigma, scale=math.exp(self.mu))

    @classmethod
    def from_scipy(cls, shapes: Sequence[float], scale: float) -> Self:
        return cls(mu=math.log(scale), sigma=shapes[0])

    def at_uniform(self) -> AtUniform:
        normal = NormalDist(self.mu, self.sigma).inv_cdf  # Wichura's AS241, as scipy's ndtri
        return math.nan, lambda u: math.exp(normal(u))


class Weibull(Parametric):
    """Waits whose hazard rises (``shape`` > 1) or falls (``shape`` < 1) with time."""

    kind: Literal["weibull"] = Field("weibull", repr=False)
    shape: float = Field(gt=0)
    scale: float = Field(gt=0)

    def mean(self) -> float:
        return self.scale * math.gamma(1 + 1 / self.shape)

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return self.scale * rng.weibull(self.shape, size)

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        return self.scale * (-np.log1p(-q)) ** (1 / self.shape)

    def _scaled(self, factor: float) -> Weibull:
        return Weibull(shape=self.shape, scale=self.scale * factor)

    @classmethod
    def fit(cls, y: np.ndarray) -> Self:
        """Maximum likelihood with location 0, the textbook way: the shape ``k`` is the one
        root of ``sum(x^k ln x) / sum(x^k) - 1/k = mean(ln x)``, the scale follows in closed
        form. scipy's general optimiser reached the same optimum (to six digits) some
        thirty times slower: a tenth of a calibration's time on a small log."""
        from scipy.optimize import brentq

        logs = np.log(np.asarray(y, dtype=float))
        centred = logs - logs.mean()  # ln x less its mean: x^k for large x stays finite

        def excess(log_k: float) -> float:  # rises with k; its root is the MLE
            k = math.exp(log_k)
            weights = np.exp(k * (centred - centred.max()))
            return float(weights @ centred / weights.sum()) - 1.0 / k

        low, high = math.log(1e-3), math.log(1e3)
        if excess(high) < 0:  # values nearly equal: as peaked as the family allows
            log_k = high
        else:
            log_k = brentq(excess, low, high, xtol=1e-12) if excess(low) < 0 else low
        shape = math.exp(log_k)
        top = float(centred.max())
        log_mean_power = top * shape + math.log(float(np.mean(np.exp(shape * (centred - top)))))
        return cls(shape=shape, scale=math.exp(float(logs.mean()) + log_mean_power / shape))

    scipy_name = "weibull_min"

    def frozen(self) -> stats.rv_continuous:
        return _scipy_stats().weibull_min(self.shape, scale=self.scale)

    @classmethod
    def from_scipy(cls, shapes: Sequence[float], scale: float) -> Self:
        return cls(shape=shapes[0], scale=scale)

    def at_uniform(self) -> AtUniform:
        power, scale = 1 / self.shape, self.scale
        return math.nan, lambda u: scale * (-math.log1p(-u)) ** power


# The parametric families as one type: a fitted or imported one is a ``Distribution``.
ParametricFamily = Exponential | Gamma | Lognormal | Weibull
PARAMETRIC: tuple[type[ParametricFamily], ...] = (Exponential, Gamma, Lognormal, Weibull)
BY_SCIPY_NAME: dict[str, type[ParametricFamily]] = {f.scipy_name: f for f in PARAMETRIC}


class Empirical(_Duration):
    """The data's own quantile function, linearly interpolated between sorted points.

    Drawing ``u ~ U(0, 1)`` and reading the interpolated quantile reproduces the data's
    quantiles (as ``np.quantile`` computes them) without inventing a family for data that
    fits none, e.g. bimodal or heavily rounded durations.
    """

    kind: Literal["empirical"] = Field("empirical", repr=False)
    values: tuple[float, ...]

    @field_validator("values")
    @classmethod
    def _check_values(cls, values: tuple[float, ...]) -> tuple[float, ...]:
        if not values:
            raise ValueError("values must not be empty")
        negative = [v for v in values if v < 0]
        if negative:
            raise ValueError(f"values must be >= 0 (got {negative[0]})")
        return tuple(sorted(values))

    @classmethod
    def from_sample(cls, values: ArrayLike, max_points: int = 201) -> Empirical:
        """Keep at most ``max_points`` evenly spaced quantiles, so model files stay small.

        The last point is not the sample's maximum but the value that makes the last
        segment average what the sample's top share averages: between the quantiles kept,
        draws spread evenly, so a lone extreme maximum would stand for a whole 1/200th of
        the draws (one call of 57 hours among 15,000 of minutes made calls average ten
        minutes instead of four, and every queue behind them longer)."""
        if max_points < 2:
            raise ValueError(f"max_points must be >= 2 (got {max_points})")
        data = np.asarray(values, dtype=float).ravel()
        if data.size > max_points:
            points = np.quantile(data, np.linspace(0, 1, max_points))
            top = float(data[data >= points[-2]].mean())
            points[-1] = min(points[-1], max(points[-2], 2.0 * top - points[-2]))
            data = points
        return cls(values=tuple(data.tolist()))

    def mean(self) -> float:
        # Each of the m - 1 segments between neighbours is drawn with equal probability and
        # averages to its midpoint.
        v = np.asarray(self.values)
        if v.size == 1:
            return float(v[0])
        return float((v.sum() - (v[0] + v[-1]) / 2) / (v.size - 1))

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return self._ppf(rng.random(size))

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        v = np.asarray(self.values)
        return np.interp(q * (v.size - 1), np.arange(v.size), v)

    def at_uniform(self) -> AtUniform:
        values, last = self.values, len(self.values) - 1

        def at(u: float) -> float:
            # np.interp's own arithmetic on the unit grid, for one float
            x = u * last
            j = int(x)
            if j >= last:
                return values[last]
            return (values[j + 1] - values[j]) * (x - j) + values[j]

        return math.nan, at

    def _scaled(self, factor: float) -> Empirical:
        return Empirical(values=tuple((np.asarray(self.values) * factor).tolist()))


NonZeroInflated = Annotated[
    Fixed | Exponential | Gamma | Lognormal | Weibull | Empirical,
    Field(discriminator="kind"),
]


class ZeroInflated(_Duration):
    """Exactly 0 with probability ``p_zero``, else a draw from ``rest``.

    Atomic events and instant hand-offs often take no time at all; a continuous family
    cannot put weight on 0, and smoothing the zeros away would bias short durations.
    """

    kind: Literal["zero_inflated"] = Field("zero_inflated", repr=False)
    p_zero: float = Field(ge=0, lt=1)
    rest: NonZeroInflated

    def mean(self) -> float:
        return (1 - self.p_zero) * self.rest.mean()

    def describe(self, words: DistributionWords = ENGLISH) -> str:
        return words.zero.format(share=f"{self.p_zero:.0%}", rest=self.rest.describe(words))

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        zero = rng.random(size) < self.p_zero
        return np.where(zero, 0.0, self.rest.sample(rng, size))

    def at_uniform(self) -> AtUniform:
        p_zero, (fixed, rest) = self.p_zero, self.rest.at_uniform()
        share = 1 - p_zero

        def at(u: float) -> float:
            if u <= p_zero:
                return 0.0
            if rest is None:
                return fixed
            return rest(min((u - p_zero) / share, BELOW_ONE))  # the rest's own uniform

        return math.nan, at

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        inner = np.clip((q - self.p_zero) / (1 - self.p_zero), 0, 1)
        return np.where(q <= self.p_zero, 0.0, self.rest.quantile(inner))

    def _scaled(self, factor: float) -> ZeroInflated:
        return ZeroInflated(p_zero=self.p_zero, rest=self.rest.scaled(factor))


Adjustable = Annotated[
    Fixed | Exponential | Gamma | Lognormal | Weibull | Empirical | ZeroInflated,
    Field(discriminator="kind"),
]
_MEAN_GRID = (np.arange(20_000) + 0.5) / 20_000


class Adjusted(_Duration):
    """A fitted duration moved by ``shift`` seconds and held under ``cap`` (never below 0).

    What a scenario writes when it says "two days faster" or "at most 4 hours (an SLA)":
    the fitted shape is kept, only the change is added. The transform is monotone, so
    quantiles are the base's quantiles transformed.
    """

    kind: Literal["adjusted"] = Field("adjusted", repr=False)
    base: Adjustable
    shift: float = 0.0
    cap: float | None = Field(default=None, ge=0)

    def _apply(self, values: np.ndarray) -> np.ndarray:
        moved = np.maximum(np.asarray(values, dtype=float) + self.shift, 0.0)
        return moved if self.cap is None else np.minimum(moved, self.cap)

    def mean(self) -> float:
        """By numerical integration of the quantile function (20,000 points)."""
        return float(np.mean(self._apply(self.base.quantile(_MEAN_GRID))))

    def describe(self, words: DistributionWords = ENGLISH) -> str:
        parts = [self.base.describe(words)]
        if self.shift:
            parts.append(f"{'+' if self.shift > 0 else '-'}{words.duration(abs(self.shift))}")
        if self.cap is not None:
            parts.append(words.cap.format(cap=words.duration(self.cap)))
        return words.separator.join(parts)

    def _draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return self._apply(self.base.sample(rng, size))

    def _ppf(self, q: np.ndarray) -> np.ndarray:
        return self._apply(self.base.quantile(q))

    def at_uniform(self) -> AtUniform:
        (fixed, base), shift, cap = self.base.at_uniform(), self.shift, self.cap
        top = math.inf if cap is None else cap
        if base is None:
            return min(max(fixed + shift, 0.0), top), None
        return math.nan, lambda u: min(max(base(u) + shift, 0.0), top)

    def _scaled(self, factor: float) -> Adjusted:
        return Adjusted(base=self.base.scaled(factor), shift=self.shift * factor,
                        cap=None if self.cap is None else self.cap * factor)


def adjusted(dist: Distribution, shift: float = 0.0, cap: float | None = None) -> Distribution:
    """``dist`` moved by ``shift`` and capped at ``cap``; adjusting an adjusted duration adds
    the shifts and keeps the tighter cap (exact unless an earlier negative shift clipped at 0).
    """
    if isinstance(dist, Adjusted):
        caps = [c for c in (None if dist.cap is None else dist.cap + shift, cap)
                if c is not None]
        return Adjusted(base=dist.base, shift=dist.shift + shift,
                        cap=max(min(caps), 0.0) if caps else None)
    return Adjusted(base=dist, shift=shift, cap=cap)


Distribution = Annotated[
    Fixed | Exponential | Gamma | Lognormal | Weibull | Empirical | ZeroInflated | Adjusted,
    Field(discriminator="kind"),
]

_ADAPTER: TypeAdapter[Distribution] = TypeAdapter(Distribution)


def distribution_from_dict(d: dict) -> Distribution:
    """Build (and validate) a distribution from its JSON form, dispatching on ``kind``."""
    return _ADAPTER.validate_python(d)


def to_dict(dist: Distribution) -> dict:
    """The JSON form of a distribution, ``kind`` included."""
    return _ADAPTER.dump_python(dist, mode="json")
