"""Tagging: attribute extraction, category, keywords, review opinions, feedback retraining, persistence."""

from __future__ import annotations

import itertools
import pickle

import pytest

from listingforge.errors import CatalogError, ModelAssetError, NotFittedError
from listingforge.product import Product
from listingforge.tagging import (
    AttributeExtractor,
    CategoryClassifier,
    KeywordExtractor,
    OpinionTagger,
    TagFeedback,
    Tagger,
    canonical_type,
    spans_from_attributes,
)
from listingforge.tasks.tags import feedback_from_records, tag_products, tag_rows

BRANDS = ["三只松鼠", "良品铺子", "百草味", "来伊份"]
FOODS = [("每日坚果", "食品 > 坚果"), ("碧根果", "食品 > 坚果"), ("猪肉脯", "食品 > 肉干"), ("牛肉干", "食品 > 肉干")]
SHOES = [("耐克", "跑步鞋"), ("安踏", "运动鞋"), ("李宁", "篮球鞋")]
COLORS = ["黑色", "白色", "红色"]


def food(i: int, brand: str, word: str, cat: str, grams: int) -> Product:
    return Product(id=f"f{i}", title=f"{brand} {word} 休闲零食 {grams}g 包邮", brand=brand, category=cat,
                   attributes=[("产品", word), ("净含量", f"{grams}g")])


def shoe(i: int, brand: str, word: str, color: str) -> Product:
    return Product(id=f"s{i}", title=f"{brand}{word}男款{color}透气 包邮", brand=brand, category="服饰 > 运动鞋",
                   attributes=[("品牌", brand), ("产品", word), ("颜色", color)])


@pytest.fixture(scope="module")
def catalog() -> list[Product]:
    out = [food(i, b, w, c, 100 + 50 * (i % 5))
           for i, (b, (w, c)) in enumerate(itertools.product(BRANDS, FOODS))]
    out += [shoe(i, b, w, c) for i, ((b, w), c) in enumerate(itertools.product(SHOES, COLORS))]
    return out


@pytest.fixture(scope="module")
def tagger(catalog: list[Product]) -> Tagger:
    return Tagger().fit(catalog)


def by_type(tags, typ: str) -> list[str]:  # noqa: ANN001
    return [t.value for t in tags if t.type == typ]


# ---------------------------------------------------------------------------------------------- base


def test_attribute_names_map_to_tag_types() -> None:
    assert canonical_type("品牌") == "brand"
    assert canonical_type("Brand Name") == "brand"
    assert canonical_type("颜色分类") == "color"
    assert canonical_type("领型") == "领型"  # unknown names keep their own name


def test_training_spans_come_from_attribute_values_found_in_the_title() -> None:
    p = Product(id="1", title="PAMPAS潘帕斯茶桶 黑色", attributes=[("品牌", "PAMPAS/潘帕斯"), ("颜色", "黑色"),
                                                                    ("产地", "浙江")])
    spans = spans_from_attributes(p)
    assert [(p.title[s:e], t) for s, e, t in spans] == [("PAMPAS", "brand"), ("黑色", "color")]


# ---------------------------------------------------------------------------------------------- extractor


def test_extractor_learns_from_catalog_attributes(catalog: list[Product]) -> None:
    ex = AttributeExtractor().fit(catalog)
    assert ex.fit(catalog) is ex
    # a brand and product word it has seen, in a combination and a title shape it has not
    title = "百草味 猪肉脯 休闲零食 300g 包邮"
    tags = ex.predict_one(title)
    assert ("brand", "百草味") in [(t.type, t.value) for t in tags]
    assert ("product", "猪肉脯") in [(t.type, t.value) for t in tags]
    for t in tags:
        assert title[t.start:t.end] == t.value
        assert 0.0 <= t.confidence <= 1.0


def test_extractor_tags_unseen_words_by_context(catalog: list[Product]) -> None:
    ex = AttributeExtractor().fit(catalog)
    tags = ex.predict_one("特步跑步鞋男款蓝色透气 包邮")  # 特步 / 蓝色 never seen
    assert "跑步鞋" in by_type(tags, "product")
    assert by_type(tags, "brand"), tags


# unseen brands: most brands a catalog is tagged for were never in the training titles. jieba cuts made-up
# names three ways (蓓思妮 | 卡 诺伊 | 百利 鑫), and both lists hold all three.
UNSEEN_TRAIN = ["蓓思妮", "沃尔丹", "雅诗顿", "卡诺伊", "缇芙雅", "欧朗德", "柯尼特", "百利鑫", "诺思兰"]
UNSEEN_TEST = ["贝珂森", "思乐康", "康维尔", "莱维娅", "德曼蒂", "米兰朵"]
GOODS = ["保温杯", "电饭煲", "洗发水", "蓝牙耳机", "面膜"]
MODIFIERS = ["新款", "家用", "正品", "大容量", "便携"]


def branded(i: int, brand: str, word: str) -> Product:
    return Product(id=f"u{i}", title=f"{brand}{word}{MODIFIERS[i % 5]}{MODIFIERS[(i + 2) % 5]} {300 + 100 * (i % 4)}ml",
                   brand=brand, attributes=[("产品", word)])


def test_extractor_finds_an_unseen_brand_glued_to_the_product_word() -> None:
    train = [branded(i, b, w) for i, (b, w) in enumerate(itertools.product(UNSEEN_TRAIN, GOODS))]
    ex = AttributeExtractor().fit(train)
    for k, brand in enumerate(UNSEEN_TEST):
        p = branded(100 + k, brand, GOODS[k % len(GOODS)])
        assert ("brand", brand) in [(t.type, t.value) for t in ex.predict_one(p.title)], p.title


def test_extractor_keeps_a_latin_and_a_chinese_brand_name_side_by_side_apart() -> None:
    # "dior迪奥": the annotation (and a reviewer) wants two brand values, not one "dior迪奥"
    pairs = [("dior", "迪奥"), ("canon", "佳能"), ("philips", "飞利浦"), ("sony", "索尼"), ("apple", "苹果"),
             ("nike", "耐克"), ("midea", "美的"), ("lenovo", "联想")]
    train = []
    goods = zip(GOODS, MODIFIERS, strict=True)
    for i, ((latin, zh), (word, mod)) in enumerate(itertools.product(pairs[:6], goods)):
        title = f"{latin}{zh}{word}{mod} 包邮"
        spans = [(0, len(latin), "brand"), (len(latin), len(latin) + len(zh), "brand"),
                 (len(latin) + len(zh), len(latin) + len(zh) + len(word), "product")]
        train.append(Product(id=f"p{i}", title=title, spans=spans))
    ex = AttributeExtractor().fit(train)
    for latin, zh in pairs[6:]:  # brands it never saw
        title = f"{latin}{zh}面膜正品 包邮"
        assert by_type(ex.predict_one(title), "brand") == [latin, zh], title


def test_extractor_saved_with_another_feature_set_asks_to_be_retrained(catalog: list[Product]) -> None:
    from listingforge.tagging import extractor

    ex = AttributeExtractor().fit(catalog)
    again = pickle.loads(pickle.dumps(ex))
    assert again.predict_one("来伊份 每日坚果") == ex.predict_one("来伊份 每日坚果")
    old = ex.__getstate__()
    old.pop("features_version_")  # what a file saved before the feature set had a version holds
    with pytest.raises(ModelAssetError, match="feature set 1.*retrain"):
        AttributeExtractor.__new__(AttributeExtractor).__setstate__(old)
    assert extractor.FEATURES_VERSION >= 2


def test_extractor_needs_training_spans() -> None:
    with pytest.raises(Exception, match="no training spans"):
        AttributeExtractor().fit([Product(id="1", title="一件衣服", attributes=[("产地", "浙江")])])


def test_unfitted_components_say_so() -> None:
    with pytest.raises(NotFittedError):
        AttributeExtractor().predict_one("标题")
    with pytest.raises(NotFittedError):
        CategoryClassifier().predict([Product(id="1", title="x")])
    with pytest.raises(NotFittedError):
        KeywordExtractor().predict_one("标题")
    with pytest.raises(NotFittedError):
        Tagger().tag([Product(id="1", title="x")])


@pytest.mark.parametrize("cls", [AttributeExtractor, CategoryClassifier, KeywordExtractor, Tagger])
def test_constructors_only_store_parameters(cls: type) -> None:
    import inspect

    obj = cls()
    for name, param in inspect.signature(cls.__init__).parameters.items():
        if name != "self":
            assert getattr(obj, name) == param.default
    assert not [k for k in vars(obj) if k.endswith("_") and not k.startswith("_")]


# ---------------------------------------------------------------------------------------------- category


def test_category_classifier_predicts_missing_categories(catalog: list[Product]) -> None:
    clf = CategoryClassifier().fit(catalog)
    new = [Product(id="n1", title="来伊份 牛肉干 香辣 200g"), Product(id="n2", title="李宁篮球鞋女款白色")]
    assert clf.predict(new) == ["食品 > 肉干", "服饰 > 运动鞋"]


def test_tagger_keeps_given_category_and_predicts_a_missing_one(tagger: Tagger) -> None:
    given, missing = tagger.tag([Product(id="a", title="三只松鼠 碧根果", category="食品 > 坚果"),
                                 Product(id="b", title="良品铺子 牛肉干 休闲零食 150g")])
    assert [(t.value, t.source) for t in given.tags if t.type == "category"] == [("食品 > 坚果", "catalog")]
    cat = [t for t in missing.tags if t.type == "category"]
    assert [(t.value, t.source) for t in cat] == [("食品 > 肉干", "classifier")]


def test_category_classifier_needs_two_categories() -> None:
    with pytest.raises(Exception, match="at least 2 categories"):
        CategoryClassifier().fit([Product(id="1", title="a", category="x"), Product(id="2", title="b", category="x")])


# ---------------------------------------------------------------------------------------------- keywords


def test_keywords_rank_distinctive_words_above_catalog_boilerplate(catalog: list[Product]) -> None:
    kw = KeywordExtractor(top=3, user_words=BRANDS).fit([p.title for p in catalog])
    title = "三只松鼠 开心果 休闲零食 包邮"
    tags = kw.predict_one(title)
    values = [t.value for t in tags]
    assert values[0] == "开心果"  # never in the catalog: highest IDF
    assert "包邮" not in values  # in every title
    assert "三只松鼠" in values  # a catalog brand stays one word
    for t in tags:
        assert title[t.start:t.end] == t.value


# ---------------------------------------------------------------------------------------------- reviews


def test_review_sentiment_and_opinions() -> None:
    pytest.importorskip("snownlp", reason="sentiment tags need snownlp")
    tagger = OpinionTagger()
    good = tagger.predict_one("质量很好，物流也快，下次还来买！")
    bad = tagger.predict_one("面料太差了，颜色也不正，退货了。")
    assert by_type(good, "sentiment") == ["positive"]
    assert by_type(bad, "sentiment") == ["negative"]
    assert "质量:好" in by_type(good, "opinion")
    assert "面料:差" in by_type(bad, "opinion")
    assert OpinionTagger().predict_one("Great shoes, love them") == []  # no English model: no guess


def test_reviews_flow_through_the_task(tagger: Tagger) -> None:
    pytest.importorskip("snownlp", reason="sentiment tags need snownlp")
    products = [Product(id="r1", title="三只松鼠 碧根果"), None]
    out, _ = tag_products(products, tagger=tagger, reviews=["非常好吃，很新鲜", None])
    assert out[1] is None
    sentiment = [t for t in out[0].tags if t.type == "sentiment"]
    assert sentiment and sentiment[0].field == "review"


# ---------------------------------------------------------------------------------------------- feedback


def test_rejected_tag_stops_appearing_and_accepted_tag_is_learned(catalog: list[Product]) -> None:
    # the catalog teaches "休闲零食" nothing; a reviewer marks it a product word on one product and
    # rejects the brand tag "百草味" on another
    before = Tagger().fit(catalog)
    probe = Product(id="probe", title="百草味 夏威夷果 休闲零食 200g")
    tags0 = before.tag([probe])[0].tags
    assert "百草味" in by_type(tags0, "brand")
    assert "休闲零食" not in by_type(tags0, "product")

    feedback = [TagFeedback(product_id="f0", type="product", value="休闲零食", verdict="accept"),
                TagFeedback(product_id="f8", type="brand", value="百草味", verdict="reject")]
    after = Tagger().fit(catalog, feedback)
    tags1 = after.tag([probe, catalog[8]])
    assert "百草味" not in by_type(tags1[0].tags, "brand")  # rejected: gone on every product
    assert "百草味" not in by_type(tags1[1].tags, "brand")
    learned = [t for t in tags1[0].tags if t.value == "休闲零食"]
    assert learned and learned[0].type == "product"  # accepted: found in a title nobody reviewed
    assert probe.title[learned[0].start:learned[0].end] == "休闲零食"


def test_rejected_category_is_not_predicted_again(catalog: list[Product]) -> None:
    probe = Product(id="p1", title="良品铺子 牛肉干 休闲零食 150g")
    first = Tagger().fit(catalog).tag([probe])[0]
    predicted = by_type(first.tags, "category")[0]
    again = Tagger().fit(catalog, [TagFeedback(product_id="p1", type="category", value=predicted,
                                               verdict="reject")]).tag([probe])[0]
    assert predicted not in by_type(again.tags, "category")


def test_feedback_records_accept_chinese_verdicts_and_name_bad_rows() -> None:
    rows = [{"id": "1", "type": "品牌", "value": "耐克", "verdict": "接受"},
            {"id": "2", "type": "brand", "value": "包邮", "verdict": "拒绝"},
            {"id": "3", "type": "brand", "value": "x", "verdict": ""}]  # not judged: skipped
    fb = feedback_from_records(rows)
    assert [(f.product_id, f.type, f.verdict) for f in fb] == [("1", "brand", "accept"), ("2", "brand", "reject")]
    with pytest.raises(CatalogError, match="row 3.*verdict"):
        feedback_from_records(rows[:1] + [{"id": "2", "type": "brand", "value": "v", "verdict": "maybe"}],
                              source="fb.csv")
    with pytest.raises(CatalogError, match="'verdict' column"):
        feedback_from_records([{"id": "1", "type": "brand", "value": "v"}])


# ---------------------------------------------------------------------------------------------- output, save


def test_output_record_shape(tagger: Tagger, catalog: list[Product]) -> None:
    out = tagger.tag(catalog[:1])[0]
    rec = out.to_record()
    assert rec["id"] == "f0"
    assert set(rec["tags"][0]) == {"type", "value", "start", "end", "source", "confidence"}
    rows = tag_rows(out)
    assert len(rows) == len(out.tags) and rows[0]["id"] == "f0"


def test_save_and_load_give_the_same_tags(tagger: Tagger, catalog: list[Product], tmp_path) -> None:  # noqa: ANN001
    path = tagger.save(tmp_path / "tagger.pkl")
    loaded = Tagger.load(path)
    probe = [Product(id="x", title="来伊份 每日坚果 休闲零食 250g")]
    assert loaded.tag(probe) == tagger.tag(probe)
    payload = pickle.loads(path.read_bytes())
    assert payload["format"] == "listingforge.tagger" and payload["version"] == 2
    bad = tmp_path / "bad.pkl"
    bad.write_bytes(pickle.dumps({"format": "something else"}))
    with pytest.raises(ModelAssetError):
        Tagger.load(bad)
    with pytest.raises(ModelAssetError, match="does not exist"):
        Tagger.load(tmp_path / "missing.pkl")


def test_image_tags_need_the_vision_extra_and_skip_what_they_cannot_read(tmp_path) -> None:  # noqa: ANN001
    from listingforge.errors import ConfigError
    from listingforge.tagging.image import ImageTagger, ocr_available

    tagger = ImageTagger()
    assert tagger.predict_one("https://example.com/a.jpg") == []  # no network on the default path
    assert tagger.predict_one(str(tmp_path / "missing.jpg")) == []
    if ocr_available():
        pytest.skip("rapidocr is installed: the missing-extra message cannot be shown")
    img = tmp_path / "a.png"
    img.write_bytes(b"\x89PNG\r\n\x1a\n")
    with pytest.raises(ConfigError, match="vision"):
        tagger.predict_one(str(img))


def test_brands_come_from_the_one_brand_finder() -> None:
    from listingforge.tagging.tagger import Tagger

    catalog = [Product(id=f"b{i}", lang="zh", brand="青禾", title=f"青禾 氨基酸洗面奶 {i}0g 控油",
                       attributes=[("功效", "控油")]) for i in range(6)]
    tagger = Tagger(categorize=False, keywords=False).fit(catalog)
    # a packaged brand the catalog never names is found, and the one it names, with where they come from
    [tags] = tagger.tag([Product(id="n", lang="zh", title="欧莱雅男士洗面奶 控油")])
    brands = {(t.value, t.source) for t in tags.tags if t.type == "brand"}
    assert brands == {("欧莱雅", "brand_finder")}
    [tags] = tagger.tag([Product(id="m", lang="zh", title="青禾 洁面乳 控油")])
    assert {t.value for t in tags.tags if t.type == "brand"} == {"青禾"}
