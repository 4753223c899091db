"""One name per concept across commands, every option explained, and the README's command lines accepted by
the commands they call (issue 18)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from listingforge import __version__
from listingforge.cli import app

ROOT = Path(__file__).resolve().parents[1]


def _commands() -> dict[str, Any]:
    """Every command by the words that call it (Typer's own click classes: checked by what they have)."""
    root = typer.main.get_command(app)
    out: dict[str, Any] = {}
    for name, cmd in root.commands.items():  # type: ignore[attr-defined]
        if hasattr(cmd, "commands"):
            out.update({f"{name} {sub}": c for sub, c in cmd.commands.items()})
        else:
            out[name] = cmd
    return out


def _options(cmd: Any) -> list[Any]:
    return [p for p in cmd.params if p.param_type_name == "option"]


def test_every_option_is_explained() -> None:
    missing = [(name, o.opts[0]) for name, cmd in _commands().items() for o in _options(cmd) if not (o.help or "")]
    assert missing == []


def test_one_name_per_concept() -> None:
    for name, cmd in _commands().items():
        opts = {o.name: o for o in _options(cmd)}
        flags = {f for o in _options(cmd) for f in [*o.opts, *o.secondary_opts]}
        assert not flags & {"--out", "--llm-model", "--base", "--save", "--no-progress"} - \
            ({"--no-progress"} if "--progress" in flags else set()), name
        for o in opts.values():
            if "-o" in o.opts:
                assert "--output" in o.opts, name  # what a command writes is --output / -o
            if "--platform" in o.opts:
                assert "-p" in o.opts, name
        if "progress" in opts:
            assert opts["progress"].secondary_opts == ["--no-progress"], name
    models = {name for name, cmd in _commands().items() for o in _options(cmd) if "--model" in o.opts}
    assert {"titles", "describe", "tag", "finetune"} <= models  # the language model, everywhere


def test_version() -> None:
    res = CliRunner().invoke(app, ["--version"])
    assert res.exit_code == 0 and res.output.strip() == f"listingforge {__version__}"


def _readme_lines() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.S):
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith(("listingforge ", "LISTINGFORGE_")) and "listingforge " in line:
                words = shlex.split(line[line.index("listingforge "):])
                lines.append(words[1:])
    return lines


@pytest.mark.parametrize("words", _readme_lines(), ids=lambda w: " ".join(w[:2]))
def test_readme_command_lines_use_options_the_command_has(words: list[str]) -> None:
    commands = _commands()
    name = " ".join(words[:2]) if " ".join(words[:2]) in commands else words[0]
    if words[0].startswith("--"):
        assert words[0] == "--version"
        return
    cmd = commands[name]
    flags = {f for p in cmd.params for f in [*getattr(p, "opts", []), *getattr(p, "secondary_opts", [])]}
    used = [w.split("=")[0] for w in words if w.startswith("-")]
    assert set(used) <= flags, (name, set(used) - flags)
