"""What a reader finds wrong in description copy besides a false fact: a sentence that does not read whole, a word
or a stock clause said twice, a clause every other product also gets. Pure functions over text.

Found the way a blind reviewer of our copy found them (issue 19, second round): fragments such as "拉链的设计。" (a
noun phrase left as a sentence), "刺绣图案点缀，小脚的设计。" (a list of details with nothing said of them),
"还很好的丰富了整体的立体感，搭配v领。" (a sentence trailing off into "搭配 + detail"), "采用到了…" (broken grammar);
redundancy such as "精致又洋气…精致又不失时尚感" or "v领的设计……长袖的设计……纯色设计". The words that make a clause
a noun phrase, a predicate or a formula are data (``[quality]`` in generate/data/describe.zh.toml).

Used twice: the composer rejects its own drafts with these, and benchmarks/describe.py counts them in any text
(ours, a model's, the human copy), so the count means the same for all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .describe_data import PhrasingData
from .describe_text import all_clauses, clauses, sentences


@dataclass(frozen=True)
class Flaw:
    kind: str  # fragment | redundant
    words: str  # the words a reader would quote
    why: str


def is_noun_phrase(clause: str, data: PhrasingData, values: Iterable[str] = ()) -> bool:
    """A clause that names a thing and says nothing of it: ends in a detail noun ("…的设计", "…图案点缀") or in one of
    the product's values ("加上时尚的绑带"), with no word that predicates ("采用", "显得", "很", "更"…)."""
    q = data.quality
    low = clause.lower().strip()
    if not low:
        return False
    ends = any(low.endswith(h) for h in q.noun_heads) or any(v and low.endswith(v) for v in values)
    if not ends:
        return False
    if any(low.startswith(w) for w in q.linkers):  # "搭配v领", "加上时尚的绑带": a preposition, not a verb
        return True
    return not any(p in low for p in q.predicates)


def fragments(text: str, data: PhrasingData, values: Iterable[str] = ()) -> list[Flaw]:
    """Sentences that do not read whole."""
    if data.lang != "zh":
        return _fragments_en(text, data)
    q = data.quality
    vals = sorted({v.lower() for v in values if len(v) >= 2}, key=len, reverse=True)
    out: list[Flaw] = []
    for si, sent in enumerate(sentences(text, "zh")):
        cls = clauses(sent, "zh")
        if not cls:
            continue
        nps = [is_noun_phrase(c, data, vals) for c in cls]
        if si == 0 and len(cls) > 1 and any(cls[0].startswith(w) for w in q.openers):
            nps[0] = False  # "这款连衣裙，…": the text's subject, not one of a list of details
        if nps[-1] and not (si == 0 and len(cls) == 1):
            out.append(Flaw("fragment", "，".join(cls[-2:]) if len(cls) > 1 else cls[-1],
                            "the sentence ends on a detail with nothing said of it"))
        elif _run(nps) >= 3:
            out.append(Flaw("fragment", "，".join(cls[:4]), "a list of details, not a sentence"))
        for pattern in q.broken:
            m = re.search(pattern, sent)
            if m:
                out.append(Flaw("fragment", m.group(0), f"reads broken ({pattern})"))
        if si > 0 and len(cls) == 1 and (len(cls[0]) <= 6 or cls[0].startswith(q.subjectless)):
            out.append(Flaw("fragment", sent, "a sentence of one short clause or with no subject"))
        elif si > 0 and len(cls) > 1 and is_bare_detail(cls[-1], data, vals) and \
                not is_bare_detail(cls[-2], data, vals):
            out.append(Flaw("fragment", cls[-1], "the sentence trails off into a detail"))
        if si == 0 and any(cls[0].startswith(w) for w in q.leaning_starts):
            out.append(Flaw("fragment", cls[0], "leans on something before the text"))
        for word, partner in q.pairs.items():
            if word in sent and not any(p in sent[sent.index(word) + len(word):] for p in partner):
                out.append(Flaw("fragment", sent, f"{word} without {'/'.join(partner)}"))
    return out


def _fragments_en(text: str, data: PhrasingData) -> list[Flaw]:
    """English: a sentence of one or two words ("Beige bra."), unless it says who makes it ("By Beli.")."""
    out = []
    for sent in sentences(text, "en"):
        words = re.findall(r"[A-Za-z0-9][A-Za-z0-9\-'.]*", sent)
        if len(words) <= 2 and not (words and words[0].lower() in data.quality.attributions):
            out.append(Flaw("fragment", sent, "a bare noun, not a sentence"))
    return out


def is_bare_detail(clause: str, data: PhrasingData, values: Iterable[str] = ()) -> bool:
    """A clause that only brings a detail in: an introducing verb or a detail noun around the product's values and
    nothing else ("带有拉链元素", "加入拼接的细节", "小脚的裤脚设计")."""
    q = data.quality
    low = clause.lower().strip()
    intro = next((w for w in q.introducers if low.startswith(w)), "")
    rest = low[len(intro):]
    for v in values:
        rest = rest.replace(v, "")
    headed = False
    while True:
        rest = rest.rstrip("的了")
        head = next((h for h in q.noun_heads if len(h) >= 2 and rest.endswith(h)), None)
        if head is None:
            break
        rest, headed = rest[: -len(head)], True
    rest = re.sub("[的了和与、之]", "", rest)
    return (bool(intro) or headed) and len(rest) <= 2 and rest != low


def stuffed(text: str, data: PhrasingData, values: Iterable[str] = ()) -> list[Flaw]:
    """Details listed rather than described: three clauses in a row that only bring a detail in, a clause that
    names three values at once, an attribute read out as a form's subject ("袖长是七分袖")."""
    if data.lang != "zh":
        return []
    q = data.quality
    vals = sorted({v.lower() for v in values if v}, key=len, reverse=True)
    out: list[Flaw] = []
    run: list[str] = []
    for c in all_clauses(text, "zh"):
        low = c.lower()
        if any(low.startswith(n + "是") for n in q.part_names):
            out.append(Flaw("stuffing", c, "an attribute read out"))
        named, rest = 0, low
        for v in vals:
            if v in rest:
                named, rest = named + 1, rest.replace(v, "|")
        if named >= 3 and re.search("[、和]", low):
            out.append(Flaw("stuffing", c, "three values in one breath"))
        run = [*run, c] if is_bare_detail(c, data, vals) else []
        if len(run) == 3:
            out.append(Flaw("stuffing", "，".join(run), "details listed with nothing said of them"))
    return out


def stacked_praise(text: str, data: PhrasingData, values: Iterable[str] = ()) -> list[Flaw]:
    """Praise that names nothing of the product (no value, no part of it), three clauses in a row, or all the text
    says after naming it: "精致的设计感，更显时尚品味，丰富视觉看点"."""
    if data.lang != "zh":
        return []
    q = data.quality
    vals = {v.lower() for v in values if v}
    cls = all_clauses(text, "zh")
    empty = [not any(v in c.lower() for v in vals) and not any(w in c for w in q.concrete)
             and not c.startswith(q.openers) for c in cls]
    out: list[Flaw] = []
    i = 0
    while i < len(cls):
        j = i
        while j < len(cls) and empty[j]:
            j += 1
        if j - i >= 3:
            out.append(Flaw("redundant", "，".join(cls[i:j]), "praise stacked, naming nothing of the product"))
        i = max(j, i + 1)
    body = [e for c, e in zip(cls, empty, strict=True) if not c.startswith(q.openers)]
    if len(body) >= 2 and all(body) and not out:
        out.append(Flaw("redundant", "，".join(cls[1:]), "nothing said of the product but praise"))
    return out


def _run(flags: list[bool]) -> int:
    best = cur = 0
    for f in flags:
        cur = cur + 1 if f else 0
        best = max(best, cur)
    return best


def repeated(text: str, data: PhrasingData, cut: Callable[[str], list[str]], values: Iterable[str] = ()) -> list[Flaw]:
    """Words said more often than a reader accepts: a word of two or more characters twice (a value, a product word
    or a function word excepted; a detail noun such as 设计 three times), and a formula phrase twice."""
    q = data.quality
    skip = {v.lower() for v in values}
    if data.lang == "zh":
        words = [w.lower() for w in cut(text) if len(w) >= 2 and re.search(r"[^\W\d_]", w)]
    else:
        words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z\-']+", text)]
    counts = Counter(words)
    out = []
    for w, n in counts.items():
        if w in skip or w in q.repeat_free or (data.lang == "zh" and any(w in v for v in skip)):
            continue
        limit = q.repeat_limits.get(w, 1)
        if n > limit:
            out.append(Flaw("redundant", w, f"said {n} times"))
    if data.lang == "zh":
        cls = all_clauses(text, "zh")
        for a, b in zip(cls, cls[1:], strict=False):
            head = next((h for h in q.noun_heads if len(h) >= 2 and a.endswith(h) and b.endswith(h)), None)
            if head:
                out.append(Flaw("redundant", f"{a}，{b}", f"two clauses in a row end in {head}"))
    for formula in q.formulas:
        if len(re.findall(formula, text)) > 1:
            out.append(Flaw("redundant", formula, "a formula said twice"))
    return out


def stock_clauses(texts: list[str], lang: str, share: float = 0.05, min_count: int = 3) -> set[str]:
    """Clauses that more than ``share`` of the texts (and at least ``min_count``) carry word for word: stock phrases
    that make every description of a catalog read alike."""
    seen: Counter[str] = Counter()
    for t in texts:
        seen.update({c for c in all_clauses(t, lang) if len(c) >= 4})
    need = max(min_count, share * len(texts))
    return {c for c, n in seen.items() if n >= need}


def stock_share(text: str, stock: set[str], lang: str) -> float:
    """The share of a text's clauses that are stock."""
    cls = all_clauses(text, lang)
    return sum(c in stock for c in cls) / len(cls) if cls else 0.0
