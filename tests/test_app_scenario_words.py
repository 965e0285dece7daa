"""A scenario's own words on a Japanese page: the planner's own scenarios (the library's,
one a backtest derived from a log) read in Japanese, their YAML included; a user's file is
shown as written and said to be so; the notes applying a scenario leaves read in Japanese.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from calibration.evaluate.derive import derive_scenario
from scenarios import LIBRARY, apply_scenario
from scenarios.comparison import resolved_yaml
from scenarios.load import load_scenario, parse_scenario
from sim.model import ProcessModel
from sim.saved import SavedComparison, SavedScenario, SavedStore
from tests.test_app_language import WORD
from tests.test_app_pages import go, isolated, ok, open_app  # noqa: F401 (fixture)
from ui.app import state
from ui.scenario_words import note_ja, yaml_ja

INVOICING = LIBRARY / "automated_invoicing.yaml"
MINE = ("name: Automated invoicing\ndescription: Our own take, billing stays manual.\n"
        "changes:\n  - delay: {activity: Invoice Sent, scale: 0.5}\n")


def english_words(text: str, *names: str) -> set[str]:
    allowed = {w.lower() for name in names for w in WORD.findall(name)}
    return {w for w in WORD.findall(text) if w.lower() not in allowed}


def test_the_planners_own_yaml_reads_in_japanese_and_a_users_file_as_written(
        sample_model: ProcessModel) -> None:
    """The library's file (as written, and as a saved comparison resolves it) and a
    derived scenario get their name and description in Japanese, with the same changes;
    a user's file of the same name with other changes is left as written."""
    for text in (INVOICING.read_text(encoding="utf-8"),
                 resolved_yaml(load_scenario(INVOICING))):
        said, own = yaml_ja(text, str(INVOICING))
        assert own and "name: 請求の自動化" in said and "Lever" not in said
        assert parse_scenario(said).changes == parse_scenario(text).changes
    assert yaml_ja(MINE, "mine.yaml") == (MINE, False)
    faster, _ = apply_scenario(sample_model, parse_scenario(
        "name: x\nchanges:\n  - delay: {activity: Contract Signed, scale: 0.4}\n"))
    derived = derive_scenario(sample_model, faster, pd.Timestamp("2024-12-31"))
    said, own = yaml_ja(derived.text)
    assert own and "2024-12-31 以降のログから導出" in said
    left = english_words(said.split("changes:")[0], "name description")
    assert not left, said


def test_the_notes_of_applying_a_scenario_read_in_japanese() -> None:
    notes = ["Derived from the log since 2024-12-31: derived scenario: changes[2].delay: "
             "'Invoice Generated' is no longer released in runs (every 7 days); it waits for "
             "the changed delay instead.",
             "Losses after 'Quote Created' depend on lead_source, not on region: they were "
             "left unchanged for the segment."]
    for note in notes:
        said = note_ja(note)
        assert said != note
        left = english_words(said, "Invoice Generated Quote Created lead_source region")
        assert not left, said
    assert note_ja(notes[0]).startswith("2024-12-31 以降のログから導出: 導出したシナリオ の変更 3"
                                        "（待ち時間）: 「Invoice Generated」は")


@pytest.mark.usefixtures("isolated")
def test_the_saved_page_shows_the_librarys_yaml_in_japanese_and_says_a_file_is_the_users(
        sample_model: ProcessModel, tmp_path: Path) -> None:
    library = load_scenario(INVOICING)
    SavedStore(state.saved_db_path()).save(SavedComparison(
        name="Two scenarios", model_name=sample_model.name,
        model_fingerprint=sample_model.provenance.fingerprint,
        model_json=sample_model.to_json(), seed=1, replications=2, run={"cases": 100},
        scenarios=[SavedScenario(library.name, str(INVOICING), library.text,
                                 resolved_yaml(library)),
                   SavedScenario("Automated invoicing", str(tmp_path / "mine.yaml"), MINE,
                                 resolved_yaml(parse_scenario(MINE)))],
        results=[]))
    at = go(open_app(lang="ja"), "saved")
    codes = [c.value for c in at.code]
    assert len(codes) == 2, codes
    assert "name: 請求の自動化" in codes[0] and "Lever" not in codes[0]
    assert "Our own take" in codes[1]
    captions = [c.value for c in at.caption]
    assert captions.count("ファイルに書かれたとおりに表示しています（ファイル自身の言語のまま）。") == 1
    at.sidebar.radio[0].set_value("en")
    at = ok(at.run())
    assert "Lever: the system generates" in at.code[0].value
    assert not any("as written" in c.value for c in at.caption)
