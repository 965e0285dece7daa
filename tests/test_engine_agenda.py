"""The agenda wakes processes in exactly SimPy's order, ties and float sums included."""

from __future__ import annotations

import numpy as np
import simpy

from sim.engine.agenda import Agenda

UNTIL = 30.0


def _script(seed: int, processes: int = 40, waits: int = 12) -> list[list[float]]:
    """Waits drawn from a few tenths, so that many processes wake at the same moment and
    ``now + delay`` rounds as it does in a long run."""
    rng = np.random.default_rng(seed)
    return [list(rng.choice([0.1, 0.2, 0.3, 0.7, 1.1], size=waits)) for _ in range(processes)]


def _with_simpy(script: list[list[float]]) -> list[tuple[int, float]]:
    """Cases started as the engine started them on SimPy: run at once, then resumed by a
    callback on each timeout."""
    env, seen = simpy.Environment(initial_time=0.3), []

    def case(number, waits):
        for wait in waits:
            seen.append((number, env.now))
            yield env.timeout(wait)
        seen.append((number, env.now))

    def start(steps):
        def resume(_=None):
            try:
                event = next(steps)
            except StopIteration:
                return
            event.callbacks.append(resume)

        resume()

    def starter():
        for number, waits in enumerate(script):
            start(case(number, waits))
            yield env.timeout(0.1)

    env.process(starter())
    env.run(until=UNTIL)
    return seen


def _with_agenda(script: list[list[float]]) -> list[tuple[int, float]]:
    agenda, seen = Agenda(0.3), []

    def case(number, waits):
        for wait in waits:
            seen.append((number, agenda.now))
            yield wait
        seen.append((number, agenda.now))

    def starter():
        for number, waits in enumerate(script):
            agenda.start(case(number, waits))
            yield 0.1

    agenda.start(starter())
    agenda.run(until=UNTIL)
    return seen


def test_the_agenda_resumes_processes_in_simpys_order_at_simpys_times():
    for seed in range(5):
        script = _script(seed)
        simpy_order = _with_simpy(script)
        assert len(simpy_order) > 300
        assert _with_agenda(script) == simpy_order


def test_nothing_due_at_the_stop_runs():
    agenda, seen = Agenda(0.0), []

    def process():
        for wait in (1.0, 1.0, 1.0):
            yield wait
            seen.append(agenda.now)

    agenda.start(process())
    agenda.run(until=2.0)
    assert seen == [1.0]  # the wake-up due at 2.0 waits, as a case open at the horizon
