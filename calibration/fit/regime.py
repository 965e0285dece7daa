"""When did the process last change? The start of the regime a planner should learn from.

Real logs drift: a team is reorganised, a check is dropped, a backlog is cleared. A model
learned from the whole log averages the old process with the new one and plans on neither,
so calibration learns from the current regime only. A regime starts at a month start where
the cases begun after it differ from those begun before, both materially (a per-case
activity count or the median case duration changes by a fifth or more) and significantly
(a t-test that counts months as well as cases, since each month has a level of its own,
Bonferroni-corrected over every measure and month tried).

Cases are compared by the month they began in. Cases begun too recently to have finished
(right-censored) would look like a change to shorter, simpler cases, so only cases begun
long enough before the end of the log are compared, and each over the same follow-up (what
it did, and how long it ran, in its first so many days), so that a late step that only the
older cases had time to reach is not taken for a change; cases seen only from their middle
at the start of the log (left-censored) are left out too. The best cut of the whole usable
period is found first, then the best cut after it, and so on (binary segmentation on the
right): the last cut is the start of the current regime, unless it leaves too few cases to
learn from; then the regime is the one before it, and the newer change is only reported.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from calibration.fit.prepared import PreparedLog, wall_clock
from sim.calendar import DAY
from sim.eventlog import CASE_ID, START, EventLog

# Cases begun at least this quantile of the case durations before the log's end have had
# time to finish (durations of cases begun in the log's first half, so not cut short).
HORIZON_QUANTILE = 0.95
ACTIVITY_SHARE = 0.05  # an activity is compared when at least this share of cases do it
MIN_SIDE_CASES = 300  # each side of a cut: enough cases for the medians and means ...
MIN_SIDE_SHARE = 0.15  # ... and this share of the period searched, so one odd month can't win
MIN_SIDE_MONTHS = 2  # ... and whole months on each side, so a month's blip is not a regime
MATERIAL = 0.2  # a change matters to a planner from a fifth up or down ...
MIN_COUNT_CHANGE = 0.05  # ... and, for a count, from one activity more or less per 20 cases
# Family-wise error rate of one search, split over measures x months (Bonferroni, which is
# conservative here: neighbouring cuts share most of their cases).
ALPHA = 1e-2
# The current regime must leave enough to learn every part of a model from: 500 cases for
# the routing and duration fits, and a fifth of the log, because a regime found in the last
# months is mostly cases still running and its arrival trend rests on a few months; a newer
# change than that is reported (``later``) but not learned from alone.
MIN_REGIME_CASES = 500
MIN_REGIME_SHARE = 0.2
EVIDENCE = 3  # strongest changes reported per cut
DURATION = "case duration (median, days)"
CHI2_1_MEDIAN = stats.chi2.median(1)  # median of a squared standard normal


@dataclass(frozen=True)
class Change:
    """One measure that changed at the cut: its value before and after, and the p-value
    (Bonferroni-corrected for every measure and month tried, so it can be quoted as is)."""

    measure: str
    before: float
    after: float
    p_value: float


@dataclass(frozen=True)
class RegimeChange:
    """The start of the current regime (a month start) and the strongest evidence for it.

    ``cases_before``/``cases_after`` are the cases compared (begun early enough to judge,
    in the period searched); ``later`` is a newer change whose regime is too small to learn
    from alone, for the note to mention.
    """

    since: pd.Timestamp
    cases_before: int
    cases_after: int
    evidence: tuple[Change, ...]
    later: RegimeChange | None = None


@dataclass(frozen=True)
class _Cases:
    """The usable cases as month totals: what every cut's test is computed from."""

    months: pd.DatetimeIndex  # the month of each row below
    n: np.ndarray  # cases begun per month
    sums: np.ndarray  # per month x measure: sum over its cases
    squares: np.ndarray  # ... sum of squares
    duration: np.ndarray  # case durations in days, cases in month order
    offsets: np.ndarray  # where each month's cases start in ``duration`` (one past the end)
    measures: tuple[str, ...]  # per-case counts of each activity, then duration (log-scale)
    within: np.ndarray  # per measure: variance between cases begun in the same month
    between: np.ndarray  # per measure: variance of a month's own level (backlog, batches)
    regime_cases: np.ndarray  # per month: cases of the whole log begun in it or later
    min_regime: float

    def large_enough(self, month: int) -> bool:
        """Whether a regime beginning at this month leaves enough cases to learn from."""
        return bool(self.regime_cases[month] >= self.min_regime)


def find_regime(log: PreparedLog, ignore: Collection[str] = ()) -> RegimeChange | None:
    """The start of the current regime when the process changed significantly and
    materially since the log began and the regime is large enough to learn from.

    ``ignore``: activities whose count per case says nothing about the process, such as
    ones released in runs (how many a case reached in its first days depends on when the
    runs fell, not on how the process works).
    """
    cases = _usable_cases(log, ignore)
    if cases is None:
        return None
    cuts = _cuts(cases, 0, len(cases.n))
    enough = [i for i, (k, _) in enumerate(cuts) if cases.large_enough(k)]
    if not enough:
        return None
    current = enough[-1]
    regime = cuts[current][1]
    return replace(regime, later=cuts[current + 1][1]) if current + 1 < len(cuts) else regime


def begun_since(log: EventLog, since: pd.Timestamp) -> EventLog:
    """The cases begun on or after ``since`` (naive wall clock), with all their events."""
    starts = wall_clock(log.events[START]).groupby(log.events[CASE_ID].to_numpy()).min()
    keep = starts.index[starts >= since]
    events = log.events[log.events[CASE_ID].isin(keep)].reset_index(drop=True)
    return replace(log, events=events, cases=log.cases.loc[log.cases.index.isin(keep)])


def _usable_cases(log: PreparedLog, ignore: Collection[str] = ()) -> _Cases | None:
    """Per-month totals of the cases that began early enough to be judged."""
    if log.n_events == 0:
        return None
    case, activity, start, end = log.case, log.activity, log.start, log.end
    names = np.array(log.activities, dtype=object)
    n_cases, n_activities = len(log.case_ids), len(names)
    begin = start[log.first_in_case]  # per case number: its first start (events are sorted)
    counted = ~np.isin(names, list(ignore))[activity]  # nor do they say when a case ended
    last = np.full(n_cases, -np.inf)
    np.maximum.at(last, case[counted], end[counted])
    days = (np.maximum(last, begin) - begin) / DAY

    left_censored = log.left_censored
    early = ~left_censored & (begin < begin.min() + (end.max() - begin.min()) / 2)
    if not early.any():
        return None
    horizon = np.quantile(days[early], HORIZON_QUANTILE) * DAY
    usable = ~left_censored & (begin <= end.max() - horizon)
    if usable.sum() < 2 * MIN_SIDE_CASES:
        return None

    # Number the usable cases in month order; count their events of the common activities.
    month = (log.anchor + pd.to_timedelta(begin, unit="s")).to_numpy().astype("datetime64[M]")
    row, months = pd.factorize(month[usable], sort=True)
    if len(months) < 2 * MIN_SIDE_MONTHS:
        return None
    by_month = np.argsort(row, kind="stable")
    number = np.full(n_cases, -1)
    number[np.flatnonzero(usable)[by_month]] = np.arange(len(by_month))
    numbered = number[case]
    kept = (numbered >= 0) & (start <= begin[case] + horizon)  # the same follow-up for all
    numbered, done = numbered[kept], activity[kept]
    pairs = pd.unique(numbered * n_activities + done)
    compared = ((np.bincount(pairs % n_activities, minlength=n_activities)
                 >= ACTIVITY_SHARE * len(by_month)) & ~np.isin(names, list(ignore)))
    column = np.cumsum(compared) - 1
    counted = compared[done]
    counts = np.bincount(numbered[counted] * compared.sum() + column[done[counted]],
                         minlength=len(by_month) * compared.sum())
    duration = np.minimum(days[usable][by_month], horizon / DAY)
    features = np.column_stack([counts.reshape(len(by_month), -1), np.log1p(duration)])
    n = np.bincount(row, minlength=len(months))
    offsets = np.r_[0, np.cumsum(n)]
    sums = np.add.reduceat(features, offsets[:-1])
    squares = np.add.reduceat(features**2, offsets[:-1])
    within, between = _variances(n, sums, squares)
    return _Cases(
        months=pd.DatetimeIndex(months), n=n, sums=sums, squares=squares,
        duration=duration, offsets=offsets,
        measures=(*(f"'{a}' per case" for a in names[compared]), DURATION),
        within=within, between=between,
        regime_cases=n_cases - np.searchsorted(np.sort(month), months),
        min_regime=max(MIN_REGIME_CASES, MIN_REGIME_SHARE * n_cases))


def _variances(n: np.ndarray, sums: np.ndarray, squares: np.ndarray
               ) -> tuple[np.ndarray, np.ndarray]:
    """Per measure, the variance of cases within a month and that of the months' own levels.

    Cases begun in the same month share its backlog, staff and batches, so they are not
    independent: each month has a level of its own, with variance ``between``. It is read
    off the differences of neighbouring months (robustly, by their median), so a change of
    regime, which makes one large difference, does not count as noise.
    """
    n = n[:, None].astype(float)
    within = (squares - sums**2 / n).sum(axis=0) / max(n.sum() - len(n), 1)
    means = sums / n
    sampling = within * (1 / n[1:] + 1 / n[:-1])
    spread = np.median(np.diff(means, axis=0) ** 2, axis=0) / CHI2_1_MEDIAN
    return within, np.maximum(spread - np.median(sampling, axis=0), 0) / 2


def _cuts(cases: _Cases, lo: int, hi: int) -> list[tuple[int, RegimeChange]]:
    """Regime starts in months [lo, hi), oldest first: the best cut, then those after it;
    when the best leaves too small a regime, the cuts before it are searched too."""
    found = _best_cut(cases, lo, hi)
    if found is None:
        return []
    k = found[0]
    if cases.large_enough(k):
        return [found, *_cuts(cases, k, hi)]
    return [*_cuts(cases, lo, k), found]


def _best_cut(cases: _Cases, lo: int, hi: int) -> tuple[int, RegimeChange] | None:
    """The month in [lo, hi) that best splits the cases into two regimes, if any does."""
    n = cases.n[lo:hi].astype(float)
    sums = cases.sums[lo:hi]
    cuts = np.arange(MIN_SIDE_MONTHS, hi - lo - MIN_SIDE_MONTHS + 1)  # months on the left
    n_left = np.cumsum(n)[cuts - 1]
    min_side = max(MIN_SIDE_CASES, MIN_SIDE_SHARE * n.sum())
    cuts = cuts[(n_left >= min_side) & (n.sum() - n_left >= min_side)]
    if len(cuts) == 0:
        return None
    left, right = _sides(cuts, n[:, None], sums, n[:, None] ** 2)
    t, p = _t_test(cases, left, right)
    p = np.minimum(p * p.size, 1.0)  # Bonferroni
    significant = p < ALPHA
    before, after = left[1] / left[0], right[1] / right[0]
    shift = np.abs(after - before)
    material = (shift >= MATERIAL * before) & (shift >= MIN_COUNT_CHANGE)
    offsets = cases.offsets[lo:hi + 1] - cases.offsets[lo]
    durations = cases.duration[cases.offsets[lo]:cases.offsets[hi]]
    for i in np.flatnonzero(significant[:, -1]):
        split = offsets[cuts[i]]
        before[i, -1] = np.median(durations[:split])
        after[i, -1] = np.median(durations[split:])
        shift[i, -1] = abs(after[i, -1] - before[i, -1])
        material[i, -1] = shift[i, -1] >= MATERIAL * before[i, -1] and shift[i, -1] > 0
    strength = np.where(significant & material, np.abs(t), 0.0)
    if not strength.any():
        return None
    best = int(np.argmax(strength.max(axis=1)))
    ranked = np.argsort(-strength[best], kind="stable")[:EVIDENCE]
    evidence = tuple(
        Change(cases.measures[j], float(before[best, j]), float(after[best, j]),
               float(p[best, j]))
        for j in ranked if strength[best, j] > 0)
    k = lo + int(cuts[best])
    return k, RegimeChange(since=cases.months[k], cases_before=int(left[0][best, 0]),
                           cases_after=int(right[0][best, 0]), evidence=evidence)


def _sides(cuts: np.ndarray, *monthly: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Totals of each monthly array over the months before each cut and from it on, one
    row per cut."""
    totals = [np.cumsum(m, axis=0) for m in monthly]
    left = [total[cuts - 1] for total in totals]
    return left, [total[-1] - part for total, part in zip(totals, left, strict=True)]


def _t_test(cases: _Cases, left: list[np.ndarray], right: list[np.ndarray]
            ) -> tuple[np.ndarray, np.ndarray]:
    """t and two-sided p per cut and measure for the difference of the sides' means.

    A side's mean varies by the cases' spread within months and by its months' own levels;
    the degrees of freedom follow whichever dominates (Satterthwaite): many cases, or few
    months.
    """
    variance, months_part = [], []
    for n, _, n2 in (left, right):
        per_case, per_month = cases.within / n, cases.between * n2 / n**2
        variance.append(per_case + per_month)
        months_part.append(per_month)
    total = variance[0] + variance[1]
    difference = right[1] / right[0] - left[1] / left[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(total > 0, difference / np.sqrt(total),
                     np.where(difference == 0, 0.0, np.inf))
        share = np.nan_to_num((months_part[0] + months_part[1]) / total)
        months, n_all = len(cases.n), float(cases.n.sum())
        df = 1 / (share**2 / (months - 1) + (1 - share) ** 2 / max(n_all - months, 1))
    return t, 2 * stats.t.sf(np.abs(t), df)
