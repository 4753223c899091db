"""Ranking metrics for "does the score order titles like sales do": Spearman and NDCG@k within groups."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np


def _groups(groups: Sequence[str] | None, n: int) -> dict[str, np.ndarray]:
    out: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(groups if groups is not None else [""] * n):
        out[g or ""].append(i)
    return {g: np.asarray(ix) for g, ix in out.items()}


def spearman(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    from scipy.stats import spearmanr

    y_true, y_pred = np.asarray(y_true, float), np.asarray(y_pred, float)
    if len(y_true) < 3 or np.ptp(y_true) == 0 or np.ptp(y_pred) == 0:
        return float("nan")
    return float(spearmanr(y_true, y_pred).statistic)


def spearman_within(y_true: np.ndarray, y_pred: np.ndarray, groups: Sequence[str] | None = None) -> float:
    """Mean Spearman over groups with ≥ 3 rows, weighted by group size."""
    vals, weights = [], []
    for ix in _groups(groups, len(y_true)).values():
        r = spearman(y_true[ix], y_pred[ix])
        if not np.isnan(r):
            vals.append(r)
            weights.append(len(ix))
    return float(np.average(vals, weights=weights)) if vals else float("nan")


def ndcg_at_k(y_true: np.ndarray, y_pred: np.ndarray, k: int = 10) -> float:
    """NDCG@k with the (non-negative, shifted) target as gain; ties in the prediction broken pessimistically."""
    y_true = np.asarray(y_true, float)
    gain = y_true - min(0.0, float(y_true.min()))
    order = np.lexsort((gain, -np.asarray(y_pred, float)))[:k]  # equal scores: worst item first
    disc = 1.0 / np.log2(np.arange(2, len(order) + 2))
    ideal = np.sort(gain)[::-1][:k]
    idcg = float((ideal * disc[: len(ideal)]).sum())
    return float((gain[order] * disc).sum() / idcg) if idcg > 0 else float("nan")


def ndcg_within(y_true: np.ndarray, y_pred: np.ndarray, groups: Sequence[str] | None = None, k: int = 10) -> float:
    """Mean NDCG@k over groups with more than k rows (smaller groups rank trivially), weighted by size."""
    vals, weights = [], []
    for ix in _groups(groups, len(y_true)).values():
        if len(ix) <= k:
            continue
        r = ndcg_at_k(y_true[ix], y_pred[ix], k)
        if not np.isnan(r):
            vals.append(r)
            weights.append(len(ix))
    return float(np.average(vals, weights=weights)) if vals else float("nan")
