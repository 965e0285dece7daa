"""The reader's less common findings in Japanese: a rare activity (with and without a likely
typo), dates out of range, mixed time zones, odd lifecycle events, and files with nothing
to read. Each is made by reading a small file, then worded for a Japanese page; no English
may be left beyond the file's own names."""

from __future__ import annotations

from pathlib import Path

import pytest

from calibration.read import read_log
from tests.test_app_language import english
from ui.app import report_words

ROWS = "".join(f"C{case},Quote Approved,2024-03-0{day} 09:00:00+09:00,Ann\n"
               for case in range(1, 7) for day in (1, 2))
FILES = {
    "typo.csv": ("case_id,activity,timestamp,resource\n" + ROWS
                 + "C7,Quote Aproved,2024-03-05 09:00:00+09:00,Ann\n"
                 + "C8,Invoice Sent,2024-03-06 09:00:00+09:00,Ann\n"),
    "dates.csv": ("case_id,activity,timestamp,resource\n" + ROWS
                  + "C7,Quote Approved,1900-01-01 09:00:00+09:00,Ann\n"
                  + "C8,Quote Approved,2099-01-01 09:00:00+09:00,Ann\n"),
    "zones.csv": ("case_id,activity,timestamp,resource\n" + ROWS
                  + "C7,Quote Approved,2024-03-05 09:00:00+01:00,Ann\n"
                  + "C8,Quote Approved,2024-03-06 09:00:00,Ann\n"),
    "lifecycle.csv": ("case_id,activity,timestamp,lifecycle\n"
                      + "".join(f"C{c},Quote Approved,2024-03-0{d} 09:00,{kind}\n"
                                for c in range(1, 7)
                                for d, kind in ((1, "start"), (2, "complete"), (3, "suspend")))),
    "empty.csv": "case_id,activity,timestamp\n",
    "blank.csv": "case_id,activity,timestamp\n,,\n,,\n",
}
WORDED = {"rare_activity", "implausible_date", "mixed_time_zones", "lifecycle_set_aside",
          "empty_file", "no_events"}
NAMES = {"quote", "approved", "aproved", "invoice", "sent", "ann", "start", "complete",
         "suspend", "utc", "typo", "dates", "zones", "lifecycle", "empty", "blank"}


@pytest.fixture
def findings(tmp_path: Path) -> list:
    found = []
    for name, text in FILES.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        found += read_log(path).report.findings
    return found


def test_every_kind_is_found(findings: list) -> None:
    """The files do make each finding (else the wording test below checks nothing)."""
    codes = [f.code for f in findings]
    assert set(codes) >= WORDED
    assert codes.count("mixed_time_zones") == 2  # different offsets, and none at all
    rare = [f.message for f in findings if f.code == "rare_activity"]
    assert any("Did you mean 'Quote Approved'" in m for m in rare)
    assert any("Did you mean" not in m for m in rare)


def test_findings_read_in_japanese(findings: list, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_words, "language", lambda: "ja")
    worded = [report_words.text(f) for f in findings if f.code in WORDED]
    left = english(iter(worded), NAMES)
    assert not left, "\n".join(sorted(left))
    typo = next(w for w in worded if "Quote Aproved" in w)
    assert "「Quote Approved」の入力ミス" in typo
    assert any("1970 年より前" in w and "行目" in w for w in worded)
    assert any("今から 1 年以上先" in w for w in worded)


def test_english_pages_keep_the_readers_words(findings: list,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_words, "language", lambda: "en")
    rare = next(f for f in findings if f.code == "rare_activity")
    assert report_words.text(rare).startswith("Activity '")
