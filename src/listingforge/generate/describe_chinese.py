"""One Chinese description from a product's facts and the seller's learned phrasing: fewer, better clauses.

Writing one:
1. the product is named once, whole: its product-word values joined the way sellers join them (裙型=牛仔裙 and
   裙长=半身裙 → "牛仔半身裙", 裤长=九分裤 and 裤型=阔腿裤 → "九分阔腿裤"; generate/data/describe.zh.toml ``[nouns]``);
2. every other value gets one piece: the seller's own clause for it (a learned phrase, often "detail, what it does":
   "高腰设计，将双腿拉伸的更加修长"), else a learned template, else the data file's wording. A piece is used only when
   the product backs every claim in it (``ClaimModel``: a descriptive word needs the detail it is said of), when it
   repeats no word already written, and when it does not read broken (describe_quality);
3. a piece that only names a detail ("拉链的设计") gets the clause sellers add after that value, else it goes in
   front of a piece that says something, so that every sentence ends on what the detail does;
4. pieces are ordered the way the catalog orders them and joined into sentences of two to four clauses;
5. the draft is read back as a reader would (unsupported claims, fragments, repeats): a flawed piece is dropped or
   replaced by the data file's wording for its value, and the draft joined again.
Stock phrases: among the few best pieces for a value, the product's id picks one, so a catalog does not get the same
sentence under every product.
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass, field, replace

from .base import Spec
from .describe_claims import ClaimModel, ProductFacts
from .describe_data import PhrasingData, Voice
from .describe_phrasebook import Phrase, PhraseBook
from .describe_quality import fragments, is_noun_phrase, repeated, stacked_praise, stuffed
from .describe_text import clauses, join_sentences

_OPENS = re.compile(r"^(这款|这件|这条|此款|这一款|这是一款|本款|一款)")
_PART_WORDS = {"裙摆", "裤腿", "裤脚", "裙身", "裤身", "衣身", "裙型", "裤型", "裤腰", "裙边"}
_SKIP_NAMES = {"货号", "主图来源", "配送安装地区", "省份", "城市", "上市时间", "上市年份季节", "售后服务", "是否量贩装",
               "是否为特殊用途化妆品", "规格类型", "毛重", "id", "sku", "model number", "gender_raw", "price", "品牌",
               "brand", "title", "目标人群"}


@dataclass(frozen=True)
class Weights:
    """How a piece is scored. ``typical`` above ~6 made every text the same bland phrases (first round); the rest
    were set by reading outputs on a fold of the AdvertiseGen train part (never the held-out fifth)."""

    typical: float = 4.0  # wording other sellers share for the same values
    common: float = 0.4  # mean log document frequency of its words
    length: float = 1.5  # closeness to the characters left per value
    comment: float = 0.8  # it says something about the detail (not only "X的设计")
    again: float = 1.5  # per value already covered
    min_budget: float = 12.0  # characters per value, at least
    max_piece: int = 30  # characters in one piece, at most
    choose_within: float = 0.6  # the product picks among pieces scoring within this of the best
    stop_at: float = 1.25  # past this share of the target length, only values still uncovered are added
    # a clause naming no value ("在设计上更是凸显出它与众不同之处", "是非常好穿的单品") is praise with nothing in it: blind
    # reviewers preferred copy without it 27 to 7, except where the product's facts leave a bare name ("这款半身裙。")
    free_below: float = 0.1  # a clause naming no value is added only to a text shorter than this share
    free_phrases: int = 1  # and at most this many
    closing_below: float = 0.0  # a closing is added only to a text shorter than this share
    spread: int = 12  # clauses naming no value: the product picks among this many of the best
    short: float = 1.0  # a piece shorter than this share of its characters gets the seller's comment on its value


@dataclass
class Piece:
    """One piece of the text: its clauses, the values it covers, where it goes."""

    text: str
    covers: frozenset[str]
    position: float
    kind: str  # opening | phrase | template | fallback | closing | free
    initial: bool = True
    np: bool = False  # names a detail and says nothing of it
    form: str = ""  # the wording with {v}: a fallback or template
    alternatives: list[str] = field(default_factory=list)  # data-file wordings to fall back on

    @property
    def clauses(self) -> int:
        return self.text.count("，") + 1


def product_noun(facts: ProductFacts, data: PhrasingData) -> tuple[str, frozenset[str]]:
    """How to name the product, and the values that name covers: the head product word with the product's other
    product-word values before it as modifiers ("牛仔" + "半身裙"); the single word the facts give otherwise."""
    owner = data.all_product_words()
    nouns = data.nouns
    found: list[tuple[str, str]] = []  # (value lower-cased, product word)
    for name in data.specific_attributes:
        for v in facts.by_attribute.get(name, []):
            low = v.lower()
            word = nouns.names.get(low, v)
            if word.lower() not in owner or low in data.product_words or any(low == f[0] for f in found):
                continue
            if facts.type_key and owner[word.lower()] != facts.type_key:
                continue
            found.append((low, word))
    if not found:
        return facts.product_word or "商品", frozenset()
    rank = {w: i for i, w in enumerate(nouns.heads)}
    head_low, head = min(found, key=lambda f: (rank.get(f[1].lower(), len(rank)), found.index(f)))
    mods: list[str] = []
    covered = {head_low}
    for low, word in found:
        if low == head_low:
            continue
        spec = nouns.modifiers.get(word.lower())
        if not spec or len(mods) >= 2:
            continue
        form, heads = spec[0], spec[1:]
        if heads and not any(head.endswith(h) for h in heads):
            continue  # 马甲 goes before 外套, not before 衬衫
        if form in head or any(form in m or m in form for m in mods):
            continue
        mods.append(form)
        covered.add(low)
    return "".join(mods) + head, frozenset(covered)


class ChineseWriter:
    """Writes one candidate for one product (``k`` varies the choices between candidates)."""

    def __init__(self, facts: ProductFacts, data: PhrasingData, claims: ClaimModel, book: PhraseBook | None,
                 attribute_position: dict[str, float], style: Voice, audience: Voice | None, spec: Spec,
                 target: int, k: int, usable: dict[tuple[str, int, str], bool], weights: Weights,
                 product_id: str = "") -> None:
        self.data, self.claims, self.book = data, claims, book
        self.attribute_position = attribute_position
        self.style, self.audience, self.spec = style, audience, spec
        self.target, self.k, self.w = target, k, weights
        self._usable = usable
        self.noun, self.noun_values = product_noun(facts, data)
        # the composed name is this product's own word ("牛仔半身裙" names it as well as 半身裙 does)
        self.facts = replace(facts, product_words=facts.product_words | {self.noun.lower()})
        self.prefer = style.prefer | (audience.prefer if audience else frozenset())
        self.avoid = style.avoid
        self.lead = [*(audience.lead if audience else ()), *style.lead]
        self.owner = data.all_product_words()
        # two products with the same facts (colour variants) need not read alike
        self.seed = zlib.crc32(f"{product_id}|{facts.source}|{k}".encode())
        self.used: dict[str, int] = {}  # words written so far (values excepted) → times

    # ------------------------------------------------------------------ what to say
    def wanted(self) -> list[str]:
        """The values to cover, the voice's lead attributes first, then in the order the catalog names them."""
        f = self.facts
        out = [v for v, a in f.values.items() if v not in self.noun_values and v not in self.data.product_words
               and a.lower() not in _SKIP_NAMES and v != (f.product_word or "").lower()
               and v not in self.data.quality.optional_values and v not in f.rivals]
        lead = {a: i for i, a in enumerate(self.lead)}
        return sorted(out, key=lambda v: (lead.get(f.values[v], len(lead)),
                                          self.attribute_position.get(f.values[v], 0.5)))

    # ------------------------------------------------------------------ checks on one piece
    def usable(self, ph: Phrase) -> bool:
        """Every value it names is this product's and every other claim is backed (cached per product)."""
        key = (self.spec.audience or "", id(ph), self.facts.source)
        hit = self._usable.get(key)
        if hit is None:
            if ph.type_key and self.facts.type_key and ph.type_key != self.facts.type_key and ph.kind != "phrase":
                hit = False  # an opening or template written for trousers does not open a dress
            else:
                hit = ph.usable_for(self.facts) and not set(ph.values) & self.facts.rivals
            if len(self._usable) > 500_000:
                self._usable.clear()
            self._usable[key] = hit
        return hit

    def words(self, text: str) -> list[str]:
        vals = self.facts.values
        return [w.lower() for w in self.claims.segmenter.cut(text) if len(w) >= 2 and re.search(r"[^\W\d_]", w)
                and w.lower() not in vals and not any(w.lower() in v for v in vals)
                and w.lower() not in self.data.quality.repeat_free]

    def repeats(self, text: str) -> bool:
        """It says a word the text already has (a detail noun such as 设计 may come back once)."""
        limits = self.data.quality.repeat_limits
        mine: dict[str, int] = {}
        for w in self.words(text):
            mine[w] = mine.get(w, 0) + 1
        return any(self.used.get(w, 0) + n > limits.get(w, 1) for w, n in mine.items())

    def reads_whole(self, text: str) -> bool:
        q = self.data.quality
        if any(re.search(p, text) for p in q.broken):
            return False
        return not any(w in text and not any(p in text[text.index(w) + len(w):] for p in partner)
                       for w, partner in q.pairs.items())

    def names_other_product(self, text: str) -> bool:
        """A piece naming a product word ("这条高腰短裙") names the product a second time, or a different one."""
        low = text.lower()
        return any(w in low for w in self.owner if len(w) >= 2 and w not in _PART_WORDS)

    def fits(self, text: str, claims_of: dict[str, str] | None = None) -> bool:
        """Backed, whole, new words only; ``claims_of``: the values the piece is said of (checked again here:
        wording filled in from the data file was never checked at fit time)."""
        if self.repeats(text) or not self.reads_whole(text) or self.names_other_product(text) \
                or self.miscalled(text) or any(len(c) < 4 for c in clauses(text, "zh")):
            return False  # a clause of three characters is a stub cut from a longer one ("味十足")
        if claims_of is not None:
            return not [n for n in self.claims.needs(text, claims_of) if not n.met(self.facts)]
        return True

    def miscalled(self, text: str) -> bool:
        """A value called by the head of another kind of attribute: "纯色的版型" (a colour is no cut)."""
        low = text.lower()
        for value, attr in self.facts.values.items():
            for head, attrs in self.data.template_heads.items():
                if attr not in attrs and re.search(re.escape(value) + "的?" + head, low):
                    return True
        return False

    def np(self, text: str, covers: frozenset[str]) -> bool:
        return is_noun_phrase(clauses(text, "zh")[-1], self.data, covers)

    # ------------------------------------------------------------------ scoring and choosing
    def score(self, text: str, covers: frozenset[str], covered: set[str], wanted: dict[str, float],
              budget: float, typical: float) -> float:
        new = sum(wanted.get(v, 0.0) for v in covers - covered)
        again = len(covers & covered)
        words = [w for w in self.claims.segmenter.cut(text) if len(w) > 1]
        common = sum(math.log1p(self.claims.df_.get(w.lower(), 0)) for w in words) / max(1, len(words))
        fit = 0.0
        if budget > 0:
            fit = min(len(text), budget) / budget - (1.0 if len(text) > 2.2 * budget else 0.0)
        voice = 0.4 * sum(1 for w in words if w in self.prefer) - 3.0 * sum(1 for w in words if w in self.avoid)
        said = 0.0 if self.np(text, covers) else self.w.comment
        return (new - self.w.again * again + self.w.common * common + self.w.length * fit + self.w.typical * typical
                + voice + said)

    def choose(self, scored: list[tuple[float, int, Piece]], top: int = 4, within: float | None = None) -> Piece | None:
        """One of the ``top`` pieces scoring near the best, picked by the product (and the candidate number): the
        same clause under every product of a catalog reads as a stamp."""
        scored = [s for s in scored if s[0] > -math.inf]
        if not scored:
            return None
        best = max(s[0] for s in scored)
        margin = self.w.choose_within if within is None else within
        near = sorted((s for s in scored if s[0] >= best - margin), key=lambda s: (-s[0], s[1]))[:top]
        return near[(self.seed + len(self.used)) % len(near)][2]

    # ------------------------------------------------------------------ pieces
    def opening(self, wanted: dict[str, float], covered: set[str]) -> Piece:
        """"这条九分阔腿裤", or a learned opening of the seller's with the product's name in it ("这款{p}采用…")."""
        measure = self.data.measure_words.get(self.facts.type_key or "", self.data.measure_words.get("default", "款"))
        head = self.opening_form().format(p=self.noun, m=measure, b=self.facts.brand or "", hello=self.hello())
        scored: list[tuple[float, int, Piece]] = []
        if self.book is not None and not self.facts.brand and not self.style.address:
            for i in self.book.openings_:
                ph = self.book.phrases_[i]
                rest = ph.text[len("这款{p}"):] if ph.text.startswith("这款{p}") else None
                if not rest or not self.usable(ph) or ph.clauses > self.style.max_clauses_per_phrase:
                    continue
                rest = rest.lstrip("，")
                if not rest or not self.fits(rest) or len(rest) > self.w.max_piece:
                    continue
                text = head + ("，" if rest[0] not in "的是" and not rest.startswith(("非常", "采用")) else "") + rest
                covers = frozenset(ph.values) - self.noun_values
                s = self.score(text, covers, covered, wanted, 0.0, ph.typical)
                if s > 1.0:
                    scored.append((s, i, Piece(text, covers, 0.0, "opening", np=False)))
        best = self.choose(scored)
        return best or Piece(head, frozenset(), 0.0, "opening", np=True)

    def opening_form(self) -> str:
        forms = self.data.opening_forms(self.spec.style, bool(self.facts.brand))
        return forms[self.k % len(forms)]

    def hello(self) -> str:
        hello = (self.audience.address if self.audience else None) or self.style.address or ""
        if hello and self.claims.unsupported(hello, self.facts):
            return "大家"  # "姐妹们" for men's jeans would be a false claim
        return hello

    def phrase_for(self, value: str, wanted: dict[str, float], covered: set[str], budget: float) -> Piece | None:
        """The seller's clause for ``value``, else a learned template for its attribute, else the data file's."""
        scored: list[tuple[float, int, Piece]] = []
        if self.book is not None:
            for i in self.book.by_value_.get(value, ()):
                ph = self.book.phrases_[i]
                if ph.first or _OPENS.match(ph.text) or ph.clauses > self.style.max_clauses_per_phrase \
                        or len(ph.text) > self.w.max_piece or not self.usable(ph) or not self.fits(ph.text):
                    continue
                covers = frozenset(ph.values)
                s = self.score(ph.text, covers, covered, wanted, budget, ph.typical)
                scored.append((s, i, Piece(ph.text, covers, ph.position, "phrase", ph.initial,
                                           self.np(ph.text, covers))))
            attr = self.facts.values[value]
            shown = self.shown(value)
            for i in self.book.by_attribute_.get(attr, ()):
                ph = self.book.phrases_[i]
                text = fill(ph.text, shown)
                if not self.usable(ph) or ph.clauses > self.style.max_clauses_per_phrase \
                        or not self.fits(text, {value: attr}):
                    continue
                covers = frozenset([value])
                s = self.score(text, covers, covered, wanted, budget, ph.typical) - 0.3
                scored.append((s, 10_000 + i, Piece(text, covers, ph.position, "template", ph.initial,
                                                    self.np(text, covers), ph.text)))
        best = self.choose(scored)
        return best if best is not None else self.fallback(value)

    def fallback(self, value: str, avoid: str = "", siblings: tuple[str, ...] = (), last_resort: bool = False
                 ) -> Piece | None:
        """The data file's wording for the value's attribute, one that repeats nothing already written; with
        ``siblings`` (other values of the attribute no phrase of their own covers) it says them together:
        "饰以字母和文字图案", not two clauses that say the same. ``last_resort``: a value must be said, so the form
        that repeats least will do."""
        attr = self.facts.values[value]
        where = f"{self.facts.category} {self.facts.type_key or ''}"
        forms = [f for f in self.data.fallback_for(attr, where) if f.count("，") < self.style.max_clauses_per_phrase]
        forms = forms or ["{v}"]
        start = (self.seed + len(value)) % len(forms)
        values = (value, *siblings)
        shown = [self.shown(v) for v in values]
        said = shown[0] if len(shown) == 1 else "、".join(shown[:-1]) + "和" + shown[-1]
        named = {v: attr for v in values}
        use = self.data.uses.get(value) if not siblings else None
        if use:  # the plain wording, then what the detail does ("开叉设计，方便行走")
            text = fill(forms[-1], said) + "，" + use
            if text != avoid and self.fits(text, named):
                return Piece(text, frozenset(values), self.attribute_position.get(attr, 0.5), "fallback", True,
                             False, forms[-1])
        tried = []
        for j in range(len(forms)):
            form = forms[(start + j) % len(forms)]
            text = fill(form, said)
            if text == avoid:
                continue
            if self.fits(text, named):
                return Piece(text, frozenset(values), self.attribute_position.get(attr, 0.5), "fallback", True,
                             self.np(text, frozenset(values)), form)
            tried.append(text)
        if last_resort and tried:
            text = min(tried, key=lambda t: sum(self.used.get(w, 0) for w in self.words(t)))
            if not [n for n in self.claims.needs(text, named) if not n.met(self.facts)]:
                return Piece(text, frozenset(values), self.attribute_position.get(attr, 0.5), "fallback", True,
                             self.np(text, frozenset(values)))
        return None

    def siblings(self, value: str, order: list[str], covered: set[str]) -> tuple[str, ...]:
        """Other values of ``value``'s attribute still to say that no learned phrase of the seller's covers (any, for
        the attributes said in one go: "选用棉和混纺面料")."""
        attr = self.facts.values[value]
        out = []
        for u in order:
            if u == value or u in covered or self.facts.values[u] != attr:
                continue
            if sum(u in {x.lower() for x in vals} for vals in self.facts.by_attribute.values()) > 1:
                continue  # 纯色 as colour and as pattern: "solid", no colour to list with 黑色
            if attr not in self.data.together and self.book is not None and any(
                    self.usable(self.book.phrases_[i]) and self.fits(self.book.phrases_[i].text)
                    for i in self.book.by_value_.get(u, ())):
                continue
            out.append(u)
        return tuple(out[:1])  # two values in one clause; three read as a list

    def comment(self, piece: Piece, budget: float) -> Piece:
        """A piece that only names its detail, or is short of its share of the length, gets the clause sellers add
        after naming that value ("采用雪纺面料" → "…，轻盈飘逸")."""
        if self.book is None or piece.clauses >= self.style.max_clauses_per_phrase:
            return piece
        if not piece.np and len(piece.text) >= self.w.short * budget:
            return piece
        scored: list[tuple[float, int, Piece]] = []
        named = {v: self.facts.values[v] for v in piece.covers}
        for v in piece.covers:
            for i in self.book.elaborations_.get(v, ()):
                ph = self.book.phrases_[i]
                said_of = {u for u in ph.values if u not in self.owner and u not in self.data.product_words}
                if len(ph.text) < 4 or ph.text in piece.text or not said_of <= piece.covers or not self.usable(ph):
                    continue
                if self.repeats(piece.text + "，" + ph.text) or not self.fits(ph.text, named):
                    continue
                s = self.score(ph.text, frozenset(), set(), {}, max(6.0, budget - len(piece.text)), ph.typical)
                scored.append((s, i, Piece(ph.text, frozenset(), 0.0, "phrase")))
        best = self.choose(scored, top=8, within=1.0)
        if best is None:
            return piece
        return replace(piece, text=piece.text + "，" + best.text, np=False)

    def closing(self, length: int) -> Piece | None:
        if self.audience is not None and self.audience.closing:
            form = self.audience.closing[self.k % len(self.audience.closing)]
            return Piece(form.format(a=self.spec.audience or ""), frozenset(), 1.0, "closing")
        if self.style.closing:
            return Piece(self.style.closing[self.k % len(self.style.closing)], frozenset(), 1.0, "closing")
        if self.book is None or length >= self.w.closing_below * self.target:
            return None
        scored: list[tuple[float, int, Piece]] = []
        for i in self.book.free_:
            ph = self.book.phrases_[i]
            if not ph.last or ph.clauses > 1 or len(ph.text) < 6 or len(ph.text) > 16 or not self.usable(ph) \
                    or not self.fits(ph.text, {}) or _OPENS.match(ph.text) or self.leans(ph.text):
                continue
            s = self.score(ph.text, frozenset(), set(), {}, max(6.0, self.target - length), ph.typical)
            scored.append((s, i, Piece(ph.text, frozenset(), 1.0, "closing")))
        return self.choose(scored, top=self.w.spread, within=2.0)

    def free(self, budget: float) -> Piece | None:
        """A phrase of the seller's that names no value and claims nothing this product does not back."""
        if self.book is None:
            return None
        scored: list[tuple[float, int, Piece]] = []
        for i in self.book.free_:
            ph = self.book.phrases_[i]
            if ph.last or ph.first or len(ph.text) < 7 or len(ph.text) > self.w.max_piece or self.leans(ph.text) \
                    or ph.clauses > self.style.max_clauses_per_phrase or not self.usable(ph) \
                    or not self.fits(ph.text, {}):
                continue
            s = self.score(ph.text, frozenset(), set(), {}, budget, ph.typical)
            scored.append((s, i, Piece(ph.text, frozenset(), ph.position, "free", ph.initial)))
        return self.choose(scored, top=self.w.spread, within=2.0)

    def shown(self, value: str) -> str:
        """A value as the seller wrote it."""
        attr = self.facts.values[value]
        return next((x for x in self.facts.by_attribute.get(attr, []) if x.lower() == value), value)

    def leans(self, text: str) -> bool:
        return any(text.startswith(w) for w in self.data.continuation)

    def take(self, piece: Piece) -> None:
        for w in self.words(piece.text):
            self.used[w] = self.used.get(w, 0) + 1

    # ------------------------------------------------------------------ the text
    def write(self, max_points: int) -> tuple[list[str], str, list[Piece]]:
        order = self.wanted()
        wanted = {v: 2.0 - i / max(1, len(order)) for i, v in enumerate(order)}
        covered: set[str] = set()
        opening = self.opening(wanted, covered)
        if opening.covers:  # "这款九分裤采用棉面料" → "…，柔软亲肤": what sellers say after naming the fabric
            opening = self.comment(opening, self.w.min_budget * 2)
        self.take(opening)
        covered |= opening.covers
        body: list[Piece] = []
        length = len(opening.text)
        for v in order:
            if v in covered:
                continue
            if length >= self.w.stop_at * self.target and len(covered & set(order)) >= max(2, len(order) - 1):
                break
            left = [x for x in order if x not in covered]
            budget = max(self.w.min_budget, (self.target - length) / max(1, len(left)))
            piece = self.phrase_for(v, wanted, covered, budget)
            if self.facts.values[v] in self.data.together and self.siblings(v, order, covered):
                piece = None  # two materials, two colours: said in one go by the data file's wording
            if piece is not None and piece.kind != "phrase":  # the data file's wording: say its siblings with it
                together = self.fallback(v, siblings=self.siblings(v, order, covered))
                piece = together if together is not None and len(together.covers) > 1 else piece
            if piece is None:
                piece = self.fallback(v, siblings=self.siblings(v, order, covered), last_resort=True)
            if piece is None:
                continue
            piece = self.comment(piece, budget)
            if piece.np and piece.kind != "fallback":
                # a detail named with nothing said of it: the data file's wording says something ("加入…的细节")
                said = self.fallback(v)
                if said is not None and not said.np:
                    piece = said
            self.take(piece)
            covered |= piece.covers
            body.append(piece)
            length += len(piece.text) + 1
        for _ in range(self.w.free_phrases):  # few facts: clauses of the seller's that claim nothing unbacked
            if length >= self.w.free_below * self.target:
                break
            extra = self.free(self.target - length)
            if extra is None:
                break
            self.take(extra)
            body.append(replace(extra, position=0.95))  # a word on the whole, after the details
            length += len(extra.text) + 1
        closing = self.closing(length)
        if closing is not None:
            self.take(closing)
        pieces = self.revised(opening, body, closing)
        para = self.join(pieces)
        return self.points(order, max_points), para, pieces

    def revised(self, opening: Piece, body: list[Piece], closing: Piece | None) -> list[Piece]:
        """The draft read back as a reader would: a piece with an unsupported claim, a broken sentence or a repeat
        is replaced by the data file's wording for its values (or dropped when it covers none), until none is left."""
        for _ in range(4):
            pieces = [opening, *self.ordered(body), *([closing] if closing else [])]
            bad = self.flawed(pieces)
            if not bad:
                return pieces
            for p in bad:
                if p is opening:
                    opening = Piece(self.opening_form().format(
                        p=self.noun, m=self.data.measure_words.get(self.facts.type_key or "", "款"),
                        b=self.facts.brand or "", hello=self.hello()), frozenset(), 0.0, "opening", np=True)
                    for v in self.to_resay(p):  # what the seller's opening said is said another way
                        spare = self.fallback(v) or self.fallback(v, last_resort=True)
                        if spare is not None:
                            self.take(spare)
                            body.append(spare)
                    continue
                if p is closing:
                    closing = None
                    continue
                i = body.index(p)
                self.used = {}
                for q in [opening, *body[:i], *body[i + 1:]]:
                    self.take(q)
                if not p.covers:
                    del body[i]  # it said no value: nothing is lost
                    continue
                by_attr: dict[str, list[str]] = {}
                for v in self.to_resay(p):
                    by_attr.setdefault(self.facts.values[v], []).append(v)
                spares = []
                for values in by_attr.values():  # one piece per attribute, its values together
                    spare = self.fallback(values[0], avoid=p.text, siblings=tuple(values[1:])) or self.fallback(
                        values[0], avoid=p.text, siblings=tuple(values[1:]), last_resort=True)
                    if spare is None:
                        spares = [p]  # no other wording: a repeat is a smaller fault than a fact left unsaid
                        break
                    spares.append(spare)
                    self.take(spare)
                body[i:i + 1] = spares
                if spares == [p]:
                    self.take(p)
        return [opening, *self.ordered(body), *([closing] if closing else [])]

    def to_resay(self, piece: Piece) -> list[str]:
        """The values a dropped piece said that another piece must say: not the product's own kind, which the
        opening names ("裙设计" would name it a second time, as a fragment)."""
        return [v for v in sorted(piece.covers) if v not in self.owner and v not in self.data.product_words]

    def flawed(self, pieces: list[Piece]) -> list[Piece]:
        """The pieces a reader would fault: an unsupported word in its sentence, broken grammar, a word the text
        already said in an earlier piece, and every piece of a stretch that reads as a list or as empty praise."""
        text = self.join(pieces)
        bad_words = {w for _c, ws in self.claims.by_clause(text, self.facts) for w in ws}
        values = self.facts.values
        found = fragments(text, self.data, values)
        broken = [f.words for f in found if f.why.startswith("reads broken") or "without" in f.why]
        reps = {f.words for f in repeated(text, self.data, self.claims.segmenter.cut, values)}
        listy = [f.words for f in stuffed(text, self.data, values)]
        for f in stacked_praise(text, self.data, values):  # the first piece of praise stays: only the stack goes
            touching = [p for p in pieces if any(c in p.text for c in _quoted_clauses(f.words))]
            listy += [c for p in touching[1:] for c in clauses(p.text, "zh")]
        listy += [f.words for f in found if f.why.startswith(("a sentence of one", "the sentence trails"))]
        listy += [w for w in reps if "，" in w]  # two clauses in a row ending in the same detail noun
        listy_clauses = {c for w in listy for c in _quoted_clauses(w)}
        out: list[Piece] = []
        said: set[str] = set()
        for p in pieces:
            low = p.text.lower()
            mine = {w for w in reps if w in low}
            if any(w in low for w in bad_words) or any(b in p.text for b in broken) or mine & said \
                    or any(c in p.text for c in listy_clauses):
                out.append(p)
            said |= mine
        return out

    def ordered(self, body: list[Piece]) -> list[Piece]:
        """In the catalog's order; the piece after the opening stands on its own ("这款半身裙，同时…" does not)."""
        out = sorted(body, key=self.place)
        if out and self.leans(out[0].text):
            free = next((i for i, p in enumerate(out) if not self.leans(p.text)), None)
            if free is not None:
                out.insert(0, out.pop(free))
        return out

    def place(self, p: Piece) -> float:
        """Where a piece goes: between where its phrase stood and where the catalog names its values."""
        at = [self.attribute_position[self.facts.values[v]] for v in p.covers
              if self.facts.values.get(v) in self.attribute_position]
        return (p.position + sum(at) / len(at)) / 2 if at else p.position

    def join(self, pieces: list[Piece]) -> str:
        """Sentences of two to four clauses, each ending on a piece that says something: a piece that only names
        a detail goes in front of the next piece that does (or, at the end, in front of the last one)."""
        if not pieces:
            return ""
        units: list[list[Piece]] = []
        waiting: list[Piece] = []
        for p in pieces:
            waiting.append(p)
            if not p.np:
                units.append(waiting)
                waiting = []
        if waiting:
            if units:
                last = units[-1]
                units[-1] = [*last[:-1], *waiting, last[-1]]
            else:
                units.append(waiting)
        sents: list[list[str]] = []
        size = 0
        for unit in units:
            n = sum(p.clauses for p in unit)
            leaning = self.leans(unit[0].text) or (unit[0].kind == "closing" and size <= 3)
            if not sents or (not leaning and size + n > 4 and size >= 2):
                sents.append([p.text for p in unit])
                size = n
            else:
                sents[-1].extend(p.text for p in unit)
                size += n
        exclaim = {len(sents) - 1} if self.style.exclaim and sents else set()
        return join_sentences(sents, "zh", exclaim=exclaim)

    def points(self, order: list[str], max_points: int) -> list[str]:
        """Short selling points: the shortest usable one-clause phrase per leading value, else the value's fallback."""
        out: list[str] = []
        self.used = {}
        for v in order[:max_points]:
            best = None
            if self.book is not None:
                for i in self.book.by_value_.get(v, ()):
                    ph = self.book.phrases_[i]
                    if ph.clauses == 1 and len(ph.text) <= 12 and ph.values == (v,) and not self.leans(ph.text) \
                            and self.usable(ph) and self.reads_whole(ph.text) \
                            and (best is None or len(ph.text) < len(best)):
                        best = ph.text
            if best is None:
                fb = self.fallback(v)
                best = fb.text if fb else None
            if best and best not in out:
                out.append(best)
        return out


def _quoted_clauses(words: str) -> list[str]:
    """The clauses of a flaw's quoted words (a flaw quotes a stretch of clauses joined by "，")."""
    return [c for c in re.split("[，。！；]", words) if len(c) >= 2]


def fill(form: str, value: str) -> str:
    """``form`` with ``{v}`` as ``value``, without saying twice what the two share at the seam: "适合{v}肤质" with
    所有肤质 is "适合所有肤质", "采用{v}包装" with 独立小包 is "采用独立小包装"."""
    i = form.find("{v}")
    if i < 0:
        return form
    after = form[i + 3:]
    k = next((n for n in range(min(len(value), len(after)), 0, -1) if value.endswith(after[:n])), 0)
    return form[:i] + value + after[k:]
