"""Options and helpers the commands share: reading a catalog, --map, --platform, the console."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from ..errors import ConfigError

console = Console(stderr=True)

MapOption = typer.Option(None, "--map", help="Column mapping FIELD=COLUMN, e.g. 'title=商品名,id=货号'; repeatable. "
                                            "Fields: id, title, category, brand, attributes, description, price, "
                                            "lang, tags; metrics as metrics.NAME.")
AttrColumnsOption = typer.Option(None, "--attr-columns", help="Columns read as attributes (comma-separated): each "
                                                             "cell becomes the pair (column name, cell).")
ProgressOption = typer.Option(True, "--progress/--no-progress", help="Show a progress bar on the terminal.")
SeedOption = typer.Option(0, "--seed", help="Random seed: the same input, options and seed give the same output.")
KeywordsOption = typer.Option(None, "--keywords", help="Search words: a CSV/XLSX whose first column is the word, "
                                                       "with optional volume (搜索量) and category (类目) columns; "
                                                       "or a .txt file, one word per line.")
BackendOption = typer.Option(None, "--backend", help="llama_cpp | openai_compat | local_hf (default: "
                                                     "LISTINGFORGE_BACKEND).")
ModelOption = typer.Option(None, "--model", help="embedded | embedded-small | a .gguf / HF folder / served model "
                                                 "name (default: LISTINGFORGE_MODEL).")
BaseUrlOption = typer.Option(None, "--base-url", help="OpenAI-compatible server, e.g. http://localhost:8000/v1.")
AdapterOption = typer.Option(None, "--adapter", help="LoRA adapter folder (local_hf backend).")
FewshotOption = typer.Option("grouped", "--fewshot",
                             help="Few-shot examples: grouped (like products share theirs) | retrieved | fixed | none.")
LLMCandidatesOption = typer.Option(1, "--llm-candidates", help="Model candidates per product.")
PlatformOption = typer.Option(["taobao"], "--platform", "-p",
                              help="Marketplace (taobao, tmall, jd, pinduoduo, amazon, google, shopify, generic) "
                                   "or a rules .toml; repeat for several.")


def parse_map(items: list[str] | None) -> dict[str, str] | None:
    """``--map`` options (each "title=商品名,id=货号") → {"title": "商品名", "id": "货号"}."""
    if not items:
        return None
    from ..catalog import parse_mapping

    out: dict[str, str] = {}
    for item in items:
        out.update(parse_mapping(item))
    return out


INPUT_FINDINGS = "input_findings"


def load_catalog(path: Path, mapping: list[str] | None, attr_columns: str | None = None):  # noqa: ANN201
    """The catalog with every product screened (``input.suspicious``): a value that is no fact (an
    instruction, a link, markup, control characters) is taken out before any task sees it, and the rows that
    lost one get an ``input_findings`` column saying which field and why, never the text."""
    from ..catalog import read_catalog
    from ..compliance.suspicious import screen_product
    from ..tasks.columns import findings_text

    cols = [c.strip() for c in attr_columns.split(",")] if attr_columns else None
    cat = read_catalog(path, mapping=parse_map(mapping), attribute_columns=cols)
    if cat.errors:
        console.print(f"[yellow]{len(cat.errors)} row(s) could not be read; they get an 'error' column in the "
                      f"output.[/] First: {cat.errors[0]}")
    notes = [""] * len(cat.products)
    for i, p in enumerate(cat.products):
        if p is not None:
            cat.products[i], found = screen_product(p)
            notes[i] = findings_text(found)
    flagged = sum(1 for n in notes if n)
    if flagged:
        cat.frame[INPUT_FINDINGS] = notes
        console.print(f"[yellow]{flagged} row(s) hold text that is not a product fact (an instruction, a link, "
                      f"markup or control characters); it was not used. See the '{INPUT_FINDINGS}' column.[/]")
    return cat


def check_writable(*paths: Path | None) -> None:
    """Stop before any work when an output cannot be written (one line, exit status 2)."""
    from ..catalog.output import check_writable as check

    check(*paths)


def read_keywords(path: Path | None) -> list[str | tuple[str, str]]:
    """A keyword file: first column the word; an optional volume column (搜索量/volume) ranks them; an optional
    category column (类目/category) limits a word to products whose category contains that text."""
    if path is None:
        return []
    import pandas as pd

    if not path.is_file():
        raise ConfigError(f"keyword file {path} does not exist")
    if path.suffix.lower() in (".xlsx", ".xls"):
        df = pd.read_excel(path, dtype=str)
    elif path.suffix.lower() == ".txt":
        df = pd.DataFrame({"keyword": [x.strip() for x in path.read_text(encoding="utf-8").splitlines()]})
    else:
        for enc in ("utf-8-sig", "gb18030"):
            try:
                df = pd.read_csv(path, dtype=str, encoding=enc)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ConfigError(f"{path}: not UTF-8 or GB18030 text")
    if df.empty:
        raise ConfigError(f"{path}: the keyword file is empty")
    def col(*names: str) -> str | None:
        return next((c for c in df.columns if str(c).strip().lower() in names), None)

    vol = col("volume", "search_volume", "搜索量", "搜索人气", "searches")
    cat = col("category", "类目", "商品类别", "类别")
    if vol is not None:
        df = df.assign(_v=pd.to_numeric(df[vol], errors="coerce").fillna(0)).sort_values("_v", ascending=False)
    words = [str(x).strip() for x in df.iloc[:, 0]]
    if cat is None:
        return [w for w in words if w]
    cats = ["" if pd.isna(c) else str(c).strip() for c in df[cat]]
    return [w if not c else (c, w) for w, c in zip(words, cats, strict=True) if w]


def llm_generators(engine: str, llm: dict[str, Any]) -> list[Any]:
    """``--engine compose`` → none; ``llm`` / ``auto`` → the LLM generator with the CLI's backend options."""
    if engine == "compose":
        return []
    if engine not in ("llm", "auto"):
        raise ConfigError(f"--engine must be compose, llm or auto, not {engine!r}")
    from ..generate.llm import LLMGenerator

    opts = {k: llm.get(k) for k in ("model", "base_url", "adapter") if llm.get(k)}
    return [LLMGenerator(backend=llm.get("backend"), backend_options=opts,
                         fewshot=llm.get("fewshot", "grouped"), max_n=llm.get("max_n", 1))]
