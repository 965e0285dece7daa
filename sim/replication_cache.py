"""Replications already measured, kept on disk so that no one waits for them twice.

Replication r of a model with a seed and a run length is always the same (``sim.engine``),
so its measurements can be kept and reused: the baseline of a comparison serves every
scenario compared with it, a re-run, the Compare page after the Targets page, and the
next ``l2c compare`` on the same model. The key is a SHA-256 of the model's whole JSON (at
full precision: the model file's seven digits could not tell two lever settings apart), the
seed, the run length and the source of the simulation and KPI code, so a changed model, a
changed setting or a new version of the planner never meets an old entry.

Entries live under ``$L2C_CACHE_DIR`` (default ``$XDG_CACHE_HOME/l2c`` or ``~/.cache/l2c``;
``off`` turns the cache off), in a folder only the user can read, one small pickle file per
replication (about 25 KB) written atomically; an entry that cannot be read counts as
missing, and one unused for 30 days is removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import tempfile
import time
from functools import cache
from pathlib import Path

from sim.measured import Measured
from sim.model import ProcessModel
from sim.run_length import RunLength

CACHE_ENV = "L2C_CACHE_DIR"
OFF = "off"
FOLDER = "replications"
CODE_PACKAGES = ("sim",)  # whose source decides what a replication measures
MAX_AGE_DAYS = 30.0  # an entry unused this long is removed when a cache is opened
SECONDS_PER_DAY = 86_400.0


def default_folder() -> Path | None:
    """The cache folder by ``$L2C_CACHE_DIR``, the XDG cache home or ``~/.cache``; None
    when the cache is turned off."""
    chosen = os.environ.get(CACHE_ENV, "").strip()
    if chosen.lower() == OFF:
        return None
    if chosen:
        return Path(chosen) / FOLDER
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base) / "l2c" / FOLDER


@cache
def code_version() -> str:
    """A hash of the simulation and KPI source: a new version never reads old entries."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for package in CODE_PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def study_key(model: ProcessModel, seed: int, run: RunLength) -> str:
    """What makes replication r of a study member what it is, as one hex digest."""
    settings = json.dumps({k: str(v) for k, v in sorted(run.items())}, sort_keys=True)
    digest = hashlib.sha256()
    for part in (code_version(), model.model_dump_json(), str(seed), settings):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


class ReplicationCache:
    """Measured replications on disk by (key, replication); ``folder`` None: nothing kept."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.hits = 0

    @classmethod
    def default(cls) -> ReplicationCache:
        found = cls(default_folder())
        found.prune()
        return found

    def prune(self, max_age_days: float = MAX_AGE_DAYS) -> int:
        """Remove entries not used for ``max_age_days``; how many went."""
        if self.folder is None or not self.folder.is_dir():
            return 0
        oldest, removed = time.time() - max_age_days * SECONDS_PER_DAY, 0
        for path in self.folder.glob("*/*.pickle"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < oldest:
                    path.unlink()
                    removed += 1
        return removed

    def _path(self, key: str, replication: int) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}-{replication}.pickle"

    def get(self, key: str, replication: int, detail: bool = False, parts: bool = False
            ) -> Measured | None:
        """The entry kept, if any; with ``detail`` only one measured with its weeks and its
        process map, with ``parts`` only one with the map of each part of its cases (one
        without what is asked for is a miss; one with more serves every caller)."""
        if self.folder is None:
            return None
        try:
            path = self._path(key, replication)
            with path.open("rb") as file:
                found = pickle.load(file)  # our own folder, mode 0700
            path.touch()  # used now: kept from pruning
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError,
                TypeError, ValueError):
            return None
        if not isinstance(found, Measured) or (detail and found.over_time is None) or (
                parts and found.process_map_parts is None):
            return None
        self.hits += 1
        return found

    def put(self, key: str, replication: int, measured: Measured) -> None:
        """Keep an entry; a cache that cannot be written is skipped, never an error."""
        if self.folder is None:
            return
        path = self._path(key, replication)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            for folder in (self.folder, path.parent):
                folder.chmod(0o700)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as file:
                pickle.dump(measured, file, protocol=pickle.HIGHEST_PROTOCOL)
            Path(file.name).replace(path)
        except OSError:
            return
