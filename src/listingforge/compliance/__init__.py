"""Checks that return findings with positions and fixes: law terms, marketplace rules, grounding, copying.

``Checker(platform).check(text, product)`` runs everything that applies to the platform;
``check_and_fix`` applies the safe fixes (delete a banned term or an invented fact, cut at a word
boundary) and checks again, so what is left is what a person must look at. With a ``CopyIndex`` of
competitors' descriptions, a description that copies one is an error (``copy.competitor``) with no fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ..knowledge.product_words import load_product_words
from ..platforms import Platform, load_platform
from ..product import Finding, Product
from ..text.find import find_all
from ..text.lang import detect_lang
from ..text.length import prepare_width
from ..text.segment import Segmenter, default_segmenter
from .copying import CopyIndex
from .facts import check_facts
from .fixes import apply_fixes, fit_length, leaves_fragment, tidy, whole_segment
from .grounding import Lexicon, check_grounding, product_source_text
from .platform_rules import (
    TITLE_FIELDS,
    check_bullets,
    check_caps,
    check_chars,
    check_length,
    check_promo,
    check_repeats,
    prepare_bullets,
    prepare_promo,
)
from .terms import check_terms, load_law, load_term_classes

__all__ = ["Checker", "CopyIndex", "check_title", "Lexicon", "apply_fixes", "check_grounding", "check_terms",
           "fit_length", "product_source_text", "tidy"]


class Checker:
    """All checks for one platform. Cheap to build; the lexicon and segmenter are shared, not copied."""

    def __init__(
        self,
        platform: Platform | str = "generic",
        *,
        lexicon: Lexicon | None = None,
        segmenter: Segmenter | None = None,
        allow_terms: Iterable[str] = (),
        grounding: bool = True,
        copy_index: CopyIndex | None = None,
    ) -> None:
        self.platform = load_platform(platform) if isinstance(platform, str) else platform
        self.lexicon = lexicon if lexicon is not None else Lexicon()
        self.segmenter = segmenter if segmenter is not None else default_segmenter()
        self.allow_terms = tuple(allow_terms)
        self.grounding = grounding
        self.copy_index = copy_index  # competitors' descriptions: a description must not copy one

    def prepare(self) -> Checker:
        """Build now what the checks otherwise build at their first use: jieba's dictionary (not for an
        English marketplace: English text is split without it, and a Chinese title there loads it on demand),
        the lexicon's automaton, the law's term patterns, the promotional phrases and (for a marketplace that
        counts CJK as 2) the wide-character class. Before forking workers, so that each need not build them."""
        if self.platform.lang != "en":
            self.segmenter.load()
        self.lexicon.prepare()
        for law in self.platform.laws:
            load_term_classes(law)
        prepare_promo(self.platform)
        prepare_bullets(self.platform)
        limits = (self.platform.title, self.platform.short_title, self.platform.description)
        if any(lim is not None and lim.unit == "width" for lim in limits):
            prepare_width()
        return self

    def check(
        self,
        text: str,
        product: Product | None = None,
        *,
        field: str = "title",
        max_units: int | None = None,
        source: str | None = None,
        grounding_mode: str = "strict",
        grounding: bool | None = None,
    ) -> list[Finding]:
        """All findings for ``text``; ``grounding`` overrides the checker's setting for this call."""
        p = self.platform
        brand = product.brand if product else None
        findings: list[Finding] = []
        if field in ("title", "short_title", "description", "search_terms"):
            findings += check_length(text, p, field, max_units)
        lang = (product.lang if product and product.lang else None) or detect_lang(text)
        for law in p.laws:
            if p.lang == "any" and load_law(law).lang not in ("", lang):
                continue  # on a generic platform, a country's law applies to text in its language
            findings += check_terms(text, law, field=field, allow=(*self.allow_terms, brand or ""),
                                    category=lambda: category_text(product), segmenter=self.segmenter,
                                    names=None if brand else registered_brands)
        # character, repeat and capitals rules are title rules; promotional ones read the fields the platform names
        title_like = field in TITLE_FIELDS
        findings += check_chars(text, p, field, brand, marketplace_chars=title_like)
        if field in p.promo_fields:
            findings += check_promo(text, p, field)
        if title_like:
            findings += check_repeats(text, p, field, self.segmenter)
            if p.all_caps:
                # an ALL CAPS word is fine where the product's own data spells it so ("USB", "LED")
                keep = {w for v in [*(product.attribute_values() if product else []), brand or ""]
                        for w in v.split()}
                findings += check_caps(text, p, field, keep, brand_known=bool(brand))
        if field == "bullets":
            findings += check_bullets(text, p, field)
        if (self.grounding if grounding is None else grounding) and product is not None:
            if source is None:
                source = product_source_text(product, include_title=grounding_mode == "strict",
                                             include_description=grounding_mode == "strict")
            found = check_grounding(text, product, self.lexicon, field=field, source=source, mode=grounding_mode)
            skip = [(f.start, f.end) for f in found]
            if brand:  # the product's own brand is not a claim of anything else
                skip += find_all(brand, text, ignore_case=True)
            findings += found + check_facts(text, product, self.lexicon, field=field, source=source,
                                            mode=grounding_mode, segmenter=self.segmenter, skip=skip)
        if self.copy_index is not None and field == "description":
            findings += self.copy_index.check(text, field=field)
        return _dedupe(findings)

    def check_and_fix(
        self,
        text: str,
        product: Product | None = None,
        *,
        field: str = "title",
        max_units: int | None = None,
        source: str | None = None,
        grounding_mode: str = "strict",
        rounds: int = 3,
        fix_warnings: bool = True,
    ) -> tuple[str, list[Finding], list[Finding]]:
        """Returns (fixed text, findings fixed, findings left). A fix that would leave a fragment is not applied:
        its finding is left, marked, with the seller's wording kept. ``fix_warnings=False`` fixes errors only and
        reports warnings (a seller's own title: "AMOLED" is an acronym, not shouting)."""
        lim = self.platform.limit(field) if field != "tags" else None
        fixed: list[Finding] = []
        kw: dict[str, Any] = {"field": field, "max_units": max_units, "source": source,
                              "grounding_mode": grounding_mode}
        findings = self.safe_fixes(text, self.check(text, product, **kw), fix_warnings)
        for _ in range(rounds):
            if not any(f.fix is not None or f.rule.endswith(".length") for f in findings):
                break
            text, applied = apply_fixes(text, findings)
            fixed += applied
            too_long = [f for f in findings if f.rule.endswith(".length") and f not in applied]
            if too_long and lim is not None:
                text = fit_length(text, max_units if max_units is not None else lim.max, lim.unit, self.segmenter)
                fixed += too_long
            findings = self.safe_fixes(text, self.check(text, product, **kw), fix_warnings)
        return text, fixed, findings

    def _names_something(self, word: str) -> bool:
        """A word that says something on its own: a product word, a value or brand the lexicon knows."""
        w = word.lower()
        return w in load_product_words() or w in self.lexicon.values or w in self.lexicon.brands

    def safe_fixes(self, text: str, findings: list[Finding], fix_warnings: bool = True) -> list[Finding]:
        """The findings, with each fix that would leave a fragment withdrawn (``fix=None``) and said why (and,
        with ``fix_warnings=False``, the fix of every finding that is not an error)."""
        out = []
        for f in findings:
            if f.fix is not None and not fix_warnings and f.severity != "error":
                f = f.model_copy(update={"fix": None})
            if f.fix == "":
                f = whole_segment(text, f, self.segmenter, self._names_something)
            frag = leaves_fragment(text, f, self.segmenter) if f.fix is not None else None
            if frag is not None:
                f = f.model_copy(update={"fix": None, "message": f"{f.message}; not removed automatically: it "
                                                                  f"would leave {frag!r} — please reword"})
            out.append(f)
        return out


_CATEGORY_KEY = re.compile(r"类|产品|化妆品|文号|注册证|备案|category|type", re.IGNORECASE)


def category_text(product: Product | None) -> str | None:
    """What the product is, for laws that depend on it: its category and category-like attributes (品类,
    产品, 是否为特殊用途化妆品…) by name and value."""
    if product is None:
        return None
    parts = [product.category or ""]
    parts += [f"{k} {v}" for k, v in product.attributes if _CATEGORY_KEY.search(k) and "品牌" not in k]
    return " ".join(p for p in parts if p) or None


def registered_brands(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names a brand of the packaged brand list as its own (not "适用于…"): "酷冷至尊" is Cooler
    Master's registered Chinese name, not a claim to be the best. Only the curated list: a word a catalog's titles
    merely repeat is no registered name."""
    return [(m.start, m.end) for m in _packaged_brands().find(text) if m.role == "own"]


@lru_cache(maxsize=1)
def _packaged_brands() -> Any:
    from ..knowledge.brands import BrandFinder  # the brand layer is loaded only when a term is found

    return BrandFinder(learn=False).fit([])


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per span: a grounding finding inside a law finding's span is the same problem."""
    if len(findings) < 2:
        return findings
    out: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if f.end > f.start and any(g.start <= f.start and f.end <= g.end and g.end > g.start and g.fix is not None
                                   and not g.rule.endswith(".length") for g in out):
            continue
        out.append(f)
    return out


@lru_cache(maxsize=16)
def _checker(platform: str) -> Checker:
    return Checker(platform)


def check_title(text: str, product: Product | None = None, platform: str = "generic") -> list[Finding]:
    """Law and marketplace findings for one existing title (no grounding: it is the seller's own text)."""
    return _checker(platform).check(text, product, grounding=False)
