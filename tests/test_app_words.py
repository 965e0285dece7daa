"""Words for the page they are on: no command-line flags in the app, no false "did you
mean", domain words that follow the data (``streamlit.testing``, no browser)."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from tests.test_app_pages import go, isolated, ok, open_app, texts, with_model
from ui.app import wording

__all__ = ["isolated"]  # the pages' fixture: saved comparisons in a temporary folder
CLI = re.compile(r"(?<![\w-])--[a-z]|\bl2c [a-z]")


def _helpdesk() -> bytes:
    """Tickets opened, resolved and closed; two tickets say 'RESOLVED' (another word, not a
    typo) and two 'Close tickt' (a typo)."""
    lines = ["case_id,activity,timestamp,resource,status,priority"]
    for number in range(40):
        resolve = "RESOLVED" if number < 2 else "Resolve ticket"
        close = "Close tickt" if number in (5, 6) else "Close ticket"
        day = 1 + number % 27
        for hour, activity in ((9, "Open ticket"), (11, resolve), (15, close)):
            lines.append(f"T{number},{activity},2024-03-{day:02d} {hour}:00,agent{number % 3},"
                         f"RESOLVED,{'high' if number % 2 else 'low'}")
    return "\n".join(lines).encode()


def _everything(at: AppTest) -> str:
    labels = [e.label for e in at.expander] + [tab.label for tab in at.tabs]
    return texts(at) + "\n" + "\n".join(labels)


def test_a_helpdesk_log_reads_in_its_own_words() -> None:
    at = open_app()
    at.file_uploader(key="data.upload").upload("tickets.csv", _helpdesk(), "text/csv")
    ok(at.run())
    warnings = "\n".join(w.value for w in at.warning)
    assert "Activity 'RESOLVED' occurs only" in warnings
    assert "Did you mean 'Resolve ticket'" not in warnings, "no false typo suggestion"
    assert "Did you mean 'Close ticket'" in warnings, "a real typo keeps its hint"
    tabs = [tab.label for tab in at.tabs]
    assert "Case attributes" in tabs and "Deal attributes" not in tabs


def test_the_sample_speaks_of_deals_and_no_page_names_a_flag() -> None:
    at = with_model("model")
    assert not CLI.findall(_everything(at)), CLI.findall(_everything(at))
    assert "P90 (the time nine cases in ten stay within)" in texts(at), "jargon explained"
    go(at, "data")
    assert "Deal attributes" in [tab.label for tab in at.tabs]
    for page in ("scenarios", "compare", "targets"):
        go(at, page)
        assert not CLI.findall(_everything(at)), (page, CLI.findall(_everything(at)))


def test_messages_name_the_control_instead_of_the_flag() -> None:
    note = ("The process changed around 2024-07-01: x. The model learns from the 9 cases "
            "begun since then (of 20); it can learn from the whole log instead (--since all).")
    assert wording.for_app(note).endswith(
        'instead (choose "The whole log" under "Learn from" on the Data page).')
    failed = "KPI 'x' cannot be measured on this model's runs. Try a longer run (--days) or more."
    assert "--" not in wording.for_app(failed) and '"New cases"' in wording.for_app(failed)
    assert not wording.really_close("RESOLVED", "Resolve ticket")
    assert wording.really_close("Invoice Sennt", "Invoice Sent")


def test_counts_read_in_the_singular_and_the_plural() -> None:
    """'1 warning', '2 warnings': no label leaves the reader a '(s)' to sort out."""
    from ui.app.i18n import LABELS, counted

    assert [key for key, (english, _) in LABELS.items() if "(s)" in english] == []
    assert counted("data.warnings", 1) == "1 warning"
    assert counted("data.warnings", 2) == "2 warnings"
    assert counted("sc.valid", 1) == "Checked against the model: 1 change, valid."
    assert all(key.removesuffix(".one") in LABELS for key in LABELS if key.endswith(".one"))


def test_no_page_shows_where_the_server_keeps_files(isolated) -> None:
    """The server's folders mean nothing to a user of the app (and are not theirs to see)."""
    at = with_model("scenarios")
    at.text_input(key="sc.name").input("Bigger team")
    at.number_input(key="sc.pool.Approvers").set_value(3)
    ok(at.run())
    at.button(key="sc_save").click()
    ok(at.run())
    assert "Saved 'Bigger team'." in texts(at)
    for page in ("scenarios", "saved"):
        go(at, page)
        shown = _everything(at)
        assert str(isolated) not in shown and "/tmp" not in shown, (page, shown)


def test_an_upload_stays_in_use_after_a_round_trip_through_another_page() -> None:
    """Streamlit empties the uploader when the Data page is drawn again after another page
    (here with a language switch on the way); the page says which upload is still in use."""
    at = open_app()
    at.file_uploader(key="data.upload").upload("export.csv", _helpdesk(), "text/csv")
    ok(at.run())
    assert not any("In use: export.csv" in c.value for c in at.caption), "the chip shows it"
    go(at, "model")
    at.sidebar.radio[0].set_value("ja")
    ok(at.run())
    go(at, "data")
    assert at.file_uploader(key="data.upload").value is None
    assert any("使用中: export.csv" in c.value for c in at.caption), [c.value for c in at.caption]
    assert at.session_state["data"].name == "export.csv"
