"""Law checks from data files: term classes with their legal basis, lawful exceptions and whole-claim fixes.

A law (``cn_adlaw``) is a TOML file in ``data/`` plus the files it ``include``s; each ``[[classes]]`` block is
one kind of claim with its article and sources (see the header of ``cn_adlaw.toml``). ``check_terms`` finds
the claims in a text:

- the longest match wins across classes ("最终解释权" is a disclaimer, not a superlative);
- an exception that covers a match makes it lawful (SAMR 2023 guideline: a consumer tip, a standard grade, a
  dated and sourced ranking, a self-comparison, a stated aim, an honour's exact name; a specification; fibre
  content; a generic name); so does a word the seller declares with ``allow`` (a registered name);
- a class limited to a category (cosmetics, food) runs when the product's category, or failing one the text
  itself, names that category; a class lawful in a category (disease claims for a drug) needs the declared
  category to be skipped;
- where the text cannot decide (特供 for whom?), the finding is a warning with no fix: the seller decides;
- the fix deletes the whole claim — its scope before ("全网"), a modal ("可"), its object after ("失眠") — or
  replaces it by a lawful form ("最新" → "新"); where no deletion leaves a sound text, ``fix`` is None.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import ahocorasick

from ..product import Finding
from ..text.find import find_all
from ..text.normalize import matching_form
from ..text.segment import Segmenter

_CJK = re.compile(r"[\u4e00-\u9fff]")
# one-character adjectives: 最 + one of these is a whole word ("最大", "最美"), safe to delete as a pair
_ONE_CHAR_ADJ = frozenset("大小高低长短新美强好快慢多少轻薄厚白黑红亮香甜潮酷嫩滑软硬净纯正真全省贵靓帅炫热火牛优佳")
# what a seller may put inside a word to slip it past a filter ("顶 级", "国·家·级", a zero-width space)
_INSIDE_A_WORD = re.compile(r"(?<=[\u4e00-\u9fff])[ \u200b-\u200d\u2060\ufeff·•.*_\-]{1,2}(?=[\u4e00-\u9fff])")
_FIRST = re.compile(r"第1(?![\d.,])")
_VISIBLE_MARK = re.compile(r"[ ·•.*_\-]+")
_SEPARATOR = re.compile(r"[\s【】\[\]()（）,，、/|+·!！;；:：。]")
_OPEN_CLOSE = {"【": "】", "[": "]", "（": "）", "(": ")", "「": "」", "『": "』", "《": "》"}


@dataclass(frozen=True)
class TermClass:
    id: str
    severity: str
    message: str
    article: str
    source: str
    regex: re.Pattern[str] | None  # the class's patterns (its literal terms are in the law's one term regex)
    exceptions: re.Pattern[str] | None
    ask: re.Pattern[str] | None
    replace: dict[str, str]
    terms: frozenset[str]  # the listed terms, lower-cased (a match that is not one came from a pattern)
    before: re.Pattern[str] | None  # the claim's scope or modal before the term, anchored at the term
    after: re.Pattern[str] | None  # the claim's object after a verb
    predicate: re.Pattern[str] | None  # what a claim noun is said to be ("疗效" "显著")
    takes_object: frozenset[str]
    takes_subject: frozenset[str]  # predicates whose short subject before them goes with them ("口感极佳")
    needs_object: frozenset[str]
    object: re.Pattern[str] | None  # what a needs_object verb must name to be a claim
    fixable: bool
    applies_to: frozenset[str]
    lawful_in: frozenset[str]
    lawful_named: frozenset[str]  # groups whose naming in the text itself lifts the class (a book's title)
    lawful_terms: dict[str, frozenset[str]]  # group → terms of the class that are lawful there (永久 on a game item)

    @property
    def basis(self) -> str:
        return f"{self.article} (source: {self.source})"


@dataclass(frozen=True)
class Law:
    name: str
    version: str
    lang: str  # the language of the text the law speaks to ("" : any)
    classes: tuple[TermClass, ...]
    groups: dict[str, tuple[str, ...]]  # the words of a category text that put a product in a group
    named: dict[str, tuple[str, ...]]  # the stricter words that name a group in the text itself
    # every class's literal terms, lower-cased, in one automaton: one pass finds the longest at each place
    # (8 µs a title where one alternation of 900 terms took 49 µs)
    terms: ahocorasick.Automaton
    owners: dict[str, tuple[int, ...]]  # lower-cased term → the classes that list it, in file order
    # a class's patterns run only where one of its `gate` strings occurs (found in one more automaton pass);
    # a class with patterns and no gate always runs them
    gates: ahocorasick.Automaton
    ungated: tuple[int, ...]


def _read(name: str) -> dict[str, Any]:
    return tomllib.loads((resources.files(__package__) / "data" / f"{name}.toml").read_text(encoding="utf-8"))


def _alternation(parts: Iterable[str]) -> str:
    return "|".join(f"(?:{p})" for p in parts)


def _compile_class(c: dict[str, Any], objects: dict[str, str]) -> TermClass:
    def obj(ref: str | None) -> re.Pattern[str] | None:
        if not ref:
            return None
        return re.compile(objects[ref[1:]] if ref.startswith("@") else ref)

    exc, ask, pats = c.get("exceptions", []), c.get("ask", []), c.get("patterns", [])
    return TermClass(
        id=c["id"], severity=c["severity"], message=c["message"], article=c.get("article", ""),
        source=c["source"],
        regex=re.compile(_alternation(pats), re.IGNORECASE) if pats else None,
        exceptions=re.compile(_alternation(exc), re.IGNORECASE) if exc else None,
        ask=re.compile(_alternation(ask), re.IGNORECASE) if ask else None,
        replace=dict(c.get("replace", {})),
        terms=frozenset(t.lower() for t in c.get("terms", [])),
        before=re.compile(c["before"]) if c.get("before") else None,
        after=obj(c.get("after")),
        predicate=re.compile(c["predicate"]) if c.get("predicate") else None,
        takes_object=frozenset(c.get("takes_object", [])),
        takes_subject=frozenset(c.get("takes_subject", [])),
        needs_object=frozenset(c.get("needs_object", [])),
        object=obj(c.get("object", "@disease" if c.get("needs_object") else None)),
        fixable=c.get("fix", "delete") != "none",
        applies_to=frozenset(c.get("applies_to", [])),
        lawful_in=frozenset(c.get("lawful_in", [])),
        lawful_named=frozenset(c.get("lawful_named", [])),
        lawful_terms={g: frozenset(t.lower() for t in ts) for g, ts in c.get("lawful_terms_in", {}).items()},
    )


@lru_cache(maxsize=8)
def load_law(law: str) -> Law:
    """A law file and the files it includes, compiled once."""
    root = _read(law)
    docs = [root] + [_read(name) for name in root.get("include", [])]
    objects: dict[str, str] = {}
    groups: dict[str, tuple[str, ...]] = {}
    named: dict[str, tuple[str, ...]] = {}
    for d in docs:
        objects.update(d.get("objects", {}))
        groups.update({k: tuple(v) for k, v in d.get("groups", {}).items()})
        named.update({k: tuple(v) for k, v in d.get("named", {}).items()})
    classes = tuple(_compile_class(c, objects) for d in docs for c in d.get("classes", []))
    owners: dict[str, list[int]] = {}
    for i, cls in enumerate(classes):
        for t in cls.terms:
            owners.setdefault(t, []).append(i)
    automaton = ahocorasick.Automaton()
    for t in owners:
        automaton.add_word(t, t)
    automaton.make_automaton()
    gate_owners: dict[str, list[int]] = {}
    for d in docs:
        for c in d.get("classes", []):
            i = next(k for k, cls in enumerate(classes) if cls.id == c["id"])
            for g in c.get("gate", []):
                gate_owners.setdefault(g.lower(), []).append(i)
    gates = ahocorasick.Automaton()
    for g, idx in gate_owners.items():
        gates.add_word(g, tuple(idx))
    gates.make_automaton()
    gated = {i for idx in gate_owners.values() for i in idx}
    ungated = tuple(i for i, cls in enumerate(classes) if cls.regex is not None and i not in gated)
    return Law(name=law, version=root.get("version", ""), lang=root.get("lang", ""), classes=classes, groups=groups,
               named=named, terms=automaton, gates=gates, ungated=ungated,
               owners={k: tuple(v) for k, v in owners.items()})


def load_term_classes(law: str) -> tuple[TermClass, ...]:
    return load_law(law).classes


@lru_cache(maxsize=1024)
def _groups_in(law: str, category: str) -> frozenset[str]:
    low = category.lower()  # "Health > OTC Medicine" is a drug's category as "otc medicine" is
    return frozenset(g for g, words in load_law(law).groups.items() if any(w.lower() in low for w in words))


def _groups_named(law: str, text: str) -> frozenset[str]:
    low = text.lower()  # "Ant Killer" names a pesticide as "ant killer" does
    return frozenset(g for g, words in load_law(law).named.items() if any(w.lower() in low for w in words))


def _applies(cls: TermClass, declared: frozenset[str], named: frozenset[str]) -> bool:
    """Limited to a category: the declared one or one the text names. Lawful in one: only if declared, or
    named by the text for the groups the class lists as ``lawful_named`` (a book says it is one)."""
    if cls.lawful_in & declared or cls.lawful_named & named:
        return False
    return not cls.applies_to or bool(cls.applies_to & (declared | named))


def _covered(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    return any(a <= s and e <= b for a, b in spans)


def _spans(pattern: re.Pattern[str] | None, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)] if pattern is not None else []


def _widen(text: str, s: int, e: int) -> tuple[int, int]:
    """A deleted claim takes its dangling 的 / 之, brackets it filled alone, and one of two spaces around it."""
    if e < len(text) and text[e] in "的之":
        e += 1
    if s > 0 and e < len(text) and _OPEN_CLOSE.get(text[s - 1]) == text[e]:
        s, e = s - 1, e + 1
    if s > 0 and e < len(text) and text[s - 1] == " " and text[e] == " ":
        e += 1
    return s, e


def _claim(cls: TermClass, text: str, s: int, e: int, term: str,
           words: list[tuple[str, int, int]] | None = None) -> tuple[int, int, str | None]:
    """(start, end, fix) of the whole claim the term belongs to; fix None where no deletion is safe.
    ``words``: the text's words; a deletion never leaves one character of a word: a 最 word takes it ("最强" of
    "最强大"); any other such cut ("药用" of "兽药用") has no safe fix. The head of a compound stays ("尖端|科技")."""
    if term in cls.replace:
        return s, e, cls.replace[term]
    if not cls.fixable:
        return s, e, None
    if cls.before is not None:
        m = cls.before.search(text, max(0, s - 24), s)
        if m is not None:
            s = m.start()
    glued = e < len(text) and _CJK.match(text, e) is not None
    if cls.after is not None and term in cls.takes_object | cls.needs_object:
        m = cls.after.match(text, e)
        if m is not None and m.end() > e:
            e = _object_list(cls.after, text, m.end())
        elif glued:
            return s, e, None  # "颈椎治疗仪": deleting the verb leaves "颈椎仪"
    if cls.predicate is not None and (m := cls.predicate.match(text, e)) is not None:
        e = m.end()
    elif (cls.regex is not None and term.lower() not in cls.terms and term.startswith("最") and len(term) == 2
          and term[1] not in _ONE_CHAR_ADJ and glued and text[e] != "的"):
        return s, e, None  # "最舒服": 最舒 is half a word; deleting it would leave "服"
    for _w, a, b in words or ():
        if a < e < b and b - e == 1:  # one character of a word would be left: "最强|大", "止痛|膏"
            if not term.startswith("最"):
                return s, e, None
            e = b
        if a < s < b and s - a == 1:  # "兽|药用"
            return s, e, None
    widened = _chunk(text, s, e, subject=term in cls.takes_subject)
    if widened is None:
        return s, e, None
    s, e = _widen(text, *widened)
    return s, e, ""


_LIST_MARK = re.compile(r"[、，,和及与]")
_LIST_TAIL = re.compile(r"等[\u4e00-\u9fff]{0,6}?(?:疾病|病症|慢性病|病)")


def _object_list(obj: re.Pattern[str], text: str, e: int) -> int:
    """The end of a claim's object where the object is a list: "预防肿瘤、心血管疾病、糖尿病等慢性疾病" is one claim,
    and deleting "预防肿瘤" alone leaves the rest of the list naming diseases."""
    while e < len(text) and _LIST_MARK.match(text, e) and (m := obj.match(text, e + 1)) is not None and m.end() > e + 1:
        e = m.end()
    m = _LIST_TAIL.match(text, e)
    return m.end() if m else e


def _chunk(text: str, s: int, e: int, *, subject: bool) -> tuple[int, int] | None:
    """Widen a deletion to its whole chunk (the run between separators) where what would be left of the
    chunk is the claim's own subject or a stray character: "口感极佳" → nothing, not "口感"; "性价比之王" →
    nothing; "祛疤膏" → nothing, not "膏". A claim at the head of its chunk only modifies what follows, which
    stays: "中药面膜" → "面膜". None where the claim sits inside a product's name ("关节止痛膏")."""
    a = s
    while a > 0 and not _SEPARATOR.match(text[a - 1]):
        a -= 1
    b = e
    while b < len(text) and not _SEPARATOR.match(text[b]):
        b += 1
    head, tail = text[a:s], text[e:b]
    if len(head) + len(tail) == 1 and _CJK.match(head + tail):
        return a, b
    if head and len(tail) == 1 and _CJK.match(tail):
        return None  # "关节止痛膏": the claim is inside a product's name; "关节膏" would be another product
    if subject and head and not tail and len(head) <= 3 and all(_CJK.match(c) or c.isdigit() for c in head):
        return a, b
    return s, e


def _matches(text: str, low: str, lw: Law, runs: Callable[[int], bool]) -> list[tuple[int, int, int, str]]:
    """Every term and pattern match: (start, end, class index, what matched). ``low`` is the text lower-cased;
    ``runs(i)`` says whether class i's patterns apply here."""
    out = [(end + 1 - len(t), end + 1, i, text[end + 1 - len(t):end + 1])
           for end, t in (lw.terms.iter_long(low) if len(lw.terms) else ()) for i in lw.owners[t]]  # a law of patterns only
    open_classes = set(lw.ungated)
    if len(lw.gates):
        open_classes.update(i for _end, idx in lw.gates.iter(low) for i in idx)
    for i in sorted(open_classes):
        regex = lw.classes[i].regex
        if regex is not None and runs(i):
            out += [(m.start(), m.end(), i, m.group()) for m in regex.finditer(text)]
    return out


def _spelt_apart(text: str, low: str, lw: Law, runs: Callable[[int], bool]) -> list[tuple[int, int, int, str]]:
    """Claims written with a space or a dot between their characters ("顶 级", "国·家·级"): matched again, with those
    marks taken out, in a window of ``_REACH`` characters around each run of them, and kept only where a mark is
    inside the match (the rest is found as written) and the window's edge did not cut the match's context."""
    out = []
    for a0, b0, marks in _mark_windows(low):
        kept = [i for i in range(a0, b0) if i not in marks]
        squeezed = _matches("".join(text[i] for i in kept), "".join(low[i] for i in kept), lw, runs)
        for s, e, i, term in squeezed:
            a, b = kept[s], kept[e - 1] + 1
            if b - a == e - s or (s == 0 < a0) or (e == len(kept) and b0 < len(low)):
                continue  # no mark inside, or cut by the window
            # a visible mark between words is a separator ("2瓶 美白", "精华 超强修复"); one beside a lone
            # character of the claim splits a word ("顶 级", "第 一"); an invisible one is never a separator
            pieces = _VISIBLE_MARK.split(text[a:b])
            if min(map(len, pieces)) == 1 or len(pieces) == 1:
                out.append((a, b, i, term))
    return out


_REACH = 16  # characters on each side of a mark: longer than the claims the patterns describe


def _mark_windows(low: str) -> list[tuple[int, int, set[int]]]:
    """(start, end, mark positions) of the windows around the marks inside words, overlapping ones merged."""
    windows: list[tuple[int, int, set[int]]] = []
    for m in _INSIDE_A_WORD.finditer(low):
        a, b, marks = max(0, m.start() - _REACH), min(len(low), m.end() + _REACH), set(range(m.start(), m.end()))
        if windows and a <= windows[-1][1]:
            pa, _pb, pmarks = windows.pop()
            a, marks = pa, pmarks | marks
        windows.append((a, b, marks))
    return windows


def check_terms(text: str, law: str | Law, *, field: str = "title", allow: Iterable[str] = (),
                category: str | Callable[[], str | None] | None = None,
                segmenter: Segmenter | None = None,
                names: Callable[[str], list[tuple[int, int]]] | None = None) -> list[Finding]:
    """The law's findings in ``text``; ``category`` is the product's category text when known (or a function
    that gives it: called only when a term is found); with a ``segmenter`` a deletion never cuts a word.
    ``names`` gives the spans of registered brand names in a text: a term inside a longer one (至尊 in 酷冷至尊) is
    lawful (SAMR 2023 guideline, (d) a registered trademark or product name); asked only once a term is found."""
    lw = load_law(law) if isinstance(law, str) else law
    # 頂級 claims what 顶级 claims, ＮＯ.１ what No.1 claims, 第1 what 第一 claims (第1批 is 第一批: no rank)
    written, text = text, _FIRST.sub("第一", matching_form(text))
    groups: tuple[frozenset[str], frozenset[str]] | None = None  # (declared, named by the text), when needed
    applies: dict[int, bool] = {}

    def applicable(i: int) -> bool:
        nonlocal groups
        if i not in applies:
            if groups is None:
                cat = category() if callable(category) else category
                groups = (_groups_in(lw.name, cat) if cat else frozenset(), _groups_named(lw.name, text))
            applies[i] = _applies(lw.classes[i], *groups)
        return applies[i]

    low = text.lower()
    if len(low) != len(text):  # lower() changed a length ("İ"): match as written so positions hold
        low = text

    def runs(i: int) -> bool:  # a class limited to a category is run only where it applies
        return not lw.classes[i].applies_to or applicable(i)

    matches = _matches(text, low, lw, runs) + _spelt_apart(text, low, lw, runs)
    if not matches:
        return []
    found: list[tuple[int, int, int, TermClass, str]] = []  # (start, end, class order, class, term)
    lawful: dict[int, list[tuple[int, int]]] = {}
    allowed: list[tuple[int, int]] | None = None
    registered: list[tuple[int, int]] = []
    for s, e, i, term in matches:
        cls = lw.classes[i]
        if not applicable(i):
            continue
        if i not in lawful:  # the lawful uses are looked for only once a term of the class is found
            if allowed is None:
                allowed = [span for a in allow if a for span in find_all(matching_form(a), text, ignore_case=True)]
                registered = names(written) if names is not None else []
            lawful[i] = _spans(cls.exceptions, text) + allowed
        if _covered(lawful[i], s, e):
            continue
        if cls.lawful_terms and groups is not None and any(
                term.lower() in cls.lawful_terms.get(g, ()) for g in groups[0] | groups[1]):
            continue  # a term that states a fact in this kind of goods ("永久" is a game item's duration)
        if any(a <= s and e <= b and b - a > e - s for a, b in registered):
            continue  # inside a longer registered name (酷冷至尊); a brand that is only the term (永久) is no cover
        if term in cls.needs_object and (cls.object is None or not cls.object.match(text, e)):
            continue  # "改善肤质", "预防褶皱": no disease named, no claim
        found.append((s, e, i, cls, term))
    # the longest match wins where classes overlap; then the earlier class
    kept: list[tuple[int, int, int, TermClass, str]] = []
    for cand in sorted(found, key=lambda c: (-(c[1] - c[0]), c[2], c[0])):
        if not any(cand[0] < k[1] and k[0] < cand[1] for k in kept):
            kept.append(cand)
    findings = []
    words = segmenter.spans(text) if segmenter is not None and kept else None
    for s, e, _order, cls, term in sorted(kept, key=lambda c: c[0]):
        asked = cls.ask is not None and _covered(_spans(cls.ask, text), s, e)
        ds, de, fix = (s, e, None) if asked else _claim(cls, text, s, e, term, words)
        claim = written[min(ds, s):max(de, e)].strip().rstrip("的之】]）)」』》").lstrip("【[（(「『《")
        findings.append(Finding(
            rule=cls.id, severity="warning" if asked else cls.severity, field=field, start=ds, end=de,
            text=claim or written[s:e], message=f"{cls.message}: {claim or written[s:e]!r}", fix=fix, basis=cls.basis,
        ))
    return findings
