"""Automatic detectors of what makes a seller refuse a rewritten or generated title.

Each looks at the output the way a reviewer would, from the product's data and the seller's own title, not at the
edits the generator says it made: a pasted category, a lost brand, a word added with no evidence, a fragment left by
a fix, a contradiction with a typed fact, a product word naming another product. They are the benchmark's harm
counts (benchmarks/title_review.py); the blind review stays the judge of quality.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..compliance.evidence import joined_from
from ..compliance.facts import own_value_spans, straddles
from ..knowledge.brands import declared_brand, split_forms
from ..knowledge.claims import product_typed
from ..knowledge.product_words import (
    category_levels,
    category_word,
    load_broader,
    load_product_words,
    named_kinds,
)
from ..knowledge.types import load_types
from ..product import Product
from ..text.find import outermost
from ..text.lang import cjk_count, is_cjk_char
from ..text.segment import Segmenter

_CONNECTORS = {"for", "with", "and", "&", "of", "to", "or", "by", "from"}
_LEANING = set("可能会让使令助帮防抗治去祛除无不非更超很")
_ORDINARY = {"hot", "sale", "new", "women", "woman", "men", "man", "ladies", "lady", "girls", "boys", "kids", "summer",
             "winter", "spring", "autumn", "fashion", "casual", "sexy", "plus", "mens", "womens", "the", "a", "best",
             "free", "high", "quality", "cheap", "2019", "2020", "2021", "2022", "2023", "baby", "cute", "big"}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


def _named_by_category(original: str, product: Product) -> set[str]:
    """A generated title (no seller's title) may name the product by the word its category's leaf gives (issue 15:
    the product word comes from the product's facts or its category's last level); a rewrite adds no category word."""
    word = None if original.strip() else category_word(product, load_product_words())
    return {word.lower()} if word else set()


def category_pasted(original: str, new: str, product: Product, keywords: Iterable[str] = ()) -> str | None:
    """A level of the product's category path that the new title says and the seller's title did not (a generated
    title's product word from the leaf aside)."""
    if not product.category:
        return None
    old, now = _norm(original), _norm(new)
    kws = {k.lower() for k in keywords}
    for word in _named_by_category(original, product):  # "食品" inside the leaf's own "天然粉粉食品" is no paste
        now = now.replace(word, " ")
    stated = _norm(" | ".join(v for _k, v in product.attributes))  # nor a level the product's data states (妆前打底)
    for level in category_levels(product.category):
        lv = level.lower()
        if len(lv) >= 2 and lv in now and lv not in old and lv not in kws and lv not in stated:
            return level
    if "|" in product.category and "|" in new and "|" not in original:
        return product.category
    return None


def brand_lost(original: str, new: str, product: Product) -> str | None:
    """The seller's brand, present in the seller's title, that the new title no longer names."""
    old, now = _norm(original), _norm(new)
    brand = declared_brand(product)
    if brand:
        shown = [f for f in split_forms(brand) if f.lower() in old]
        if shown and not any(f.lower() in now for f in shown):
            return shown[0]
    first = re.match(r"\s*([A-Za-z][A-Za-z0-9&'.\-]*)", original)
    # an English title without a brand column starts with its brand ("Wayona", "boAt", "OnePlus"), unless it
    # starts with an ordinary word ("Hot Sale …", "Women's …")
    if not brand and first and product.lang == "en" and len(first.group(1)) >= 2 \
            and first.group(1).lower().rstrip("'s") not in _ORDINARY:
        word = first.group(1).lower()
        if not re.search(r"(?<![a-z0-9])" + re.escape(word) + r"(?![a-z0-9])", now):
            return first.group(1)
    return None


def _evidence_text(product: Product, keywords: Iterable[str]) -> str:
    parts = [product.brand or "", *(f"{k} {v}" for k, v in product.attributes), product.description or "",
             *keywords, *named_kinds(product)]
    return _norm(" | ".join(parts))


def unevidenced_words(original: str, new: str, product: Product, segmenter: Segmenter,
                      keywords: Iterable[str] = (), allow: Iterable[str] = ()) -> list[str]:
    """Words of the new title found neither in the seller's title nor in the product's own data or keywords
    (``allow``: words that need none, such as the packaged claim-free words in a generated title)."""
    have = _norm(original) + " " + " ".join([*(w.lower() for w in allow), *_named_by_category(original, product)])
    src = _evidence_text(product, keywords)
    both = have + src
    out = []
    for tok in segmenter.cut(new):
        w = tok.lower()
        if not any(c.isalnum() for c in w) or (len(w) == 1 and not is_cjk_char(w)) or w in have or w in src:
            continue
        if not joined_from(w, both):
            out.append(tok)
    return out


def fragments(original: str, new: str, segmenter: Segmenter) -> list[str]:
    """Pieces a cut left behind: a lone CJK character the seller's title did not have as a word of its own,
    an English connector with nothing after it, a bracket opened and never closed."""
    out = []
    old = segmenter.cut(original)
    old_singles = {t for t in old if len(t) == 1}
    old_pairs = set(zip(old, old[1:], strict=False))
    toks = segmenter.cut(new)
    for i, tok in enumerate(toks):
        if len(tok) == 1 and is_cjk_char(tok) and tok not in old_singles:
            out.append("".join(toks[max(0, i - 1):i + 2]))
        # a one-character word that leaned on what was removed now leans on something else ("可失眠")
        elif tok in _LEANING and i + 1 < len(toks) and (tok, toks[i + 1]) not in old_pairs:
            out.append(tok + toks[i + 1])
    last = re.findall(r"[A-Za-z0-9&]+|[\u4e00-\u9fff]+|[,|;()（）【】\-]", new)[-1:]
    if last and last[0].lower() in _CONNECTORS and not original.rstrip().endswith(last[0]):
        out.append(last[0])
    if any(_unclosed(new, o, c) > _unclosed(original, o, c) for o, c in ("()", "（）", "【】")):
        out.append("unclosed bracket")
    return out


def _unclosed(text: str, opening: str, closing: str) -> int:
    return max(0, text.count(opening) - text.count(closing))


def contradictions(new: str, product: Product) -> list[str]:
    """Typed words of the new title (男士, 夏季, 大容量…) that disagree with what the product states."""
    types = load_types()
    stated = product_typed(product, types)
    if not stated:
        return []
    low = new.lower()
    out = []
    for word, forms in types.forms.items():
        if len(word) < 2 or word not in low:
            continue
        if not word.isascii() or re.search(r"(?<![a-z])" + re.escape(word) + r"(?![a-z])", low):
            for f in forms:
                have = stated.get(f.type)
                if have and not any(types.fits(f.type, h, f.canonical) for h in have):
                    out.append(word)
                    break
    return outermost(out)  # a word inside a longer one said above ("男" in "男士") is the same claim


def wrong_product_words(new: str, product: Product, original: str = "") -> list[str]:
    """Product words of the new title (连衣裙, 空调, "cable") found nowhere in the product's data or title, nor a
    broader kind of one found there (上衣 where the seller's title says 毛衣)."""
    src = _norm(" | ".join([product.category or "", product.title or "", original, product.description or "",
                            *(f"{k} {v}" for k, v in product.attributes), *named_kinds(product)]))
    src += " | " + " ".join(kind for word, kind in load_broader().items() if word in src)
    low = _norm(new)
    own = own_value_spans(low, product)
    out = []
    for w in sorted(load_product_words(), key=lambda w: (-len(w), w)):
        if len(w) < 2 or (not cjk_count(w) and len(w) < 4):
            continue  # short English words ("tv", "cap", "top") are too often part of other words
        if cjk_count(w):  # not where two of the product's own words meet ("防滑|板鞋" holds no 滑板)
            hit = any(not straddles(own, m.start(), m.end()) for m in re.finditer(re.escape(w), low))
        else:
            hit = re.search(r"(?<![a-z])" + re.escape(w) + r"s?(?![a-z])", low)
        if hit and w not in src and not any(w in o for o in out):
            out.append(w)
    return out
