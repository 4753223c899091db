"""Benchmark descriptions from attributes against real marketing copy, on a held-out split.

    .venv/bin/python benchmarks/describe.py [--data ../shared/data] [--myntra 500] [--myntra-fit 4000]
                                           [--dev] [--styles] [--out DIR] [--compare LABEL=FILE]
                                           [--judged FILE]

Split: a product is held out when crc32(id) % 5 == 0 (a fixed fifth); the composer learns the seller's phrasing
from the other four fifths (their descriptions) and writes the held-out products from their attributes alone
(zh) or their title and attributes (en). ``--dev`` measures on the tuning fold instead: a quarter of the train part
(crc32(id + "|dev") % 4 == 0), learned from the other three quarters; everything in this project's second round
was tuned there, and the held-out fifth was run only to report.

Metrics, per system:
- zh_advertisegen_descriptions (536 clothing items → a copywriter's description; 123 held out): BLEU-4 on jieba
  words and on sacrebleu's zh tokenizer, ROUGE-L F1 on characters and on jieba words, distinct-2 (characters);
  mean length. English: BLEU-4 (13a), ROUGE-L on words, distinct-2 (words).
- the first round's claim metrics (kept to compare): ungrounded (share of texts with a ``grounding.*`` finding
  from the Checker after the checks ran, lexicon fit on all the data's attributes) and names (an attribute name
  printed). They read 0 for our copy while a blind reviewer found unsupported claims in 23 of 40 of our texts:
  they only know attribute values.
- reader metrics (issue 19, second round), the share of texts with at least one:
  unsupported — a clause with a word that claims what the facts do not back: the claim model learned from the
  train part with the curated descriptive claims (a cut, layers, a fabric's feel, a mood: backed only by the
  details the sentence names; generate/data/describe.zh.toml [descriptive.*]); English: a word the product's
  title and attributes do not have;
  fragment — a sentence that does not read whole (ends on a detail with nothing said of it, a list of details,
  broken grammar; English: a bare noun such as "Beige bra.");
  redundant — a word said twice (a detail noun three times) or a formula twice;
  missing — a key fact unsaid: Chinese, a value of the product (图案=线条 excepted) neither in the text nor named
  by its learned alias; English, a word of the title other than the brand, the wearer, an article code;
  and stock — the mean share of a text's clauses that 5% or more of the system's texts carry word for word.
  How far they agree with a reader: ``--judged FILE`` (a reviewer's judgments of texts, JSON lines with facts,
  the text as "ours" and the defects with their codes) prints, per defect kind, the texts both flag, the metric
  only, the reviewer only, neither. On the 40 zh texts of the first round (/work/reviews/desc_zh/ours_judged.jsonl):
  unsupported 23 / 13 / 0 / 4, fragment 12 / 8 / 5 / 15, redundant 15 / 4 / 3 / 18.
Systems: the attribute values joined; ``listingforge describe`` as the CLI runs it (DescriptionTask:
compose_description fit on the train part, 3 candidates, checks, rule score with the catalog's length and style,
best selected), the catalog style and, with ``--styles``, each style; the nearest catalog copy (the train
description of the product sharing the most values: how a human's copy of a similar product scores — zh ROUGE-L char
0.184 on the held-out fifth, below ours, while Myntra's per-brand templates give 0.52); and the reference copy.
Decoding: deterministic, seed 0. ``--out DIR`` also writes each system's texts (id, text) as JSON lines, for
review packets.
"""

from __future__ import annotations

import argparse
import json
import re
import time
import zlib
from pathlib import Path

from listingforge.compliance import Checker, CopyIndex, Lexicon
from listingforge.evaluate.metrics import bleu, distinct_n, hallucination_rate, rouge
from listingforge.generate.compose_description import DescriptionComposer
from listingforge.generate.describe_claims import ClaimModel, ProductFacts
from listingforge.generate.describe_english import title_key_words
from listingforge.generate.describe_quality import (
    fragments,
    repeated,
    stacked_praise,
    stock_clauses,
    stock_share,
    stuffed,
)
from listingforge.generate.describe_text import printed_names, sentences
from listingforge.platforms import load_platform
from listingforge.product import Product
from listingforge.tasks.describe import DescriptionTask, description_columns


def load(path: Path) -> list[Product]:
    return [Product(**json.loads(ln)) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def held_out(p: Product) -> bool:
    return zlib.crc32(p.id.encode()) % 5 == 0


def dev_fold(p: Product) -> bool:
    return zlib.crc32((p.id + "|dev").encode()) % 4 == 0


def nearest_copy(product: Product, train: list[Product]) -> str:
    """The description of the train product sharing the most attribute values with ``product`` (Jaccard)."""
    mine = {v for _n, v in product.attributes}

    def overlap(q: Product) -> float:
        theirs = {v for _n, v in q.attributes}
        return len(mine & theirs) / max(1, len(mine | theirs))

    return max(train, key=overlap).description or ""


def ordinary_names(train: list[Product], share: float = 0.02) -> set[str]:
    """Attribute names the catalog's own copy uses as words (版型, 风格) in at least ``share`` of descriptions."""
    names = {n for p in train for n, _v in p.attributes}
    texts = [(p.description or "").lower() for p in train]
    return {n for n in names if sum(n.lower() in t for t in texts) >= share * len(texts)}


def run_task(task: DescriptionTask, products: list[Product]) -> tuple[list[str], float]:
    t0 = time.perf_counter()
    texts = [description_columns(task.run(p))["new_description"] for p in products]
    return texts, (time.perf_counter() - t0) / len(products)


def missing(text: str, product: Product, claims: ClaimModel, lang: str) -> list[str]:
    """The key facts a text leaves unsaid."""
    low = text.lower()
    if lang != "zh":  # said in any form: "stretchable" as "stretch", "boxer" as "boxers", "regular-fit" as two
        said = {_stem(w) for w in re.findall(r"[a-z0-9.]+", low)}
        return [w for w in title_key_words(product)
                if not all(_stem(part) in said for part in re.findall(r"[a-z0-9.]+", w))]
    facts = ProductFacts.of(product, claims.data)
    said = set(claims.named_values(text, facts))
    optional = claims.data.quality.optional_values
    # a product word said as part of the product's compound name: 包臀 of "包臀连衣裙" says 包臀裙
    parts = {v: spec[0] for v, spec in claims.data.nouns.modifiers.items()}
    return [v for v, a in facts.values.items() if v not in said and v not in optional and v not in low
            and v not in facts.rivals
            and a != "类型" and not (v in parts and parts[v] in low)]


def _stem(word: str) -> str:
    return re.sub(r"(able|es|s)$", "", word.rstrip(".")) or word


def reader_flaws(text: str, product: Product, claims: ClaimModel, lang: str) -> dict[str, bool]:
    facts = ProductFacts.of(product, claims.data)
    return {"unsupported": any(ws for _c, ws in claims.by_clause(text, facts)),
            "fragment": bool(fragments(text, claims.data, facts.values)),
            "redundant": bool(repeated(text, claims.data, claims.segmenter.cut, facts.values)
                              or stacked_praise(text, claims.data, facts.values)),
            "stuffing": bool(stuffed(text, claims.data, facts.values)),
            "missing": bool(missing(text, product, claims, lang))}


def run(name: str, train: list[Product], test: list[Product], lang: str, platform: str, out: Path | None,
        styles: bool, compare: dict[str, Path]) -> None:
    refs = [p.description or "" for p in test]
    # the products as the generator sees them: no reference text (English keeps its title: it is an input)
    bare = [p.model_copy(update={"description": None, **({"title": None} if lang == "zh" else {})}) for p in test]
    seen = [p.model_copy(update={"description": None}) for p in [*train, *test]]
    checker = Checker(platform, lexicon=Lexicon().fit(seen))
    t0 = time.perf_counter()
    composer = DescriptionComposer().fit(train, lexicon=checker.lexicon)
    fit_s = time.perf_counter() - t0
    ordinary = ordinary_names(train)
    rows: dict[str, tuple[list[str], float]] = {}
    sep = "，" if lang == "zh" else ", "
    rows["attribute values joined"] = ([sep.join(v for n, v in p.attributes if n.lower() not in ("brand", "品牌"))
                                        for p in bare], 0.0)
    for style in (None, "简洁", "种草", "专业") if styles else (None,):
        task = DescriptionTask(platform=load_platform(platform), checker=checker, composer=composer, style=style)
        rows[f"listingforge describe ({style or 'catalog style'})"] = run_task(task, bare)
    # what ROUGE gives a human's copy of another product: the train description of the product whose values are most
    # like this one's (a ceiling for copy written from the facts alone, not by this copywriter for this product)
    rows["nearest catalog copy (similar product)"] = ([nearest_copy(p, train) for p in test], 0.0)
    for label, path in compare.items():  # texts written elsewhere (an earlier version), scored the same way
        texts = {r["id"]: r["text"] for r in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if r}
        if all(p.id in texts for p in test):
            rows[label] = ([texts[p.id] for p in test], 0.0)
    rows["reference (human copy)"] = (refs, 0.0)
    claims = composer.models_[lang].claims
    # the reader's facts for English: the title is one (the claims are judged against title and attributes)
    judged = test if lang != "zh" else bare

    print(f"\n## {name}: {len(test)} products written, phrasing learned from {len(train)} (fit {fit_s:.1f}s)\n")
    if lang == "zh":
        index = CopyIndex().fit(refs, ids=[p.id for p in test])
        head = ["BLEU-4 jieba", "BLEU-4 zh-tok", "ROUGE-L char", "ROUGE-L jieba", "distinct-2"]
    else:
        head = ["BLEU-4 13a", "ROUGE-L words", "distinct-2"]
    head += ["ungrounded", "names", "unsupported", "fragment", "redundant", "stuffing", "missing", "stock", "sentences",
             "chars", "ms/product"] + (["copied"] if lang == "zh" else [])
    print("| system | " + " | ".join(head) + " |")
    print("|---" * (len(head) + 1) + "|")
    for sys_name, (hyps, per) in rows.items():
        ungrounded = hallucination_rate([f for f in checker.check(h, p, field="description")
                                         if f.rule.startswith("grounding.")] for h, p in zip(hyps, bare, strict=True))
        names = sum(bool(printed_names(h, [n for n, _v in p.attributes], ordinary))
                    for h, p in zip(hyps, bare, strict=True)) / len(hyps)
        flaws = [reader_flaws(h, p, claims, lang) for h, p in zip(hyps, judged, strict=True)]
        share = {k: sum(f[k] for f in flaws) / len(flaws) for k in ("unsupported", "fragment", "redundant",
                                                                         "stuffing", "missing")}
        stock = stock_clauses(hyps, lang)
        stocky = sum(stock_share(h, stock, lang) for h in hyps) / len(hyps)
        n_sents = sum(len(sentences(h, lang)) for h in hyps) / len(hyps)
        length = sum(len(h) for h in hyps) / len(hyps)
        ms = f"{per * 1000:.1f}" if per else ""
        ref = sys_name.startswith("reference")
        if lang == "zh":
            scores = ["–"] * 4 if ref else [f"{bleu(hyps, refs, 'zh', 'jieba'):.2f}", f"{bleu(hyps, refs, 'zh'):.2f}",
                                             f"{rouge(hyps, refs, 'zh'):.3f}",
                                             f"{rouge(hyps, refs, 'zh', tokens='jieba'):.3f}"]
            scores.append(f"{distinct_n(hyps, 2, 'zh'):.3f}")
        else:
            scores = ["–"] * 2 if ref else [f"{bleu(hyps, refs, 'en'):.2f}", f"{rouge(hyps, refs, 'en'):.3f}"]
            scores.append(f"{distinct_n(hyps, 2, 'en'):.3f}")
        scores += [f"{ungrounded:.3f}", f"{names:.3f}", *(f"{share[k]:.3f}" for k in share), f"{stocky:.3f}",
                   f"{n_sents:.1f}", f"{length:.0f}", ms]
        if lang == "zh":
            copied = sum(bool(index.check(h, exclude=[p.id])) for h, p in zip(hyps, test, strict=True)) / len(hyps)
            scores.append(f"{copied:.3f}")
        print(f"| {sys_name} | " + " | ".join(scores) + " |")
        if out is not None:
            slug = sys_name.split(" (")[-1].rstrip(")").replace(" ", "_") if "(" in sys_name else sys_name.split()[0]
            with open(out / f"{lang}_{slug}.jsonl", "w", encoding="utf-8") as f:
                for p, h in zip(test, hyps, strict=True):
                    f.write(json.dumps({"id": p.id, "text": h}, ensure_ascii=False) + "\n")
    print(f"\nattribute names the copy uses as words: {', '.join(sorted(ordinary)) or 'none'}")


def agreement(judged: Path, train: list[Product]) -> None:
    """Per defect kind, how the reader metrics and a reviewer's judgments of the same texts agree."""
    claims = DescriptionComposer().fit(train).models_["zh"].claims
    table = {k: [0, 0, 0, 0] for k in ("unsupported", "fragment", "redundant", "stuffing")}
    rows = [json.loads(ln) for ln in judged.read_text(encoding="utf-8").splitlines() if ln.strip()]
    for i, r in enumerate(rows):
        p = Product(id=f"judged-{i}", lang="zh", attributes=[tuple(a) for a in r["facts"]["attributes"]],
                    category=r["facts"].get("category"))
        ours = reader_flaws(r["ours"], p, claims, "zh")
        theirs = {d["code"] for d in r["defects"]}
        for k, cell in table.items():
            cell[0 if ours[k] and k in theirs else 1 if ours[k] else 2 if k in theirs else 3] += 1
    print(f"\n## agreement with a reader: {judged} ({len(rows)} texts)\n")
    print("| defect | both | metric only | reviewer only | neither |\n|---|---|---|---|---|")
    for k, (both, mine, theirs, neither) in table.items():
        print(f"| {k} | {both} | {mine} | {theirs} | {neither} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "data")
    ap.add_argument("--myntra", type=int, default=500, help="held-out Myntra rows to write")
    ap.add_argument("--myntra-fit", type=int, default=4000, help="Myntra train rows to learn from")
    ap.add_argument("--dev", action="store_true", help="the tuning fold of the train part, not the held-out fifth")
    ap.add_argument("--styles", action="store_true", help="also each style (简洁 / 种草 / 专业)")
    ap.add_argument("--only", choices=("zh", "en"), default=None, help="one language only")
    ap.add_argument("--out", type=Path, default=None, help="write each system's texts here (JSON lines)")
    ap.add_argument("--judged", type=Path, default=None,
                    help="a reviewer's judgments of zh texts: print how the reader metrics agree with them")
    ap.add_argument("--compare", action="append", default=[], metavar="LABEL=FILE",
                    help="also score texts from a JSON-lines file (id, text), e.g. an earlier version's --out")
    args = ap.parse_args()
    if not args.data.is_dir():
        raise SystemExit(f"no shared data at {args.data}: pass --data")
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)

    def split(rows: list[Product]) -> tuple[list[Product], list[Product]]:
        train = [p for p in rows if not held_out(p)]
        if args.dev:
            return [p for p in train if not dev_fold(p)], [p for p in train if dev_fold(p)]
        return train, [p for p in rows if held_out(p)]

    compare = {label: Path(path) for label, path in (c.split("=", 1) for c in args.compare)}
    if args.judged is not None:
        agreement(args.judged, [p for p in load(args.data / "zh_advertisegen_descriptions.jsonl") if not held_out(p)])
        return
    if args.only in (None, "zh"):
        train, test = split(load(args.data / "zh_advertisegen_descriptions.jsonl"))
        run("zh_advertisegen_descriptions" + (" (dev fold)" if args.dev else ""), train, test, "zh", "taobao",
            args.out, args.styles, compare)
    if args.only in (None, "en") and args.myntra > 0:  # --myntra 0: no English products to write
        train, test = split(load(args.data / "en_myntra_catalog.jsonl"))
        run("en_myntra_catalog" + (" (dev fold)" if args.dev else ""), train[:args.myntra_fit], test[:args.myntra],
            "en", "amazon", args.out, args.styles, compare)


if __name__ == "__main__":
    main()
