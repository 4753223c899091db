"""The lexicon of a catalog: every string a text could claim as a fact, found in one pass.

Values come from the catalog's attributes (纯棉 under 材质), from the packaged typed words (男士 is a gender,
包邮 a service, 连衣裙 a product type) and from ``data/lexicon.toml``; brands from the catalog and the packaged
list. One Aho-Corasick automaton marks each string as a value, a brand or both.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable
from importlib import resources

import ahocorasick

from ..product import Product
from ..text.lang import is_cjk_char
from .product_words import load_product_words
from .types import load_types

_VALUE, _BRAND = 1, 2  # what a known string is, as bits: a string can be both
# Common English words a messy catalog may list as a brand ("WITH", "AND"): never treated as brands.
_COMMON_WORDS = {"with", "and", "the", "for", "of", "in", "on", "to", "by", "from", "new", "set", "pack", "men",
                 "women", "kids", "unisex", "home", "style", "fashion", "sports", "casual", "generic", "brand",
                 "original", "classic", "premium", "pro", "plus", "max", "mini", "best", "good", "free"}


_CELL = re.compile(r"[,，/、;；|]")


# a filter's gloss after a value: a range, a limit or an exclusion ("中跟(3-5cm)", "头层牛皮（除牛反绒）",
# "青年（18-40周岁）", "短毛(如拉布拉多…)", "儿童：7-14岁"); a title says the value ("(5G)" or "(SSD)" say more and stay)
GLOSS = re.compile(r"\s*[（(][^()（）]*(?:\d\s*[-~至]\s*\d|小于|大于|不超过|以上|以下|周岁|月龄|日龄|除|如[^()（）]*等|[<>≤≥])"
                   r"[^()（）]*[)）]\s*$"
                   r"|\s*[：:]\s*\d+\s*[-~至]\s*\d+\s*(?:岁|周岁|个月|月)\s*$")  # or after a colon: "儿童：7-14岁"


def cell_values(cell: str) -> list[str]:
    """The values of one attribute cell, as written: a multi-valued cell ("红色,蓝色") is several."""
    return _CELL.split(cell)


class Lexicon:
    """Attribute values, typed words and brands a text could claim. ``fit(products)`` adds the catalog's own.

    A value is known with the attribute names it was seen under (纯棉 → 材质); the packaged typed words (男士,
    夏季, 包邮, 连衣裙…) are known under ``@<type>`` (``@gender``, ``@service``, ``@product_type``)."""

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
            types = load_types()
            for word, forms in types.forms.items():
                for f in forms:
                    self.add_value(f"@{f.type}", word)
            for word, type_ in types.claims.items():
                self.add_value(f"@{type_}", word)
            for word in load_product_words():
                self.add_value("@product_type", word)

    def add_value(self, name: str, value: str) -> None:
        v = value.strip().lower()
        if (len(v) < self.min_value_chars or len(v) > self.max_value_chars or load_types().is_empty(v)
                or not any(c.isalpha() for c in v)):
            return
        self.values[v].add(name)
        self._automaton = None
        self._claims.clear()

    def add_brand(self, brand: str) -> None:
        """A brand and its parts: "Sansui/山水" is known as itself, "sansui" and "山水"."""
        for b in {brand, *re.split(r"[/|（）()]", brand)}:
            b = b.strip().lower()
            if len(b) >= 2 and not load_types().is_empty(b) and b not in _COMMON_WORDS and not b.isdigit():
                self.brands.add(b)
                self._automaton = None
                self._claims.clear()

    def types_of(self, value: str) -> set[str]:
        """What a known value is about: its types (gender, material…), or ``attr:<name>`` for an untyped name."""
        types = load_types()
        out = set()
        for name in self.values.get(value.lower(), ()):
            if name.startswith("@"):
                out.add(name[1:])
            else:
                out.add(types.type_of(name) or f"attr:{name}")
        return out

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
                for v in cell_values(value):
                    self.add_value(name, v)
                    # the value as a title says it: 低帮 from "低帮（帮高小于10cm)", so 高帮 on it is another value
                    said = GLOSS.sub("", v)
                    if said != v:
                        self.add_value(name, said)
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
