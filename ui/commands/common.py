"""What the ``l2c`` commands share: the consoles, error handling, options and log reading.

Only light imports at module level: ``l2c --help`` must start fast, so the commands import
the planner's packages inside their functions.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console

from sim.errors import PlannerError
from sim.run_length import RunLength

if TYPE_CHECKING:
    from calibration.read import ReadResult
    from sim.eventlog import EventLog

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
P = ParamSpec("P")
R = TypeVar("R")


def friendly(command: Callable[P, R]) -> Callable[P, R]:
    """Print PlannerErrors as messages with exit code 1, and stop cleanly on Ctrl-C."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except PlannerError as exc:
            err.print(f"[bold red]error:[/] {exc}", highlight=False)
            raise typer.Exit(1) from None
        except MemoryError:
            err.print("[bold red]error:[/] the machine ran out of memory. Filter the input to "
                      "fewer cases, or lower --max-size so such files are refused before "
                      "they are read.", highlight=False)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            err.print("stopped.")
            raise typer.Exit(130) from None

    return wrapper


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


LogArgument = Annotated[Path, typer.Argument(help="Event log: CSV, Excel, XES, Parquet.")]
ModelOrLogArgument = Annotated[Path, typer.Argument(
    help="Process model (model.json from 'l2c calibrate') or an event log, calibrated "
         "on the fly.")]

MapOption = Annotated[list[str] | None, typer.Option(
    "--map", help="Say which column plays a role, e.g. --map case_id='Deal ID' (repeatable).")]
SheetOption = Annotated[str | None, typer.Option(help="Excel sheet to read (default: first).")]
DateFormatOption = Annotated[str | None, typer.Option(
    help="Timestamp format in strftime codes, e.g. '%d/%m/%Y %H:%M', when detection guesses "
         "wrong.")]
MaxSizeOption = Annotated[float | None, typer.Option(
    "--max-size", help="Refuse files larger than this many MB (default 1024, or "
                       "$L2C_MAX_FILE_MB).")]

SeedOption = Annotated[int, typer.Option(help="Random seed (same seed, same numbers).")]
JobsOption = Annotated[int, typer.Option(help="Worker processes (-1: all cores).")]
CasesOption = Annotated[int | None, typer.Option(
    help="Simulate this many new cases (the baseline's: a scenario with more new cases per "
         "week simulates as many more, over the same weeks).")]
DaysOption = Annotated[float | None, typer.Option(
    help="Simulate this many days (default: the history's period).")]
WarmupOption = Annotated[float, typer.Option(help="Warm-up days (with --cases or --days).")]
AllKpisOption = Annotated[bool, typer.Option(
    "--all", help="Show every KPI, not only the headline ones.")]
ForceOption = Annotated[bool, typer.Option(
    "--force", help="Replace the -o file if it already exists.")]


class Language(str, Enum):
    en = "en"
    ja = "ja"


LangOption = Annotated[Language, typer.Option(
    "--lang", help="Language of the html report and of the csv/xlsx headers and words: en "
                   "or ja (Japanese). Names from the data stay as they are.")]


def read_with_options(log: Path, map: list[str] | None, sheet: str | None,
                      date_format: str | None, max_size: float | None,
                      **options: int) -> ReadResult:
    """Read a log with the reading options every command shares (--map, --sheet, ...)."""
    from calibration.mapping import parse_overrides
    from calibration.read import read_log

    return read_log(log, mapping=parse_overrides(map or []), sheet=sheet,
                    date_format=date_format, max_size_mb=max_size, **options)


def print_read_findings(result: ReadResult) -> None:
    """Print what reading found on stderr (errors only when they did not stop the reading,
    since ``require_log`` reports those)."""
    from ui.render import print_findings

    print_findings(err, [f.to_dict() for f in result.report.findings
                         if f.level != "error" or result.log is not None])


def read_log_printing_findings(log: Path, map: list[str] | None = None,
                               sheet: str | None = None, date_format: str | None = None,
                               max_size: float | None = None) -> EventLog:
    """Read an event log with the shared options, printing its findings on stderr."""
    result = read_with_options(log, map, sheet, date_format, max_size)
    print_read_findings(result)
    return result.require_log()


def check_reps(reps: int) -> None:
    """Between one replication and the limit."""
    from sim import bounds

    bounds.check_reps(reps)


def requested_run(cases: int | None, days: float | None,
                  warmup: float) -> RunLength | None:
    """The run that --cases or --days (with --warmup) ask for; None when neither is given."""
    if cases is not None and days is not None:
        raise PlannerError("Give --cases or --days, not both.")
    if cases is None and days is None:
        return None
    from sim import bounds

    bounds.check_run(cases, days, warmup)
    return {"cases": cases, "days": days, "warmup_days": warmup}


def check_overwrite(*paths: Path | None, force: bool) -> None:
    """An existing file is replaced only on request. Checked before any work, so a long run
    never ends in a refusal (a folder is left to the writer, which says what it expects)."""
    if force:
        return
    taken = [path for path in paths if path is not None and path.exists() and not path.is_dir()]
    if taken:
        shown = ", ".join(str(path) for path in taken[:3])
        more = f" and {len(taken) - 3} more" if len(taken) > 3 else ""
        one = len(taken) == 1
        raise PlannerError(f"{shown}{more} already exist{'s' if one else ''}. Add --force to "
                           f"replace {'it' if one else 'them'}, or choose another file with -o.")


def json_text(data: object) -> str:
    """Indented JSON, one document ending in a newline."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def write_text(text: str, output: Path | None) -> None:
    """Text to stdout, or to the --output file (then say where it went)."""
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        err.print(f"Written to {output}")
