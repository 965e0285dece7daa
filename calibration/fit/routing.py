"""Control flow: the chance of each next activity, learned from the traces.

After every activity the case goes on to another activity or ends; the last activity of a
case still open at the end of the log says nothing about what comes next (censored), so it
is not counted as an ending; nor is any step too close to the end of the log to know what
followed it (see ``PreparedLog.settled``), whatever followed it: counting the quick
successors seen in time would make the slow paths look rare. Where the data shows it, the
chance depends on how often the case has done this activity before (another quote
revision is less likely after two), on the activity the case did just before (a
second-order chain: the case's recent path, as the history-based routing of Kirchdorfer et
al., "AgentSimulator", ICPM 2024, chooses the next activity from the last steps) or on a
case attribute (lead source, region, deal size): the factor with the strongest evidence is
kept, and each of its values is shrunk towards the pooled estimate in proportion to how few
cases it rests on, so a rare path backs off to the first-order chance (for the activity
before, by Witten-Bell smoothing: a path that led to few different next steps, often, keeps
its own chances).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from calibration.fit.parallel import ParallelWork
from calibration.fit.prepared import PreparedLog
from sim.model import (
    END,
    FIRST,
    HISTORY,
    PATH_SEPARATOR,
    PREVIOUS,
    VISIT,
    Branch,
    Routing,
    attribute_key,
    visit_keys,
)

MAX_LEVELS = 10
MAX_PREVIOUS_LEVELS = 60  # activities a PREVIOUS table may tell apart
MAX_HISTORY_LEVELS = 300  # paths of two activities a HISTORY table may tell apart
SIGNIFICANCE = 1e-3  # a factor is kept when its likelihood-ratio test is this significant
PRIOR_CASES = 20  # shrinkage: a value with n cases gets weight n / (n + PRIOR_CASES)
# ... except after the activity before: n / (n + the next activities seen after that path)
MIN_START_SHARE = 0.001


class RoutingFitter:
    """``routing_`` is the fitted Routing; ``tests_`` the evidence for each factor tried.

    ``memory`` is how much of the case's state may condition a branch: 2 the path of the
    two steps before, 1 one factor (the step before, the visit or a case attribute), 0
    none (every branch pooled)."""

    def __init__(self, attributes: tuple[str, ...] = (), memory: int = 2) -> None:
        self.attributes = attributes
        self.memory = memory

    def fit(self, log: PreparedLog, parallel: ParallelWork | None = None) -> RoutingFitter:
        companion = (parallel.companion if parallel is not None
                     else np.zeros(log.n_events, dtype=bool))
        transitions = self._transitions(log, companion)
        self.tests_: dict[str, dict[str, float]] = {}
        branches = {}
        for activity, rows in transitions.groupby("source", sort=True):
            branches[str(activity)] = self._branch(str(activity), rows)
        self.routing_ = Routing(start=self._start(log), branches=branches,
                                parallel=parallel.blocks if parallel is not None else {})
        return self

    def _transitions(self, log: PreparedLog, companion: np.ndarray) -> pd.DataFrame:
        """One row per observed step: source activity, target (or END), visit, case.

        A companion of a parallel block does not route: its lead activity goes on to what
        follows the companion.
        """
        names = np.array(log.activities, dtype=object)
        last = np.r_[log.first_in_case[1:], True]
        target = np.where(last, END, names[np.r_[log.activity[1:], 0]])
        censored = last & log.open_case[log.case]  # an open case's last step is unknown
        censored |= ~log.settled  # too close to the end of the log to tell
        skip = np.r_[companion[1:], False]  # the next event runs alongside this one
        target = np.where(skip, np.append(target[1:], END), target)
        censored = np.where(skip, np.r_[censored[1:], True], censored)
        observed = ~censored & ~companion
        frame = pd.DataFrame({"source": names[log.activity], "target": target,
                              VISIT: visit_keys(log.visit),
                              PREVIOUS: _routed_before(log, companion, 1),
                              HISTORY: _history_keys(_routed_before(log, companion, 2),
                                                     _routed_before(log, companion, 1)),
                              "case": log.case})[observed]
        for attribute in self.attributes:
            values = log.case_attribute(attribute)
            keys = values.astype(object).where(values.notna(), None).map(attribute_key)
            frame[attribute] = keys.to_numpy()[frame["case"].to_numpy()]
        return frame

    def _start(self, log: PreparedLog) -> dict[str, float]:
        begun = ~log.left_censored[log.case[log.first_in_case]]
        firsts = pd.Series(np.array(log.activities, dtype=object)[
            log.activity[log.first_in_case]][begun])
        shares = firsts.value_counts(normalize=True)
        shares = shares[shares >= MIN_START_SHARE]
        return _normalised(shares)

    def _branch(self, activity: str, rows: pd.DataFrame) -> Branch:
        pooled = rows["target"].value_counts()
        best: tuple[float, str] | None = None
        evidence = {}
        factors = (VISIT, PREVIOUS, *self.attributes) if self.memory >= 1 else ()
        for factor in factors:
            levels = MAX_PREVIOUS_LEVELS if factor == PREVIOUS else MAX_LEVELS
            test = _independence_test(rows[factor], rows["target"], levels)
            if test is None:
                continue
            evidence[factor] = test.p_value
            if test.p_value < SIGNIFICANCE and (best is None or test.score > best[0]):
                best = (test.score, factor)
        longer = (_nested_p(rows[PREVIOUS], rows[HISTORY], rows["target"])
                  if self.memory >= 2 else None)
        if longer is not None and longer < SIGNIFICANCE:
            test = _independence_test(rows[HISTORY], rows["target"], MAX_HISTORY_LEVELS)
            if test is not None:  # the path adds to the step before: it competes too
                evidence[HISTORY] = test.p_value
                if best is None or test.score > best[0]:
                    best = (test.score, HISTORY)
        self.tests_[activity] = evidence
        pooled_share = pooled / pooled.sum()
        if best is None:
            return Branch(pooled=_normalised(pooled_share), observations=len(rows))
        factor = best[1]
        table, sizes = _shrunk_table(rows, PREVIOUS if factor == HISTORY else factor,
                                     pooled_share)
        if factor == HISTORY:  # a path backs off to the activity just before it
            backoff = dict(zip(rows[HISTORY], rows[PREVIOUS], strict=True))
            paths, path_sizes = _shrunk_table(rows, HISTORY, pooled_share, backoff, table)
            table, sizes = {**table, **paths}, {**sizes, **path_sizes}
        return Branch(pooled=_normalised(pooled_share), observations=len(rows),
                      conditioned_on=factor, table=table, table_observations=sizes)


def _shrunk_table(rows: pd.DataFrame, factor: str, pooled_share: pd.Series,
                  backoff: dict[str, str] | None = None,
                  shorter: dict[str, dict[str, float]] | None = None
                  ) -> tuple[dict[str, dict[str, float]], dict[str, int]]:
    """Per value of ``factor``: its next-step chances, shrunk towards the pooled ones (or,
    for a path, towards the shorter path's ``shorter[backoff[key]]``), and its size."""
    table, sizes = {}, {}
    for key, group in rows.groupby(factor, sort=True):
        counts = group["target"].value_counts().reindex(pooled_share.index, fill_value=0)
        prior = (counts > 0).sum() if factor in (PREVIOUS, HISTORY) else PRIOR_CASES
        towards = pooled_share
        if backoff is not None and shorter is not None:
            towards = pd.Series(shorter[backoff[str(key)]]).reindex(pooled_share.index,
                                                                     fill_value=0.0)
        shrunk = (counts + prior * towards) / (counts.sum() + prior)
        table[str(key)] = _normalised(shrunk)
        sizes[str(key)] = len(group)
    return table, sizes


def _routed_before(log: PreparedLog, companion: np.ndarray, steps: int) -> np.ndarray:
    """Per routed event: the activity its case did ``steps`` steps before it, as the engine
    sees it (companions of a parallel block do not route, so they are skipped); FIRST where
    the case had not done that many."""
    names = np.array(log.activities, dtype=object)
    routed = ~companion
    before = pd.Series(log.activity[routed]).groupby(log.case[routed]).shift(steps)
    result = np.full(log.n_events, FIRST, dtype=object)
    result[routed] = np.where(before.isna(), FIRST, names[before.fillna(0).astype(int)])
    return result


def _history_keys(earlier: np.ndarray, previous: np.ndarray) -> np.ndarray:
    """``history_key`` of every event at once."""
    return (pd.Series(earlier, dtype=object) + PATH_SEPARATOR
            + pd.Series(previous, dtype=object)).to_numpy(dtype=object)


@dataclass(frozen=True)
class Evidence:
    """A G-test that the next activity depends on a factor: its p-value, and its Schwarz
    score (``G - dof * ln n``, Schwarz 1978), which ranks factors that are all significant:
    on a large log their p-values all round to zero."""

    p_value: float
    score: float


def _independence_test(factor: pd.Series, target: pd.Series,
                       max_levels: int = MAX_LEVELS) -> Evidence | None:
    """The G-test that the next activity does not depend on ``factor``."""
    table = _counts(factor, target)
    if not 2 <= len(table) <= max_levels or table.shape[1] < 2:
        return None
    result = stats.chi2_contingency(table, lambda_="log-likelihood")
    n = max(int(table.sum()), 2)
    return Evidence(float(result.pvalue), float(result.statistic - result.dof * np.log(n)))


def _nested_p(shorter: pd.Series, longer: pd.Series, target: pd.Series) -> float | None:
    """G-test p-value that the longer path tells nothing about the next activity beyond
    the shorter one (the difference of the two G statistics, on the extra degrees of
    freedom)."""
    tables = [_counts(factor, target) for factor in (shorter, longer)]
    if not len(tables[1]) <= MAX_HISTORY_LEVELS or len(tables[1]) <= len(tables[0]):
        return None
    g_short, g_long = (stats.chi2_contingency(t, lambda_="log-likelihood") for t in tables)
    extra = g_long.dof - g_short.dof
    if extra <= 0:
        return None
    return float(stats.chi2.sf(g_long.statistic - g_short.statistic, extra))


def _counts(factor: pd.Series, target: pd.Series) -> np.ndarray:
    """The contingency table of ``factor`` by ``target`` as ``pd.crosstab`` gives it (levels
    sorted, pairs with a missing value left out), counted with numpy: the tests run a
    thousand times on a large log, and crosstab's index building took most of the fit."""
    rows, _ = pd.factorize(factor, sort=True)
    columns, _ = pd.factorize(target, sort=True)
    seen = (rows >= 0) & (columns >= 0)
    if not seen.any():
        return np.zeros((0, 0))
    rows, columns = rows[seen], columns[seen]
    width = int(columns.max()) + 1
    table = np.bincount(rows * width + columns,
                        minlength=(int(rows.max()) + 1) * width).reshape(-1, width)
    return table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]


def _normalised(shares: pd.Series) -> dict[str, float]:
    total = float(shares.sum())
    return {str(k): float(v) / total for k, v in shares.items() if v > 0}
