"""Per activity: its kind, its processing time and the delay before it.

Processing is the work from start to end, in working seconds of the pool's calendar (a
task started Friday afternoon and finished Monday morning took a few hours of work, not
three days), every open hour counted in full, however seldom it is worked (the calendar's
``work_clock``: people work at their pace whenever they work). The delay runs from the end
of the case's previous activity until the activity was ready: for staffed work in working
time with queueing for busy people taken out (the engine adds that back by itself), for
customers and systems in calendar time.
When a case attribute changes a delay a lot (payment days by payment terms), or the
activity the case did just before does (a follow-up call comes days after the last call but
right after the application: waiting that depends on the case's state, as the extraneous
delays of Chapela-Campa & Dumas are discovered per activity pair), the delay is fitted per
value of that factor. A wait that drifted over the log (a step that slowed as a backlog
grew, or sped up with a new tool) is learned at its current level: from the latest third of
its observations, when the drift is both material and significant.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from calibration.fit.pools import PoolFitter
from calibration.fit.prepared import PreparedLog
from calibration.fit.waiting import impute_censored, ready_delays
from calibration.fit_durations import DurationFitter
from sim.distributions import Distribution, Fixed
from sim.kpi_roles import ActivityRoles
from sim.model import (
    AROUND,
    FIRST,
    LEVEL_SEPARATOR,
    NEXT,
    PATH_SEPARATOR,
    PREVIOUS,
    VISIT,
    Activity,
    AttributeDelays,
    CandidateScore,
    FitReport,
    visit_keys,
)

CUSTOMER_ROLES = ("quote_accepted", "contract_signed", "payment_received")
MAX_LEVELS = 10  # attributes with more values than this do not split delays
MIN_LEVEL_CASES = 30
SPLIT_P_VALUE = 1e-6
SPLIT_MEDIAN_RATIO = 1.3
MEDIAN_FLOOR = 60.0  # seconds added to medians before their ratio: a zero wait compares
MIN_SPEED_TASKS = 20  # a member's speed is estimated from at least this many tasks
RECENT_SHARE = 1 / 3  # a drifted wait is learned from this latest share of its observations
MIN_RECENT = 30  # ... at least this many
DRIFT_P_VALUE = 1e-3  # Spearman test of the wait against the time it began
DRIFT_RATIO = 1.25  # the latest third's median against the whole's, either way
SINGLE_RESOURCE_SHARE = 0.5  # a non-staffed activity writes its usual resource if this common


@dataclass(frozen=True)
class Drift:
    """A wait that drifted: its median over all observations and over the latest ones, which
    begin at ``since`` (seconds on the prepared log's clock)."""

    whole_median: float
    recent_median: float
    since: float


def current_level(begun: np.ndarray, waits: np.ndarray) -> Drift | None:
    """The drift of the waits over the time they began, if material and significant: the
    latest third differs from the whole by ``DRIFT_RATIO`` in the direction the rank
    correlation shows. Only settled waits come here (begun far enough before the end of the
    log for nearly all to have ended), so the latest ones are not the short ones alone."""
    if len(waits) * RECENT_SHARE < MIN_RECENT:
        return None
    since = float(np.quantile(begun, 1 - RECENT_SHARE))
    recent = waits[begun >= since]
    whole, latest = float(np.median(waits)), float(np.median(recent))
    ratio = (latest + MEDIAN_FLOOR) / (whole + MEDIAN_FLOOR)
    if len(recent) < MIN_RECENT or not (ratio >= DRIFT_RATIO or ratio <= 1 / DRIFT_RATIO):
        return None
    rho, p_value = stats.spearmanr(begun, waits)
    if not p_value < DRIFT_P_VALUE or (rho > 0) != (ratio > 1):
        return None
    return Drift(whole, latest, since)


class ActivityFitter:
    """Fits every activity of the log; ``activities_`` maps name -> Activity."""

    def __init__(self, fitter: DurationFitter | None = None,
                 split_attributes: tuple[str, ...] = (), queue_removal: bool = True,
                 current_waits: bool = True) -> None:
        self.fitter = fitter or DurationFitter()
        self.split_attributes = split_attributes
        self.queue_removal = queue_removal  # False: a staffed task's whole wait is its delay
        self.current_waits = current_waits  # False: a drifted wait is learned from all of it

    def fit(self, log: PreparedLog, pools: PoolFitter) -> ActivityFitter:
        roles = ActivityRoles.default()
        delays = self._delays(log, pools)
        work, speed = self._work(log, pools)
        self.speeds_ = speed
        self.activities_: dict[str, Activity] = {}
        self.drifted_: dict[str, Drift] = {}
        stage = log.events.get("stage")
        for code, name in enumerate(log.activities):
            mine = log.activity == code
            pool = pools.activity_pool_.get(name) if name in pools.staffed_ else None
            processing = processing_fit = None
            if pool is not None:
                factor = pd.Series(log.resource[mine]).map(speed[pool]).fillna(1.0).to_numpy()
                processing, processing_fit = self._fit_reported(work[mine] / factor)
            judged = mine & ~np.isnan(delays)
            if self.current_waits:
                # by when each wait began: a wait begun lately is seen only if short
                drift = current_level(log.prev_end[judged], delays[judged])
                if drift is not None:
                    self.drifted_[name] = drift
                    judged &= log.prev_end >= drift.since
            delay, delay_fit = (self._fit_reported(delays[judged]) if judged.any()
                                else (Fixed(value=0.0), None))
            self.activities_[name] = Activity(
                kind="staffed" if pool else _kind(name, roles),
                pool=pool, processing=processing, delay=delay,
                delay_clock="working" if pool else "calendar",
                delay_by=self._split(log, judged, delays),
                stage=_most_common(stage[mine]) if stage is not None else None,
                resource=None if pool else _usual_resource(log.resource[mine]),
                count=int(mine.sum()), processing_fit=processing_fit, delay_fit=delay_fit)
        return self

    def _work(self, log: PreparedLog, pools: PoolFitter
              ) -> tuple[np.ndarray, dict[str, dict[str, float]]]:
        """Per event: working seconds from start to end; per pool: each member's speed.

        A member's speed is the geometric mean, over their tasks, of how long the task took
        against the activity's median, normalised so that the pool's typical task has speed
        1. Work times are fitted divided by the speed, and the engine multiplies back.
        """
        work = np.full(log.n_events, np.nan)
        speeds: dict[str, dict[str, float]] = {}
        for name, pool in pools.pools_.items():
            codes = [log.activities.index(a) for a, p in pools.activity_pool_.items()
                     if p == name and a in pools.staffed_]
            mine = np.isin(log.activity, codes)
            work[mine] = pool.calendar.work_clock.between(log.start[mine], log.end[mine])
            frame = pd.DataFrame({"activity": log.activity[mine], "work": work[mine],
                                  "member": log.resource[mine]})
            frame = frame[(frame["work"] > 0) & frame["member"].notna()]
            frame["log_ratio"] = np.log(frame["work"] / frame.groupby("activity")["work"]
                                        .transform("median"))
            per_member = frame.groupby("member")["log_ratio"].agg(["mean", "size"])
            per_member = per_member[per_member["size"] >= MIN_SPEED_TASKS]
            if len(per_member) < 2:
                speeds[name] = {}
                continue
            typical = np.average(per_member["mean"], weights=per_member["size"])
            speeds[name] = {str(m): float(np.exp(v - typical))
                            for m, v in per_member["mean"].items()}
        return work, speeds

    def _fit(self, values: np.ndarray) -> Distribution:
        return self.fitter.fit(np.maximum(values, 0.0)).best_

    def _fit_reported(self, values: np.ndarray) -> tuple[Distribution, FitReport]:
        """The chosen distribution and the goodness of fit of every candidate."""
        fitted = self.fitter.fit(np.maximum(values, 0.0))
        scores = tuple(CandidateScore(family=c.name, aic=_finite(c.aic), bic=_finite(c.bic),
                                      ks_pvalue=_finite(c.ks_pvalue), note=c.reason)
                       for c in fitted.candidates_)
        return fitted.best_, FitReport(n=fitted.n_, chosen=fitted.reason_, candidates=scores)

    def _delays(self, log: PreparedLog, pools: PoolFitter) -> np.ndarray:
        """Per event: the delay before it (NaN for a case's first event, and where the
        previous step is not settled: only its quick successors had time to show). Staffed
        work waits in its pool's working time, also where the log names no member (then no
        queueing can be taken out)."""
        judged = np.r_[False, log.settled[:-1]] & ~log.first_in_case
        delays = np.where(judged, np.maximum(log.start - log.prev_end, 0.0), np.nan)
        for name, pool in pools.pools_.items():
            codes = [log.activities.index(a) for a, p in pools.activity_pool_.items()
                     if p == name and a in pools.staffed_]
            staffed = np.isin(log.activity, codes) & judged
            clock = pool.calendar.clock  # the engine runs these delays on it: all in its time
            delays[staffed] = np.maximum(clock.between(log.prev_end[staffed],
                                                       log.start[staffed]), 0.0)
            if not self.queue_removal:
                continue
            mine = np.isin(log.activity, codes) & np.isin(log.resource, list(pool.members))
            lower, upper = ready_delays(log.start[mine], log.end[mine], log.prev_end[mine],
                                        log.resource[mine].astype(str), pool.calendar.clock,
                                        any_member=pool.assignment == "any")
            for code in codes:
                one = log.activity[mine] == code
                known = one & judged[mine]
                imputed = np.full(int(one.sum()), np.nan)
                imputed[known[one]] = impute_censored(lower[known], upper[known], self._fit)
                delays[np.flatnonzero(mine)[one]] = imputed
        return delays

    def _split(self, log: PreparedLog, mine: np.ndarray,
               delays: np.ndarray) -> AttributeDelays | None:
        """The factor (a case attribute, the activity before or after, or how often the case
        has been here) that changes this delay most, if any changes it clearly; then, the
        way forward selection adds a variable, the pair of it and a second factor, kept only
        where the second adds more than its extra levels cost in the score."""
        values = delays[mine]
        names = np.array([*log.activities, FIRST], dtype=object)
        factors = {attribute: _Factor.of(log.case_attribute(attribute).to_numpy()[log.case[mine]])
                   for attribute in self.split_attributes}
        factors[PREVIOUS] = _Factor.of(names[log.prev_activity[mine]])
        factors[VISIT] = _Factor.of(visit_keys(log.visit[mine]))
        factors[NEXT] = _Factor.of(log.following[mine])
        factors[AROUND] = factors[PREVIOUS].joined(factors[NEXT], PATH_SEPARATOR)
        best: tuple[float, tuple[str, ...]] | None = None
        for name, factor in factors.items():
            score = _split_score(values, factor.codes, MAX_LEVELS)
            if score is not None and (best is None or score > best[0]):
                best = (score, (name,))
        if best is None:
            return None
        first, chosen = best[1][0], factors[best[1][0]]
        for second, factor in factors.items():
            if second == first or (AROUND in (first, second)
                                   and {first, second} & {PREVIOUS, NEXT}):
                continue  # "around" holds the steps before and after already
            pair = factors[first].joined(factor, LEVEL_SEPARATOR)
            score = _split_score(values, pair.codes, 2 * MAX_LEVELS)
            if score is not None and score > best[0]:
                best, chosen = (score, (first, second)), pair
        key = best[1]
        fitted = self._per_level(values, factors[first])
        if len(key) > 1:  # a pair rare on the log falls back on its first factor's key
            fitted |= self._per_level(values, chosen)
        return AttributeDelays(attribute=key[0], also=key[1] if len(key) > 1 else None,
                               values=dict(sorted(fitted.items())))

    def _per_level(self, values: np.ndarray, factor: _Factor) -> dict[str, Distribution]:
        """The delay fitted on each level seen often enough."""
        sizes = np.bincount(factor.codes[factor.codes >= 0])
        return {factor.key(int(code)): self._fit(values[factor.codes == code])
                for code in np.flatnonzero(sizes >= MIN_LEVEL_CASES)}


@dataclass(frozen=True)
class _Factor:
    """A factor's value per delay as integer codes (-1: not known), and its keys."""

    codes: np.ndarray
    key: Callable[[int], str]  # of a code

    @classmethod
    def of(cls, levels: np.ndarray) -> _Factor:
        codes, uniques = pd.factorize(pd.Series(levels, dtype=object))
        return cls(codes.astype(np.int64), lambda code: str(uniques[code]))

    def joined(self, other: _Factor, separator: str) -> _Factor:
        """The pair of two factors, keyed "k1<separator>k2"."""
        width = int(other.codes.max(initial=-1)) + 1
        known = (self.codes >= 0) & (other.codes >= 0)
        codes, pairs = pd.factorize(np.where(known, self.codes * width + other.codes, -1))
        codes[~known] = -1

        def keys(code: int) -> str:
            first, second = divmod(int(pairs[code]), width)
            return f"{self.key(first)}{separator}{other.key(second)}"
        return _Factor(codes.astype(np.int64), keys)


def _split_score(values: np.ndarray, codes: np.ndarray, max_levels: int) -> float | None:
    """How clearly the levels ``codes`` split the delays ``values``: a Kruskal-Wallis test on
    the levels seen often enough (None: not clearly, too many levels, or too few delays on
    the levels kept), from one ranking of the values, as ``scipy.stats.kruskal`` computes
    it."""
    sizes = np.bincount(codes[codes >= 0], minlength=1)
    kept = np.flatnonzero(sizes >= MIN_LEVEL_CASES)
    if not 2 <= len(kept) <= max_levels or sizes[kept].sum() < 0.9 * len(values):
        return None
    inside = np.isin(codes, kept)
    x, group = values[inside], np.searchsorted(kept, codes[inside])
    counts = sizes[kept]
    order = np.lexsort((x, group))
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    ordered = x[order]
    medians = (ordered[starts + (counts - 1) // 2] + ordered[starts + counts // 2]) / 2
    if (medians.max() + MEDIAN_FLOOR) / (medians.min() + MEDIAN_FLOOR) < SPLIT_MEDIAN_RATIO:
        return None
    n = len(x)
    rank_sums = np.bincount(group, weights=stats.rankdata(x))
    statistic = 12.0 / (n * (n + 1)) * float(np.sum(rank_sums**2 / counts)) - 3.0 * (n + 1)
    ties = np.unique(x, return_counts=True)[1].astype(float)
    correction = 1.0 - float(np.sum(ties**3 - ties)) / (n**3 - n)
    if correction <= 0:
        return None  # every delay equal: nothing to split
    statistic /= correction
    if stats.chi2.sf(statistic, len(kept) - 1) >= SPLIT_P_VALUE:
        return None
    return _schwarz_score(statistic, len(kept) - 1, n)


def _schwarz_score(statistic: float, dof: int, n: int) -> float:
    """How much better a factor explains the data than none, its extra levels paid for as
    the Schwarz criterion does (``statistic - dof * ln n``; Schwarz 1978). Factors that are
    all significant on a large log have p-values that all round to zero, so ranking them
    by p-value picks whichever was tested first."""
    return float(statistic) - dof * float(np.log(max(n, 2)))


def _finite(value: float | None) -> float | None:
    return float(value) if value is not None and np.isfinite(value) else None


def _kind(name: str, roles: ActivityRoles) -> str:
    return "customer" if roles.role_of(name) in CUSTOMER_ROLES else "system"


def _most_common(values: pd.Series) -> str | None:
    counts = values.dropna().astype(str).value_counts()
    return str(counts.index[0]) if len(counts) else None


def _usual_resource(resources: np.ndarray) -> str | None:
    counts = pd.Series(resources, dtype=object).value_counts()
    if counts.empty:
        return None
    return (str(counts.index[0]) if counts.iloc[0] >= SINGLE_RESOURCE_SHARE * len(resources)
            else None)
