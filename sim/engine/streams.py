"""Random streams: one seed, a tree of independent generators, common random numbers.

Every draw of a run comes from the generator
``default_rng(SeedSequence(seed, spawn_key=(replication, case_number, purpose)))``: case 17
of replication 0 always gets the same attribute row, the same routing decisions and the same
durations, whatever the other cases do. A baseline and a scenario run with one seed therefore
differ only where the scenario changed something (common random numbers), and their KPI
difference measures the change, not the noise. Arrivals have their own stream per
replication (case number 0).

Building a ``SeedSequence`` and seeding a ``PCG64`` from it costs about 9 microseconds,
which was a third of the run time at four streams per case. ``SeedBank`` computes the same
seed states for a block of cases at once with numpy (``SeedSequence``'s hash, whose
algorithm numpy keeps stable across versions) and hands each ``PCG64`` its precomputed
state: bit for bit the generators above, about ten times cheaper. A test compares the two
for many seeds, replications, cases and purposes.
"""

from __future__ import annotations

import numpy as np
from numpy.random.bit_generator import ISeedSequence

# What a stream is for: the last element of its spawn key. Never renumber them: a changed
# number changes every simulated log.
ATTRIBUTES = 0
ROUTING = 1
DELAYS = 2
PROCESSING = 3
OUTCOMES = 4
PURPOSES = ("attributes", "routing", "delays", "processing", "outcomes")
ARRIVALS_CASE = 0  # arrivals use case number 0; simulated cases are numbered from 1
BLOCK = 4096  # cases whose seed states are computed together

# numpy's SeedSequence constants (numpy/random/bit_generator.pyx).
_POOL = 4
_INIT_A, _MULT_A = 0x43B0D7E5, 0x931E8875
_INIT_B, _MULT_B = 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = 0xCA01F9DD, 0x4973F715
_MASK = 0xFFFFFFFF


def stream(seed: int, replication: int, case: int, purpose: int) -> np.random.Generator:
    """The generator of one case's draws for one purpose (the reference construction)."""
    return np.random.default_rng(
        np.random.SeedSequence(seed, spawn_key=(replication, case, purpose)))


def arrivals_stream(seed: int, replication: int) -> np.random.Generator:
    """The generator of one replication's arrival times."""
    return stream(seed, replication, ARRIVALS_CASE, ATTRIBUTES)


def _words(value: int) -> list[int]:
    """An int as SeedSequence reads it: little-endian 32-bit words, [0] for zero."""
    if value < 0:
        raise ValueError(f"seed parts must be >= 0 (got {value})")
    words = [0] if value == 0 else []
    while value > 0:
        words.append(value & _MASK)
        value >>= 32
    return words


class _Hash:
    """SeedSequence's ``hashmix`` with its running multiplier, on uint32 arrays."""

    def __init__(self) -> None:
        self.const = _INIT_A

    def __call__(self, value: np.ndarray) -> np.ndarray:
        value = value ^ np.uint32(self.const)
        self.const = (self.const * _MULT_A) & _MASK
        value = value * np.uint32(self.const)
        return value ^ (value >> np.uint32(16))


def _mix(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    result = np.uint32(_MIX_L) * x - np.uint32(_MIX_R) * y
    return result ^ (result >> np.uint32(16))


def seed_states(seed: int, replication: int, cases: np.ndarray) -> np.ndarray:
    """``SeedSequence(seed, spawn_key=(replication, case, purpose)).generate_state(4,
    uint64)`` for each case (below 2**32) and purpose: an array (cases, purposes, 4)."""
    cases = np.asarray(cases, dtype=np.uint64)
    if cases.size and int(cases.max()) > _MASK:
        raise ValueError("case numbers must be below 2**32")
    run = _words(seed)
    run += [0] * max(0, _POOL - len(run))  # a spawn key pads the run entropy to the pool
    n = cases.size
    hashmix = _Hash()
    with np.errstate(over="ignore"):
        pool = [hashmix(np.full(n, run[i], dtype=np.uint32)) for i in range(_POOL)]
        for src in range(_POOL):
            for dst in range(_POOL):
                if src != dst:
                    pool[dst] = _mix(pool[dst], hashmix(pool[src]))
        later = [np.full(n, w, dtype=np.uint32) for w in run[_POOL:] + _words(replication)]
        later.append(cases.astype(np.uint32))
        for word in later:
            for dst in range(_POOL):
                pool[dst] = _mix(pool[dst], hashmix(word))
        states = np.empty((n, len(PURPOSES), 4), dtype=np.uint64)
        for purpose in range(len(PURPOSES)):
            last = _Hash()
            last.const = hashmix.const
            word = np.full(n, purpose, dtype=np.uint32)
            mixed = [_mix(pool[dst], last(word)) for dst in range(_POOL)]
            const, out = _INIT_B, []
            for i in range(2 * 4):
                value = mixed[i % _POOL] ^ np.uint32(const)
                const = (const * _MULT_B) & _MASK
                value = value * np.uint32(const)
                out.append(value ^ (value >> np.uint32(16)))
            for k in range(4):
                states[:, purpose, k] = (out[2 * k].astype(np.uint64)
                                         | (out[2 * k + 1].astype(np.uint64) << np.uint64(32)))
    return states


class _State(ISeedSequence):
    """A seed sequence whose state is already known (what ``PCG64`` asks it for)."""

    __slots__ = ("state",)

    def __init__(self, state: np.ndarray) -> None:
        self.state = state

    def generate_state(self, n_words: int, dtype: object = np.uint32) -> np.ndarray:
        return self.state


class SeedBank:
    """Seed states of one replication's cases, computed a block of cases at a time.

    Cases are numbered in arrival order and take their states when they start, so only the
    current block is kept.
    """

    def __init__(self, seed: int, replication: int) -> None:
        self.seed, self.replication = seed, replication
        self._block = -1
        self._states = np.empty((0, len(PURPOSES), 4), dtype=np.uint64)

    def states(self, case: int) -> np.ndarray:
        """The (purposes, 4) seed states of ``case``."""
        block = case // BLOCK
        if block != self._block:
            numbers = np.arange(block * BLOCK, (block + 1) * BLOCK)
            self._states = seed_states(self.seed, self.replication, numbers)
            self._block = block
        return self._states[case - block * BLOCK].copy()


class CaseStreams(dict[int, np.random.Generator]):
    """The five streams of one case by purpose (``streams[ROUTING]``), each built on first
    use: a dict, so that reading a stream already built is one lookup with no Python call
    (the engine reads one per draw)."""

    __slots__ = ("_states",)

    def __init__(self, states: np.ndarray) -> None:
        super().__init__()
        self._states = states

    def __missing__(self, purpose: int) -> np.random.Generator:
        generator = np.random.Generator(np.random.PCG64(_State(self._states[purpose])))
        self[purpose] = generator
        return generator
