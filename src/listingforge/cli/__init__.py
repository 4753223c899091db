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

for _name in COMMAND_MODULES:
    if importlib.util.find_spec(f"{__name__}.{_name}") is not None:
        importlib.import_module(f"{__name__}.{_name}").register(app)


def main() -> None:
    try:
        app()
    except ListingforgeError as exc:
        from rich.console import Console

        Console(stderr=True).print(f"[bold red]error:[/] {exc}")
        raise SystemExit(2) from None
