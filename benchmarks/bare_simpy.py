"""The "bare SimPy" ceiling: the reference lead-to-cash model hand-coded as a plain SimPy program.

This is the minimal program someone would write for ``benchmarks/models/lead_to_cash.*`` by
hand, with no model file, no validation, no random-stream tree and no output tables: the
routing, durations, pools and calendars are written out below as in the Prosimos files, and
the log is a list of tuples in memory. ``benchmarks/speed.py`` runs it beside Prosimos and our
engine, as the speed ceiling a general engine is measured against.

Semantics are Prosimos's, the same as the reference files:
- a case arrives ``gap ~ expon(mean 1800 s)`` after the previous one; an arrival outside the
  arrival calendar (Mon-Fri 08-18) moves to its next opening;
- each task waits first come, first served for a member of its pool (``simpy.Resource``), then
  works its drawn duration in working time of the pool's calendar (work stops outside it);
- exclusive gateways pick a branch by probability; "Payment term runs" is a timer on the wall
  clock; durations are drawn again when above the Prosimos maximum.

    .venv/bin/python benchmarks/bare_simpy.py --cases 10000 --seed 1 [--summary cases.csv]

prints one JSON line: wall seconds (model set-up to log in memory), peak memory (VmHWM, MB),
task instances, cases; ``--summary`` writes per case the cycle time (first task start to last
task end, hours) and the outcome (read off the last task, as for the other engines).
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import time
from bisect import bisect_right
from pathlib import Path

import simpy

HOUR = 3600.0
DAY = 24 * HOUR
WEEK = 7 * DAY


class Calendar:
    """Open hours of the week (Monday 00:00 = 0): the next open moment, working-time ends."""

    def __init__(self, begin: int, end: int, days: int = 5) -> None:
        self.spans = [(d * DAY + begin * HOUR, d * DAY + end * HOUR) for d in range(days)]
        self.starts = [s for s, _ in self.spans]

    def _span(self, t: float) -> tuple[float, float]:
        """The open span holding ``t`` or the next one (absolute times)."""
        week = math.floor(t / WEEK)
        base = week * WEEK
        offset = t - base
        i = bisect_right(self.starts, offset) - 1
        if i >= 0 and offset < self.spans[i][1]:
            return base + self.spans[i][0], base + self.spans[i][1]
        i += 1
        if i == len(self.spans):
            base += WEEK
            i = 0
        return base + self.spans[i][0], base + self.spans[i][1]

    def next_open(self, t: float) -> float:
        begin, _ = self._span(t)
        return max(begin, t)

    def advance(self, t: float, work: float) -> float:
        """When ``work`` working seconds started at ``t`` are done."""
        while True:
            begin, end = self._span(t)
            t = max(begin, t)
            if t + work <= end:
                return t + work
            work -= end - t
            t = end


SALES = Calendar(8, 17)
OFFICE = Calendar(9, 17)
EARLY = Calendar(7, 15)
BILLING = Calendar(10, 16)
ARRIVALS = Calendar(8, 18)


def expon(mean: float, high: float):
    def draw(rng: random.Random) -> float:
        while True:
            x = rng.expovariate(1.0 / mean)
            if x <= high:
                return x
    return draw


def gamma(mean: float, std: float, high: float):
    shape, scale = (mean / std) ** 2, std * std / mean

    def draw(rng: random.Random) -> float:
        while True:
            x = rng.gammavariate(shape, scale)
            if x <= high:
                return x
    return draw


def lognorm(mean: float, std: float, high: float):
    phi = math.sqrt(std * std + mean * mean)
    mu, sigma = math.log(mean * mean / phi), math.sqrt(math.log(phi * phi / (mean * mean)))

    def draw(rng: random.Random) -> float:
        while True:
            x = rng.lognormvariate(mu, sigma)
            if x <= high:
                return x
    return draw


# task: (pool, duration) -- the same numbers as benchmarks/models/lead_to_cash.json
TASKS = {
    "Qualify lead": ("reps", expon(1800, 36000)),
    "Create opportunity": ("reps", gamma(2700, 1350, 27000)),
    "Propose solution": ("reps", lognorm(7200, 3600, 86400)),
    "Create quote": ("reps", gamma(3600, 1800, 36000)),
    "Approve quote": ("approvers", gamma(2700, 1800, 36000)),
    "Send quote": ("reps", expon(900, 18000)),
    "Sign contract": ("reps", lognorm(3600, 2400, 54000)),
    "Create order": ("ops", expon(3600, 72000)),
    "Fulfil order": ("ops", lognorm(10800, 5400, 129600)),
    "Generate invoice": ("billing", expon(1200, 28800)),
    "Send invoice": ("billing", expon(600, 14400)),
    "Receive payment": ("billing", gamma(900, 450, 10800)),
}
POOLS = {"reps": (12, SALES), "approvers": (2, OFFICE), "ops": (5, EARLY),
         "billing": (2, BILLING)}
PAYMENT_TERM = gamma(30 * DAY, 10 * DAY, 150 * DAY)
ARRIVAL_GAP = expon(1800, 86400)


def simulate(cases: int, seed: int) -> list[tuple[int, str, float, float]]:
    """The log: (case, task, start, end) per task instance, seconds since Monday 00:00."""
    rng = random.Random(seed)
    env = simpy.Environment()
    pools = {name: (simpy.Resource(env, capacity=size), calendar)
             for name, (size, calendar) in POOLS.items()}
    log: list[tuple[int, str, float, float]] = []

    def task(case: int, name: str):
        pool_name, duration = TASKS[name]
        pool, calendar = pools[pool_name]
        with pool.request() as request:
            yield request
            start = calendar.next_open(env.now)
            end = calendar.advance(start, duration(rng))
            yield env.timeout(end - env.now)
        log.append((case, name, start, end))

    def lead(case: int):
        yield from task(case, "Qualify lead")
        if rng.random() < 0.3:
            return
        yield from task(case, "Create opportunity")
        yield from task(case, "Propose solution")
        if rng.random() < 0.25:
            return
        while True:
            yield from task(case, "Create quote")
            yield from task(case, "Approve quote")
            yield from task(case, "Send quote")
            u = rng.random()
            if u < 0.25:
                continue  # revise the quote
            if u < 0.45:
                return  # rejected
            break
        for name in ("Sign contract", "Create order", "Fulfil order", "Generate invoice",
                     "Send invoice"):
            yield from task(case, name)
        yield env.timeout(PAYMENT_TERM(rng))
        yield from task(case, "Receive payment")

    def arrivals():
        t = ARRIVALS.next_open(0.0)
        for case in range(cases):
            if t > env.now:
                yield env.timeout(t - env.now)
            env.process(lead(case))
            t = ARRIVALS.next_open(t + ARRIVAL_GAP(rng))

    env.process(arrivals())
    env.run()
    return log


def summary(log: list[tuple[int, str, float, float]]) -> dict[int, tuple[float, str]]:
    """Per case: cycle time in hours (first start to last end) and its last task."""
    first: dict[int, float] = {}
    last: dict[int, tuple[float, str]] = {}
    for case, name, start, end in log:
        if start < first.get(case, math.inf):
            first[case] = start
        if end >= last.get(case, (-math.inf, ""))[0]:
            last[case] = (end, name)
    return {c: ((last[c][0] - first[c]) / HOUR, last[c][1]) for c in first}


def peak_mb() -> float:
    """This process's own peak memory: VmHWM (max RSS would count a parent's after fork)."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--summary", help="write case,cycle_hours,last_task to this CSV")
    args = parser.parse_args()
    started = time.perf_counter()
    log = simulate(args.cases, args.seed)
    seconds = time.perf_counter() - started
    peak = peak_mb()
    if args.summary:
        with Path(args.summary).open("w", encoding="utf-8") as out:
            out.write("case,cycle_hours,last_task\n")
            for case, (hours, name) in sorted(summary(log).items()):
                out.write(f"{case},{hours!r},{name}\n")
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "events": len(log),
                      "cases": len({row[0] for row in log})}))


if __name__ == "__main__":
    main()
