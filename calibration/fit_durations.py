"""Choosing a duration distribution for one activity (or wait) from observed durations.

Real durations are awkward: many are exactly 0 (atomic events), timestamps are rounded
(whole minutes or days, so values tie), a few deals stall for months. The fitter tries a
few parametric families by maximum likelihood, keeps the one with the best information
criterion, and falls back to the data's own quantiles when no family describes the data.
Every candidate's result is kept in ``candidates_`` so the report can show why.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import TypedDict, Unpack

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from sim.distributions import (
    PARAMETRIC,
    Distribution,
    Empirical,
    Fixed,
    ParametricFamily,
    ZeroInflated,
)

__all__ = ["CandidateFit", "DurationFitter", "fit_duration"]

ZERO_SHARE = 0.02  # above this share of exact zeros, zeros get their own probability mass
CONSTANT_CV = 1e-3  # coefficient of variation below which durations count as constant
KS_ALPHA = 0.01  # the best family is rejected when its KS p-value is below this
EMPIRICAL_MIN_N = 50  # ... but only if there are enough values to trust their quantiles
MEAN_Z = 4.0  # a family whose mean is this many standard errors off the values' is rejected
MAX_FIT_N = 5000  # larger samples are fitted on a deterministic subsample of this size
CRITERIA = ("aic", "bic")


@dataclass(frozen=True)
class CandidateFit:
    """One family's result; ``reason`` says why it was skipped or failed (else None)."""

    name: str
    params: dict[str, float] | None = None
    loglik: float | None = None
    aic: float | None = None
    bic: float | None = None
    ks_stat: float | None = None
    ks_pvalue: float | None = None
    reason: str | None = None


_FAMILIES: dict[str, type[ParametricFamily]] = {
    family.model_fields["kind"].default: family for family in PARAMETRIC}
FAMILIES = ("fixed", *_FAMILIES)


class DurationFitter:
    """Fit a duration distribution, scikit-learn style: ``DurationFitter().fit(x).best_``.

    The rule, in order:

    1. Nearly constant values (coefficient of variation < ``CONSTANT_CV``) give
       ``Fixed(mean)`` if ``"fixed"`` is a candidate; all zeros always give ``Fixed(0)``.
    2. Fewer than ``min_samples`` values give ``Empirical`` of the data as they are.
    3. If more than ``ZERO_SHARE`` of the values are exactly 0, the positive values are fitted
       by steps 1, 4 and 5 and wrapped in ``ZeroInflated``; a smaller share of zeros is
       left out of the family fits (they have no mass at 0) but kept in an empirical
       fallback.
    4. Each parametric candidate is fitted by maximum likelihood with location 0 on at most
       ``MAX_FIT_N`` values (a seeded subsample, so the result is reproducible and fast);
       the lowest AIC (or BIC) wins.
    5. If that winner's Kolmogorov-Smirnov p-value is below ``KS_ALPHA`` and there are at
       least ``EMPIRICAL_MIN_N`` values, no family fits (bimodal data, heavy ties from
       rounded timestamps) and ``Empirical`` quantiles of all the values are used instead.
       The same happens when every candidate fails, and when the winner's mean lies more
       than ``MEAN_Z`` standard errors from the values' mean (a wide lognormal can pass
       the KS test with a mean several times the data's).

    Learned attributes: ``best_``, ``candidates_`` (a ``CandidateFit`` per candidate),
    ``n_`` (values seen), ``n_zero_`` (of which exactly 0) and ``reason_`` (why ``best_``).
    """

    def __init__(
        self,
        candidates: tuple[str, ...] = FAMILIES,
        min_samples: int = 20,
        criterion: str = "aic",
    ) -> None:
        self.candidates = candidates
        self.min_samples = min_samples
        self.criterion = criterion

    def fit(self, values: ArrayLike) -> DurationFitter:
        """Learn ``best_`` from observed durations in seconds (finite, >= 0)."""
        self._check_settings()
        x = _check_values(values)
        self.n_ = int(x.size)
        self.n_zero_ = int(np.count_nonzero(x == 0))
        self.candidates_: list[CandidateFit] = []
        if self._constant(x):
            self.best_: Distribution = Fixed(value=float(x.mean()))
            self.reason_ = "values are constant"
        elif x.size < self.min_samples:
            self.best_ = Empirical.from_sample(x)
            self.reason_ = f"only {x.size} values (< min_samples={self.min_samples})"
        elif self.n_zero_ > ZERO_SHARE * x.size:
            p_zero = self.n_zero_ / x.size
            positive = x[x > 0]
            rest, reason = self._fit_positive(positive, positive)
            self.best_ = ZeroInflated(p_zero=p_zero, rest=rest)
            self.reason_ = f"{p_zero:.1%} zeros; positive part: {reason}"
        else:
            self.best_, self.reason_ = self._fit_positive(x[x > 0], x)
        return self

    def _check_settings(self) -> None:
        unknown = [c for c in self.candidates if c not in FAMILIES]
        if unknown or not self.candidates:
            raise ValueError(
                f"candidates must be a non-empty subset of {FAMILIES} (got {self.candidates})"
            )
        if self.criterion not in CRITERIA:
            raise ValueError(f"criterion must be one of {CRITERIA} (got {self.criterion!r})")
        if self.min_samples < 1:
            raise ValueError(f"min_samples must be >= 1 (got {self.min_samples})")

    def _constant(self, x: np.ndarray) -> bool:
        mean = float(x.mean())
        if mean == 0:  # all zeros: no other family can describe them
            return True
        return "fixed" in self.candidates and float(x.std()) / mean < CONSTANT_CV

    def _fit_positive(self, y: np.ndarray, data: np.ndarray) -> tuple[Distribution, str]:
        """Steps 1, 2, 4 and 5 on values ``y`` > 0: (choice, why).

        An empirical fallback is built from ``data``, which keeps the few zeros that the
        families had to leave out.
        """
        if self._constant(y):
            return Fixed(value=float(y.mean())), "values are constant"
        if y.size < self.min_samples:
            reason = f"only {y.size} values (< min_samples={self.min_samples})"
            return Empirical.from_sample(data), reason
        sub = y
        if y.size > MAX_FIT_N:
            sub = np.random.default_rng(0).choice(y, MAX_FIT_N, replace=False)
        fitted: list[tuple[CandidateFit, Distribution]] = []
        for name in self.candidates:
            if name == "fixed":
                self.candidates_.append(CandidateFit(name, reason="values are not constant"))
                continue
            result, dist = _fit_one(name, sub)
            self.candidates_.append(result)
            if dist is not None:
                fitted.append((result, dist))
        if not fitted:
            return Empirical.from_sample(data), "every candidate failed"
        best, dist = min(fitted, key=lambda pair: getattr(pair[0], self.criterion))
        if (best.ks_pvalue is not None and best.ks_pvalue < KS_ALPHA  # set for each fit
                and y.size >= EMPIRICAL_MIN_N):
            reason = f"best family {best.name} fails the KS test (p={best.ks_pvalue:.2g})"
            return Empirical.from_sample(data), reason
        off = _mean_error(dist, y)
        if off > MEAN_Z and y.size >= EMPIRICAL_MIN_N:
            reason = (f"best family {best.name} has a mean {off:.1f} standard errors from "
                      "the values' mean")
            return Empirical.from_sample(data), reason
        return dist, f"lowest {self.criterion.upper()}: {best.name}"


def _mean_error(dist: Distribution, y: np.ndarray) -> float:
    """How many standard errors the family's mean lies from the values' mean. A heavy-tailed
    family can pass the KS test, which looks at the body, with a mean several times the
    data's (a lognormal with a wide spread); the mean is what case durations add up, so such
    a fit would lengthen every simulated case."""
    error = float(np.std(y, ddof=1)) / math.sqrt(y.size)
    return abs(dist.mean() - float(y.mean())) / error if error > 0 else 0.0


def _check_values(values: ArrayLike) -> np.ndarray:
    x = np.asarray(values, dtype=float).ravel()
    if x.size == 0:
        raise ValueError("no durations to fit (got an empty sequence)")
    if not np.isfinite(x).all():
        raise ValueError("durations must be finite numbers; drop missing values first")
    if (x < 0).any():
        raise ValueError(
            f"durations must be >= 0 (got {x.min()}); an end before its start usually means "
            "swapped or mis-parsed timestamps"
        )
    return x


def _fit_one(name: str, y: np.ndarray) -> tuple[CandidateFit, Distribution | None]:
    """Fit one family by maximum likelihood and score it; a failure becomes a reason."""
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            dist = _FAMILIES[name].fit(y)
            frozen = dist.frozen()
            loglik = float(frozen.logpdf(y).sum())
    except (ValueError, RuntimeError, FloatingPointError) as error:
        return CandidateFit(name, reason=f"fit failed: {error}"), None
    if not math.isfinite(loglik):
        return CandidateFit(name, reason="log-likelihood is not finite"), None
    params = dist.model_dump(exclude={"kind"})
    k = len(params)
    ks = stats.kstest(y, frozen.cdf)
    result = CandidateFit(
        name,
        params=params,
        loglik=loglik,
        aic=2 * k - 2 * loglik,
        bic=k * math.log(y.size) - 2 * loglik,
        ks_stat=float(ks.statistic),
        ks_pvalue=float(ks.pvalue),
    )
    return result, dist


class FitterSettings(TypedDict, total=False):
    """``DurationFitter``'s settings, as ``fit_duration`` passes them on."""

    candidates: tuple[str, ...]
    min_samples: int
    criterion: str


def fit_duration(values: ArrayLike, **settings: Unpack[FitterSettings]) -> Distribution:
    """Shortcut for ``DurationFitter(**settings).fit(values).best_``."""
    return DurationFitter(**settings).fit(values).best_
