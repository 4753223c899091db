"""Training pairs for fine-tuning: (product input, reference answer) per task, deduplicated, split by product.

A pair keeps the *product* (with the answer's own field removed), not a rendered prompt: the prompt is
rendered at training time with the generator's own templates (generate/llm/prompts.py), so the adapter
learns exactly the instructions it will see at inference.

    title        attributes (+ brand, category)          → title        (the title_generate prompt)
    short_title  title + attributes                      → short title  (needs a short-title column)
    description  attributes + title                      → description
    tags         title + attributes                      → tags (a JSON list)

The split is by product id, so two pairs of one product never land on both sides; it is recorded in
``split.json`` beside the adapter.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from ..errors import CatalogError, ConfigError
from ..product import Product, Task

TASKS: tuple[str, ...] = ("title", "short_title", "description", "tags")
SHORT_TITLE_COLUMNS = ("short_title", "短标题", "short title", "shorttitle")
SplitName = Literal["train", "validation", "test"]


class Pair(BaseModel):
    product_id: str
    task: Task
    product: Product  # the model's input; the answer's field is removed
    output: str | list[str]  # the reference answer (tags: a list)

    @property
    def lang(self) -> str:
        return self.product.lang or "zh"

    def reference_text(self) -> str:
        """The answer as plain text, for ROUGE/BLEU (tags joined with 、)."""
        return "、".join(self.output) if isinstance(self.output, list) else self.output


class PairSet(BaseModel):
    """Pairs and an account of what was left out, so nothing is silently dropped."""

    pairs: list[Pair] = Field(default_factory=list)
    skipped: dict[str, int] = Field(default_factory=dict)  # reason → count
    duplicates: int = 0

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


def _check_task(task: str) -> None:
    if task not in TASKS:
        raise ConfigError(f"unknown task {task!r}; use one of {' | '.join(TASKS)}")


def pair_from_product(product: Product, task: Task, short_title: str | None = None) -> Pair | str:
    """The pair one product gives for ``task``, or the reason it gives none."""
    _check_task(task)
    has_input = bool(product.attributes or product.brand or product.category)
    if task == "title":
        if not (product.title or "").strip():
            return "no title"
        if not has_input:
            return "no attributes"
        # no title in the input: the generator's title_generate prompt (attributes → title)
        inp = product.model_copy(update={"title": None, "description": None})
        return Pair(product_id=product.id, task=task, product=inp, output=product.title.strip())
    if task == "short_title":
        if not (short_title or "").strip():
            return "no short title"
        if not (product.title or "").strip():
            return "no title"
        inp = product.model_copy(update={"description": None})
        return Pair(product_id=product.id, task=task, product=inp, output=short_title.strip())
    if task == "description":
        if not (product.description or "").strip():
            return "no description"
        if not (has_input or product.title):
            return "no attributes"
        inp = product.model_copy(update={"description": None})
        return Pair(product_id=product.id, task=task, product=inp, output=product.description.strip())
    tags = [t.strip() for t in product.tags if t.strip()]
    if not tags:
        return "no tags"
    if not (product.title or has_input):
        return "no title"
    inp = product.model_copy(update={"tags": [], "description": None})
    return Pair(product_id=product.id, task=task, product=inp, output=tags)


def _pair_key(p: Pair) -> str:
    prod = p.product.model_dump(include={"lang", "category", "brand", "attributes", "title", "description"})
    return json.dumps([p.task, prod, p.output], ensure_ascii=False, sort_keys=True)


def dedupe(pairs: Iterable[Pair]) -> tuple[list[Pair], int]:
    """Drop exact repeats (same task, same input, same answer) whatever their product id; first kept.

    A repeat under another id would otherwise sit in train and test at once.
    """
    seen: set[str] = set()
    out: list[Pair] = []
    dropped = 0
    for p in pairs:
        key = _pair_key(p)
        if key in seen:
            dropped += 1
            continue
        seen.add(key)
        out.append(p)
    return out, dropped


def build_pairs(products: Iterable[Product], task: Task,
                short_titles: dict[str, str] | None = None) -> PairSet:
    """Pairs for ``task`` from products (deduplicated); ``short_titles``: product id → short title."""
    _check_task(task)
    out = PairSet()
    raw: list[Pair] = []
    for product in products:
        got = pair_from_product(product, task, (short_titles or {}).get(product.id))
        if isinstance(got, str):
            out.skip(got)
        else:
            raw.append(got)
    out.pairs, out.duplicates = dedupe(raw)
    return out


def pairs_from_catalog(path: str | Path, task: Task, *, mapping: dict[str, str] | None = None,
                       attribute_columns: list[str] | None = None) -> PairSet:
    """Pairs from a seller catalog (CSV/XLSX/JSONL/Parquet via ``read_catalog``); rows with errors are
    counted as skipped. ``short_title`` needs a column named short_title / 短标题."""
    from ..catalog import read_catalog

    cat = read_catalog(path, mapping=mapping, attribute_columns=attribute_columns)
    short: dict[str, str] | None = None
    if task == "short_title":
        col = next((c for c in cat.frame.columns if str(c).strip().lower() in SHORT_TITLE_COLUMNS), None)
        if col is None:
            raise ConfigError(f"{path}: task short_title needs a column named one of "
                              f"{', '.join(SHORT_TITLE_COLUMNS)} holding the short titles")
        short = {p.id: str(v) for p, v in zip(cat.products, cat.frame[col], strict=True)
                 if p is not None and isinstance(v, str)}
    out = build_pairs(cat.ok_products(), task, short)
    if cat.errors:
        out.skipped["catalog row error"] = len(cat.errors)
    return out


def read_pairs(path: str | Path, task: Task) -> PairSet:
    """A JSON-lines file of pairs or of products.

    Pair rows: ``{"product_id": …, "input": {product fields}, "output": "…" | [tags]}``.
    Product rows (the shared data schema: id, attributes, title, description, tags …; optionally
    ``short_title``) become pairs as :func:`pair_from_product` says.
    """
    _check_task(task)
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"pairs file {path} does not exist")
    if path.suffix.lower() not in (".jsonl", ".json", ".ndjson"):
        return pairs_from_catalog(path, task)
    out = PairSet()
    raw: list[Pair] = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row: dict[str, Any] = json.loads(line)
                if "output" in row:
                    pid = str(row.get("product_id") or row.get("id") or "")
                    if not pid:
                        raise CatalogError("a pair needs product_id (the split is by product)", file=str(path),
                                           row=n)
                    inp = Product(**{"id": pid, **row.get("input", {})})
                    raw.append(Pair(product_id=pid, task=row.get("task", task), product=inp, output=row["output"]))
                    continue
                short = row.pop("short_title", None)
                got = pair_from_product(Product(**row), task, short)
            except json.JSONDecodeError as exc:
                raise CatalogError(f"not JSON: {exc.msg}", file=str(path), row=n, value=line[:60]) from exc
            except ValidationError as exc:
                raise CatalogError(f"not a pair or product row: {exc.errors()[0]['msg']} at "
                                   f"{'.'.join(map(str, exc.errors()[0]['loc']))}", file=str(path), row=n) from exc
            if isinstance(got, str):
                out.skip(got)
            else:
                raw.append(got)
    wrong = {p.task for p in raw} - {task}
    if wrong:
        raise ConfigError(f"{path} holds pairs for task(s) {sorted(wrong)}, not {task!r}")
    out.pairs, out.duplicates = dedupe(raw)
    return out


# ---------------------------------------------------------------- split


class Split(BaseModel):
    """Which product ids went where. Saved as split.json beside the adapter."""

    seed: int
    train: list[str]
    validation: list[str]
    test: list[str]

    def of(self, name: SplitName, pairs: Sequence[Pair]) -> list[Pair]:
        ids = set(getattr(self, name))
        return [p for p in pairs if p.product_id in ids]

    def counts(self) -> dict[str, int]:
        return {"train": len(self.train), "validation": len(self.validation), "test": len(self.test)}

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.model_dump_json(indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> Split:
        return cls.model_validate_json(Path(path).read_text(encoding="utf-8"))


def _count(size: float, n: int) -> int:
    """A fraction of n (0 < size < 1) or an absolute count (size ≥ 1)."""
    if size < 0:
        raise ConfigError(f"split sizes must be ≥ 0, got {size}")
    return int(size) if size >= 1 else round(size * n)


def split_by_product(pairs: Sequence[Pair], *, validation: float = 0.1, test: float = 0.1,
                     seed: int = 0) -> Split:
    """Shuffle the distinct product ids (seeded) and cut test, validation, then train.

    Sizes are fractions of the products (< 1) or product counts (≥ 1). Training keeps at least one
    product; an empty validation set turns early stopping off, an empty test set the test report.
    """
    ids = sorted({p.product_id for p in pairs})
    if not ids:
        raise ConfigError("no training pairs: check the task and the input columns")
    rng = random.Random(seed)
    rng.shuffle(ids)
    n_test, n_val = _count(test, len(ids)), _count(validation, len(ids))
    if n_test + n_val >= len(ids):
        raise ConfigError(f"{len(ids)} products cannot give {n_test} test + {n_val} validation products and "
                          "still leave some to train on; lower --test-size / --val-size")
    return Split(seed=seed, test=sorted(ids[:n_test]), validation=sorted(ids[n_test:n_test + n_val]),
                 train=sorted(ids[n_test + n_val:]))
