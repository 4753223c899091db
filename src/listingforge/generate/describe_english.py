"""English descriptions from a product's title and attributes, phrased the way the catalog's English copy is.

English catalog copy restates the title as prose ("SPYKAR Women Pink … High-Rise Clean Look … Cropped Jeans" →
"Pink … high-rise cropped jeans, clean look, …"), so ``TitlePhrasing.fit`` learns from products with a title and
a description:
- ``keep_``: the share of titles with a word whose description carries it into the first clause (colours,
  patterns, the product word: yes; brand, gender, "slim fit": no);
- ``clauses_``: for a title phrase the copy states in a later clause, the clauses sellers write for it
  ("round neck" → "has a round neck", "polo collar" → "has a polo collar"), kept only when every word of the clause
  is a title word or a function word, so that it states nothing the title does not.
Writing one: the first clause is the title's carried words in title order, then the learned clauses, then the title
words the copy leaves out but a buyer wants said (the fit, the fabric) in the data file's wording, then the brand
and the wearer. Nothing that the title and attributes do not state is added.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..product import Product
from .describe_claims import ProductFacts
from .describe_data import PhrasingData, Voice
from .describe_text import clauses, sentences

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-'.]*[A-Za-z0-9]|[A-Za-z0-9]|&")
_WORD = re.compile(r"[a-z0-9][a-z0-9\-']*")
_JOINERS = {"&", "and", "with", "of", "for", "in"}
_GENDER = {"men": "men", "women": "women", "boys": "boys", "girls": "girls", "unisex": "", "kids": "kids",
           "unisex kids": "kids", "man": "men", "woman": "women"}  # unisex: no one to name


def title_tokens(title: str) -> list[str]:
    return _TOKEN.findall(title)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class TitlePhrasing:
    """``fit(products)`` on English products with a title and a description; ``write`` one description."""

    def __init__(self, *, min_seen: int = 3, keep_share: float = 0.5, min_clause_count: int = 2,
                 max_ngram: int = 3) -> None:
        self.min_seen = min_seen
        self.keep_share = keep_share
        self.min_clause_count = min_clause_count
        self.max_ngram = max_ngram
        self.keep_: dict[str, float] = {}
        self.clauses_: dict[str, list[str]] = {}

    def fit(self, products: Iterable[Product], data: PhrasingData) -> TitlePhrasing:
        seen: Counter[str] = Counter()
        kept: Counter[str] = Counter()
        found: dict[str, Counter[str]] = defaultdict(Counter)
        free = data.free_words
        for p in products:
            if not (p.title and p.description):
                continue
            sents = sentences(p.description, "en")
            if not sents:
                continue
            first = set(_words(clauses(sents[0], "en")[0])) if clauses(sents[0], "en") else set()
            title = [t.lower() for t in title_tokens(p.title)]
            for t in set(title):
                seen[t] += 1
                kept[t] += t in first
            allowed = set(title) | free
            grams = {" ".join(title[i:i + n]) for n in range(1, self.max_ngram + 1)
                     for i in range(len(title) - n + 1)}
            later = [c for s_i, s in enumerate(sents) for c_i, c in enumerate(clauses(s, "en"))
                     if s_i or c_i]
            for clause in later:
                words = _words(clause)
                if not words or not set(words) <= allowed or len(words) > 8:
                    continue  # it states something the title does not
                text = " ".join(words)
                for g in grams:
                    if g in free or not re.search(r"(?<![a-z0-9-])" + re.escape(g) + r"(?![a-z0-9-])", text):
                        continue
                    if len(words) == len(g.split()) and " " not in g:
                        continue  # "Colour: Blue" gives the clause "blue": it adds nothing to the word
                    found[g][text] += 1
        self.keep_ = {t: kept[t] / n for t, n in seen.items() if n >= self.min_seen}
        self.clauses_ = {g: [c for c, n in cnt.most_common(3) if n >= self.min_clause_count]
                         for g, cnt in found.items() if cnt.most_common(1)[0][1] >= self.min_clause_count}
        return self

    def state(self) -> dict:
        return {"keep_": self.keep_, "clauses_": self.clauses_}

    def set_state(self, state: dict) -> TitlePhrasing:
        self.keep_, self.clauses_ = state["keep_"], state["clauses_"]
        return self

    @property
    def learned(self) -> bool:
        return bool(self.keep_)


@dataclass
class EnglishDescription:
    points: list[str]
    paragraph: str
    pieces: list[tuple[str, str]]  # (text, kind)


class EnglishWriter:
    """One English description from the title and attributes; ``phrasing`` may be unfitted (no descriptions)."""

    def __init__(self, product: Product, facts: ProductFacts, data: PhrasingData, phrasing: TitlePhrasing,
                 style: Voice, audience: Voice | None, audience_word: str | None, k: int) -> None:
        self.p, self.facts, self.data, self.phr = product, facts, data, phrasing
        self.style, self.audience, self.audience_word, self.k = style, audience, audience_word, k

    def write(self, max_points: int = 5) -> EnglishDescription:
        if self.phr.learned and self.p.title:
            tokens = self._title_body()
            low = [t.lower() for t in tokens]
            later, used = self._later_clauses(low)
            title_low = " ".join(low)
            extras = []
            for _name, pattern, form in self.data.title_phrases:
                m = re.search(pattern, title_low)
                if m and not any(self._kept(w) for w in _words(m.group(0))) and not set(_words(m.group(0))) & used:
                    extras.append(form.format(m.group(0), *(g or "" for g in m.groups())))
                    used |= set(_words(m.group(0)))
            opening = self._opening(tokens, used)
        else:
            # nothing learned about how this catalog's copy restates its titles, and a title may be stuffed
            # ("BEST SELLER … FREE SHIPPING"): the attributes speak, the title is not copied
            opening, later, extras = self._from_attributes(), [], []
        said = set(_words(" ".join([opening, *later, *extras])))
        extras += self._attribute_clauses(said, title_speaks=bool(self.phr.learned and self.p.title))
        if self.style.lead and self.facts.brand and "brand" in self.style.lead:
            opening = f"{self.facts.brand} {opening}"
        first = [opening, *later, *extras][: 1 + (1 if self.style.max_clauses_per_phrase == 1 else 5)]
        sents = [", ".join(first)]
        closing = self._closing()
        if closing:
            sents.append(closing)
        if self.style.closing:
            sents.append(self.style.closing[self.k % len(self.style.closing)].format(p=self._product_word(tokens)))
        if self.audience is not None and self.audience.closing and self.audience_word:
            sents.append(self.audience.closing[self.k % len(self.audience.closing)].format(a=self.audience_word))
        para = " ".join(_sentence(s) for s in sents)
        if self.style.exclaim and para.endswith("."):
            para = para[:-1] + "!"
        points = [_cap(x) for x in [opening, *later, *extras]][:max_points]
        pieces = [(opening, "opening"), *((c, "phrase") for c in later), *((e, "fallback") for e in extras)]
        if closing:
            pieces.append((closing, "closing"))
        return EnglishDescription(points, para, pieces)

    # ------------------------------------------------------------------ parts
    _SKIP = {"brand", "gender", "title", "price", "id", "sku"}
    _OPENING_KINDS = ("color", "colour", "material", "fabric")

    def _value(self, *names: str) -> str | None:
        return next((v for n, v in self.p.attributes if n.strip().lower() in names and v.strip()), None)

    def _noun(self) -> str:
        """What it is: a type attribute, else the category's last level in the singular."""
        named = self._value("product", "type", "product type", "item type", "articletype")
        if named:
            return named.lower()
        leaf = re.split(r"\s*[>/]\s*", self.p.category or "")[-1].strip().lower()
        if leaf.endswith("s") and not leaf.endswith("ss"):
            leaf = leaf[:-1]
        return leaf or "product"

    def _from_attributes(self) -> str:
        parts = [self._value(k) for k in self._OPENING_KINDS]
        words = [p.lower() for p in parts if p]
        return " ".join(_dedupe([*words, self._noun()]))

    def _attribute_clauses(self, said: set[str], *, title_speaks: bool) -> list[str]:
        """Attribute values the text has not said yet, in the data file's wording ("regular fit", "holds 32 oz").
        Where the title speaks, its colour stands: a catalog's colour field is one colour of a "multicoloured"
        belt, and saying both would contradict it."""
        out = []
        for name, value in self.p.attributes:
            key = name.strip().lower()
            words = set(_words(value))
            if key in self._SKIP or not words or words <= said or key in ("type", "product"):
                continue
            if title_speaks and key in ("colour", "color"):
                continue
            form = self.data.fallback_for(key)[0]
            out.append(form.format(v=value.strip().lower() if not value.strip().isupper() else value.strip()))
            said |= words
        return out

    def _title_body(self) -> list[str]:
        """The title's words without the brand and the wearer (said at the end)."""
        tokens = title_tokens(self.p.title or "") or [v for _n, v in self.p.attributes
                                                       if _n.lower() in ("product", "type", "articletype")]
        brand = {w.lower() for w in _words(self.facts.brand or "")}
        out = []
        for i, t in enumerate(tokens):
            w = t.lower()
            if w in brand and i < len(brand) + 1:
                continue
            if w in _GENDER:
                continue
            out.append(t)
        return out

    def _kept(self, w: str) -> bool:
        share = self.phr.keep_.get(w)
        if share is None:  # a word the catalog has not seen often: kept unless the data file phrases it
            return not self.phr.learned or w in ("&", "and")
        return share >= self.phr.keep_share

    def _later_clauses(self, low: list[str]) -> tuple[list[str], set[str]]:
        """Learned clauses for the title's phrases, longest phrase first, each word of the title said once."""
        out: list[str] = []
        used: set[str] = set()
        allowed = set(low) | self.data.free_words
        for n in range(self.phr.max_ngram, 0, -1):
            for i in range(len(low) - n + 1):
                g = " ".join(low[i:i + n])
                if g not in self.phr.clauses_ or set(low[i:i + n]) & used or all(self._kept(w) for w in low[i:i + n]):
                    continue
                options = [c for c in self.phr.clauses_[g] if set(_words(c)) <= allowed and c not in out
                           and not set(_words(c)) & used]
                if options:
                    out.append(options[self.k % len(options)] if self.style.max_clauses_per_phrase > 1 else options[0])
                    used |= set(low[i:i + n]) | (set(_words(out[-1])) - self.data.free_words)
        return out, used

    def _opening(self, tokens: list[str], used: set[str]) -> str:
        """The title's carried words in title order; a joining word ("&", "with", "of") only between two kept ones;
        the product word always. Too little kept (a perfume's name): the title's own words."""
        # a plain number ("Set of 6", "125 ml") is a count or a size the title states; a code ("PIWBK9146012") is not
        keep = [t.lower() not in used and (self._kept(t.lower()) or t.isdigit()) for t in tokens]
        noun = self._product_index(tokens)
        if noun is not None and tokens[noun].lower() not in used:
            keep[noun] = True
        elif noun is None:  # a product the data file does not know: its title ends with what it is
            for i in range(max(0, len(tokens) - 2), len(tokens)):
                if tokens[i].isalpha() and tokens[i].lower() not in used:
                    keep[i] = True
        words = []
        for i, t in enumerate(tokens):
            w = t.lower()
            if w in _JOINERS:
                if words and any(keep[i + 1:i + 2]) and keep[i - 1]:
                    words.append("and" if w == "&" else w)
                continue
            if keep[i]:
                words.append(_case(t))
        if len(words) < 2 or (noun is None and len(words) < 0.4 * len(tokens)):
            words = [("and" if t == "&" else _case(t)) for t in tokens if t.lower() not in used and not _code(t)]
        return " ".join(_dedupe(words)) or (self.facts.product_word or "product")

    def _product_index(self, tokens: list[str]) -> int | None:
        """The product word: the last title word the data file or the catalog's copy treats as one."""
        owner = self.data.all_product_words()
        for i in range(len(tokens) - 1, -1, -1):
            if tokens[i].lower() in owner:
                return i
        return None

    def _product_word(self, tokens: list[str]) -> str:
        i = self._product_index(tokens)
        return _case(tokens[i]) if i is not None else "piece"

    def _closing(self) -> str | None:
        gender = next((_GENDER.get(v.lower()) for n, v in self.p.attributes
                       if n.lower() in ("gender", "性别") and v.lower() in _GENDER), None)
        if gender is None:
            gender = next((_GENDER[t.lower()] for t in title_tokens(self.p.title or "") if t.lower() in _GENDER),
                          None)
        gender = gender or None
        brand = self.facts.brand
        key = "brand_gender" if brand and gender else "brand" if brand else "gender" if gender else None
        if key is None or key not in self.data.closings:
            return None
        forms = self.data.closings[key]
        return forms[self.k % len(forms)].format(b=brand or "", g=gender or "")


def _code(token: str) -> bool:
    """An article code ("P5482", "WB43-WB54"): letters and digits mixed, not a size ("100ml", "32oz")."""
    return bool(re.search(r"[A-Za-z]", token) and re.search(r"\d", token)
                and not re.fullmatch(r"\d+(?:\.\d+)?(?:ml|l|g|kg|oz|cm|mm|m|w|mah|gb|tb)", token.lower()))


def _case(token: str) -> str:
    """Lower case as catalog prose has it, except acronyms ("LED") and T-shirt."""
    if token.lower().startswith("t-"):
        return "T-" + token[2:].lower()
    if len(token) > 1 and token.isupper() and token.isalpha() and len(token) <= 4:
        return token
    return token.lower()


def _dedupe(words: list[str]) -> list[str]:
    out: list[str] = []
    for w in words:
        if out and out[-1].lower() == w.lower():
            continue
        out.append(w)
    return out


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    text = _cap(text.strip())
    return text if text.endswith((".", "!", "?")) else text + "."
