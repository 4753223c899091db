"""Tags for a catalog: fit the tagger on the catalog (plus reviewers' verdicts), then tag every product.

No files here: the CLI and the service read the catalog and the feedback and write the tags.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from pydantic import ValidationError

from ..compliance import Checker
from ..errors import CatalogError
from ..product import Finding, Product
from ..tagging import ProductTags, Tag, TagFeedback, Tagger

# Feedback columns by the names people use (the tags.csv output plus a verdict column works as is).
_FEEDBACK_COLUMNS = {
    "product_id": ("id", "product_id", "商品id", "商品编号", "货号"),
    "type": ("type", "tag_type", "类型", "标签类型"),
    "value": ("value", "tag", "标签", "值", "标签值"),
    "verdict": ("verdict", "feedback", "decision", "结论", "反馈", "审核"),
    "start": ("start",),
    "end": ("end",),
}


def tag_products(products: Sequence[Product | None], *, tagger: Tagger | None = None,
                 feedback: Sequence[TagFeedback] = (), reviews: Sequence[str | None] | None = None,
                 images: Sequence[str | None] | None = None, checkers: Sequence[Checker] | None = None,
                 **tagger_params: Any) -> tuple[list[ProductTags | None], Tagger]:
    """Tags per product (``None`` where the row had no product). Without ``tagger`` one is fit here on
    ``products`` and ``feedback``; the fitted tagger is returned so it can be saved.

    Tags obey the law checks like every other output: a tag that breaks a rule of ``checkers`` (default: the
    generic platform's, i.e. the Advertising Law for Chinese text) is dropped, with its finding kept."""
    ok = [i for i, p in enumerate(products) if p is not None]
    ok_products = [products[i] for i in ok]
    if tagger is None:
        tagger = Tagger(**tagger_params).fit(ok_products, feedback)
    pick = (lambda xs: [xs[i] for i in ok]) if ok else (lambda xs: [])
    tagged = tagger.tag(ok_products, reviews=pick(reviews) if reviews is not None else None,
                        images=pick(images) if images is not None else None)
    checkers = list(checkers) if checkers is not None else [_generic_checker()]
    out: list[ProductTags | None] = [None] * len(products)
    for i, t in zip(ok, tagged, strict=True):
        out[i] = lawful_tags(t, products[i], checkers)
    return out, tagger


def lawful_tags(tags: ProductTags, product: Product | None, checkers: Sequence[Checker]) -> ProductTags:
    """``tags`` without those whose value breaks a rule (an error finding of any checker: 国家级, 最好, 治疗 …),
    or is a law term the checks could only warn about: a tag is a bare word with no context to make it lawful
    (特供 alone names no channel). Each dropped tag's findings are kept on ``findings`` so the seller sees why it
    is missing; other warnings flag a tag without dropping it."""
    kept: list[Tag] = []
    found: list[Finding] = []
    for t in tags.tags:
        fs = [f.model_copy(update={"field": "tags", "message": f"tag {t.type}={t.value!r}: {f.message}"})
              for chk in checkers for f in chk.check(t.value, product, field="tags", grounding=False)]
        found += fs
        if not any(f.severity == "error" or _is_law(f) for f in fs):
            kept.append(t)
    if not found:
        return tags
    return tags.model_copy(update={"tags": kept, "findings": [*tags.findings, *found]})


def _is_law(f: Finding) -> bool:
    return f.rule.split(".")[0] in ("adlaw", "cosmetics", "food", "consumer", "unfair")


@lru_cache(maxsize=1)
def _generic_checker() -> Checker:
    return Checker("generic", grounding=False)


def tag_rows(tags: ProductTags) -> list[dict[str, Any]]:
    """One flat record per tag (the ``tags.csv`` shape): id, type, value, start, end, source, confidence, field."""
    return [{"id": tags.id, **t.model_dump()} for t in tags.tags]


def feedback_from_records(records: Iterable[Mapping[str, Any]], *, source: str = "feedback") -> list[TagFeedback]:
    """Parse feedback rows (dicts from a CSV/XLSX); a bad row raises CatalogError naming row and column."""
    records = list(records)
    if not records:
        return []
    columns = list(records[0].keys())
    found = {}
    for field, names in _FEEDBACK_COLUMNS.items():
        col = next((c for c in columns if str(c).strip().lower() in names), None)
        if col is None and field in ("product_id", "type", "value", "verdict"):
            raise CatalogError(f"feedback needs a {field!r} column (one of: {', '.join(names)}); the file has: "
                               + ", ".join(map(str, columns)), file=source)
        found[field] = col
    out = []
    for row_no, rec in enumerate(records, start=2):  # row 1 is the header
        data = {f: rec.get(c) for f, c in found.items() if c is not None and _present(rec.get(c))}
        if "verdict" not in data:
            continue  # a tags.csv row the reviewer did not judge
        for pos in ("start", "end"):
            if pos in data:
                data[pos] = int(float(data[pos]))
        try:
            out.append(TagFeedback(**data))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = str(err["loc"][0]) if err.get("loc") else None
            raise CatalogError(err["msg"], file=source, row=row_no, column=found.get(field) if field else None,
                               value=data.get(field) if field else None) from exc
    return out


def _present(v: Any) -> bool:
    return v is not None and str(v).strip() not in ("", "nan", "None")


__all__ = ["Tag", "feedback_from_records", "tag_products", "tag_rows"]
