"""A/B statistics against textbook values (hand computations in the comments) and the `abtest` command."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from listingforge.cli import app
from listingforge.errors import ConfigError
from listingforge.score.abtest import (
    Variant,
    analyze,
    prob_best,
    sample_size,
    two_proportion_ztest,
    wilson_interval,
)


@pytest.mark.parametrize(
    ("x", "n", "low", "high"),
    [
        # Newcombe (1998), Statistics in Medicine 17:857, Table I, method 3 (Wilson score, no correction)
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        # 0 of 10: upper = z²/(n+z²) = 3.8415/13.8415 = 0.2775
        (0, 10, 0.0, 0.2775),
    ],
)
def test_wilson_interval_known_values(x: int, n: int, low: float, high: float) -> None:
    lo, hi = wilson_interval(x, n, 0.95)
    assert lo == pytest.approx(low, abs=5e-5)
    assert hi == pytest.approx(high, abs=5e-5)


def test_wilson_interval_is_narrower_with_more_data_and_wider_with_more_confidence() -> None:
    small, large = wilson_interval(30, 100), wilson_interval(300, 1000)
    assert large[1] - large[0] < small[1] - small[0]
    assert wilson_interval(30, 100, 0.99)[0] < small[0]


def test_two_proportion_ztest_hand_computed() -> None:
    # p1 = 120/200 = 0.60, p2 = 240/500 = 0.48; pooled p = 360/700 = 0.514286
    # se = sqrt(0.514286 · 0.485714 · (1/200 + 1/500)) = sqrt(0.249796 · 0.007) = 0.041816
    # z = 0.12 / 0.041816 = 2.8697; two-sided p = 2 · (1 − Φ(2.8697)) = 0.00411
    z, p = two_proportion_ztest(120, 200, 240, 500)
    assert z == pytest.approx(2.8697, abs=1e-3)
    assert p == pytest.approx(0.00411, abs=2e-5)
    z2, p2 = two_proportion_ztest(240, 500, 120, 200)
    assert z2 == pytest.approx(-z) and p2 == pytest.approx(p)


def test_sample_size_standard_formula() -> None:
    # p1 = 0.10, p2 = 0.12, α = 0.05 two-sided (z = 1.95996), power 0.8 (z = 0.84162), p̄ = 0.11:
    # (1.95996 · sqrt(2 · 0.11 · 0.89) + 0.84162 · sqrt(0.09 + 0.1056))² / 0.02²
    # = (0.867278 + 0.372221)² / 0.0004 = 1.536358 / 0.0004 = 3840.9 → 3841 per variant
    assert sample_size(0.10, 0.02, relative=False) == 3841
    assert sample_size(0.10, 0.20, relative=True) == 3841  # +20% of 10% is the same 12%
    # more power or a smaller effect needs more traffic
    assert sample_size(0.10, 0.02, relative=False, power=0.9) > 3841
    assert sample_size(0.10, 0.01, relative=False) > 3841


def test_sample_size_rejects_impossible_rates() -> None:
    with pytest.raises(ConfigError, match="between 0 and 1"):
        sample_size(0.0, 0.1)
    with pytest.raises(ConfigError, match="outside"):
        sample_size(0.6, 1.0)


def test_prob_best_is_seeded_and_sensible() -> None:
    even = prob_best([(100, 1000), (100, 1000)], seed=1)
    assert even[0] == pytest.approx(0.5, abs=0.01)
    assert sum(even) == pytest.approx(1.0)
    clear = prob_best([(100, 1000), (160, 1000), (90, 1000)])
    assert clear[1] > 0.99
    assert prob_best([(30, 1000), (36, 1000)], seed=3) == prob_best([(30, 1000), (36, 1000)], seed=3)


def test_analyze_reports_against_control() -> None:
    variants = [Variant(name="A", trials=10000, successes=300), Variant(name="B", trials=10000, successes=360)]
    rep = analyze(variants, mde=0.1)
    a, b = rep.variants
    assert rep.control == "A" and a.lift is None and a.p_value is None
    assert b.lift == pytest.approx(0.2)
    z, p = two_proportion_ztest(360, 10000, 300, 10000)
    assert b.z == pytest.approx(z) and b.p_value == pytest.approx(p)
    assert rep.needed_per_variant == sample_size(0.03, 0.1)
    assert b.more_needed == rep.needed_per_variant - 10000
    assert a.ci_low < 0.03 < a.ci_high


def test_analyze_names_what_is_wrong() -> None:
    with pytest.raises(ConfigError, match="at least two"):
        analyze([Variant(name="A", trials=10, successes=1)])
    with pytest.raises(ConfigError, match="successes ≤ trials"):
        analyze([Variant(name="A", trials=10, successes=11), Variant(name="B", trials=10, successes=1)])
    with pytest.raises(ConfigError, match="control 'Z'"):
        analyze([Variant(name="A", trials=10, successes=1), Variant(name="B", trials=10, successes=1)], control="Z")


def test_cli_abtest_reads_chinese_headers(tmp_path) -> None:
    path = tmp_path / "results.csv"
    path.write_text("变体,曝光量,点击量,订单数\n原标题,10000,300,30\n新标题,10000,360,41\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["abtest", str(path), "--json"])
    assert res.exit_code == 0, res.output
    rep = json.loads(res.output)
    assert rep["control"] == "原标题"
    new = rep["variants"][1]
    assert new["rate"] == pytest.approx(0.036)
    assert new["p_value"] == pytest.approx(two_proportion_ztest(360, 10000, 300, 10000)[1])
    # orders per click when asked
    res = CliRunner().invoke(app, ["abtest", str(path), "--metric", "orders", "--json"])
    assert json.loads(res.output)["variants"][0]["rate"] == pytest.approx(0.1)


def test_cli_abtest_table_output(tmp_path) -> None:
    path = tmp_path / "results.csv"
    path.write_text("variant,impressions,clicks\nA,5000,150\nB,5000,210\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["abtest", str(path)])
    assert res.exit_code == 0, res.output
    assert "P(best)" in res.output and "trials per variant" in res.output
