"""The ``l2c`` commands, one module per area; ``ui.cli`` registers them on the Typer app."""
