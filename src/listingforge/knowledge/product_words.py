"""The product word: what a product is (连衣裙, 发膜, "USB cable"), from its own facts.

Sources, most trusted first: the product's product-type attributes (品名, 类型, articleType…), the last level
of its category path, a known product word inside its other attribute values (型号 "沁润免蒸护理发膜" holds 发膜),
and, for a product none of these name: a product word inside the name of one of its attributes ("鞋头款式" on a
shoe, "包内部结构" on a bag) when the catalog's titles of products with that attribute agree; the product word that
two or more of its attribute names point to, each held by few other kinds of product in the catalog (剃须方式 and
刀头数量: the catalog's titles with them say 剃须刀); or the product word most titles of its category use (with
enough support). A product word is never borrowed from a neighbouring product of another type.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

import ahocorasick

from ..product import Product
from ..text.find import latin_at, outermost
from ..text.lang import cjk_count
from .neighbours import NeighbourWords, evidence
from .types import AttributeTypes, load_types

_LEVEL_MARKS = r">|\||》|›|»"
_CATEGORY_SPLIT = re.compile(rf"\s*(?:{_LEVEL_MARKS}|/)\s*")
KIND_NAME = re.compile(r"^([\u4e00-\u9fff]{1,6})(?:类型|分类|类别|种类|品类)$")
_PROPERTY_OF = re.compile(r"^([\u4e00-\u9fff]{2,6}?)(?:厚薄|表层|包装|长度|容量|功率|尺寸|规格|型号|材质|款式|风格|颜色)$")
# kinds of a property, not of the product: 材质类型, 包装种类…
# and kinds of a part of it: 摄像头类型 on a phone, 光源类型 on a lamp, 提拎部件类型 on a bag
_NOT_PRODUCTS = {"材质", "包装", "功能", "规格", "面料", "产品", "商品", "款式", "风格", "图案", "颜色", "适用", "套餐", "销售渠道",
                 "智能", "麦克风", "充电", "电源", "连接", "屏幕", "接口", "网络", "手机", "配制酒", "化妆品", "鞋底", "鞋跟",
                 "闭合", "领口", "袖口", "裤脚", "腰型", "裙型", "版型", "厚薄", "摄像头", "耳机插头", "插头", "电池", "光源",
                 "灯罩", "提拎部件", "处理器", "内存", "硬盘", "显卡", "镜头", "充电器", "数据线", "键盘", "鞋垫", "拉链",
                 "肩带", "表带", "表盘", "滤芯", "刀头", "刷头", "供电", "像素",
                 # an extra function (附加功能=收音机 on a car screen), what a rack holds (置物用品类型=毛巾)
                 "附加", "置物",
                 # a laptop's input devices (输入设备=复合版全尺寸背光键盘); a design element (流行元素=手链 on a watch)
                 "输入设备", "流行元素"}
_GENERIC_NAMES = ("款式", "产品", "商品", "化妆品")  # in _NOT_PRODUCTS as kinds, not as the start of a name
FITS_NAMES = ("适用", "适合", "适配", "兼容", "配套", "compatible", "suitable", "for ")


@lru_cache(maxsize=4096)  # asked for every element of every draft: a catalog has a few hundred attribute names
def names_a_fitted_model(name: str) -> bool:
    """Whether an attribute names the phone or device model a product fits (手机型号, 适用机型, 适用型号): its values
    are names, however they start; the product's own models (型号, CPU型号, 镜头型号) are not."""
    name = name.strip()
    return name == "手机型号" or (name.startswith(FITS_NAMES) and name.endswith(("机型", "型号")))


_NEGATIONS = ("无", "不含", "不带", "没有", "非", "免", "no ", "without")
_TRAILING_CODE = re.compile(r"(?<=[\u4e00-\u9fff])[\sA-Za-z0-9.\-_*×+#%]+$")
_PIECES = re.compile(r"(?<=[\u4e00-\u9fff])\s*\d+\s*[片贴支粒袋包盒只个瓶]装?$")
# what a short name may not start with: a negation or a placeholder says nothing of the kind ("非可视化炸锅")
_NOT_NAMES = ("非", "不", "无", "其它", "其他", "常规", "普通", "可", "洋气", "多功能")
# where one value lists several ("连衣裙/裙子", "防水、防滑"); the catalog splits values the same way
VALUE_PARTS = re.compile(r"[/、,，;；|（）()\[\]【】]+")
_LATIN_WORDS = re.compile(r"[A-Za-z][A-Za-z '&.\-]*[A-Za-z]")


@lru_cache(maxsize=1)
def _load_data() -> dict:
    return tomllib.loads((resources.files(__package__) / "data" / "product_words.toml").read_text("utf-8"))


@lru_cache(maxsize=1)
def load_product_words() -> frozenset[str]:
    """The packaged product words, zh and en, lower case."""
    data = _load_data()
    return frozenset(w.lower() for lang in ("zh", "en") for words in data[lang].values() for w in words)


@lru_cache(maxsize=1)
def load_value_kinds() -> dict[str, str]:
    """Packaged "name=value" → the precise kind it makes of the product (肩带样式=双根 → 双肩包)."""
    return dict(_load_data().get("value_kinds", {}))


def value_kind(name: str, value: str) -> str:
    """The precise kind a value makes of the product (肩带样式=双根 → 双肩包); "" for any other value."""
    return load_value_kinds().get(f"{name.strip()}={value.strip()}", "")


@lru_cache(maxsize=1)
def load_broader() -> dict[str, str]:
    """Each packaged product word that a broader kind covers, lower case, with that kind: {"毛衣": "上衣", …}."""
    return {w.lower(): kind for kind, words in _load_data().get("broader", {}).items() for w in words}


def named_kinds(product: Product) -> list[str]:
    """The words a title uses for a kind one of the product's attribute names holds ("鞋子" for "鞋面材质"), or one of
    its values makes of it ("双肩包" for 肩带样式=双根): the product's own evidence for the product word
    ``ProductWords`` gives it from them."""
    forms = {title_form(c) for k, _v in product.attributes for c in k if not c.isascii()}
    forms |= {value_kind(k, v) for k, v in product.attributes}
    return sorted(f for f in forms if f and len(f) > 1)


def wordlike(value: str) -> bool:
    """Whether a product-type value can be a word for a kind: Chinese, or English words without digits; not a code
    or an id sellers put in the field (产品名称=123, "174ad77a-2ab0-…", "229mz_1637674146348")."""
    return bool(cjk_count(value)) or bool(_LATIN_WORDS.fullmatch(value.strip()))


def attribute_doc(p: Product, types: AttributeTypes) -> str:
    """What a product's attributes say of its kind, as one text: brand, item numbers, paperwork and origin left out."""
    return "\t".join(f"{k}={v.strip()}" for k, v in p.attributes
                    if types.type_of(k) not in ("brand", "sku", "meta", "origin") and not types.is_empty(v))


def title_form(word: str) -> str | None:
    """How a title says a product word an attribute name gives: "鞋" → "鞋子"; None for another lone character,
    which no title says alone."""
    form = _load_data()["title_forms"].get(word, word)
    return form if len(form) >= 2 else None


def category_levels(category: str) -> list[str]:
    """"美妆 > 洗发水" → ["美妆", "洗发水"]; Amazon's "Electronics|…|SmartTelevisions" too."""
    return [c for c in _CATEGORY_SPLIT.split(category.strip()) if c]


SETS = ("套装", "套餐", "组合", "礼盒", "套盒")  # a set of any kind: a hand cream's as well as a tracksuit's
_SINGLE = {"单件", "单品", "单个", "单只", "单支"}
_FILED_BY_SHELF = re.compile(r"^(?:国产|日韩|欧美|港台|进口|普通)(?=[\u4e00-\u9fff]{2,}$)")
# kinds a leaf files together: "电磁炉/陶炉", "驼奶及驼奶粉"
_KINDS_JOINED = re.compile(r"/|(?<=[\u4e00-\u9fff])[及与和](?=[\u4e00-\u9fff])")
_GLOSS = re.compile(r"[（(][^）)]*[）)]")
_LEVEL_SPLIT = re.compile(rf"\s*(?:{_LEVEL_MARKS})\s*")  # a category path's levels, where "/" joins kinds within one


def category_word(p: Product, known: Iterable[str] = ()) -> str | None:
    """The product word a category's leaf gives. A leaf names a product ("女装 > 连衣裙"); a lone top level ("美妆")
    names a department, and "USBCables"-style node ids are not words a title uses. A leaf that files several kinds
    together ("电磁炉/陶炉", "蕾丝衫/雪纺衫": "/" within a level of a "A > B" path; "驼奶及驼奶粉") gives the one the
    product's data names, else the first; a gloss in brackets ("乐福鞋（豆豆鞋）") is the filing's, not the product's.
    ``known``: product words (lower case) a lone level may be."""
    levels = category_levels(p.category) if p.category else []
    if not levels:
        return None
    path = [c for c in _LEVEL_SPLIT.split((p.category or "").strip()) if c]
    leaf = path[-1] if len(path) >= 2 else levels[-1]
    leaf = _GLOSS.sub("", leaf).strip() or leaf
    # "国产腕表", "日韩腕表", "普通路由器": a shop's shelf by origin or grade; the product is a 腕表, a 路由器
    leaf = _FILED_BY_SHELF.sub("", leaf)
    # "KTV/卡拉OK音箱": an acronym beside the kind is no word a title names the product by, nor is one character
    # beside another kind ("手机保护套/壳"); a leaf that is one known character names the product ("大百货 > 碗")
    known = frozenset(known)
    kinds = [k for k in (x.strip() for x in _KINDS_JOINED.split(leaf))
             if (len(k) >= 2 or (k == leaf and k.lower() in known))
             and (cjk_count(k) or " " in k or k.islower() or k.istitle())]
    if not kinds or not (len(levels) >= 2 or kinds[0].lower() in known):
        return None
    said = " ".join(v for _k, v in p.attributes).lower()

    def is_known(k: str) -> bool:  # "剃毛器" ends with a product word; "女士脱毛" names none
        return _ends_with_word(k, known)

    named = [k for k in kinds if k.lower() in said]
    if any(is_known(k) for k in named):
        return next(k for k in named if is_known(k))
    if named and any(is_known(k) for k in kinds) and "/" in leaf:
        return None  # 置地 of 置地/升降晾晒衣架: the data says how it stands, which the filing's kinds do not name
    return next((k for k in kinds if is_known(k)), None) or (named or kinds)[0]


class _Vocabulary:
    """Product words ready to look up: CJK words by suffix (a Chinese compound ends with its head), English ones
    as whole words, and one automaton for "the longest product word anywhere in this text"."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(w.lower() for w in words if w)
        self.cjk = frozenset(w for w in self.words if cjk_count(w))
        self.latin = frozenset(w for w in self.words if w not in self.cjk)
        self.longest = max((len(w) for w in self.words), default=0)
        self._heads: dict[tuple[str, bool], str | None] = {}  # values repeat over a catalog: each looked up once
        self._auto = ahocorasick.Automaton()
        for w in self.words:
            if len(w) >= 2:
                self._auto.add_word(w, w)
        if len(self._auto):
            self._auto.make_automaton()

    def head_of(self, value: str, *, sized: bool = False) -> str | None:
        """The longest product word a value names: the end of one of its parts for Chinese ("沁润护理发膜" →
        发膜, never 铅笔 in "铅笔裤"), a whole English word or phrase anywhere ("USB cables" → usb cable).
        ``sized``: a value of the product's own (not a model, whose code is its name: "方盒子蓝牙音箱2"). A size or
        code at the end of a part says nothing of the kind ("焦糖饼干500g", "雪纱丝柔隔离霜SPF25"), and a short name
        that ends with a known word is the seller's own, more precise word for it (中长裙, 柳州螺蛳粉, 枝型吊灯,
        焦糖饼干), unless it starts with a negation or a placeholder (非机械键盘, 常规烤箱: a 键盘, an 烤箱)."""
        key = (value, sized)
        if key not in self._heads:
            if len(self._heads) > 200_000:
                self._heads.clear()
            self._heads[key] = self._head_of(value, sized)
        return self._heads[key]

    def _head_of(self, value: str, sized: bool) -> str | None:
        low = value.lower()
        best = None
        for part in VALUE_PARTS.split(low):
            part = part.strip()
            code = _TRAILING_CODE.search(part) if sized and cjk_count(part) >= 2 else None
            if code:
                part = part[:code.start()]
                if part in self.cjk and any(c.isalpha() for c in code.group()):
                    continue  # a known word with only a model after it is a name: "糖果50pro" is a phone
            for n in range(min(len(part), self.longest), 1, -1):
                if part[-n:] in self.cjk:
                    word = part if sized and n < len(part) <= 6 and cjk_count(part) == len(part) \
                        and not part.startswith(_NOT_NAMES) else part[-n:]
                    if best is None or len(word) > len(best):
                        best = word
                    break
        for word in self.anywhere(low):
            if word in self.latin and (best is None or len(word) > len(best)):
                best = word
        return best

    def anywhere(self, low: str) -> list[str]:
        """Every product word in a lower-case text: CJK anywhere, English as whole words (a plural too)."""
        if not len(self._auto):
            return []
        out = []
        for end, w in self._auto.iter(low):
            start = end - len(w) + 1
            if w in self.cjk:
                out.append(w)
                continue
            after = low[end + 1:end + 3]
            tail = 2 if after.startswith("es") else 1 if after.startswith("s") else 0
            if not latin_at(low, start - 1) and not latin_at(low, end + 1 + tail):
                out.append(w)
        return out


class ProductWords:
    """``fit(products)`` learns the catalog's product words; ``of(product)`` gives one product's own.

    min_support: titles a category (or an attribute name) needs before its usual product word stands in for a
    missing one.
    min_share: the share of the category's titles that must use it.
    min_name_share: the share of the titles of products with an attribute that must use the product word its
    name holds ("鞋跟高" → 鞋) before that name says what a product is; stricter than a category's, because a
    name can belong to a part ("麦克风类型" on a phone).
    min_schema_share: for an attribute name that holds no product word (刀头数量), the share of the titles of
    products with it that must use one product word, and at least ``schema_lift`` times that word's share of all
    titles (in a shop of dresses every name "says" 连衣裙, and none tells a dress from its skirts);
    ``schema_names`` such names must agree before they name a product: one alone is often a name every kind of
    product could have that this catalog only happens to use for one (香味 on shampoo, not on laundry pods).
    min_kind_word_share: where no word reaches ``min_schema_share`` but one kind does (电脑椅, 办公椅, 老板椅: all 椅), the
    share of those titles its usual word needs; such words name a product only where no name's own word does."""

    def __init__(self, *, min_support: int = 5, min_share: float = 0.5, min_name_share: float = 0.7,
                 min_schema_share: float = 0.8, schema_lift: float = 2.0, schema_names: int = 2,
                 min_kind_word_share: float = 0.7) -> None:
        self.min_support = min_support
        self.min_share = min_share
        self.min_name_share = min_name_share
        self.min_schema_share = min_schema_share
        self.schema_lift = schema_lift
        self.schema_names = schema_names
        self.min_kind_word_share = min_kind_word_share

    def fit(self, products: Iterable[Product], types: AttributeTypes | None = None) -> ProductWords:
        types = types or load_types()
        words: set[str] = set()
        by_category: defaultdict[str, Counter[str]] = defaultdict(Counter)
        n_category: Counter[str] = Counter()
        prods = list(products)
        for p in prods:
            for v in self._type_values(p, types):
                words.add(v.lower())
        vocab = _Vocabulary(load_product_words() | words)
        broader = load_broader()
        by_name: defaultdict[str, Counter[str]] = defaultdict(Counter)
        by_name_head: defaultdict[str, Counter[str]] = defaultdict(Counter)  # the same, per kind (电脑椅, 办公椅: 椅)
        n_name: Counter[str] = Counter()
        said: Counter[str] = Counter()  # titles saying each product word
        docs: list[str] = []
        doc_words: list[set[str]] = []
        for p in prods:
            if not p.title:
                continue
            found = vocab.anywhere(p.title.lower())
            heads = _heads(outermost(found), vocab)  # a title's 电脑椅 is a 椅, not a 电脑
            said.update(heads)
            docs.append(attribute_doc(p, types))
            doc_words.append(heads | {broader[w] for w in heads if w in broader})  # a 毛衣 is an 上衣 too
            for name in {k for k, _v in p.attributes}:
                n_name[name] += 1
                by_name[name].update(heads)
                by_name_head[name].update({noun_head(w) for w in heads if len(w) >= 2} - {""})
            if not p.category:
                continue
            n_category[p.category] += 1
            if found:  # the longest one a title names, ties by spelling: no dependence on set order
                by_category[p.category][min(found, key=lambda w: (-len(w), w))] += 1
        self.words_ = sorted(words)
        self.category_word_ = {}
        for cat, counts in by_category.items():
            word, n = counts.most_common(1)[0]
            if n >= self.min_support and n / n_category[cat] >= self.min_share:
                self.category_word_[cat] = word
        self.name_word_ = {}
        for name, n in sorted(n_name.items()):
            if n < self.min_support:
                continue
            for word in _named_in(name, vocab):
                share = by_name[name][word] / n
                if share >= self.min_name_share and title_form(word):
                    self.name_word_[name] = [word, round(share, 3), n]
                    break
        n_titled = max(1, sum(1 for p in prods if p.title))
        self.schema_word_ = {}
        self.schema_kind_word_ = {}
        for name, n in sorted(n_name.items()):
            if n < self.min_support or name in self.name_word_:
                continue
            shares = [(w, c / n) for w, c in by_name[name].items() if len(w) >= 2 and c / n >= self.min_schema_share
                      and c / n >= self.schema_lift * said[w] / n_titled and title_form(w)]
            if shares:  # the surest; of two as sure, the more precise (电脑椅 over 椅)
                word, share = max(shares, key=lambda x: (round(x[1], 2), len(x[0]), x[0]))
                self.schema_word_[name] = [word, round(share, 3), n]
                continue
            # titles that name one kind in several words (电脑椅, 办公椅, 老板椅: 椅 in all of them): the word most of them
            # use, heard only where no name's own word is (``_schema_word``)
            kinds = {h for h, c in by_name_head[name].items() if c / n >= self.min_schema_share}
            usual = [(w, c / n) for w, c in by_name[name].most_common(1)
                     if c / n >= self.min_kind_word_share and noun_head(w) in kinds and len(w) >= 2
                     and not w.endswith("子") and c / n >= self.schema_lift * said[w] / n_titled and title_form(w)]
            if usual:
                self.schema_kind_word_[name] = [usual[0][0], round(usual[0][1], 3), n]
        self.neighbours_ = NeighbourWords(general=set(broader.values())).fit(docs, doc_words)
        self._known = None
        return self

    def _schema_word(self, p: Product) -> tuple[str, str] | None:
        """The product word the product's attribute names agree on, with why; None when fewer than
        ``schema_names`` point to it or another points to a different kind."""
        names = sorted({k for k, _v in p.attributes})
        votes: defaultdict[str, list[str]] = defaultdict(list)
        for learned in (getattr(self, "schema_word_", {}), getattr(self, "schema_kind_word_", {})):
            for name in names:
                if name in learned:
                    word, share, n = learned[name]
                    votes[word].append(f"{name} ({share:.0%} of {n})")
            if votes:
                break  # a name's own word decides; the kind's usual word only where there is none
        if not votes:
            return None
        word = max(votes, key=lambda w: (len(votes[w]), len(w), w))
        if len(votes[word]) < self.schema_names or any(not (w.endswith(word) or word.endswith(w)) for w in votes):
            return None
        return word, f"attribute names {', '.join(votes[word])} of catalog titles say {word}"

    def known(self) -> _Vocabulary:
        """Every product word known (packaged and learned)."""
        if getattr(self, "_known", None) is None:
            self._known = _Vocabulary(load_product_words() | set(getattr(self, "words_", ())))
        return self._known

    @staticmethod
    def _type_values(p: Product, types: AttributeTypes) -> list[str]:
        out = []
        for k, v in p.attributes:
            if types.type_of(k) == "product_type" and not types.is_empty(v):
                out += [x.strip() for x in VALUE_PARTS.split(v)
                        if x.strip() and not types.is_empty(x) and wordlike(x)]
        return out

    def of(self, p: Product, types: AttributeTypes | None = None) -> list[tuple[str, str]]:
        """The product's own product words with where each comes from, most trusted first:
        [("发膜", "attribute 产品=发膜"), ("洗发水", "category")]."""
        types = types or load_types()
        out: list[tuple[str, str]] = []
        seen: set[str] = set()
        known = self.known()
        by_kind_field = 0  # how many of ``out`` came from a field that says what the product is: 品名/类型, 晒衣架类型

        def add(word: str, evidence: str) -> bool:
            if word and word.lower() not in seen and (len(word) >= 2 or not word.isascii()):
                seen.add(word.lower())
                out.append((word, evidence))
                return True
            return False

        for k, v in p.attributes:
            if types.type_of(k) == "product_type" and not types.is_empty(v):
                parts = [_own_name(x.strip(), p, known) for x in VALUE_PARTS.split(v) if x.strip()]
                for part in parts:
                    # a lone character split off a longer name ("…面膜贴6片/盒") names nothing
                    if not types.is_empty(part) and len(part) <= 12 and wordlike(part) \
                            and (len(part) > 1 or len(parts) == 1):
                        by_kind_field += add(part, f"attribute {k}={v}")
        single = ""  # "锅类型": a kind of one character, said only when nothing names the product better
        for k, _v in p.attributes:
            # "电动牙刷类型", "加湿器分类": an attribute named for the product's kind names the product
            m = KIND_NAME.match(k)
            kind = m.group(1) if m else ""
            if len(kind) == 1 and kind in known.words:
                single = single or k
            elif kind and kind not in _NOT_PRODUCTS and known.head_of(kind):
                add(kind, f"attribute name {k}")
            # "卫生巾厚薄", "方便面包装": a property named after a known product
            m = _PROPERTY_OF.match(k)
            if m and m.group(1) in known.words and m.group(1) not in _NOT_PRODUCTS:
                add(m.group(1), f"attribute name {k}")
        # 款式 is a cut (短款, 修身) more often than a kind, and 产品/商品/化妆品 start names of every sort (产品参数,
        # 化妆品净含量); a known product word in one of them (款式=棒球帽, 产品类别=常规烤箱, 化妆品特性=洗发水) names
        # the product only when nothing before did
        generic = _GENERIC_NAMES if not out else ()
        for k, v in p.attributes:
            # what it fits is not what it is (适用对象=手机 on a phone case), nor is a part (摄像头类型 on a phone)
            if (types.type_of(k) in ("product_type", "brand", "department") or types.is_empty(v)
                    or k.lower().startswith(FITS_NAMES)
                    or (k.startswith(tuple(_NOT_PRODUCTS)) and not k.startswith(generic))):
                continue
            head = known.head_of(v, sized=types.type_of(k) != "model")
            if head and _lacks(v, head):
                continue  # "像素=无摄像头" names what it lacks ("无蔗糖五谷杂粮饼干" is a 饼干)
            if out and head and not is_set(p) and names_another_kind(k, head, out[0][0]):
                continue  # 裤长=长裤 on a 毛呢外套
            if head and add(_original_case(v, head), f"attribute {k}={v}") and KIND_NAME.match(k):
                by_kind_field = len(out)
        # the category's leaf: what the product is where its own data names no other kind (of the packaged list: a
        # catalog's 类型 values teach words such as 头戴式), or names the same kind (长裤 from 裤长 under 牛仔裤). A leaf
        # of another kind than the product's own word is the shop's filing (a hair mask under 洗发水, a ring under
        # 手饰, a coat under 中老年女装), unless it files a set (洗护套装): what it is, its parts' words (洗发水) after
        leaf = category_word(p, known.words)
        if leaf and leaf.lower() not in seen:
            if leaf.endswith(SETS):
                if not any(v.strip() in _SINGLE for _k, v in p.attributes):  # 组合形式=单件: one piece of the set
                    add(leaf, f"category {p.category}")
                    out.insert(0, out.pop())
            elif not any(_names_a_kind(w) and w not in SETS and noun_head(w) != noun_head(leaf) for w, _e in out):
                # after the words of a field that says what the product is (品名=碧根果 before 坚果, 晒衣架类型=置地晾衣架
                # before 升降晾晒衣架), before those a value implies (长裤 of 裤长 after 牛仔裤); a bare 套装 (型号=KP052套装)
                # is a set of any kind, no other kind than the leaf's (卡拉OK音箱)
                add(leaf, f"category {p.category}")
                out.insert(by_kind_field, out.pop())
        if not out and single:
            add(single[0], f"attribute name {single}")
        if not out:  # a department ("Watches") when nothing names the product better; feeds list the levels
            # from the top down, so the last one is the most precise
            departments = [(k, v) for k, v in p.attributes if types.type_of(k) == "department" and not types.is_empty(v)]
            if departments:
                k, v = departments[-1]
                add(v.strip(), f"attribute {k}={v}")
        if not out:  # "鞋头款式": the catalog's titles of products with this attribute all name a shoe
            named = [self.name_word_[k] + [k] for k, _v in p.attributes if k in getattr(self, "name_word_", {})]
            if named:
                word, share, n, name = max(named, key=lambda x: (x[1], len(x[0]), x[3]))
                why = f"attribute name {name}: {share:.0%} of the {n} catalog titles with it say {word}"
                # a value that names the same kind more precisely says it better (款式=休闲皮鞋 on a 鞋), and so does
                # one that makes it a kind of it (肩带样式=双根: a 双肩包)
                for k, v in p.attributes:
                    head = None if types.is_empty(v) else known.head_of(v)
                    if head and head.endswith(word) and head != word:
                        add(_original_case(v, head), f"attribute {k}={v}; {why}")
                        break
                    kind = value_kind(k, v)
                    if kind.endswith(word) and kind != word:
                        add(kind, f"attribute {k}={v}; {why}")
                        break
                else:
                    add(title_form(word) or word, why)
        if not out:
            schema = self._schema_word(p)
            # a value that names the kind in words the vocabulary does not know: the title would say it twice
            if schema and not _said_in_other_words(p, schema[0], types):
                add(title_form(schema[0]) or schema[0], schema[1])
        if not out and p.category in getattr(self, "category_word_", {}):
            add(self.category_word_[p.category], f"most titles of category {p.category}")
        neighbours = getattr(self, "neighbours_", None)
        if not out and neighbours is not None:  # the last resort: what the most similar titled products are
            found = neighbours.word_for(attribute_doc(p, types))
            if found and not _said_in_other_words(p, found[0], types):
                word, n, alike = found
                add(title_form(word) or word, evidence(n, alike, word, word in neighbours.general))
        return out

    def kinds(self, word: str) -> tuple[str, ...]:
        """The known product words of two characters or more a Chinese product word ends with, itself included:
        智能手机 → (智能手机, 手机); 长裙 → (长裙,), not 裙, which an A字裙 is too."""
        return _known_suffixes(word.lower(), self.known(), shortest=2)

    def to_dict(self) -> dict:
        return {"min_support": self.min_support, "min_share": self.min_share, "min_name_share": self.min_name_share,
                "min_schema_share": self.min_schema_share, "schema_lift": self.schema_lift,
                "schema_names": self.schema_names, "words": self.words_, "category_word": self.category_word_,
                "name_word": self.name_word_, "schema_word": self.schema_word_,
                "schema_kind_word": getattr(self, "schema_kind_word_", {}), "min_kind_word_share": self.min_kind_word_share,
                "neighbours": self.neighbours_.to_dict() if getattr(self, "neighbours_", None) else None}

    @classmethod
    def from_dict(cls, data: dict) -> ProductWords:
        self = cls(min_support=data["min_support"], min_share=data["min_share"],
                   min_name_share=data.get("min_name_share", 0.7),
                   min_schema_share=data.get("min_schema_share", 0.8), schema_lift=data.get("schema_lift", 2.0),
                   schema_names=data.get("schema_names", 2),
                   min_kind_word_share=data.get("min_kind_word_share", 0.7))
        self.words_ = list(data["words"])
        self.category_word_ = dict(data["category_word"])
        # absent from a knowledge saved before they were learned
        self.name_word_ = dict(data.get("name_word", {}))
        self.schema_word_ = dict(data.get("schema_word", {}))
        self.schema_kind_word_ = dict(data.get("schema_kind_word", {}))
        self.neighbours_ = NeighbourWords.from_dict(data["neighbours"]) if data.get("neighbours") else None
        self._known = None
        return self


_TOU_NOUNS = ("枕头", "罐头", "馒头")  # 头 as a noun suffix; in 刀头 or 龙头 it is a part


def is_set(p: Product) -> bool:
    """Whether the product is a set of pieces ("两件套", 组合形式=三件套), whose pieces' kinds its data may name."""
    return any("件套" in v for _k, v in p.attributes)


def names_another_kind(name: str, head: str, main: str) -> bool:
    """Whether an attribute ``name`` is about a kind of product other than ``main``, which its value's product word
    ``head`` names: 裤长=长裤 on a coat (a shop's form for its sets asks it of every item), 锂电池电芯数量=6芯锂电池 on a
    laptop (its battery); not 面板类型=平板 (a part) nor 笔记本类型=游戏本 on a 笔记本电脑 (the same kind)."""
    kind = noun_head(head)
    # a part's own field names the part (锂电池电芯数量); a field for a kind (麦克风类型) may be the product's own
    part = head[-2:] in name and not KIND_NAME.match(name)
    return bool(kind) and (name.startswith(kind) or part) and kind not in main


def noun_head(word: str) -> str:
    """The character a Chinese product word ends on, its noun suffix 子 (or the 头 of 枕头) aside: 靴子 and 马丁靴 are
    both 靴, 护颈枕头 and 乳胶枕 枕; "" for a word that does not end in a Chinese character."""
    stem = word[:-1] if len(word) > 1 and (word.endswith("子") or word.endswith(_TOU_NOUNS)) else word
    return stem[-1:] if cjk_count(stem[-1:]) == 1 else ""


def _ends_with_word(word: str, words: frozenset[str]) -> bool:
    """Whether a word ends with one of ``words`` (lower case) of two characters or more: "毛呢外套" with 外套."""
    low = word.lower()
    return any(low[i:] in words for i in range(len(low) - 1))


def _names_a_kind(word: str) -> bool:
    """Whether a word ends with a product word of the packaged list ("毛呢外套", "发膜"; not "头戴式")."""
    return _ends_with_word(word, load_product_words())


def _own_name(name: str, p: Product, known: _Vocabulary) -> str:
    """A product-type value without the brand it starts with, which the title prints on its own (品名 "Bodyaid
    生姜防脱洗发水" → 生姜防脱洗发水, "劲牌中国劲酒" → 中国劲酒, "Swisse摩洛哥坚果眼霜15ml" → 摩洛哥坚果眼霜15ml; not
    "维他奶系列" → 系列, which names no kind); when still longer than a title's product word (12 characters), without
    the size or code it ends with; and without the pack's count of pieces ("丝滑面膜贴6片" → 丝滑面膜贴)."""
    from .brands import declared_brands, split_forms  # brands reads the product words: imported here

    low = name.lower()
    forms = sorted({f.lower() for b in declared_brands(p) for f in split_forms(b)}, key=len, reverse=True)
    for form in forms:
        if low.startswith(form) and (len(form) >= 2 or low[len(form):].startswith("牌")):
            rest = name[len(form):].removeprefix("牌").strip(" -_·.")
            if cjk_count(rest) >= 2 and known.head_of(rest, sized=True):
                name = rest
            break
    code = _TRAILING_CODE.search(name) if len(name) > 12 else None
    name = name[:code.start()] if code and cjk_count(name[:code.start()]) >= 2 else name
    # a count of pieces the name ends with ("丝滑面膜贴6片") is the pack's, which its own field states
    count = _PIECES.search(name)
    return name[:count.start()] if count and cjk_count(name[:count.start()]) >= 2 else name


def _lacks(value: str, head: str) -> bool:
    """Whether a value says the product has no ``head`` ("无摄像头", "不带麦克风")."""
    low = value.strip().lower()
    return any(low.startswith(n) and low[len(n):].strip() == head for n in _NEGATIONS)


def _heads(found: Iterable[str], vocab: _Vocabulary) -> set[str]:
    """The Chinese product words a title's product words end with, themselves included: "双肩包" is a 包 too."""
    return {s for w in found for s in _known_suffixes(w, vocab)}


def _said_in_other_words(p: Product, word: str, types: AttributeTypes) -> bool:
    """Whether a part of one of the product's values names ``word``'s kind without being a known product word: a
    value ending on its noun ("冬季子母被/四季被" for 被子), or a model in words holding it ("方盒子蓝牙音箱2")."""
    for name, value in p.attributes:
        for part in VALUE_PARTS.split(value.strip()):
            if cjk_count(part) >= 2 and noun_head(part) == noun_head(word):
                return True
            if types.type_of(name) == "model" and word in part.lower() and 2 * cjk_count(part) >= len(part):
                return True
    return False


def _known_suffixes(word: str, vocab: _Vocabulary, shortest: int = 1) -> tuple[str, ...]:
    """The known Chinese product words ``word`` ends with, longest first, none shorter than ``shortest``."""
    return tuple(word[-n:] for n in range(len(word), shortest - 1, -1) if word[-n:] in vocab.cjk)


def _named_in(name: str, vocab: _Vocabulary) -> list[str]:
    """The known Chinese product words inside an attribute name, longest first ("手表镜面材质" → 手表, …)."""
    found = {name[i:j] for i in range(len(name)) for j in range(i + 1, min(len(name), i + vocab.longest) + 1)
             if name[i:j] in vocab.cjk}
    return sorted(found, key=lambda w: (-len(w), name.find(w)))


def _original_case(value: str, word_lower: str) -> str:
    at = value.lower().find(word_lower)
    return value[at:at + len(word_lower)] if at >= 0 else word_lower
