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
# a restating clause of catalog copy opens with one of these ("has a round neck", "with a hood")
_CLAUSE_STARTS = {"has", "have", "with", "comes", "features"}
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
        self.names_: set[str] = set()  # title words that name one brand's line ("Alexa"): kept as written

    def fit(self, products: Iterable[Product], data: PhrasingData) -> TitlePhrasing:
        seen: Counter[str] = Counter()
        kept: Counter[str] = Counter()
        found: dict[str, Counter[str]] = defaultdict(Counter)
        lowered: Counter[str] = Counter()
        brands: dict[str, set[str]] = defaultdict(set)
        seen_words: Counter[str] = Counter()
        free = data.free_words
        for p in products:
            if not (p.title and p.description):
                continue
            lowered.update(set(re.findall(r"(?<![A-Za-z])[a-z][a-z\-']*", p.description)))
            for t in title_tokens(p.title):
                brands[t.lower()].add((p.brand or "").lower())
                seen_words[t.lower()] += 1
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
        # a line name ("Alexa", "LacquerInk") recurs in one brand's titles and never in lower case in the copy
        self.names_ = {w for w, b in brands.items() if len(b) == 1 and seen_words[w] >= 2 and not lowered[w]
                       and w.isalpha()}
        self.clauses_ = {g: [c for c, n in cnt.most_common(3) if n >= self.min_clause_count]
                         for g, cnt in found.items() if cnt.most_common(1)[0][1] >= self.min_clause_count}
        return self

    def state(self) -> dict:
        return {"keep_": self.keep_, "clauses_": self.clauses_, "names_": sorted(self.names_)}

    def set_state(self, state: dict) -> TitlePhrasing:
        self.keep_, self.clauses_, self.names_ = state["keep_"], state["clauses_"], set(state["names_"])
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
        """What it is, in the title's own words (every key word carried), for whom and by whom; then what it has
        and how it is cut and made, in the clauses the catalog restates title phrases in ("has a round neck");
        then any attribute values the title does not state. A count moves to the front ("a pack of 3 … boxers").
        The catalog style writes sentences (``_prose``); 简洁 and 专业 keep the labelled form: what it is, how it
        is cut, then "By <brand>, for <wearer>."."""
        tokens: list[str] = []
        if self.phr.learned and self.p.title:
            tokens = title_body(self.p.title, self.facts.brand)
            tokens, count = _counted(tokens)
            low = [t.lower() for t in tokens]
            later, used = self._later_clauses(low)
            inline, cut, used = self._title_clauses(low, used)
            opening = self._opening(tokens, used, count)
        else:
            # nothing learned about how this catalog's copy restates its titles, and a title may be stuffed
            # ("BEST SELLER … FREE SHIPPING"): the attributes speak, the title is not copied
            opening, later, inline, cut = self._from_attributes(), [], [], []
        said = set(_words(" ".join([opening, *later, *inline, *cut])))
        extra = self._attribute_clauses(said, title_speaks=bool(self.phr.learned and self.p.title))
        if not self.style.lead and self.style.max_clauses_per_phrase > 1:
            sents = self._prose(opening, [*later, *inline], cut, extra)
            return self._finish(sents, tokens, opening, later, inline, [*cut, *extra], max_points, closing=None)
        cut += extra
        if self.style.lead and self.facts.brand and "brand" in self.style.lead:
            opening = f"{self.facts.brand} {opening}"
        first = [opening, *later, *inline]
        if self.style.max_clauses_per_phrase == 1:  # concise: one sentence of what it is and how it is cut
            sents = [", ".join([*first, *cut][:2])]
        else:
            sents = [", ".join(first)] + ([_join_clauses(cut)] if cut else [])
        closing = self._closing()
        if closing and len(sents) == 1 and len(_words(sents[0])) <= 3:
            # "Black sweatshirt." is no sentence: "Black sweatshirt from Russell Athletic, for women."
            sents[0] = f"{sents[0]} {closing[:1].lower()}{closing[1:]}".rstrip(".")
            sents[0] = re.sub(r" by (?=\S)", " from ", sents[0], count=1)
            closing = None
        if closing:
            sents.append(closing)
        return self._finish(sents, tokens, opening, later, inline, cut, max_points, closing)

    def _prose(self, opening: str, details: list[str], cut: list[str], extra: list[str]) -> list[str]:
        """Copy a buyer reads as sentences, not labels: "A blue checked casual shirt for men by Parx. It has a
        spread collar and is cut in a slim fit." The same facts as the title, with a subject and a verb; attribute
        values the title does not state (``extra``, in the data file's wording) follow as one line of features."""
        gender, brand = self._wearer(), self.facts.brand
        first = opening
        if gender and gender not in _words(opening):
            first += f" for {gender}"
        if brand and brand.lower() not in opening.lower():
            first += f" {'from' if ' by ' in f' {brand.lower()} ' else 'by'} {brand}"
        plural = _plural_noun(opening)
        # a line name ("To be the King …"), a count ("a pack of 3 …") and a plural take no article
        if first[:1].islower() and not _count_led(opening) and not plural:
            first = f"{'an' if first[:1] in 'aeiou' else 'a'} {first}"
        verbs = []
        for c in details:
            c = c.strip()
            if c.startswith("with "):
                c = ("come " if plural else "comes ") + c
            elif c.startswith("has ") and plural:
                c = "have " + c[4:]
            elif c.split(" ", 1)[0] not in {"has", "comes", "features", "have", "come"}:
                c = ("have " if plural else "has ") + c
            verbs.append(c)
        features = []
        for c in [*cut, *extra]:
            if c.split(" ", 1)[0] in {"cut", "made"}:  # "cut in a slim fit", "made of merino wool"
                verbs.append(("are " if plural else "is ") + c)
            else:
                features.append(c)
        sents = [first]
        if verbs:
            sents.append(("They " if plural else "It ") + _join_clauses(verbs))
        if features:
            sents.append("Features: " + ", ".join(f.strip() for f in features))
        return sents

    def _wearer(self) -> str | None:
        gender = next((_GENDER.get(v.lower()) for n, v in self.p.attributes
                       if n.lower() in ("gender", "性别") and v.lower() in _GENDER), None)
        if gender is None:
            gender = next((_GENDER[t.lower()] for t in title_tokens(self.p.title or "") if t.lower() in _GENDER),
                          None)
        return gender or None

    def _finish(self, sents: list[str], tokens: list[str], opening: str, later: list[str], inline: list[str],
                cut: list[str], max_points: int, closing: str | None) -> EnglishDescription:
        if self.style.closing:
            sents.append(self.style.closing[self.k % len(self.style.closing)].format(p=self._product_word(tokens)))
        if self.audience is not None and self.audience.closing and self.audience_word:
            sents.append(self.audience.closing[self.k % len(self.audience.closing)].format(a=self.audience_word))
        para = " ".join(_sentence(s) for s in sents)
        if self.style.exclaim and para.endswith("."):
            para = para[:-1] + "!"
        points = [_cap(x) for x in [opening, *later, *inline, *cut]][:max_points]
        pieces = [(opening, "opening"), *((c, "phrase") for c in later), *((e, "fallback") for e in [*inline, *cut])]
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
            shown = value.strip().lower() if not value.strip().isupper() else value.strip()
            last = _words(shown)[-1] if _words(shown) else ""
            # "crew neck" + "{v} neckline" is "crew neck", not "crew neck neckline" (nor "turtleneck neckline")
            form = " ".join(w for w in form.split() if w == "{v}" or len(w) < 4 or w[:4] not in last)
            out.append(form.format(v=shown))
            said |= words
        return out

    def _kept(self, w: str) -> bool:
        """Whether the catalog's copy keeps this title word in its first clause (a word it has not seen: yes)."""
        share = self.phr.keep_.get(w)
        return True if share is None else share >= self.phr.keep_share

    def _later_clauses(self, low: list[str]) -> tuple[list[str], set[int]]:
        """Learned clauses for the title's phrases of two or more words that the copy restates later ("round neck"
        → "has a round neck"), longest phrase first; the title words they say are not said again."""
        out: list[str] = []
        used: set[int] = set()
        allowed = set(low) | self.data.free_words
        for n in range(self.phr.max_ngram, 1, -1):
            for i in range(len(low) - n + 1):
                g = " ".join(low[i:i + n])
                span = set(range(i, i + n))
                if g not in self.phr.clauses_ or span & used or all(self._kept(w) for w in low[i:i + n]):
                    continue
                options = [c for c in self.phr.clauses_[g] if set(_words(c)) <= allowed and c not in out
                           and len(_words(c)) > n and _words(c)[0] in _CLAUSE_STARTS]
                if options:
                    out.append(options[self.k % len(options)] if self.style.max_clauses_per_phrase > 1 else options[0])
                    used |= span
        return out, used

    def _title_clauses(self, low: list[str], used: set[int]) -> tuple[list[str], list[str], set[int]]:
        """The data file's clauses for title phrases ("slim fit" → "cut in a slim fit"): those marked ``cut`` go to
        the sentence on how it is cut and made, the rest follow what it is."""
        joined, starts = "", []
        for t in low:
            starts.append(len(joined))
            joined += t + " "
        inline: list[str] = []
        cut: list[str] = []
        for _name, pattern, form, where in self.data.title_phrases:
            m = re.search(pattern, joined)
            if not m:
                continue
            span = {i for i, st in enumerate(starts) if st < m.end() and st + len(low[i]) > m.start()}
            if span & used:
                continue
            (cut if where == "cut" else inline).append(form.format(m.group(0), *(g or "" for g in m.groups())))
            used |= span
        return inline, cut, used

    def _opening(self, tokens: list[str], used: set[int], count: str | None) -> str:
        """What it is: the title's words in title order (a joining word only between two said ones), the product
        word last, a count in front with the product word in the plural."""
        words: list[str] = []
        for i, t in enumerate(tokens):
            if i in used:
                continue
            w = t.lower()
            if w in _JOINERS:
                if words and i + 1 < len(tokens) and i + 1 not in used and i - 1 not in used:
                    words.append("and" if w == "&" else w)
                continue
            words.append(self._case(t))
        while words and words[-1].lower() in _JOINERS | {"and"}:
            words.pop()
        words = _dedupe(words)
        if words and words[-1].lower() != words[-1] and not words[-1].isupper() and not words[-1].startswith("T-"):
            words[-1] = words[-1].lower()  # the product word is a common noun, whatever the title's case
        if count and words:
            words = [count, *words[:-1], _plural(words[-1])]
        return " ".join(words) or (self.facts.product_word or "product")

    def _case(self, token: str) -> str:
        """As catalog prose writes it: lower case, except acronyms ("LED", "TC") and a brand's line names the
        catalog's titles repeat ("Alexa")."""
        low = token.lower()
        if low.startswith("t-") and low[2:].isalpha():
            return "T-" + low[2:]
        if len(token) > 1 and token.isupper() and token.isalpha() and len(token) <= 4:
            return token
        head, dash, rest = token.partition("-")
        if dash and head.isupper() and head.isalpha() and len(head) <= 4:
            return head + dash + rest.lower()  # "AD-Studded" → "AD-studded"
        return token if low in self.phr.names_ and token[:1].isupper() else low

    def _product_index(self, tokens: list[str]) -> int | None:
        """The product word: the last title word the data file or the catalog's copy treats as one."""
        owner = self.data.all_product_words()
        for i in range(len(tokens) - 1, -1, -1):
            if tokens[i].lower() in owner:
                return i
        return None

    def _product_word(self, tokens: list[str]) -> str:
        i = self._product_index(tokens)
        return self._case(tokens[i]) if i is not None else "piece"

    def _closing(self) -> str | None:
        gender = self._wearer()
        brand = self.facts.brand
        if self.style.lead and "brand" in self.style.lead:
            brand = None  # the brand leads the text: said once
        key = "brand_gender" if brand and gender else "brand" if brand else "gender" if gender else None
        if key is None or key not in self.data.closings:
            return None
        forms = self.data.closings[key]
        return forms[self.k % len(forms)].format(b=brand or "", g=gender or "")


def _code(token: str) -> bool:
    """An article code ("P5482", "WB43-WB54", "TEENAGER-PPL-RED"): letters and digits mixed, not a size ("100ml",
    "32oz"), or capitals joined by hyphens."""
    if re.fullmatch(r"[A-Z]+(?:-[A-Z]+){2,}", token):
        return True
    return bool(re.search(r"[A-Za-z]", token) and re.search(r"\d", token)
                and not re.fullmatch(r"\d+(?:\.\d+)?(?:ml|l|g|kg|oz|cm|mm|m|w|mah|gb|tb)", token.lower())
                and not re.fullmatch(r"\d+-pieces?|\d+-piece", token.lower()))


def title_body(title: str, brand: str | None) -> list[str]:
    """The title's words without its brand, the wearer and article codes: what the product is."""
    tokens = title_tokens(title)
    brand_words = [w.lower() for w in title_tokens(brand or "")]
    start = 0
    if brand_words and [t.lower() for t in tokens[:len(brand_words)]] == brand_words:
        start = len(brand_words)  # the brand leads the title
    return [t for t in tokens[start:] if t.lower() not in _GENDER and not _code(t)]


def title_key_words(product: Product) -> list[str]:
    """The title words a description should carry (lower-cased): all but the brand, the wearer, article codes and
    joining words."""
    return [t.lower() for t in title_body(product.title or "", product.brand)
            if t.lower() not in _JOINERS and t != "&"]


def _counted(tokens: list[str]) -> tuple[list[str], str | None]:
    """"… Pack of 3 … Boxer" → the title without the count and "a pack of 3" (a trailing "Set" after "Set of 2"
    dropped: "set of 2 … bowls", not "set of 2 … bowl set")."""
    low = [t.lower() for t in tokens]
    for i in range(len(low) - 2):
        if low[i] in ("pack", "set") and low[i + 1] == "of" and low[i + 2].isdigit():
            rest = tokens[:i] + tokens[i + 3:]
            if low[i] == "set" and rest and rest[-1].lower() == "set":
                rest = rest[:-1]
            return rest, f"a {low[i]} of {low[i + 2]}"
    return tokens, None


def _plural(word: str) -> str:
    low = word.lower()
    if low.endswith(("s", "wear")) or not low.isalpha():
        return word
    if low.endswith(("ch", "sh", "x")):
        return word + "es"
    return word + "s"


def _count_led(opening: str) -> bool:
    """An opening that starts with a count ("a pack of 3 boxers", "a set of 6 placemats") already has its article."""
    return bool(re.match(r"(a|an)\s", opening.lower()))


def _plural_noun(opening: str) -> bool:
    """Whether the product word (the opening's last word) is plural: jeans, sneakers, briefs; not dress, not kurta."""
    last = opening.split()[-1].lower() if opening.split() else ""
    return last.endswith("s") and not last.endswith(("ss", "us", "is"))


def _join_clauses(parts: list[str]) -> str:
    """"cut in a slim fit", "made with some stretch" → "cut in a slim fit and made with some stretch"."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _dedupe(words: list[str]) -> list[str]:
    """A word the title says twice ("Chambray Blue & White Printed Chambray Top") is said once, where it is
    said last (closest to the product word it describes)."""
    out: list[str] = []
    for i, w in enumerate(words):
        low = w.lower()
        if i <= 1 and low not in _JOINERS | {"and"} and any(x.lower() == low for x in words[i + 1:]):
            continue  # only a leading word ("Chambray Blue … Chambray Top"): "made to measure custom made" stays
        if out and out[-1].lower() == low:
            continue
        out.append(w)
    return out


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    text = _cap(text.strip())
    return text if text.endswith((".", "!", "?")) else text + "."
