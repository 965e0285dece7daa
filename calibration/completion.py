"""Which cases ended and which are still open at the end of the log: ``sim.case_ends``,
where the KPIs read it too (calibration imports it from here)."""

from sim.case_ends import end_activities, open_case_ids, usual_gap, usual_waits

__all__ = ["end_activities", "open_case_ids", "usual_gap", "usual_waits"]
