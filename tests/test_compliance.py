"""Law terms, marketplace rules and safe fixes."""

import pytest

from listingforge.compliance import Checker, apply_fixes, check_terms, fit_length
from listingforge.product import Product
from listingforge.text.length import text_length
from listingforge.text.segment import Segmenter

ZH = Product(id="1", lang="zh", brand="花花", attributes=[("品类", "连衣裙"), ("颜色", "红色"), ("材质", "纯棉")])
EN = Product(id="2", lang="en", brand="Acme", attributes=[("color", "Red"), ("material", "Cotton")])


def rules(findings):
    return [f.rule for f in findings]


@pytest.mark.parametrize(("text", "rule", "term"), [
    ("花花连衣裙 全网第一", "adlaw.absolute", "全网第一"),
    ("最好的连衣裙", "adlaw.absolute", "最好"),
    ("国家级品质连衣裙", "adlaw.absolute", "国家级"),
    ("顶级面料", "adlaw.absolute", "顶级"),
    ("最潮连衣裙", "adlaw.absolute", "最潮"),  # bare 最 + character
    ("销量冠军", "adlaw.absolute", "销量冠军"),
    ("TOP1爆款", "adlaw.absolute", "TOP1"),
    ("中国驰名商标", "adlaw.trademark", "中国驰名商标"),
    ("军需特供茶叶", "adlaw.authority", "军需特供"),
    ("政府专供茶叶", "adlaw.authority", "政府专供"),  # was 专供出口: an export channel names no state body
    ("洗面奶 治疗痘痘", "adlaw.disease", "治疗"),  # the finding now covers the whole claim, 治疗痘痘
    ("随时涨价 快抢", "adlaw.inducement", "随时涨价"),
])
def test_each_law_term_class(text, rule, term):
    found = check_terms(text, "cn_adlaw")
    f = next(f for f in found if f.rule == rule and term in f.text)
    assert term in text[f.start:f.end]  # the span covers the term (and the rest of its claim)
    assert f.basis  # every finding cites its article and source


@pytest.mark.parametrize("text", [
    "坚果 最佳赏味期90天",  # SAMR 2023 (b): consumer tip
    "第一代配方 夏威夷果",  # an ordinal, not a rank
    "最大容量5L 电饭煲",  # a technical parameter
    "国家一级能效 空调",  # SAMR 2023 (c): standard grade
    "100%纯棉 T恤",  # a true composition
    "最近上新 最后一件",  # ordinary words
])
def test_lawful_exceptions(text):
    assert check_terms(text, "cn_adlaw") == []


def test_registered_name_allowed_by_user():
    # SAMR 2023 (d): a registered trademark or product name the seller declares
    assert check_terms("最生活毛巾", "cn_adlaw") != []
    assert check_terms("最生活毛巾", "cn_adlaw", allow=["最生活"]) == []


def test_longest_term_wins_and_fixes():
    found = check_terms("全网第一的面膜", "cn_adlaw")
    assert [f.text for f in found] == ["全网第一"]
    fixed, applied = apply_fixes("全网第一的面膜", found)
    assert fixed == "面膜" and applied
    # a lawful meaning is kept where one exists (最新款 → 新款); otherwise the whole claim goes: 最美 → nothing,
    # not 美 (was "美连衣裙": a fragment glued to the product word)
    text = "花花 最新款 最美连衣裙"
    fixed, _ = apply_fixes(text, check_terms(text, "cn_adlaw"))
    assert fixed == "花花 新款 连衣裙"


def test_taobao_length_repeat_and_fix():
    chk = Checker("taobao")
    long = "花花红色纯棉连衣裙" * 5
    found = chk.check(long, ZH)
    assert "taobao.length" in rules(found)
    assert "taobao.repeat" in rules(found)
    text, fixed, left = chk.check_and_fix(long, ZH)
    assert text_length(text, "width") <= 60
    assert not [f for f in left if f.severity == "error"]
    assert any(f.rule == "taobao.length" for f in fixed)


def test_amazon_rules():
    chk = Checker("amazon")
    text = "Acme Red Cotton Shirt!! FREE SHIPPING Best Seller shirt shirt AMAZING for the beach"
    found = chk.check(text, EN)
    assert rules(found).count("amazon.chars") == 2
    assert {"amazon.promo", "amazon.repeat", "amazon.caps"} <= set(rules(found))
    assert not any(f.rule == "amazon.repeat" and f.text.lower() in ("for", "the") for f in found)
    fixed, _, left = chk.check_and_fix(text, EN)
    assert "!" not in fixed and "free shipping" not in fixed.lower() and "best seller" not in fixed.lower()
    assert fixed.lower().count("shirt") <= 2
    assert not [f for f in left if f.severity == "error"]


def test_amazon_forbidden_char_allowed_in_brand():
    p = Product(id="3", lang="en", brand="Yahoo!", attributes=[])
    assert "amazon.chars" not in rules(Checker("amazon").check("Yahoo! Mug", p))


def test_amazon_word_repeat_exempts_articles():
    chk = Checker("amazon")
    p = Product(id="4", lang="en", attributes=[])
    assert "amazon.repeat" not in rules(chk.check("A mug for tea and a mug for coffee and a gift for", p))


def test_chinese_law_not_applied_to_english_on_generic():
    assert "adlaw.absolute" not in rules(Checker("generic").check("Best mug", None))
    assert "adlaw.absolute" in rules(Checker("generic").check("最好的杯子", None))


def test_fit_length_never_cuts_a_word():
    seg = Segmenter(["连衣裙"])
    text = "花花红色纯棉连衣裙夏季新款"
    for limit in range(4, 26, 2):
        out = fit_length(text, limit, "width", seg)
        assert text_length(out, "width") <= limit
        assert text.startswith(out)
        toks = seg.cut(text)
        ends = {len("".join(toks[:i])) for i in range(len(toks) + 1)}
        assert len(out) in ends  # ends on a token boundary


def test_fit_length_never_cuts_a_lone_character_from_its_word():
    """jieba splits 充电宝 into 充电|宝 and 无硅油 into 无|硅油: a cut between them says a charger cable or "silicone"."""
    seg = Segmenter()
    for text, word in (("声动快充充电宝20000毫安大容量便携移动电源", "充电宝"),
                       ("欧莱雅透明质酸洗发露700ml 无硅油洗发水 控油蓬松", "无硅油")):
        assert [t for t in seg.cut(text) if t in word] == [word[:-1], word[-1]] or word[0] in "无不"
        for limit in range(10, 2 * len(text), 2):
            out = fit_length(text, limit, "width", seg)
            assert text_length(out, "width") <= limit
            head, tail = (word[:-1], None) if word[0] not in "无不" else (None, word[1:])
            at = text.find(word)
            if len(out) > at and len(out) < at + len(word):  # the cut falls inside the word
                raise AssertionError((limit, out, word))
            assert head is None or out.count(head) == text[:len(out)].count(head)
            assert tail is None or tail not in out or word in out


def test_a_latin_word_or_code_jieba_split_is_one_piece():
    """jieba splits L'OREAL and 386359-01 inside Chinese text: a cut between the parts printed "OREAL" and "01"."""
    seg = Segmenter()
    text = "L'OREAL欧莱雅透明质酸洗发露 3.5g 运动板鞋386359-01 400ml/700ml"
    assert "OREAL" in seg.cut(text) and "01" in seg.cut(text)  # what jieba does
    pieces = [text[a:b] for a, b, _ in seg.pieces(text)]
    assert {"L'OREAL", "3.5g", "386359-01", "400ml", "700ml"} <= set(pieces)
    for limit in range(10, 62, 2):  # no cut inside a code: never "…386359" without its "-01"
        out = fit_length(text, limit, "width", seg)
        assert out.startswith("L'OREAL") and not out.endswith(("386359", "-")), (limit, out)


def test_prepare_builds_what_checks_build_lazily(monkeypatch):
    from listingforge.compliance import Checker
    from listingforge.compliance import terms as term_mod
    from listingforge.text import length

    length.text_length("汉", "width")  # remembered: measuring again would not build the class
    monkeypatch.setattr(length, "_WIDE", None)
    term_mod.load_law.cache_clear()
    english = Segmenter()
    Checker("amazon", segmenter=english).prepare()
    assert length._WIDE is None  # Amazon counts characters: the wide-character class is not needed
    assert english._jieba is None  # nor is jieba for English titles (a Chinese one loads it on demand)
    seg = Segmenter()
    Checker("taobao", segmenter=seg).prepare()
    assert length._WIDE is not None and seg._jieba is not None
    assert term_mod.load_law.cache_info().currsize >= 1


def test_tidy_drops_a_bracket_whose_other_half_a_fix_cut_off() -> None:
    from listingforge.compliance.fixes import tidy

    assert tidy("】滋润保湿唇膏 11月装") == "滋润保湿唇膏 11月装"
    assert tidy("滋润保湿唇膏 【") == "滋润保湿唇膏"
    assert tidy("【新品】滋润唇膏 (红色)") == "【新品】滋润唇膏 (红色)"
