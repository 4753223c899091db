"""The scorer protocol: the selection step ranks candidates with any object that has ``score``."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from ..generate.base import Spec
from ..product import Finding, Product, Score


class ScoreInput(BaseModel):
    """One text to score for one product, with the findings the checks left on it."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    product: Product
    text: str
    findings: list[Finding] = Field(default_factory=list)
    spec: Spec = Field(default_factory=Spec)


@runtime_checkable
class Scorer(Protocol):
    """``score(items) -> list[Score]`` (0–100 with reasons), one per item, same order."""

    name: str

    def score(self, items: list[ScoreInput]) -> list[Score]: ...
