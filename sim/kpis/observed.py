"""A log as the KPI functions read it: numbered cases, times in days, roles resolved.

Every KPI works on plain numpy arrays (events sorted by case, start and end) so that one
million events take seconds, not minutes. Times are days since the start of the observed
period, so time zones and calendar arithmetic are settled here once.

What ended: a case is *closed* when its outcome is known, from the ``outcome`` case
attribute when present, else from its last Opportunity Won / Payment Received versus
Opportunity Lost activity. Everything else is open at the horizon: its missing end events
have not happened (yet), so no KPI counts it as finished or as lost. A log that states no
outcome at all (a purchasing or a service process) still says which cases are *finished*:
those not open at the end of the log by ``sim.case_ends``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from sim.case_ends import open_case_ids
from sim.errors import PlannerError
from sim.eventlog import ACTIVITY, CASE_ID, END, LOST, OUTCOME, RESOURCE, START, WON
from sim.kpi_roles import ROLES, ActivityRoles

DAY = pd.Timedelta(days=1)
UNMAPPED = "not mapped to an activity"  # the end of a note on a role the log does not play
_UNMAPPED_NOTE = re.compile(r"\(roles? ([a-z_, ]+) " + UNMAPPED + r"\)")
WON_ROLES = ("opportunity_won", "payment_received")
NO_OUTCOME = np.array(None, dtype=object)  # neither won nor lost: None among the outcomes
MONTH_DAYS = 30.44


@dataclass(frozen=True)
class Observed:
    """The events and cases of a log, or of one group of its cases, over one period."""

    roles: ActivityRoles
    present: dict[str, set[str]]  # the roles found in the whole log, with their names
    case: np.ndarray  # per event: case number (index into case_ids)
    activity: np.ndarray  # per event: index into activities
    activities: np.ndarray  # activity names
    role: np.ndarray  # per event: index into ROLES, or -1
    start: np.ndarray  # per event: days since the period start
    end: np.ndarray
    resource: np.ndarray | None  # per event: resource name or None
    case_ids: pd.Index
    cases: pd.DataFrame  # case attributes, one row per case number
    outcome: np.ndarray  # per case: "Won", "Lost" or None (open)
    period_days: float
    timed: bool  # some event has a duration: processing and busy times are measurable
    finished: np.ndarray  # per case: closed, or (no outcomes in the log) not open at its end
    knows_outcomes: bool  # the log says how deals end: won/lost in an attribute or activities
    # days from the period start to the last new case, in a run whose arrivals stop there (a
    # number of cases run to their ends); None: cases could start until the horizon
    arrivals_until: float | None = None

    @property
    def n_cases(self) -> int:
        return len(self.case_ids)

    @property
    def months(self) -> float:
        return self.period_days / MONTH_DAYS

    @property
    def arrival_months(self) -> float:
        """The months in which new cases could start."""
        return (self.period_days if self.arrivals_until is None
                else self.arrivals_until) / MONTH_DAYS

    def has(self, role: str) -> bool:
        return role in self.present

    def missing(self, *needs: tuple[str, ...]) -> str | None:
        """Why a KPI cannot be measured: for each need, none of its roles is in the log;
        the message names the roles, so the reader knows what to map."""
        absent = [need for need in needs if not any(self.has(r) for r in need)]
        if not absent:
            return None
        names = " and no ".join(" or ".join(f"'{self.roles.display(r)}'" for r in need)
                                for need in absent)
        roles = [r for need in absent for r in need]
        return (f"no {names} activity in this log ({'roles' if len(roles) > 1 else 'role'} "
                f"{', '.join(roles)} {UNMAPPED})")

    @property
    def closed(self) -> np.ndarray:
        """Per case: won or lost (the outcome is known)."""
        return pd.notna(self.outcome)

    def is_role(self, *roles: str) -> np.ndarray:
        """Mask of the events playing any of these roles."""
        wanted = np.zeros(len(ROLES) + 1, dtype=bool)  # the last place is -1: no role
        wanted[[ROLES.index(r) for r in roles]] = True
        return wanted[self.role]

    def per_case(self, mask: np.ndarray, values: np.ndarray, how: str) -> np.ndarray:
        """Per case, ``how`` ('min' or 'max') of the masked event values; NaN if none.

        One unbuffered numpy reduction (NaN-skipping, as a pandas groupby is) instead of a
        groupby: a replication's KPIs ask for some thirty of these."""
        out = np.full(self.n_cases, np.nan)
        reduce = {"min": np.fmin, "max": np.fmax}[how]
        reduce.at(out, self.case[mask], np.asarray(values[mask], dtype=float))
        return out

    def subset(self, keep: np.ndarray) -> Observed:
        """The same period and roles, for the cases where ``keep`` (per case) is true."""
        number = np.cumsum(keep) - 1
        on = keep[self.case]
        return replace(
            self, case=number[self.case[on]], activity=self.activity[on], role=self.role[on],
            start=self.start[on], end=self.end[on],
            resource=None if self.resource is None else self.resource[on],
            case_ids=self.case_ids[keep], cases=self.cases[keep], outcome=self.outcome[keep],
            finished=self.finished[keep])


def unmapped_roles(note: str) -> tuple[str, ...]:
    """The roles a KPI's note (as ``Observed.missing`` words it) says no activity plays."""
    found = _UNMAPPED_NOTE.search(note)
    return tuple(found.group(1).split(", ")) if found else ()


def period_bounds(events: pd.DataFrame, horizon: pd.Timestamp | None
                  ) -> tuple[pd.Timestamp, pd.Timestamp]:
    """From the first event to the horizon (default: the last event's end)."""
    origin = events[START].min()
    if horizon is None:
        return origin, events[END].fillna(events[START]).max()
    horizon = pd.Timestamp(horizon)
    aware_log, aware_horizon = origin.tzinfo is not None, horizon.tzinfo is not None
    if aware_log and not aware_horizon:
        horizon = horizon.tz_localize(origin.tzinfo)
    elif aware_horizon and not aware_log:
        raise PlannerError(f"The horizon {horizon} has a time zone but the log's timestamps "
                           "do not. Give the horizon without an offset, in the log's time.")
    if horizon <= origin:
        raise PlannerError(f"The horizon {horizon} is not after the log's first event "
                           f"({origin}). Give a later horizon.")
    return origin, horizon


def observe(events: pd.DataFrame, cases: pd.DataFrame, roles: ActivityRoles,
            horizon: pd.Timestamp | None = None) -> Observed:
    """Number, sort and time the events completed by the horizon; derive case outcomes."""
    if events.empty:
        raise PlannerError("The event log has no events, so there is nothing to measure.")
    origin, horizon = period_bounds(events, horizon)
    start = ((events[START] - origin) / DAY).to_numpy(float)
    end = ((events[END].fillna(events[START]) - origin) / DAY).to_numpy(float)
    period_days = float((horizon - origin) / DAY)
    done = end <= period_days
    case_codes, case_ids = pd.factorize(events[CASE_ID].to_numpy()[done])
    activity, activities = pd.factorize(events[ACTIVITY].to_numpy()[done])
    start, end = start[done], end[done]
    order = np.lexsort((end, start, case_codes))
    role_of = np.array([ROLES.index(r) if (r := roles.role_of(a)) else -1 for a in activities],
                       dtype=int)
    resource = (events[RESOURCE].to_numpy(object)[done][order]
                if RESOURCE in events and events[RESOURCE].notna().any() else None)
    case_index = pd.Index(case_ids, name=CASE_ID)
    obs = Observed(
        roles=roles, present=roles.resolve(activities), case=case_codes[order],
        activity=activity[order], activities=np.asarray(activities, dtype=object),
        role=role_of[activity[order]], start=start[order], end=end[order], resource=resource,
        case_ids=case_index, cases=cases.reindex(case_index), outcome=np.empty(0, object),
        period_days=period_days, timed=bool((end > start).any()),
        finished=np.empty(0, bool), knows_outcomes=False)
    stated = OUTCOME in cases and bool(cases[OUTCOME].isin([WON, LOST]).any())
    obs = replace(obs, knows_outcomes=stated or any(
        obs.has(r) for r in (*WON_ROLES, "opportunity_lost")))
    running = case_index.isin(events[CASE_ID].to_numpy()[~done])
    obs = replace(obs, outcome=_outcomes(obs, running))
    if obs.knows_outcomes:
        return replace(obs, finished=np.asarray(obs.closed, dtype=bool))
    seen = events.loc[done, [CASE_ID, ACTIVITY, START]].assign(
        **{END: events[END].fillna(events[START])[done]})
    still_open = case_index.isin(open_case_ids(seen))
    return replace(obs, finished=~still_open & ~running)


def _outcomes(obs: Observed, running: np.ndarray) -> np.ndarray:
    """Won/Lost from the case attribute, else from the last won or lost activity.

    A case with events after the horizon was still running then: its stated outcome is
    news from the future, so only its activities up to the horizon count.
    """
    won_at = obs.per_case(obs.is_role(*WON_ROLES), obs.end, "max")
    lost_at = obs.per_case(obs.is_role("opportunity_lost"), obs.end, "max")
    lost = ~np.isnan(lost_at) & (np.isnan(won_at) | (lost_at > won_at))
    from_events = np.where(lost, LOST, np.where(~np.isnan(won_at), WON, NO_OUTCOME))
    if OUTCOME not in obs.cases:
        return from_events.astype(object)
    stated = obs.cases[OUTCOME].to_numpy(object)
    stated = np.where(np.isin(stated, [WON, LOST]) & ~running, stated, None)
    return np.where(pd.notna(stated), stated, from_events).astype(object)
