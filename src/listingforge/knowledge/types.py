"""What an attribute is about and what a word claims: the typed data of ``data/attribute_types.toml``.

A type (gender, age group, season, size …) has canonical values; a word a title uses ("男士", "women's") is a
form of one of them. Two canonical values of a type contradict each other unless one includes the other
(男女通用 fits 男 and 女; 春秋 fits 春). Pure data and lookups: no catalog, no text scanning.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

# the types whose values can contradict each other; the others (material, colour…) are many-valued facts that
# can only be unsupported, not contradicted
CONTRADICTING = ("gender", "age_group", "season", "size", "thickness")
# the ends of attribute names that file paperwork, a price or the shipment: 生产企业生产许可证号, 执行标准号,
# 注册人/备案人地址, 厂家联系方式, 巧克力价格, 外机堆码层数极限 (how high the cartons stack), 包装尺寸 (the carton's size)
_PAPERWORK = ("编号", "文号", "备案号", "许可证", "许可证号", "标准号", "条码", "条形码", "价格", "价格段", "价格区间", "价位",
              "地址", "联系方式", "厂家名称", "备案人名称", "认证标识", "堆码层数极限", "包装尺寸", "包装重量")
# a yes to a form's question ("是否可躺=是", "高度是否可调节=是", "是否支持全画幅=支持"): the feature is in the question
_YES = frozenset({"是", "有", "支持", "带", "含", "yes"})
_NO = frozenset({"否", "不支持", "no"})  # a no to it ("是否线控=否"): the feature in the question is denied
_ASKED = re.compile(r"^(.*?)是否(?:支持|为|是|自带)?(.{2,})$")
_BRACKETED = re.compile(r"[(（][^)）]*[)）]")  # a character a placeholder adds in brackets: 其(他)它
# a search filter's band, not a title word ("L以下", "1000元以上", "21L(含)-30L(含)", "≤35dB", a shelf's 承重=150-500kg)
_BAND = re.compile(r"(以下|以上|及以下|及以上|左右|不限|以内)$|[(（]含[)）]|小于|大于|不超过|^[≤≥<>＜＞]"
                   r"|^\d+(?:\.\d+)?\s*[-~]\s*\d+(?:\.\d+)?\s*(?:kg|KG|Kg|公斤)$")
_BARE_NUMBER = re.compile(r"^[\d.%()（）含\-~]+$")  # a number without its unit ("40" cups, "1808"): no title word alone


def is_band(value: str) -> bool:
    """A search filter's band, which no title prints: "L以下", "21L(含)-30L(含)", "1000元以上"."""
    return bool(_BAND.search(value.strip()))


def is_range(value: str) -> bool:
    """A band, or a number without its unit: a value a title does not print as it is."""
    return is_band(value) or bool(_BARE_NUMBER.match(value.strip()))


@dataclass(frozen=True)
class TypedForm:
    type: str
    canonical: str


@dataclass(frozen=True, eq=False)
class AttributeTypes:
    version: int
    name_type: dict[str, str]  # attribute name (lower case) → type
    forms: dict[str, tuple[TypedForm, ...]]  # word (lower case) → what it says, per type
    compatible: dict[str, dict[str, frozenset[str]]]  # type → canonical → the canonicals it includes
    empty: frozenset[str]  # values that say nothing (其他, other…)
    claims: dict[str, str] = field(default_factory=dict)  # word (lower case) → a type no attribute names
    type_words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # type → its forms, longest first
    canonicals: dict[str, frozenset[str]] = field(default_factory=dict)  # type → its canonical values
    claim_free: frozenset[str] = frozenset()  # words that state no fact (新款, 百搭, "stylish")
    untitled: tuple[re.Pattern, ...] = ()  # values no title prints (其他休闲, 不支持智能) …
    features: tuple[re.Pattern, ...] = ()  # … unless they name a feature (无线, 不锈钢)
    said_with: dict[str, str] = field(default_factory=dict)  # attribute name (lower case) → the word after its value
    said_as: dict[str, str] = field(default_factory=dict)  # value → how titles write it (A型 → A字)
    renowned_places: frozenset[str] = frozenset()  # places known for their goods (景德镇, 宜兴): a title word as origin

    @lru_cache(maxsize=16_384)  # noqa: B019 - one immutable object per process (load_types): never freed anyway
    def type_of(self, name: str) -> str | None:
        n = name.strip().lower()
        found = self.name_type.get(n)
        if found is None and n.endswith(("材质", "材料")):
            return "part_material"  # 灯罩辅材质, 表带材质: the main material has its own names
        if found is None and n.endswith(_PAPERWORK):
            return "meta"  # a registration number, a price band, the maker's address: paperwork, not a fact a title says
        if found is None and n.endswith("单品"):
            return "product_type"  # 面膜单品=蜗牛原液补水保湿面膜, 洗发护发单品: the product's own name, as 品名 is
        return found

    def answered(self, name: str, value: str) -> str:
        """The feature a yes names, as a title says it (是否可躺=是 → 可躺, 是否支持全画幅=支持 → 全画幅, 高度是否可调节=是 →
        高度可调节); any other value as it is (是否可躺=否 stays 否, which says nothing)."""
        if value.strip().lower() not in _YES:
            return value
        m = _ASKED.match(name.strip())
        return m.group(1) + m.group(2) if m else value

    def denied(self, name: str, value: str) -> str | None:
        """The feature a no to a form's question denies, as a title says it (是否线控=否 → 线控); None for any other
        answer or a name that asks nothing."""
        if value.strip().lower() not in _NO:
            return None
        m = _ASKED.match(name.strip())
        return m.group(1) + m.group(2) if m else None

    def is_empty(self, value: str) -> bool:
        """A value that says nothing: 其他, other, and their spellings with a character in brackets ("其(他)它")."""
        v = value.strip().lower()
        return not v or v in self.empty or _BRACKETED.sub("", v) in self.empty

    def is_untitled(self, value: str) -> bool:
        """A value true of the product that a title does not print: a placeholder, or what the product lacks."""
        v = value.strip()
        return any(p.search(v) for p in self.untitled) and not any(p.search(v) for p in self.features)

    def fits(self, type_: str, stated: str, claimed: str) -> bool:
        """Whether a text claiming ``claimed`` agrees with a product stating ``stated`` (both canonical)."""
        if stated == claimed:
            return True
        inc = self.compatible.get(type_, {})
        return claimed in inc.get(stated, ()) or stated in inc.get(claimed, ())

    def canonicals_in(self, type_: str, value: str) -> set[str]:
        """The canonical values of ``type_`` a product's attribute value states ("2020年秋季" → {"秋"})."""
        v = value.strip().lower()
        if v in self.canonicals.get(type_, ()):
            return {v}  # the canonical value itself ("中", "女", "秋冬")
        out = {f.canonical for f in self.forms.get(v, ()) if f.type == type_}
        if out:
            return out
        # the longest forms inside the value ("秋冬季" holds 秋冬 before 秋)
        found: set[str] = set()
        covered: list[tuple[int, int]] = []
        for word in self.type_words.get(type_, ()):
            at = v.find(word)
            while at >= 0:
                end = at + len(word)
                if not any(a < end and at < b for a, b in covered):
                    covered.append((at, end))
                    found |= {f.canonical for f in self.forms[word] if f.type == type_}
                at = v.find(word, at + 1)
        return found


@lru_cache(maxsize=1)
def load_types() -> AttributeTypes:
    """The packaged attribute types (cached: one immutable object per process)."""
    data = tomllib.loads((resources.files(__package__) / "data" / "attribute_types.toml").read_text("utf-8"))
    name_type = {n.lower(): t for t, names in data["names"].items() for n in names}
    forms: dict[str, list[TypedForm]] = {}
    for type_, canon in data["forms"].items():
        for c, words in canon.items():
            for w in words:
                forms.setdefault(w.lower(), []).append(TypedForm(type_, c))
    compatible = {t: {c: frozenset(inc) for c, inc in m.items()} for t, m in data.get("compatible", {}).items()}
    claims = {w.lower(): t for t, words in data.get("claims", {}).items() for w in words}
    type_words = {t: tuple(sorted((w for w, fs in forms.items() if any(f.type == t for f in fs)), key=len,
                                  reverse=True)) for t in data["forms"]}
    return AttributeTypes(version=data["version"], name_type=name_type,
                          forms={w: tuple(fs) for w, fs in forms.items()}, compatible=compatible,
                          empty=frozenset(v.lower() for v in data["empty"]["values"]), claims=claims,
                          type_words=type_words,
                          canonicals={t: frozenset(canon) for t, canon in data["forms"].items()},
                          claim_free=frozenset(w.lower() for ws in data["claim_free"].values() for w in ws),
                          untitled=tuple(re.compile(x) for x in data["untitled"]["patterns"]),
                          features=tuple(re.compile(x) for x in data["untitled"]["features"]),
                          said_with={k.lower(): w for k, w in data.get("said_with", {}).items()},
                          said_as=dict(data.get("said_as", {})),
                          renowned_places=frozenset(data.get("renowned_places", {}).get("places", ())))
