"""``shorten``: a short title made only of pieces of the long one, so it cannot invent (MS-Pointer's lesson).

Pieces are kept by importance — the brand, the product word, the facts the title states, then the title's other
words from the front — and written in the long title's order, within ``spec.max_units``. A piece is a word with the
lone characters jieba split from it (手机|壳, 仙女|裙, 不|掉色): cut from its word, such a character turns a phone case
into a phone or "never fades" into "fades".
"""

from __future__ import annotations

from ..knowledge.lm import CharLM
from ..product import Candidate, Product, Task
from ..text.length import text_length
from ..text.normalize import join_words
from .base import Spec
from .compose import ComposeGenerator

VERSION = 3
_RANK = {"brand": 100.0, "product_word": 50.0}
_NEGATIONS = frozenset("无不非免零未没")  # a lone 不 belongs to the word after it: 不|掉色


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _lone(tok: str) -> bool:
    return len(tok) == 1 and _is_cjk(tok)


def _runs(spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Lone characters written together are one word jieba does not know: 遮|瑕 → 遮瑕."""
    out: list[tuple[str, int, int]] = []
    in_run = False
    for tok, s, e in spans:
        if _lone(tok) and out and out[-1][2] == s and (in_run or _lone(out[-1][0])):
            out[-1] = (out[-1][0] + tok, out[-1][1], e)
            in_run = True
        else:
            out.append((tok, s, e))
            in_run = False
    return out


def _pieces(spans: list[tuple[str, int, int]], freq: dict[str, int], lm: CharLM | None
            ) -> list[tuple[int, int, str]]:
    """jieba's words with each lone Chinese character joined to the word it is written against: a negation to the
    word after it; another character to the Chinese word after it where the dictionary and the catalog's titles
    join the two more often (转|椅 before 椅|职员, 全|网通 after 855), else to the word before it (熊字|饼, 160|克).
    Each piece: (start, end, its word: what says whether jieba knows the piece)."""
    def together(a: str, b: str) -> int:
        return freq.get(a + b, 0) + (lm.count(a[-1] + b[0]) if lm else 0)

    spans = _runs(spans)
    side = [0] * len(spans)  # -1: joins the word before, 1: the word after
    for i, (tok, s, e) in enumerate(spans):
        if not _lone(tok):
            continue
        left = spans[i - 1][0] if i and spans[i - 1][2] == s else None
        right = spans[i + 1][0] if i + 1 < len(spans) and spans[i + 1][1] == e and _is_cjk(spans[i + 1][0][0]) \
            else None
        if right and (tok in _NEGATIONS or not left or together(tok, right) > together(left, tok)):
            side[i] = 1
        elif left and tok not in _NEGATIONS:
            side[i] = -1
    out: list[tuple[int, int, str]] = []
    for i, (tok, s, e) in enumerate(spans):
        if side[i] == -1 and out:
            out[-1] = (out[-1][0], e, out[-1][2])
        elif i and side[i - 1] == 1:
            out[-1] = (out[-1][0], e, tok)
        else:
            out.append((s, e, tok))
    return out


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
        facts = spec.extra.get("facts") or self.composer.knowledge_.facts(product)
        pieces: list[tuple[int, int, float]] = []  # (start, end, importance)
        taken = [False] * len(long_title)
        low = long_title.lower()
        knowledge = self.composer.knowledge_
        known = knowledge.segmenter_.frequencies()
        pieces_of = _pieces(knowledge.segmenter_.spans(long_title), known, getattr(knowledge, "lm_", None))
        for e in sorted(self.composer.elements(facts), key=lambda e: -(_RANK.get(e.kind, 0) + e.priority)):
            at = low.find(e.text.lower())
            if at < 0:
                continue
            # whole pieces of the long title only: "20W" inside "PD20W" takes "PD20W", never leaves "PD"
            s, end = _widen(pieces_of, at, at + len(e.text))
            if not any(taken[s:end]):
                pieces.append((s, end, _RANK.get(e.kind, 0) + e.priority))
                taken[s:end] = [True] * (end - s)
        for i, (s, e, main) in enumerate(pieces_of):
            # the title's other words, earlier ones first: a word jieba knows (a guess such as "腰显" from
            # "收腰显瘦" is half of two words), never a lone leftover character
            if not any(taken[s:e]) and e - s >= 2 and any(c.isalnum() for c in main) \
                    and (main.isascii() or known.get(main)):
                pieces.append((s, e, 1.0 / (1 + i)))
        chosen: list[tuple[int, int, float]] = []
        for p in sorted(pieces, key=lambda p: -p[2]):
            if any(long_title[p[0]:p[1]].lower() == long_title[s:e].lower() for s, e, _ in chosen):
                continue
            trial = join_words([long_title[s:e] for s, e, _ in sorted(chosen + [p])])
            if text_length(trial, spec.unit) <= spec.max_units:
                chosen.append(p)
        text = join_words([long_title[s:e] for s, e, _ in sorted(chosen)])
        return [Candidate(text=text, task=task, generator=f"shorten@{VERSION}", meta={"from": long_title})] if text else []
