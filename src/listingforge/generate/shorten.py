"""``shorten``: a short title made only of pieces of the long one, so it cannot invent (MS-Pointer's lesson).

Pieces are kept by importance — the brand, the product word, the facts the title states, then the title's other
words from the front — and written in the long title's order, within ``spec.max_units``. A piece is a word with the
lone characters jieba split from it (``Segmenter.pieces``: 手机|壳, 不|掉色), so no word is kept without its character;
a bracketed tag (【11-11预售】, 【2支包邮】, 【娇兰盛典】) is one piece, taken whole (without its brackets) only for the
brand or a fact it holds that the title says nowhere else; a sale's words (预售, 包邮, 双11) are left out. A long title
that fits is its own short title.
"""

from __future__ import annotations

import re

from ..knowledge.brands import split_forms
from ..product import Candidate, Product, Task
from ..text.length import text_length
from ..text.normalize import BRACKET_NOTE, join_words
from .base import Spec
from .compose import ComposeGenerator

VERSION = 4
_RANK = {"brand": 100.0, "product_word": 50.0}
# a sale's words: true for a day, and a short title keeps room for the product (reviewers marked "11.11", "预售" kept)
_SALE = re.compile(r"(?:预售|包邮|特价|特惠|抢购|抢先|秒杀|促销|清仓|狂欢|限时|定金|满减|热卖|爆款|双11|双十一|双12|双十二|"
                   r"11[.\-]11|12[.\-]12|618|年货节|\d+(?:\.\d+)?折)+")


def _with_tags(pieces: list[tuple[int, int, str]], tags: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The pieces with each bracketed tag as one piece of its own (no head word: never taken as a mere word)."""
    out = [p for p in pieces if not any(a < p[1] and p[0] < b for a, b in tags)]
    return sorted(out + [(a, b, "") for a, b in tags])


def _find(low: str, word: str, tags: list[tuple[int, int]]) -> int:
    """Where ``word`` stands in the title, outside its tags where it stands there too."""
    at = low.find(word)
    while at >= 0 and any(a <= at < b for a, b in tags):
        at = low.find(word, at + 1)
    return at if at >= 0 else low.find(word)


def _widen(pieces: list[tuple[int, int, str]], start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` widened to the pieces they touch."""
    for a, b, _main in pieces:
        if a < start < b:
            start = a
        if a < end < b:
            end = b
    return start, end


class ShortenGenerator:
    """``generate("short_title", product, 1, spec)`` with ``spec.extra["long"]``: the long title to shorten."""

    name = "shorten"

    def __init__(self, composer: ComposeGenerator) -> None:
        self.composer = composer

    def generate(self, task: Task, product: Product, n: int, spec: Spec) -> list[Candidate]:
        long_title: str = spec.extra.get("long") or product.title or ""
        if not long_title:
            return []
        if text_length(long_title, spec.unit) <= spec.max_units:
            return [Candidate(text=long_title, task=task, generator=f"shorten@{VERSION}", meta={"from": long_title})]
        facts = spec.extra.get("facts") or self.composer.knowledge_.facts(product)
        pieces: list[tuple[int, int, float]] = []  # (start, end, importance)
        taken = [False] * len(long_title)
        low = long_title.lower()
        knowledge = self.composer.knowledge_
        known = knowledge.segmenter_.frequencies()
        lm = getattr(knowledge, "lm_", None)
        tags = [m.span() for m in BRACKET_NOTE.finditer(long_title)]
        pieces_of = _with_tags(knowledge.segmenter_.pieces(long_title, lm.count if lm is not None else None), tags)
        for e in sorted(self.composer.elements(facts), key=lambda e: -(_RANK.get(e.kind, 0) + e.priority)):
            # a brand is found by any of its names ("Three Squirrels/三只松鼠" as 三只松鼠)
            forms = [e.text, *split_forms(e.text)] if e.kind == "brand" else [e.text]
            found = [(at, f) for f in forms if (at := _find(low, f.lower(), tags)) >= 0]
            if not found:
                continue
            at, form = min(found, key=lambda x: (x[0], -len(x[1])))  # the name the title says first
            # whole pieces of the long title only: "20W" inside "PD20W" takes "PD20W", never leaves "PD"
            s, end = _widen(pieces_of, at, at + len(form))
            if not any(taken[s:end]):
                pieces.append((s, end, _RANK.get(e.kind, 0) + e.priority))
                taken[s:end] = [True] * (end - s)
        for i, (s, e, main) in enumerate(pieces_of):
            # the title's other words, earlier ones first: a word jieba knows (a guess such as "腰显" from
            # "收腰显瘦" is half of two words), never a lone leftover character
            if not any(taken[s:e]) and e - s >= 2 and any(c.isalnum() for c in main) \
                    and (main.isascii() or known.get(main)) and not _SALE.fullmatch(long_title[s:e]):
                pieces.append((s, e, 1.0 / (1 + i)))
        chosen: list[tuple[int, int, float]] = []
        for p in sorted(pieces, key=lambda p: -p[2]):
            if any(long_title[p[0]:p[1]].lower() == long_title[s:e].lower() for s, e, _ in chosen):
                continue
            trial = self._render(long_title, chosen + [p], tags)
            if text_length(trial, spec.unit) <= spec.max_units:
                chosen.append(p)
        text = self._render(long_title, chosen, tags)
        return [Candidate(text=text, task=task, generator=f"shorten@{VERSION}", meta={"from": long_title})] if text else []

    @staticmethod
    def _render(long_title: str, chosen: list[tuple[int, int, float]], tags: list[tuple[int, int]]) -> str:
        # a tag taken for the brand or a fact inside it loses its brackets: they only set it apart from the title
        return join_words([long_title[s:e].strip("【】[]") if (s, e) in tags else long_title[s:e]
                           for s, e, _ in sorted(chosen)])
