"""Descriptions: the seller's phrasing learned and reused only where every claim holds, the data-file fallback,
styles and audiences, English, the task flow's clause-by-clause checks, save/load and the CLI."""

from __future__ import annotations

import csv
import importlib.util
import json
import re
import statistics
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from listingforge.cli import app
from listingforge.compliance import Checker, Lexicon
from listingforge.generate.base import Spec, make_generator, registered_generators
from listingforge.generate.compose_description import STYLES, DescriptionComposer, split_description
from listingforge.generate.describe_chinese import fill
from listingforge.generate.describe_claims import ClaimModel, ProductFacts
from listingforge.generate.describe_data import load_phrasing
from listingforge.generate.describe_quality import fragments, repeated, stacked_praise, stuffed
from listingforge.generate.describe_text import clauses, printed_names, sentences
from listingforge.platforms import load_platform
from listingforge.product import Candidate, Product
from listingforge.tasks.describe import DescriptionTask, description_columns

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
COAT = Product(id="c1", lang="zh", brand="花语", category="女装 > 毛呢外套",
               attributes=[("材质", "羊毛混纺"), ("颜色", "驼色"), ("风格", "韩版"), ("适用季节", "秋冬"),
                           ("衣长", "中长款"), ("货号", "HY-2231")])
COAT_NAMES = ["材质", "颜色", "适用季节", "衣长", "货号"]


def _real(name: str) -> list[Product]:
    path = DATA / name
    if not path.is_file():
        return []
    return [Product(**json.loads(ln)) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


# the AdvertiseGen train part (the held-out fifth is never learned from), when the shared data is there
REAL_ZH_TRAIN = [p for p in _real("zh_advertisegen_descriptions.jsonl") if zlib.crc32(p.id.encode()) % 5]


def zh(pid: str, attrs: str, desc: str | None = None) -> Product:
    return Product(id=pid, lang="zh", attributes=[tuple(a.split("=")) for a in attrs.split()], description=desc)


# A small seller catalog: its copy has reusable clauses, and clauses no other product may borrow (a pocket placed
# 胸前, a zipper denied, a count).
CATALOG = [
    zh("d1", "类型=裙 材质=雪纺 裙领型=v领 裙长=连衣裙",
       "这款连衣裙采用雪纺面料，轻盈飘逸。v领的设计，修饰颈部线条，显得优雅大方。"),
    zh("d2", "类型=裙 材质=雪纺 图案=碎花 裙长=连衣裙",
       "这款连衣裙采用雪纺面料，轻盈飘逸。碎花图案点缀，清新甜美，优雅大方。"),
    zh("d3", "类型=裙 图案=碎花 裙款式=口袋 裙长=半身裙",
       "这款半身裙的碎花图案，清新甜美。胸前的口袋设计，实用又优雅大方。"),
    zh("d4", "类型=裙 材质=棉 裙款式=拉链 裙长=连衣裙",
       "这款连衣裙采用棉面料，柔软亲肤。没有拉链，显得优雅大方。"),
    zh("d5", "类型=裙 风格=简约 裙领型=v领 裙长=连衣裙",
       "这款连衣裙的风格简约，显得优雅大方。v领的设计，修饰颈部线条，清新甜美。"),
    zh("d6", "类型=上衣 材质=棉 衣样式=衬衫 风格=简约",
       "这款衬衫采用棉面料，柔软亲肤。简约的设计，显得优雅大方，两个口袋。"),
    zh("d7", "类型=上衣 衣样式=衬衫 风格=简约 图案=碎花",
       "这款衬衫的碎花图案，清新甜美。简约的设计，显得优雅大方。"),
    zh("d8", "类型=裤 材质=棉 裤长=九分裤 风格=简约",
       "这款九分裤采用棉面料，柔软亲肤。简约的设计，显得利落大方。"),
]


def composer(products: list[Product] = CATALOG) -> DescriptionComposer:
    return DescriptionComposer(min_df=2, min_docs=4).fit(products)


def checker(products: list[Product]) -> Checker:
    return Checker("taobao", lexicon=Lexicon().fit(products))


def paragraph(gen: DescriptionComposer, product: Product, **spec: object) -> str:
    return split_description(gen.generate("description", product, 1, Spec(**spec))[0].text)[1]


def test_registered_under_its_name() -> None:
    assert "compose_description" in registered_generators()
    gen = make_generator("compose_description")
    assert isinstance(gen, DescriptionComposer)
    with pytest.raises(NotImplementedError):
        gen.generate("title", COAT, 1, Spec())


def test_clauses_and_sentences_are_cut_where_the_copy_puts_them() -> None:
    assert sentences("这款连衣裙采用雪纺面料，轻盈飘逸。v领的设计！", "zh") == ["这款连衣裙采用雪纺面料，轻盈飘逸", "v领的设计"]
    assert clauses("这款连衣裙采用雪纺面料，轻盈飘逸", "zh") == ["这款连衣裙采用雪纺面料", "轻盈飘逸"]
    # Myntra glues sentences: "…lockOne handle…"
    assert sentences("Black trolley bag, secured with a TSA lockOne handle on the top", "en") == [
        "Black trolley bag, secured with a TSA lock", "One handle on the top"]
    assert fill("适合{v}肤质", "所有肤质") == "适合所有肤质" and fill("采用{v}包装", "独立小包") == "采用独立小包装"


@pytest.mark.parametrize("style", [None, *STYLES])
def test_without_descriptions_the_data_file_writes_grounded_prose(style: str | None) -> None:
    cands = DescriptionComposer().generate("description", COAT, 3, Spec(style=style))
    assert 1 <= len(cands) <= 3
    for c in cands:
        points, para = split_description(c.text)
        assert 3 <= len(points) <= 5
        assert "花语" in para and "毛呢外套" in para and para.endswith(("。", "！"))
        assert "HY-2231" not in c.text  # bookkeeping attributes are not selling points
        assert printed_names(c.text, COAT_NAMES) == []  # never "材质：羊毛混纺" or "衣长中长款"
        assert checker([COAT]).check(c.text, COAT, field="description") == []
        assert c.meta["selling_points"] == points and not c.meta["learned"]


def test_a_detail_is_said_with_what_it_does_where_the_product_backs_it() -> None:
    gen = DescriptionComposer()  # the data file's wording alone
    assert "开叉的细节，方便行走" in paragraph(gen, zh("u1", "类型=裙 裙款式=开叉 裙长=半身裙"))
    assert "拉长腿部比例" in paragraph(gen, zh("u3", "类型=裤 裤腰型=高腰 裤长=长裤"))
    assert "腿" not in paragraph(gen, zh("u2", "类型=上衣 衣腰型=高腰 衣样式=衬衫"))  # a top does nothing for the legs


def test_styles_and_audiences_change_the_clauses_and_their_order() -> None:
    gen = DescriptionComposer()
    texts = {s: paragraph(gen, COAT, style=s) for s in STYLES}
    assert len(set(texts.values())) == 3
    assert texts["种草"].startswith("姐妹们") and texts["种草"].endswith("！")
    assert "姐妹们" not in texts["专业"] and "！" not in texts["专业"]
    student, mum = paragraph(gen, COAT, style="种草", audience="学生"), paragraph(gen, COAT, style="种草", audience="宝妈")
    assert student.startswith("同学们") and mum.startswith("宝妈们")
    # 学生 leads with the style, 宝妈 with the material
    assert student.index("韩版") < student.index("羊毛混纺") and mum.index("羊毛混纺") < mum.index("韩版")
    jeans = zh("j1", "类型=裤 材质=牛仔布 颜色=蓝色")
    assert not paragraph(gen, jeans, style="种草").startswith("姐妹们")  # trousers do not say who wears them


def test_a_clause_is_used_only_when_the_product_backs_every_claim() -> None:
    data = load_phrasing("zh")
    gen = composer()
    claims: ClaimModel = gen.models_["zh"].claims
    dress = ProductFacts.of(zh("x", "类型=裙 材质=棉 裙领型=v领"), data)
    trousers = ProductFacts.of(zh("y", "类型=裤 材质=棉"), data)
    assert claims.unsupported("采用棉面料，柔软亲肤", dress) == []
    assert claims.unsupported("柔软亲肤", dress) == []  # said of nothing in particular: the cotton backs it
    assert claims.unsupported("v领的设计，柔软亲肤", dress)  # said of the neckline: a neckline is not soft
    assert claims.unsupported("柔软亲肤", ProductFacts.of(zh("d", "类型=裤 材质=牛仔布"), data))  # denim is not
    assert claims.unsupported("修饰颈部线条", dress) == [] and claims.unsupported("修饰颈部线条", trousers)
    assert claims.unsupported("胸前的口袋设计", ProductFacts.of(zh("z", "类型=裙 裙款式=口袋"), data))
    assert claims.unsupported("这款连衣裙", trousers)  # another product type
    assert claims.unsupported("两个口袋", ProductFacts.of(zh("w", "类型=上衣 衣款式=口袋"), data))  # a count


def test_a_descriptive_word_needs_the_detail_it_is_said_of() -> None:
    claims = DescriptionComposer()._model("zh").claims  # the packaged claim words alone
    data = claims.data
    loose = ProductFacts.of(zh("l", "类型=裙 版型=宽松 裙款式=吊带 裙长=连衣裙"), data)
    assert claims.unsupported("宽松的设计，慵懒随性", loose) == []  # a loose cut backs the relaxed mood
    assert claims.unsupported("吊带的设计，凸显高挑感", loose)  # straps do not make anyone taller
    assert claims.unsupported("立体的剪裁", loose)  # 立体 is a 立体剪裁 product's
    assert claims.unsupported("修身显瘦", loose)  # never a close fit for a loose dress
    assert claims.unsupported("蓝白的撞色点缀", ProductFacts.of(zh("c", "类型=上衣 图案=撞色"), data))  # a colour
    assert claims.unsupported("适合有个性的你，成为更好的自己", loose)  # a promise about the wearer's life
    denim = ProductFacts.of(zh("d", "类型=裙 材质=牛仔布 裙长=短裙"), data)
    assert claims.unsupported("走路飘逸十足", denim) and claims.unsupported("手感舒适耐磨", loose)
    assert claims.unsupported("采用牛仔布面料，结实耐磨", denim) == []
    # thick legs are hidden by a loose skirt or trousers, never by a shirt; a loose cut shows no curves (a fitted
    # catalog's segmenter keeps the claim words whole: "小粗腿")
    fitted = composer().models_["zh"].claims
    shirt = ProductFacts.of(zh("s", "类型=上衣 衣样式=衬衫 版型=显瘦"), data)
    assert "小粗腿" in fitted.unsupported("更加显瘦哦，小粗腿又能轻松自然的穿着起来", shirt)
    wide = ProductFacts.of(zh("w", "类型=裤 裤型=阔腿裤"), data)
    assert "小粗腿" not in fitted.unsupported("阔腿裤型，小粗腿又能轻松自然的穿着起来", wide)
    waisted = "收腰的设计，凸显身材曲线"
    assert fitted.unsupported(waisted, ProductFacts.of(zh("t", "类型=裙 裙款式=收腰"), data)) == []
    assert fitted.unsupported(waisted, ProductFacts.of(zh("u", "类型=裙 裙款式=收腰 版型=宽松"), data))


def test_a_reader_finds_fragments_and_repeats() -> None:
    data = load_phrasing("zh")
    cut = DescriptionComposer()._model("zh").claims.segmenter.cut
    vals = ["拉链", "刺绣", "小脚", "v领"]
    assert [f.words for f in fragments("这款裙子，拉链的设计。", data, vals)] == ["这款裙子，拉链的设计"]
    assert fragments("刺绣图案点缀，小脚的设计。", data, vals)  # a list of details, nothing said of them
    assert fragments("还很好的丰富了整体的立体感，搭配v领。", data, vals)  # trails off into "搭配 + detail"
    assert fragments("采用到了自带减龄感的牛仔材质。", data, vals) and fragments("既有减龄效果。", data, vals)
    assert fragments("这款裙子，采用拉链设计，方便穿脱。", data, vals) == []
    assert {f.words for f in repeated("精致又洋气，气质性感，精致又不失时尚感。", data, cut)} == {"精致"}
    assert repeated("v领的设计，长袖的设计，纯色设计。", data, cut)  # 设计 three times
    # two clauses in a row ending in the same detail noun read as a list (a reviewer's "redundant"); apart, they do not
    assert repeated("v领的设计，纯色设计，简约大方。", data, cut, ["v领", "纯色"])
    assert repeated("v领的设计，修饰脸型，纯色设计。", data, cut, ["v领", "纯色"]) == []
    en = load_phrasing("en")
    assert fragments("Beige bra. By PARFAIT, for women.", en) and not fragments("Beige minimizer bra. By PARFAIT.", en)


def test_a_reader_finds_lists_empty_praise_and_sentences_with_no_subject() -> None:
    """What the third round's blind reviewer faulted in our copy, each found; plain copy of the same facts is not."""
    data = load_phrasing("zh")
    vals = ["格子", "拼接", "口袋", "七分袖", "针织", "混纺", "纤维", "荷叶边", "v领"]
    listed = stuffed("这款外套，带有格子元素，加入拼接的细节，采用口袋设计。", data, vals)
    assert [f.words for f in listed] == ["带有格子元素，加入拼接的细节，采用口袋设计"]
    assert stuffed("这款连衣裙，袖长是七分袖。", data, vals)  # an attribute read out
    assert stuffed("这件卫衣，选用针织、混纺和纤维面料，手感柔软。", data, vals)  # three values in one breath
    assert stuffed("这款外套，带有格子元素，复古耐看，加入拼接的细节，采用口袋设计，方便收纳。", data, vals) == []
    assert stacked_praise("这件毛衣，采用针织面料。精致的设计感，更显时尚品味，丰富视觉看点。", data, vals)
    assert stacked_praise("这款半身裙，增强了设计效果，兼顾细节感与设计感。", data, vals)  # nothing but praise
    assert stacked_praise("这件毛衣，采用针织面料，柔软亲肤，v领修饰脖颈，显得脸小。", data, vals) == []
    for text in ("这款衬衫，采用v领设计，修饰脖颈。清新时尚。", "这款衬衫，采用v领设计，修饰脖颈。增强了设计效果。",
                 "这款衬衫，采用v领设计。饰以格子图案，透着欧美的气息，采用荷叶边设计。", "这款衬衫，采用v领设计，修饰脖颈。<UNK>的设计。"):
        assert fragments(text, data, vals), text
    assert fragments("这款衬衫，采用v领设计，修饰脖颈。荷叶边的设计让上身更显灵动。", data, vals) == []


def test_the_chinese_writer_names_the_product_whole_and_says_every_value_once() -> None:
    gen = DescriptionComposer().fit(REAL_ZH_TRAIN) if REAL_ZH_TRAIN else composer()
    data = load_phrasing("zh")
    for attrs, name in [("类型=裙 材质=牛仔布 裙型=牛仔裙 裙长=半身裙 裙款式=拉链 裙腰型=高腰", "牛仔半身裙"),
                        ("类型=裤 版型=宽松 裤长=九分裤 裤型=阔腿裤 颜色=黑色 颜色=白色", "九分阔腿裤"),
                        ("类型=上衣 衣样式=马甲 衣样式=外套 图案=撞色 衣领型=翻领", "马甲外套")]:
        p = zh("w-" + name, attrs)
        facts = ProductFacts.of(p, data)
        for c in gen.generate("description", p, 3, Spec()):
            para = c.meta["paragraph"]
            assert para.count(name) == 1, para  # named once, whole
            said = set(gen.models_["zh"].claims.named_values(para, facts))
            part = {v: spec[0] for v, spec in data.nouns.modifiers.items()}  # 牛仔 of 牛仔半身裙 says 牛仔裙
            assert all(v in said or v in para or part.get(v, "-") in name for v in facts.values
                       if v not in ("裙", "裤", "上衣")), para
            assert not fragments(para, data, facts.values) and not repeated(para, data, gen.segmenter_.cut,
                                                                           facts.values), para
    two_colours = paragraph(gen, zh("w2", "类型=裤 颜色=黑色 颜色=白色 裤长=短裤"))
    assert re.search("黑色[和、]白色|白色[和、]黑色", two_colours), two_colours  # one attribute, one clause


def test_a_value_filed_under_an_attribute_it_is_not_of_is_said_as_what_it_is() -> None:
    # 显瘦 is no cut, 纯色 no colour, 水洗 no fabric: joined with the attribute's own values they read as a false list
    data = load_phrasing("zh")
    p = zh("r1", "类型=裤 版型=宽松 版型=显瘦 颜色=纯色 颜色=黑色 材质=棉 材质=水洗 裤长=长裤")
    facts = ProductFacts.of(p, data)
    assert facts.values["显瘦"] == "效果" and facts.values["纯色"] == "色彩" and facts.values["水洗"] == "处理"
    assert facts.values["宽松"] == "版型" and facts.by_attribute["颜色"] == ["黑色"]
    for gen in (DescriptionComposer(), DescriptionComposer().fit(REAL_ZH_TRAIN) if REAL_ZH_TRAIN else composer()):
        for c in gen.generate("description", p, 3, Spec()):
            para = c.meta["paragraph"]
            assert not re.search("宽松[和、]显瘦|显瘦[和、]宽松|显瘦的?版型|纯色[和、]黑色|黑色[和、]纯色|水洗面料|水洗[和、]棉|"
                                 "棉[和、]水洗|纯色图案", para), para


@pytest.mark.skipif(not REAL_ZH_TRAIN, reason="needs ../shared/data/zh_advertisegen_descriptions.jsonl (the shared data)")
def test_a_dropped_opening_leaves_the_product_named_once_and_no_detail_called_a_cut() -> None:
    # the seller's opening for a 衬衫裙 covered 裙 too: when it is dropped, the plain opening names the product and
    # nothing re-says 裙 on its own ("这款衬衫裙，裙设计，…")
    gen = DescriptionComposer().fit(REAL_ZH_TRAIN)
    p = next(q for q in _real("zh_advertisegen_descriptions.jsonl") if q.id == "adgen-519").model_copy(
        update={"description": None})  # a held-out 衬衫裙: 类型=裙 裙型=衬衫裙 裙款式=露肩 裙款式=不规则 …
    for c in gen.generate("description", p, 3, Spec()):
        assert not re.search(r"(^|，)[裙裤衣]设计[，。]", c.meta["paragraph"]), c.meta["paragraph"]
        assert "裙型" not in c.meta["paragraph"]  # 不规则 is a detail, not a 裙型: "不规则裙型设计" reads a name out


@pytest.mark.skipif(not REAL_ZH_TRAIN, reason="needs ../shared/data/zh_advertisegen_descriptions.jsonl (the shared data)")
def test_no_praise_that_names_nothing_unless_the_facts_leave_a_bare_name() -> None:
    # "在设计上更是凸显出它与众不同之处", "是非常好穿的单品": clauses naming no value, which reviewers preferred without
    gen = DescriptionComposer().fit(REAL_ZH_TRAIN)
    held = [p.model_copy(update={"description": None}) for p in _real("zh_advertisegen_descriptions.jsonl")
            if not zlib.crc32(p.id.encode()) % 5][:40]
    for p in held:
        for c in gen.generate("description", p, 2, Spec()):
            kinds = [piece["kind"] for piece in c.meta["pieces"]]
            said = [k for k in kinds if k not in ("opening", "free", "closing")]
            assert "closing" not in kinds and ("free" not in kinds or not said), c.meta["paragraph"]
    bare = gen.generate("description", zh("b1", "类型=裙 裙长=半身裙"), 1, Spec())[0]
    assert [piece["kind"] for piece in bare.meta["pieces"]] == ["opening", "free"]  # not "这款半身裙。" alone


def test_the_sellers_own_phrasing_is_reused_for_a_product_with_those_facts() -> None:
    gen = composer()
    new = zh("n1", "类型=裙 材质=雪纺 图案=碎花 裙长=连衣裙")
    for k_text in [c.text for c in gen.generate("description", new, 3, Spec())]:
        para = split_description(k_text)[1]
        assert "轻盈飘逸" in para  # what this seller writes after 雪纺
        assert "连衣裙" in para
        for never in ("胸前", "没有拉链", "两个", "柔软亲肤", "颈部"):
            assert never not in para  # not this product's facts, or never anyone's
        assert checker([*CATALOG, new]).check(k_text, new, field="description") == []
    cand = gen.generate("description", new, 1, Spec())[0]
    assert cand.meta["learned"] and any(p["kind"] in ("phrase", "opening") for p in cand.meta["pieces"])


def test_the_phrasing_fits_the_products_type_and_style() -> None:
    gen = composer()
    trousers = zh("t1", "类型=裤 材质=棉 裤长=九分裤")
    para = paragraph(gen, trousers)
    assert "九分裤" in para and "柔软亲肤" in para and "连衣裙" not in para and "衬衫" not in para
    short, rich = paragraph(gen, trousers, style="简洁"), paragraph(gen, trousers, style="种草")
    assert len(short) < len(rich)


EN = [Product(id=f"m{i}", lang="en", brand=b, attributes=[("brand", b), ("gender", g), ("colour", c)], title=t,
              description=d) for i, (b, g, c, t, d) in enumerate([
                  ("Parx", "Men", "Blue", "Parx Men Blue Slim Fit Solid Round Neck T-shirt",
                   "Blue solid T-shirt, has a round neck, short sleeves"),
                  ("Roadster", "Men", "Grey", "Roadster Men Grey Printed Round Neck T-shirt",
                   "Grey printed T-shirt, has a round neck, long sleeves"),
                  ("Roadster", "Women", "Black", "Roadster Women Black Solid Round Neck T-shirt",
                   "Black solid T-shirt, has a round neck, short sleeves"),
                  ("Parx", "Men", "White", "Parx Men White Slim Fit Checked Casual Shirt",
                   "White checked casual shirt, has a spread collar, long sleeves"),
                  ("WITH", "Men", "Navy", "WITH Men Navy Regular Fit Solid Casual Shirt",
                   "Navy solid casual shirt, has a mandarin collar, long sleeves"),
                  ("Parx", "Men", "Green", "Parx Men Green Slim Fit Printed Casual Shirt",
                   "Green printed casual shirt, has a spread collar, long sleeves"),
              ])]


def test_english_carries_every_key_word_of_the_title_in_two_or_three_sentences() -> None:
    gen = DescriptionComposer(min_df=2, min_docs=4).fit(EN)
    cases = {"Geox Women Black Leather Solid Pumps": ["leather", "pumps"],
             "HERE&NOW Women Grey Solid Padded Jacket": ["padded"],
             "The Kaftan Company Women Lavender Printed Kaftan Top": ["kaftan top"],
             "SHISEIDO Scarlet Glare LacquerInk Lip Shine 307": ["scarlet glare", "lacquerink", "307"],
             "PARFAIT Plus Size Beige Self Design Underwired Non Padded Minimizer Bra P5272":
                 ["self design", "underwired", "non padded", "minimizer", "plus size"],
             "XYXX Men Printed Pack of 3 Remix Pure Cotton Boxer XYBOX3PCKN128": ["a pack of 3", "boxers"]}
    for title, words in cases.items():
        brand = title.split(" Women")[0].split(" Men")[0].split(" Plus")[0]
        brand = {"SHISEIDO Scarlet Glare LacquerInk Lip Shine 307": "SHISEIDO"}.get(title, brand)
        p = Product(id=title, lang="en", brand=brand, attributes=[("brand", brand), ("gender", "Women")], title=title)
        para = paragraph(gen, p, lang="en")
        for w in words:
            assert w in para.lower(), (w, para)
        # a title that says only what it is makes one sentence of it: "Black leather solid pumps for women by Geox."
        assert 1 <= len(sentences(para, "en")) <= 3 and not fragments(para, load_phrasing("en")), para
        assert "P5272" not in para and "XYBOX" not in para  # article codes are no selling words
    assert "is cut in a slim fit" in paragraph(gen, EN[0].model_copy(update={"description": None}), lang="en")


def test_english_learns_how_the_copy_restates_the_title() -> None:
    gen = DescriptionComposer(min_df=2, min_docs=4).fit(EN)
    new = Product(id="e1", lang="en", brand="Tokyo Talkies", attributes=[("gender", "Women"), ("colour", "Red")],
                  title="Tokyo Talkies Women Red Slim Fit Printed Round Neck T-shirt")
    para = paragraph(gen, new, lang="en")
    # the copy's order and its own clause for the neck, said as sentences with a subject and a verb
    assert para.startswith("A red printed T-shirt for women by Tokyo Talkies.") and "It has a round neck" in para
    assert "slim fit" in para and "Tokyo Talkies" in para and "women" in para
    assert "sleeves" not in para and "collar" not in para  # the catalog's details, not this title's
    assert Checker("amazon", lexicon=Lexicon().fit([*EN, new])).check(para, new, field="description") == []
    unlearned = paragraph(DescriptionComposer(), new.model_copy(update={"title": "BEST SELLER T-shirt FREE SHIPPING"},
                                                                 ), lang="en")
    assert "BEST" not in unlearned and "SHIPPING" not in unlearned  # a stuffed title is not copied


def test_task_removes_a_model_clause_that_claims_what_the_product_does_not_state() -> None:
    class Inventor:  # a model that invents a fit (版型 not given) and a delivery time
        name = "inventor@test"

        def generate(self, task, product, n, spec):  # noqa: ANN001, ANN201
            return [Candidate(text="花语毛呢外套，宽松的版型，3天发货，秋冬穿着很合适。", task="description",
                              generator=self.name)]

    task = DescriptionTask(platform=load_platform("taobao"), checker=checker([COAT]), audience="学生",
                           extra_generators=[Inventor()])
    product_for_checks = task.checked_product(COAT)
    invented = task.checker.check("花语毛呢外套，宽松的版型，3天发货，适合学生。", product_for_checks,
                                  field="description")
    assert {f.rule for f in invented} >= {"grounding.unsupported", "grounding.number"}
    assert not any(f.text == "学生" for f in invented)  # the requested audience is a stated fact
    cands = task.candidates(COAT, task.spec_for(COAT))
    model = next(c for c in cands if c.generator == "inventor@test")
    assert model.text == "花语毛呢外套，秋冬穿着很合适。"  # whole clauses gone, no "的版型" left behind
    assert {e.old for e in model.edits} == {"宽松的版型", "3天发货"}
    assert all(e.kind == "remove" and e.evidence for e in model.edits)
    result = task.run(COAT)
    assert result.best is not None and result.best.findings == []
    row = description_columns(result)
    assert set(row) == {"new_description", "selling_points", "score", "findings", "generator"}
    assert row["selling_points"].count(" | ") >= 2 and "学生" in row["new_description"]  # the asked-for audience


def test_the_task_learns_the_catalogs_length_and_style() -> None:
    task = DescriptionTask(platform=load_platform("taobao"), checker=checker(CATALOG),
                           composer=DescriptionComposer(min_df=2, min_docs=4)).fit(CATALOG)
    assert task.target_chars("zh") == int(statistics.median(len(p.description or "") for p in CATALOG))
    new = zh("n2", "类型=裙 材质=雪纺 裙领型=v领 裙长=连衣裙")
    assert task.composer.style_refs(new, k=1) == [CATALOG[0].description]
    assert task.run(new).best is not None


def test_saved_and_loaded_it_writes_the_same(tmp_path: Path) -> None:
    gen = composer()
    gen.save(tmp_path / "desc")
    back = DescriptionComposer.load(tmp_path / "desc")
    for p in (zh("n3", "类型=裙 材质=雪纺 图案=碎花 裙长=连衣裙"), COAT):
        assert [c.text for c in back.generate("description", p, 3, Spec())] == \
               [c.text for c in gen.generate("description", p, 3, Spec())]


def test_describe_command_keeps_input_columns(tmp_path: Path) -> None:
    src = tmp_path / "catalog.csv"
    src.write_text("商品ID,商品标题,品牌,属性\n"
                   "z1,花语羊毛大衣,花语,材质:羊毛;颜色:黑色;风格:通勤\n"
                   "z2,木槿连衣裙,木槿,材质:真丝;颜色:藏青色;裙长:中长款\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    res = CliRunner().invoke(app, ["describe", str(src), "--platform", "taobao", "--style", "种草", "--audience",
                                   "学生", "-o", str(out)])
    assert res.exit_code == 0, res.output
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["商品ID"] for r in rows] == ["z1", "z2"]
    for col in ("商品标题", "new_description", "selling_points", "score", "findings", "generator"):
        assert col in rows[0]
    assert "真丝" in rows[1]["new_description"] and rows[1]["findings"] == ""
    plain = CliRunner().invoke(app, ["describe", str(src), "-o", str(out)])  # no style: the catalog's own voice
    assert plain.exit_code == 0, plain.output
    bad = CliRunner().invoke(app, ["describe", str(src), "--style", "夸张", "-o", str(out)])
    assert bad.exit_code != 0


@pytest.mark.skipif(not (DATA / "zh_advertisegen_descriptions.jsonl").is_file(),
                    reason="needs ../shared/data/zh_advertisegen_descriptions.jsonl (the shared data folder)")
def test_on_real_copy_held_out_products_get_grounded_prose_without_attribute_names() -> None:
    rows = [Product(**json.loads(ln)) for ln in
            (DATA / "zh_advertisegen_descriptions.jsonl").read_text(encoding="utf-8").splitlines() if ln.strip()]
    train = [p for p in rows if zlib.crc32(p.id.encode()) % 5]
    held = [p.model_copy(update={"description": None}) for p in rows if not zlib.crc32(p.id.encode()) % 5][:25]
    gen = DescriptionComposer().fit(train)
    check = Checker("taobao", lexicon=Lexicon().fit([p.model_copy(update={"description": None}) for p in rows]))
    for p in held:
        c = gen.generate("description", p, 1, Spec())[0]
        para = c.meta["paragraph"]
        # a product with two facts gets two clauses said of them, not praise to fill the length (a reviewer faults that)
        assert c.meta["learned"] and len(para) >= 20
        assert not [f for f in check.check(para, p, field="description") if f.rule.startswith("grounding.")]
        assert printed_names(para, [n for n, _v in p.attributes], {"版型", "风格", "图案", "材质", "颜色"}) == []


_SAME_IN_EVERY_PROCESS = """
import json, sys, zlib
from pathlib import Path
from listingforge.generate.base import Spec
from listingforge.generate.compose_description import DescriptionComposer
from listingforge.product import Product
rows = [Product(**json.loads(ln)) for ln in Path(sys.argv[1]).read_text(encoding="utf-8").splitlines() if ln.strip()]
gen = DescriptionComposer().fit([p for p in rows if zlib.crc32(p.id.encode()) % 5])
held = [p.model_copy(update={"description": None}) for p in rows if not zlib.crc32(p.id.encode()) % 5]
print(json.dumps([gen.generate("description", p, 1, Spec())[0].text for p in held], ensure_ascii=False))
"""


@pytest.mark.skipif(not (DATA / "zh_advertisegen_descriptions.jsonl").is_file(),
                    reason="needs ../shared/data/zh_advertisegen_descriptions.jsonl (the shared data folder)")
def test_the_same_catalog_gets_the_same_descriptions_in_every_process() -> None:
    # Python orders sets by a hash seeded per process: a tie broken by set order gave 17 of 123 texts other words
    import os
    import subprocess
    import sys

    def texts(seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", _SAME_IN_EVERY_PROCESS, str(DATA / "zh_advertisegen_descriptions.jsonl")],
                              capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout

    assert texts("1") == texts("3")


@pytest.mark.slow
@pytest.mark.embedded_small
@pytest.mark.skipif(importlib.util.find_spec("llama_cpp") is None,
                    reason="llama-cpp-python not installed: pip install 'listingforge[llm]'")
def test_small_model_descriptions_keep_only_backed_clauses() -> None:
    from listingforge.generate.assets import is_available
    from listingforge.generate.backends import make_backend
    from listingforge.generate.llm import LLMGenerator

    if not is_available("embedded-small"):
        pytest.skip("embedded-small model parts not installed (see docs/llm.md)")
    llm = LLMGenerator(backend=make_backend("llama_cpp", model="embedded-small", n_ctx=2048), fewshot="retrieved",
                       k=2, max_n=1).fit(CATALOG)
    task = DescriptionTask(platform=load_platform("taobao"), checker=checker(CATALOG),
                           composer=DescriptionComposer(min_df=2, min_docs=4), extra_generators=[llm]).fit(CATALOG)
    products = [zh("s1", "类型=裙 材质=雪纺 图案=碎花 裙长=连衣裙"), zh("s2", "类型=上衣 材质=棉 衣样式=衬衫 风格=简约")]
    for p in products:
        cands = task.candidates(p, task.spec_for(p))
        model = [c for c in cands if c.generator.startswith("llm")]
        for c in model:  # what is left of the model's text states only this product's facts
            assert not [f for f in task.checker.check(c.text, p, field="description")
                        if f.rule.startswith("grounding.")]
            assert not [w for _cl, ws in task.composer.unsupported(c.text, p) for w in ws]
            assert all(e.kind == "remove" and e.old not in c.text for e in c.edits)
        result = task.run(p)
        assert result.best is not None and result.best.findings == []
