"""Choosing a duration distribution: recovery of known truths, zeros, ties, fallbacks, speed."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from calibration.fit_durations import FAMILIES, DurationFitter, fit_duration
from sim.distributions import (
    Distribution,
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    Lognormal,
    Weibull,
    ZeroInflated,
)

HOUR = 3600.0
DAY = 86400.0
TRUTHS = [
    Gamma(shape=2.5, scale=HOUR),
    Lognormal(mu=math.log(5 * HOUR), sigma=0.8),
    Weibull(shape=1.7, scale=2 * DAY),
    Exponential(scale=30 * 60.0),
]


def draw(dist: Distribution, n: int, seed: int = 0) -> np.ndarray:
    return dist.sample(np.random.default_rng(seed), n)


@pytest.mark.parametrize("truth", TRUTHS, ids=repr)
def test_recovers_median_and_p90_of_known_distribution(truth: Distribution) -> None:
    fitter = DurationFitter().fit(draw(truth, 2000))
    q = [0.5, 0.9]
    np.testing.assert_allclose(fitter.best_.quantile(q), truth.quantile(q), rtol=0.10)
    assert fitter.n_ == 2000
    assert fitter.n_zero_ == 0


def test_lognormal_data_is_fitted_as_lognormal() -> None:
    n = 2000
    truth = Lognormal(mu=math.log(5 * HOUR), sigma=0.8)
    fitter = DurationFitter().fit(draw(truth, n, seed=1))
    assert isinstance(fitter.best_, Lognormal)
    assert min((c.aic, c.name) for c in fitter.candidates_ if c.aic is not None)[1] == "lognormal"
    # Maximum-likelihood standard errors: sigma/sqrt(n) for mu, sigma/sqrt(2n) for sigma.
    assert abs(fitter.best_.mu - truth.mu) <= 4 * truth.sigma / math.sqrt(n)
    assert abs(fitter.best_.sigma - truth.sigma) <= 4 * truth.sigma / math.sqrt(2 * n)


def test_candidates_report_every_family() -> None:
    fitter = DurationFitter().fit(draw(Gamma(shape=2, scale=100), 500))
    assert [c.name for c in fitter.candidates_] == list(FAMILIES)
    fixed, *families = fitter.candidates_
    assert fixed.reason == "values are not constant"
    for c in families:
        assert c.reason is None
        assert c.params is not None and c.loglik is not None
        assert c.ks_stat is not None and c.ks_pvalue is not None
        assert c.aic == pytest.approx(2 * len(c.params) - 2 * c.loglik)
        assert c.bic == pytest.approx(len(c.params) * math.log(500) - 2 * c.loglik)
        assert 0 <= c.ks_stat <= 1
        assert 0 <= c.ks_pvalue <= 1


def test_bic_criterion_picks_lowest_bic() -> None:
    fitter = DurationFitter(criterion="bic").fit(draw(Weibull(shape=1.3, scale=HOUR), 800))
    scored = [(c.bic, c) for c in fitter.candidates_ if c.bic is not None]
    best = min(scored, key=lambda scored_fit: scored_fit[0])[1]
    assert fitter.best_.kind == best.name
    assert fitter.best_.model_dump(exclude={"kind"}) == best.params


def test_only_listed_candidates_are_tried() -> None:
    fitter = DurationFitter(candidates=("gamma",)).fit(draw(Gamma(shape=3, scale=50), 300))
    assert [c.name for c in fitter.candidates_] == ["gamma"]
    assert isinstance(fitter.best_, Gamma)


def test_zero_inflated_data() -> None:
    n, p_zero = 3000, 0.3
    truth = ZeroInflated(p_zero=p_zero, rest=Gamma(shape=2, scale=600))
    x = draw(truth, n, seed=2)
    fitter = DurationFitter().fit(x)
    best = fitter.best_
    assert isinstance(best, ZeroInflated)
    assert fitter.n_zero_ == np.count_nonzero(x == 0)
    assert abs(best.p_zero - p_zero) <= 4 * math.sqrt(p_zero * (1 - p_zero) / n)
    np.testing.assert_allclose(
        best.rest.quantile([0.5, 0.9]), truth.rest.quantile([0.5, 0.9]), rtol=0.10
    )


def test_a_few_zeros_are_not_inflated() -> None:
    x = draw(Lognormal(mu=5, sigma=1), 1000, seed=3)
    x[:10] = 0.0  # 1%: below the zero share that earns its own mass
    fitter = DurationFitter().fit(x)
    assert isinstance(fitter.best_, Lognormal)
    assert fitter.n_zero_ == 10


def test_all_zeros_give_fixed_zero() -> None:
    assert fit_duration(np.zeros(500)) == Fixed(value=0.0)
    assert fit_duration(np.zeros(500), candidates=("gamma",)) == Fixed(value=0.0)


def test_constant_data_gives_fixed() -> None:
    assert fit_duration(np.full(100, 2 * HOUR)) == Fixed(value=2 * HOUR)
    jitter = 2 * HOUR + np.random.default_rng(0).normal(0, 1, 100)  # CV about 1.4e-4
    best = fit_duration(jitter)
    assert isinstance(best, Fixed)
    assert best.value == pytest.approx(jitter.mean())


def test_zeros_plus_constant_give_zero_inflated_fixed() -> None:
    x = np.array([0.0] * 30 + [60.0] * 70)
    assert fit_duration(x) == ZeroInflated(p_zero=0.3, rest=Fixed(value=60.0))


def test_tiny_samples_give_empirical_of_the_data() -> None:
    x = [300.0, 0.0, 120.0, 5000.0, 60.0]
    fitter = DurationFitter().fit(x)
    assert fitter.best_ == Empirical(values=tuple(x))
    assert fitter.candidates_ == []
    assert fit_duration([42.0]) == Fixed(value=42.0)
    assert isinstance(fit_duration(x, min_samples=3), ZeroInflated)


def test_bimodal_data_falls_back_to_empirical() -> None:
    # Quick approvals and ones that wait for a committee: no single family fits.
    rng = np.random.default_rng(4)
    x = np.concatenate(
        [rng.lognormal(math.log(HOUR), 0.3, 1000), rng.lognormal(math.log(3 * DAY), 0.3, 1000)]
    )
    fitter = DurationFitter().fit(x)
    assert isinstance(fitter.best_, Empirical)
    assert "KS" in fitter.reason_
    q = np.linspace(0.05, 0.95, 19)
    np.testing.assert_allclose(fitter.best_.quantile(q), np.quantile(x, q), rtol=0.05)


@pytest.mark.parametrize("seed", range(5))
def test_a_wide_family_with_a_far_mean_falls_back_to_empirical(seed: int) -> None:
    # Repeat calls: most within the hour, a few days later; none past ten days. A lognormal
    # passes the KS test on the body but puts its mean at several times the data's.
    rng = np.random.default_rng(seed)
    x = rng.lognormal(7.0, 3.4, 400)
    x = x[x < 10 * DAY][:170]
    fitter = DurationFitter().fit(x)
    assert isinstance(fitter.best_, Empirical)
    assert "standard errors" in fitter.reason_
    lognormal = next(c for c in fitter.candidates_ if c.name == "lognormal")
    assert lognormal.ks_pvalue is not None and lognormal.ks_pvalue > 0.01  # the body fits
    assert lognormal.params is not None
    wide = Lognormal(mu=lognormal.params["mu"], sigma=lognormal.params["sigma"])
    assert wide.mean() > 1.3 * x.mean()
    # the quantiles' interpolation gives the largest value half a share: within 15%
    assert fitter.best_.mean() == pytest.approx(x.mean(), rel=0.15)


def test_whole_day_ties_fall_back_to_empirical() -> None:
    x = np.round(draw(Gamma(shape=2, scale=3 * DAY), 2000, seed=5) / DAY) * DAY
    assert np.unique(x).size < 40
    fitter = DurationFitter().fit(x)
    assert isinstance(fitter.best_, Empirical)
    # The few zero-day values are kept by the fallback even though the families skip them.
    assert fitter.best_.values[0] == 0.0


def test_few_outliers_do_not_move_median_and_p90() -> None:
    truth = Gamma(shape=3, scale=100)
    x = draw(truth, 2000, seed=6)
    x[:10] *= 1000  # a handful of deals that stalled for months
    best = fit_duration(x)
    np.testing.assert_allclose(best.quantile([0.5, 0.9]), truth.quantile([0.5, 0.9]), rtol=0.10)


def test_small_rejected_sample_keeps_the_family() -> None:
    # Between min_samples and 50 values the empirical quantiles are too rough to prefer.
    x = np.array([10.0] * 20 + [1000.0] * 20)
    fitter = DurationFitter().fit(x)
    assert not isinstance(fitter.best_, Empirical)


def test_large_sample_is_fast_reproducible_and_uses_all_data() -> None:
    rng = np.random.default_rng(7)
    x = np.concatenate([rng.lognormal(6, 0.4, 50_000), rng.lognormal(10, 0.4, 50_000)])
    start = time.perf_counter()
    fitter = DurationFitter().fit(x)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0
    assert fitter.best_ == Empirical.from_sample(x)
    assert DurationFitter().fit(x).candidates_ == fitter.candidates_


def test_large_parametric_sample_is_fitted() -> None:
    truth = Weibull(shape=0.8, scale=HOUR)
    best = fit_duration(draw(truth, 100_000, seed=8))
    assert isinstance(best, Weibull)
    assert best.shape == pytest.approx(truth.shape, rel=0.05)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([], "no durations"),
        ([1.0, -5.0], "must be >= 0"),
        ([1.0, math.nan], "finite"),
    ],
)
def test_bad_values_are_rejected(values: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DurationFitter().fit(values)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"candidates": ("gamma", "normal")}, "candidates"),
        ({"candidates": ()}, "candidates"),
        ({"criterion": "r2"}, "criterion"),
        ({"min_samples": 0}, "min_samples"),
    ],
)
def test_bad_settings_are_rejected(settings: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DurationFitter(**settings).fit([1.0, 2.0, 3.0])
