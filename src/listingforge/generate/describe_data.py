"""The phrasing data files of the description composer (``generate/data/describe.<lang>.toml``), read once.

Each file holds, per language: the claim words a learned clause may use only when the product supports them,
the product words per product type, the clauses that cannot open a sentence, fallback phrasing per attribute,
openings, and what each style and audience prefers. Every block names its source in the file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class ClaimGroup:
    """Words that state something. Supported when the product's text has the word, or when the clause names the
    product's value of one of ``needs_attribute``, or when a product value contains one of ``needs_value``."""

    name: str
    words: frozenset[str]
    needs_attribute: tuple[str, ...] = ()
    needs_value: tuple[str, ...] = ()
    # a part or size word: supported unless the clause names a detail value that shares none of these characters
    locates: tuple[str, ...] | None = None
    # a descriptive claim (a cut, a layer, a fabric's feel, a mood): backed by a value containing one of these (or a
    # value of ``needs_attribute``); in a sentence that names details, by those named details only
    backed_by: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()  # never backed for a product with a value containing one of these (修身 and 宽松)

    @property
    def descriptive(self) -> bool:
        return bool(self.backed_by)


@dataclass(frozen=True)
class Voice:
    """A style or an audience: attributes that lead, words a clause is preferred or avoided for."""

    lead: tuple[str, ...] = ()
    prefer: frozenset[str] = frozenset()
    avoid: frozenset[str] = frozenset()
    closing: tuple[str, ...] = ()
    target_chars: int | None = None
    max_clauses_per_phrase: int = 2
    exclaim: bool = False
    address: str | None = None  # whom the text talks to ("姐妹们", "同学们")


@dataclass(frozen=True)
class Quality:
    """What makes a clause a noun phrase or broken, and which repeats a reader accepts (``[quality]``)."""

    noun_heads: tuple[str, ...] = ()  # a clause ending in one of these names a thing ("…的设计", "…点缀")
    predicates: tuple[str, ...] = ()  # a clause with one of these says something ("采用", "显得", "很")
    linkers: tuple[str, ...] = ()  # "搭配v领": a clause opening with one of these is a noun phrase all the same
    leaning_starts: tuple[str, ...] = ()  # a text cannot open with these ("它", "而")
    pairs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "既" needs "又" / "也" after it
    broken: tuple[str, ...] = ()  # patterns that read broken ("采用到了")
    repeat_free: frozenset[str] = frozenset()  # words that may come back (function words)
    repeat_limits: dict[str, int] = field(default_factory=dict)  # words allowed more than once (设计: 2)
    formulas: tuple[str, ...] = ()  # stock phrase patterns said at most once
    optional_values: frozenset[str] = frozenset()  # values a reader does not miss (图案=线条)
    attributions: frozenset[str] = frozenset()  # a short sentence opening with one says who makes it ("By Beli.")
    openers: tuple[str, ...] = ()  # a text's first clause opening with one names its subject ("这款…")
    introducers: tuple[str, ...] = ()  # verbs that only bring a detail in ("采用", "带有"): "带有拉链元素"
    part_names: tuple[str, ...] = ()  # a part named as a form's subject ("袖长是七分袖"): an attribute read out
    subjectless: tuple[str, ...] = ()  # a one-clause sentence opening with one has no subject ("增强了设计效果。")
    concrete: tuple[str, ...] = ()  # parts of a garment or body: a clause naming one says something of substance


@dataclass(frozen=True)
class Nouns:
    """How a product's product-word values combine into one name (``[nouns]``): 牛仔裙 + 半身裙 → 牛仔半身裙."""

    heads: tuple[str, ...] = ()  # product words that head the name, most head-like first
    modifiers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # word → (its modifier form, heads it fits)
    names: dict[str, str] = field(default_factory=dict)  # a value that is no word by itself → the word (polo → polo衫)


@dataclass(frozen=True)
class PhrasingData:
    lang: str
    version: str
    claims: tuple[ClaimGroup, ...]
    product_words: dict[str, tuple[str, ...]]
    specific_attributes: tuple[str, ...]
    measure_words: dict[str, str]
    continuation: tuple[str, ...]
    fallback: dict[str, dict[str, tuple[str, ...]]]  # category block → attribute → forms
    openings: dict[str, dict[str, tuple[str, ...]]]  # style (or "default") → plain / brand → forms
    styles: dict[str, Voice] = field(default_factory=dict)
    audiences: dict[str, Voice] = field(default_factory=dict)
    free_words: frozenset[str] = frozenset()
    reuse_common_words: bool = True  # may a catalog's common words be reused without a fact backing them
    synonyms: dict[str, str] = field(default_factory=dict)  # a product word → the same product's other name
    overall_attributes: frozenset[str] = frozenset()  # true of the whole product: a part word places nothing
    # (name, pattern on the lower-cased title, clause, where: "cut" for the sentence on how it is cut and made)
    title_phrases: tuple[tuple[str, str, str, str], ...] = ()
    closings: dict[str, tuple[str, ...]] = field(default_factory=dict)
    template_heads: dict[str, tuple[str, ...]] = field(default_factory=dict)  # slot head → attributes it fits
    dangling: tuple[str, ...] = ()  # endings of a clause that cannot end a sentence
    quality: Quality = field(default_factory=Quality)
    nouns: Nouns = field(default_factory=Nouns)
    together: frozenset[str] = frozenset()  # attributes whose values are said in one clause ("棉和混纺面料")
    exclusive: tuple[frozenset[str], ...] = ()  # values no one product has two of (单排扣 / 双排扣): said once
    # attribute → value → the attribute the value is really of (版型=显瘦 is an effect, 颜色=纯色 a plain colour)
    refile: dict[str, dict[str, str]] = field(default_factory=dict)
    uses: dict[str, str] = field(default_factory=dict)  # a detail value → what it does ("开叉" → "方便行走")

    def attribute_of(self, attribute: str, value: str) -> str:
        """The attribute a value is said under: the seller's, unless the data file refiles it."""
        return self.refile.get(attribute, {}).get(value.lower(), attribute)

    def claim_group(self, word: str) -> ClaimGroup | None:
        low = word.lower()
        return next((g for g in self.claims if low in g.words), None)

    def all_product_words(self) -> dict[str, str]:
        """Every product word → the product type it names."""
        return {w.lower(): t for t, words in self.product_words.items() for w in words}

    def opening_forms(self, style: str | None, brand: bool) -> tuple[str, ...]:
        forms = self.openings.get(style or "") or self.openings.get("default", {})
        return forms.get("brand" if brand else "plain") or forms.get("plain") or ("{p}",)

    def fallback_for(self, attribute: str, category: str = "") -> tuple[str, ...]:
        """The wording for a value of ``attribute``: its category's block first (a block's ``match`` words against
        the product's category and type), then any block that has the attribute, then the default wording."""
        blocks = sorted(self.fallback.items(), key=lambda kv: not any(m in category for m in kv[1].get("match", ())))
        for name, forms in blocks:
            if attribute in forms and (name == "default" or any(m in category for m in forms.get("match", ()))):
                return forms[attribute]
        for _name, forms in blocks:
            if attribute in forms and attribute != "match":
                return forms[attribute]
        return self.fallback.get("default", {}).get("default", ("{v}",))

    def voice(self, style: str | None, audience: str | None) -> tuple[Voice, Voice | None]:
        """The style's voice (the catalog's own when none or unknown) and the audience's, if the file knows it."""
        st = self.styles.get(style or "") or Voice()  # no style: as the catalog writes
        aud = self.audiences.get((audience or "").strip()) or self.audiences.get((audience or "").strip().lower())
        return st, aud


def _voice(block: dict[str, Any]) -> Voice:
    return Voice(lead=tuple(block.get("lead", ())), prefer=frozenset(block.get("prefer", ())),
                 avoid=frozenset(block.get("avoid", ())), closing=tuple(block.get("closing", ())),
                 target_chars=block.get("target_chars"),
                 max_clauses_per_phrase=int(block.get("max_clauses_per_phrase", 2)),
                 exclaim=bool(block.get("exclaim", False)), address=block.get("address"))


@lru_cache(maxsize=4)
def load_phrasing(lang: str) -> PhrasingData:
    """The packaged phrasing for ``lang`` ("zh" or "en"; anything else reads the English file)."""
    name = f"describe.{'zh' if lang == 'zh' else 'en'}.toml"
    raw = tomllib.loads((resources.files(__package__) / "data" / name).read_text("utf-8"))
    claims = tuple(ClaimGroup(name=k, words=frozenset(w.lower() for w in g["words"]),
                              needs_attribute=tuple(g.get("needs_attribute", ())),
                              needs_value=tuple(g.get("needs_value", ())),
                              locates=tuple(g["locates"]) if "locates" in g else None,
                              backed_by=tuple(v.lower() for v in g.get("backed_by", ())),
                              unless=tuple(v.lower() for v in g.get("unless", ())))
                   for block in ("claims", "descriptive") for k, g in raw.get(block, {}).items())
    pw = dict(raw.get("product_words", {}))
    specific = tuple(pw.pop("specific_attributes", ()))
    return PhrasingData(
        lang="zh" if lang == "zh" else "en", version=str(raw.get("version", "0")), claims=claims,
        product_words={k: tuple(v) for k, v in pw.items()}, specific_attributes=specific,
        measure_words=dict(raw.get("measure_words", {})),
        continuation=tuple(raw.get("continuation", {}).get("starts", ())),
        fallback={block: {k: tuple(v) for k, v in forms.items()} for block, forms in raw.get("fallback", {}).items()},
        openings={st: {k: tuple(v) for k, v in forms.items()} for st, forms in raw.get("openings", {}).items()},
        styles={k: _voice(v) for k, v in raw.get("styles", {}).items()},
        audiences={k: _voice(v) for k, v in raw.get("audiences", {}).items()},
        free_words=frozenset(w.lower() for w in raw.get("free_words", {}).get("words", ())),
        reuse_common_words=bool(raw.get("learning", {}).get("reuse_common_words", True)),
        synonyms={k.lower(): v.lower() for k, v in raw.get("synonyms", {}).items()},
        overall_attributes=frozenset(raw.get("overall_attributes", ())),
        title_phrases=tuple((k, v[0], v[1], v[2] if len(v) > 2 else "") for k, v in raw.get("title_phrases", {}).items()),
        closings={k: tuple(v) for k, v in raw.get("closings", {}).items()},
        template_heads={k: tuple(v) for k, v in raw.get("template_heads", {}).items()},
        dangling=tuple(raw.get("dangling", {}).get("ends", ())),
        quality=_quality(raw.get("quality", {})),
        together=frozenset(raw.get("together", {}).get("attributes", ())),
        exclusive=tuple(frozenset(g) for g in raw.get("exclusive", {}).get("groups", ())),
        refile={a: {v.lower(): to for v, to in vs.items()} for a, vs in raw.get("refile", {}).items()},
        uses={v.lower(): use for v, use in raw.get("uses", {}).items()},
        nouns=Nouns(heads=tuple(raw.get("nouns", {}).get("heads", ())),
                    modifiers={k.lower(): tuple(v) for k, v in raw.get("nouns", {}).get("modifiers", {}).items()},
                    names={k.lower(): v for k, v in raw.get("nouns", {}).get("names", {}).items()}),
    )


def _quality(block: dict[str, Any]) -> Quality:
    return Quality(noun_heads=tuple(block.get("noun_heads", ())), predicates=tuple(block.get("predicates", ())),
                   linkers=tuple(block.get("linkers", ())), leaning_starts=tuple(block.get("leaning_starts", ())),
                   pairs={k: tuple(v) for k, v in block.get("pairs", {}).items()},
                   broken=tuple(block.get("broken", ())), repeat_free=frozenset(block.get("repeat_free", ())),
                   repeat_limits={k: int(v) for k, v in block.get("repeat_limits", {}).items()},
                   formulas=tuple(block.get("formulas", ())),
                   optional_values=frozenset(block.get("optional_values", ())),
                   attributions=frozenset(block.get("attributions", ())),
                   openers=tuple(block.get("openers", ())),
                   introducers=tuple(block.get("introducers", ())), part_names=tuple(block.get("part_names", ())),
                   subjectless=tuple(block.get("subjectless", ())), concrete=tuple(block.get("concrete", ())))
