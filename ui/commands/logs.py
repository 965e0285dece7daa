"""Commands about event logs: ``inspect``, ``kpis``, ``template`` and ``sample``."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from sim.errors import PlannerError
from ui.commands.common import (
    DateFormatOption,
    ForceOption,
    LogArgument,
    MapOption,
    MaxSizeOption,
    OutputFormat,
    SheetOption,
    check_overwrite,
    friendly,
    json_text,
    out,
    read_log_printing_findings,
    read_with_options,
)
from ui.commands.own_kpis import KpisOption, with_own_kpis
from ui.commands.roles import (
    RoleOption,
    RolesFileOption,
    log_roles,
    role_overrides,
)


class KpiFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class SampleStyle(str, Enum):
    d365 = "d365"
    oracle = "oracle"
    xes = "xes"
    dataverse = "dataverse"
    dataverse_display = "dataverse-display"
    dataverse_webapi = "dataverse-webapi"
    oracle_tables = "oracle-tables"


TABLE_STYLES = {  # style -> form of the CRM's tables, written into a folder
    SampleStyle.dataverse: "logical names", SampleStyle.dataverse_display: "display names",
    SampleStyle.dataverse_webapi: "Web API JSON"}


@friendly
def inspect(
    log: LogArgument,
    format: Annotated[OutputFormat, typer.Option("--format", help="table or json")] = (
        OutputFormat.table),
    map: MapOption = None,
    sheet: SheetOption = None,
    date_format: DateFormatOption = None,
    max_size: MaxSizeOption = None,
    min_count: Annotated[int, typer.Option(
        help="Warn about activities seen fewer times than this.")] = 5,
    role: RoleOption = None,
    roles_file: RolesFileOption = None,
) -> None:
    """Read an event log, check it, and summarise what is in it: its columns, activities,
    variants and which activity plays which lead-to-cash role."""
    from calibration.roles import detect_roles
    from calibration.summary import summarise
    from ui.render import print_roles, print_summary

    result = read_with_options(log, map, sheet, date_format, max_size,
                               min_activity_count=min_count)
    summary = summarise(result)
    found = (detect_roles(result.log, role_overrides(role, roles_file))
             if result.log is not None else None)
    if found is not None:
        summary["roles"] = [{"role": m.role, "activity": m.activity,
                             "confidence": m.confidence} for m in found.matches]
    if format is OutputFormat.json:
        sys.stdout.write(json_text(summary))
    else:
        print_summary(out, summary)
        if found is not None:
            print_roles(out, found)
    if not result.report.ok:
        raise typer.Exit(1)


@friendly
def kpis(
    log: LogArgument,
    by: Annotated[str | None, typer.Option(
        "--by", metavar="ATTRIBUTE",
        help="Measure each group of cases on its own: a case attribute such as lead_source or "
             "region, or deal_size (amount tertiles).")] = None,
    format: Annotated[KpiFormat, typer.Option("--format", help="table, json or csv")] = (
        KpiFormat.table),
    role: RoleOption = None,
    roles_file: RolesFileOption = None,
    kpis_file: KpisOption = None,
    map: MapOption = None,
    sheet: SheetOption = None,
    date_format: DateFormatOption = None,
    max_size: MaxSizeOption = None,
) -> None:
    """Measure the KPIs of an event log: lead-to-cash cycle times, win rate, payment days;
    case duration, throughput and work in progress of any process; waiting and processing
    times, utilisation, funnel; and your own KPIs (--kpis)."""
    import pandas as pd

    from sim.kpis import compute_by_replication, kpis_frame, kpis_to_records
    from sim.kpis.groups import group_labels
    from ui.render import print_kpis

    event_log = with_own_kpis(read_log_printing_findings(log, map, sheet, date_format,
                                                         max_size), kpis_file)
    roles = log_roles(event_log, role, roles_file).roles
    results = compute_by_replication(event_log, roles, by=by)
    if format is KpiFormat.json:
        sys.stdout.write(json_text(kpis_to_records(results)))
    elif format is KpiFormat.csv:
        sys.stdout.write(kpis_frame(results).to_csv(index=False))
    else:
        sizes = (pd.Series(group_labels(event_log.cases, by)).value_counts().to_dict()
                 if by is not None else None)
        title = f"KPIs of {log.name}" + (f" by {by}" if by else "")
        print_kpis(out, results, title, by=by, group_sizes=sizes)


@friendly
def template(
    output: Annotated[Path, typer.Option("-o", "--output", help="FILE.xlsx or FILE.csv")],
    force: ForceOption = False,
) -> None:
    """Write the data template: every column, its meaning, and example rows."""
    from calibration.template import write_template

    check_overwrite(output, force=force)
    written = write_template(output)
    out.print(f"Template written to {written}")


@friendly
def sample(
    output: Annotated[Path, typer.Option(
        "-o", "--output", help="Where to write the bundled sample log (a folder for the "
                               "table styles).")],
    style: Annotated[SampleStyle, typer.Option(
        help="d365 (Dynamics 365 columns), oracle (Oracle CX Sales columns) or xes; or the "
             "CRM's own tables, for 'l2c extract': dataverse (CSV with logical names), "
             "dataverse-display (CSV with display names, as Export to Excel writes them), "
             "dataverse-webapi (Web API JSON pages), oracle-tables (Oracle CX Sales "
             "extracts with quotes, orders, invoices and receipts as event tables).")] = (
        SampleStyle.d365),
    force: ForceOption = False,
) -> None:
    """Write the bundled lead-to-cash sample log (about 3,000 opportunities), or the tables
    a CRM would hold for it."""
    from calibration.sample import write_sample

    if style in TABLE_STYLES or style is SampleStyle.oracle_tables:
        _write_sample_tables(output, style, force)
        return
    check_overwrite(output, force=force)
    written = write_sample(output, style.value)
    out.print(f"Sample log ({style.value} style) written to {written}")


def _write_sample_tables(output: Path, style: SampleStyle, force: bool) -> None:
    """The sample as a CRM's tables, one file per table in the folder ``output``."""
    from calibration.extract.dataverse_sample import write_dataverse_sample

    if output.exists() and not output.is_dir():
        raise PlannerError(f"{output} is a file: the {style.value} sample is a folder of "
                           "tables; give a folder name.")
    if output.is_dir() and any(output.iterdir()) and not force:
        raise PlannerError(f"{output} is a folder with files in it; give a new folder, or "
                           "--force to write the tables into it.")
    if style is SampleStyle.oracle_tables:
        from calibration.extract.oracle_sample import write_oracle_sample

        files, what, command = write_oracle_sample(output), "Oracle CX Sales tables", "oracle"
    else:
        files = write_dataverse_sample(output, TABLE_STYLES[style])
        what, command = f"Dataverse tables ({TABLE_STYLES[style]})", "dynamics"
    out.print(f"{len(files)} {what} written to {output}; read them back with: l2c extract "
              f"{command} {output} -o log.csv --since 2024-01-01")
