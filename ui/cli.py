"""The ``l2c`` command line: one thin command per verb, calling the packages.

The commands live in ``ui.commands``, one module per area; this module only builds the Typer
app from them. Every command turns a ``PlannerError`` into a plain message and a non-zero exit
code; a traceback means a bug, never bad input.
"""

from __future__ import annotations

import typer

from ui.commands import (
    backtest,
    comparison,
    extract,
    logs,
    model,
    saved,
    simulation,
    target,
    web_app,
)

app = typer.Typer(help="Lead-to-cash what-if planner: learn your sales process from its event "
                       "log, simulate it, compare scenarios.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)

# Registration order is the order of ``l2c --help``.
app.command("inspect")(logs.inspect)
app.command("kpis")(logs.kpis)
app.command("calibrate")(model.calibrate)
app.command("import-bps")(model.import_bps)
app.command("template")(logs.template)
app.command("sample")(logs.sample)
app.add_typer(extract.extract_app, name="extract")
app.command("demo")(comparison.demo)
app.command("simulate")(simulation.simulate)
app.command("compare")(comparison.compare)
app.add_typer(saved.saved_app, name="saved")
app.command("target")(target.target)
app.command("ui")(web_app.ui_app)
app.command("evaluate")(model.evaluate)
app.command("backtest")(backtest.backtest)


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":
    main()
