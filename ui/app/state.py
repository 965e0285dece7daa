"""What the app remembers between reruns: one session-state key per thing, set in one place.

A page reads the loaded data and the calibrated model through these helpers, and keeps
what it computed from the model (a comparison, the trust summary, a target answer, the
jobs behind them) with ``remember``: such a result is bound to the model it was computed
for, so loading new data or learning a new model forgets it, and a page can never show a
result of another model. A failed step never clears what an earlier step produced. Saved
comparisons are not here: they live in the SQLite store (``sim.saved``), whose path the app
takes from ``$L2C_SAVED_DB`` like the command line.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from calibration.fit.calibrate import AUTO
from calibration.read import ReadResult
from sim.kpis.custom import CustomKpi
from sim.saved import default_path

LANG = "lang"
START_PAGE = "start_page"  # the page shown when no page is asked for (tests choose it)
GOTO = "goto"  # a page to switch to on the next run (a page name of ``nav.NAMES``)
DATA = "data"
MODEL = "model"
RESULTS = "results"  # what was computed from the model: slot -> (model key, value)
COMPARISON = "comparison"  # slot: key of the last comparison job
DRAFTS = "drafts"  # scenarios built in this session: name -> YAML text
FLASH = "flash"  # one message to show after a rerun: (kind, text, place)

SCENARIO_DIR_ENV = "L2C_SCENARIO_DIR"
JOBS_ENV = "L2C_APP_JOBS"
T = TypeVar("T")


@dataclass
class ReadOptions:
    """How the user asked to read the file: column overrides, sheet, date format, which
    activity plays which lead-to-cash role (role, activity; no activity: the role is not
    played), and the user's own KPIs with the name of their file."""

    mapping: tuple[tuple[str, str], ...] = ()
    sheet: str | None = None
    date_format: str | None = None
    activity_roles: tuple[tuple[str, str], ...] = ()
    own_kpis: tuple[CustomKpi, ...] = ()
    kpi_file: str = ""

    def key(self) -> str:
        return repr((self.mapping, self.sheet, self.date_format, self.activity_roles,
                     self.own_kpis))

    def mapped_roles(self) -> dict[str, list[str]]:
        """The roles the user set, each with its activities (none: not played)."""
        found: dict[str, list[str]] = {}
        for role, activity in self.activity_roles:
            found.setdefault(role, []).extend([activity] if activity else [])
        return found


@dataclass
class LoadedData:
    """The file in use: where its bytes are, how it was read, and what reading found."""

    name: str
    path: Path  # a private copy of an upload, or the bundled sample
    digest: str  # SHA-256 of the file's bytes
    options: ReadOptions
    result: ReadResult
    summary: dict[str, object]
    columns: list[str]
    sheets: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Identifies the data as read: same bytes and same options, same key."""
        return f"{self.digest}:{self.options.key()}"


@dataclass
class LoadedModel:
    """The calibrated model (as JSON, the form a saved comparison keeps) and its notes."""

    model_json: str
    notes: list[tuple[str, dict[str, object]]]  # calibration's findings: key, values
    data_key: str
    since: str = AUTO  # which cases it learned from (CalibrationOptions.since)
    tune: bool = False  # whether its structure was chosen on the log (CalibrationOptions.tune)

    @property
    def key(self) -> str:
        return digest_text(self.model_json)


def digest_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def init() -> None:
    """Defaults, set once per session."""
    defaults: dict[str, object] = {LANG: "en", DATA: None, MODEL: None, RESULTS: {},
                                   DRAFTS: {}, FLASH: None}
    for key, value in defaults.items():
        if key not in st.session_state:
            st.session_state[key] = value


def data() -> LoadedData | None:
    return st.session_state.get(DATA)


def model() -> LoadedModel | None:
    return st.session_state.get(MODEL)


def set_data(loaded: LoadedData) -> None:
    """Use new data; the model of other data, and all computed from it, is forgotten."""
    current = data()
    st.session_state[DATA] = loaded
    if current is None or current.key != loaded.key:
        st.session_state[MODEL] = None
        st.session_state[RESULTS] = {}


def set_model(loaded: LoadedModel) -> None:
    """Use a model; everything computed from another model is forgotten."""
    current = model()
    st.session_state[MODEL] = loaded
    if current is None or current.key != loaded.key:
        st.session_state[RESULTS] = {}


def remember(slot: str, value: object) -> None:
    """Keep a result computed from the model in use (or the key of the job computing it)."""
    fitted = model()
    if fitted is not None:
        st.session_state.setdefault(RESULTS, {})[slot] = (fitted.key, value)


def recall(slot: str) -> Any:
    """The result kept in ``slot`` if it was computed from the model in use, else None (each
    slot's page knows what it keeps there)."""
    found = st.session_state.get(RESULTS, {}).get(slot)
    fitted = model()
    if found is None or fitted is None or found[0] != fitted.key:
        return None
    return found[1]


def drafts() -> dict[str, str]:
    return st.session_state.setdefault(DRAFTS, {})


def flash(kind: str, text: str, place: str = "") -> None:
    """A message to show once, after the rerun an action triggers: at ``place`` (the part
    of the page where the user acted), or at the top of the page."""
    st.session_state[FLASH] = (kind, text, place)


def take_flash(place: str = "") -> tuple[str, str] | None:
    """The message waiting for ``place`` (kind, text), once."""
    message = st.session_state.get(FLASH)
    if message is None or message[2] != place:
        return None
    st.session_state[FLASH] = None
    return message[0], message[1]


def kept(widget: Callable[..., T], label: str, *, key: str, default: object,
         **options: object) -> T:
    """A widget whose value survives page switches (Streamlit forgets the state of widgets
    that are not drawn): seeded from a shadow copy, which every run refreshes."""
    shadow = f"_kept.{key}"
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(shadow, default)
    value = widget(label, key=key, **options)
    st.session_state[shadow] = value
    return value


def kept_choice(widget: Callable[..., object], label: str, *, key: str, default: str,
                options: Sequence[str], **more: object) -> str:
    """``kept`` for a select box or radio of text options: its choice, as text (their
    typed signatures cannot tell it apart from a choice among no options, which is None)."""
    value = kept(widget, label, key=key, default=default, options=options, **more)
    if not isinstance(value, str):
        raise TypeError(f"{key}: a choice among {len(options)} texts gave {value!r}")
    return value


def redraw_kept() -> None:
    """Let every kept widget be drawn anew from its shadow copy: a widget whose label or
    option names change (a language switch) is a new widget to the browser, which would
    show the old one's state as no choice at all."""
    for shadow in [str(k) for k in st.session_state if str(k).startswith("_kept.")]:
        st.session_state.pop(shadow.removeprefix("_kept."), None)


def kept_value(key: str, default: T) -> T:
    """The value a kept widget last had (``default`` before it was drawn), for a page that
    needs it without drawing the widget."""
    return st.session_state.get(f"_kept.{key}", default)


def forget(prefix: str) -> None:
    """Reset every kept widget whose key starts with ``prefix`` (and its shadow)."""
    for key in list(st.session_state):
        name = str(key)
        if name.startswith(prefix) or name.startswith(f"_kept.{prefix}"):
            del st.session_state[key]


def saved_db_path() -> Path:
    """The saved-comparisons database: ``$L2C_SAVED_DB`` or ``~/.l2c/saved.sqlite``."""
    return default_path()


def scenario_dir() -> Path:
    """Where the app saves scenarios: ``$L2C_SCENARIO_DIR``, else next to the saved DB."""
    configured = os.environ.get(SCENARIO_DIR_ENV)
    return Path(configured) if configured else saved_db_path().parent / "scenarios"


def n_jobs() -> int:
    """Worker processes for simulations (``$L2C_APP_JOBS``; -1 uses every core)."""
    try:
        return int(os.environ.get(JOBS_ENV, "-1"))
    except ValueError:
        return -1
