"""The ``l2c`` command line: one thin command per verb, calling the packages.

Every command turns a ``PlannerError`` into a plain message and a non-zero exit code; a
traceback means a bug, never bad input.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console

from sim.errors import PlannerError

app = typer.Typer(help="Lead-to-cash what-if planner: learn your sales process from its event "
                       "log, simulate it, compare scenarios.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
F = TypeVar("F", bound=Callable[..., object])


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


class SampleStyle(str, Enum):
    d365 = "d365"
    oracle = "oracle"
    xes = "xes"


def friendly(command: F) -> F:
    """Print PlannerErrors as messages with exit code 1, and stop cleanly on Ctrl-C."""

    @functools.wraps(command)
    def wrapper(*args: object, **kwargs: object) -> object:
        try:
            return command(*args, **kwargs)
        except PlannerError as exc:
            err.print(f"[bold red]error:[/] {exc}", highlight=False)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err.print("stopped.")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


MapOption = Annotated[list[str] | None, typer.Option(
    "--map", help="Say which column plays a role, e.g. --map case_id='Deal ID' (repeatable).")]
SheetOption = Annotated[str | None, typer.Option(help="Excel sheet to read (default: first).")]
DateFormatOption = Annotated[str | None, typer.Option(
    help="Timestamp format in strftime codes, e.g. '%d/%m/%Y %H:%M', when detection guesses "
         "wrong.")]
MaxSizeOption = Annotated[float | None, typer.Option(
    "--max-size", help="Refuse files larger than this many MB (default 1024, or "
                       "$L2C_MAX_FILE_MB).")]


@app.command()
@friendly
def inspect(
    log: Annotated[Path, typer.Argument(help="Event log: CSV, Excel, XES, Parquet.")],
    format: Annotated[OutputFormat, typer.Option("--format", help="table or json")] = (
        OutputFormat.table),
    map: MapOption = None,
    sheet: SheetOption = None,
    date_format: DateFormatOption = None,
    max_size: MaxSizeOption = None,
    min_count: Annotated[int, typer.Option(
        help="Warn about activities seen fewer times than this.")] = 5,
) -> None:
    """Read an event log, check it, and summarise what is in it."""
    from calibration.mapping import parse_overrides
    from calibration.read import read_log
    from calibration.summary import summarise
    from ui.render import print_summary

    result = read_log(log, mapping=parse_overrides(map or []), sheet=sheet,
                      date_format=date_format, max_size_mb=max_size,
                      min_activity_count=min_count)
    summary = summarise(result)
    if format is OutputFormat.json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        print_summary(out, summary)
    if not result.report.ok:
        raise typer.Exit(1)


@app.command()
@friendly
def template(
    output: Annotated[Path, typer.Option("-o", "--output", help="FILE.xlsx or FILE.csv")],
) -> None:
    """Write the data template: every column, its meaning, and example rows."""
    from calibration.template import write_template

    written = write_template(output)
    out.print(f"Template written to {written}")


@app.command()
@friendly
def sample(
    output: Annotated[Path, typer.Option("-o", "--output",
                                         help="Where to write the bundled sample log.")],
    style: Annotated[SampleStyle, typer.Option(
        help="d365 (Dynamics 365 columns), oracle (Oracle CX Sales columns) or xes.")] = (
        SampleStyle.d365),
) -> None:
    """Write the bundled lead-to-cash sample log (about 3,000 opportunities)."""
    from calibration.sample import write_sample

    written = write_sample(output, style.value)
    out.print(f"Sample log ({style.value} style) written to {written}")


@app.command()
@friendly
def demo() -> None:
    """The main job on the bundled sample: read and check it, and show what is in it."""
    from calibration.read import read_log
    from calibration.sample import sample_path
    from calibration.summary import summarise
    from ui.render import print_summary

    result = read_log(sample_path("d365"))
    print_summary(out, summarise(result))


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()
