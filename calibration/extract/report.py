"""The extraction report: what was read from the CRM's tables and what became of every row.

Turning tables into an event log involves choices a process owner must be able to check:
which links between records held, which timestamps had to be approximated, which rows were
left out and why. Every row read is counted either as used or as left out with a reason, so
``rows == used + left out`` holds per table and nothing disappears silently.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

EXAMPLES = 3  # record keys shown per broken link or left-out reason


@dataclass
class LinkCount:
    """How often one kind of link between records resolved, with examples of broken ones."""

    resolved: int = 0
    broken: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, ok: bool, example: str) -> None:
        if ok:
            self.resolved += 1
            return
        self.broken += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append(example)


@dataclass
class TableCount:
    """Rows of one table: read, used, and left out by reason (with example keys)."""

    file: str
    rows: int
    left_out: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    @property
    def used(self) -> int:
        return self.rows - sum(self.left_out.values())

    def leave_out(self, reason: str, keys: list[str]) -> None:
        if not keys:
            return
        self.left_out[reason] += len(keys)
        shown = self.examples.setdefault(reason, [])
        shown.extend(keys[: EXAMPLES - len(shown)])


@dataclass
class ExtractionReport:
    """Everything ``l2c extract`` tells the user about the tables it turned into a log."""

    source: str
    form: str = ""
    tables: dict[str, TableCount] = field(default_factory=dict)
    links: dict[str, LinkCount] = field(default_factory=dict)
    cases: int = 0
    lead_only_cases: int = 0
    events: Counter[str] = field(default_factory=Counter)
    approximated: Counter[str] = field(default_factory=Counter)
    undated: Counter[str] = field(default_factory=Counter)  # steps shown but not dated
    events_left_out: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def table(self, name: str) -> TableCount:
        return self.tables[name]

    def link(self, name: str) -> LinkCount:
        return self.links.setdefault(name, LinkCount())

    @property
    def rows_read(self) -> int:
        return sum(t.rows for t in self.tables.values())

    @property
    def rows_left_out(self) -> int:
        return sum(sum(t.left_out.values()) for t in self.tables.values())

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: the shape of ``l2c extract --format json``."""
        return {
            "source": self.source,
            "form": self.form,
            "tables": {name: {"file": t.file, "rows": t.rows, "used": t.used,
                              "left_out": {reason: {"rows": n, "examples": t.examples[reason]}
                                           for reason, n in sorted(t.left_out.items())}}
                       for name, t in self.tables.items()},
            "links": {name: {"resolved": link.resolved, "broken": link.broken,
                             "examples": link.examples} for name, link in self.links.items()},
            "cases": self.cases,
            "lead_only_cases": self.lead_only_cases,
            "events": dict(sorted(self.events.items(), key=lambda kv: (-kv[1], kv[0]))),
            "events_total": sum(self.events.values()),
            "approximated": dict(sorted(self.approximated.items())),
            "undated": dict(sorted(self.undated.items())),
            "events_left_out": dict(sorted(self.events_left_out.items())),
            "rows_read": self.rows_read,
            "rows_left_out": self.rows_left_out,
            "warnings": self.warnings,
        }
