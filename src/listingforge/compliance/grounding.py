"""Grounding: every fact an output states must be traceable to the input product.

Facts checked:
- numbers (with or without a unit) and model numbers ("X200", "iPhone15") — must occur in the product;
- attribute values the ``Lexicon`` knows (宽松 is a 版型, 纯棉 a 材质, "organic" a certification): a value the
  product does not have is an invented claim, even without a number ("宽松的版型" when 版型 is not given);
- brands the lexicon knows: a brand that is not the product's own is flagged, and a comparison with it
  ("媲美兰蔻", "Dyson dupe") is a competitor mention.

The lexicon starts from a packaged list and learns the catalog's own (attribute, value) pairs and brands
with ``fit``, so it grows with the seller's data.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

import ahocorasick

from ..product import Finding, Product
from ..text.lang import is_cjk_char

# Values that say nothing about the product, in either language.
# Common English words a messy catalog may list as a brand ("WITH", "AND"): never treated as brands.
_VALUE, _BRAND = 1, 2  # what a known string is, as bits: a string can be both
_COMMON_WORDS = {"with", "and", "the", "for", "of", "in", "on", "to", "by", "from", "new", "set", "pack", "men",
                 "women", "kids", "unisex", "home", "style", "fashion", "sports", "casual", "generic", "brand",
                 "original", "classic", "premium", "pro", "plus", "max", "mini", "best", "good", "free"}
_EMPTY_VALUES = {"其他", "其它", "无", "是", "否", "有", "均码", "图片色", "如图", "默认", "见详情", "不限", "通用", "other",
                 "others", "none", "na", "n/a", "yes", "no", "default", "null", "unknown", "free size", "as picture"}
_COMPARE = r"(?:媲美|堪比|同款|平替|类似|不输|秒杀|超越|比肩|对标|like|dupe(?: of| for)?|compare(?:d)? to|vs\.?|versus|alternative to|better than|same as)"
_NUMBER = re.compile(r"(?<![0-9.])\d+(?:[.,]\d+)*")
_MODEL = re.compile(r"(?<![A-Za-z0-9])(?=[A-Za-z0-9\-]*[A-Za-z])(?=[A-Za-z0-9\-]*\d)[A-Za-z0-9][A-Za-z0-9\-]{2,}")
_UNIT = re.compile(r"^(?:ml|l|g|kg|mg|cm|mm|m|km|w|kw|v|mah|wh|gb|tb|mb|hz|khz|mhz|ghz|inch|in|ft|oz|lb|lbs|pcs|pc|"
                   r"pack|p|k|x|d|h|s|min|cc|ml/s|英寸|寸)$", re.IGNORECASE)


_ZH_UNIT = (r"(?:%|℃|千克|公斤|毫升|厘米|毫米|英寸|小时|分钟|[个件只双条支瓶盒袋包片克斤升米寸年月天秒度瓦伏码号层人色款套张罐粒"
            r"倍次代])")


def _norm_number(s: str) -> str:
    s = s.replace(",", "")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s.lstrip("0") or "0"


class Lexicon:
    """Attribute values and brands an output could claim. ``fit(products)`` adds the catalog's own."""

    def __init__(self, *, builtin: bool = True, min_value_chars: int = 2, max_value_chars: int = 24) -> None:
        self.min_value_chars = min_value_chars
        self.max_value_chars = max_value_chars
        self.values: dict[str, set[str]] = defaultdict(set)  # lower-cased value → attribute names
        self.brands: set[str] = set()
        # one Aho-Corasick automaton over the values and the brands, each string marked with what it is: every
        # known string in a text found in one pass in C; built on first use after a change
        self._automaton: ahocorasick.Automaton | None = None
        self._claims: dict[str, bool] = {}
        if builtin:
            data = tomllib.loads((resources.files(__package__) / "data" / "lexicon.toml").read_text("utf-8"))
            for name, vals in data["values"].items():
                for v in vals:
                    self.add_value(name, v)
            for vals in data["brands"].values():
                for v in vals:
                    self.add_brand(v)

    def add_value(self, name: str, value: str) -> None:
        v = value.strip().lower()
        if (len(v) < self.min_value_chars or len(v) > self.max_value_chars or v in _EMPTY_VALUES
                or not any(c.isalpha() for c in v)):
            return
        self.values[v].add(name)
        self._automaton = None
        self._claims.clear()

    def add_brand(self, brand: str) -> None:
        """A brand and its parts: "Sansui/山水" is known as itself, "sansui" and "山水"."""
        for b in {brand, *re.split(r"[/|（）()]", brand)}:
            b = b.strip().lower()
            if len(b) >= 2 and b not in _EMPTY_VALUES and b not in _COMMON_WORDS and not b.isdigit():
                self.brands.add(b)
                self._automaton = None
                self._claims.clear()

    def grounded(self, word: str, source: str) -> bool:
        """Whether adding ``word`` states no fact beyond ``source`` (the product's lower-cased text)."""
        w = word.lower()
        claims = self._claims.get(w)
        if claims is None:  # whether a word can state a fact does not depend on the product: remember it
            claims = self._claims[w] = any(c.isdigit() for c in w) or any(self.find_facts(w))
        return not claims or w in source

    def fit(self, products: Iterable[Product]) -> Lexicon:
        for p in products:
            if p.brand:
                self.add_brand(p.brand)
            if p.category:  # a product word of another category is a false claim too ("连衣裙" for jeans)
                self.add_value("类目", p.category.split(">")[-1])
            for name, value in p.attributes:
                if name in ("品牌", "brand", "Brand"):
                    self.add_brand(value)
                    continue
                # multi-valued cells ("红色,蓝色") are several values
                for v in re.split(r"[,，/、;；|]", value):
                    self.add_value(name, v)
        return self

    def find_values(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, value) of known values in ``text``, longest first, no overlaps."""
        return self.find_facts(text)[1]

    def find_brands(self, text: str) -> list[tuple[int, int, str]]:
        return self.find_facts(text)[0]

    def find_facts(self, text: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
        """``(brands, values)`` in ``text`` from one pass: for each kind, greedy from the left, the longest known
        string at each start, no overlaps."""
        auto = self._automaton
        if auto is None:
            auto = ahocorasick.Automaton(ahocorasick.STORE_ANY)
            for kinds, known in ((_VALUE, self.values), (_BRAND, self.brands)):
                for k in known:
                    have = auto.get(k, (len(k), 0))
                    auto.add_word(k, (len(k), have[1] | kinds))
            if len(auto) == 0:
                return [], []  # an empty automaton cannot be searched; nothing to find either
            auto.make_automaton()
            self._automaton = auto
        low = text.lower()
        # every known string found, by start and longest first; per kind, from the left, the longest one at a
        # start that is a whole word is taken and what it covers is skipped
        hits = sorted((end - length + 1, -length, kinds) for end, (length, kinds) in auto.iter(low))
        brands: list[tuple[int, int, str]] = []
        values: list[tuple[int, int, str]] = []
        free_b = free_v = 0  # where each kind's next match may start
        for start, minus_length, kinds in hits:
            end = start - minus_length
            b = kinds & _BRAND and start >= free_b
            v = kinds & _VALUE and start >= free_v
            if not (b or v) or _glued_match(low, start, end):
                continue
            found = (start, end, low[start:end])
            if b:
                brands.append(found)
                free_b = end
            if v:
                values.append(found)
                free_v = end
        return brands, values

    def prepare(self) -> Lexicon:
        """Build the automaton now rather than at the first scan (before forking workers, so they share it)."""
        self.find_facts("")
        return self

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_automaton": None}  # rebuilt on first use where the lexicon is unpickled

    def to_dict(self) -> dict:
        return {"values": {v: sorted(n) for v, n in self.values.items()}, "brands": sorted(self.brands)}

    @classmethod
    def from_dict(cls, data: dict) -> Lexicon:
        lex = cls(builtin=False)
        for v, names in data["values"].items():
            for n in names:
                lex.add_value(n, v)
        for b in data["brands"]:
            lex.add_brand(b)
        return lex


def _glued_match(low: str, start: int, end: int) -> bool:
    """Latin values must be whole words ("red" is not in "shredded"); a match with CJK at both ends always is."""
    first, last = low[start], low[end - 1]
    if "\u4e00" <= first <= "\u9fff" and "\u4e00" <= last <= "\u9fff":
        return False
    return _glued(low, start - 1, first) or _glued(low, end, last)


def _glued(text: str, j: int, edge: str) -> bool:
    """A Latin edge character touching another Latin letter or digit at ``j``: a part of a bigger word."""
    if j < 0 or j >= len(text) or is_cjk_char(edge) or is_cjk_char(text[j]):
        return False
    return text[j].isalnum() and edge.isalnum()


def product_source_text(product: Product, *, include_title: bool = True, include_description: bool = True) -> str:
    """Everything the seller stated about the product, as one lower-cased string."""
    parts = [product.brand or "", product.category or ""]
    for name, value in product.attributes:
        parts.append(f"{name} {value}")
    if include_title and product.title:
        parts.append(product.title)
    if include_description and product.description:
        parts.append(product.description)
    return " | ".join(parts).lower()


def _unit_in(unit: str, source: str) -> bool:
    """Whether the source states some number with this unit ("ml" in "净含量 150ml")."""
    return re.search(r"\d\s?" + re.escape(unit.lower()) + r"(?![a-z])", source) is not None


@lru_cache(maxsize=256)
def _source_numbers(source: str) -> frozenset[str]:
    """The numbers a product states; every candidate for a product asks again, so they are remembered."""
    return frozenset(_norm_number(m.group()) for m in _NUMBER.finditer(source))


def check_grounding(
    text: str,
    product: Product,
    lexicon: Lexicon,
    *,
    field: str = "title",
    source: str | None = None,
    mode: str = "strict",
) -> list[Finding]:
    """``strict``: every fact must be in ``source`` (default: everything the product states).
    ``contradiction``: for a seller's own text checked against the attributes — report only what the
    attributes contradict (another value of an attribute the product has, another number with the same
    unit) and other brands; a fact the attributes are silent on is the seller's to keep."""
    if mode not in ("strict", "contradiction"):
        raise ValueError(f"grounding mode must be strict or contradiction, not {mode!r}")
    if source is None:
        source = product_source_text(product, include_title=mode == "strict",
                                     include_description=mode == "strict")
    src = source
    own_brand = (product.brand or "").lower()
    findings: list[Finding] = []
    masked = [False] * len(text)

    def claim(s: int, e: int) -> None:
        for k in range(s, e):
            masked[k] = True

    found_brands, found_values = lexicon.find_facts(text)
    # brands: not the product's own and not in its data → competitor or invented brand
    for s, e, b in found_brands:
        if b == own_brand or b in src:
            claim(s, e)
            continue
        cmp_m = re.search(_COMPARE + r"\s*$", text[:s], re.IGNORECASE)
        start = cmp_m.start() if cmp_m else s
        rule = "grounding.competitor" if cmp_m else "grounding.brand"
        what = "comparison with another brand" if cmp_m else "brand not the product's own"
        findings.append(Finding(rule=rule, severity="error", field=field, start=start, end=e, text=text[start:e],
                                message=f"{what}: {text[s:e]!r}", fix=""))
        claim(start, e)

    # model numbers (letters and digits mixed)
    for m in _MODEL.finditer(text):
        tok = m.group()
        if any(masked[m.start():m.end()]) or mode == "contradiction":
            continue
        num = re.match(r"^(\d+(?:\.\d+)?)([A-Za-z/]+)$", tok)
        if num and _UNIT.match(num.group(2)):
            continue  # "500ml" is a number with a unit: the number check below handles it
        claim(m.start(), m.end())
        if tok.lower() not in src:
            findings.append(Finding(rule="grounding.model", severity="error", field=field, start=m.start(),
                                    end=m.end(), text=tok, message=f"model number {tok!r} is not in the product",
                                    fix=""))

    # numbers, with the unit that follows them
    nums = None
    for m in _NUMBER.finditer(text):
        if any(masked[m.start():m.end()]):
            continue
        if nums is None:
            nums = _source_numbers(src)
        if _norm_number(m.group()) in nums:
            continue
        end = m.end()
        unit = re.match(r"\s?([A-Za-z]{1,4})\b|" + _ZH_UNIT, text[end:])
        if unit and (unit.group(1) is None or _UNIT.match(unit.group(1))):
            end += unit.end()
        if mode == "contradiction" and not (unit and _unit_in(unit.group().strip(), src)):
            continue  # a number the attributes say nothing about
        findings.append(Finding(rule="grounding.number", severity="error", field=field, start=m.start(), end=end,
                                text=text[m.start():end], fix="",
                                message=f"number {text[m.start():end]!r} is not in the product"))
        claim(m.start(), end)

    # attribute values the product does not have
    for s, e, v in found_values:
        if any(masked[s:e]) or v in src:
            continue
        names = sorted(lexicon.values.get(v, ()))
        have = [f"{n}={product.attribute(n)}" for n in names if product.attribute(n)]
        if mode == "contradiction" and not have:
            continue
        detail = f"product has {', '.join(have)}" if have else f"product states no {'/'.join(names[:3])}"
        findings.append(Finding(rule="grounding.attribute", severity="error", field=field, start=s, end=e,
                                text=text[s:e], message=f"claims {'/'.join(names[:3])}={text[s:e]!r}; {detail}",
                                fix=""))
    findings.sort(key=lambda f: f.start)
    return findings
