"""Resource pools: which activities need a person, who those people are, and when they work.

An activity needs a person when its instances take time (start before end) or, in a log
with one timestamp per event, when its events keep office hours (a log with dates only
cannot show that: all its activities are then delays in calendar time). People who do the same
mix of activities form a pool (reps, approvers, billing clerks). A pool's calendar is read
off the hours of the week in which its members start and finish work; a pool whose every
case is handled by one member (the rep who owns the deal) serves cases by owner, so
queueing for a busy rep stays with that rep.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from calibration.fit.prepared import PreparedLog
from sim.calendar import HOUR, HOURS_PER_WEEK, WEEK, WeekCalendar
from sim.kpi_roles import ActivityRoles
from sim.model import Pool

TIMED_SHARE = 0.5  # an activity with durations in at least this share of instances is work
OFFICE_HOURS = 60  # untimed logs: work falls into the week's busiest 60 hours ...
OFFICE_SHARE = 0.9  # ... for at least this share of events
PROFILE_SIMILARITY = 0.5  # cosine similarity of activity mixes that makes one pool
OPEN_HOUR_SHARE = 0.1  # an hour that sees this share of a busy hour's work is a working hour
FULL_HOUR_SHARE = 0.3  # ... worked in full from this share on; below it, by its share
# An hour with no work seen stays open if chance explains it this often: 5% over the whole
# week (Bonferroni over its 168 hours), as a quiet pool leaves a few hours unseen every week.
UNSEEN_CHANCE = 0.05 / HOURS_PER_WEEK
# An hour between the two shares is weighted only where it is quieter than a busy hour beyond
# chance (Poisson, the same 5% over the week): a small pool's chance dips stay full hours.
OWNER_SHARE = 0.9  # cases served by a single member, for a pool to be served by owner
MIN_OWNER_POOL = 3
POOL_NAMES = {
    "Sales": ("lead_qualified", "opportunity_created", "first_contact", "solution_proposed",
              "quote_created", "order_created"),
    "Approvers": ("quote_approved",),
    "Billing": ("invoice_generated", "invoice_sent"),
    "Fulfilment": ("order_fulfilled",),
}


class PoolFitter:
    """Finds the staffed activities, the pools, their calendars and how they take cases."""

    def fit(self, log: PreparedLog) -> PoolFitter:
        self.staffed_ = self._staffed_activities(log)
        codes = [log.activities.index(a) for a in self.staffed_]
        work = np.isin(log.activity, codes) & pd.notna(log.resource)
        groups = _group_resources(log.activity[work], log.resource[work])
        self.pools_: dict[str, Pool] = {}
        self.activity_pool_: dict[str, str] = {}
        self.owner_: pd.Series | None = None
        self.owner_pool_: str | None = None
        names = _pool_names(groups, log)
        most: dict[str, int] = {}  # activity -> instances done by the pool that has it
        for name, members in zip(names, groups, strict=True):
            mine = work & np.isin(log.resource, members)
            calendar = _calendar(log, mine)
            assignment = self._assignment(log, mine, members, name)
            self.pools_[name] = Pool(members=tuple(sorted(members)), size=len(members),
                                     calendar=calendar, assignment=assignment)
            counts = np.bincount(log.activity[mine], minlength=len(log.activities))
            for code in np.flatnonzero(counts):
                activity = log.activities[code]
                if counts[code] > most.get(activity, 0):
                    self.activity_pool_[activity], most[activity] = name, int(counts[code])
        used = set(self.activity_pool_.values())
        self.pools_ = {name: pool for name, pool in self.pools_.items() if name in used}
        self.staffed_ = {a for a in self.staffed_ if a in self.activity_pool_}
        return self

    def _staffed_activities(self, log: PreparedLog) -> set[str]:
        n = len(log.activities)
        counts = np.bincount(log.activity, minlength=n)
        if log.timed:
            timed = np.bincount(log.activity, weights=log.end > log.start, minlength=n)
            return {log.activities[a] for a in range(n) if timed[a] >= TIMED_SHARE * counts[a]}
        if log.dates_only:  # no time of day: nothing tells office hours from the night
            return set()
        hour = ((log.end % WEEK) // HOUR).astype(int)
        staffed = set()
        for a in range(n):
            per_hour = np.sort(np.bincount(hour[log.activity == a], minlength=HOURS_PER_WEEK))
            if per_hour[-OFFICE_HOURS:].sum() >= OFFICE_SHARE * counts[a]:
                staffed.add(log.activities[a])
        return staffed

    def _assignment(self, log: PreparedLog, mine: np.ndarray, members: list[str],
                    name: str) -> str:
        """case_owner when nearly every case sees one member of this pool only."""
        if len(members) < MIN_OWNER_POOL:
            return "any"
        per_case = pd.DataFrame({"case": log.case[mine], "member": log.resource[mine]})
        sizes = per_case.groupby("case")["member"].agg(["size", "nunique"])
        several = sizes[sizes["size"] >= 2]
        if several.empty or (several["nunique"] == 1).mean() < OWNER_SHARE:
            return "any"
        # The owner of every case: the member who appears most in it (any activity); on a
        # tie, the one who appears first.
        any_event = np.isin(log.resource, members)
        counts = (pd.DataFrame({"case": log.case[any_event], "member": log.resource[any_event]})
                  .groupby(["case", "member"], sort=False).size().reset_index(name="n"))
        owners = counts.loc[counts.groupby("case", sort=True)["n"].idxmax()].set_index(
            "case")["member"]
        self.owner_ = owners.reindex(range(len(log.case_ids)))
        self.owner_pool_ = name
        return "case_owner"


def _group_resources(activity: np.ndarray, resource: np.ndarray) -> list[list[str]]:
    """Resources grouped by the mix of activities they do (cosine similarity of mixes)."""
    if len(activity) == 0:
        return []
    table = pd.crosstab(resource, activity)
    profiles = table.div(np.sqrt((table ** 2).sum(axis=1)), axis=0)
    primary = table.idxmax(axis=1)
    groups = {a: list(primary.index[primary == a]) for a in sorted(primary.unique())}
    means = {a: profiles.loc[m].mean(axis=0) for a, m in groups.items()}
    parent = {a: a for a in groups}

    def root(a: int) -> int:
        while parent[a] != a:
            a = parent[a]
        return a

    keys = list(groups)
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            va, vb = means[a], means[b]
            similarity = float(va @ vb / (np.linalg.norm(va) * np.linalg.norm(vb)))
            if similarity >= PROFILE_SIMILARITY:
                parent[root(b)] = root(a)
    merged: dict[int, list[str]] = {}
    for a in keys:
        merged.setdefault(root(a), []).extend(str(r) for r in groups[a])
    return sorted(merged.values(), key=lambda m: (-len(m), m))


def _pool_names(groups: list[list[str]], log: PreparedLog) -> list[str]:
    """Names people recognise (Sales, Approvers, Billing) where the activities tell."""
    roles = ActivityRoles.default()
    names: list[str] = []
    for members in groups:
        mine = np.isin(log.resource, members)
        top = log.activities[int(np.bincount(log.activity[mine]).argmax())]
        role = roles.role_of(top)
        name = next((pool for pool, pool_roles in POOL_NAMES.items() if role in pool_roles),
                    f"{top} team")
        while name in names:
            name = f"{name} {len(names) + 1}"
        names.append(name)
    return names


def _calendar(log: PreparedLog, mine: np.ndarray) -> WeekCalendar:
    """Hours of the week in which this pool starts or finishes work.

    An hour that sees at least ``FULL_HOUR_SHARE`` of a busy hour's work is worked in full. A
    quieter hour (an occasional Sunday shift, an early start, the last hour of the day) is open
    too, with the weight of its share of a busy hour's work (a probable availability: see
    ``WeekCalendar``): closing it would make the simulation never work then, and opening it in
    full would make it work then as much as at ten o'clock. With work waiting, a fifth of the
    tasks begun at 7:00 means a fifth of the people in; in full, every wait that ended overnight
    starts then (BPIC 2012's validations: 11% of the simulated ones began at 6:00 against 2% of
    the real ones). An hour that is quieter only by chance (a small pool's few tasks) stays full,
    and hours from ``FULL_HOUR_SHARE`` up are not weighted further: fewer starts there may
    mean less work to do, not fewer people. An hour in which no work was seen between
    working hours is closed only where that says something: where the hours next to it (before
    and after, and the same hour the day before and after) see so much work that none at all is
    unlikely by chance (``_unseen_by_chance``); a pool with little work leaves hours unseen at
    random, and closing them would give it gaps it does not have. Such an hour is open with the
    mean work of the hours next to it."""
    moments = np.r_[log.start[mine], np.maximum(log.end[mine] - 1.0, log.start[mine])]
    hours = ((moments % WEEK) // HOUR).astype(int)
    counts = np.bincount(hours, minlength=HOURS_PER_WEEK).astype(float)
    busy = np.quantile(counts[counts > 0], 0.9)
    around = _neighbours(counts)
    counts = np.where(_unseen_by_chance(counts, around, busy), around.mean(axis=0), counts)
    share = counts / busy
    # a task's start and end mostly fall in one hour: the moments are tested as tasks
    quiet = (share < OPEN_HOUR_SHARE) | (
        stats.poisson.cdf(counts / 2, busy / 2) < UNSEEN_CHANCE)
    weights = np.where(quiet & (share < FULL_HOUR_SHARE), share, 1.0)
    open_hours = counts > 0
    return WeekCalendar(
        hours=tuple(tuple(int(h) for h in np.flatnonzero(open_hours[d * 24: d * 24 + 24]))
                    for d in range(7)),
        weights=None if weights[open_hours].min() == 1.0 else tuple(
            round(float(w), 4) for w in weights))


def _neighbours(counts: np.ndarray) -> np.ndarray:
    """Per hour of the week, the counts of the hour before and after it and of the same
    hour the day before and after (the week wraps round), one row each."""
    return np.array([np.roll(counts, shift) for shift in (1, -1, 24, -24)])


def _unseen_by_chance(counts: np.ndarray, around: np.ndarray, busy: float) -> np.ndarray:
    """Hours with no work seen between working hours (at least two of the hours next to them seeing
    ``OPEN_HOUR_SHARE`` of a busy hour's work), where a Poisson count at the rate of those hours
    would be zero with a chance of at least ``UNSEEN_CHANCE``: too little work around them to
    tell a closed hour from a quiet one. An hour next to busy ones (the first hour after closing
    time, a Saturday after a busy Friday) is closed, and so is one next to hours worked only now
    and then (an early start's hour before). ``around``: ``_neighbours(counts)``."""
    between = (around >= OPEN_HOUR_SHARE * busy).sum(axis=0) >= 2
    return (counts == 0) & between & (np.exp(-around.mean(axis=0)) >= UNSEEN_CHANCE)
