"""The ``listingforge`` command: a thin Typer shell over plain functions.

Each sub-command lives in its own module with a ``register(app)`` function; only the project's own
errors (``ListingforgeError``) are caught and printed, anything else is a bug and shows its traceback.
"""

from __future__ import annotations

import importlib
import importlib.util

import typer

from ..errors import ListingforgeError

app = typer.Typer(
    name="listingforge",
    help="Write and improve e-commerce listings that keep marketplace rules and never invent facts.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command modules, in the order `--help` lists them. A module not written yet is skipped.
COMMAND_MODULES = ("titles", "check", "describe", "tag", "scorer", "abtest", "finetune", "serve")

def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"listingforge {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """Write and improve e-commerce listings that keep marketplace rules and never invent facts."""


for _name in COMMAND_MODULES:
    if importlib.util.find_spec(f"{__name__}.{_name}") is not None:
        importlib.import_module(f"{__name__}.{_name}").register(app)


def main() -> None:
    """Errors a user can act on end with one line and exit status 2; Ctrl-C with a line and status 130 (the
    same command resumes a catalog run); anything else is a bug and shows its traceback."""
    from rich.console import Console
    from rich.text import Text

    err = Console(stderr=True, soft_wrap=True)  # soft wrap: one line, however narrow the terminal
    try:
        app()
    except ListingforgeError as exc:
        err.print(Text.assemble(("error: ", "bold red"), str(exc)))  # the message is text, never markup
        raise SystemExit(2) from None
    except SystemExit as stop:
        if stop.code == 130:  # Typer's answer to Ctrl-C
            err.print(Text.assemble(("interrupted", "yellow"),
                                    ": run the same command again to resume a catalog run"))
        raise
