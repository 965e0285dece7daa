"""The validation report: what is wrong with an input file, in words a process owner can act on.

Errors stop an import; warnings don't. Notes say what the reader assumed or did (a date
order it picked, rows it set aside), so nothing happens to the user's data silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import SupportsInt

ERROR = "error"
WARNING = "warning"
NOTE = "note"


@dataclass(frozen=True)
class Finding:
    """One thing the reader found: a level, a stable code for scripts, and the message."""

    level: str
    code: str
    message: str
    rows: tuple[int, ...] = ()  # 1-based line numbers in the user's file, header = line 1

    def to_dict(self) -> dict[str, object]:
        return {"level": self.level, "code": self.code, "message": self.message,
                "rows": list(self.rows)}


@dataclass
class ValidationReport:
    """Everything the reader found, in the order found."""

    findings: list[Finding] = field(default_factory=list)

    def add(self, level: str, code: str, message: str, rows: tuple[int, ...] = ()) -> None:
        self.findings.append(Finding(level, code, message, tuple(int(r) for r in rows)))

    def error(self, code: str, message: str, rows: tuple[int, ...] = ()) -> None:
        self.add(ERROR, code, message, rows)

    def warning(self, code: str, message: str, rows: tuple[int, ...] = ()) -> None:
        self.add(WARNING, code, message, rows)

    def note(self, code: str, message: str) -> None:
        self.add(NOTE, code, message)

    def _messages(self, level: str) -> list[str]:
        return [f.message for f in self.findings if f.level == level]

    @property
    def errors(self) -> list[str]:
        return self._messages(ERROR)

    @property
    def warnings(self) -> list[str]:
        return self._messages(WARNING)

    @property
    def notes(self) -> list[str]:
        return self._messages(NOTE)

    @property
    def ok(self) -> bool:
        return not self.errors

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}


def row_list(rows: Iterable[SupportsInt], limit: int = 5) -> str:
    """Format the first few row numbers for a message: 'rows 4, 9, 12 and 3 more'."""
    values = sorted(int(r) for r in rows)
    shown = ", ".join(str(r) for r in values[:limit])
    more = len(values) - limit
    word = "row" if len(values) == 1 else "rows"
    return f"{word} {shown}" + (f" and {more} more" if more > 0 else "")


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 value', '3 values'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
