"""The data model every layer speaks: products in, candidates, findings, scores and results out.

No I/O here. Attributes are an ordered list of (name, value) pairs because a name may repeat
(two 颜色 values) and sellers' order carries meaning.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .text.lang import cjk_count

Severity = Literal["error", "warning", "info"]
Task = Literal["title", "short_title", "description", "tags"]
EditKind = Literal["add", "remove", "replace", "reorder"]


class Product(BaseModel):
    """One catalog row, normalized. Fields a source lacks stay ``None`` / empty."""

    model_config = ConfigDict(extra="ignore")

    id: str
    lang: str | None = None
    category: str | None = None
    brand: str | None = None
    attributes: list[tuple[str, str]] = Field(default_factory=list)
    title: str | None = None
    description: str | None = None
    price: float | None = None
    # impressions, clicks, ctr, conversion, sales, units_sold, rating, rating_count, …
    metrics: dict[str, float] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    # character offsets into ``title`` (end exclusive) with a type, as in the shared data
    spans: list[tuple[int, int, str]] = Field(default_factory=list)

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_text(cls, v: Any) -> str:
        return str(v)

    @field_validator("attributes", mode="before")
    @classmethod
    def _pairs(cls, v: Any) -> Any:
        if isinstance(v, dict):
            v = [(str(k), str(x)) for k, x in v.items()]
        if isinstance(v, list | tuple):
            # a form's unfilled field repeats its own name (配件数量=配件数量, 售后服务=售后服务): it states nothing.
            # A Chinese name only: "Waterproof: Waterproof" is a feature said yes to
            v = [kv for kv in v if not (isinstance(kv, list | tuple) and len(kv) == 2 and isinstance(kv[0], str)
                                        and isinstance(kv[1], str) and kv[0].strip() == kv[1].strip()
                                        and cjk_count(kv[0]))]
        return v

    def attribute(self, name: str) -> str | None:
        """First value of attribute ``name``."""
        for k, v in self.attributes:
            if k == name:
                return v
        return None

    def attribute_values(self) -> list[str]:
        return [v for _, v in self.attributes if v]


class Finding(BaseModel):
    """One problem found in a text, with where it is and how to fix it."""

    rule: str  # e.g. "adlaw.absolute", "amazon.chars", "grounding.number"
    severity: Severity = "error"
    field: str = "title"
    start: int = 0
    end: int = 0
    text: str = ""
    message: str = ""
    # replacement for text[start:end]; "" deletes it; None = no safe automatic fix
    fix: str | None = None
    # the article of law or marketplace rule and where it is published ("广告法 第九条(三); SAMR 2023 …")
    basis: str = ""

    def short(self) -> str:
        return f"{self.rule}: {self.text!r}" if self.text else self.rule


class Edit(BaseModel):
    """One change to a seller's text, with why and on what evidence. No evidence, no edit.

    An added word cites the fact, the product's own text or the seller's keyword it comes from
    (``evidence="attribute 材质=纯棉"``); a removed word cites the finding (``evidence="adlaw.absolute"``)."""

    kind: EditKind
    old: str = ""  # the words removed or replaced (or moved, for a reorder)
    new: str = ""  # the words added or put in their place
    reason: str  # what a seller reads: "banned term", "missing key attribute", "repeated word" …
    evidence: str  # where the new words come from, or the finding that removes the old ones

    def short(self) -> str:
        what = {"add": f"+{self.new}", "remove": f"-{self.old}", "replace": f"{self.old}→{self.new}",
                "reorder": f"moved {self.old}"}[self.kind]
        return f"{what} ({self.reason}: {self.evidence})"


class Candidate(BaseModel):
    """A text a generator proposes for one task."""

    text: str
    task: Task = "title"
    generator: str  # registered name with version, e.g. "compose@2"
    model: str | None = None  # model id / path / hash when a model made it
    # for a rewrite of the seller's text: every change made, each with its evidence
    edits: list[Edit] = Field(default_factory=list)
    meta: dict[str, Any] = Field(default_factory=dict)


class Reason(BaseModel):
    """One auditable part of a score."""

    feature: str
    points: float
    message: str


class Score(BaseModel):
    value: float  # 0–100
    reasons: list[Reason] = Field(default_factory=list)
    scorer: str = "rules@1"

    def explain(self, limit: int = 5) -> str:
        """The parts that earned nothing or cost points (what to fix) first, then the largest."""
        top = sorted(self.reasons, key=lambda r: (r.points > 0, -abs(r.points)))[:limit]
        return "; ".join(f"{r.message} ({r.points:+.0f})" for r in top)


class Scored(BaseModel):
    candidate: Candidate
    score: Score
    findings: list[Finding] = Field(default_factory=list)


class Result(BaseModel):
    """What a task returns for one product on one platform."""

    product_id: str
    task: Task
    platform: str
    best: Scored | None = None
    alternatives: list[Scored] = Field(default_factory=list)
    fixed: list[Finding] = Field(default_factory=list)  # findings repaired automatically
    before: Scored | None = None  # the product's existing text, scored the same way
    changes: str = ""  # word diff against the old text
    error: str | None = None  # set instead of ``best`` when this product failed
    config: dict[str, Any] = Field(default_factory=dict)

    @property
    def text(self) -> str | None:
        return self.best.candidate.text if self.best else None
