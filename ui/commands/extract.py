"""``l2c extract``: from a CRM's own tables (Dynamics 365 / Dataverse, Oracle CX Sales) to
the event log every other command reads."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sim.errors import PlannerError
from ui.commands.common import (
    ForceOption,
    MaxSizeOption,
    OutputFormat,
    check_overwrite,
    friendly,
    json_text,
    out,
)

if TYPE_CHECKING:
    from calibration.extract.report import ExtractionReport
    from sim.eventlog import EventLog

extract_app = typer.Typer(
    help="Build the event log from a CRM's own tables (a folder, a zip or files), with a "
         "report of every row read, every link and every approximated timestamp.",
    no_args_is_help=True)

PathsArgument = Annotated[list[Path], typer.Argument(
    help="A folder of table files, a zip of them, or the files (CSV, Excel or Web API JSON).")]
OutputOption = Annotated[Path, typer.Option(
    "-o", "--output", help="The event log to write: .csv, .csv.gz, .xlsx, .parquet or .xes.")]
FormatOption = Annotated[OutputFormat, typer.Option(
    "--format", help="The extraction report as a table or as json (on standard output).")]
PaymentsOption = Annotated[Path | None, typer.Option(
    help="A payments file (invoice number, date paid, amount) to date Payment Received "
         "where the CRM does not.")]
SinceOption = Annotated[str | None, typer.Option(
    help="Leave out events before this date (YYYY-MM-DD); they are counted in the report.")]


def _since(value: str | None) -> object:
    import pandas as pd

    if value is None:
        return None
    try:
        return pd.Timestamp(value)
    except ValueError as exc:
        raise PlannerError(f"--since '{value}': not a date; write it as YYYY-MM-DD.") from exc


@extract_app.command(
    "dynamics", short_help="Dynamics 365 Sales / Dataverse tables to an event log.")
@friendly
def dynamics(
    paths: PathsArgument,
    output: OutputOption,
    format: FormatOption = OutputFormat.table,
    payments: PaymentsOption = None,
    since: SinceOption = None,
    max_size: MaxSizeOption = None,
    force: ForceOption = False,
) -> None:
    """Dynamics 365 Sales / Dataverse: lead, opportunity, quote, salesorder and invoice
    (optionally opportunityclose, the process-flow tables with processstage, audit and
    stringmap), with logical names, display names ("Export to Excel") or as Web API JSON."""
    from calibration.extract.dataverse import extract_dynamics

    check_overwrite(output, force=force)
    log, report = extract_dynamics(paths, payments=payments, since=_since(since),
                                   max_size_mb=max_size)
    _write(log, report, output, format)


def _write(log: EventLog, report: ExtractionReport, output: Path, format: OutputFormat
           ) -> None:
    """Write the log, then the report as a table or JSON."""
    from calibration.writers import write_log
    from ui.render_extract import print_extraction

    written = write_log(log, output)
    if format is OutputFormat.json:
        sys.stdout.write(json_text({**report.to_dict(), "output": str(written)}))
    else:
        print_extraction(out, report, str(written))


@extract_app.command("oracle", short_help="Oracle CX Sales extracts to an event log.")
@friendly
def oracle(
    paths: PathsArgument,
    output: OutputOption,
    format: FormatOption = OutputFormat.table,
    since: SinceOption = None,
    max_size: MaxSizeOption = None,
    force: ForceOption = False,
) -> None:
    """Oracle CX Sales: opportunities, leads and opportunityLeads (REST or BICC attribute
    names), with quotes, orders, invoices, receipts and activities as event tables in the
    columns of 'l2c template' (case_id = opportunity or lead number)."""
    from calibration.extract.oracle import extract_oracle

    check_overwrite(output, force=force)
    log, report = extract_oracle(paths, since=_since(since), max_size_mb=max_size)
    _write(log, report, output, format)
