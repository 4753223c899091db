"""The titles flow through the public API: generate, optimize, shorten, several platforms."""

import pytest

from listingforge import Engine, Product
from listingforge.catalog import read_catalog
from listingforge.text.length import text_length


@pytest.fixture(scope="module")
def zh_products():
    from pathlib import Path

    return read_catalog(Path(__file__).parents[1] / "examples" / "demo_catalog.csv").ok_products()


@pytest.fixture(scope="module")
def engine(zh_products):
    return Engine(["taobao", "jd"], short=24).fit(zh_products)


def by(results, pid, platform="taobao", task="title"):
    return next(r for r in results if r.product_id == pid and r.platform == platform and r.task == task)


def test_generate_when_no_title(engine, zh_products):
    p = next(p for p in zh_products if p.id == "zh-026")  # jeans, no title
    rs = engine.titles([p])
    r = by(rs, "zh-026")
    assert r.best is not None and r.before is None
    text = r.best.candidate.text
    assert text.startswith("蓝途") and "牛仔裤" in text
    assert text_length(text, "width") <= 60
    assert not [f for f in r.best.findings if f.severity == "error"]
    assert r.best.score.reasons and 0 <= r.best.score.value <= 100


def test_optimize_removes_violations_and_keeps_truth(engine, zh_products):
    p = next(p for p in zh_products if p.id == "zh-002")  # 最新款 … 全网第一 … 驰名商标
    r = by(engine.titles([p]), "zh-002")
    text = r.best.candidate.text
    for bad in ("全网第一", "驰名商标", "最新"):
        assert bad not in text
    assert "羊毛大衣" in text and text.startswith("花语")  # what the old title said truly is kept
    assert {f.rule for f in r.fixed} >= {"adlaw.absolute", "adlaw.trademark"}
    assert "-全网第一" in r.changes
    assert r.before is not None and r.best.score.value > r.before.score.value


def test_optimize_drops_what_attributes_contradict(engine, zh_products):
    p = next(p for p in zh_products if p.id == "zh-013")  # 媲美兰蔻, 200ml while 净含量 is 150ml
    text = by(engine.titles([p]), "zh-013").best.candidate.text
    assert "兰蔻" not in text and "200ml" not in text


def test_short_title_is_extractive(engine, zh_products):
    p = next(p for p in zh_products if p.id == "zh-017")
    rs = engine.titles([p])
    long, short = by(rs, "zh-017").best.candidate.text, by(rs, "zh-017", task="short_title").best.candidate.text
    assert text_length(short, "width") <= 24 and short.startswith("声动")
    # every piece of the short title comes from the long one, in order
    pos = 0
    for ch in short.replace(" ", ""):
        pos = long.find(ch, pos)
        assert pos >= 0
        pos += 1


@pytest.mark.parametrize("title, whole", [
    ("声动快充充电宝20000毫安大容量PD20W便携移动电源", ["充电宝"]),        # jieba: 充电|宝
    ("木槿连衣裙 夏季 雪纺 仙女裙 白色长裙", ["仙女裙"]),                 # 仙女|裙
    ("山野 夏威夷果 奶油味 500g 第一代配方 无添加 坚果零食", ["无添加"]),  # 无|添加: "添加" says the opposite
    ("透明亮油环保指甲油持久快干美甲护甲油免烤不掉色护甲", ["不掉色"]),      # 不|掉色
    ("红米5A手机壳软胶保护套个性文字钢化膜", ["手机壳"]),                 # 手机|壳: a case, not a phone
    ("【不掉毛】仿水貂绒毛衣女长袖新款秋冬洋气短款紧身半高领打底衫", ["仿水貂"]),  # 仿|水貂: imitation, not mink
])
def test_a_short_title_never_cuts_a_character_from_its_word(engine, title, whole):
    """Pieces of the long title are words with the lone characters jieba split from them: a short title keeps a
    word whole or leaves it out, and never leaves half of it saying something else."""
    p = Product(id="s1", lang="zh", title=title, attributes=[])
    rs = engine.titles([p])
    short = next(r for r in rs if r.task == "short_title" and r.platform == "taobao").best.candidate.text
    assert text_length(short, "width") <= 24
    flat = short.replace(" ", "")
    for word in whole:
        head, tail = word[:-1], word[1:]
        if word[0] in "无不仿":  # a negation (or 仿, imitation) goes with the word after it
            assert tail not in flat or word in flat, (short, word)
        else:
            assert head not in flat or word in flat, (short, word)


def test_a_short_title_takes_a_sellers_tag_whole_or_not_at_all_and_a_title_that_fits_is_its_own(engine):
    def short(title, brand=None):
        rs = engine.titles([Product(id="s2", lang="zh", title=title, brand=brand, attributes=[])])
        return next(r for r in rs if r.task == "short_title" and r.platform == "taobao").best.candidate.text

    # "【11-11预售】" cut to "11预售" started a third of the cosmetics set's short titles
    out = short("【11-11预售】欧莱雅清润天才保湿三件套 补水洗面奶爽肤水乳液")
    assert "预售" not in out and not out.startswith("11") and "欧莱雅" in out
    # a tag that holds the brand (written in one of its names) is taken whole, without its brackets
    out = short("推荐_【三只松鼠_每日坚果】健康零食大礼包果干果仁送礼礼盒", brand="Three Squirrels/三只松鼠")
    assert "三只松鼠_每日坚果" in out and "【" not in out
    # a sale's words outside a tag make no room either
    out = short("Galanz/格兰仕特价清仓迷你转盘机械式家用烤箱微波炉", brand="Galanz/格兰仕")
    assert "特价" not in out and "清仓" not in out and "迷你转盘" in out
    # with room for the whole title, the short title is the title ("玫瑰" alone named another product)
    assert short("【返】丝柔玫瑰润体霜") == "【返】丝柔玫瑰润体霜"


def test_several_platforms(engine, zh_products):
    rs = engine.titles(zh_products[:3])
    assert {r.platform for r in rs} == {"taobao", "jd"}
    assert {(r.product_id, r.platform, r.task) for r in rs} == {
        (p.id, plat, task) for p in zh_products[:3] for plat in ("taobao", "jd") for task in ("title", "short_title")}


def test_english_amazon(demo_catalog_en):
    prods = read_catalog(demo_catalog_en).ok_products()
    rs = Engine("amazon").titles(prods)
    r = next(r for r in rs if r.product_id == "en-002")  # BEST SELLER … !!! FREE SHIPPING Sweater Sweater Sweater
    text = r.best.candidate.text
    assert "!" not in text and "free shipping" not in text.lower() and "best seller" not in text.lower()
    assert text.lower().count("sweater") <= 2 and text.startswith("Northwind")
    gen = next(r for r in rs if r.product_id == "en-003").best.candidate.text  # generated
    assert gen.startswith("Northwind") and "Cashmere" in gen and "Sweater" in gen


def test_no_brand_product_gets_no_brand(engine):
    p = Product(id="adv-1", lang="zh", category="男装 > 牛仔裤", attributes=[("裤长", "长裤"), ("颜色", "黑色")])
    for r in engine.titles([p]):
        for s in [r.best, *r.alternatives]:
            assert not any(b in s.candidate.text for b in ("蓝途", "花语", "木槿", "声动"))


def test_engine_describe_and_tags(engine, zh_products):
    prods = [p for p in zh_products if p.id in ("zh-005", "zh-017")]
    descs = engine.describe(prods, style="种草", audience="学生")
    assert {r.task for r in descs} == {"description"} and len(descs) == 2 * len(prods)  # two platforms
    for r in descs:
        assert r.best is not None and r.best.candidate.text
        assert not [f for f in r.best.findings if f.rule.startswith("grounding.")]
    tags = engine.tags(zh_products)
    assert len(tags) == len(zh_products)
    first = tags[0].to_record()
    assert first["id"] == zh_products[0].id and first["tags"]


def test_a_row_with_nothing_a_title_can_say_gets_no_title_and_the_reason(engine):
    from listingforge.tasks.columns import NOTHING_TO_SAY, title_columns

    bare = Product(id="bare", lang="zh", attributes=[("工作频率", "属性见描述"), ("型号", "其他")])
    results = engine.titles([bare])
    row = title_columns([r for r in results if r.platform == "taobao"], ["taobao"], short=False)
    assert row["new_title"] == "" and row["reasons"] == NOTHING_TO_SAY
    failed = [r.model_copy(update={"best": None, "error": "backend down"}) for r in results if r.task == "title"]
    row = title_columns(failed, ["taobao", "jd"], short=False)
    assert row["error"] == "backend down" and row["reasons_taobao"] == ""  # a failure says why in its own column


class _CopyingModel:
    """A model that copies a word from its examples: "男单鞋" from a shoe's title onto jeans."""

    name = "copying@1"

    def fit(self, products):
        return self

    def generate(self, task, product, n, spec):
        from listingforge.product import Candidate

        return [Candidate(text=f"{product.brand}牛仔裤男单鞋", task=task, generator=self.name)]


class _StutteringModel(_CopyingModel):
    """A model that says a word twice in a row, as a small tuned model does ("高腰高腰")."""

    name = "stutter@1"

    def generate(self, task, product, n, spec):
        from listingforge.product import Candidate

        return [Candidate(text=f"{product.brand}直筒直筒牛仔裤牛仔裤休闲", task=task, generator=self.name)]


def test_a_model_title_that_says_a_word_twice_in_a_row_says_it_once(zh_products):
    p = next(p for p in zh_products if p.id == "zh-026")  # jeans: 直筒, 休闲 are its facts
    eng = Engine("taobao", generators=[_StutteringModel()], compose_candidates=False).fit(zh_products)
    r = by(eng.titles([p]), p.id)
    assert r.best.candidate.generator == "stutter@1"
    assert r.best.candidate.text == "蓝途直筒牛仔裤休闲"
    # a brand that says a word twice may say it twice ("go go tales"); "自然堂自然堂" is a stutter
    from listingforge.tasks.titles import _brand_words
    from listingforge.text.normalize import drop_noise

    assert _brand_words(Product(id="x", brand="go go tales")) == {"go"}
    assert _brand_words(Product(id="x", brand="CHANDO/自然堂")) == set()

    title = "go go tales高光粉高光粉"
    from listingforge.text.segment import Segmenter

    spans = Segmenter().spans(title)
    assert drop_noise(title, spans, frozenset({"go"})) == "go go tales高光粉"
    assert drop_noise(title, spans) == "go tales高光粉"


def test_a_model_title_left_with_an_error_gives_way_to_the_facts_own_title(zh_products):
    p = next(p for p in zh_products if p.id == "zh-026")  # jeans, no title
    eng = Engine("taobao", generators=[_CopyingModel()], compose_candidates=False).fit(zh_products)
    r = by(eng.titles([p]), p.id)
    # no fix takes 单鞋 out without leaving "男" dangling, so the model's title keeps an error: compose writes it
    assert r.best.candidate.generator.startswith("compose") and "单鞋" not in r.best.candidate.text
    assert not [f for f in r.best.findings if f.severity == "error"]
    assert "grounding.unsupported" in r.best.candidate.meta["fallback"]  # and the result says why


class _BoastingModel(_CopyingModel):
    """A model that copies a seller's boast from its examples onto a title that is otherwise right."""

    name = "boast@1"

    def generate(self, task, product, n, spec):
        from listingforge.product import Candidate

        return [Candidate(text=f"{product.brand}直筒牛仔裤外贸原单清仓", task=task, generator=self.name)]


def test_a_word_a_model_adds_without_evidence_makes_its_title_give_way(zh_products):
    p = next(p for p in zh_products if p.id == "zh-026")  # jeans: 外贸原单清仓 is no fact of them
    eng = Engine("taobao", generators=[_BoastingModel()], compose_candidates=False).fit(zh_products)
    r = by(eng.titles([p]), p.id)
    assert r.best.candidate.generator.startswith("compose") and "原单" not in r.best.candidate.text
    assert "edit.no_evidence" in r.best.candidate.meta["fallback"]
    # a model title of facts only is kept (the stuttering model's, once its repeat is said once)
    eng = Engine("taobao", generators=[_StutteringModel()], compose_candidates=False).fit(zh_products)
    assert by(eng.titles([p]), p.id).best.candidate.generator == "stutter@1"


def test_the_evidence_for_a_models_word_is_the_products_data_not_its_category():
    from listingforge.compliance.evidence import check_evidence
    from listingforge.tasks.titles import evidence_source
    from listingforge.text.segment import Segmenter

    seg = Segmenter()
    bare = Product(id="a", brand="蓝途", attributes=[("款式", "直筒"), ("材质", "牛仔布")])  # no category
    assert [f.text for f in check_evidence("", "蓝途直筒牛仔布", evidence_source(bare), seg)] == []
    filed = bare.model_copy(update={"category": "男装 > 牛仔裤"})
    assert [f.text for f in check_evidence("", "蓝途直筒男装", evidence_source(filed), seg)] == ["男装"]
    # the claim-free words need none, and two evidenced words the segmenter joins are evidenced
    assert check_evidence("", "蓝途百搭直筒", evidence_source(bare), seg, allow=["百搭"]) == []


def test_a_title_the_data_cannot_name_says_what_to_add_first(engine):
    # the row holds a colour and a season: the title can say only those, and the seller reads first what to fix
    thin = Product(id="thin", lang="zh", attributes=[("颜色分类", "蓝色"), ("上市年份季节", "2021年春季")])
    r = by(engine.titles([thin]), "thin")
    assert r.best is not None and "蓝色" in r.best.candidate.text
    assert r.best.score.explain().startswith("no product word in the data: add 品名, 类型 or the category")
    named = Product(id="named", lang="zh", attributes=[("颜色分类", "蓝色"), ("品名", "牛仔裤")])
    assert "no product word" not in by(engine.titles([named]), "named").best.score.explain()


def test_a_title_naming_the_product_as_titles_write_it_names_it(engine, zh_products):
    # the category's plural ("Sweaters") and a kind the category's word ends with (毛呢外套 → 外套) are said in a title
    # as "Sweater" and "外套": the reasons say the title names the product, not that its word is missing
    from pathlib import Path

    en = read_catalog(Path(__file__).parents[1] / "examples" / "demo_catalog_en.csv").ok_products()
    sweater = next(p for p in en if p.id == "en-001")
    r = Engine("amazon").fit(en).titles([sweater])[0]
    assert "names the product (Sweater)" in r.best.score.explain(limit=10)
    coat = next(p for p in zh_products if p.id == "zh-001")  # 女装 > 毛呢外套, its title "…加厚外套"
    assert "names the product (外套)" in by(engine.titles([coat]), "zh-001").best.score.explain(limit=10)
