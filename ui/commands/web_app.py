"""The ``ui`` command: serve the planner's web app."""

from __future__ import annotations

from typing import Annotated

import typer

from ui.commands.common import friendly, out


@friendly
def ui_app(
    port: Annotated[int, typer.Option(help="Port to serve the app on.")] = 8501,
    host: Annotated[str, typer.Option(
        help="Address to listen on. 127.0.0.1 keeps the app on this computer; 0.0.0.0 shares "
             "it with your network.")] = "127.0.0.1",
    max_upload_mb: Annotated[int, typer.Option(
        "--max-upload-mb", help="Largest file the app accepts, in MB.")] = 200,
    sample: Annotated[bool, typer.Option(
        "--sample", help="Start with the bundled sample log loaded.")] = False,
    open_browser: Annotated[bool, typer.Option(
        "--open/--no-open", help="Open the app in your web browser once it is up.")] = True,
) -> None:
    """Open the planner's web app: upload a log, see the model, build scenarios, compare
    them, set targets and keep the comparisons you save."""
    from ui.app.launch import serve

    raise typer.Exit(serve(host, port, max_upload_mb, sample=sample, open_browser=open_browser,
                           say=out.print))
