"""Prompt rendering: Jinja2 templates per task and language (generate/prompts/*.j2).

Product text is untrusted. It goes into one delimited data block (``<product_data>`` …
``</product_data>``) with the characters that could close or fake the block neutralized: angle
brackets become full-width, line breaks become spaces, so a value cannot end the block or start a
line that looks like an instruction. The system text tells the model the block is data only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import jinja2

from ...product import Product, Task
from ..backends.base import Message
from ..base import Spec

TASK_KEYS = ("title_generate", "title_optimize", "short_title", "description", "tags")
LANGS = ("zh", "en")

PLATFORM_NAMES = {
    "zh": {"taobao": "淘宝", "tmall": "天猫", "jd": "京东", "pinduoduo": "拼多多", "generic": "电商",
           "amazon": "亚马逊", "shopify": "Shopify", "google": "Google 购物"},
    "en": {"taobao": "Taobao", "tmall": "Tmall", "jd": "JD.com", "pinduoduo": "Pinduoduo",
           "generic": "an online store", "amazon": "Amazon", "shopify": "Shopify",
           "google": "Google Shopping"},
}
LABELS = {
    "zh": {"category": "类目", "brand": "品牌", "attributes": "属性", "title": "原标题",
           "description": "原描述", "price": "价格"},
    "en": {"category": "Category", "brand": "Brand", "attributes": "Attributes",
           "title": "Current title", "description": "Current description", "price": "Price"},
}
SCHEMAS: dict[str, dict[str, Any]] = {
    "title": {"type": "object", "properties": {"title": {"type": "string"}}, "required": ["title"],
              "additionalProperties": False},
    "description": {"type": "object", "properties": {"description": {"type": "string"}},
                    "required": ["description"], "additionalProperties": False},
    "tags": {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}}},
             "required": ["tags"], "additionalProperties": False},
}
_NEUTRAL = str.maketrans({"<": "＜", ">": "＞", "\r": " ", "\n": " ", "\t": " ", "`": "'"})


def task_key(task: Task, product: Product) -> str:
    """``title`` splits into generate (no title yet) and optimize (rewrite the seller's title)."""
    if task == "title":
        return "title_optimize" if (product.title or "").strip() else "title_generate"
    if task in ("short_title", "description", "tags"):
        return task
    raise ValueError(f"unknown task {task!r}")


def answer_field(task: Task) -> str:
    return {"title": "title", "short_title": "title", "description": "description", "tags": "tags"}[task]


def schema_for(task: Task) -> dict[str, Any]:
    return SCHEMAS[answer_field(task) if task != "short_title" else "title"]


def clean(value: object, limit: int = 400) -> str:
    """Neutralize one untrusted value for the data block."""
    text = " ".join(str(value).translate(_NEUTRAL).split())
    return text if len(text) <= limit else text[:limit] + "…"


def data_block(product: Product, lang: str, *, include_title: bool = True,
               include_description: bool = False, max_attributes: int = 30) -> str:
    lab = LABELS.get(lang, LABELS["en"])
    lines = ["<product_data>"]
    if product.category:
        lines.append(f"{lab['category']}: {clean(product.category)}")
    if product.brand:
        lines.append(f"{lab['brand']}: {clean(product.brand)}")
    attrs = [(k, v) for k, v in product.attributes if str(v).strip()][:max_attributes]
    if attrs:
        lines.append(f"{lab['attributes']}:")
        lines.extend(f"- {clean(k, 40)}: {clean(v, 120)}" for k, v in attrs)
    if include_title and product.title:
        lines.append(f"{lab['title']}: {clean(product.title)}")
    if include_description and product.description:
        lines.append(f"{lab['description']}: {clean(product.description, 600)}")
    lines.append("</product_data>")
    return "\n".join(lines)


def limit_phrase(spec: Spec, lang: str, task: Task) -> str:
    """The length the task asks for, in words a model understands (code still enforces it)."""
    n = spec.max_units
    target = spec.extra.get("target_units") if task == "description" else None
    if target and target < n:  # a description's legal maximum is far more than anyone should write
        return f"约{target}字以内" if lang == "zh" else f"about {target} characters or fewer"
    if lang == "zh":
        if spec.unit == "width":
            return f"不超过{n // 2}个汉字（{n}个字符宽度，一个汉字算2）"
        if spec.unit == "bytes":
            return f"不超过{n}字节（约{n // 3}个汉字）"
        return f"不超过{n}个字"
    if spec.unit == "bytes":
        return f"at most {n} bytes"
    if spec.unit == "width":
        return f"at most {n} characters (a CJK character counts 2)"
    return f"at most {n} characters"


def answer_json(task: Task, value: str | list[str]) -> str:
    """How an example's answer is shown to the model (the same format it must produce)."""
    return json.dumps({answer_field(task): value}, ensure_ascii=False)


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("listingforge.generate", "prompts"),
        undefined=jinja2.StrictUndefined,  # a typo in a template fails loudly, not silently blank
        autoescape=False,
        keep_trailing_newline=False,
    )


def _render_block(template: jinja2.Template, block: str, ctx: dict[str, Any]) -> str:
    return "".join(template.blocks[block](template.new_context(ctx))).strip()


def template_lang(lang: str | None) -> str:
    return lang if lang in LANGS else ("zh" if (lang or "").startswith("zh") else "en")


def render_messages(
    task: Task,
    product: Product,
    spec: Spec,
    examples: list[tuple[Product, str | list[str]]] | None = None,
) -> list[Message]:
    """System text, then each example as a user turn with its answer, then the product's user turn."""
    lang = template_lang(spec.lang or product.lang)
    key = task_key(task, product)
    template = _env().get_template(f"{key}.{lang}.j2")
    base: dict[str, Any] = {
        "platform_name": PLATFORM_NAMES[lang].get(spec.platform, spec.platform),
        "limit": limit_phrase(spec, lang, task),
        "keywords": [clean(k, 40) for k in spec.keywords],
        "style": spec.style,
        "audience": spec.audience,
        "n_tags": int(spec.extra.get("n_tags", 10)),
    }
    include_title = key != "title_generate"
    messages = [Message(role="system", content=_render_block(template, "system", {**base, "data": ""}))]
    for ex_product, ex_answer in examples or []:
        ex_data = data_block(ex_product, lang, include_title=include_title and task != "title")
        messages.append(Message(role="user", content=_render_block(
            template, "user", {**base, "keywords": [], "data": ex_data})))
        messages.append(Message(role="assistant", content=answer_json(task, ex_answer)))
    data = data_block(product, lang, include_title=include_title, include_description=task == "description")
    messages.append(Message(role="user", content=_render_block(template, "user", {**base, "data": data})))
    return messages


def render_compact(
    task: Task,
    product: Product,
    spec: Spec,
    examples: list[tuple[Product, str | list[str]]] | None,
    line: Callable[[Product, str], str],
    *,
    titles_only: bool = False,
) -> list[Message]:
    """The compact title prompt (``title_compact.*.j2``): the same system text for every product, then each
    example as one facts line with its title as the answer, then the product's facts line. ``line`` writes a
    product's facts (``FactsLine.line``). Answers are plain text, one line: no JSON wrapper to decode."""
    if task != "title":
        raise ValueError(f"the compact prompt is for titles, not {task!r}")
    lang = template_lang(spec.lang or product.lang)
    template = _env().get_template(f"title_compact.{lang}.j2")
    optimize = task_key(task, product) == "title_optimize"
    base: dict[str, Any] = {
        "platform_name": PLATFORM_NAMES[lang].get(spec.platform, spec.platform),
        "limit": limit_phrase(spec, lang, task), "optimize": optimize, "title": "", "keywords": [],
        "hints": titles_only, "examples": [],
    }
    messages = [Message(role="system", content=_render_block(template, "system", {**base, "line": ""}))]
    if titles_only:  # like products' titles shown beside the product's facts, not as turns of their own
        base["examples"] = [clean(str(a), 60) for _p, a in examples or []]
        examples = []
    for ex_product, ex_answer in examples or []:
        messages.append(Message(role="user", content=_render_block(
            template, "user", {**base, "line": line(ex_product, lang)})))
        messages.append(Message(role="assistant", content=clean(str(ex_answer), 200)))
    messages.append(Message(role="user", content=_render_block(template, "user", {
        **base, "line": line(product, lang), "title": clean(product.title or "", 200) if optimize else "",
        "keywords": [clean(k, 40) for k in spec.keywords]})))
    return messages
