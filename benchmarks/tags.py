"""Benchmark the tagger on the shared data: attribute span F1 per type, category accuracy, speed.

    .venv/bin/python benchmarks/tags.py [--data ../shared/data] [--folds 5] [--only ner|mepave|en|category ...]

- zh_title_ner_brand_product: train on .train (3,989 titles), score on .dev (500); exact span match. Every
  title is annotated, so a title with no span is given to ``fit`` as a negative (``spans=[]``), not skipped
  (331 train titles, 129 of them with no CJK at all: the annotators tagged no brand in English titles).
- zh_mepave_attributes (234 sentences): k-fold cross-validation, spans given by the data.
- en_ae110k / en_oamine .train: 80/20 split by id hash; gold spans = the attribute values found in the
  title (what a seller's filled-in attributes give), so this measures learning from a catalog.
- zh_openbg_category_{coarse,fine}: k-fold accuracy of the full path and of its first level; "ceiling" is
  the share of held-out rows whose category occurs in the training folds at all (106 classes in 250 rows).
Baseline for the spans: the learned dictionary alone (longest match of values seen in training).

    .venv/bin/python benchmarks/tags.py --llm 40 [--model embedded|embedded-small|PATH] [--backend ...]

compares the trained extractor with the language-model extractor (JSON under a schema, spans located in
code) on the first N dev titles of zh_title_ner, per type, and says which to keep for each type.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
import zlib
from collections import Counter
from pathlib import Path

from listingforge.product import Product
from listingforge.tagging import AttributeExtractor, CategoryClassifier
from listingforge.tagging.base import canonical_type, training_spans
from listingforge.tagging.extractor import Lexicon


def load(path: Path) -> list[Product]:
    return [Product(**json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def prf(gold: list[set], pred: list[set], types: list[str] | None = None) -> dict[str, tuple[float, float, float, int]]:
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, pred, strict=True):
        for x in p:
            (tp if x in g else fp)[x[2]] += 1
        for x in g - p:
            fn[x[2]] += 1
    out = {}
    for t in [*(types or sorted(set(tp) | set(fn))), "micro"]:
        a, b, c = (sum(d.values()) for d in (tp, fp, fn)) if t == "micro" else (tp[t], fp[t], fn[t])
        p = a / (a + b) if a + b else 0.0
        r = a / (a + c) if a + c else 0.0
        out[t] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, a + c)
    return out


def gold_spans(products: list[Product]) -> list[set]:
    return [set(training_spans(p)) for p in products]


def run_spans(name: str, train: list[Product], test: list[Product], types: list[str] | None, rows: list,
              *, labelled: bool = False) -> None:
    """``labelled``: every product's spans are an annotation, an empty one included (a negative example)."""
    t0 = time.perf_counter()
    ex = AttributeExtractor().fit(train, [training_spans(p) for p in train] if labelled else None)
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    pred = ex.predict([p.title for p in test])
    per_s = len(test) / (time.perf_counter() - t0)
    gold = gold_spans(test)
    crf = prf(gold, [{(t.start, t.end, t.type) for t in tags} for tags in pred], types)
    lex = Lexicon((p.title[s:e], canonical_type(t)) for p in train for s, e, t in training_spans(p))
    base = prf(gold, [set(lex.matches(p.title or "")) for p in test], types)
    for t in crf:
        rows.append((name, t, crf[t][3], *crf[t][:3], base[t][2], fit_s if t == "micro" else None,
                     per_s if t == "micro" else None))


def folds(items: list, k: int) -> list[tuple[list, list]]:
    return [([x for i, x in enumerate(items) if i % k != f], [x for i, x in enumerate(items) if i % k == f])
            for f in range(k)]


def run_cv_spans(name: str, items: list[Product], k: int, types: list[str] | None, rows: list) -> None:
    gold_all, crf_all, lex_all = [], [], []
    t_fit = 0.0
    for train, test in folds(items, k):
        t0 = time.perf_counter()
        ex = AttributeExtractor().fit(train)
        t_fit += time.perf_counter() - t0
        gold_all += gold_spans(test)
        crf_all += [{(t.start, t.end, t.type) for t in tags} for tags in ex.predict([p.title for p in test])]
        lex = Lexicon((p.title[s:e], canonical_type(t)) for p in train for s, e, t in training_spans(p))
        lex_all += [set(lex.matches(p.title or "")) for p in test]
    crf, base = prf(gold_all, crf_all, types), prf(gold_all, lex_all, types)
    for t in crf:
        rows.append((f"{name} ({k}-fold)", t, crf[t][3], *crf[t][:3], base[t][2],
                     t_fit / k if t == "micro" else None, None))


def split(items: list[Product], test_share: float = 0.2) -> tuple[list[Product], list[Product]]:
    test = [p for p in items if zlib.crc32(p.id.encode()) % 100 < test_share * 100]
    return [p for p in items if p not in test], test


def run_category(name: str, items: list[Product], k: int) -> tuple:
    ok = top = seen = n = 0
    t_fit = 0.0
    for train, test in folds(items, k):
        t0 = time.perf_counter()
        with warnings.catch_warnings():  # many classes with one example each: sklearn warns, rightly
            warnings.simplefilter("ignore", UserWarning)
            clf = CategoryClassifier().fit(train)
        t_fit += time.perf_counter() - t0
        known = {p.category for p in train}
        for p, c in zip(test, clf.predict(test), strict=True):
            n += 1
            ok += c == p.category
            top += c.split(" > ")[0] == (p.category or "").split(" > ")[0]
            seen += p.category in known
    return (name, n, len({p.category for p in items}), ok / n, top / n, seen / n, t_fit / k)


def compare_llm(d: Path, n: int, backend: str | None, model: str, base_url: str | None) -> None:
    """Trained extractor vs language model on the same N dev titles, brand and product word."""
    from listingforge.generate.backends import make_backend
    from listingforge.tagging.llm_extractor import LLMTagExtractor

    train = load(d / "zh_title_ner_brand_product.train.jsonl")
    dev = load(d / "zh_title_ner_brand_product.dev.jsonl")[:n]
    gold = gold_spans(dev)
    crf = AttributeExtractor().fit(train)
    t0 = time.perf_counter()
    crf_pred = [{(t.start, t.end, t.type) for t in tags} for tags in crf.predict([p.title for p in dev])]
    crf_s = (time.perf_counter() - t0) / n
    llm = LLMTagExtractor(make_backend(backend, model=model, base_url=base_url), types=("brand", "product"))
    t0 = time.perf_counter()
    llm_pred = [{(t.start, t.end, t.type) for t in tags} for tags in llm.predict([p.title for p in dev])]
    llm_s = (time.perf_counter() - t0) / n
    a, b = prf(gold, crf_pred, ["brand", "product"]), prf(gold, llm_pred, ["brand", "product"])
    print(f"\n## Trained extractor vs language model ({model}), first {n} zh_title_ner dev titles\n")
    print("| type | gold | F1 trained (CRF) | F1 LLM | keep |")
    print("|---|---|---|---|---|")
    for t in ("brand", "product", "micro"):
        keep = "" if t == "micro" else ("llm" if b[t][2] > a[t][2] else "trained")
        print(f"| {t} | {a[t][3]} | {a[t][2]:.3f} | {b[t][2]:.3f} | {keep} |")
    print(f"\nseconds per title: trained {crf_s:.4f}, LLM {llm_s:.2f}; LLM output: {dict(llm.stats)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "data")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--only", nargs="+", choices=["ner", "mepave", "en", "category"],
                    help="run only these parts (default: all)")
    ap.add_argument("--llm", type=int, default=0, help="compare with the LLM extractor on N dev titles")
    ap.add_argument("--backend", default=None, help="llama_cpp | openai_compat | local_hf (default: env)")
    ap.add_argument("--model", default="embedded", help="model for --llm (default: the embedded 1.5B)")
    ap.add_argument("--base-url", default=None)
    args = ap.parse_args()
    d = args.data
    if not d.is_dir():
        raise SystemExit(f"no shared data at {d}: pass --data")
    if args.llm:
        compare_llm(d, args.llm, args.backend, args.model, args.base_url)
        return
    parts = set(args.only or ["ner", "mepave", "en", "category"])
    rows: list = []
    if "ner" in parts:
        run_spans("zh_title_ner (train→dev)", load(d / "zh_title_ner_brand_product.train.jsonl"),
                  load(d / "zh_title_ner_brand_product.dev.jsonl"), ["brand", "product"], rows, labelled=True)
    if "mepave" in parts:
        run_cv_spans("zh_mepave", load(d / "zh_mepave_attributes.jsonl"), args.folds,
                     ["material", "pattern", "style", "color"], rows)
    for f, types in (("en_ae110k_attributes.train.jsonl", ["brand", "model", "Sport Type", "audience"]),
                     ("en_oamine_attributes.train.jsonl", ["brand", "net_content", "Item form", "color"])):
        if "en" in parts:
            train, test = split(load(d / f))
            run_spans(f.split("_attributes")[0] + " (80/20)", train, test, types, rows)
    if rows:
        print_span_rows(rows)
    if "category" in parts:
        print_category(d, args.folds)


def print_span_rows(rows: list) -> None:
    print("\n## Attribute spans (exact match)\n")
    print("| data | type | gold | P | R | F1 | F1 dictionary baseline | fit s | titles/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for name, t, g, p, r, f1, b, fit_s, per_s in rows:
        print(f"| {name} | {t} | {g} | {p:.3f} | {r:.3f} | **{f1:.3f}** | {b:.3f} | "
              f"{'' if fit_s is None else f'{fit_s:.1f}'} | {'' if per_s is None else f'{per_s:.0f}'} |")


def print_category(d: Path, k: int) -> None:
    print("\n## Category (TF-IDF char 1–3-grams + logistic regression)\n")
    print("| data | rows | classes | accuracy (path) | accuracy (level 1) | ceiling (class seen) | fit s |")
    print("|---|---|---|---|---|---|---|")
    for f in ("coarse", "fine"):
        name, n, c, acc, top, seen, fit_s = run_category(f"zh_openbg_category_{f} ({k}-fold)",
                                                        load(d / f"zh_openbg_category_{f}.jsonl"), k)
        print(f"| {name} | {n} | {c} | **{acc:.3f}** | {top:.3f} | {seen:.3f} | {fit_s:.1f} |")


if __name__ == "__main__":
    main()
