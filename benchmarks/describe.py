"""Benchmark descriptions from attributes against real marketing copy, on a held-out split.

    .venv/bin/python benchmarks/describe.py [--data ../shared/data] [--myntra 500] [--myntra-fit 4000]
                                           [--out DIR]

Split: a product is held out when crc32(id) % 5 == 0 (a fixed fifth); the composer learns the seller's phrasing
from the other four fifths (their descriptions) and writes the held-out products from their attributes alone
(zh) or their title and attributes (en). Nothing was tuned on the held-out part.

- zh_advertisegen_descriptions (536 clothing items → a copywriter's description; 123 held out): BLEU-4 on jieba
  words (sacrebleu, tokenize none after jieba) and on sacrebleu's zh tokenizer, ROUGE-L F1 on characters and on
  jieba words, distinct-2 (characters), ungrounded (share of texts with a ``grounding.*`` finding from the
  Checker after the checks ran, lexicon fit on all the data's attributes), claims (share with a word the claim
  model learned from the train part finds unsupported), names (share printing an attribute name that the
  train part's copy never uses as a word, or any name as a label "材质："), copied (share a CopyIndex of the
  OTHER products' reference descriptions flags: it measures copying other sellers' copy), mean length.
- en_myntra_catalog (the first N held-out rows; the composer fit on the first M train rows): BLEU-4 (13a), ROUGE-L
  on words, distinct-2 (words), ungrounded, names.
Systems: the attribute values joined (the old baseline's floor); ``listingforge describe`` as the CLI runs it
(DescriptionTask: compose_description fit on the train part, 3 candidates, checks, rule score with the catalog's
length and style, best selected), with no style and per style; and the reference copy itself (how often real
copy states what the facts do not). Decoding: deterministic, seed 0.
``--out DIR`` also writes each system's held-out texts (id, text) as JSON lines, for review packets.
"""

from __future__ import annotations

import argparse
import json
import time
import zlib
from pathlib import Path

from listingforge.compliance import Checker, CopyIndex, Lexicon
from listingforge.evaluate.metrics import bleu, distinct_n, hallucination_rate, rouge
from listingforge.generate.compose_description import DescriptionComposer
from listingforge.generate.describe_claims import ProductFacts
from listingforge.generate.describe_text import printed_names
from listingforge.platforms import load_platform
from listingforge.product import Product
from listingforge.tasks.describe import DescriptionTask, description_columns


def load(path: Path) -> list[Product]:
    return [Product(**json.loads(ln)) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def held_out(p: Product) -> bool:
    return zlib.crc32(p.id.encode()) % 5 == 0


def ordinary_names(train: list[Product], share: float = 0.02) -> set[str]:
    """Attribute names the catalog's own copy uses as words (版型, 风格) in at least ``share`` of descriptions."""
    names = {n for p in train for n, _v in p.attributes}
    texts = [(p.description or "").lower() for p in train]
    return {n for n in names if sum(n.lower() in t for t in texts) >= share * len(texts)}


def run_task(task: DescriptionTask, products: list[Product]) -> tuple[list[str], float]:
    t0 = time.perf_counter()
    texts = [description_columns(task.run(p))["new_description"] for p in products]
    return texts, (time.perf_counter() - t0) / len(products)


def run(name: str, train: list[Product], test: list[Product], lang: str, platform: str, out: Path | None) -> None:
    refs = [p.description or "" for p in test]
    # the products as the generator sees them: no reference text (English keeps its title: it is an input)
    bare = [p.model_copy(update={"description": None, **({"title": None} if lang == "zh" else {})}) for p in test]
    everything = [p.model_copy(update={"description": None}) for p in [*train, *test]]
    checker = Checker(platform, lexicon=Lexicon().fit(everything))
    t0 = time.perf_counter()
    composer = DescriptionComposer().fit(train, lexicon=checker.lexicon)
    fit_s = time.perf_counter() - t0
    ordinary = ordinary_names(train)
    rows: dict[str, tuple[list[str], float]] = {}
    sep = "，" if lang == "zh" else ", "
    rows["attribute values joined"] = ([sep.join(v for n, v in p.attributes if n.lower() not in ("brand", "品牌"))
                                        for p in bare], 0.0)
    for style in (None, "简洁", "种草", "专业"):
        task = DescriptionTask(platform=load_platform(platform), checker=checker, composer=composer, style=style)
        rows[f"listingforge describe ({style or 'catalog style'})"] = run_task(task, bare)
    rows["reference (human copy)"] = (refs, 0.0)
    claims = composer.models_[lang].claims

    print(f"\n## {name}: {len(test)} held-out products, phrasing learned from {len(train)} "
          f"(fit {fit_s:.1f}s)\n")
    if lang == "zh":
        index = CopyIndex().fit(refs, ids=[p.id for p in test])
        print("| system | BLEU-4 jieba | BLEU-4 zh-tok | ROUGE-L char | ROUGE-L jieba | distinct-2 | ungrounded | "
              "claims | names | copied | chars | ms/product |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    else:
        print("| system | BLEU-4 13a | ROUGE-L words | distinct-2 | ungrounded | claims | names | chars | ms/product |")
        print("|---|---|---|---|---|---|---|---|---|")
    for sys_name, (hyps, per) in rows.items():
        ungrounded = hallucination_rate([f for f in checker.check(h, p, field="description")
                                         if f.rule.startswith("grounding.")] for h, p in zip(hyps, bare, strict=True))
        flagged = sum(bool(claims.unsupported(h, ProductFacts.of(p, claims.data))) for h, p in zip(hyps, bare,
                                                                                                strict=True))
        names = sum(bool(printed_names(h, [n for n, _v in p.attributes], ordinary))
                    for h, p in zip(hyps, bare, strict=True))
        length = sum(len(h) for h in hyps) / len(hyps)
        ms = f"{per * 1000:.1f}" if per else ""
        ref = sys_name.startswith("reference")
        if lang == "zh":
            copied = sum(bool(index.check(h, exclude=[p.id])) for h, p in zip(hyps, test, strict=True)) / len(hyps)
            scores = ["–"] * 4 if ref else [f"{bleu(hyps, refs, 'zh', 'jieba'):.2f}", f"{bleu(hyps, refs, 'zh'):.2f}",
                                             f"{rouge(hyps, refs, 'zh'):.3f}",
                                             f"{rouge(hyps, refs, 'zh', tokens='jieba'):.3f}"]
            print(f"| {sys_name} | {' | '.join(scores)} | {distinct_n(hyps, 2, 'zh'):.3f} | {ungrounded:.3f} | "
                  f"{flagged / len(hyps):.3f} | {names / len(hyps):.3f} | {copied:.3f} | {length:.0f} | {ms} |")
        else:
            scores = ["–"] * 2 if ref else [f"{bleu(hyps, refs, 'en'):.2f}", f"{rouge(hyps, refs, 'en'):.3f}"]
            print(f"| {sys_name} | {' | '.join(scores)} | {distinct_n(hyps, 2, 'en'):.3f} | {ungrounded:.3f} | "
                  f"{flagged / len(hyps):.3f} | {names / len(hyps):.3f} | {length:.0f} | {ms} |")
        if out is not None:
            slug = sys_name.split(" (")[-1].rstrip(")").replace(" ", "_") if "(" in sys_name else sys_name.split()[0]
            with open(out / f"{lang}_{slug}.jsonl", "w", encoding="utf-8") as f:
                for p, h in zip(test, hyps, strict=True):
                    f.write(json.dumps({"id": p.id, "text": h}, ensure_ascii=False) + "\n")
    print(f"\nungrounded: Checker grounding findings; claims: the claim model's unsupported words; names: attribute "
          f"names printed (ordinary copy words: {', '.join(sorted(ordinary)) or 'none'})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "data")
    ap.add_argument("--myntra", type=int, default=500, help="held-out Myntra rows to write")
    ap.add_argument("--myntra-fit", type=int, default=4000, help="Myntra train rows to learn from")
    ap.add_argument("--out", type=Path, default=None, help="write each system's texts here (JSON lines)")
    args = ap.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"no shared data at {args.data}: pass --data")
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
    zh = load(args.data / "zh_advertisegen_descriptions.jsonl")
    run("zh_advertisegen_descriptions", [p for p in zh if not held_out(p)], [p for p in zh if held_out(p)], "zh",
        "taobao", args.out)
    en = load(args.data / "en_myntra_catalog.jsonl")
    run("en_myntra_catalog", [p for p in en if not held_out(p)][:args.myntra_fit],
        [p for p in en if held_out(p)][:args.myntra], "en", "amazon", args.out)


if __name__ == "__main__":
    main()
