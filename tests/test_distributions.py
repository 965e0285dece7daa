"""Duration distributions: JSON form, reproducible sampling, exact moments, scaling, checks."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from pydantic import BaseModel, ValidationError
from scipy import stats

from sim.distributions import (
    BY_SCIPY_NAME,
    PARAMETRIC,
    Distribution,
    DistributionWords,
    Empirical,
    Exponential,
    Fixed,
    Gamma,
    Lognormal,
    Parametric,
    Weibull,
    ZeroInflated,
    adjusted,
    distribution_from_dict,
    to_dict,
)

HOUR = 3600.0
ALL: list[Distribution] = [
    Fixed(value=90.0),
    Exponential(scale=HOUR),
    Gamma(shape=2.5, scale=HOUR),
    Lognormal(mu=math.log(2 * HOUR), sigma=0.9),
    Weibull(shape=0.7, scale=86400.0),
    Empirical(values=(0.0, 60.0, 60.0, 600.0, 7200.0)),
    ZeroInflated(p_zero=0.35, rest=Gamma(shape=1.5, scale=HOUR)),
    ZeroInflated(p_zero=0.1, rest=Empirical(values=(10.0, 20.0, 400.0))),
]
CONTINUOUS = [d for d in ALL if not isinstance(d, Fixed)]
IDS = [repr(d) for d in ALL]


class Activity(BaseModel):
    """A stand-in for a model object that embeds distributions."""

    name: str
    duration: Distribution
    alternatives: list[Distribution] = []


@pytest.mark.parametrize("dist", ALL, ids=IDS)
def test_json_round_trip_inside_a_container(dist: Distribution) -> None:
    activity = Activity(name="Quote Approved", duration=dist, alternatives=[dist, Fixed(value=1)])
    text = activity.model_dump_json()
    back = Activity.model_validate_json(text)
    assert back == activity
    assert type(back.duration) is type(dist)
    assert json.loads(text)["duration"]["kind"] == dist.kind


@pytest.mark.parametrize("dist", ALL, ids=IDS)
def test_dict_round_trip(dist: Distribution) -> None:
    d = to_dict(dist)
    assert json.loads(json.dumps(d)) == d
    assert distribution_from_dict(d) == dist


def test_dict_form_is_readable() -> None:
    assert to_dict(ZeroInflated(p_zero=0.5, rest=Exponential(scale=2))) == {
        "kind": "zero_inflated",
        "p_zero": 0.5,
        "rest": {"kind": "exponential", "scale": 2.0},
    }


@pytest.mark.parametrize("dist", ALL, ids=IDS)
def test_same_seed_same_samples(dist: Distribution) -> None:
    first = dist.sample(np.random.default_rng(7), 500)
    again = dist.sample(np.random.default_rng(7), 500)
    np.testing.assert_array_equal(first, again)
    assert dist.sample(np.random.default_rng(7)) == dist.sample(np.random.default_rng(7))


@pytest.mark.parametrize("dist", CONTINUOUS, ids=repr)
def test_different_seeds_differ(dist: Distribution) -> None:
    a = dist.sample(np.random.default_rng(1), 100)
    b = dist.sample(np.random.default_rng(2), 100)
    assert not np.array_equal(a, b)


@pytest.mark.parametrize("dist", ALL, ids=IDS)
def test_sample_shapes_and_types(dist: Distribution) -> None:
    rng = np.random.default_rng(0)
    one = dist.sample(rng)
    many = dist.sample(rng, 1000)
    assert isinstance(one, float)
    assert many.shape == (1000,)
    assert many.dtype == np.float64
    assert (many >= 0).all()
    assert dist.sample(rng, 0).shape == (0,)


@pytest.mark.parametrize("dist", ALL, ids=IDS)
def test_sample_mean_matches_mean(dist: Distribution) -> None:
    n = 40_000
    draws = dist.sample(np.random.default_rng(11), n)
    standard_error = draws.std(ddof=1) / math.sqrt(n)
    assert abs(draws.mean() - dist.mean()) <= 4 * standard_error + 1e-9 * dist.mean()


@pytest.mark.parametrize("dist", CONTINUOUS, ids=repr)
@pytest.mark.parametrize("q", [0.5, 0.75, 0.95])
def test_sample_share_below_quantile_is_q(dist: Distribution, q: float) -> None:
    n = 40_000
    draws = dist.sample(np.random.default_rng(5), n)
    share = np.mean(draws <= dist.quantile(q))
    assert abs(share - q) <= 4 * math.sqrt(q * (1 - q) / n)


@pytest.mark.parametrize(
    ("dist", "reference"),
    [
        (Exponential(scale=HOUR), stats.expon(scale=HOUR)),
        (Gamma(shape=2.5, scale=HOUR), stats.gamma(2.5, scale=HOUR)),
        (Lognormal(mu=8.0, sigma=0.9), stats.lognorm(0.9, scale=math.exp(8.0))),
        (Weibull(shape=0.7, scale=86400.0), stats.weibull_min(0.7, scale=86400.0)),
    ],
    # scipy's frozen distributions show their address: named by family, the same in every
    # process (pytest-xdist's workers must collect the same ids)
    ids=lambda value: value.dist.name if hasattr(value, "dist") else repr(value),
)
def test_quantile_and_mean_agree_with_scipy(dist: Distribution, reference) -> None:
    q = np.array([0.0, 0.01, 0.25, 0.5, 0.9, 0.999])
    np.testing.assert_allclose(dist.quantile(q), reference.ppf(q), rtol=1e-9)
    assert dist.mean() == pytest.approx(reference.mean(), rel=1e-12)


def test_quantile_scalar_in_scalar_out() -> None:
    q = Gamma(shape=2, scale=10).quantile(0.5)
    assert isinstance(q, float)
    assert q == pytest.approx(stats.gamma(2, scale=10).median())


def test_empirical_reproduces_data_quantiles() -> None:
    data = np.random.default_rng(3).gamma(2.0, 100.0, 10_000)
    small = Empirical.from_sample(data)
    assert len(small.values) == 201
    grid = np.linspace(0, 1, 201)
    kept = grid[:-1]  # every quantile but the maximum (see the next test)
    np.testing.assert_allclose(small.quantile(kept), np.quantile(data, kept))
    assert small.mean() == pytest.approx(data.mean(), rel=0.01)
    few = data[:50]
    np.testing.assert_allclose(Empirical.from_sample(few).quantile(grid), np.quantile(few, grid))


def test_empirical_keeps_the_mean_of_a_heavy_tail() -> None:
    """One extreme value among 15,000 stands for its own weight, not for a 200th of the
    draws: the model's mean is the data's, to the width of the top quantile's share."""
    rng = np.random.default_rng(4)
    data = np.r_[rng.lognormal(4.0, 1.0, 14_999), 206_000.0]
    fitted = Empirical.from_sample(data)
    assert fitted.mean() == pytest.approx(data.mean(), rel=0.02)
    assert fitted.values[-2] == pytest.approx(np.quantile(data, 0.995))
    assert fitted.values[-2] <= fitted.values[-1] < data.max()
    draws = fitted.sample(np.random.default_rng(5), 200_000)
    standard_error = draws.std() / np.sqrt(draws.size)
    assert abs(draws.mean() - data.mean()) < 4 * standard_error + 0.02 * data.mean()


def test_empirical_sorts_values_and_has_exact_mean() -> None:
    dist = Empirical(values=(10.0, 0.0, 0.0))
    assert dist.values == (0.0, 0.0, 10.0)
    # Half the draws are 0, the other half uniform on [0, 10].
    assert dist.mean() == pytest.approx(2.5)
    assert Empirical(values=(4.0,)).mean() == 4.0


def test_zero_inflated_quantile_is_zero_up_to_p_zero() -> None:
    dist = ZeroInflated(p_zero=0.4, rest=Exponential(scale=100))
    np.testing.assert_array_equal(dist.quantile([0.0, 0.2, 0.4]), 0.0)
    # Above p_zero the rest's quantiles are stretched over the remaining share.
    assert dist.quantile(0.7) == pytest.approx(Exponential(scale=100).quantile(0.5))


@pytest.mark.parametrize("dist", ALL, ids=IDS)
def test_scaled_half_halves_mean_and_quantiles(dist: Distribution) -> None:
    half = dist.scaled(0.5)
    assert type(half) is type(dist)
    assert half.mean() == pytest.approx(dist.mean() / 2, rel=1e-12)
    q = [0.1, 0.5, 0.9, 0.99]
    np.testing.assert_allclose(half.quantile(q), dist.quantile(q) / 2, rtol=1e-12)


@pytest.mark.parametrize("dist", ALL, ids=IDS)
def test_scaled_zero_is_fixed_zero(dist: Distribution) -> None:
    assert dist.scaled(0) == Fixed(value=0.0)


@pytest.mark.parametrize("factor", [-0.5, math.inf, math.nan])
def test_scaled_rejects_bad_factor(factor: float) -> None:
    with pytest.raises(ValueError, match="scale factor"):
        Gamma(shape=1, scale=1).scaled(factor)


@pytest.mark.parametrize(
    ("dist", "text"),
    [
        (Lognormal(mu=math.log(2.1 * HOUR), sigma=1.0), "lognormal, median 2.1 h, P90 7.6 h"),
        (Fixed(value=30.0), "fixed, 30 s"),
        (
            ZeroInflated(p_zero=0.25, rest=Fixed(value=2 * 86400)),
            "25% zero, else fixed, 2.0 d",
        ),
        (Exponential(scale=60.0), "exponential, median 42 s, P90 2 min"),
    ],
    ids=repr,
)
def test_describe(dist: Distribution, text: str) -> None:
    assert dist.describe() == text


def test_describe_writes_its_durations_in_the_language_asked() -> None:
    """In Japanese the units are Japanese words (the old text was English for a later
    replacement), the same numbers."""
    dist = Lognormal(mu=math.log(2.1 * HOUR), sigma=1.0)
    assert dist.describe(DistributionWords(lang="ja")) == "lognormal, median 2.1 時間, P90 7.6 時間"


@pytest.mark.parametrize(
    ("data", "parameter"),
    [
        ({"kind": "fixed", "value": -1}, "value"),
        ({"kind": "exponential", "scale": 0}, "scale"),
        ({"kind": "gamma", "shape": -2, "scale": 1}, "shape"),
        ({"kind": "gamma", "shape": 2, "scale": 0}, "scale"),
        ({"kind": "lognormal", "mu": 1, "sigma": 0}, "sigma"),
        ({"kind": "lognormal", "mu": math.inf, "sigma": 1}, "mu"),
        ({"kind": "weibull", "shape": 0, "scale": 1}, "shape"),
        ({"kind": "empirical", "values": []}, "values"),
        ({"kind": "empirical", "values": [1, -3]}, "values"),
        ({"kind": "empirical", "values": [1, math.nan]}, "values"),
        ({"kind": "zero_inflated", "p_zero": 1, "rest": {"kind": "fixed", "value": 1}}, "p_zero"),
        (
            {"kind": "zero_inflated", "p_zero": -0.1, "rest": {"kind": "fixed", "value": 1}},
            "p_zero",
        ),
        (
            {
                "kind": "zero_inflated",
                "p_zero": 0.1,
                "rest": {
                    "kind": "zero_inflated",
                    "p_zero": 0.1,
                    "rest": {"kind": "fixed", "value": 1},
                },
            },
            "rest",
        ),
        ({"kind": "gamma", "shape": 1, "scale": 1, "rate": 2}, "rate"),
        ({"kind": "normal", "mu": 1, "sigma": 1}, "normal"),
    ],
    ids=lambda v: str(v) if isinstance(v, str) else v["kind"],
)
def test_invalid_parameters_name_the_parameter(data: dict, parameter: str) -> None:
    with pytest.raises(ValidationError, match=parameter):
        distribution_from_dict(data)


def test_direct_construction_is_validated_too() -> None:
    with pytest.raises(ValidationError, match="sigma"):
        Lognormal(mu=1.0, sigma=-1.0)
    with pytest.raises(ValueError, match="values must not be empty"):
        Empirical.from_sample([])


def test_distributions_are_frozen() -> None:
    dist = Gamma(shape=2, scale=3)
    with pytest.raises(ValidationError, match="frozen"):
        dist.shape = 5  # type: ignore[misc]  # the point: a frozen model refuses it


def test_bad_sample_size_and_quantile_are_rejected() -> None:
    dist = Exponential(scale=1)
    with pytest.raises(ValueError, match="n must be >= 0"):
        dist.sample(np.random.default_rng(0), -1)
    with pytest.raises(ValueError, match=r"q must be in \[0, 1\]"):
        dist.quantile([0.5, 1.5])


@pytest.mark.parametrize("dist", [*ALL, Empirical(values=(42.0,)),
                                  ZeroInflated(p_zero=0.5, rest=Fixed(value=3.0)),
                                  adjusted(Gamma(shape=2.0, scale=HOUR), -HOUR, 3 * HOUR)],
                         ids=[*IDS, "one value", "zero or fixed", "adjusted"])
def test_the_engines_draw_at_a_uniform_is_the_quantile_there(dist: Distribution) -> None:
    """What the engine reads per event is the quantile function at its uniform (to
    rounding: the lognormal's normal quantile is Python's, the vectorised one scipy's)."""
    fixed, at = dist.at_uniform()
    us = [*np.random.default_rng(3).random(500).tolist(), 1e-12, 0.35, 0.5, 1 - 2**-52]
    drawn = [fixed if at is None else at(u) for u in us]
    assert all(type(value) is float for value in drawn)
    np.testing.assert_allclose(np.asarray(drawn, dtype=float), dist.quantile(us), rtol=1e-12,
                               atol=1e-9)


@pytest.mark.parametrize("dist", [d for d in ALL if isinstance(d, Parametric)],
                         ids=lambda d: d.kind)
def test_a_family_reads_back_its_scipy_twin(dist: Parametric) -> None:
    """A Prosimos file naming scipy's family with its shapes and scale gives our member."""
    frozen = dist.frozen()
    assert frozen.dist.name == dist.scipy_name
    assert BY_SCIPY_NAME[dist.scipy_name] is type(dist)
    back = type(dist).from_scipy(list(frozen.args), frozen.kwds["scale"])
    assert back == dist


def test_every_parametric_family_is_known_by_its_scipy_name() -> None:
    assert set(BY_SCIPY_NAME.values()) == set(PARAMETRIC)


@pytest.mark.parametrize(("name", "values"), [
    ("falling hazard", np.random.default_rng(1).weibull(0.6, 2000) * 3600),
    ("rising hazard", np.random.default_rng(2).weibull(3.0, 500) * 1e5),
    ("wide lognormal", np.random.default_rng(3).lognormal(8, 2.5, 3000)),
    ("rounded to minutes", np.maximum(np.round(
        np.random.default_rng(4).gamma(1.5, 600, 1000) / 60) * 60, 60)),
    ("huge outliers", np.r_[np.random.default_rng(5).exponential(100, 500), [1e7, 3e7]]),
    ("five values", np.random.default_rng(6).weibull(1.3, 5) * 10),
])
def test_the_weibull_fit_is_the_maximum_likelihood(name: str, values: np.ndarray) -> None:
    """The closed-form fit is at least as likely as scipy's general optimiser's, and at
    the same parameters."""
    ours = Weibull.fit(values)
    shape, _, scale = stats.weibull_min.fit(values, floc=0)
    likelihood = lambda k, s: stats.weibull_min.logpdf(values, k, scale=s).sum()  # noqa: E731
    assert likelihood(ours.shape, ours.scale) >= likelihood(shape, scale) - 1e-6
    assert ours.shape == pytest.approx(shape, rel=1e-4)
    assert ours.scale == pytest.approx(scale, rel=1e-4)
