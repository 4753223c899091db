"""A LightGBM model of what sells, trained on the seller's own history, with reasons per title.

    scorer = LearnedScorer(target="sales").fit(products)    # cross-validates, then fits on all rows
    scorer.score([ScoreInput(product=p, text=t)])           # Score(value 0–100, reasons)
    scorer.save("scorer/");  LearnedScorer.load("scorer/")

The score is the percentile of a title's prediction among the training titles' predictions, so 80 means
"predicted to sell better than 80% of your history". Reasons come from LightGBM's ``pred_contrib``
(SHAP values), grouped into plain-word facts and scaled to score points: they add up to the distance
between this title's score and the score of an average title.
"""

from __future__ import annotations

import json
import time
import zlib
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigError, ModelAssetError, NotFittedError
from ..product import Finding, Product, Reason, Score
from ..text.normalize import normalize_text
from .base import ScoreInput
from .card import ModelCard
from .features import TitleFeaturizer
from .metrics import ndcg_within, spearman, spearman_within
from .reasons import describe, group_of
from .targets import make_target

OBJECTIVES = ("regression", "lambdarank")
FORMAT = 1
_FILES = ("scorer.json", "model.txt", "featurizer.json", "featurizer.npz")


def title_fold(title: str, folds: int) -> int:
    """Fold by a hash of the normalized title: the same title listed twice never straddles train and test."""
    return zlib.crc32(normalize_text(title).lower().encode("utf-8")) % folds


def rank_labels(y: np.ndarray, groups: Sequence[str], grades: int = 10) -> np.ndarray:
    """Within-group quantile grades 0..grades-1, the integer relevance lambdarank needs."""
    out = np.zeros(len(y), dtype=np.int32)
    by: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        by.setdefault(g, []).append(i)
    for ix in by.values():
        ix_arr = np.asarray(ix)
        ranks = np.argsort(np.argsort(y[ix_arr], kind="stable"), kind="stable")
        out[ix_arr] = (ranks * grades // max(len(ix_arr), 1)).astype(np.int32)
    return out


class LearnedScorer:
    """Scores titles by what sold in a history file (see the module docstring)."""

    name = "learned@1"

    def __init__(
        self,
        *,
        target: str = "auto",
        objective: str = "regression",
        n_estimators: int = 300,
        learning_rate: float = 0.03,
        num_leaves: int = 15,
        min_child_samples: int = 20,
        text_components: int = 24,
        use_embeddings: bool = False,
        cv_folds: int = 5,
        feature_groups: Sequence[str] | None = None,
        seed: int = 0,
        n_jobs: int = 1,
        max_reasons: int = 6,
    ) -> None:
        self.target = target
        self.objective = objective
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_child_samples = min_child_samples
        self.text_components = text_components
        self.use_embeddings = use_embeddings
        self.cv_folds = cv_folds
        self.feature_groups = feature_groups
        self.seed = seed
        self.n_jobs = n_jobs
        self.max_reasons = max_reasons

    def get_params(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in (
            "target", "objective", "n_estimators", "learning_rate", "num_leaves", "min_child_samples",
            "text_components", "use_embeddings", "cv_folds", "feature_groups", "seed", "n_jobs", "max_reasons")}

    # ---- training --------------------------------------------------------------------------------
    def _lgb_params(self) -> dict[str, Any]:
        return {
            "objective": self.objective, "learning_rate": self.learning_rate, "num_leaves": self.num_leaves,
            "min_data_in_leaf": self.min_child_samples, "feature_fraction": 0.8, "bagging_fraction": 0.8,
            "bagging_freq": 1, "lambda_l2": 1.0, "seed": self.seed, "num_threads": self.n_jobs,
            "deterministic": True, "force_col_wise": True, "verbose": -1, "feature_pre_filter": False,
        }

    def _train(self, X: np.ndarray, y: np.ndarray, groups: list[str]) -> Any:
        import lightgbm as lgb

        names = self.feature_names_
        if self.objective == "lambdarank":
            g = np.asarray(groups)
            order = np.argsort(g, kind="stable")  # lambdarank wants each query's rows together
            X, y = X[order], rank_labels(y, groups)[order]
            sizes = np.unique(g[order], return_counts=True)[1]  # np.unique is sorted, like ``order``
            data = lgb.Dataset(X, y, group=sizes, feature_name=names, free_raw_data=True)
        else:
            data = lgb.Dataset(X, y, feature_name=names, free_raw_data=True)
        return lgb.train(self._lgb_params(), data, num_boost_round=self.n_estimators)

    def fit(self, products: Sequence[Product], y: Sequence[float] | None = None) -> LearnedScorer:
        """Learn from products with titles and outcome metrics (or explicit ``y``); returns ``self``."""
        if self.objective not in OBJECTIVES:
            raise ConfigError(f"unknown objective {self.objective!r}; use one of {', '.join(OBJECTIVES)}")
        if self.cv_folds == 1 or self.cv_folds < 0:
            raise ConfigError("cv_folds must be 0 (no cross-validation) or at least 2")
        start = time.perf_counter()
        products = list(products)
        if y is None:
            tgt = make_target(products, self.target)
            values, tname, tsource = tgt.values, tgt.name, tgt.source
        else:
            values = np.asarray(y, dtype=float)
            tname, tsource = "given", "values passed to fit(y=...)"
            if len(values) != len(products):
                raise ConfigError(f"{len(values)} target values for {len(products)} products")
        keep = [i for i, p in enumerate(products) if (p.title or "").strip() and not np.isnan(values[i])]
        if len(keep) < 20:
            raise ConfigError(
                f"only {len(keep)} rows have both a title and the target ({tsource}); need at least 20 to learn"
            )
        rows = [products[i] for i in keep]
        yy = values[keep]
        cats = [p.category or "" for p in rows]
        self.featurizer_ = TitleFeaturizer(text_components=self.text_components, use_embeddings=self.use_embeddings)
        self.featurizer_.fit(rows)
        self.columns_ = self._columns(self.featurizer_.feature_names_)
        self.feature_names_ = [self.featurizer_.feature_names_[j] for j in self.columns_]
        X = self.featurizer_.transform(rows)[:, self.columns_]

        folds = np.array([title_fold(p.title or "", max(self.cv_folds, 1)) for p in rows])
        oof = np.full(len(rows), np.nan)
        for k in range(self.cv_folds):  # cv_folds=0: no cross-validation (benchmarks with their own split)
            test = folds == k
            if test.all() or not test.any():
                continue
            tr = np.flatnonzero(~test)
            model = self._train(X[tr], yy[tr], [cats[i] for i in tr])
            oof[test] = model.predict(X[test])
        ok = ~np.isnan(oof)
        metrics = {} if not ok.any() else {
            "spearman": spearman(yy[ok], oof[ok]),
            "spearman_within_category": spearman_within(yy[ok], oof[ok], [c for c, o in zip(cats, ok, strict=True) if o]),
            "ndcg@10_within_category": ndcg_within(yy[ok], oof[ok], [c for c, o in zip(cats, ok, strict=True) if o]),
        }
        self.booster_ = self._train(X, yy, cats)
        raw = self.booster_.predict(X)
        q = np.quantile(raw, np.linspace(0, 1, 101))
        # strictly increasing knots so interpolation is a function even where predictions tie
        self.quantiles_ = np.maximum.accumulate(q) + np.arange(101) * 1e-9
        self.target_ = tname
        self.card_ = ModelCard(
            name=self.name, target=tname, target_source=tsource, objective=self.objective,
            rows_total=len(products), rows_used=len(rows), categories=len(set(cats)),
            langs=dict(Counter(p.lang or "?" for p in rows)), cv_folds=self.cv_folds,
            metrics={k: round(v, 4) for k, v in metrics.items() if not np.isnan(v)},
            features=list(self.feature_names_), params=self.get_params(),
            train_seconds=round(time.perf_counter() - start, 2),
            notes=[f"{len(products) - len(rows)} rows dropped: no title or no {tname} value"]
            if len(rows) < len(products) else [],
        )
        return self

    def _columns(self, names: list[str]) -> list[int]:
        if self.feature_groups is None:
            return list(range(len(names)))
        from .reasons import group_of

        cols = [j for j, f in enumerate(names) if group_of(f) in self.feature_groups]
        if not cols:
            raise ConfigError(f"feature_groups {list(self.feature_groups)} select no feature of {sorted({group_of(f) for f in names})}")
        return cols

    # ---- predicting ------------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "booster_"):
            raise NotFittedError(
                "LearnedScorer is not fitted: call fit(products) or LearnedScorer.load(dir) "
                "(train one with `listingforge scorer train history.csv -o scorer/`)"
            )

    def _matrix(self, products: Sequence[Product], texts: Sequence[str] | None,
                findings: Sequence[list[Finding] | None] | None) -> np.ndarray:
        self._check_fitted()
        return self.featurizer_.transform(products, texts, findings)[:, self.columns_]

    def predict(self, products: Sequence[Product], texts: Sequence[str] | None = None,
                findings: Sequence[list[Finding] | None] | None = None) -> np.ndarray:
        """Raw model output (in target units: log sales, smoothed CTR…) for each product's text."""
        X = self._matrix(products, texts, findings)
        return self.booster_.predict(X) if len(X) else np.zeros(0)

    def calibrate(self, raw: np.ndarray) -> np.ndarray:
        """Raw predictions → 0–100: the percentile among the training titles' predictions."""
        self._check_fitted()
        return np.interp(raw, self.quantiles_, np.linspace(0, 100, 101))

    def score(self, items: list[ScoreInput]) -> list[Score]:
        products = [it.product for it in items]
        texts = [it.text for it in items]
        # findings the flow already found are used as given; none given means "run the checks here"
        findings = [it.findings or None for it in items]
        return self._scores(self._matrix(products, texts, findings))

    def score_products(self, products: Sequence[Product]) -> list[Score]:
        """Score each product's current title."""
        return self._scores(self._matrix(products, None, None))

    def _scores(self, X: np.ndarray) -> list[Score]:
        if not len(X):
            return []
        contrib = self.booster_.predict(X, pred_contrib=True)
        names = self.feature_names_
        raw = contrib.sum(axis=1)
        bias = contrib[:, -1]
        value = self.calibrate(raw)
        base_value = self.calibrate(bias)
        out = []
        for i in range(len(X)):
            diff = raw[i] - bias[i]
            if abs(diff) > 1e-9:
                slope = (value[i] - base_value[i]) / diff
            else:  # the local slope of the calibration curve
                h = 1e-3 * max(float(np.ptp(self.quantiles_)), 1e-6)
                slope = float((self.calibrate(np.array([raw[i] + h]))[0] - self.calibrate(np.array([raw[i] - h]))[0])
                              / (2 * h))
            points: dict[str, float] = {}
            for j, f in enumerate(names):
                g = group_of(f)
                points[g] = points.get(g, 0.0) + contrib[i, j] * slope
            values = dict(zip(names, (float(x) for x in X[i]), strict=True))
            top = sorted(points.items(), key=lambda kv: -abs(kv[1]))[: self.max_reasons]
            reasons = [Reason(feature=g, points=round(p, 1), message=describe(g, values))
                       for g, p in top if abs(p) >= 0.5]
            out.append(Score(value=round(float(value[i]), 1), reasons=reasons, scorer=f"{self.name}:{self.target_}"))
        return out

    # ---- saving ----------------------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write the model, featurizer state and model card (JSON + markdown) into directory ``path``."""
        self._check_fitted()
        d = Path(path)
        d.mkdir(parents=True, exist_ok=True)
        self.booster_.save_model(str(d / "model.txt"))
        meta, arrays = self.featurizer_.state()
        (d / "featurizer.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        np.savez(d / "featurizer.npz", **arrays)
        state = {"format": FORMAT, "name": self.name, "params": self.get_params(), "target": self.target_,
                 "quantiles": self.quantiles_.tolist()}
        (d / "scorer.json").write_text(json.dumps(state, ensure_ascii=False, indent=1), encoding="utf-8")
        (d / "model_card.json").write_text(self.card_.model_dump_json(indent=1), encoding="utf-8")
        (d / "MODEL_CARD.md").write_text(self.card_.to_markdown(), encoding="utf-8")
        return d

    @classmethod
    def load(cls, path: str | Path) -> LearnedScorer:
        import lightgbm as lgb

        d = Path(path)
        missing = [f for f in _FILES if not (d / f).is_file()]
        if missing:
            raise ModelAssetError(
                f"{d} is not a saved scorer (missing {', '.join(missing)}); "
                "train one with `listingforge scorer train history.csv -o DIR`"
            )
        try:
            state = json.loads((d / "scorer.json").read_text(encoding="utf-8"))
            if state.get("format") != FORMAT:
                raise ModelAssetError(f"{d}/scorer.json has format {state.get('format')}; this version reads {FORMAT}")
            self = cls(**state["params"])
            meta = json.loads((d / "featurizer.json").read_text(encoding="utf-8"))
            with np.load(d / "featurizer.npz") as npz:
                arrays = {k: npz[k] for k in npz.files}
            self.featurizer_ = TitleFeaturizer.from_state(meta, arrays)
            self.columns_ = self._columns(self.featurizer_.feature_names_)
            self.feature_names_ = [self.featurizer_.feature_names_[j] for j in self.columns_]
            self.booster_ = lgb.Booster(model_file=str(d / "model.txt"))
            self.quantiles_ = np.asarray(state["quantiles"], dtype=float)
            self.target_ = state["target"]
            card = d / "model_card.json"
            self.card_ = ModelCard.model_validate_json(card.read_text(encoding="utf-8")) if card.is_file() else None
        except (OSError, ValueError, KeyError, TypeError, lgb.basic.LightGBMError) as exc:
            raise ModelAssetError(f"{d}: saved scorer is incomplete or corrupt ({exc})") from exc
        return self
