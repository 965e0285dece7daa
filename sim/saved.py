"""Saved comparisons: the one module that touches the embedded database (SQLite).

A saved comparison keeps everything needed to show it again and to re-run it to the same
numbers: the baseline model (JSON and fingerprint), the scenario files' text, seed,
replications and run length, the costs it was priced with, every KPI result and the
business case. A backtest is kept the same way, with
its table (``calibration.evaluate.backtest``) in place of the KPI differences, and so is a
target's answer (``scenarios.target.keep``), with the question and the answer. Each write
is one SQLite transaction (write-ahead log, ``BEGIN IMMEDIATE``), so a crash mid-write or
two sessions saving at once never corrupt or lose a saved comparison.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sim.business_case import BusinessCase
from sim.chart_data import MemberCharts, member_charts, to_json
from sim.compare import Difference
from sim.errors import PlannerError, did_you_mean, shorten
from sim.fidelity_row import FidelityRow
from sim.run_length import RunLength
from sim.segments import SegmentResults

ENV_PATH = "L2C_SAVED_DB"
DEFAULT_PATH = Path.home() / ".l2c" / "saved.sqlite"
BUSY_TIMEOUT_S = 30.0
MAX_NAME_CHARS = 200  # names are shown in lists, tables and file names
SUGGESTIONS = 3  # closest names offered for an unknown one
SCHEMA = """
CREATE TABLE IF NOT EXISTS comparisons (
    name TEXT PRIMARY KEY,
    created TEXT NOT NULL,
    payload TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class SavedScenario:
    """A scenario file as a saved comparison keeps it: its name, where it came from, its
    text as written, and the resolved YAML that re-runs it (a saved backtest keeps none)."""

    name: str
    source: str = ""
    text: str = ""
    resolved: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> SavedScenario:
        resolved = data.get("resolved")
        return cls(name=str(data.get("name") or ""), source=str(data.get("source") or ""),
                   text=str(data.get("text") or ""),
                   resolved=None if resolved is None else str(resolved))

    def to_dict(self) -> dict[str, str]:
        """As stored: name, source, text, and ``resolved`` when there is one."""
        kept = {"name": self.name, "source": self.source, "text": self.text}
        return kept if self.resolved is None else kept | {"resolved": self.resolved}


@dataclass
class SavedComparison:
    """One comparison as saved: inputs to re-run it and the results to show it."""

    name: str
    model_name: str
    model_fingerprint: str
    model_json: str
    scenarios: list[SavedScenario]  # each scenario file
    seed: int
    replications: int  # the baseline's: as many as the scenario that needed the most
    run: RunLength  # cases / days / start / warm-up
    results: list[Difference]  # stored as Difference.to_dict() rows
    charts: dict[str, MemberCharts] = field(default_factory=dict)  # behind the report charts
    fidelity: list[FidelityRow] = field(default_factory=list)  # baseline vs history
    created: str = ""
    costs: str = ""  # the costs file as YAML ("" : none given)
    business_case: BusinessCase | None = None  # None: compared without costs
    # a saved backtest's table and a saved target's answer, as their own to_dict() wrote
    # them: their types live above this module (calibration, scenarios), which read them
    backtest: dict[str, object] = field(default_factory=dict)
    target: dict[str, object] = field(default_factory=dict)
    segments: SegmentResults | None = None  # measured by segment before saving
    # each member's replications (a scenario stops when its own KPIs are decided); saved
    # before they could differ: every member ran ``replications``
    member_replications: dict[str, int] = field(default_factory=dict)

    @property
    def is_backtest(self) -> bool:
        """A backtest kept with the comparisons: its table instead of KPI differences."""
        return bool(self.backtest)

    @property
    def is_target(self) -> bool:
        """A target's answer kept with the comparisons: its question and answer."""
        return bool(self.target)


@dataclass(frozen=True)
class SavedSummary:
    name: str
    created: str
    model_name: str
    scenarios: list[str]
    replications: int
    seed: int
    is_backtest: bool = False
    is_target: bool = False


def default_path() -> Path:
    return Path(os.environ.get(ENV_PATH, DEFAULT_PATH))


class SavedStore:
    """save / list / load / rename / delete saved comparisons in one SQLite file."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise PlannerError(f"Cannot create the folder for saved comparisons "
                               f"{self.path.parent}: {error.strerror}. Set ${ENV_PATH} to a "
                               "writable file.") from None
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as error:
            raise PlannerError(f"Cannot open the saved-comparisons database {self.path}: "
                               f"{error}. Set ${ENV_PATH} to a writable file.") from None
        try:
            db.execute("PRAGMA synchronous=FULL")
            yield db
        except sqlite3.DatabaseError as error:
            raise PlannerError(f"The saved-comparisons database {self.path} could not be "
                               f"used: {error}.") from None
        finally:
            db.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def save(self, comparison: SavedComparison, overwrite: bool = False) -> SavedComparison:
        name = checked_name(comparison.name)
        comparison.name = name
        comparison.created = comparison.created or datetime.now(UTC).isoformat(
            timespec="seconds")
        payload = json.dumps(asdict(comparison) | {
            "scenarios": [s.to_dict() for s in comparison.scenarios],
            "results": [row.to_dict() for row in comparison.results],
            "charts": to_json(comparison.charts),
            "business_case": _or_empty(comparison.business_case),
            "segments": _or_empty(comparison.segments)}, ensure_ascii=False)
        with self._write() as db:
            exists = db.execute("SELECT 1 FROM comparisons WHERE name = ?", (name,)).fetchone()
            if exists and not overwrite:
                raise PlannerError(f"A comparison named '{name}' is already saved; choose "
                                   "another name or overwrite it.")
            db.execute("INSERT OR REPLACE INTO comparisons (name, created, payload) "
                       "VALUES (?, ?, ?)", (name, comparison.created, payload))
        return comparison

    def names(self) -> list[str]:
        with self._connect() as db:
            return [r[0] for r in db.execute("SELECT name FROM comparisons ORDER BY name")]

    def list(self) -> list[SavedSummary]:
        with self._connect() as db:
            rows = db.execute("SELECT payload FROM comparisons ORDER BY created DESC, name")
            summaries = []
            for (payload,) in rows:
                data = json.loads(payload)
                summaries.append(SavedSummary(
                    data["name"], data["created"], data["model_name"],
                    [s["name"] for s in data["scenarios"]], data["replications"],
                    data["seed"], bool(data.get("backtest")), bool(data.get("target"))))
            return summaries

    def load(self, name: str) -> SavedComparison:
        with self._connect() as db:
            row = db.execute("SELECT payload FROM comparisons WHERE name = ?",
                             (name,)).fetchone()
        if row is None:
            raise self._unknown(name)
        data = json.loads(row[0])
        return SavedComparison(**data | {
            "scenarios": [SavedScenario.from_dict(s) for s in data.get("scenarios") or []],
            "results": [Difference.from_dict(row) for row in data.get("results") or []],
            "fidelity": [FidelityRow.from_dict(row) for row in data.get("fidelity") or []],
            "charts": member_charts(data.get("charts") or {}),
            "business_case": (BusinessCase.from_dict(data["business_case"])
                              if data.get("business_case") else None),
            "segments": SegmentResults.from_dict(data.get("segments") or {})})

    def rename(self, old: str, new: str) -> None:
        new = checked_name(new)
        with self._write() as db:
            row = db.execute("SELECT payload FROM comparisons WHERE name = ?",
                             (old,)).fetchone()
            if row is None:
                raise self._unknown(old)
            if db.execute("SELECT 1 FROM comparisons WHERE name = ?", (new,)).fetchone():
                raise PlannerError(f"A comparison named '{new}' is already saved.")
            data = json.loads(row[0]) | {"name": new}
            db.execute("UPDATE comparisons SET name = ?, payload = ? WHERE name = ?",
                       (new, json.dumps(data, ensure_ascii=False), old))

    def delete(self, name: str) -> None:
        with self._write() as db:
            if db.execute("DELETE FROM comparisons WHERE name = ?", (name,)).rowcount == 0:
                raise self._unknown(name)

    def _unknown(self, name: str) -> PlannerError:
        """Not every saved name (there may be thousands): the closest few and a count."""
        names = self.names()
        saved = f"{len(names):,} saved in all." if names else "None saved yet."
        return PlannerError(f"No saved comparison named '{shorten(name)}'."
                            f"{did_you_mean(name, names, SUGGESTIONS)} {saved}")


def _or_empty(kept: BusinessCase | SegmentResults | None) -> dict[str, object]:
    """A typed part as stored: its dictionary, or ``{}`` for none (as it always was)."""
    return {} if kept is None else kept.to_dict()


def checked_name(name: str) -> str:
    """A name to save under: not blank, not too long to show."""
    name = name.strip()
    if not name:
        raise PlannerError("Give the comparison a name to save it under.")
    if len(name) > MAX_NAME_CHARS:
        raise PlannerError(f"The name '{shorten(name)}' has {len(name):,} characters; a saved "
                           f"comparison's name has at most {MAX_NAME_CHARS}. Choose a shorter "
                           "one.")
    return name
