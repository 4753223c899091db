"""The brand finder: the product's own brand, "compatible with" brands, forms, learning and saving."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from listingforge.errors import ModelAssetError, NotFittedError
from listingforge.knowledge.brands import BrandFinder, BrandMention
from listingforge.product import Product

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def product(title: str, **kw: object) -> Product:
    return Product(id=title[:12], title=title, **kw)


def roles(finder: BrandFinder, text: str) -> dict[str, str]:
    return {m.text: m.role for m in finder.find(text)}


def test_forms_split_a_latin_chinese_pair_full_form_first() -> None:
    assert BrandFinder().forms("Sansui/山水") == ["Sansui/山水", "山水", "Sansui"]
    assert BrandFinder().forms("自然堂") == ["自然堂"]


def test_not_fitted_finder_says_so() -> None:
    with pytest.raises(NotFittedError):
        BrandFinder().find("Redmi Note 12")


def test_brand_column_wins_and_other_is_no_brand() -> None:
    finder = BrandFinder().fit([])
    assert finder.product_brand(product("任意标题 连衣裙", brand="Sansui/山水")) == "Sansui/山水"
    assert finder.product_brand(product("x", attributes=[("品牌", "自然堂")])) == "自然堂"
    # "其他/other" names no brand: the title's own brand is used instead
    assert finder.product_brand(product("CHANDO/自然堂 雪域精粹滋润霜50g", brand="其他/other")) == "CHANDO/自然堂"


def test_leading_brand_of_english_titles_without_a_brand_column() -> None:
    titles = ["Redmi Note 12 Pro 5G (Onyx Black, 8GB RAM)", "OnePlus Nord CE 3 Lite 5G (Pastel Lime)",
              "Samsung Galaxy M13 5G (Stardust Brown, 6GB)", "Wayona Nylon Braided USB Cable for iPhone",
              "Wayona Type C Cable 3A Fast Charging", "Women's Casual Summer Sleeveless Mini Dress",
              "Summer Women Plus Size Casual Loose V Neck Blouse"]
    finder = BrandFinder().fit([product(t) for t in titles])
    got = [finder.product_brand(product(t)) for t in titles]
    assert got == ["Redmi", "OnePlus", "Samsung", "Wayona", "Wayona", None, None]


def test_compatible_brands_are_kept_apart_from_the_own_brand() -> None:
    finder = BrandFinder().fit([])
    title = "VBESTLIFE Remote Control Compatible with Samsung Smart TV"
    assert roles(finder, title)["Samsung"] == "compatible"
    assert finder.product_brand(product(title)) == "VBESTLIFE"
    listed = roles(finder, "Dyazo Laptop Stand Compatible for MacBook, HP, Dell, Lenovo & All Notebooks")
    assert {listed["HP"], listed["Dell"], listed["Lenovo"]} == {"compatible"}
    zh = roles(finder, "手机壳适用于华为小米 防摔")
    assert zh == {"华为": "compatible", "小米": "compatible"}
    assert roles(finder, "苹果专用 数据线")["苹果"] == "compatible"


def test_chinese_pairs_and_ambiguous_words() -> None:
    finder = BrandFinder().fit([])
    found = finder.find("CHANDO/自然堂 雪域精粹纯粹滋润霜50g 补水保湿")
    assert [(m.text, m.role) for m in found] == [("CHANDO", "own"), ("自然堂", "own")]
    assert finder.product_brand(product("Olay玉兰油泡沫洗面奶女")) == "Olay/玉兰油"
    # 苹果 is fruit in the middle of a description, a brand where a title puts one
    assert finder.find("新鲜水果 红富士苹果 5斤装") == []
    assert [m.text for m in finder.find("苹果/apple 数据线")] == ["苹果", "apple"]


def test_fit_learns_brands_from_columns_and_title_pairs() -> None:
    catalog = [product("山水 蓝牙音箱 低音炮", brand="Sansui/山水"),
               product("Zuoan/左岸 连衣裙 夏季"), product("Zuoan/左岸 半身裙 新款")]
    finder = BrandFinder(builtin=False).fit(catalog)
    assert [m.text for m in finder.find("左岸 衬衫 女")] == ["左岸"]
    assert [m.text for m in finder.find("sansui 音箱")] == ["sansui"]
    # a brand found once is found again where the title repeats it
    assert [m.start for m in finder.find("左岸 衬衫 左岸 同款")] == [0, 6]


def test_saved_finder_finds_the_same_and_refuses_another_format() -> None:
    finder = BrandFinder().fit([product("Zuoan/左岸 连衣裙", brand="左岸"), product("Wayona Cable")])
    data = json.loads(json.dumps(finder.to_dict(), ensure_ascii=False))
    again = BrandFinder.from_dict(data)
    for text in ("左岸 衬衫", "Wayona Type C Cable compatible with Samsung", "CHANDO/自然堂 面霜"):
        assert again.find(text) == finder.find(text)
    assert all(isinstance(m, BrandMention) for m in again.find("左岸 衬衫"))
    with pytest.raises(ModelAssetError):
        BrandFinder.from_dict({**data, "format": 0})


@pytest.mark.skipif(not (DATA / "zh_title_ner_brand_product.train.jsonl").is_file(),
                    reason="needs ../shared/data/zh_title_ner_brand_product.{train,dev}.jsonl")
def test_learned_scorer_finds_unseen_brands_better_than_the_list() -> None:
    def load(name: str) -> list[Product]:
        return [Product(**json.loads(x)) for x in (DATA / name).read_text("utf-8").splitlines() if x.strip()]

    train, dev = load("zh_title_ner_brand_product.train.jsonl")[:1500], load("zh_title_ner_brand_product.dev.jsonl")

    def f1(finder: BrandFinder) -> float:
        tp = fp = fn = 0
        for p in dev:
            gold = {(s, e) for s, e, t in p.spans if t == "brand"}
            pred = {(m.start, m.end) for m in finder.find(p.title or "") if m.role == "own"}
            tp, fp, fn = tp + len(gold & pred), fp + len(pred - gold), fn + len(gold - pred)
        return 2 * tp / (2 * tp + fp + fn)

    learned = BrandFinder().fit(train)
    assert learned.weights_ and learned.n_examples_ > 300
    # English-only titles carry no brand in this annotation: the finder follows it
    assert not learned.latin_titles_
    assert f1(learned) > f1(BrandFinder(learn=False).fit(train)) + 0.1
