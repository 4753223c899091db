"""The benchmark's harm detectors see what a reviewer sees, from the output and the product alone."""

from listingforge.evaluate.harm import (
    brand_lost,
    category_pasted,
    contradictions,
    fragments,
    unevidenced_words,
    wrong_product_words,
)
from listingforge.product import Product
from listingforge.text.segment import default_segmenter

SEG = default_segmenter()


def test_each_detector_fires_on_its_harm_and_not_on_a_faithful_text():
    p = Product(id="1", lang="zh", brand="青禾", category="美妆 > 洁面",
                attributes=[("品名", "洗面奶"), ("适用性别", "女"), ("净含量", "100g")])
    assert category_pasted("青禾洗面奶", "青禾洗面奶 美妆", p) == "美妆"
    assert category_pasted("青禾洗面奶", "青禾洗面奶 100g", p) is None
    assert brand_lost("青禾 洗面奶", "洗面奶", p) == "青禾"
    assert contradictions("青禾男士洗面奶", p) == ["男士"] and contradictions("青禾女士洗面奶", p) == []
    assert unevidenced_words("青禾洗面奶", "青禾洗面奶 氨基酸", p, SEG) == ["氨基酸"]
    assert unevidenced_words("青禾洗面奶", "青禾洗面奶 100g", p, SEG) == []
    assert fragments("可治疗失眠 青禾", "可失眠 青禾", SEG) and not fragments("青禾 最好洗面奶", "青禾 洗面奶", SEG)
    assert wrong_product_words("青禾洗面奶 空调", p) == ["空调"]
    # a broader kind of the product's own word is no other product
    top = Product(id="2", lang="zh", attributes=[("领型", "圆领")], title="圆领羊毛衫")
    assert wrong_product_words("圆领套头上衣", top, original="圆领毛衣") == []
    assert wrong_product_words("圆领套头长裤", top, original="圆领毛衣") == ["长裤"]
    # a value that makes the product a kind (two shoulder straps: a backpack) is its evidence, as a name's kind is
    bag = Product(id="3", lang="zh", attributes=[("箱包硬度", "软"), ("肩带样式", "双根")])
    assert wrong_product_words("帆布双肩包", bag, original="初中生书包") == []
    assert unevidenced_words("初中生书包", "帆布双肩包", bag, SEG) == ["帆布"]


def test_a_generated_title_may_name_the_product_by_its_categorys_leaf():
    # the product word comes from the product's facts or the category's last level (issue 15); the upper levels,
    # and any category word a rewrite adds, stay metadata
    p = Product(id="1", lang="zh", brand="半球", category="消费电子 > 电磁炉/陶炉", attributes=[("功率", "2200W")])
    assert category_pasted("", "半球电磁炉2200W", p) is None
    assert unevidenced_words("", "半球电磁炉2200W", p, SEG) == []
    assert category_pasted("", "半球消费电子电磁炉", p) == "消费电子"
    assert category_pasted("半球2200W", "半球电磁炉2200W", p) == "电磁炉"  # a rewrite
    assert unevidenced_words("半球2200W", "半球电磁炉2200W", p, SEG) == ["电磁炉"]
    # the leaf's word holds a level's text ("食品" in 天然粉粉食品), and a level the data states is no paste
    food = Product(id="2", lang="zh", category="食品 > 天然粉粉食品", attributes=[("功效", "妆前打底")])
    assert category_pasted("", "天然粉粉食品", food) is None


def test_english_brand_and_fragment_detectors():
    p = Product(id="2", lang="en", title="Wayona Nylon USB Cable (Grey)")
    assert brand_lost(p.title, "Nylon USB Cable (Grey)", p) == "Wayona"
    assert brand_lost("Hot Sale Women Dress", "Women Dress", p) is None  # an ordinary first word is no brand
    assert fragments(p.title, "Wayona Nylon USB Cable (Grey", SEG) == ["unclosed bracket"]
    assert fragments("USB Cable, Pack of 2", "USB Cable, Pack of 2", SEG) == []
    assert fragments("USB Cable for iPhone", "USB Cable for", SEG) == ["for"]
