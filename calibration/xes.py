"""Reading XES safely.

XES is XML, and XML from strangers can expand entities into gigabytes ("billion laughs") or
pull in local files through external entities. XES never needs a DTD, so any DOCTYPE or
ENTITY declaration is refused before pm4py sees the file.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pandas as pd
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse

from calibration.sources import RawTable, text_stream
from sim.errors import PlannerError


def check_xml_safe(path: Path) -> None:
    """Stream-parse with DTDs, entities and external references forbidden."""
    try:
        with text_stream(path) as stream:
            for _event, element in iterparse(stream, forbid_dtd=True, forbid_entities=True,
                                             forbid_external=True):
                element.clear()
    except DefusedXmlException as exc:
        raise PlannerError(
            f"{path}: the XES file declares a DTD or XML entities ({type(exc).__name__}). "
            "XES files never need them and they can be used to attack the reader, so the file "
            "was refused. Export the log again without a DOCTYPE."
        ) from exc
    except ParseError as exc:
        raise PlannerError(f"{path}: is not well-formed XML ({exc}). "
                           "Check that the export finished and the file is complete.") from exc


def read_xes(path: Path) -> RawTable:
    """XES (or .xes.gz) to a flat table with the standard XES keys as column names."""
    check_xml_safe(path)
    os.environ.setdefault("PM4PY_SHOW_PROGRESS_BAR", "False")
    import pm4py

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pm4py.read_xes(str(path), variant="iterparse", show_progress_bar=False)
    except Exception as exc:  # pm4py raises many unrelated types on bad input
        raise PlannerError(f"{path}: could not be read as XES ({exc}).") from exc
    if not isinstance(frame, pd.DataFrame) or frame.empty:
        raise PlannerError(f"{path}: the XES file contains no events.")
    return RawTable(frame.reset_index(drop=True), "xes", first_row=1)
