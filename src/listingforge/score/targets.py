"""What "sells" means for a history file: the training target, and the outcomes that must never be features.

- ``ctr``: clicks / impressions, smoothed towards the category's own rate with a Beta prior fitted by the
  method of moments (empirical Bayes), so 1 click in 3 impressions does not outrank 300 in 10,000.
- ``conversion``: orders / clicks, smoothed the same way (falls back to a given ``conversion`` rate).
- ``sales`` / ``units`` / ``rating_count``: log1p of the first count a row has among the aliases below.
- ``auto``: ``ctr`` when impressions and clicks exist, else sales, units, rating count.

Every metric key named in ``OUTCOME_METRICS`` (and any key a target reads) is an outcome: features are
built from the title, the product's attributes and its price only, so no outcome can leak into them.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..errors import ConfigError
from ..product import Product

# Aliases, most specific first. Keys are lower-cased metric names as catalogs produce them.
COUNT_ALIASES: dict[str, tuple[str, ...]] = {
    "sales": ("sales", "orders", "sale_count", "units_sold", "units", "sold", "order_count"),
    "units": ("units_sold", "units", "sale_count", "sales", "orders", "sold"),
    "rating_count": ("rating_count", "ratings", "review_count", "reviews", "comment_count"),
}
TARGETS = ("auto", "ctr", "conversion", "sales", "units", "rating_count")

# Anything observed after a listing went live. Never a feature, whatever the target.
OUTCOME_METRICS = frozenset({
    "impressions", "views", "exposure", "clicks", "ctr", "conversion", "cvr", "orders", "sales",
    "sale_count", "units_sold", "units", "sold", "order_count", "revenue", "gmv", "rating", "ratings",
    "rating_count", "review_count", "reviews", "comment_count", "favorites", "add_to_cart", "returns",
})


@dataclass
class Target:
    """The target values (NaN where a row has none) and how they were made."""

    name: str
    values: np.ndarray
    source: str  # which metric(s) it came from, for the model card
    outcome_keys: frozenset[str] = field(default_factory=frozenset)
    prior: dict[str, tuple[float, float]] = field(default_factory=dict)  # category -> (alpha, beta)

    @property
    def mask(self) -> np.ndarray:
        return ~np.isnan(self.values)


def _metric(p: Product, key: str) -> float | None:
    v = p.metrics.get(key)
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def beta_prior(successes: Sequence[float], trials: Sequence[float]) -> tuple[float, float]:
    """Beta(alpha, beta) from the trial-weighted mean and variance of the rates (method of moments).

    Weighting by trials keeps a 1-in-3 row from inflating the spread; the expected binomial noise
    (k·m(1−m)/N for k rows and N trials) is subtracted so a category of small samples gets a strong prior
    (heavy shrinkage) and one with really different rates a weak one.
    """
    s = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    ok = n > 0
    s, n = s[ok], n[ok]
    if len(n) == 0:
        return 1.0, 1.0
    rates = s / n
    total = float(n.sum())
    mean = min(max(float(s.sum()) / total, 1e-6), 1 - 1e-6)
    noise = len(n) * mean * (1 - mean) / total
    var = float((n * (rates - mean) ** 2).sum()) / total - noise
    # rates that look like pure noise around the mean (or too few rows to tell) shrink hard
    noisy = len(n) < 3 or var <= 1e-12
    strength = 1000.0 if noisy else min(max(mean * (1 - mean) / var - 1, 2.0), 1e6)
    return mean * strength, (1 - mean) * strength


def _smoothed_rate(
    products: Sequence[Product], num_key: tuple[str, ...], den_key: tuple[str, ...], rate_key: str
) -> tuple[np.ndarray, dict[str, tuple[float, float]], str]:
    num = np.array([next((v for k in num_key if (v := _metric(p, k)) is not None), np.nan) for p in products])
    den = np.array([next((v for k in den_key if (v := _metric(p, k)) is not None), np.nan) for p in products])
    cats = [p.category or "" for p in products]
    have = ~np.isnan(num) & ~np.isnan(den) & (den > 0)
    by_cat: dict[str, list[int]] = defaultdict(list)
    for i in np.flatnonzero(have):
        by_cat[cats[i]].append(i)
    prior = {c: beta_prior(num[idx], den[idx]) for c, idx in by_cat.items()}
    out = np.full(len(products), np.nan)
    for c, idx in by_cat.items():
        a, b = prior[c]
        out[idx] = (num[idx] + a) / (den[idx] + a + b)
    # Rows with only a rate (no counts) keep it as given: nothing to smooth with.
    for i, p in enumerate(products):
        if np.isnan(out[i]) and (r := _metric(p, rate_key)) is not None:
            out[i] = r / 100 if r > 1 else r
    source = f"({'|'.join(num_key)} + a) / ({'|'.join(den_key)} + a + b), Beta prior by category"
    return out, prior, source


def _has_pairs(products: Sequence[Product], a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return any(
        any(_metric(p, k) is not None for k in a) and any(_metric(p, k) is not None for k in b)
        for p in products
    )


def resolve_target(products: Sequence[Product], name: str = "auto") -> str:
    """The concrete target ``auto`` stands for on these products (or ``name`` itself, checked)."""
    if name not in TARGETS:
        raise ConfigError(f"unknown target {name!r}; use one of {', '.join(TARGETS)}")
    if name != "auto":
        return name
    if _has_pairs(products, ("clicks",), ("impressions", "views", "exposure")):
        return "ctr"
    for t in ("sales", "units", "rating_count"):
        if any(_metric(p, k) is not None for p in products for k in COUNT_ALIASES[t]):
            return t
    raise ConfigError(
        "no outcome to learn from: the history needs impressions and clicks, or sales / units sold / "
        "rating counts (columns such as 曝光, 点击, 销量, sale_count, units_sold, rating_count)"
    )


def make_target(products: Sequence[Product], name: str = "auto") -> Target:
    """Compute the target for each product; rows without the needed metrics get NaN."""
    name = resolve_target(products, name)
    prior: dict[str, tuple[float, float]] = {}
    if name == "ctr":
        values, prior, source = _smoothed_rate(products, ("clicks",), ("impressions", "views", "exposure"), "ctr")
    elif name == "conversion":
        values, prior, source = _smoothed_rate(
            products, ("orders", "sales", "units_sold"), ("clicks",), "conversion"
        )
    else:
        keys = COUNT_ALIASES[name]
        raw = []
        used: set[str] = set()
        for p in products:
            v = next(((k, x) for k in keys if (x := _metric(p, k)) is not None), None)
            if v is not None:
                used.add(v[0])
            raw.append(np.nan if v is None else math.log1p(max(v[1], 0.0)))
        values = np.array(raw, dtype=float)
        source = f"log1p({' | '.join(sorted(used)) or ' | '.join(keys)})"
    if not np.any(~np.isnan(values)):
        raise ConfigError(f"target {name!r}: no row has the metrics it needs ({source})")
    return Target(name=name, values=values, source=source, outcome_keys=OUTCOME_METRICS, prior=prior)
