"""A target's answer saved beside the comparisons: listed with them, shown again as it was
given, and exported as CSV, Excel and HTML with the same figures (``l2c target --save``,
``l2c saved list|show|export``)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from sim.saved import SavedComparison, SavedScenario, SavedStore
from tests.test_target_money import customer_chain
from ui.cli import app
from ui.target_text import MIX, KeptTarget

runner = CliRunner(env={"COLUMNS": "200"})
NAME = "Lead to cash -25%"


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, dict[str, object]]:
    """The chain's target answered in money and saved; a comparison saved beside it."""
    model = customer_chain().save(tmp_path / "model.json")
    costs = tmp_path / "costs.yaml"
    costs.write_text("currency: EUR\nlevers:\n  delay:Quote Created: {monthly: 800}\n",
                     encoding="utf-8")
    db = tmp_path / "saved.sqlite"
    result = runner.invoke(app, ["target", str(model), "--kpi", "lead_to_cash",
                                 "--change=-25%", "--cases", "5", "--reps", "2", "--jobs", "1",
                                 "--costs", str(costs), "--save", NAME, "--db", str(db),
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    SavedStore(db).save(SavedComparison(
        name="A comparison", model_name="chain", model_fingerprint="f", model_json="{}",
        scenarios=[SavedScenario("Faster quotes")], seed=1,
        replications=2, run={"cases": 5}, results=[]))
    return db, json.loads(result.stdout)


def test_the_answer_is_kept_as_it_was_given(saved):
    db, answer = saved
    kept = SavedStore(db).load(NAME)
    assert kept.is_target and not kept.is_backtest
    assert kept.target["answer"] == answer
    assert kept.target["question"]["kpi"] == "lead_to_cash"
    assert kept.replications == 2 and kept.seed == 1 and "currency: EUR" in kept.costs


def test_saved_lists_comparisons_and_targets_and_shows_the_answer(saved):
    db, answer = saved
    result = runner.invoke(app, ["saved", "list", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "target" in result.stdout and "comparison" in result.stdout
    assert NAME in result.stdout and "A comparison" in result.stdout
    result = runner.invoke(app, ["saved", "show", NAME, "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Target:" in result.stdout and "Quote Created waiting" in result.stdout
    cost = answer["combination"]["cost"]
    assert f"{cost:,.0f} EUR per month" in result.stdout
    assert "business case vs Baseline" in result.stdout
    assert "Contract Signed waiting (the customer's own wait)" in result.stdout


def test_saved_target_exports_with_the_same_figures(saved, tmp_path):
    db, answer = saved
    mix = answer["combination"]
    for kind in ("xlsx", "csv", "html"):
        path = tmp_path / f"answer.{kind}"
        result = runner.invoke(app, ["saved", "export", NAME, "-o", str(path), "--db",
                                     str(db)])
        assert result.exit_code == 0, result.output
    book = pd.read_excel(tmp_path / "answer.xlsx", sheet_name=None)
    assert list(book) == ["Answer", "Mix", "Sensitivity", "Business case", "About"]
    [row] = book["Answer"].to_dict("records")
    assert row["cost"] == pytest.approx(mix["cost"]) and row["value"] == pytest.approx(
        mix["value"])
    assert book["Mix"]["id"].tolist() == ["delay:Quote Created"]
    table = pd.read_csv(tmp_path / "answer.csv")
    assert set(table["table"]) == {"answer", "mix", "sensitivity"}
    page = (tmp_path / "answer.html").read_text(encoding="utf-8")
    assert "Lead to cash" in page and "Quote Created waiting" in page


def test_a_target_exported_in_japanese_has_japanese_headers_and_the_same_figures(
        saved, tmp_path):
    db, answer = saved
    mix = answer["combination"]
    for kind in ("xlsx", "csv", "html"):
        result = runner.invoke(app, ["saved", "export", NAME, "-o", str(tmp_path / f"ja.{kind}"),
                                     "--db", str(db), "--lang", "ja"])
        assert result.exit_code == 0, result.output
    book = pd.read_excel(tmp_path / "ja.xlsx", sheet_name=None)
    assert list(book) == ["回答", "組み合わせ", "感度", "ビジネスケース", "この目標について"]
    [row] = book["回答"].to_dict("records")
    assert row["回答"] == "提案する組み合わせ" and row["目標に届くか"] in (
        "はい（確信あり）", "平均でのみ", "いいえ")
    assert row["コスト"] == pytest.approx(mix["cost"]) and row["値"] == pytest.approx(
        mix["value"])
    assert book["組み合わせ"]["レバー ID"].tolist() == ["delay:Quote Created"]
    assert "回答" in book["ビジネスケース"].columns
    about = dict(zip(book["この目標について"]["項目"], book["この目標について"]["値"],
                     strict=True))
    assert about["名前"] == NAME and about["反復回数"] == 2
    headers = [*book["回答"].columns, *book["組み合わせ"].columns, *book["感度"].columns]
    assert all(not h.isascii() or h in ("KPI", "ID") for h in headers), headers
    table = pd.read_csv(tmp_path / "ja.csv")
    assert set(table["表"]) == {"回答", "組み合わせ", "感度"}
    page = (tmp_path / "ja.html").read_text(encoding="utf-8")
    assert 'lang="ja"' in page and "<b>目標:</b>" in page and "<h2>回答</h2>" in page


def test_an_unknown_saved_name_is_named(saved):
    db, _ = saved
    result = runner.invoke(app, ["saved", "show", "Lead to cash -20%", "--db", str(db)])
    assert result.exit_code == 1 and "Did you mean" in result.output


def test_a_kept_answer_is_read_once_into_typed_rows(saved):
    """The saved answer read back typed: the mix's figures as the JSON gave them, its
    levers and the levers left out; a figure saved as text or null reads as unknown."""
    db, answer = saved
    target = SavedStore(db).load(NAME).target
    kept = KeptTarget.of(target)
    mix = answer["combination"]
    [found] = kept.answers
    assert found.title == MIX and found.value == mix["value"] and found.cost == mix["cost"]
    assert found.business_case is not None and found.business_case.currency == "EUR"
    assert [x.lever for x in kept.mix] == ["delay:Quote Created"]
    assert kept.goal is not None and kept.goal.kpi == "lead_to_cash"
    assert kept.goal.change == pytest.approx(-0.25)
    assert any("Contract Signed waiting" in left for left in kept.left_out)
    broken = {**target, "answer": {**answer, "combination": {
        **mix, "value": "n/a", "cost": None, "more_replications": None}}}
    [unknown] = KeptTarget.of(broken).answers
    assert unknown.value is None and unknown.cost is None and unknown.more_replications is None
