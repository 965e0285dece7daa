"""Sales-stage history from Oracle's opportunity stage snapshots: one event per stage entered.

Oracle Sales writes a snapshot row each time an opportunity enters a sales stage, a stage
visited again included (so going back shows as a loop): the opportunity (``OptyId``, or
``OptyNumber`` where the export carries it), the stage (``StgId``), the moment it was
entered (``StgEnterDate``, a timestamp) and who recorded it (``CreatedBy``). The stage's
name and phase (``Name``, ``PhaseCd``) come from the sales stages extract. Each entry
becomes an event named after the stage; a snapshot of an opportunity or a stage missing
from the export is counted as a broken link and left out.
"""

from __future__ import annotations

import pandas as pd

from calibration.extract import oracle_schema as ox
from calibration.extract.events import APPROXIMATED, COLUMNS, RANK
from calibration.extract.report import ExtractionReport
from calibration.extract.tables import SOURCE
from sim.errors import PlannerError, did_you_mean
from sim.eventlog import ACTIVITY, CASE_ID, END, RESOURCE, STAGE, START

STAGE_ENTRY_RANK = 4  # after the opportunity's creation, before a quote of the same moment
LINKS = ("OptyId", "OptyNumber")  # how a snapshot names its opportunity, preferred first


def stage_entries(snapshots: pd.DataFrame, stages: pd.DataFrame | None,
                  opportunities: pd.DataFrame, report: ExtractionReport) -> pd.DataFrame:
    """Events of the stages entered, in the extraction's event columns."""
    name = ox.STAGE_SNAPSHOTS.name
    link = next((c for c in LINKS if c in snapshots and c in opportunities), None)
    if link is None:
        headers = [str(c) for c in snapshots.columns if c != SOURCE]
        raise PlannerError(
            f"table {name}: no attribute naming the opportunity (OptyId, with OptyId in the "
            f"opportunities extract too, or OptyNumber).{did_you_mean('OptyId', headers)}")
    if stages is None:
        raise PlannerError(f"table {name}: stages are named by the sales stages extract "
                           "(salesStages.csv with StgId, Name and PhaseCd; the salesStagesLOV "
                           "resource or BICC SalesStageExtractPVO); it is missing.")
    to_case = dict(zip(opportunities[link].map(ox.key_text), opportunities[ox.OPPORTUNITIES.key],
                       strict=True))
    stage_of = stages.set_index(ox.SALES_STAGES.key)
    cases = snapshots[link].map(ox.key_text).map(to_case)
    stage_ids = snapshots["StgId"].map(ox.key_text)
    known_stage = stage_ids.isin(stage_of.index)
    entered = pd.to_datetime(snapshots["StgEnterDate"], errors="coerce", format="mixed",
                             utc=True).dt.tz_localize(None)
    to_opportunity = report.link("stage snapshot -> opportunity")
    to_stage = report.link("stage snapshot -> sales stage")
    for source, number, case, stage, ok in zip(snapshots[SOURCE], snapshots[link], cases,
                                                stage_ids, known_stage, strict=True):
        to_opportunity.add(isinstance(case, str), f"{source}: no opportunity {link} {number}")
        to_stage.add(bool(ok), f"{source}: no sales stage StgId {stage}")
    count = report.table(name)
    count.leave_out("its opportunity is not in the export",
                    list(snapshots.loc[cases.isna(), SOURCE]))
    count.leave_out("its sales stage is not in the sales stages extract",
                    list(snapshots.loc[cases.notna() & ~known_stage, SOURCE]))
    count.leave_out("StgEnterDate unreadable",
                    list(snapshots.loc[cases.notna() & known_stage & entered.isna(), SOURCE]))
    keep = cases.notna() & known_stage & entered.notna()
    kept = stage_ids[keep]
    phases = stage_of["PhaseCd"] if "PhaseCd" in stage_of else pd.Series(dtype=object)
    return pd.DataFrame({
        CASE_ID: cases[keep], ACTIVITY: kept.map(stage_of["Name"]).map(ox.key_text),
        START: entered[keep], END: entered[keep],
        RESOURCE: snapshots.loc[keep, "CreatedBy"].map(ox.key_text) if "CreatedBy" in snapshots
        else None,
        STAGE: kept.map(phases).map(ox.key_text), APPROXIMATED: None, RANK: STAGE_ENTRY_RANK},
        columns=COLUMNS)
