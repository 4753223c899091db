"""Feature contributions in plain words: columns are grouped (brand, price, wording…) and each group gets a
sentence that states the title's fact in Chinese and English; the points say whether it helped or hurt."""

from __future__ import annotations

import math
from collections.abc import Callable

GROUPS: dict[str, str] = {
    "length": "length", "n_words": "length", "repeats": "repeats", "brand_in_title": "brand",
    "brand_pos": "brand", "product_word_pos": "product_word", "attr_coverage": "attributes",
    "term_coverage": "terms", "n_findings": "findings", "findings_error": "findings", "price_rel": "price",
    "log_price": "price", "discount": "discount", "n_numbers": "specs", "has_spec": "specs",
    "latin_share": "script", "upper_share": "caps", "symbols": "symbols", "spaces": "spaces",
}


def group_of(feature: str) -> str:
    if feature.startswith("rule_"):
        return "findings"
    if feature.startswith("text_"):
        return "wording"
    if feature.startswith("embed_"):
        return "meaning"
    return GROUPS.get(feature, feature)


def _nan(v: float | None) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _brand(v: dict[str, float]) -> str:
    pos, present = v.get("brand_pos"), v.get("brand_in_title")
    if _nan(present):
        return "商品没有品牌信息 / no brand given for this product"
    if not present or _nan(pos):
        return "标题没有品牌 / brand missing from title"
    if pos < 10:
        return "品牌在前10个字符内 / brand in first 10 characters"
    return "品牌不在前10个字符 / brand not in first 10 characters"


def _product_word(v: dict[str, float]) -> str:
    pos = v.get("product_word_pos")
    if _nan(pos):
        return "标题里没找到产品词 / product word not found in title"
    return f"产品词在第{pos + 1:.0f}个字符 / product word at character {pos + 1:.0f}"


def _findings(v: dict[str, float]) -> str:
    n = v.get("n_findings") or 0
    if not n:
        return "没有违规或问题 / no rule findings"
    rules = [k[5:] for k, x in v.items() if k.startswith("rule_") and x]
    shown = ", ".join(rules) if rules else "rules"
    return f"有{n:.0f}处问题 ({shown}) / {n:.0f} rule finding(s) ({shown})"


def _price(v: dict[str, float]) -> str:
    rel = v.get("price_rel")
    if _nan(rel):
        return "价格未知 / price unknown"
    return f"价格是品类中位数的{math.exp(rel):.1f}倍 / price {math.exp(rel):.1f}× the category median"


def _pct(key: str, zh: str, en: str) -> Callable[[dict[str, float]], str]:
    def say(v: dict[str, float]) -> str:
        x = v.get(key)
        if _nan(x):
            return f"{zh}: 无数据 / {en}: no data"
        return f"{zh} {x:.0%} / {en} {x:.0%}"

    return say


MESSAGES: dict[str, Callable[[dict[str, float]], str]] = {
    "length": lambda v: f"标题长度 {v['length']:.0f} / title length {v['length']:.0f}",
    "repeats": lambda v: (f"重复词 {v['repeats']:.0f} 个 / {v['repeats']:.0f} repeated word(s)"
                          if v.get("repeats") else "没有重复词 / no repeated words"),
    "brand": _brand,
    "product_word": _product_word,
    "attributes": _pct("attr_coverage", "标题含属性", "attributes in title"),
    "terms": _pct("term_coverage", "含品类常用词", "category's common words in title"),
    "findings": _findings,
    "price": _price,
    "discount": lambda v: ("无原价 / no list price" if _nan(v.get("discount"))
                           else f"折扣 {v['discount']:.0%} / {v['discount']:.0%} off list price"),
    "specs": lambda v: ("含规格数字 / states size or quantity" if v.get("has_spec")
                        else "没有规格数字 / no size or quantity"),
    "script": _pct("latin_share", "英文字母占比", "Latin letters"),
    "caps": lambda v: ("没有英文字母 / no Latin letters" if _nan(v.get("upper_share"))
                       else _pct("upper_share", "大写字母占比", "capital letters")(v)),
    "symbols": lambda v: f"符号 {v.get('symbols', 0):.0f} 个 / {v.get('symbols', 0):.0f} symbol(s)",
    "spaces": lambda v: f"空格 {v.get('spaces', 0):.0f} 个 / {v.get('spaces', 0):.0f} space(s)",
    "wording": lambda v: "标题用词 / title wording",
    "meaning": lambda v: "标题语义 / title meaning (embedding)",
}


def describe(group: str, values: dict[str, float]) -> str:
    say = MESSAGES.get(group)
    return say(values) if say else group
