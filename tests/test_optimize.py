"""Optimizing a seller's title: mandatory fixes only unless a rewrite is clearly better, every edit with its
evidence, brands and accessory phrases kept, fixes that leave no fragment, repeats and length by whole phrases."""

import pytest

from listingforge import Engine, Product
from listingforge.compliance import Checker
from listingforge.compliance.evidence import check_evidence
from listingforge.compliance.fixes import fit_length, leaves_fragment
from listingforge.product import Edit, Finding
from listingforge.score.rewrite import rewrite_gain
from listingforge.text.segment import default_segmenter

SEG = default_segmenter()


def catalog():
    coats = [Product(id=f"c{i}", lang="zh", brand="花语", category="女装 > 毛呢外套",
                     attributes=[("材质", "羊毛"), ("版型", "修身"), ("适用季节", "冬季")],
                     title=f"花语羊毛大衣女修身{i}冬季外套") for i in range(8)]
    en = [Product(id=f"e{i}", lang="en", category="Electronics|Accessories|Remotes",
                  title=f"Isoelite Remote Compatible for Samsung LED TV Model {i}") for i in range(4)]
    return coats + en


@pytest.fixture(scope="module")
def engine():
    return Engine(["taobao", "amazon"]).fit(catalog())


def title(engine, product, platform="taobao"):
    return next(r for r in engine.titles([product]) if r.platform == platform and r.task == "title")


def test_a_good_title_is_kept_and_reasons_say_so(engine):
    p = Product(id="k", lang="zh", brand="花语", category="女装 > 毛呢外套", title="花语羊毛大衣女修身冬季外套",
                attributes=[("材质", "羊毛"), ("版型", "修身"), ("适用季节", "冬季")])
    r = title(engine, p)
    assert r.text == p.title and r.changes == ""
    assert r.best.candidate.edits == []


def test_an_added_word_cites_its_fact_and_a_removal_its_finding(engine):
    p = Product(id="a", lang="zh", brand="花语", category="女装 > 毛呢外套", title="花语 大衣 全网第一",
                attributes=[("材质", "羊毛"), ("版型", "修身"), ("适用季节", "冬季")])
    r = title(engine, p)
    assert "全网第一" not in r.text
    removed = next(e for e in r.best.candidate.edits if e.kind == "remove")
    assert removed.old == "全网第一" and removed.evidence.startswith("adlaw.absolute")
    added = [e for e in r.best.candidate.edits if e.kind == "add"]
    assert added and all(e.evidence.startswith("attribute ") for e in added)  # 羊毛 from 材质=羊毛 …
    assert "毛呢外套" not in r.text  # … and never the category's name
    assert r.best.candidate.meta["decision"].startswith("rewritten")


def test_a_contradicted_word_goes_and_what_the_facts_are_silent_on_stays(engine):
    p = Product(id="g", lang="zh", brand="花语", title="花语男士羊毛大衣 包邮", attributes=[("适用性别", "女")])
    r = title(engine, p)
    assert "男士" not in r.text and "包邮" in r.text  # the seller's own claim with no fact against it stays
    assert any(f.rule == "grounding.contradiction" for f in r.fixed)


def test_the_sellers_own_brand_and_the_brand_an_accessory_fits_are_kept(engine):
    p = Product(id="r", lang="en", title="Isoelite Remote Compatible for Samsung LED/LCD TV, Works with All Samsung TV")
    r = title(engine, p, "amazon")
    assert r.text.startswith("Isoelite") and r.text.count("Samsung") == 2


def test_a_fix_that_would_leave_a_fragment_is_not_applied():
    text = "可治疗失眠"
    assert leaves_fragment(text, Finding(rule="x", start=1, end=3, text="治疗", fix=""), SEG) == "可失眠"
    assert leaves_fragment("最美长裙", Finding(rule="x", start=0, end=2, text="最美", fix="美"), SEG) == "美长裙"
    assert leaves_fragment("纯棉最好T恤", Finding(rule="x", start=2, end=4, text="最好", fix=""), SEG) is None


def test_repeats_go_only_as_a_whole_duplicated_phrase():
    chk = Checker("amazon", grounding=False)
    kept = "Cable for iPhone 14, 14 Pro, 14 Pro Max, 13 Pro, 13 Pro Max, 12 Pro"
    assert chk.check_and_fix(kept)[0] == kept  # "13 Pro" is not "13 Pro Max": nothing safe to cut
    assert [f.fix for f in chk.check(kept) if f.rule == "amazon.repeat"] == [None] * 3  # 5 × "Pro": reported
    dup = "Skadioo WiFi Adapter for pc | WiFi Dongle for pc, USB WiFi Adapter, WiFi Dongle for pc"
    assert chk.check_and_fix(dup)[0] == "Skadioo WiFi Adapter for pc | WiFi Dongle for pc, USB WiFi Adapter"


def test_a_long_title_loses_its_variant_details_first_then_whole_phrases():
    long = "Brand Cable for Type C Devices, Fast Charging, Nylon Braided (2M, Grey)"
    assert fit_length(long, 66, "chars", SEG) == "Brand Cable for Type C Devices, Fast Charging, Nylon Braided"
    cut = fit_length("Brand Cable, Fast Charging and Sync, 10/20/30ml pack", 40, "chars", SEG)
    assert cut == "Brand Cable, Fast Charging and Sync"  # a phrase boundary; never "10/20/" or "… and"


def test_a_rewrite_must_gain_a_clear_margin():
    gap = Edit(kind="add", new="纯棉", reason="key attribute missing", evidence="attribute 材质=纯棉")
    filled = rewrite_gain("花语T恤", "花语T恤纯棉", [gap], SEG)
    assert filled.value >= 0.5
    moved = rewrite_gain("T恤 花语", "花语 T恤", [Edit(kind="reorder", old="花语", reason="r", evidence="brand")], SEG)
    assert moved.value < 0.5  # moving the brand alone is not worth replacing the seller's title
    invented = rewrite_gain("花语T恤", "花语T恤爆款", [Edit(kind="add", new="爆款", reason="r", evidence="")], SEG)
    assert invented.value < 0


def test_a_word_a_rewrite_adds_needs_evidence():
    found = check_evidence("花语T恤", "花语纯棉T恤 爆款", "材质 纯棉", SEG)
    assert [f.text for f in found] == ["爆款"]
    assert check_evidence("花语T恤", "花语T恤 显瘦", "", SEG, keywords=["显瘦"]) == []
