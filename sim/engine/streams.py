"""Random numbers keyed by what they are for, so common random numbers survive a scenario.

Every draw a case makes is one uniform number turned into a value by the inverse of its
distribution (a duration's quantile function, an option's exponential time in a race). The
uniform is a hash of the run's seed and replication, the case's number, what the draw is
for (the wait before an activity, its work, each step that may follow it and each lost
reason at it, which race for the choice (``sim.engine.plan.Choice``), the case's attribute
row: a *key*) and the visit (the activity's first, second... time in the case). No draw
depends on the draws made before it, so a scenario that automates a step, loops back less
often or takes another branch leaves every other draw of every case as it is in the
baseline: the paired difference measures the change, not the noise (common random numbers
with synchronised streams: Law & Kelton, *Simulation Modeling and Analysis*, ch. 11). Keys
name an activity by its lead-to-cash role where it plays one alone, so a log whose
activities are named in another language draws the very same numbers.

The hash is SplitMix64's output function (Steele, Lea & Flood, OOPSLA 2014) applied to the
case's key xor the purpose's key plus the visit times the golden-ratio increment: for each
case and purpose a SplitMix64 stream, seeded by a case key that is itself the same hash of
the replication's key (numpy's ``SeedSequence`` of the seed and replication) plus the case
number. ``UniformBank`` computes the first visits' uniforms for a block of cases at once
with numpy; a later visit (a rework loop) hashes its own in Python, to the same number.
Arrivals have their own numpy stream per replication.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

GOLDEN = 0x9E3779B97F4A7C15  # SplitMix64's increment: 2**64 / the golden ratio, odd
_MASK = (1 << 64) - 1
_C1, _C2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
_UNIT = 2.0**-52  # uniforms are ((52 bits) + 0.5) / 2**52: never 0, never 1
VISITS = 2  # visits per key whose uniforms a case's table holds
BLOCK = 1024  # cases whose tables are computed together
ARRIVALS = (0, 0)  # the arrivals stream's spawn key after the replication (never change it)


def arrivals_stream(seed: int, replication: int) -> np.random.Generator:
    """The generator of one replication's arrival times."""
    return np.random.default_rng(np.random.SeedSequence(seed,
                                                        spawn_key=(replication, *ARRIVALS)))


def replication_key(seed: int, replication: int) -> int:
    """The 64-bit key every case key of a replication derives from."""
    sequence = np.random.SeedSequence(seed, spawn_key=(replication,))
    return int(sequence.generate_state(1, np.uint64)[0])


def purpose_key(text: str) -> int:
    """The 64-bit key of a purpose such as ``"delay|role:invoice_sent"`` (stable across
    runs, machines and versions: a hash of the text, not Python's salted ``hash``)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def _mix(z: int) -> int:
    z = ((z ^ (z >> 30)) * _C1) & _MASK
    z = ((z ^ (z >> 27)) * _C2) & _MASK
    return z ^ (z >> 31)


def case_key(replication: int, case: int) -> int:
    """The key of case number ``case`` of the replication keyed ``replication``."""
    return _mix((replication + case * GOLDEN) & _MASK)


def uniform(case: int, purpose: int, visit: int) -> float:
    """The uniform in (0, 1) of the case keyed ``case`` for ``purpose`` at ``visit``."""
    return ((_mix(((case ^ purpose) + visit * GOLDEN) & _MASK) >> 12) + 0.5) * _UNIT


def _mix_array(z: np.ndarray) -> np.ndarray:
    z = (z ^ (z >> np.uint64(30))) * np.uint64(_C1)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(_C2)
    return z ^ (z >> np.uint64(31))


def case_keys(replication: int, cases: np.ndarray) -> np.ndarray:
    """``case_key`` for many case numbers at once (uint64)."""
    numbers = np.asarray(cases, dtype=np.uint64)
    return _mix_array(np.uint64(replication) + numbers * np.uint64(GOLDEN))


def uniforms(cases: np.ndarray, purposes: np.ndarray, visits: int) -> np.ndarray:
    """``uniform`` for each case key, purpose key and visit 1..``visits``: an array
    (cases, purposes * visits), a purpose's visits side by side."""
    mixed = cases[:, None, None] ^ purposes[None, :, None]
    steps = np.arange(1, visits + 1, dtype=np.uint64) * np.uint64(GOLDEN)
    bits = _mix_array(mixed + steps[None, None, :]) >> np.uint64(12)
    return ((bits.astype(np.float64) + 0.5) * _UNIT).reshape(len(cases), -1)


class CaseDraws:
    """One case's uniforms: slot ``s`` (a purpose of the run's ``Keys``) at ``visit``."""

    __slots__ = ("key", "keys", "table")

    def __init__(self, key: int, table: list[float], keys: list[int]) -> None:
        self.key, self.table, self.keys = key, table, keys

    def uniform(self, slot: int, visit: int) -> float:
        if visit <= VISITS:
            return self.table[slot * VISITS + visit - 1]
        return uniform(self.key, self.keys[slot], visit)


class Keys:
    """The purposes of one run, numbered in the order first asked for (a slot each): the
    plan and its segments' plans share one, so a purpose has one slot in every case's
    table."""

    def __init__(self) -> None:
        self.slots: dict[str, int] = {}
        self.keys: list[int] = []

    def slot(self, text: str) -> int:
        found = self.slots.get(text)
        if found is None:
            found = self.slots[text] = len(self.keys)
            self.keys.append(purpose_key(text))
        return found


class UniformBank:
    """The tables of one replication's cases, computed a block of cases at a time. Cases
    are numbered in arrival order and take their tables when they start, so only the
    current block is kept."""

    def __init__(self, seed: int, replication: int, keys: Sequence[int]) -> None:
        self.replication = replication_key(seed, replication)
        self.keys = list(keys)
        self._purposes = np.asarray(self.keys, dtype=np.uint64)
        self._block = -1
        self._cases: list[int] = []
        self._tables = np.empty((0, 0))

    def case(self, number: int) -> CaseDraws:
        """The draws of case ``number`` (numbered from 1)."""
        block = number // BLOCK
        if block != self._block:
            keys = case_keys(self.replication, np.arange(block * BLOCK, (block + 1) * BLOCK))
            self._cases = keys.tolist()
            self._tables = uniforms(keys, self._purposes, VISITS)
            self._block = block
        index = number - block * BLOCK
        return CaseDraws(self._cases[index], self._tables[index].tolist(), self.keys)
