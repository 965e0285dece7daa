"""The events of a lead-to-cash case, read off Dataverse records and their audit history.

Record creation (``createdon``, ``createdby``) dates Lead Created, Opportunity Created,
Quote Created (one per quote revision, so re-quoting shows as a loop), Sales Order Created
and Invoice Generated. State changes are dated by the audit history (the Qualify, Activate,
Fulfill and Paid actions, or the new ``statecode`` / ``statuscode`` / ``activestageid`` in
``changedata``) or by a column that records them (``actualend`` of the opportunity close,
``closedon`` of a won quote, ``datefulfilled``, the payments file). When neither exists but
the record is still in that state, its ``modifiedon`` is the best estimate: the event is
kept, marked ``approximated`` in the log and counted in the report. A step a record shows
but nothing dates is counted as undated, never given an invented time. CRM tables do not
record when work on a step began: every event is an instant at the moment it was saved.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from calibration.extract.dataverse_audit import AuditTrail, Change
from calibration.extract.dataverse_columns import NAME, codes_of
from calibration.extract.events import APPROXIMATED, RANK
from calibration.extract.report import ExtractionReport

# Activity -> (sales stage, rank among events of a case at the same moment).
STEPS: dict[str, tuple[str, int]] = {
    "Lead Created": ("Qualify", 0), "Lead Qualified": ("Qualify", 1),
    "Opportunity Created": ("Develop", 2), "Quote Created": ("Propose", 4),
    "Quote Approved": ("Propose", 5), "Quote Accepted": ("Propose", 6),
    "Opportunity Won": ("Close", 7), "Opportunity Lost": ("Close", 7),
    "Sales Order Created": ("Won", 8), "Order Fulfilled": ("Won", 9),
    "Invoice Generated": ("Won", 10), "Invoice Sent": ("Won", 11),
    "Payment Received": ("Won", 12),
}
STAGE_ENTRY_RANK = 3  # a process stage entered at the same moment as a record was created
CASE, KEY, TIME = "_case", "_key", "time"
UNDATED = "the record shows it, but no audit row or column dates it"
POSSIBLY = "the record is past it (perhaps through it), and no audit row dates it"


@dataclass(frozen=True)
class Dated:
    """When a step happened, who did it, and how the time was found (None: exactly)."""

    time: pd.Timestamp
    resource: str | None
    approximated: str | None = None


def text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def who(frame: pd.DataFrame, column: str) -> pd.Series:
    """The user's name in a lookup column (None where the export has no names)."""
    if column + NAME not in frame:
        return pd.Series(None, frame.index, dtype=object)
    return frame[column + NAME].map(text)


def from_change(change: Change | None) -> Dated | None:
    return None if change is None else Dated(change.time, change.user)


class EventSink:
    """Collects events, and counts the steps a record shows but nothing dates."""

    def __init__(self, report: ExtractionReport) -> None:
        self.rows: list[dict[str, object]] = []
        self.report = report

    def add(self, case: str, activity: str, dated: Dated | None, *, stage: str | None = None,
            undated: str = UNDATED) -> None:
        if dated is None or pd.isna(dated.time):
            self.report.undated[f"{activity}: {undated}"] += 1
            return
        default_stage, rank = STEPS.get(activity, (None, STAGE_ENTRY_RANK))
        self.rows.append({"case_id": case, "activity": activity, TIME: dated.time,
                          "resource": dated.resource, "stage": stage or default_stage,
                          APPROXIMATED: dated.approximated, RANK: rank})


class RecordEvents:
    """The event rules of one table, applied to those of its rows that belong to a case.

    ``frame`` has a plain 0..n-1 index, the record key in ``_key`` and the case in ``_case``;
    ``times`` holds its parsed date columns.
    """

    def __init__(self, table: str, frame: pd.DataFrame, times: dict[str, pd.Series],
                 trail: AuditTrail, sink: EventSink) -> None:
        self.table, self.frame, self.times, self.trail, self.sink = (
            table, frame, times, trail, sink)
        self.state = codes_of(frame, table, "statecode")
        self.status = codes_of(frame, table, "statuscode")
        self.creator = who(frame, "createdby")
        self.modifier = who(frame, "modifiedby")

    def rows(self) -> list[tuple[int, str, str]]:
        """(position, record key, case) of the rows that belong to a case."""
        return [(i, str(key), case) for i, (key, case) in enumerate(
            zip(self.frame[KEY], self.frame[CASE], strict=True)) if isinstance(case, str)]

    def created(self, activity: str) -> None:
        for i, _, case in self.rows():
            self.sink.add(case, activity, Dated(self.times["createdon"][i], self.creator[i]))

    def changed(self, activity: str, *, states: tuple[int, ...] = (),
                statuses: tuple[int, ...] = (), actions: tuple[int, ...] = (),
                column_time: str | None = None, only: set[str] | None = None,
                given: dict[str, Dated] | None = None, beyond: tuple[int, ...] = ()) -> None:
        """A state change, dated by ``given`` (per record), the audit, a column or modifiedon.

        ``states`` / ``statuses`` are the values the record has after the change; ``beyond``
        are later values a record may have reached through it (counted as possibly undated
        when there is no audit table to tell); ``only`` restricts the rule to records whose
        case is in it.
        """
        column, values = ("statuscode", statuses) if statuses else ("statecode", states)
        current = self.status if statuses else self.state
        for i, record, case in self.rows():
            if only is not None and case not in only:
                continue
            change = self.trail.find(self.table, record, actions=actions, column=column,
                                     values=tuple(str(v) for v in values))
            dated = (given or {}).get(record) or from_change(change)
            if dated is None and current[i] in beyond and not self.trail.exported:
                self.sink.add(case, activity, None, undated=POSSIBLY)
                continue
            if dated is None and current[i] not in values:
                continue  # nothing says the record ever got there
            if dated is None and column_time is not None and not pd.isna(
                    self.times[column_time][i]):
                dated = Dated(self.times[column_time][i], None)
            if dated is None:
                dated = self.modified(i)
            self.sink.add(case, activity, dated)

    def modified(self, i: int) -> Dated | None:
        """``modifiedon`` as the estimate of a state change nothing else dates."""
        time = self.times["modifiedon"][i] if "modifiedon" in self.times else None
        if time is None or pd.isna(time):
            return None
        return Dated(time, self.modifier[i], "from modifiedon")
