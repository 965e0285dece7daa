"""A roles file (``--roles FILE``): read with named errors, taken by every command that takes
``--role`` (with ``--role`` on top), and with your own KPIs it reaches ``evaluate``: a log
whose activities are named in German, mapped by the file, is evaluated on its lead-to-cash
and its own KPIs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from calibration.roles_file import load_roles_file
from calibration.writers import write_log
from scenarios import LIBRARY
from sim.engine import simulate
from sim.errors import PlannerError
from sim.eventlog import ACTIVITY
from sim.kpi_roles import ActivityRoles
from tests.conftest import GOOD_CSV
from tests.engine_models import l2c_model
from tests.test_roles_renamed import GERMAN
from ui.cli import app
from ui.commands.roles import role_overrides

runner = CliRunner()
ROLES_FILE = "\n".join(f"{ActivityRoles.builtin().role_of(english)}: {german}"
                       for english, german in GERMAN.items()) + "\n"


def test_a_roles_file_maps_one_activity_several_or_none(tmp_path: Path) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text("quote_approved: Angebot freigegeben\ninvoice_sent: [Rechnung versandt, "
                    "Rechnung gemailt]\nlead_qualified: []\n", encoding="utf-8")
    assert load_roles_file(path) == {"quote_approved": ["Angebot freigegeben"],
                                     "invoice_sent": ["Rechnung versandt", "Rechnung gemailt"],
                                     "lead_qualified": []}
    mapped = role_overrides(["quote_approved=Freigabe"], path)  # --role goes on top
    assert mapped["quote_approved"] == ["Freigabe"] and mapped["lead_qualified"] == []


@pytest.mark.parametrize(("text", "message"), [
    ("quote_aproved: Freigabe\n", r"unknown role 'quote_aproved'\. Did you mean "
                                  r"'quote_approved'\?"),
    ("quote_approved: Freigabe\ncontract_signed: [Freigabe]\n",
     "'Freigabe' is given to quote_approved and to contract_signed"),
    ("quote_approved: {name: Freigabe}\n", "quote_approved: give an activity name or a list"),
    ("- quote_approved\n", "write one line per role, ROLE: ACTIVITY"),
    ("quote_approved: [Freigabe\n", "cannot read the roles file"),
])
def test_a_bad_roles_file_is_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "roles.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlannerError, match=message):
        load_roles_file(path)


@pytest.mark.parametrize("command", [
    ["inspect"], ["kpis"], ["calibrate", "-o", "{tmp}/model.json"], ["evaluate"],
    ["backtest", "--change-date", "2024-01-03"], ["target", "--kpi", "sales_cycle",
                                                  "--change=-25%"], ["compare", "{library}/e_signature.yaml"]])
def test_every_command_that_takes_role_takes_a_roles_file(tmp_path: Path,
                                                           command: list[str]) -> None:
    log = tmp_path / "log.csv"
    log.write_text(GOOD_CSV, encoding="utf-8")
    roles = tmp_path / "roles.yaml"
    roles.write_text("quote_aproved: Freigabe\n", encoding="utf-8")
    name, *options = (part.replace("{tmp}", str(tmp_path)).replace("{library}", str(LIBRARY))
                      for part in command)
    result = runner.invoke(app, [name, str(log), *options, "--roles", str(roles)])
    assert result.exit_code == 1, result.output
    assert "unknown role 'quote_aproved'. Did you mean 'quote_approved'?" in " ".join(
        result.output.split())


def test_inspect_shows_the_roles_of_the_file(tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(GOOD_CSV.replace("Quote Created", "Angebot erstellt"), encoding="utf-8")
    roles = tmp_path / "roles.yaml"
    roles.write_text("quote_created: Angebot erstellt\npayment_received: []\n",
                     encoding="utf-8")
    result = runner.invoke(app, ["inspect", str(log), "--roles", str(roles), "--format", "json"])
    summary = json.loads(result.stdout)
    played = {r["role"]: r["activity"] for r in summary["roles"]}
    assert played["quote_created"] == "Angebot erstellt"
    assert "payment_received" not in played  # the file says no activity plays it


@pytest.fixture(scope="module")
def german_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's true process over 200 days, every activity named in German."""
    run = simulate(l2c_model(), days=200, start="2024-01-01", warmup_days=60, seed=11)
    events = run.log.events.assign(**{ACTIVITY: run.log.events[ACTIVITY].map(GERMAN)})
    log = type(run.log)(events=events, cases=run.log.cases, name="german")
    return write_log(log, tmp_path_factory.mktemp("german") / "beispiel.csv")


def test_evaluate_measures_your_kpis_on_a_log_mapped_by_a_roles_file(german_log: Path,
                                                                       tmp_path: Path) -> None:
    roles, kpis, output = tmp_path / "roles.yaml", tmp_path / "kpis.yaml", tmp_path / "r.json"
    roles.write_text(ROLES_FILE, encoding="utf-8")
    kpis.write_text("kpis:\n  - {id: approval_to_contract, name: Approval to contract, from: "
                    "quote_approved, to: Vertrag unterschrieben}\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(german_log), "--split-date", "2024-05-01",
                                 "--reps", "2", "--jobs", "1", "--no-tune", "--roles", str(roles),
                                 "--kpis", str(kpis), "--format", "json", "-o", str(output)])
    assert result.exit_code == 0, result.output
    rows = {r["kpi"]: r for r in json.loads(output.read_text(encoding="utf-8"))["kpis"]}
    assert {"quote_approval", "payment_days", "custom:approval_to_contract"} <= set(rows)
    own = rows["custom:approval_to_contract"]
    assert own["real"] > 0 and own["simulated"] > 0
