"""Benchmark descriptions from attributes against real marketing copy.

    .venv/bin/python benchmarks/describe.py [--data ../shared/data] [--limit 0] [--myntra 500]

- zh_advertisegen_descriptions (536 clothing items, attributes → a copywriter's description):
  BLEU-4 on jieba words (sacrebleu, tokenize none after jieba) and on sacrebleu's zh tokenizer, ROUGE-L F1
  on characters and on jieba words, distinct-2 (characters), ungrounded-claim rate (share of texts with a
  ``grounding.*`` finding from the Checker, lexicon fit on the data's attributes), copied (share of texts a
  ``CopyIndex`` of the OTHER products' reference descriptions flags: leave-one-out, the product's own
  reference excluded by id, so it measures copying other sellers' copy), mean length.
- en_myntra_catalog (first N rows; attributes are only brand, gender, colour): BLEU-4 (13a), ROUGE-L on
  words, distinct-2 (words), ungrounded rate.
Systems: the attribute values joined (baseline), compose_description's paragraph per style, and the
reference texts themselves for the ungrounded rate (how often real copy states what the attributes do not).
Decoding: deterministic templates, seed 0, one candidate per product.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from listingforge.compliance import Checker, CopyIndex, Lexicon
from listingforge.evaluate.metrics import bleu, distinct_n, hallucination_rate, rouge
from listingforge.generate.base import Spec
from listingforge.generate.compose_description import DescriptionComposer, split_description
from listingforge.product import Product


def load(path: Path, limit: int) -> list[Product]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return [Product(**json.loads(ln)) for ln in (lines[:limit] if limit else lines)]


def systems(products: list[Product], lang: str) -> dict[str, tuple[list[str], float]]:
    sep = "，" if lang == "zh" else ", "
    out = {"attribute values joined": ([sep.join(p.attribute_values()) for p in products], 0.0)}
    composer = DescriptionComposer()
    for style in ("简洁", "种草", "专业") if lang == "zh" else ("简洁",):
        t0 = time.perf_counter()
        texts = [split_description(composer.generate("description", p, 1, Spec(style=style, lang=lang))[0].text)[1]
                 for p in products]
        out[f"compose_description ({style}, paragraph)"] = (texts, (time.perf_counter() - t0) / len(products))
    return out


def copy_index(products: list[Product], refs: list[str]) -> tuple[CopyIndex, float]:
    """The references indexed by product id (positions where ids repeat), and the build time."""
    ids = [p.id for p in products]
    if len(set(ids)) < len(ids):
        ids = [str(i) for i in range(len(ids))]
    t0 = time.perf_counter()
    index = CopyIndex().fit(refs, ids=ids)
    return index, time.perf_counter() - t0


def copied_rate(index: CopyIndex, texts: list[str]) -> tuple[float, float]:
    """Share of ``texts`` (one per product, in index order) flagged as copies of ANOTHER product's reference,
    and the check time per text in ms."""
    t0 = time.perf_counter()
    flagged = sum(bool(index.check(t, exclude=[own])) for t, own in zip(texts, index.ids_, strict=True))
    return flagged / len(texts), (time.perf_counter() - t0) * 1000 / len(texts)


def run(name: str, products: list[Product], lang: str) -> None:
    refs = [p.description or "" for p in products]
    # checks see the attributes only (no reference text), as a generator does
    bare = [p.model_copy(update={"description": None, "title": None}) for p in products]
    checker = Checker("generic", lexicon=Lexicon().fit(bare))
    print(f"\n## {name} ({len(products)} products)\n")
    if lang == "zh":
        index, build_s = copy_index(products, refs)
        check_ms: list[float] = []
        print("| system | BLEU-4 jieba | BLEU-4 zh-tok | ROUGE-L char | ROUGE-L jieba | distinct-2 | ungrounded | "
              "copied | chars | ms/product |")
        print("|---|---|---|---|---|---|---|---|---|---|")
    else:
        print("| system | BLEU-4 13a | ROUGE-L words | distinct-2 | ungrounded | chars | ms/product |")
        print("|---|---|---|---|---|---|---|")
    rows = systems(bare, lang)
    rows["reference (human copy)"] = (refs, 0.0)
    for sys_name, (hyps, per) in rows.items():
        ungrounded = hallucination_rate(checker.check(h, p, field="description") for h, p in zip(hyps, bare, strict=True))
        length = sum(len(h) for h in hyps) / len(hyps)
        ms = f"{per * 1000:.2f}" if per else ""
        if lang == "zh":
            copied, per_check = copied_rate(index, hyps)
            check_ms.append(per_check)
        if sys_name.startswith("reference"):
            print(f"| {sys_name} | – | – | – | – | {distinct_n(hyps, 2, lang):.3f} | {ungrounded:.3f} | {copied:.3f} | "
                  f"{length:.0f} | |"
                  if lang == "zh" else
                  f"| {sys_name} | – | – | {distinct_n(hyps, 2, lang):.3f} | {ungrounded:.3f} | {length:.0f} | |")
            continue
        if lang == "zh":
            print(f"| {sys_name} | {bleu(hyps, refs, 'zh', 'jieba'):.2f} | {bleu(hyps, refs, 'zh'):.2f} | "
                  f"{rouge(hyps, refs, 'zh'):.3f} | {rouge(hyps, refs, 'zh', tokens='jieba'):.3f} | "
                  f"{distinct_n(hyps, 2, 'zh'):.3f} | {ungrounded:.3f} | {copied:.3f} | {length:.0f} | {ms} |")
        else:
            print(f"| {sys_name} | {bleu(hyps, refs, 'en'):.2f} | {rouge(hyps, refs, 'en'):.3f} | "
                  f"{distinct_n(hyps, 2, 'en'):.3f} | {ungrounded:.3f} | {length:.0f} | {ms} |")
    if lang == "zh":
        print(f"\ncopied: CopyIndex of {len(index)} references ({index.n_shingles_} shingles) built in "
              f"{build_s * 1000:.0f} ms; check {sum(check_ms) / len(check_ms):.2f} ms/text")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "data")
    ap.add_argument("--limit", type=int, default=0, help="AdvertiseGen rows (0 = all)")
    ap.add_argument("--myntra", type=int, default=500, help="Myntra rows")
    args = ap.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"no shared data at {args.data}: pass --data")
    run("zh_advertisegen_descriptions", load(args.data / "zh_advertisegen_descriptions.jsonl", args.limit), "zh")
    run("en_myntra_catalog", load(args.data / "en_myntra_catalog.jsonl", args.myntra), "en")


if __name__ == "__main__":
    main()
