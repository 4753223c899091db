"""Short titles of real seller titles: what the main job's ``--short`` column writes, and the cuts a seller sees.

    .venv/bin/python benchmarks/short_titles.py [--rows 0:400] [--units 40] [--out DIR] [--versus DIR]

Data: zh_taobao_cosmetics_sales and zh_openbg_titles (../shared/data), each shuffled with ``random.Random(5)``; the
rows given (the blind reviews of 2026-11-27 used 400:600, 600:800 and 1000:1200; 0:400 were read while writing
the shortener). Each title goes through ``Engine("taobao", short=UNITS).titles`` (fit on the same rows), which
checks and fixes the long title first, then shortens it.

Printed per set: titles; short = long (the long one fits); short titles that begin with a piece of a seller's
bracketed tag ("11预售…", "预售…"); short titles with a cut word — a word of the long title kept without the lone
character jieba split from it on either side (手机|壳 → 手机, 无|硅油 → 硅油), by jieba's own segmentation, so it
also counts a character left out with its whole piece: a count to compare between versions, not a verdict.
``--out`` writes ``<set>.jsonl`` (id, long, short) for the review packet (../shared/review/make_packet.py);
``--versus`` counts the short titles that differ from another run's files.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from listingforge.engine import Engine
from listingforge.product import Product
from listingforge.text.lang import is_cjk_char
from listingforge.text.segment import default_segmenter

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
SETS = {"cosmetics": "zh_taobao_cosmetics_sales.jsonl", "openbg": "zh_openbg_titles.jsonl"}
TAG_PIECE = re.compile(r"^(?:11|预售|\d+折)")


def load(name: str, rows: slice) -> list[Product]:
    products = [Product(**json.loads(line)) for line in (DATA / name).open(encoding="utf-8")]
    products = [p for p in products if p.title]
    random.Random(5).shuffle(products)
    return products[rows]


def cut_words(long: str, short: str) -> list[str]:
    """Lone characters glued to a word of ``long`` whose word ``short`` keeps without them on either side."""
    toks = default_segmenter().spans(long)
    flat = short.replace(" ", "")
    out = []
    for i, (tok, a, b) in enumerate(toks):
        if len(tok) != 1 or not is_cjk_char(tok):
            continue
        left = toks[i - 1][0] if i and toks[i - 1][2] == a and len(toks[i - 1][0]) > 1 else None
        right = toks[i + 1][0] if i + 1 < len(toks) and toks[i + 1][1] == b and len(toks[i + 1][0]) > 1 else None
        kept = (left and left + tok in flat) or (right and tok + right in flat)
        if not kept and ((left and left in flat) or (right and right in flat)):
            out.append(f"{left or ''}|{tok}|{right or ''}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", default="0:400", help="rows of each shuffled set, start:end")
    ap.add_argument("--units", type=int, default=40, help="short title limit in width units (20 汉字 = 40)")
    ap.add_argument("--out", type=Path, help="write <set>.jsonl (id, long, short) here")
    ap.add_argument("--versus", type=Path, help="another run's --out folder: count the short titles that differ")
    args = ap.parse_args()
    if not DATA.is_dir():
        raise SystemExit(f"data not found: {DATA} (the shared data folder is needed for this benchmark)")
    a, b = (int(x) for x in args.rows.split(":"))
    print("| set | titles | short = long | begins with a tag's piece | a cut word | differ from --versus |")
    print("|---|---|---|---|---|---|")
    for label, name in SETS.items():
        products = load(name, slice(a, b))
        results = Engine("taobao", short=args.units).titles(products)
        by = {(r.product_id, r.task): r for r in results}
        rows = []
        for p in products:
            long, short = (by[(p.id, t)].best for t in ("title", "short_title"))
            rows.append({"id": p.id, "long": long.candidate.text if long else "",
                         "short": short.candidate.text if short else ""})
        if args.out:
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"{label}.jsonl").write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        differ = "–"
        if args.versus and (args.versus / f"{label}.jsonl").is_file():
            other = {json.loads(line)["id"]: json.loads(line)["short"]
                     for line in (args.versus / f"{label}.jsonl").open(encoding="utf-8")}
            differ = str(sum(other.get(r["id"]) != r["short"] for r in rows))
        fits = sum(r["short"] == r["long"] for r in rows)
        tags = sum(bool(TAG_PIECE.match(r["short"])) for r in rows)
        cut = sum(bool(cut_words(r["long"], r["short"])) for r in rows)
        print(f"| {label} | {len(rows)} | {fits} | {tags} | {cut} | {differ} |")


if __name__ == "__main__":
    main()
