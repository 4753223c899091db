"""``compose_description``: a grounded description from the product's attributes alone, no model needed.

Output: 3–5 selling points ("• " lines) and a paragraph, in the product's language. Every fact in it is
an attribute value, the brand or the category's last level, copied as given; the templates add only
connecting words and, for the 种草 style, subjective enthusiasm ("一眼心动") that states no fact. The
audience (学生 / 宝妈 / 商务 …) changes which attributes lead and how the paragraph addresses the reader.
The title is not used: it often states what the attributes do not, and copying it would copy that too.
"""

from __future__ import annotations

import random
import re
import zlib

from ..product import Candidate, Product, Task
from ..tagging.base import canonical_type
from ..text.lang import detect_lang
from ..text.normalize import normalize_text
from .base import Spec, register_generator

NAME = "compose_description@1"
STYLES = ("简洁", "种草", "专业")
BULLET = "• "

# Values that state nothing, and attribute names that are bookkeeping, not selling points.
_EMPTY = {"其他", "其它", "无", "是", "否", "不限", "通用", "见详情", "如图", "默认", "other", "others", "none", "na",
          "n/a", "unknown", "/", "-"}
_SKIP_NAMES = {"货号", "主图来源", "配送安装地区", "省份", "城市", "上市时间", "上市年份季节", "售后服务", "是否量贩装",
               "是否为特殊用途化妆品", "规格类型", "毛重", "id", "sku", "model number", "gender_raw", "price"}
_PRODUCT_NAMES = {"product", "类型", "品类", "产品", "品名", "商品类型", "articletype", "type", "subcategory"}

# Which kinds lead for whom; the rest follow in the seller's order.
_AUDIENCE = {
    "学生": ("style", "color", "pattern", "size", "material"),
    "宝妈": ("material", "function", "size", "season", "style"),
    "商务": ("material", "style", "function", "model", "color"),
    "student": ("style", "color", "pattern", "size", "material"),
    "parent": ("material", "function", "size", "season", "style"),
    "business": ("material", "style", "function", "model", "color"),
}
_DEFAULT_ORDER = ("material", "function", "style", "pattern", "color", "size", "net_content", "season", "audience")

# zh phrasing per kind: {v} is the value, {n} the attribute name as the seller wrote it
_ZH_POINT = {
    "material": "{v}材质", "color": "{v}配色", "style": "{v}风格", "pattern": "{v}图案", "season": "{v}适穿",
    "size": "尺码：{v}", "net_content": "净含量{v}", "function": "{v}", "audience": "适用对象：{v}",
    "model": "型号{v}",
}
_ZH_HOOKS = ("一眼心动", "越看越喜欢", "私心推荐", "忍不住想分享", "入手不纠结")
_ZH_ADDRESS = {"学生": "同学们", "宝妈": "宝妈们", "商务": "商务人士"}
_EN_POINT = {
    "material": "Made of {v}", "color": "Colour: {v}", "style": "{v} style", "pattern": "{v} pattern",
    "season": "For {v}", "size": "Size: {v}", "net_content": "Contents: {v}", "function": "{v}",
    "audience": "For {v}", "model": "Model {v}",
}


def _clean(v: str) -> str:
    return normalize_text(str(v)).strip()


def _empty(v: str) -> bool:
    return not v or v.lower() in _EMPTY


def _brand(p: Product) -> str | None:
    b = p.brand or p.attribute("品牌") or p.attribute("brand") or p.attribute("Brand")
    if not b or _empty(b.strip()) or b.strip().upper() == "BRAND":
        return None
    parts = [x.strip() for x in re.split(r"[/／]", b) if x.strip() and not _empty(x.strip())]
    cjk = [x for x in parts if re.search(r"[\u4e00-\u9fff]", x)]
    return (cjk or parts or [b.strip()])[0]


def _product_word(p: Product) -> str | None:
    for name, value in p.attributes:
        if name.strip().lower() in _PRODUCT_NAMES or canonical_type(name) == "product":
            v = _clean(value)
            if not _empty(v):
                return v
    if p.category:
        leaf = re.split(r"\s*[>/]\s*", p.category)[-1].strip()
        return leaf or None
    return None


def _facts(p: Product) -> list[tuple[str, str, str]]:
    """(kind, attribute name, value) for every usable attribute, each value once, seller's order."""
    out, seen = [], set()
    for name, value in p.attributes:
        n, v = name.strip(), _clean(value)
        kind = canonical_type(n)
        if _empty(v) or n.lower() in _SKIP_NAMES or kind in ("brand", "product") or n.lower() in _PRODUCT_NAMES:
            continue
        if v.lower() in seen or len(v) > 30:
            continue
        seen.add(v.lower())
        out.append((kind, n, v))
    return out


def _ordered(facts: list[tuple[str, str, str]], audience: str | None, rng: random.Random,
             shuffle: bool) -> list[tuple[str, str, str]]:
    lead = _AUDIENCE.get((audience or "").strip().lower(), _AUDIENCE.get(audience or "", _DEFAULT_ORDER))
    rank = {k: i for i, k in enumerate(lead)}
    keyed = [(rank.get(f[0], len(rank)), i, f) for i, f in enumerate(facts)]
    if shuffle:  # later candidates vary the order inside the same rank
        keyed = [(r, rng.random(), f) for r, _i, f in keyed]
    return [f for _r, _i, f in sorted(keyed)]


class DescriptionComposer:
    """Stateless: ``generate("description", product, n, spec)`` → up to ``n`` grounded descriptions."""

    name = NAME

    def __init__(self, *, min_points: int = 3, max_points: int = 5) -> None:
        self.min_points = min_points
        self.max_points = max_points

    def generate(self, task: Task, product: Product, n: int, spec: Spec) -> list[Candidate]:
        if task != "description":
            raise NotImplementedError(f"{NAME} writes descriptions only, not {task!r}")
        lang = product.lang or detect_lang(" ".join([product.title or "", *product.attribute_values()]),
                                           default=spec.lang)
        style = spec.style if spec.style in STYLES else "简洁"
        out: list[Candidate] = []
        seen: set[str] = set()
        for k in range(max(1, n)):
            rng = random.Random(zlib.crc32(f"{product.id}|{spec.seed}|{k}".encode()))
            facts = _ordered(_facts(product), spec.audience, rng, shuffle=k > 0)
            n_points = min(self.max_points, max(self.min_points, len(facts))) - (k % 2 if k else 0)
            points_facts = facts[:max(1, n_points)]
            if lang == "zh":
                points, para = self._zh(product, facts, points_facts, style, spec.audience, rng)
            else:
                points, para = self._en(product, facts, points_facts, style, spec.audience)
            text = "\n".join(BULLET + p for p in points) + ("\n" if points else "") + para
            if text in seen:
                continue
            seen.add(text)
            out.append(Candidate(text=text, task="description", generator=NAME,
                                 meta={"style": style, "audience": spec.audience, "lang": lang,
                                       "selling_points": points, "paragraph": para}))
        return out

    # ------------------------------------------------------------------ Chinese
    def _zh(self, p: Product, facts: list, points_facts: list, style: str, audience: str | None,
            rng: random.Random) -> tuple[list[str], str]:
        brand, word = _brand(p), _product_word(p) or "商品"
        points = []
        for i, (kind, name, v) in enumerate(points_facts):
            if style == "专业":
                points.append(f"【{name}】{v}")
            elif style == "种草" and i < 2:  # two hooks read as enthusiasm, five as spam
                points.append(_ZH_POINT.get(kind, "{n}：{v}").format(v=v, n=name) + "，" + rng.choice(_ZH_HOOKS))
            else:
                points.append(_ZH_POINT.get(kind, "{n}：{v}").format(v=v, n=name))
        if len(points) < self.min_points and brand:
            points.append(f"{brand}出品" if style != "专业" else f"【品牌】{brand}")
        subject = f"{brand}{word}" if brand else f"这款{word}"
        clauses = []
        for kind, name, v in facts[:8]:
            phrase = _ZH_POINT.get(kind)
            clauses.append(phrase.format(v=v, n=name) if phrase and kind not in ("size", "audience", "model")
                           else f"{name}{v}")
        body = "，".join(clauses)
        who = (audience or "").strip()
        if style == "专业":
            para = f"本品为{brand or ''}{word}" + (f"，{body}" if body else "") + "。"
            if who:
                para += f"适合{who}选用。"
        elif style == "种草":
            hello = _ZH_ADDRESS.get(who, f"{who}们" if who else "姐妹们")
            para = f"{hello}看过来！{subject}" + (f"，{body}" if body else "") + f"，{rng.choice(_ZH_HOOKS)}。"
        else:
            para = subject + (f"，{body}" if body else "") + "。" + (f"推荐{who}。" if who else "")
        return points, para

    # ------------------------------------------------------------------ English
    def _en(self, p: Product, facts: list, points_facts: list, style: str,
            audience: str | None) -> tuple[list[str], str]:
        brand = _brand(p)
        named = next((_clean(v) for n, v in p.attributes
                      if n.strip().lower() in _PRODUCT_NAMES or canonical_type(n) == "product"), None)
        # a category leaf is often plural ("Sweaters"): name it as a range, not as the item
        word = named.lower() if named else ("item" + (f" ({_product_word(p)})" if _product_word(p) else ""))
        points = [(_EN_POINT.get(kind, "{n}: {v}").format(v=v, n=name.capitalize())) for kind, name, v in points_facts]
        if len(points) < self.min_points and brand:
            points.append(f"By {brand}")
        points = [pt[:1].upper() + pt[1:] for pt in points]
        subject = f"This {word}" + (f" from {brand}" if brand else "")
        details = "; ".join(f"{name.lower()}: {v}" for _k, name, v in facts[:8])
        para = subject + (f": {details}." if details else ".")
        if audience:
            para += f" A pick for {audience}."
        if style == "专业":
            para = para.replace("This", "The", 1)
        return points, para


@register_generator("compose_description")
def _make(**kwargs) -> DescriptionComposer:  # noqa: ANN003
    return DescriptionComposer(**kwargs)


def split_description(text: str) -> tuple[list[str], str]:
    """A description text → (selling points, paragraph): "• " / "- " / "· " lines are points."""
    points, rest = [], []
    for line in text.splitlines():
        m = re.match(r"^\s*(?:[•·\-\*]|\d+[.、)])\s*(.+)$", line)
        if m:
            points.append(m.group(1).strip())
        elif line.strip():
            rest.append(line.strip())
    return points, "\n".join(rest)
