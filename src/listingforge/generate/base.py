"""The one protocol every generator implements, and the registry that names them.

A generator proposes candidates; it never checks or ranks them (compliance/ and score/ do).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from ..errors import ConfigError
from ..product import Candidate, Product, Task


class Spec(BaseModel):
    """What the task asks of a text, independent of how it is generated."""

    platform: str = "generic"
    lang: str = "zh"
    max_units: int = 60  # the marketplace limit, in ``unit``
    unit: str = "width"  # "width" (CJK counts 2), "chars" or "bytes"; see text.length
    min_units: int = 0
    keywords: list[str] = Field(default_factory=list)  # search words to work in, most valuable first
    style: str | None = None  # description style (简洁 / 种草 / 专业 …)
    audience: str | None = None  # description audience (学生 / 宝妈 / 商务 …)
    seed: int = 0
    extra: dict[str, Any] = Field(default_factory=dict)


@runtime_checkable
class Generator(Protocol):
    """``generate(task, product, n, spec) -> list[Candidate]``; may return fewer than ``n``."""

    name: str

    def generate(self, task: Task, product: Product, n: int, spec: Spec) -> list[Candidate]: ...


_REGISTRY: dict[str, Callable[..., Generator]] = {}


def register_generator(name: str) -> Callable[[Callable[..., Generator]], Callable[..., Generator]]:
    """Register a generator factory under a name (``compose``, ``llm`` …)."""

    def deco(factory: Callable[..., Generator]) -> Callable[..., Generator]:
        _REGISTRY[name] = factory
        return factory

    return deco


def make_generator(name: str, **kwargs: Any) -> Generator:
    if name not in _REGISTRY:
        raise ConfigError(f"unknown generator {name!r}; known: {', '.join(sorted(_REGISTRY)) or 'none'}")
    return _REGISTRY[name](**kwargs)


def registered_generators() -> list[str]:
    return sorted(_REGISTRY)
