"""The seller's own phrasing, learned from their catalog's descriptions: the clauses they write about each value.

``PhraseBook.fit(products)`` cuts every description into sentences and clauses (describe_text) and keeps, as a
``Phrase``, each clause alone and each clause with the one after it ("吊带露肩，凸显迷人小性感"). A phrase records the
values of its product that it names, where it stood (its sentence's relative position, whether it opened a
sentence or the description) and its product. A phrase that names a value its own product does not have, or
states something even its own product does not support (a rare detail, a count, a banned term), is not kept.

Two more kinds are derived:
- an opening ("这款衬衫采用…"): the product word after 这款 / 这件 / 此款 … becomes the slot ``{p}``, so it can
  open the description of another product of the same type;
- a template: a one-value phrase whose other words go with no particular fact ("{v}的设计凸显别样浪漫") becomes
  ``{v}`` plus that wording, usable for another value of the same attribute.
Whether a phrase can be used for a product is decided at generation time by the ``ClaimModel``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from ..compliance.terms import check_terms
from ..product import Product
from .describe_claims import ClaimModel, Need, ProductFacts
from .describe_text import clauses, sentences

_NOISE = re.compile(r"<unk>|\[unk\]|\bbrand\b|\?\?|�", re.IGNORECASE)
_NEGATION = re.compile(r"(?:没有|没|无需|不用|不是|非|去掉|省去|免去)(?:任何|了)?$")
_OPENING = re.compile(r"^(这款|这件|这条|此款|这一款|这是一款|一款|本款)")
# a value can be swapped for another of its attribute only where it stands as a plain modifier of a generic head
# ("{v}的设计…", "采用{v}面料"), not where the wording around it describes it ("大大的口袋", "微微落肩袖")
_SLOT = re.compile(r"^(?:(?:采用|选用|运用|加入|融入|结合|搭配|以|还有|加上|再加上|配以|饰以)了?)?\{v\}"
                   r"(?:的|设计|元素|风格|面料|材质|图案|款式|造型|廓形|版型)")


@dataclass
class Phrase:
    text: str  # as the seller wrote it; an opening has ``{p}`` for the product word, a template ``{v}``
    values: tuple[str, ...]  # lower-cased values it names (for a template: the attribute's slot only)
    attributes: tuple[str, ...]  # their attribute names in the product it came from
    position: float  # its sentence's relative position in the description (0 first … 1 last)
    initial: bool  # it opened a sentence
    first: bool  # it opened the description
    last: bool  # it ended the description
    clauses: int
    source: str  # id of the product it came from
    kind: str = "phrase"  # phrase | opening | template | elaboration
    type_key: str | None = None  # the product type it was written for
    typical: float = 0.0  # how much of it other sellers write for products with the same values (0–1)
    needs: tuple[Need, ...] = field(default_factory=tuple)  # what else a product must state for it to hold

    def usable_for(self, facts: ProductFacts) -> bool:
        """Every value it names is the product's and every other claim in it is backed by the product."""
        return all(v in facts.values for v in self.values) and all(n.met(facts) for n in self.needs)

    def filled(self, *, product_word: str = "", value: str = "") -> str:
        return self.text.replace("{p}", product_word).replace("{v}", value)


class PhraseBook:
    """Phrases of a catalog's descriptions, indexed by the values they name."""

    def __init__(self, *, max_clauses: int = 2, max_chars: int = 40, min_chars: int = 4,
                 law: str | None = "cn_adlaw", min_template_values: int = 2) -> None:
        self.min_template_values = min_template_values
        self.max_clauses = max_clauses
        self.max_chars = max_chars
        self.min_chars = min_chars
        self.law = law

    def fit(self, products: Iterable[Product], claims: ClaimModel) -> PhraseBook:
        self.phrases_: list[Phrase] = []
        seen: set[tuple[str, str]] = set()
        products_with_text = [p for p in products if p.description]
        slot_values: dict[str, set[str]] = defaultdict(set)  # template → the values it was written with
        for p in products_with_text:
            facts = ProductFacts.of(p, claims.data, include_description=False)
            for ph, value in self._mine(p, facts, claims):
                if ph.kind == "template":
                    slot_values[ph.text].add(value)
                key = (ph.kind, ph.text, ph.type_key if ph.kind != "phrase" else None)
                if key not in seen:
                    seen.add(key)
                    self.phrases_.append(ph)
        # a wording is a template only if sellers wrote it around two different values: then the value is a
        # slot, not something the wording was chosen for
        self.phrases_ = [ph for ph in self.phrases_
                         if ph.kind != "template" or len(slot_values[ph.text]) >= self.min_template_values]
        self._typicality(products_with_text, claims)
        self._index()
        return self

    def _typicality(self, products: list[Product], claims: ClaimModel) -> None:
        """Per phrase, the share of its character pairs found in the descriptions of OTHER products with the same
        values (same type, for a phrase naming none): wording sellers share rather than one seller's whim."""
        grams = {p.id: _bigrams(p.description or "") for p in products}
        by_value: dict[str, list[str]] = defaultdict(list)
        by_type: dict[str | None, list[str]] = defaultdict(list)
        for p in products:
            facts = ProductFacts.of(p, claims.data, include_description=False)
            for v in facts.values:
                by_value[v].append(p.id)
            by_type[facts.type_key].append(p.id)
        for ph in self.phrases_:
            mine = _bigrams(ph.text.replace("{p}", "").replace("{v}", ""))
            if not mine:
                continue
            pools = [by_value[v] for v in ph.values] if ph.values else [by_type[ph.type_key]]
            ids = [i for pool in pools for i in pool if i != ph.source][:200]
            if ids:
                ph.typical = sum(len(mine & grams[i]) for i in ids) / (len(mine) * len(ids))

    def _index(self) -> None:
        self.by_value_: dict[str, list[int]] = defaultdict(list)
        self.by_attribute_: dict[str, list[int]] = defaultdict(list)
        self.free_: list[int] = []  # phrases that name no value
        self.openings_: list[int] = []
        self.elaborations_: dict[str, list[int]] = defaultdict(list)  # value → clauses that follow its naming
        for i, ph in enumerate(self.phrases_):
            if ph.kind == "elaboration":
                for v in ph.values:
                    self.elaborations_[v].append(i)
            elif ph.kind == "template":
                self.by_attribute_[ph.attributes[0]].append(i)
            elif ph.kind == "opening":
                self.openings_.append(i)
            elif ph.values:
                for v in ph.values:
                    self.by_value_[v].append(i)
            else:
                self.free_.append(i)

    def _mine(self, p: Product, facts: ProductFacts, claims: ClaimModel) -> list[tuple[Phrase, str]]:
        """Each phrase of one description, with the value a template was cut from ("" for the others)."""
        lang = claims.data.lang
        sents = sentences(p.description or "", lang)
        out: list[tuple[Phrase, str]] = []
        for si, sent in enumerate(sents):
            cls = clauses(sent, lang)
            pos = si / max(1, len(sents) - 1) if len(sents) > 1 else 0.0
            for i in range(len(cls)):
                for size in range(1, self.max_clauses + 1):
                    if i + size > len(cls):
                        break
                    group = cls[i:i + size]
                    sep = "，" if lang == "zh" else ", "
                    text = sep.join(group)
                    if not self._usable_text(text, group):
                        break
                    if group[-1].endswith(claims.data.dangling or ("\0",)):
                        continue  # "修饰身材的同时" leans on a clause that is not there
                    named = claims.named_values(text, facts)
                    if any(_negated(text, v) for v in named):
                        continue  # "没有拉链": names the value to deny it
                    needs = tuple(claims.needs(text, named))
                    if not all(n.met(facts) for n in needs):
                        continue  # a detail, count or value even its own product does not back
                    if size > 1 and claims.named_values(group[-1], facts):
                        continue  # the added clause is about another fact: that is its own phrase
                    base = Phrase(text=text, values=tuple(sorted(named)), attributes=tuple(named[v] for v in
                                                                                            sorted(named)),
                                  position=pos, initial=i == 0, first=si == 0 and i == 0,
                                  last=si == len(sents) - 1 and i + size == len(cls), clauses=size, source=p.id,
                                  type_key=facts.type_key, needs=needs)
                    out.append((base, ""))
                    opening = self._opening(base, facts, claims)
                    if opening is not None:
                        out.append((opening, ""))
                    template = self._template(base, facts, claims)
                    if template is not None:
                        out.append((template, base.values[0]))
                    if size == 2 and named:
                        out.append((self._elaboration(base, group[-1], claims), ""))
        return out

    @staticmethod
    def _elaboration(ph: Phrase, clause: str, claims: ClaimModel) -> Phrase:
        """"网纱的垂感很好，仙气飘飘" → "仙气飘飘" as what sellers add after naming 网纱: it may follow any clause that
        names the value (its claims were checked with that value named: a fabric's feel needs the fabric)."""
        named = dict(zip(ph.values, ph.attributes, strict=True))
        return Phrase(text=clause, values=ph.values, attributes=ph.attributes, position=ph.position, initial=False,
                      first=False, last=ph.last, clauses=1, source=ph.source, kind="elaboration",
                      type_key=ph.type_key, needs=tuple(claims.needs(clause, named)))

    def _usable_text(self, text: str, group: list[str]) -> bool:
        if _NOISE.search(text) or not (self.min_chars <= len(text) <= self.max_chars):
            return False
        if any(len(c) < 2 for c in group):
            return False
        return not (self.law and check_terms(text, self.law))

    @staticmethod
    def _opening(ph: Phrase, facts: ProductFacts, claims: ClaimModel) -> Phrase | None:
        """"这款衬衫采用…" → "这款{p}采用…": the first clause of a description that names its product."""
        if not ph.initial or not facts.product_word:
            return None
        m = _OPENING.match(ph.text)
        if not m:
            return None
        rest = ph.text[m.end():]
        word = next((w for w in sorted(facts.product_words, key=len, reverse=True) if rest.lower().startswith(w)),
                    None)
        if word is None:
            return None
        text = "这款{p}" + rest[len(word):]
        values = tuple(v for v in ph.values if v != word and v not in word)
        attrs = tuple(a for v, a in zip(ph.values, ph.attributes, strict=True) if v in values)
        needs = tuple(claims.needs(text.replace("{p}", " "), dict(zip(values, attrs, strict=True))))
        return Phrase(text=text, values=values, attributes=attrs, position=0.0, initial=True, first=True,
                      last=False, clauses=ph.clauses, source=ph.source, kind="opening", type_key=ph.type_key,
                      needs=needs)

    @staticmethod
    def _template(ph: Phrase, facts: ProductFacts, claims: ClaimModel) -> Phrase | None:
        """A one-value phrase whose other words hold for any product → ``{v}`` plus that wording."""
        if len(ph.values) != 1 or ph.first:
            return None
        value, attr = ph.values[0], ph.attributes[0]
        if ph.text.lower().count(value) != 1 or value in facts.product_words:
            return None
        i = ph.text.lower().index(value)
        rest = ph.text[:i] + " " + ph.text[i + len(value):]
        if claims.needs(rest, {}):
            return None  # the rest needs some fact (a fabric's feel, a skirt's hem): not for any value
        text = ph.text[:i] + "{v}" + ph.text[i + len(value):]
        if not _SLOT.match(text):
            return None
        after = text[text.index("{v}") + 3:]
        for head, attrs in claims.data.template_heads.items():
            if after.startswith(head) and attr not in attrs:
                return None  # "收腰版型" → "{v}版型" is no template for 流苏
        return Phrase(text=text, values=(), attributes=(attr,), position=ph.position, initial=ph.initial,
                      first=False, last=ph.last, clauses=ph.clauses, source=ph.source, kind="template",
                      type_key=ph.type_key)

    # ------------------------------------------------------------------ persistence
    def state(self) -> list[dict]:
        return [{**asdict(ph), "needs": [n.to_list() for n in ph.needs]} for ph in self.phrases_]

    def set_state(self, rows: list[dict]) -> PhraseBook:
        self.phrases_ = [Phrase(**{**r, "values": tuple(r["values"]), "attributes": tuple(r["attributes"]),
                                   "needs": tuple(Need.from_list(n) for n in r["needs"])}) for r in rows]
        self._index()
        return self


def _negated(text: str, value: str) -> bool:
    low = text.lower()
    i = low.find(value)
    while i >= 0:
        if _NEGATION.search(low[max(0, i - 6):i]):
            return True
        i = low.find(value, i + 1)
    return False


def _bigrams(text: str) -> set[str]:
    t = re.sub(r"[\W_]+", "", text.lower())
    return {t[i:i + 2] for i in range(len(t) - 1)}
