"""listingforge: e-commerce titles, descriptions and tags that keep the rules and never invent facts."""

from __future__ import annotations

from typing import Any

from .errors import ListingforgeError
from .product import Candidate, Edit, Finding, Product, Reason, Result, Score, Scored

__version__ = "0.1.0"

__all__ = ["Candidate", "Edit", "Engine", "Finding", "ListingforgeError", "Product", "Reason", "Result", "Score",
           "Scored", "__version__"]


def __getattr__(name: str) -> Any:
    # The engine pulls in jieba and the rule files: import it only when asked for.
    if name == "Engine":
        from .engine import Engine

        return Engine
    raise AttributeError(name)
