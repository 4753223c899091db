"""``optimize``: rewrites of a seller's title, each a list of edits with evidence.

The titles flow first applies the mandatory fixes (law, marketplace rules, what the facts contradict) to the
seller's title; that "base" is itself a candidate — unchanged is a valid answer. This generator proposes what
could make the base better, and only what the product's own data proves:
- the product's brand, when the title names no brand at all (never a second brand, never the shop's name over
  the brand the title already carries);
- the product word, when the title names no product at all;
- an attribute the catalog's sellers usually put in titles, when the title does not say it in any form;
- the seller's own search words (the keyword file) the facts do not contradict;
- the brand moved to the front, when it stands far from it.
Added words go at the end of a Chinese title and before the closing parenthetical of an English one; nothing
the seller wrote is removed here. The flow decides whether a rewrite is better by a clear margin.
"""

from __future__ import annotations

import re

from ..knowledge.brands import split_forms
from ..knowledge.catalog import ProductFacts
from ..knowledge.types import CONTRADICTING, load_types
from ..product import Candidate, Edit, Product, Task
from ..text.find import find_all, latin_at
from ..text.length import text_length
from ..text.normalize import join_words, normalize_spaces
from .base import Spec
from .compose import ComposeGenerator, Element

VERSION = 2
_TRAILING_GROUP = re.compile(r"\s*[(（][^()（）]*[)）]\s*$")


class OptimizeGenerator:
    """``generate("title", product, n, spec)`` with ``spec.extra["base"]`` (the title after mandatory fixes).

    composer: a fitted ``ComposeGenerator`` (its elements are what a title may say, with their evidence).
    min_rate: how often the catalog's sellers must put an attribute in their titles before adding it is a gain.
    max_adds: at most this many words are added."""

    name = "optimize"

    def __init__(self, composer: ComposeGenerator, *, min_rate: float = 0.5, max_adds: int = 3) -> None:
        self.composer = composer
        self.min_rate = min_rate
        self.max_adds = max_adds

    def generate(self, task: Task, product: Product, n: int, spec: Spec) -> list[Candidate]:
        base = spec.extra.get("base", product.title or "")
        facts: ProductFacts = spec.extra.get("facts") or self.composer.knowledge_.facts(product)
        if not base:
            return []
        low = base.lower()
        els = self.composer.elements(facts, spec.keywords, spec.extra.get("scoped_keywords", ()))
        gaps = [e for e in els if self._is_gap(e, low, facts)][: self.max_adds]
        out: list[Candidate] = []
        added_text, edits = self._append(base, gaps, spec)
        if edits:
            out.append(self._candidate(added_text, edits, "add", task))
        moved = self._brand_first(base, facts)
        if moved is not None:
            text, move = moved
            out.append(self._candidate(text, [move], "brand first", task))
            more_text, more = self._append(text, gaps, spec)
            if more:
                out.append(self._candidate(more_text, [move, *more], "brand first + add", task))
        return out[:n]

    @staticmethod
    def _candidate(text: str, edits: list[Edit], plan: str, task: Task) -> Candidate:
        return Candidate(text=text, task=task, generator=f"optimize@{VERSION}", edits=edits, meta={"plan": plan})

    def _is_gap(self, e: Element, low: str, facts: ProductFacts) -> bool:
        """Whether the title lacks what ``e`` says, in every form it could say it."""
        if _says(e.text, low):
            return False
        knowledge = self.composer.knowledge_
        if e.kind == "brand":
            # a title that names any brand keeps it: the brand column may be the shop, not the brand
            return not knowledge.names_a_brand(low, facts)
        if e.kind == "product_word":
            # a word added to the seller's title needs the product's own data behind it: a category (metadata)
            # or what other titles of the category say names the product in a new title, never in the seller's
            return e.evidence.startswith("attribute") and not knowledge.names_a_product(low, facts)
        if e.kind == "keyword":
            return True
        f = e.fact
        if f is None or f.rate < self.min_rate or facts.lang == "en":
            return False  # an English title is left to its seller's order: only brand, product, keywords
        if any(_says(part, low) for part in re.split(r"[/、,，;；|]", f.value) if len(part.strip()) >= 2):
            return False
        if f.type in CONTRADICTING:  # 女 is said by 女士, 女款…
            types = load_types()
            stated = types.canonicals_in(f.type, f.value)
            said = {form.canonical for w, forms in types.forms.items() if _says(w, low) for form in forms
                    if form.type == f.type}
            if any(types.fits(f.type, s, c) for s in stated for c in said):
                return False
        return True

    def _append(self, base: str, gaps: list[Element], spec: Spec) -> tuple[str, list[Edit]]:
        text, edits = base, []
        for e in gaps:
            if e.kind == "brand":
                trial = join_words([e.text, text]) if spec.lang != "en" else f"{e.text} {text}"
            elif spec.lang == "en":
                tail = _TRAILING_GROUP.search(text)
                head, rest = (text[:tail.start()], text[tail.start():]) if tail else (text, "")
                trial = normalize_spaces(f"{head} {e.text}{rest}")
            elif _spaced(text):  # a title written in spaced segments gets one more segment
                trial = f"{text} {e.text}"
            else:
                trial = join_words([text, e.text])
            if text_length(trial, spec.unit) <= spec.max_units:
                text = trial
                edits.append(Edit(kind="add", new=e.text, reason=_ADD_REASON[e.kind], evidence=e.evidence))
        return text, edits

    @staticmethod
    def _brand_first(base: str, facts: ProductFacts) -> tuple[str, Edit] | None:
        if not facts.brand:
            return None
        low = base.lower()
        for form in split_forms(facts.brand):
            at = low.find(form.lower())
            if at < 0:
                continue
            if at <= 6 or base[:at].strip().startswith(("【", "[")):
                return None  # at the front already, or after the seller's own bracketed tag
            rest = normalize_spaces(base[:at] + " " + base[at + len(form):])
            return (join_words([base[at:at + len(form)], rest]),
                    Edit(kind="reorder", old=base[at:at + len(form)], reason="brand to the front",
                         evidence=f"brand {facts.brand}"))
        return None


_ADD_REASON = {"brand": "brand missing", "product_word": "product word missing",
               "attribute": "key attribute missing", "keyword": "your search word"}


def _spaced(text: str) -> bool:
    """Whether a Chinese title separates its segments with spaces ("花语 新款 女士羊毛大衣")."""
    return re.search(r"[\u4e00-\u9fff] +[\u4e00-\u9fff]", text) is not None


def _says(phrase: str, low: str) -> bool:
    """Whether a lower-case title says ``phrase``: an English one as whole words, a Chinese one anywhere."""
    p = phrase.lower().strip()
    if not p or not p.isascii():
        return bool(p) and p in low
    return any(not latin_at(low, s - 1) and not latin_at(low, e) for s, e in find_all(p, low))

