"""No traceback ever reaches the page: input problems read as messages, bugs as an apology.

``PlannerError`` carries a message written for the user (which file, which value, how to
fix it), shown as it is. Anything else is a bug: the page says sorry, shows the message in
one line and logs the traceback for the developer. Streamlit's own control flow (rerun,
stop) derives from ``BaseException`` and passes through untouched.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from sim.errors import PlannerError
from ui.app import uploads
from ui.app.i18n import t
from ui.app.wording import for_app

log = logging.getLogger(__name__)


@contextmanager
def guarded(what: str = "") -> Iterator[None]:
    try:
        yield
    except PlannerError as error:
        st.error(for_app(uploads.scrub(str(error))), icon=":material/error:")
    except Exception as error:
        log.exception("unexpected error in the app%s", f" ({what})" if what else "")
        show_unexpected(f"{type(error).__name__}: {error}")


def show_unexpected(message: str) -> None:
    st.error(f"{t('common.sorry')}\n\n`{message}`", icon=":material/report:")
