"""What a clause of description copy claims, and whether one product supports every claim in it.

The shared grounding check (compliance/grounding.py) knows attribute values, brands and numbers. Description copy
claims more: "胸前的口袋" places a pocket, "柔软亲肤" is a property of one fabric, "裙摆" presumes a skirt, and a
word seen once in a catalog ("贝壳花边") is a detail nobody can vouch for. ``ClaimModel`` learns from the catalog's
descriptions what it can and combines it with the curated claim words of the phrasing data file:

- ``df_``: in how many descriptions a word occurs. A word rarer than ``min_df`` is treated as a specific detail
  (only a product whose own text has it supports it) — where the language's data file says the catalog's common
  words may be reused at all (Chinese copy mixes evaluative words into the facts; English catalog copy is facts);
- ``links_``: a word that (nearly) always comes with some facts ("裙摆" with 类型=裙, "锁骨" with v领/一字领) is
  supported only for a product with one of them;
- ``aliases_``: how sellers write a value ("牛仔" for 牛仔布, "镂空" for 勾花镂空), so the alias is that value;
- curated groups (position, part, fabric, quality, quantity, season, audience …): words that need the product
  to state them, or a named value of an attribute (a fabric property needs the clause to name the fabric).

This is a typed-value capability the shared Lexicon lacks; it lives here until the knowledge layer takes it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..compliance.grounding import Lexicon, product_source_text
from ..knowledge.lexicon import cell_values
from ..product import Product
from ..text.lang import is_cjk_char
from ..text.segment import Segmenter
from .describe_data import ClaimGroup, PhrasingData
from .describe_text import clauses, sentences

_ZH_COUNT = re.compile(r"[两二三四五六七八九十几双]\s*[个颗粒条件层款色种排只对枚片根道]")
_HAS_WORD = re.compile(r"[^\W_]")
_EN_WORD = re.compile(r"[a-z0-9][a-z0-9\-'&]*[a-z0-9]|[a-z0-9]")
_EMPTY = {"其他", "其它", "无", "是", "否", "不限", "通用", "见详情", "如图", "默认", "other", "others", "none", "na",
          "n/a", "unknown", "-", "/"}
_TYPE_NAMES = ("类型", "品类", "产品", "商品类型", "type", "product", "product type", "item type", "articletype")
_AUDIENCE_NAME = "目标人群"


def value_parts(value: str) -> list[str]:
    """A cell's values: "红色,蓝色" is two; empty markers (其他, n/a) are none."""
    return [v.strip() for v in cell_values(value) if v.strip() and v.strip().lower() not in _EMPTY]


@dataclass
class ProductFacts:
    """One product as the description composer sees it: its values, type, product word and source text."""

    values: dict[str, str]  # lower-cased value → attribute name
    by_attribute: dict[str, list[str]]  # attribute name → values as written
    source: str  # everything the product states, lower-cased
    source_words: frozenset[str]  # the same as words (for English)
    type_key: str | None  # the data file's product type (裙 / 上衣 / 裤), when known
    product_word: str | None  # how to name it: the most specific product word among its values
    product_words: frozenset[str] = field(default_factory=frozenset)  # product words that name it correctly
    brand: str | None = None
    features: frozenset[str] = field(default_factory=frozenset)  # values and the category leaf, lower-cased
    category: str = ""  # the category path as given
    rivals: frozenset[str] = frozenset()  # values that contradict one listed before them: never said

    @classmethod
    def of(cls, product: Product, data: PhrasingData, *, audience: str | None = None,
           include_description: bool = True) -> ProductFacts:
        """``include_description=False`` when learning from the description: it is what is being judged."""
        values: dict[str, str] = {}
        by_attr: dict[str, list[str]] = defaultdict(list)
        attrs = list(product.attributes) + ([(_AUDIENCE_NAME, audience)] if audience else [])
        for name, cell in attrs:
            if name.strip().lower() in ("brand", "品牌"):
                continue
            for v in value_parts(str(cell)):
                attr = data.attribute_of(name.strip(), v)
                values.setdefault(v.lower(), attr)
                by_attr[attr].append(v)
        source = product_source_text(product, include_description=include_description) + (
            f" | {audience.lower()}" if audience else "")
        path = [x.strip().lower() for x in re.split(r"\s*[>/]\s*", product.category or "") if x.strip()]
        leaf = path[-1] if path else ""
        type_key, word = _product_type(values, by_attr, leaf, data)
        words = _product_words_for(type_key, word, values, data)
        rivals = _rivals(values, data)
        brand = (product.brand or "").strip() or None
        if brand and brand.upper() == "BRAND":
            brand = None
        return cls(values=values, by_attribute=dict(by_attr), source=source,
                   source_words=_source_words(source), type_key=type_key, product_word=word,
                   product_words=words, brand=brand, features=frozenset([*values, *path]),
                   category=product.category or "", rivals=rivals)


def _rivals(values: dict[str, str], data: PhrasingData) -> frozenset[str]:
    """The values a product lists after another of their exclusive group (单排扣 after 双排扣): left unsaid."""
    out: set[str] = set()
    for group in data.exclusive:
        mine = [v for v in values if v in group]
        out.update(mine[1:])
    return frozenset(out)


def _product_type(values: dict[str, str], by_attr: dict[str, list[str]], leaf: str,
                  data: PhrasingData) -> tuple[str | None, str | None]:
    """(type key, product word): the type the data file knows, named by the most specific value."""
    owner = data.all_product_words()
    type_key = next((v for v in values if v in data.product_words), None)
    if type_key is None:
        type_key = next((owner[v] for v in values if v in owner), None) or owner.get(leaf)
    for name in data.specific_attributes:
        for v in by_attr.get(name, []):
            if v.lower() in owner and (type_key is None or owner[v.lower()] == type_key) \
                    and v.lower() not in data.product_words:
                return type_key or owner[v.lower()], v
    if type_key is not None:
        return type_key, data.product_words[type_key][0]
    # a catalog outside the data file: the product's own name for it (品名), else the category's last level, else
    # its type attribute (which, for a 蓝牙耳机, says 入耳式: a kind, not the product)
    for name in ("品名", "产品名称", "商品名称", "product name"):
        if by_attr.get(name):
            return None, by_attr[name][0]
    if leaf:
        return None, leaf
    for name, vals in by_attr.items():
        if name.lower() in _TYPE_NAMES and vals:
            return None, vals[0]
    return None, None


def _product_words_for(type_key: str | None, word: str | None, values: dict[str, str],
                       data: PhrasingData) -> frozenset[str]:
    owner = data.all_product_words()
    out = {v for v in values if v in owner}
    out |= {data.nouns.names[v].lower() for v in values if v in data.nouns.names}  # 裙型=百褶 is a 百褶裙
    out |= {data.synonyms[v] for v in out if v in data.synonyms}
    if word:
        out.add(word.lower())
    if type_key is not None:
        generic = data.product_words[type_key]
        out.update(w.lower() for w in (generic[0], generic[-1], type_key))
        if len(generic) > 1 and owner.get(generic[1].lower()) == type_key and len(generic[1]) == len(generic[0]):
            out.add(generic[1].lower())  # 裙子 / 裙装, 裤子 / 裤装: two generic names of the type
    return frozenset(out)


@dataclass(frozen=True)
class Need:
    """A claim and what backs it: the product's own text having ``word``, or one of ``values`` among its facts,
    or a fact containing one of ``contains`` (a dress for 女性), or (``product_word``) naming this product."""

    word: str
    values: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    product_word: bool = False
    attributes: tuple[str, ...] = ()  # or any value of one of these attributes (显白 with a colour given)
    unless: tuple[str, ...] = ()  # never met for a product with a value containing one of these (修身 and 宽松)

    def met(self, facts: ProductFacts) -> bool:
        if self.unless and any(u in f for u in self.unless for f in facts.features):
            return False
        w = self.word
        if facts.source_words and w.isascii():
            if w in facts.source_words or w.rstrip("s") in facts.source_words:
                return True
            if " " in w and all(part in facts.source_words for part in w.split()):
                return True  # "face wash" in a title that says Face Wash
        elif len(w) >= 2 and w in facts.source:
            return True
        if self.product_word and w in facts.product_words:
            return True
        if any(v in facts.features for v in self.values):
            return True
        if any(facts.by_attribute.get(a) for a in self.attributes):
            return True
        return any(c in f for c in self.contains for f in facts.features)

    def to_list(self) -> list:
        return [self.word, list(self.values), list(self.contains), self.product_word, list(self.attributes),
                list(self.unless)]

    @classmethod
    def from_list(cls, row: list) -> Need:
        return cls(row[0], tuple(row[1]), tuple(row[2]), bool(row[3]), tuple(row[4]), tuple(row[5]))


class ClaimModel:
    """``fit(products)`` on a catalog with descriptions; ``unsupported(text, facts)`` → the words no fact backs."""

    def __init__(self, data: PhrasingData, *, min_df: int = 3, min_docs: int = 30, link_share: float = 0.9,
                 link_lift: float = 1.5, set_lift: float = 3.0, set_share: float = 0.7,
                 min_link_count: int = 3, alias_share: float = 0.5, min_df_char: int = 10) -> None:
        # min_df_char: a lone character must be in this many descriptions (or 2% of them, if fewer) to be free
        self.data = data
        self.min_df = min_df
        self.min_docs = min_docs  # fewer descriptions than this: nothing is learned (too little to tell)
        self.link_share = link_share
        self.link_lift = link_lift
        self.set_lift = set_lift
        self.set_share = set_share
        self.min_link_count = min_link_count
        self.alias_share = alias_share
        self.min_df_char = min_df_char
        self.df_: dict[str, int] = {}
        self.links_: dict[str, list[str]] = {}
        self.aliases_: dict[str, str] = {}
        self.n_docs_ = 0

    # ------------------------------------------------------------------ learning
    def fit(self, products: Iterable[Product], lexicon: Lexicon, segmenter: Segmenter) -> ClaimModel:
        self.lexicon = lexicon
        self.segmenter = segmenter
        docs: list[tuple[set[str], frozenset[str]]] = []
        texts: list[str] = []
        alias_votes: dict[str, Counter[str]] = defaultdict(Counter)
        for p in products:
            if not p.description:
                continue
            text = p.description.lower()
            facts = ProductFacts.of(p, self.data, include_description=False)
            words = {t.lower() for t in segmenter.cut(p.description) if _HAS_WORD.search(t)}
            docs.append((words, facts.features))
            texts.append(text)
            for v in facts.values:
                # how a value is shortened is learned for Chinese ("牛仔" for 牛仔布); an English part of a word
                # ("ue" of blue) is no way of writing it
                if len(v) >= 3 and v not in text and any(is_cjk_char(c) for c in v):
                    alias = _longest_part_in(v, text)
                    if alias:
                        alias_votes[alias][v] += 1
        self.n_docs_ = len(docs)
        self.aliases_ = {}
        for alias, votes in alias_votes.items():
            value, n = votes.most_common(1)[0]
            if n < 2 or alias in lexicon.values:
                continue
            # an alias is that value only if the descriptions that use it are mostly of products with it:
            # "裙摆" is in most skirts' copy, so it is no alias of 大裙摆
            using = [feats for (words, feats), p_text in zip(docs, texts, strict=True) if alias in p_text]
            if sum(1 for feats in using if value in feats) >= self.alias_share * len(using):
                self.aliases_[alias] = value
        df: Counter[str] = Counter()
        n_feature: Counter[str] = Counter()
        co: dict[str, Counter[str]] = defaultdict(Counter)
        for words, feats in docs:
            df.update(words)
            n_feature.update(feats)
            for w in words:
                co[w].update(feats)
        self.df_ = dict(df)
        self.links_ = {}
        n = max(1, len(docs))
        for w, d in df.items():
            if d < self.min_df or w in lexicon.values:
                continue
            link = self._link(w, d, co[w], n_feature, n, docs)
            if link:
                self.links_[w] = link
        return self

    def _link(self, word: str, df: int, co: Counter[str], n_feature: Counter[str], n: int,
              docs: list[tuple[set[str], frozenset[str]]]) -> list[str]:
        """The facts a word goes with: one it (nearly) always comes with, else up to three that together cover
        most of its occurrences, each far more often than by chance."""
        cands = [(f, c) for f, c in co.items() if n_feature[f] >= self.min_link_count and c >= self.min_link_count]
        strong = [f for f, c in cands if c / df >= self.link_share and (c / df) / (n_feature[f] / n) >= self.link_lift]
        if strong:
            return sorted(strong)
        # ties by spelling: the counts come from sets, whose order changes from one process to the next
        high = sorted((f for f, c in cands if (c / df) / (n_feature[f] / n) >= self.set_lift),
                      key=lambda f: (-co[f], f))
        if not high:
            return []
        with_word = [feats for words, feats in docs if word in words]
        chosen: list[str] = []
        for f in high[:3]:
            chosen.append(f)
            if sum(1 for feats in with_word if feats & set(chosen)) / len(with_word) >= self.set_share:
                return sorted(chosen)
        return []

    @property
    def learned(self) -> bool:
        return self.n_docs_ >= self.min_docs

    def generic_words(self) -> bool:
        """Whether the catalog's common words may be reused without a fact (the data file's choice)."""
        return self.data.reuse_common_words

    # ------------------------------------------------------------------ checking
    def named_values(self, text: str, facts: ProductFacts) -> dict[str, str]:
        """The product's values a text names (directly or by a learned alias) → their attribute names."""
        low = text.lower()
        out = {v: a for v, a in facts.values.items() if v and _contains(low, v, facts)}
        for alias, v in self.aliases_.items():
            if v in facts.values and alias in low:
                out[v] = facts.values[v]
        return out

    def needs(self, text: str, named: dict[str, str], local: dict[str, str] | None = None) -> list[Need]:
        """What a product must state for every claim of ``text`` to hold, given the values it names (``named``:
        value → attribute; ``local``: those of the clause a part word sits in, when ``text`` is one clause of a longer
        sentence). Compiled once per learned phrase; checked per product with ``Need.met``."""
        owner = self.data.all_product_words()
        # a value of another product is a claim, unless it is a word judged below: a product word (this product may
        # be called 裤子 with 类型=裤) or a curated claim word (女性 for a dress)
        out = [Need(v) for _s, _e, v in self.lexicon.find_values(text)
               if v not in named and v not in owner and not self._judged_by_group(v)]
        low = text.lower()
        out += [Need(a, values=(v,)) for a, v in self.aliases_.items() if a in low and v not in named]
        out += [Need(m.group()) for m in _ZH_COUNT.finditer(text)]
        for w in self.words(text):
            if not any(w in v for v in named):
                need = self._need(w, named, named if local is None else local)
                if need is not None:
                    out.append(need)
        return out

    def _need(self, w: str, named: dict[str, str], local: dict[str, str]) -> Need | None:
        """None: the word claims nothing; else what backs it (the product's own text always does)."""
        if any(c.isdigit() for c in w):
            return Need(w)
        if w in self.aliases_:
            return Need(w, values=(self.aliases_[w],))
        if w in self.data.all_product_words():
            return Need(w, product_word=True)
        group = self.data.claim_group(w)
        if w in self.lexicon.values and not self._judged_by_group(w):
            return Need(w)  # another product's value (修身 where 版型=显瘦): this one must state it
        if group is not None and group.descriptive:
            return self._descriptive(w, group, named)
        if group is not None:
            if group.locates is not None:
                return None if self._places_nothing(w, group.locates, local) else Need(w)
            if group.needs_attribute and set(named.values()) & set(group.needs_attribute):
                return None
            return Need(w, contains=group.needs_value)
        # the data file's own verbs and links (采用, 加入, 饰以; 和, 与): the wording its fallback forms are built from
        # says nothing of the product by itself, however rarely a small catalog's copy uses it
        if w in self.data.free_words or w in self.data.quality.predicates or w in self.data.quality.linkers:
            return None
        if not self.learned:
            return None if self.generic_words() else Need(w)
        # a lone character is a word part more often than a word: only the common ones (的, 更, 很) are free
        char_df = min(self.min_df_char, max(self.min_df, round(0.02 * self.n_docs_)))
        if not self.generic_words() or self.df_.get(w, 0) < (self.min_df if len(w) > 1 else char_df):
            return Need(w)
        link = self.links_.get(w)
        return Need(w, values=tuple(link)) if link else None

    def _judged_by_group(self, w: str) -> bool:
        """A value word a curated group judges better than "another product's value": 女性 for any dress."""
        group = self.data.claim_group(w)
        return group is not None and not group.descriptive

    def _descriptive(self, w: str, group: ClaimGroup, named: dict[str, str]) -> Need | None:
        """A descriptive claim follows from the detail it is said of: in a sentence naming details (values other
        than the product's own name), one of them must back it ("宽松的设计，慵懒随性"; not "吊带的设计，凸显高挑感");
        said of nothing in particular, any value of the product may ("这款连衣裙，浪漫唯美" with 蕾丝 given)."""
        owner = self.data.all_product_words()
        details = {v: a for v, a in named.items() if v not in owner}
        if details:
            if set(details.values()) & set(group.needs_attribute) or \
                    any(b in v for v in details for b in group.backed_by):
                # backed by what it is said of, and true of the product as a whole (no 修身 for a loose one)
                return Need(w, values=tuple(details), unless=group.unless) if group.unless else None
            return Need(w)
        return Need(w, contains=group.backed_by, attributes=group.needs_attribute, unless=group.unless)

    def words(self, text: str) -> list[str]:
        """Lower-cased words: jieba's for Chinese, whole words ("t-shirt", "here&now") for the rest."""
        if any(is_cjk_char(c) for c in text):
            return [t.lower() for t in self.segmenter.cut(text) if _HAS_WORD.search(t)]
        return _EN_WORD.findall(text.lower())

    def unsupported(self, text: str, facts: ProductFacts) -> list[str]:
        """The words of ``text`` that claim something ``facts`` does not support (empty: every claim is backed).
        Judged clause by clause: "腰部" places a detail named in its own clause, not one three clauses away."""
        return [w for _clause, words in self.by_clause(text, facts) for w in words]

    def by_clause(self, text: str, facts: ProductFacts) -> list[tuple[str, list[str]]]:
        """Each clause of ``text`` with its unsupported words."""
        lang = "zh" if any(is_cjk_char(c) for c in text) else "en"
        out: list[tuple[str, list[str]]] = []
        for sent in sentences(text, lang):
            named = self.named_values(sent, facts)  # "采用棉面料，柔软亲肤": the fabric named in the sentence
            for clause in clauses(sent, lang):
                local = self.named_values(clause, facts)
                out.append((clause, [n.word for n in self.needs(clause, named, local) if not n.met(facts)]))
        return out

    def _places_nothing(self, part: str, marks: tuple[str, ...], named: dict[str, str]) -> bool:
        """A part word next to a detail value places it ("袖子部分采用刺绣"), unless the value is of that part
        (袖口 and 喇叭袖) or true of the whole garment (蕾丝 布满裙身)."""
        own = {c for c in marks if c in part}
        for value, attr in named.items():
            if attr in self.data.overall_attributes:
                continue
            if not own & set(value + attr):
                return False
        return True

    # ------------------------------------------------------------------ persistence
    def state(self) -> dict:
        return {"df_": self.df_, "links_": self.links_, "aliases_": self.aliases_, "n_docs_": self.n_docs_}

    def set_state(self, state: dict, lexicon: Lexicon, segmenter: Segmenter) -> ClaimModel:
        self.df_, self.links_, self.aliases_ = state["df_"], state["links_"], state["aliases_"]
        self.n_docs_ = state["n_docs_"]
        self.lexicon, self.segmenter = lexicon, segmenter
        return self


def _source_words(source: str) -> frozenset[str]:
    """A product's words, whole ("t-shirt") and in parts ("t", "shirt")."""
    whole = set(_EN_WORD.findall(source))
    return frozenset(whole | {part for w in whole for part in re.split(r"[\-'&]", w) if part})


def _contains(low: str, value: str, facts: ProductFacts) -> bool:
    if facts.source_words and value.isascii():  # English values are whole words ("red" is not in "shredded")
        return re.search(r"(?<![a-z0-9])" + re.escape(value) + r"(?![a-z0-9])", low) is not None
    return value in low


def _longest_part_in(value: str, text: str) -> str | None:
    """The longest part (2+ characters) of ``value`` that ``text`` has: how the seller wrote it there."""
    for size in range(len(value) - 1, 1, -1):
        for i in range(len(value) - size + 1):
            part = value[i:i + size]
            if part in text:
                return part
    return None
