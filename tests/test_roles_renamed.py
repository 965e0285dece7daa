"""The bundled sample with every activity renamed into German, mapped once with --role,
gives the same model (up to names), the same KPIs and the same comparison as the original,
with the library's scenarios as they are (they name the built-in activities)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from typer.testing import CliRunner

from calibration.sample import sample_path
from sim.kpi_roles import ActivityRoles
from ui.cli import app

GERMAN = {
    "Lead Created": "Interessent angelegt", "Lead Qualified": "Interessent qualifiziert",
    "Opportunity Created": "Verkaufschance angelegt", "First Customer Contact": "Erstkontakt",
    "Solution Proposed": "Lösung vorgeschlagen", "Quote Created": "Angebot erstellt",
    "Quote Approved": "Angebot freigegeben", "Quote Accepted": "Angebot angenommen",
    "Contract Signed": "Vertrag unterschrieben", "Opportunity Won": "Chance gewonnen",
    "Opportunity Lost": "Chance verloren", "Sales Order Created": "Auftrag angelegt",
    "Order Fulfilled": "Auftrag geliefert", "Invoice Generated": "Rechnung erstellt",
    "Invoice Sent": "Rechnung versandt", "Payment Received": "Zahlung eingegangen",
}
ENGLISH = {german: english for english, german in GERMAN.items()}
ROLES = [f"--role={ActivityRoles.builtin().role_of(english)}={german}"
         for english, german in GERMAN.items()]
RUN = ["--reps", "3", "--cases", "300", "--format", "json"]


def back(value: Any) -> Any:
    """A JSON value (as ``json.loads`` reads it) with every German activity name (as a key, a value, or after the ':'
    of a KPI id) put back into English."""
    if isinstance(value, dict):
        return {back(k): back(v) for k, v in value.items()}
    if isinstance(value, list):
        return [back(v) for v in value]
    if isinstance(value, str):
        if value in ENGLISH:
            return ENGLISH[value]
        kind, sep, item = value.partition(":")
        return f"{kind}:{ENGLISH[item]}" if sep and item in ENGLISH else value
    return value


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def rows(text: str) -> list[dict[str, Any]]:
    return json.loads(text[text.index("["):])


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("renamed")
    frame = pd.read_csv(sample_path("d365"))
    frame["Activity"] = frame["Activity"].map(GERMAN)
    german = folder / "beispiel.csv.gz"
    frame.to_csv(german, index=False)
    return sample_path("d365"), german


@pytest.fixture(scope="module")
def models(logs: tuple[Path, Path]) -> tuple[Path, Path]:
    english, german = logs
    folder = german.parent
    run("calibrate", str(english), "-o", str(folder / "en.json"), "--no-tune")
    run("calibrate", str(german), "-o", str(folder / "de.json"), "--no-tune", *ROLES)
    return folder / "en.json", folder / "de.json"


def test_the_same_model_up_to_names(models: tuple[Path, Path]) -> None:
    english, german = (json.loads(path.read_text(encoding="utf-8")) for path in models)
    assert german["roles"]["quote_approved"] == ["Angebot freigegeben"]
    drop = ("provenance", "name")  # the file's name and fingerprint differ, as they should
    assert ({k: v for k, v in back(german).items() if k not in drop}
            == {k: v for k, v in english.items() if k not in drop})


def test_the_same_kpis(logs: tuple[Path, Path]) -> None:
    english, german = logs
    measured = rows(run("kpis", str(german), "--format", "json", *ROLES))
    expected = rows(run("kpis", str(english), "--format", "json"))
    assert len(measured) == len(expected) > 40
    for mine, theirs in zip(sorted(back(measured), key=lambda r: r["id"]),
                            sorted(expected, key=lambda r: r["id"]), strict=True):
        assert {k: mine[k] for k in ("id", "n", "value", "available")} == {
            k: theirs[k] for k in ("id", "n", "value", "available")}


def test_the_same_comparison_from_the_library_as_it_is(models: tuple[Path, Path]) -> None:
    english, german = models
    library = Path(__file__).parents[1] / "scenarios"
    scenarios = [str(library / name) for name in ("automated_invoicing.yaml",
                                                  "quote_rework_halved.yaml")]
    found = back(rows(run("compare", str(german), *scenarios, *RUN)))
    expected = rows(run("compare", str(english), *scenarios, *RUN))
    keys = ("scenario", "kpi", "baseline", "value", "diff", "ci_low", "ci_high", "significant")
    assert [{k: r[k] for k in keys} for r in found] == [{k: r[k] for k in keys}
                                                      for r in expected]
    assert next(r for r in found if r["kpi"] == "invoice_lag")["diff"] < 0


def test_the_same_target_answer(models: tuple[Path, Path]) -> None:
    english, german = models
    ask = ["--kpi", "quote_approval", "--change=-20%", "--lever", "pool:Approvers",
           "--reps", "2", "--cases", "200", "--format", "json"]
    found = back(json.loads(run("target", str(german), "--lever",
                                f"duration:{GERMAN['Quote Approved']}", *ask)))
    expected = json.loads(run("target", str(english), "--lever", "duration:Quote Approved",
                              *ask))
    assert [r["lever"] for r in expected] == ["duration:Quote Approved", "pool:Approvers"]
    assert found[0]["label"] == "Angebot freigegeben work time"  # a sentence, in its names
    assert ([{k: v for k, v in r.items() if k != "label"} for r in found]
            == [{k: v for k, v in r.items() if k != "label"} for r in expected])
