"""The saved-comparison store and its exports: wrong formats, overwrites and odd names."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sim.errors import PlannerError
from tests.hostile.cli import invoke_l2c
from tests.hostile.conftest import SAVED_NAME
from ui.export import export_format


def _names(store: Path) -> list[str]:
    with sqlite3.connect(store) as db:
        return [row[0] for row in db.execute("SELECT name FROM comparisons")]


def test_export_format_follows_the_extension(store: Path) -> None:
    folder = store.parent
    run = invoke_l2c("saved", "export", SAVED_NAME, "-o", "x.xlsx", cwd=folder,
                     label="saved export -o x.xlsx")
    assert run.code == 0, run.stderr
    run.assert_bounded()
    assert (folder / "x.xlsx").read_bytes().startswith(b"PK")


@pytest.mark.parametrize(("target", "given", "chosen"), [
    ("x.csv", None, "csv"), ("x.HTM", None, "html"), (None, None, "html"),
    ("x.csv", "html", "html"),
])
def test_the_format_is_the_extensions_unless_given(target: str | None, given: str | None,
                                                    chosen: str) -> None:
    assert export_format(Path(target) if target else None, given) == chosen


def test_export_refuses_an_unknown_extension() -> None:
    with pytest.raises(PlannerError, match=r"cannot tell the format from '\.pdf'.*--format"):
        export_format(Path("x.pdf"), None)


def test_export_does_not_overwrite_without_force(store: Path) -> None:
    folder = store.parent
    (folder / "report.html").write_text("mine", encoding="utf-8")
    invoke_l2c("saved", "export", SAVED_NAME, "-o", "report.html", cwd=folder,
               label="saved export over an existing file").assert_clear_error(
        "report.html already exists. Add --force")
    assert (folder / "report.html").read_text(encoding="utf-8") == "mine"
    forced = invoke_l2c("saved", "export", SAVED_NAME, "-o", "report.html", "--force",
                        "--format", "html", cwd=folder, label="saved export --force")
    assert forced.code == 0 and "<html" in (folder / "report.html").read_text(encoding="utf-8")


def test_unknown_name_shows_a_few_close_names_not_all(store: Path) -> None:
    folder = store.parent
    long_names = [f"Plan {i:03d} " + "x" * 150 for i in range(40)]
    with sqlite3.connect(store) as db:
        payload = db.execute("SELECT payload FROM comparisons").fetchone()[0]
        db.executemany("INSERT INTO comparisons VALUES (?, '2026-01-01', ?)",
                       [(name, payload) for name in long_names])
    run = invoke_l2c("saved", "show", "Q3 plna", cwd=folder, label="saved show unknown name")
    run.assert_clear_error("No saved comparison named 'Q3 plna'. Did you mean 'Q3 plan'?",
                           "41 saved in all")
    assert "Plan 001" not in run.stderr
    assert sorted(_names(store)) == sorted([SAVED_NAME, *long_names])


def test_names_have_a_length_limit(store: Path) -> None:
    run = invoke_l2c("saved", "rename", SAVED_NAME, "n" * 5000, cwd=store.parent,
                     label="saved rename to 5,000 characters")
    run.assert_clear_error("has 5,000 characters; a saved comparison's name has at most 200")
    assert len(run.stderr) < 500
    assert _names(store) == [SAVED_NAME]
