"""The app's heavy work, cached by content so a rerun or a page switch costs nothing.

Reading is keyed by the file's SHA-256 and the reading options, calibration by the data's
key, everything computed from a model by the model's JSON. ``st.cache_data`` keeps pure
results (a copy per caller); the parsed model is shared read-only with
``st.cache_resource`` (it is frozen). Simulations run as background jobs (``jobs``), keyed
the same way, so they can show progress while they run.
"""

from __future__ import annotations

import functools
import hashlib
import tempfile
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st

from calibration import model_view, processmap
from calibration.fit.calibrate import AUTO, CalibrationOptions
from calibration.read import ReadOptions as ReadLogOptions
from calibration.read import ReadResult, read_log
from calibration.roles import calibrate_with_roles, detect_roles
from calibration.sample import sample_path
from calibration.summary import summarise
from calibration.template import write_template
from calibration.xlsx_check import sheet_names
from sim.errors import PlannerError
from sim.eventlog import EventLog
from sim.model import ProcessModel
from ui.app import isolated, uploads
from ui.app.jobs import JobRunner
from ui.app.state import LoadedData, ReadOptions


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


SHARED_READ_MB = 16.0  # files up to this size are read once for every session


def _read(path: str, mapping: tuple[tuple[str, str], ...], sheet: str | None,
          date_format: str | None, max_mb: float | None) -> ReadResult:
    """An upload is read in a process of its own, under a time and a memory limit."""
    options: ReadLogOptions = {"mapping": dict(mapping) or None, "sheet": sheet,
                               "date_format": date_format or None, "max_size_mb": max_mb}
    if uploads.holds(Path(path)):
        return isolated.read(Path(path), Path(path).name, **options)
    return read_log(Path(path), **options)


@st.cache_data(max_entries=8, show_spinner=False)
def _read_shared(digest: str, path: str, mapping: tuple[tuple[str, str], ...],
                 sheet: str | None, date_format: str | None, max_mb: float | None
                 ) -> ReadResult:
    return _read(path, mapping, sheet, date_format, max_mb)


def load(path: Path, digest: str, name: str, options: ReadOptions,
         max_mb: float | None = None) -> LoadedData:
    """Read and summarise one file; messages name the file as it was uploaded, never where
    the server keeps it. A small file's result is shared by every session (the sample); a
    large one's belongs to the session alone, so it is freed when the session ends."""
    if not path.is_file():
        raise PlannerError(f"'{name}' is no longer kept on the server (only the last "
                           f"{uploads.KEPT} uploads are); upload it again.")
    shared = path.stat().st_size <= SHARED_READ_MB * 2**20
    read = functools.partial(_read_shared, digest) if shared else _read
    result = read(str(path), options.mapping, options.sheet, options.date_format, max_mb)
    sheets = sheet_names(path) if path.suffix.lower() in (".xlsx", ".xlsm") else []
    result.path = Path(name)
    if result.log is not None:  # every page measures the log by its roles, and your KPIs
        result.log = replace(result.log, custom_kpis=options.own_kpis, roles=detect_roles(
            result.log, options.mapped_roles()).roles)
    result.report.findings = [replace(f, message=uploads.public(f.message, path, name))
                              for f in result.report.findings]
    return LoadedData(name, path, digest, options, result, summarise(result),
                      list(result.columns), sheets)


@st.cache_data(max_entries=2, show_spinner=False)
def sample_digest() -> str:
    return digest_bytes(sample_path("d365").read_bytes())


@st.cache_data(max_entries=4, show_spinner=False)
def calibrated(data_key: str, _log: EventLog, source: str, since: str = AUTO,
               tune: bool = False) -> tuple[str, list[tuple[str, dict[str, object]]]]:
    """The model learned from the data with this key (from the cases ``since`` says; with
    ``tune``, its structure chosen on the log), as JSON, and what calibration found (note
    keys and values, worded by the page)."""
    fitted = calibrate_with_roles(_log, source, CalibrationOptions(since=since, tune=tune))
    return fitted.model.to_json(), [(note.key, note.values) for note in fitted.findings]


@st.cache_resource(max_entries=8, show_spinner=False)
def model_of(model_json: str) -> ProcessModel:
    """The model object, parsed once and shared (it is frozen)."""
    return ProcessModel.from_json(model_json, "the calibrated model")


@st.cache_data(max_entries=4, show_spinner=False)
def transitions(data_key: str, _log: EventLog) -> tuple[pd.DataFrame, pd.DataFrame]:
    return processmap.transitions(_log)


@st.cache_data(max_entries=4, show_spinner=False)
def observed(data_key: str, model_key: str, _log: EventLog, _model: ProcessModel
             ) -> dict[str, model_view.Observed]:
    return model_view.observed_durations(_log, _model)


@st.cache_data(max_entries=2, show_spinner=False)
def template_bytes(suffix: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return write_template(Path(folder) / f"l2c_template{suffix}").read_bytes()


@st.cache_resource(show_spinner=False)
def runner() -> JobRunner:
    """The process-wide job runner: a run survives page switches and reruns."""
    return JobRunner()
