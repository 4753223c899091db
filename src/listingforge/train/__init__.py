"""Fine-tuning the local model on a seller's pairs (LoRA or full), with splits, early stopping and cards.

    build_pairs / read_pairs / pairs_from_catalog -> PairSet      pairs.py  (deduplicated)
    split_by_product(pairs, validation=, test=, seed=) -> Split  pairs.py  (recorded in split.json)
    finetune(pairs, FinetuneConfig(...), output_dir) -> FinetuneReport        finetune.py
    merge_and_export(base, adapter, out, gguf=False)                          export.py

torch / transformers / peft are imported only when a run starts (the ``hf`` extra).
"""

from __future__ import annotations

from typing import Any

# imported eagerly: the function ``finetune`` must shadow the submodule of the same name
from .finetune import FinetuneConfig, FinetuneReport, finetune
from .pairs import (
    Pair,
    PairSet,
    Split,
    build_pairs,
    pair_from_product,
    pairs_from_catalog,
    read_pairs,
    split_by_product,
)

__all__ = ["FinetuneConfig", "FinetuneReport", "Pair", "PairSet", "Split", "build_pairs", "finetune",
           "merge_and_export", "pair_from_product", "pairs_from_catalog", "read_pairs", "split_by_product"]


def __getattr__(name: str) -> Any:
    if name == "merge_and_export":
        from .export import merge_and_export

        return merge_and_export
    raise AttributeError(name)
