"""What to fix or distrust: the parts of the process that make up the cycle-time error.

The mean case duration is (roughly) the sum, over a case's steps, of each step's wait and
work. So the error of the simulated mean splits into parts, each in days per case:

- per activity, its waiting (and processing) time per occurrence, simulated minus real,
  times how often it occurs per real case;
- per transition (directly-follows pair), how often it occurs per case, simulated minus
  real, times the real time of the step it leads into;
- per segment of a case attribute (lead source = Web), the segment's real share of cases
  times its mean case duration, simulated minus real.

These overlap (one wrong delay shows in its activity and in its segments). Each candidate
is also tested against chance: under a correct model the real test period is just one more
replication, so its gap to the replications' mean is measured in the replications' own
spread (which, unlike a textbook standard error, includes queues that build up for weeks),
and never in less than the real value's sampling error. Only candidates at least ``Z_MIN``
such spreads off count, so a segment that is slow by chance is not reported as a defect.
The clear ones are ranked by size and the largest few phrased as sentences. A wrong number
of new cases (arrivals) comes first when it is clear: it drives queues everywhere.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats

from calibration.evaluate.split import wall_clock
from calibration.fit.routing import MAX_LEVELS
from sim.duration_text import days_text
from sim.eventlog import ACTIVITY, CASE_ID, END, START, EventLog

DAY = pd.Timedelta(days=1)
MIN_COUNT = 5  # observations each side needs before an activity or segment is judged
MIN_CASES = 10
RARE = 0.01  # per case: below it a transition's relative change is not worth a number
TOP = 5
Z_MIN = 3.0  # a finding's gap must be this many standard errors
DURATION = "__duration"  # per-case columns of the case tables (no attribute clash)
REP = "__rep"


@dataclass(frozen=True)
class Finding:
    kind: str  # waiting, processing, transition, segment
    subject: str
    contribution_days: float  # to the mean case duration, simulated minus real
    real: float
    simulated: float
    z: float  # gap / its spread under a correct model
    text: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def _length(days: float) -> str:
    """How long, without a sign (the sentence says which way)."""
    return days_text(abs(days))


def _signed(days: float) -> str:
    return ("+" if days >= 0 else "−") + _length(days)


def steps(log: EventLog, rep: int = 0) -> pd.DataFrame:
    """One row per event: case, replication, activity, wait before it and its work (days),
    and the next activity of the case; events sorted by case, start and end."""
    events = log.events
    start = wall_clock(events[START])
    end = wall_clock(events[END]).fillna(start)
    origin = start.min()
    frame = pd.DataFrame({
        "case": f"{rep}/" + events[CASE_ID].astype(str).to_numpy(),
        REP: rep,
        "activity": events[ACTIVITY].astype(str).to_numpy(),
        "start": ((start - origin) / DAY).to_numpy(float),
        "end": ((end - origin) / DAY).to_numpy(float),
    }).sort_values(["case", "start", "end"], kind="stable").reset_index(drop=True)
    before = frame.groupby("case")["end"].cummax().groupby(frame["case"]).shift()
    frame["wait"] = (frame["start"] - before).clip(lower=0.0)
    frame["work"] = frame["end"] - frame["start"]
    frame["next"] = frame.groupby("case")["activity"].shift(-1)
    return frame


def case_table(log: EventLog, frame: pd.DataFrame, rep: int = 0) -> pd.DataFrame:
    """Per case: duration (first start to last end, days), replication, case attributes."""
    grouped = frame.groupby("case")
    table = pd.DataFrame({DURATION: grouped["end"].max() - grouped["start"].min()})
    table[REP] = rep
    attributes = log.cases.copy()
    attributes.index = f"{rep}/" + attributes.index.astype(str)
    return table.join(attributes.drop(columns=[DURATION, REP], errors="ignore"), how="left")


@dataclass
class Side:
    """One side, the real log or the simulated replications (pooled, ``REP`` tells them
    apart), as the findings read it."""

    steps: pd.DataFrame
    cases: pd.DataFrame
    reps: int

    @classmethod
    def of(cls, logs: list[EventLog]) -> Side:
        frames, tables = [], []
        for rep, log in enumerate(logs):
            if log.n_events:
                frames.append(steps(log, rep))
                tables.append(case_table(log, frames[-1], rep))
        if not frames:
            empty = pd.DataFrame(columns=["case", REP, "activity", "start", "end", "wait",
                                          "work", "next"])
            return cls(empty, pd.DataFrame(columns=[DURATION, REP]), len(logs))
        return cls(pd.concat(frames, ignore_index=True), pd.concat(tables), len(logs))

    @property
    def n_cases(self) -> int:
        return max(len(self.cases), 1)

    def cases_per_rep(self) -> pd.Series:
        return self.cases.groupby(REP).size().reindex(range(self.reps), fill_value=0)


def _judge(real: pd.Series, real_se: pd.Series, per_rep: pd.DataFrame) -> pd.DataFrame:
    """Per item: real value, simulated mean over replications, gap and its z: the gap in
    the spread a real value would have under a correct model (the replications' standard
    deviation, at its upper 80% bound since few replications may agree by chance, and at
    least the real value's sampling error)."""
    per_rep = per_rep.reindex(real.index.union(per_rep.index))
    real = real.reindex(per_rep.index)
    simulated = per_rep.mean(axis=1)
    reps = per_rep.notna().sum(axis=1)
    # The spread's upper 80% confidence bound: a few replications may agree by chance.
    freedom = (reps - 1).clip(lower=1)
    sd = per_rep.std(axis=1, ddof=1) * np.sqrt(freedom / stats.chi2.ppf(0.2, freedom))
    spread = np.sqrt(np.fmax((sd ** 2 * (1 + 1 / reps)).fillna(0.0),
                             real_se.reindex(per_rep.index).fillna(0.0) ** 2))
    gap = simulated - real
    z = np.where(spread > 0, gap / spread.where(spread > 0, 1.0), np.where(gap != 0, np.inf, 0))
    return pd.DataFrame({"real": real, "simulated": simulated, "gap": gap, "z": z})


def find(real_log: EventLog, simulated_logs: list[EventLog], top: int | None = TOP,
         z_min: float = Z_MIN) -> list[Finding]:
    """The clear findings (at least ``z_min``), the arrival volume first, then the largest
    contributions to the cycle-time error; ``top`` of those (None: all)."""
    real, sim = Side.of([real_log]), Side.of(simulated_logs)
    if real.steps.empty or sim.steps.empty:
        return []
    timed = bool((real.steps["work"] > 0).any() and (sim.steps["work"] > 0).any())
    found = _activity_times(real, sim, "wait", "waiting")
    if timed:
        found += _activity_times(real, sim, "work", "processing")
    found += _transitions(real, sim) + _merge_aliases(_segments(real, sim))
    found = [f for f in found if math.isfinite(f.contribution_days) and abs(f.z) >= z_min
             and abs(f.contribution_days) > 1e-6]
    found.sort(key=lambda f: -abs(f.contribution_days))
    volume = [f for f in [_volume(real, sim)] if abs(f.z) >= z_min]
    return volume + (found if top is None else found[:top])


def _volume(real: Side, sim: Side) -> Finding:
    """New cases in the compared window, real against each replication."""
    n_real = len(real.cases)
    judged = _judge(pd.Series({"cases": float(n_real)}),
                    pd.Series({"cases": math.sqrt(n_real)}),
                    pd.DataFrame([sim.cases_per_rep().astype(float).to_numpy()],
                                 index=["cases"])).iloc[0]
    n_sim, gap = judged["simulated"], judged["gap"]
    text = (f"The simulation starts {abs(gap) / max(n_real, 1):.0%} "
            f"{'more' if gap > 0 else 'fewer'} cases than reality in the compared window "
            f"({n_sim:,.0f} per run against {n_real:,}): check the arrival rate and trend; "
            "queues and per-month KPIs follow the volume.")
    return Finding("volume", "new cases", math.nan, float(n_real), float(n_sim),
                   float(judged["z"]), text)


def _activity_times(real: Side, sim: Side, column: str, kind: str) -> list[Finding]:
    r_steps = real.steps.dropna(subset=[column])
    s_steps = sim.steps.dropna(subset=[column])
    r = r_steps.groupby("activity")[column].agg(["size", "mean", "median", "var"])
    s = s_steps.groupby("activity")[column].agg(["size", "median"])
    per_rep = s_steps.groupby(["activity", REP])[column].mean().unstack(REP)
    judged = _judge(r["mean"], np.sqrt(r["var"] / r["size"]), per_rep)
    found = []
    for activity, row in judged.dropna(subset=["real", "simulated"]).iterrows():
        if r.at[activity, "size"] < MIN_COUNT or s.at[activity, "size"] < MIN_COUNT:
            continue
        contribution = r.at[activity, "size"] / real.n_cases * row["gap"]
        gap, real_v, sim_v = row["gap"], row["real"], row["simulated"]
        what = (f"Waiting before {activity}" if kind == "waiting"
                else f"Processing time of {activity}")
        text = (f"{what} is {_length(gap)} too {'long' if gap > 0 else 'short'} on "
                f"average in simulation (real {_length(real_v)}, simulated "
                f"{_length(sim_v)}; medians {_length(r.at[activity, 'median'])} "
                f"and {_length(s.at[activity, 'median'])}); it moves the mean case "
                f"duration by {_signed(contribution)}.")
        found.append(Finding(kind, str(activity), float(contribution), float(real_v),
                             float(sim_v), float(row["z"]), text))
    return found


def _transitions(real: Side, sim: Side) -> list[Finding]:
    real_pairs = real.steps.dropna(subset=["next"]).groupby(["activity", "next"]).size()
    rate = real_pairs / real.n_cases
    per_rep = (sim.steps.dropna(subset=["next"]).groupby(["activity", "next", REP]).size()
               .unstack(REP).reindex(columns=range(sim.reps)).fillna(0.0)
               / sim.cases_per_rep().clip(lower=1).to_numpy())
    every = rate.index.union(per_rep.index)
    rate = rate.reindex(every, fill_value=0.0)
    per_rep = per_rep.reindex(every, fill_value=0.0)
    judged = _judge(rate, np.sqrt(rate.clip(lower=1 / real.n_cases) / real.n_cases), per_rep)
    times = pd.concat([real.steps, sim.steps])
    step_time = (times["wait"].fillna(0.0) + times["work"]).groupby(times["activity"]).mean()
    real_time = (real.steps["wait"].fillna(0.0) + real.steps["work"]).groupby(
        real.steps["activity"]).mean()
    found = []
    for (source, target), row in judged.iterrows():
        if max(row["real"], row["simulated"]) * real.n_cases < MIN_COUNT:
            continue
        time = float(real_time.get(target, step_time.get(target, 0.0)))
        contribution = row["gap"] * time
        change = (f" ({row['simulated'] / row['real'] - 1:+.0%})" if row["real"] >= RARE
                  else " (never in reality)" if row["real"] == 0 else " (rare in reality)")
        text = (f"'{source}' → '{target}' happens {row['simulated']:.2f} times per case in "
                f"simulation against {row['real']:.2f} in reality{change}; at "
                f"{_length(time)} per step that moves the mean case duration by "
                f"{_signed(contribution)}.")
        found.append(Finding("transition", f"{source} → {target}", float(contribution),
                             float(row["real"]), float(row["simulated"]), float(row["z"]),
                             text))
    return found


def _segments(real: Side, sim: Side) -> list[Finding]:
    found = []
    for column in real.cases.columns.drop([DURATION, REP]):
        if column not in sim.cases or pd.api.types.is_numeric_dtype(real.cases[column]):
            continue
        if not 2 <= real.cases[column].nunique(dropna=True) <= MAX_LEVELS:
            continue
        r = real.cases.groupby(column)[DURATION].agg(["size", "mean", "median", "var"])
        s = sim.cases.groupby(column)[DURATION].agg(["size", "median"])
        per_rep = sim.cases.groupby([column, REP])[DURATION].mean().unstack(REP)
        judged = _judge(r["mean"], np.sqrt(r["var"] / r["size"]), per_rep)
        for level, row in judged.dropna(subset=["real", "simulated"]).iterrows():
            if r.at[level, "size"] < MIN_CASES or s.at[level, "size"] < MIN_CASES:
                continue
            share = r.at[level, "size"] / real.n_cases
            gap = float(row["gap"])
            real_v, sim_v = float(r.at[level, "median"]), float(s.at[level, "median"])
            text = (f"Cases with {column} = {level} ({share:.0%} of cases) run "
                    f"{_length(gap)} too {'long' if gap > 0 else 'short'} on average in "
                    f"simulation (median case duration real {_length(real_v)}, "
                    f"simulated {_length(sim_v)}); that moves the mean case duration "
                    f"by {_signed(share * gap)}.")
            found.append(Finding("segment", f"{column} = {level}", share * gap, real_v, sim_v,
                                 float(row["z"]), text))
    return found


def _merge_aliases(found: list[Finding]) -> list[Finding]:
    """Segments of different attributes holding the same cases (contract type Standard is
    product category Hardware) become one finding naming both."""
    merged: dict[tuple[float, float, float], Finding] = {}
    for finding in found:
        key = (round(finding.contribution_days, 9), finding.real, finding.simulated)
        if key not in merged:
            merged[key] = finding
            continue
        first = merged[key]
        column, _, level = finding.subject.partition(" = ")
        merged[key] = replace(first, subject=f"{first.subject}; {finding.subject}",
                              text=first.text.replace(" (", f" (also {column} = {level}; ", 1))
    return list(merged.values())


def cycle_summary(real_log: EventLog, simulated_logs: list[EventLog],
                  past: EventLog | None = None) -> dict[str, float]:
    """Median and mean case duration (days), real and simulated (replications pooled), and
    the recent past's median (``recent_past``) where there is one."""
    real, sim = Side.of([real_log]), Side.of(simulated_logs)
    summary = {"real_median": float(real.cases[DURATION].median()),
               "simulated_median": float(sim.cases[DURATION].median()),
               "real_mean": float(real.cases[DURATION].mean()),
               "simulated_mean": float(sim.cases[DURATION].mean())}
    if past is not None:
        summary["recent_past_median"] = float(Side.of([past]).cases[DURATION].median())
    return summary
