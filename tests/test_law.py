"""The Advertising Law and marketplace promotional rules: classes with their basis, lawful uses, whole-claim fixes,
category scope, warnings that ask, and English promotional patterns."""

import functools
from pathlib import Path

import pytest

from listingforge.compliance import Checker, apply_fixes, check_terms
from listingforge.compliance.terms import load_law
from listingforge.product import Product

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"


def fixed(text: str, category: str | None = None) -> str:
    return apply_fixes(text, check_terms(text, "cn_adlaw", category=category))[0]


def test_gates_change_no_result():
    # a class's patterns run only when one of its gate strings is in the text: every pattern match must hold
    # one, so running every pattern everywhere finds the same on the held-out terms and the lawful uses
    import dataclasses
    import tomllib

    law = load_law("cn_adlaw")
    ungated = dataclasses.replace(law, ungated=tuple(i for i, c in enumerate(law.classes) if c.regex is not None))
    bench = Path(__file__).resolve().parents[1] / "benchmarks" / "data" / "compliance"
    texts = []
    for name in ("test_terms.toml", "test_terms_fresh.toml", "test_terms_third.toml"):
        data = tomllib.loads((bench / name).read_text(encoding="utf-8"))
        texts += [f"云朵 {spec.split('|')[-1]}连衣裙 {term}" for cls, terms in data.items() if cls != "excluded"
                  for term, spec in terms.items()]
    for name in ("test_terms_h.toml", "test_terms_i.toml"):  # claims in advertisers' own words, in their titles
        texts += [it["title"] for it in tomllib.loads((bench / name).read_text(encoding="utf-8"))["items"]]
    texts += [u["text"] for u in tomllib.loads((bench / "lawful_uses.toml").read_text(encoding="utf-8"))["uses"]]
    assert len(texts) > 650
    for t in texts:
        for category in (None, "美妆", "食品"):
            assert check_terms(t, law, category=category) == check_terms(t, ungated, category=category), t


def test_every_class_names_its_article_and_source():
    law = load_law("cn_adlaw")
    assert len(law.classes) >= 14
    for cls in law.classes:
        assert cls.article and cls.source, cls.id
    ids = {c.id for c in law.classes}
    # the laws the classes stand for: Art. 9, 16–18, 24–26, the Trademark, Anti-Unfair Competition and consumer laws,
    # the cosmetics and food rules
    assert {"adlaw.absolute", "adlaw.authority", "adlaw.disease", "adlaw.efficacy", "adlaw.guarantee",
            "adlaw.superstition", "adlaw.trademark", "unfair.disparage", "consumer.disclaimer", "cosmetics.claims",
            "food.health_claims"} <= ids


@pytest.mark.parametrize(("text", "rule"), [
    ("云朵 面霜 7天见效", "adlaw.efficacy"),  # X天见效
    ("祛斑霜 三天美白", "adlaw.efficacy"),
    ("根治脚气 喷剂", "adlaw.efficacy"),  # 根治 + disease
    ("膏药 有效率高达98%", "adlaw.efficacy"),  # N% effective
    ("足贴 99%有效", "adlaw.efficacy"),
    ("全国销量最高 电饭煲", "adlaw.absolute"),  # 全国 + 最…
    ("全球十大品牌之一 床垫", "adlaw.absolute"),
    ("Top 1 面膜", "adlaw.absolute"),
    ("领导人同款 茶叶", "adlaw.authority"),
    ("国家免检产品 米", "adlaw.authority"),
    ("专家推荐 枕头", "adlaw.endorsement"),
    ("开光貔貅 手串", "adlaw.superstition"),
    ("考研网课 包过", "adlaw.guarantee"),
    ("黄金金条 稳赚不赔", "adlaw.guarantee"),
    ("吊打大牌 蓝牙耳机", "unfair.disparage"),
    ("本店拥有最终解释权 T恤", "consumer.disclaimer"),
    ("跳楼价 清仓 羽绒服", "adlaw.inducement"),
    ("中国驰名商标 酱油", "adlaw.trademark"),
])
def test_patterns_and_classes(text, rule):
    found = check_terms(text, "cn_adlaw")
    assert rule in {f.rule for f in found}, [f.rule for f in found]
    assert all(f.basis for f in found)


@pytest.mark.parametrize(("text", "category"), [
    ("恒源祥100%纯羊毛开衫女", None),  # fibre content
    ("羊绒衫 山羊绒含量100%", None),
    ("Clinique倩碧三步曲Tmall专供体验套装", "美妆"),  # a marketplace exclusive, no state body
    ("【11.11特供】雅诗兰黛小棕瓶精华", "美妆"),
    ("【11-11预售特供】欧莱雅套装", "美妆"),
    ("【新品首发】雅诗兰黛口红", "美妆"),  # the time order of a launch
    ("2023年天猫面膜类目销量第一 补水面膜", "美妆"),  # dated and sourced ranking
    ("据欧睿2022年度数据 全球销量第一 电动牙刷", None),
    ("本品牌最轻薄的一款 羽绒服", None),  # self-comparison
    ("致力于打造最好的中国茶 龙井", None),  # a stated aim
    ("宣纸 国家级非物质文化遗产", None),  # an honour's exact name
    ("得力万能胶 50ml", None),  # a generic product name
    ("电饭煲 最大容量5L", None),  # a specification
    ("坚果 最佳赏味期90天", None),  # a consumer tip
    ("格力空调 国家一级能效", None),  # a standard grade
    ("颈椎治疗仪 家用理疗", "医疗器械"),  # a device may name its treatment
    ("布洛芬缓释胶囊 止痛", "药品 OTC"),
    ("收腰显瘦连衣裙", None),
    ("保湿面霜 改善干燥", "美妆"),
    ("洗衣凝珠 香水型 除菌除螨", None),  # 除菌 is a cosmetics term; a detergent may claim it
])
def test_lawful_uses_are_not_flagged(text, category):
    assert check_terms(text, "cn_adlaw", category=category) == []


@pytest.mark.parametrize(("text", "category", "expected"), [
    ("可治疗失眠的枕头", None, "枕头"),  # never "可失眠"
    ("包治百病 膏药", None, "膏药"),  # never "百病"
    ("全网最低价 T恤", None, "T恤"),
    ("花花 最美长裙", None, "花花 长裙"),  # never "美长裙"
    ("最舒服的枕头", None, "枕头"),  # never "服的枕头"
    ("南山里 口感极佳 茶叶", None, "南山里 茶叶"),  # the claim's subject goes with it
    ("云朵 性价比之王 T恤", None, "云朵 T恤"),
    ("青禾 中药面膜 30ml", "美妆", "青禾 面膜 30ml"),  # a claim that only modifies the product word
    ("纯棉T恤 疗效显著 圆领", None, "纯棉T恤 圆领"),
    ("【全网第一】面膜", None, "面膜"),  # no empty brackets left behind
    ("花花 最新款 连衣裙", None, "花花 新款 连衣裙"),  # a lawful meaning kept
])
def test_fix_removes_the_whole_claim(text, category, expected):
    assert fixed(text, category) == expected


def test_a_deletion_never_cuts_a_word():
    # "最强" is listed, "最强大" is not: the checker's segmenter takes the rest of the word with it
    chk = Checker("taobao", grounding=False)
    out, _, _ = chk.check_and_fix("云朵 最强大性能 电饭煲", Product(id="w", lang="zh"))
    # … and "性能", left alone in its segment, said nothing without the claim: the segment goes
    assert out == "云朵 电饭煲"
    out, _, _ = chk.check_and_fix("云朵 最强大电饭煲 4L", Product(id="w", lang="zh"))
    assert out == "云朵 电饭煲 4L"  # a product word left in its segment stays


def test_no_safe_fix_leaves_the_text_for_the_seller():
    # 治疗仪 on a massager claims a treatment; deleting 治疗 would leave "颈椎仪"
    [f] = check_terms("颈椎治疗仪 按摩器", "cn_adlaw")
    assert f.rule == "adlaw.disease" and f.severity == "error" and f.fix is None


@pytest.mark.parametrize(("text", "rule"), [
    ("特供茶 礼盒", "adlaw.authority_unclear"),  # 特供 for whom?
    ("天猫销量第一 面膜", "adlaw.absolute"),  # a source but no time
    ("限时抢购 外套", "adlaw.limited_time"),  # until when?
    ("百年老字号 糕点", "adlaw.authority_unclear"),
])
def test_undecidable_is_a_warning_that_asks(text, rule):
    found = check_terms(text, "cn_adlaw")
    f = next(f for f in found if f.rule == rule)
    assert f.severity == "warning" and f.fix is None
    assert fixed(text) == text  # nothing is deleted for a warning


def test_state_body_supply_is_an_error():
    [f] = check_terms("政府特供茶叶", "cn_adlaw")
    assert f.rule == "adlaw.authority" and f.severity == "error" and f.fix == ""


def test_category_decides_efficacy_words():
    # a disease claim: unlawful for a cosmetic or a food, lawful for a drug
    assert check_terms("止咳糖浆 止咳", "cn_adlaw", category="药品") == []
    assert {f.rule for f in check_terms("润喉糖 止咳", "cn_adlaw", category="食品 糖果")} == {"adlaw.disease"}
    # cosmetics-only terms: by the declared category, or by a product word in the text itself
    assert check_terms("抗菌 洗手液", "cn_adlaw") == []
    assert {f.rule for f in check_terms("抗菌 洗手液", "cn_adlaw", category="美妆 洗护 沐浴")} == {"cosmetics.claims"}
    assert {f.rule for f in check_terms("抗菌面膜 补水", "cn_adlaw")} == {"cosmetics.claims"}
    # a health function: not for an ordinary food, lawful for a registered health food
    assert {f.rule for f in check_terms("黑芝麻丸 增强免疫力", "cn_adlaw", category="食品")} == {"food.health_claims"}
    assert check_terms("蛋白粉 增强免疫力", "cn_adlaw", category="保健食品 蓝帽") == []
    # a category only lifts a class when declared, never because the text mentions a drug
    assert check_terms("药品级 治疗失眠 枕头", "cn_adlaw") != []


def test_checker_passes_the_products_category():
    chk = Checker("taobao", grounding=False)
    drug = Product(id="d", lang="zh", category="药品 OTC")
    food = Product(id="f", lang="zh", attributes=[("品类", "零食 饼干")])
    assert not [f for f in chk.check("止咳糖浆 止咳", drug) if f.rule.startswith("adlaw.")]
    assert "adlaw.disease" in {f.rule for f in chk.check("饼干 止咳", food)}


def test_allow_a_registered_name():
    assert check_terms("首选生活 毛巾", "cn_adlaw") != []
    assert check_terms("首选生活 毛巾", "cn_adlaw", allow=["首选生活"]) == []


def test_stuffed_title_comes_out_clean():
    text = "云朵 再不抢就没了 纯棉T恤 全国十大品牌之一 圆领短袖 性价比之王 包治百病 国家领导人同款"
    chk = Checker("taobao", grounding=False)
    p = Product(id="s", lang="zh", category="服装")
    out, done, left = chk.check_and_fix(text, p)
    assert out == "云朵 纯棉T恤 圆领短袖"
    assert not [f for f in left if f.rule.startswith("adlaw.")]
    assert {f.rule for f in done} >= {"adlaw.inducement", "adlaw.absolute", "adlaw.efficacy", "adlaw.authority"}


@pytest.mark.parametrize("phrase", ["100% Satisfaction Guaranteed", "Buy Now", "Lowest Price Ever", "Free Gift",
                                    "Top Seller", "Amazon's Choice", "Best Seller", "Money Back Guarantee",
                                    "50% Off", "While Supplies Last"])
def test_amazon_promotional_patterns(phrase):
    chk = Checker("amazon", grounding=False)
    text = f"Acme Steel Water Bottle 32oz {phrase}"
    found = [f for f in chk.check(text, None) if f.rule == "amazon.promo"]
    assert found and found[0].basis
    out, _, _ = chk.check_and_fix(text, None)
    assert out == "Acme Steel Water Bottle 32oz"


def test_amazon_promo_needs_whole_words():
    chk = Checker("amazon", grounding=False)
    assert not [f for f in chk.check("Wholesale Saleen Model Car 1:24 Scale", None) if f.rule == "amazon.promo"]


def test_google_promotional_patterns():
    found = Checker("google", grounding=False).check("Acme Yoga Mat - Buy Now, Free Shipping", None)
    assert [f.text for f in found if f.rule == "google.promo"] == ["Buy Now", "Free Shipping"]


@pytest.mark.skipif(not DATA.exists(), reason="needs ../shared/data (the shared real data) next to the repo")
def test_issue_false_alarms_on_real_titles_are_gone():
    # the false alarms the issue found on real titles: platform exclusives, 新品首发, fibre content
    import json

    titles = [json.loads(line)["title"] for name in ("zh_taobao_cosmetics_sales.jsonl", "zh_openbg_titles.jsonl")
              for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
    picked = [t for t in titles if any(k in t for k in ("Tmall专供", "11.11特供", "新品首发", "100%纯羊毛"))]
    assert len(picked) >= 4
    for t in picked:
        assert not [f for f in check_terms(t, "cn_adlaw") if f.rule == "adlaw.authority_unclear"
                    or "首发" in f.text or "100%" in f.text], t


# ------------------------------------------------------------------------------------ round two: kinds of claim
@pytest.mark.parametrize(("text", "category", "rule"), [
    # a disease verb with its object, the object first, cells, TCM organs and meridians, sexual performance
    ("洛神花茶 降低血脂 30包", "食品", "adlaw.disease"),
    ("按摩仪 疏通血管", None, "adlaw.disease"),
    ("纳豆胶囊 斑块快速清除", "食品", "adlaw.disease"),
    ("面霜 细胞活化 50g", "美妆", "adlaw.disease"),
    ("阿胶膏 调理脾胃", "食品", "adlaw.disease"),
    ("玛卡 一夜五次", None, "adlaw.disease"),
    ("口罩 抗流感病毒", None, "adlaw.disease"),
    # speed and ease of effect, a recipe claimed by its age
    ("身体乳 秒变白", None, "adlaw.efficacy"),
    ("精华 14天效果看得见", "美妆", "adlaw.efficacy"),
    ("酵素 越吃越瘦", "食品", "adlaw.efficacy"),
    ("膏药 止痛就是快", None, "adlaw.efficacy"),
    ("理疗仪 不吃药不打针", None, "adlaw.efficacy"),
    ("枕头 彻底告别失眠", None, "adlaw.efficacy"),
    ("药酒 千年秘方", None, "adlaw.efficacy"),
    # body shaping for cosmetics, body functions and fat for foods, breast-milk substitutes for infant foods
    ("纤体霜 瘦大腿", "美妆", "cosmetics.claims"),
    ("核桃 提高记忆力", "食品", "food.health_claims"),
    ("代餐 消小肚腩", "食品", "food.health_claims"),
    ("婴儿奶粉 接近母乳", "母婴 奶粉", "adlaw.breast_milk"),
    # absolute scopes and a variant of 最; state names
    ("蜂蜜 世界公认", "食品", "adlaw.absolute"),
    ("水泵 行业龙头", None, "adlaw.absolute"),
    ("蕞美 连衣裙", None, "adlaw.absolute"),
    ("洗衣液 十大国货品牌", None, "adlaw.absolute"),
    ("床垫 CCTV合作品牌", None, "adlaw.authority"),
    ("白酒 武警部队监制", None, "adlaw.authority"),
    ("膏药 病友推荐", None, "adlaw.endorsement"),
    # prices to come, fortune, gambling, exams and returns
    ("空调 明日涨价", None, "adlaw.inducement"),
    ("零利润 羽绒服", None, "adlaw.inducement"),
    ("貔貅 增强财运", None, "adlaw.superstition"),
    ("桃木 旺宅", None, "adlaw.superstition"),
    ("貔貅摆件 财源广进", None, "adlaw.fortune"),
    ("时时彩 包中秘籍", None, "adlaw.gambling"),
    ("出题人授课 网课", None, "adlaw.guarantee"),
    ("网课 不及格退费", None, "adlaw.guarantee"),
    ("理财 8%年化收益", None, "adlaw.guarantee"),
    ("临街商铺 十年回本", None, "adlaw.guarantee"),
])
def test_round_two_kinds_of_claim(text, category, rule):
    found = check_terms(text, "cn_adlaw", category=category)
    assert rule in {f.rule for f in found}, [(f.rule, f.text) for f in found]
    f = next(f for f in found if f.rule == rule)
    assert f.severity == "error" and f.basis


@pytest.mark.parametrize(("text", "category", "rule"), [
    ("T恤 今天特价", None, "adlaw.limited_time"),  # today: which day? the seller says
    ("白酒 内部供应", None, "adlaw.authority_unclear"),  # an organ's own supply, or a company's?
])
def test_round_two_warnings_that_ask(text, category, rule):
    [f] = check_terms(text, "cn_adlaw", category=category)
    assert f.rule == rule and f.severity == "warning" and f.fix is None


@pytest.mark.parametrize(("text", "category"), [
    ("财源广进 春联 对联", None),  # a blessing printed on a couplet is its content
    ("佛龛 室内供奉 香炉", None),  # 室内|供奉, not 内供
    ("宽口径 仿母乳奶嘴 奶瓶", "母婴"),  # a teat's shape
    ("幼猫羊奶粉 替代母乳", "宠物"),  # no infant food
    ("【双11当天专享】洁面膏", "美妆"),  # the event names the day
    ("国家强制性产品认证 插座", None),
    ("首席设计师款 连衣裙", None),  # a job title
    ("抖音同款 水龙头起泡器", None),  # a platform is no person
])
def test_round_two_lawful_uses(text, category):
    assert check_terms(text, "cn_adlaw", category=category) == []


@pytest.mark.parametrize(("text", "flagged"), [
    # seller prose: a superlative that ranks the item's own features, a discourse marker, an idiom, a film's title,
    # fibre content and a word that is no name are lawful; a superlative about the goods is not
    ("这条裙子最大的亮点在于腰封设计，最重要的是显瘦。", False),
    ("把优雅发挥到了极致，有《王牌特工》的味道。", False),
    ("选用百分百的纯棉面料，即便是同款也有不同色呈现。", False),
    ("卫衣绝对是秋季首选。", True),
    ("简单大气的白色连衣裙，是开春季节最美好的穿搭单品。", True),
    ("最最别样灵动的设计亮点在于一字肩，水手领成为视线中最美的焦点。", False),  # its own features ranked (round seven)
    ("最满意于经典的圆领设计。", False),
])
def test_description_prose(text, flagged):
    found = [f for f in Checker("taobao", grounding=False).check(text, None, field="description")
             if f.rule.startswith("adlaw.")]
    assert bool(found) == flagged, [(f.rule, f.text) for f in found]


def test_taobao_rules_on_original_price_and_fake_penalties():
    chk = Checker("taobao", grounding=False)
    found = [f for f in chk.check("原价299 现价99 羊毛围巾 假一罚万", None) if f.rule == "taobao.promo"]
    assert [f.text for f in found] == ["原价299", "假一罚万"] and all(f.basis for f in found)
    out, _, _ = chk.check_and_fix("羊毛围巾 原价299 女冬", Product(id="p", lang="zh"))
    assert out == "羊毛围巾 女冬"


# ------------------------------------------------------------------------------------------ Amazon bullet rules
BULLETS = """Eco-friendly bamboo fiber, soft and antibacterial
If you are not satisfied, full refund, no questions asked
Brand™ design; size N/A
Contact us at help@acme.com or www.acme.com
Only $19.99, in stock, ships today with free shipping
Sixth bullet"""


def test_amazon_bullet_rules():
    found = Checker("amazon", grounding=False).check(BULLETS, None, field="bullets")
    claims = [f.text for f in found if f.rule == "amazon.bullet_claim"]
    assert claims == ["Eco-friendly", "antibacterial", "If you are not satisfied", "full refund",
                      "no questions asked", "N/A", "help@acme.com", "www.acme.com", "$19.99", "in stock",
                      "ships today", "free shipping"]
    assert all(f.fix is None and f.severity == "error" and "sellercentral" in f.basis for f in found
               if f.rule == "amazon.bullet_claim")  # reworded by the seller: a cut claim leaves a fragment
    [tm] = [f for f in found if f.rule == "amazon.bullet_chars"]
    assert tm.text == "™" and tm.fix == ""
    [count] = [f for f in found if f.rule == "amazon.bullets_count"]
    assert count.severity == "warning" and "6 bullets" in count.message


def test_amazon_bullets_joined_with_bars_length_and_lawful_text():
    long = "Keeps drinks cold for 24 hours " * 10
    text = f"Stainless steel body|{long}|BEE 5 star rated energy efficiency|Fits most cup holders"
    found = Checker("amazon", grounding=False).check(text, None, field="bullets")
    assert [f.rule for f in found] == ["amazon.bullet_length"]  # four bullets; an energy grade is no review
    assert found[0].severity == "warning" and text[found[0].start:found[0].end] == long.strip()
    # a platform without bullet rules checks only what every field gets (emoji, the law)
    # (the US claims rules are the law there: an unqualified "eco-friendly" is one of their findings)
    assert [f.rule for f in Checker("shopify", grounding=False).check("Eco-friendly ✅", None, field="bullets")] == [
        "us.environmental", "text.emoji"]


def test_check_command_reads_a_bullets_column(tmp_path):
    from listingforge.cli.check import run_check

    src = tmp_path / "c.csv"
    src.write_text('title,brand,bullets\n"Acme Steel Water Bottle 32oz",Acme,"Eco-friendly steel|Full refund"\n'
                   '"Acme Yoga Mat 6mm",Acme,"Non slip surface|Easy to clean"\n', encoding="utf-8")
    counts, n, _ = run_check(src, tmp_path / "out.csv", platforms=["amazon"], progress=False)
    assert n == 2 and counts[("amazon.bullet_claim", "error")] == (2, 1)
    assert "Eco-friendly" in (tmp_path / "out.csv").read_text(encoding="utf-8")


def test_a_term_inside_a_registered_brand_name_is_lawful_and_a_brand_that_is_only_the_term_is_no_cover() -> None:
    """SAMR 2023 guideline (d): 至尊 in 酷冷至尊 (Cooler Master's Chinese name) is a trademark, not a claim; 永久 is a
    bicycle brand too, but "永久不变形" on a mattress is a claim all the same; with a brand column the column decides."""
    check = Checker("taobao", grounding=False)
    assert not [f for f in check.check("酷冷至尊 GX650 电源 额定650W") if f.rule.startswith("adlaw.")]
    assert [f.text for f in check.check("至尊披萨 12寸") if f.rule.startswith("adlaw.")] == ["至尊"]
    assert [f for f in check.check("永久不变形 花间集 床垫 独立弹簧") if f.rule.startswith("adlaw.")]
    own = Product(id="b", brand="花间集", title="酷冷至尊 电源")  # the seller says whose product it is
    assert [f for f in check.check("酷冷至尊 电源", own) if f.rule.startswith("adlaw.")]


def test_no_added_claims_on_food_are_a_warning_that_asks_and_nothing_outside_food() -> None:
    """GB 7718-2025 (in force 2027-03-16) bars "不添加/零添加" on food labels: in a seller's own title a warning that
    is reported and left for the seller; in text listingforge writes, its own words, it is taken out."""
    check = Checker("taobao", grounding=False)
    nuts = Product(id="n", category="食品 > 坚果", title="山野 夏威夷果 奶油味 500g 无添加")
    found = [f for f in check.check(nuts.title, nuts) if f.rule == "food.no_added"]
    assert [(f.severity, f.text) for f in found] == [("warning", "无添加")] and found[0].basis
    kept, _fixed, left = check.check_and_fix(nuts.title, nuts, fix_warnings=False)
    assert kept == nuts.title and [f.rule for f in left if f.rule == "food.no_added"]
    assert check.check_and_fix(nuts.title, nuts)[0] == "山野 夏威夷果 奶油味 500g"
    soap = Product(id="s", category="日用 > 洗衣液", title="无添加 洗衣液 2kg")
    assert not [f for f in check.check(soap.title, soap) if f.rule == "food.no_added"]


def test_a_game_items_duration_or_tier_states_a_fact_and_nothing_else_is_lifted() -> None:
    def rules(text, category=None):
        return [(f.rule, f.text) for f in check_terms(text, "cn_adlaw", category=category)]

    assert rules("穿越火线 cf天龙awm狙击 天龙永久") == []  # the item's duration, in a game named by the title
    assert rules("绝版qq秀限量男 做回自己") == []  # an item no longer issued
    assert rules("月卡至尊卡礼包", category="网游装备 > 游戏币") == []  # a tier the game gives it, by the category
    assert any(r == "adlaw.absolute" for r, _ in rules("永久保值 足金手镯"))  # outside virtual goods it is a claim
    assert any(t == "最强" for _, t in rules("王者荣耀 最强账号 充值"))  # and other terms stay claims there


def test_a_special_cosmetics_effect_on_a_product_declared_ordinary_is_a_warning_that_asks() -> None:
    chk = Checker("taobao", grounding=False)

    def _rules(text, *attrs):
        p = Product(id="c", lang="zh", attributes=list(attrs))
        return [(f.rule, f.severity, f.text) for f in chk.check(text, p, grounding=False)
                if f.rule == "cosmetics.special_efficacy"]

    ordinary = ("是否为特殊用途化妆品", "否")
    assert _rules("护手霜补水美白保湿", ordinary, ("批准文号", "粤G妆网备字2017000001")) == [
        ("cosmetics.special_efficacy", "warning", "美白")]
    assert _rules("生姜洗发水防脱", ordinary)  # 防脱发 is a special cosmetic's effect since 2021
    assert _rules("隔离霜美白防晒", ordinary, ("批准文号", "国妆特字G20151306")) == []  # registered: lawful
    assert _rules("隔离霜美白防晒", ("是否为特殊用途化妆品", "是")) == []
    assert _rules("美白防晒霜") == []  # no declaration: the text alone cannot decide
    assert _rules("染发梳 护手霜", ordinary) == []  # a tool named for the effect claims nothing


def law_rules(text: str, category: str | None = None) -> set[str]:
    """The rules of the Chinese law data a title breaks."""
    return {f.rule for f in check_terms(text, "cn_adlaw", category=category)}


@functools.cache
def _taobao_checker() -> Checker:
    return Checker("taobao", grounding=False)


def fixed_title(text: str, category: str | None = None) -> str:
    """A title after the taobao checker's fixes."""
    return _taobao_checker().check_and_fix(text, Product(id="t", lang="zh", title=text, category=category))[0]


def test_claims_found_as_kinds_not_words_and_a_consular_service_is_no_endorsement() -> None:
    # round three's kinds, each from a sixth set's miss, on wordings that set did not use
    assert "adlaw.authority" in law_rules("酱香白酒 军中名酒 将军品鉴 53度")
    assert "adlaw.authority" in law_rules("净水器 携手中国科学院 研发")
    assert "adlaw.disease" in law_rules("艾草足贴 痛风三天就好了", category="家居 足贴")
    assert "adlaw.disease" in law_rules("蒲公英茶 治疗几十种病", category="食品 茶叶")
    assert "adlaw.disease" in law_rules("红曲胶囊 血脂指标恢复正常", category="保健食品 胶囊")
    assert "adlaw.inducement" in law_rules("真丝睡衣 标错价 手慢无")
    assert "consumer.disclaimer" in law_rules("满300减50 本活动解释权归本店所有")
    assert "adlaw.superstition" in law_rules("貔貅手链 化解小人是非")
    assert "adlaw.absolute" in law_rules("最Cool机械键盘 87键")
    # a ministry's consular legalization is the service sold, not an endorsement
    assert law_rules("涉外公证翻译 外交部认证 使馆双认证") == set()
    # a disease word with no claim of a cure stays lawful
    assert law_rules("痛风患者适用 低嘌呤食谱书", category="图书 食谱") == set()


def test_round_five_kinds_from_industries_with_their_own_rules_and_their_lawful_neighbours() -> None:
    # round five's kinds, each from a seventh set's miss, on wordings that set did not use
    assert "adlaw.authority" in law_rules("稳盈理财计划 国资委背景 保本", category="金融 理财")
    assert "adlaw.authority" in law_rules("骆驼奶粉 世界卫生组织推荐 300g", category="食品 乳粉")
    assert "adlaw.disease" in law_rules("猴头菇饼干 反酸烧心很快缓解", category="食品 饼干")
    assert "adlaw.disease" in law_rules("益生菌 抑制幽门螺杆菌 护胃", category="食品")
    assert "adlaw.myopia" in law_rules("护眼仪 弱视三个月康复", category="医疗器械 理疗")
    assert "food.health_claims" in law_rules("核桃粉 让宝宝越来越聪明", category="食品 冲饮")
    assert "food.health_claims" in law_rules("荞麦面 高血压人群放心吃", category="食品 粮油")
    assert "adlaw.efficacy" in law_rules("酵素果冻 躺着也能减肥", category="食品 零食")
    assert "adlaw.medical_beauty" in law_rules("双眼皮手术 无恢复期", category="医美 整形")
    assert "adlaw.ecig" in law_rules("一次性雾化棒 帮助戒烟 薄荷味", category="电子烟")
    assert "adlaw.agri_inputs" in law_rules("复合肥 每亩增收300元", category="农资 肥料")
    assert "adlaw.realestate" in law_rules("地铁口新盘 购房即上重点小学")
    assert "adlaw.inducement" in law_rules("南红手串 专柜卖你2000多块 今天99", category="珠宝")
    assert "adlaw.inducement" in law_rules("冰箱 抽奖特等奖宝马一辆", category="家电")
    assert "adlaw.guarantee" in law_rules("高考冲刺班 保提分 一对一", category="教育培训")
    assert "cosmetics.claims" in law_rules("去屑洗发水 湿疹适用", category="美妆 洗发水")
    # their lawful neighbours: the same words where the kind's own rule does not reach
    assert law_rules("户口本保护套 送户口本夹", category="办公 证件套") == set()
    assert law_rules("洗洁精 无残留 1kg", category="日用 清洁") == set()
    assert law_rules("近视眼镜框 超轻tr90", category="眼镜") == set()
    assert law_rules("全麦面包分享装 8包", category="食品 面包") == set()


# round six's kinds, each from an eighth set's miss, on wordings that set did not use: (rule, title, category)
ROUND_SIX = [
    ("adlaw.absolute", "人体工学办公椅 久坐不累 可躺", "家具 办公椅"),
    ("adlaw.absolute", "牛皮工装靴 一辈子穿不坏 男", "鞋靴 工装靴"),
    ("adlaw.absolute", "蟑螂药 全屋蟑螂全杀 10支", "家居 杀虫"),
    ("adlaw.authority", "防脱洗发水 20位皮肤科专家研发 400ml", "美妆 洗发水"),
    ("adlaw.authority", "乳胶枕 省消费者协会推荐 单只", "家纺 枕头"),
    ("adlaw.efficacy", "祛痘凝胶 五天消痘印 20g", "美妆 精华"),
    ("adlaw.efficacy", "增高鞋垫 30岁以下都能长高", "鞋垫"),
    ("adlaw.efficacy", "牙齿美白笔 一涂就白 2支", "个护 口腔"),
    ("adlaw.disease", "川贝枇杷膏 吃了不咳嗽 300g", "食品 滋补"),
    ("adlaw.disease", "苦荞茶 糖友也能喝 30包", "茶 代用茶"),
    ("cosmetics.claims", "首乌洗发露 白发变黑 500ml", "美妆 洗发水"),
    ("adlaw.inducement", "真丝睡衣 下播就涨价到399元", "女装 睡衣"),
    ("adlaw.inducement", "机械键盘 比实体店便宜300元", "数码 键盘"),
    ("adlaw.alcohol", "精酿啤酒 每天必须喝一杯 500ml", "酒类 啤酒"),
    ("adlaw.fake_unit", "充电宝 60000M 快充", None),
]
# their lawful neighbours: the same words where the kind's own rule does not reach
ROUND_SIX_LAWFUL = [("集成吊顶 铝扣板天花板 300x300", "建材 吊顶"), ("婴儿奶嘴 母乳实感 宽口径 2只装", "母婴 奶嘴"),
                    ("蕾丝连衣裙 一抹灵动的蓝", "女装 连衣裙"), ("存钱罐 偷钱猫 创意礼物", "家居 摆件"),
                    ("清仓连衣裙 最后一件", "女装 连衣裙"), ("充电宝 20000m毫安 快充", None)]


# round seven (after the ninth held-out set, M): kinds of claim, each in a title of its own words (not the set's)
ROUND_SEVEN = [
    ("adlaw.authority", "野生蜂蜜 市委领导视察时点赞 500g", "滋补 蜂蜜"),
    ("adlaw.authority", "儿童绘本 联合国教科文组织推荐 10册", "图书 绘本"),
    ("adlaw.authority", "红枣 一带一路重点项目 新疆 1kg", "食品 红枣"),
    ("adlaw.endorsement", "护眼台灯 眼科医生首选 学生书桌", "家居 台灯"),
    ("adlaw.disease", "漱口水 解决牙痛问题 500ml", "个护 漱口水"),
    ("adlaw.disease", "按摩枕 减缓头疼 车载家用", "个护 按摩枕"),
    ("adlaw.disease", "艾灸贴 激活卵巢功能 10贴", "个护 艾灸贴"),
    ("adlaw.efficacy", "鱼油软胶囊 预防率高达95%", "食品 鱼油"),
    ("adlaw.efficacy", "跳绳 跳10分钟等于跑步1小时", "运动 跳绳"),
    ("food.health_claims", "葛根解酒片 30分钟解酒 应酬", "食品 压片糖果"),
    ("food.health_claims", "普洱熟茶 平衡荷尔蒙 357g", "茶 普洱"),
    ("cosmetics.children", "儿童润唇膏 食品级 草莓味", "母婴 儿童润唇膏"),
    ("adlaw.inducement", "全网底价 保温杯 500ml", "家居 保温杯"),
    ("adlaw.superstition", "紫水晶手链 平衡五行 女款", "珠宝 手链"),
    ("adlaw.furniture_material", "实木+密度板书柜 简约 五层", "家具 书柜"),
]
# their lawful neighbours: the job title 主治医师, a named 3C certification, a lip balm for adults, a board named
ROUND_SEVEN_LAWFUL = [("主治医师考试用书 2026 题库", "图书 考试"), ("充电宝 3C国家认证 20000mAh", "数码 充电宝"),
                      ("润唇膏 食品级蜂蜡 男女", "美妆 润唇膏"), ("颗粒板书柜 简约 五层", "家具 书柜"),
                      ("黑茶 金花茯砖 1kg 礼盒装", "茶 黑茶")]


# round eight's kinds, each from a tenth set's miss (benchmarks/data/compliance/test_terms_n.toml), in other words
ROUND_EIGHT = [
    ("adlaw.absolute", "降噪耳机 音质巅峰之作 蓝牙5.3", "数码 耳机"),
    ("adlaw.endorsement", "艾灸贴 北京中医药大学技术指导 30贴", "个护 艾灸"),
    ("adlaw.endorsement", "钙片 中国营养协会推荐 中老年", "食品 营养品"),
    ("adlaw.endorsement", "自发热护膝 老中医配方 男女", "个护 护膝"),
    ("adlaw.endorsement", "氨基酸洗面奶 眼科专科研发 温和", "美妆 洁面"),
    ("adlaw.disease", "按摩坐垫 改善前列腺 久坐", "家居 坐垫"),
    ("adlaw.disease", "乳腺贴 调理乳腺增生 女士", "个护 贴"),
    ("adlaw.disease", "金银花牙膏 去牙龈上火 120g", "个护 牙膏"),
    ("adlaw.disease", "碱性水杯 改善酸性体质 便携", "家居 水杯"),
    ("adlaw.disease", "富氢水机 喝自来水会得结石病", "家电 水机"),
    ("adlaw.disease", "竹炭面膜 吸附重金属 深层清洁", "美妆 面膜"),
    ("adlaw.disease", "丰胸精油 胸部二次发育 紧致", "美妆 精油"),
    ("adlaw.efficacy", "儿童钙片 促进牙齿再生 60片", "食品 营养品"),
    ("cosmetics.claims", "修护精华 含生长因子 30ml", "美妆 精华"),
    ("cosmetics.claims", "刮痧精油 通脉活络 50ml", "个护 精油"),
    ("food.health_claims", "桂圆红枣茶 暖胃 养生", "茶 花草茶"),
    ("food.health_claims", "凉茶 清热解火 24罐", "饮品 凉茶"),
    ("adlaw.safety_assurance", "美白牙膏 无效包退 100g", "个护 牙膏"),
    ("adlaw.inducement", "羊绒围巾 专柜3折 秋冬", "服饰 围巾"),
    ("adlaw.inducement", "瑜伽私教课 名额只剩5个", "运动 课程"),
]
# ... and where the same words are lawful: a company's own institute, a spec, a drug's indication, "learns"
ROUND_EIGHT_LAWFUL = [("资生堂研究所研发 防晒乳 50ml", "美妆 防晒"), ("外贸尾单 捡漏 休闲鞋 男", "鞋 休闲鞋"),
                      ("女童连衣裙 最小尺码80cm 夏季", "童装 连衣裙"), ("清肺抑火片 咽喉肿痛 24片", "药品 OTC"),
                      ("宝宝学会走路学步车推荐 防侧翻", "母婴 学步车")]


# round nine's kinds, each from an eleventh set's miss (benchmarks/data/compliance/test_terms_o.toml), in other words
ROUND_NINE = [
    ("adlaw.authority", "复旦大学联名 保温杯 316不锈钢", "家居 水杯"),
    ("adlaw.authority", "秋梨膏 北京中医药研究所配方 300g", "食品 滋补"),
    ("adlaw.authority", "东北大米 政府定价 10kg", "食品 大米"),
    ("adlaw.endorsement", "貔貅手链 风水大师推荐 男士", "珠宝 手链"),
    ("adlaw.disease", "儿童益生菌 改善多动障碍 30袋", "食品 营养品"),
    ("adlaw.disease", "护龈牙膏 牙龈萎缩修复 120g", "个护 牙膏"),
    ("adlaw.disease", "乳清蛋白粉 胃病患者首选 罐装", "食品 营养品"),
    ("adlaw.disease", "量子医学理疗仪 家用", "家电 理疗"),
    ("adlaw.disease", "足浴粉 打通微循环 30包", "个护 足浴"),
    ("food.health_claims", "核桃乳 增益脑力 学生 24罐", "饮品 植物蛋白饮料"),
    ("cosmetics.claims", "迷迭香精油 增强记忆力 10ml", "个护 精油"),
    ("adlaw.efficacy", "文创摆件 开启智慧 书桌", "文创 摆件"),
    ("adlaw.efficacy", "艾灸盒 一个顶30种功效 家用", "个护 艾灸"),
    ("adlaw.efficacy", "玫瑰精华 14天奇迹般焕发光彩 30ml", "美妆 精华"),
    ("adlaw.safety_assurance", "宝宝面霜 安全有效 50g", "美妆 面霜"),
    ("cosmetics.claims", "胜肽眼霜 抚平皱纹 15g", "美妆 眼霜"),
    ("adlaw.inducement", "原木抽纸 工厂马上停产 24包", "日用 纸巾"),
    ("adlaw.inducement", "盲盒手办 隐藏款商家高价回购", "玩具 盲盒"),
    ("adlaw.superstition", "黑曜石手串 先天命理 男款", "珠宝 手串"),
    ("adlaw.formaldehyde", "除醛果冻 3天入住 新房", "家居 除醛"),
    ("adlaw.fuel_saving", "燃油宝 节油率15% 6支装", "汽车用品 燃油添加剂"),
]
# ... and where the same words are lawful: a university's press, a corrector named as a product, news of a launch
ROUND_NINE_LAWFUL = [("复旦大学出版社 高等数学 第七版", "图书 教材"), ("驼背矫正带 成人 隐形", "个护 矫正带"),
                     ("新品即将上市 敬请期待 保温杯", "家居 水杯"), ("北大荒 东北大米 5kg", "食品 大米")]


# round ten's kinds, each from a twelfth set's miss (benchmarks/data/compliance/test_terms_p.toml), in other words
ROUND_TEN = [
    ("adlaw.absolute", "纪念币珍藏册 有史以来最全 礼盒", "收藏 钱币"),
    ("adlaw.authority", "小学英语同步练习 国家教育资源中心推荐", "图书 教辅"),
    ("adlaw.authority", "四大名著 新课标必读 青少年版", "图书 名著"),
    ("adlaw.authority", "84消毒液 消准字 家用 500ml", "日用 消毒"),
    ("adlaw.disease", "猫咪眼药水 预防白内障 10ml", "宠物 保健"),
    ("adlaw.disease", "婴儿定型枕 矫正偏头 新生儿", "母婴 枕头"),
    ("adlaw.efficacy", "跳绳 跳10分钟=跑步30分钟 计数", "运动 跳绳"),
    ("adlaw.agri_inputs", "吡虫啉杀虫剂 对人体无害 蔬菜 100ml", "农资 杀虫剂"),
    ("adlaw.agri_inputs", "驱蚊液 孕婴适用 儿童 60ml", "日用 驱蚊"),
    ("adlaw.guarantee", "PS设计课 7天学会精修 网课", "教育 网课"),
    ("adlaw.guarantee", "生肖银币 升值潜力巨大 收藏", "收藏 钱币"),
    ("adlaw.sun_protection", "防晒霜 SPF90 户外 50ml", "美妆 防晒"),
    ("adlaw.sun_protection", "冰袖 UPF200+ 男女 夏季", "服饰 冰袖"),
]
# ... and where the same words are lawful: a discount "up to", SPF50 glued to a volume, a real disinfectant number, the
# textbooks' edition, a rating the standard allows
ROUND_TEN_LAWFUL = [("【至高立省200元】5G手机 8+256G", "数码 手机"), ("保湿防护乳spf5030ml", "美妆 防晒"),
                    ("84消毒液 卫消证字 500ml", "日用 消毒"), ("语文 统编版 七年级上册 课本", "图书 教材"),
                    ("防晒衣 UPF50+ 女 连帽", "服饰 防晒衣")]

# round eleven, from the thirteenth set's misses (in other words than the set's): a foreign company or imperial tribute
# as backer, a state group as parent, experts counted, organs repaired, drugs bettered, life lengthened, minutes to slim,
# a beauty salon matched, waters with powers, infant formula's vague milk source, property times and school places,
# an alcohol's morning after, study without study, a licence plate given away
ROUND_ELEVEN = [
    ("adlaw.authority", "羊奶粉 德国某某集团监制 中老年 800g", "食品 奶粉"),
    ("adlaw.authority", "53度酱香白酒 源自1708年宫廷贡酒 500ml", "酒类 白酒"),
    ("adlaw.authority", "左旋肉碱片 国药准字OTC 60片", "保健食品 体重管理"),
    ("adlaw.authority_unclear", "中国建材集团旗下 石膏板 9.5mm", "建材 石膏板"),
    ("adlaw.endorsement", "洗面奶 120位皮肤科医师认可 150g", "美妆 洁面"),
    ("adlaw.disease", "纳豆胶囊 修复受损血管 60粒", "保健食品 纳豆"),
    ("adlaw.disease", "苦瓜片 糖尿病并发症逆转 100片", "食品 压片糖果"),
    ("adlaw.disease", "人参片 胜过伟哥 男士 60片", "食品 压片糖果"),
    ("adlaw.disease", "艾草足贴 高血糖人群适用 50贴", "个护 足贴"),
    ("adlaw.efficacy", "灵芝孢子粉 多活十年 礼盒", "保健食品 灵芝"),
    ("adlaw.efficacy", "甩脂机 15分钟就能变瘦 家用", "运动 甩脂机"),
    ("adlaw.efficacy", "射频美容仪 媲美美容院效果 家用", "美容仪器 射频"),
    ("adlaw.efficacy", "净水器 活化水 厨下 直饮", "家用电器 净水器"),
    ("adlaw.ecig", "电子烟 零危害 换弹", "电子烟 雾化器"),
    ("food.infant_formula_label", "婴儿配方奶粉1段 原生态奶源 800g", "母婴 婴儿配方奶粉"),
    ("adlaw.realestate", "精装两居 8分钟直达市中心 南北通透", "房产 新房"),
    ("adlaw.realestate", "学区洋房 住阳光花园，上实验小学 三室", "房产 新房"),
    ("adlaw.realestate", "【楼王】湖景洋房 四室", "房产 新房"),
    ("adlaw.alcohol", "清香白酒 喝多了第二天不头疼 500ml", "酒类 白酒"),
    ("adlaw.guarantee", "函授本科 无需上课 报名", "教育 学历提升"),
    ("adlaw.guarantee", "抖音运营课 10分钟赚500元 零基础", "服务 网课"),
    ("adlaw.guarantee", "新能源车 购车送沪牌 现车", "汽车 整车"),
]
# ... and where the same words are lawful: the notice the law requires, a patent medicine's name, a named milk source,
# a distance in metres, a delivery time
ROUND_ELEVEN_LAWFUL = [("鱼油软胶囊 国食健注 本品不能代替药物 100粒", "保健食品 鱼油"), ("通窍耳聋丸 6g*6袋", None),
                       ("幼儿配方奶粉3段 奶源来自荷兰 800g", "母婴 幼儿配方奶粉"),
                       ("两室一厅 距地铁站约500米 南北通透", "房产 新房"), ("鲜花 同城30分钟送达 玫瑰", "鲜花 花束"),
                       ("酱香白酒 500ml 下单第二天发货", "酒类 白酒"),
                       # a display's colour gamut is a specification (found in a generated laptop title)
                       ("轻薄笔记本电脑 14英寸 sRGB≥100%", "消费电子 > 笔记本电脑"), ("显示器 100% sRGB 27英寸", "消费电子 > 显示器")]

# round twelve, from the fourteenth set's misses (in other words than the set's): a diagnosis a patch, a belt or a pillow
# is sold for, a verb of cure with its disease, the brain's cells and nerves, a therapy and a glucose test claimed for
# goods, a safety seat replaced, an income per mu of seed, a collectible that pays
ROUND_TWELVE = [
    ("adlaw.disease", "耳部热敷贴 治耳鸣 睡眠款 12贴", "个护 耳贴"),
    ("adlaw.disease", "按摩腰带 腰肌劳损 加热款", "个护 按摩器"),
    ("adlaw.disease", "护膝 股骨头坏死 老人 保暖", "个护 护膝"),
    ("adlaw.disease", "凯格尔球 改善子宫脱垂 女用", "个护 盆底肌"),
    ("adlaw.disease", "暖宫贴 改善痛经 20片", "个护 暖贴"),
    ("adlaw.disease", "助眠仪 调节植物神经紊乱 家用", "个护 助眠仪"),
    ("adlaw.disease", "DHA软糖 保护脑细胞 儿童 60粒", "食品 糖果"),
    ("adlaw.disease", "记忆棉枕 颈椎反弓 成人", "家居 枕头"),
    ("adlaw.disease", "三伏贴 冬病夏治 儿童 10贴", "个护 穴位贴"),
    ("adlaw.disease", "智能手环 无创血糖监测 老人", "数码 手环"),
    ("adlaw.disease", "红糖姜茶 寒气是万病之源 300g", "食品 红糖"),
    ("adlaw.disease", "通气鼻贴 一贴即通 30贴", "个护 鼻贴"),
    ("adlaw.efficacy", "增高坐垫 可替代安全座椅 儿童", "母婴 坐垫"),
    ("adlaw.agri_inputs", "羊肚菌菌种 亩收入5万元 高产", "农资 种子"),
    ("adlaw.guarantee", "金箔摆件 现买现赚 收藏", "收藏 摆件"),
]
# ... and where the same words are lawful: a pesticide's registered pests, the notice a non-drug carries, a boneless fish
ROUND_TWELVE_LAWFUL = [("吡虫啉可湿性粉剂 防治对象稻飞虱 100g", "农资 农药"), ("驱蚊贴 日用品 不可替代药品 60贴", "个护 驱蚊"),
                       ("巴沙鱼片 无骨刺 1kg", "食品 水产")]

# round thirteen, from the fifteenth set's misses (in other words than the set's): a diagnosis a worn good is sold for, a
# bureau as co-organiser, the blood's viscosity and eye pressure lowered, the retina cared for, a clinic's treatment and a
# TCM therapy claimed for goods, a film no hammer breaks, zero irritation, negative ions as air's vitamins, a lead with
# its years
ROUND_THIRTEEN = [
    ("adlaw.disease", "加热护腕 腱鞘炎 女士 2只", "个护 护腕"),
    ("adlaw.disease", "人体工学鼠标垫 鼠标手 办公", "数码 鼠标垫"),
    ("adlaw.disease", "矫正鞋垫 扁平足 儿童 一双", "个护 鞋垫"),
    ("adlaw.disease", "托玛琳护膝 强直性脊柱炎 发热款", "个护 护膝"),
    ("adlaw.disease", "锗石手链 冠心病 中老年", "饰品 手链"),
    ("adlaw.disease", "电热护腰 肾虚腰痛 男士", "个护 护腰"),
    ("adlaw.disease", "纳米项链 降低血黏度 礼盒", "饰品 项链"),
    ("adlaw.disease", "蒸汽眼罩 降眼压 30片", "个护 眼罩"),
    ("adlaw.disease", "护眼台灯 保护视网膜 学生", "灯具 台灯"),
    ("adlaw.disease", "热敷护颈 针灸按摩 充电", "个护 护颈"),
    ("adlaw.authority", "少儿游泳课 体育局联合推出 暑假班", "服务 培训"),
    ("adlaw.efficacy", "手机钢化膜 铁锤砸不碎 2片", "数码 贴膜"),
    ("adlaw.efficacy", "婴儿洗衣液 零刺激 2kg", "母婴 洗衣液"),
    ("adlaw.efficacy", "负离子床垫 空气维生素 1.8米", "家居 床垫"),
    ("adlaw.absolute", "实木地板 领跑行业十五年 18mm", "建材 地板"),
]
# ... and where the same words are lawful: a fish without bones, a screen's fixed parameters
ROUND_THIRTEEN_LAWFUL = [("去刺鲫鱼 无骨刺 500g", "食品 水产"), ("防蓝光眼镜 蓝光阻隔率35% 平光", "眼镜 平光镜")]
# round fourteen, from the sixteenth set's misses, in other words than the set's
ROUND_FOURTEEN = [
    ("adlaw.endorsement", "华西推荐 漱口水 500ml", "个护 漱口水"),
    ("adlaw.endorsement", "皮肤科同款 修护霜 50g", "美妆 面霜"),
    ("adlaw.disease", "隐形牙套 地包天 成人", "个护 牙套"),
    ("adlaw.disease", "草本贴 慢性中耳炎 儿童", "个护 贴"),
    ("adlaw.disease", "替尔泊肽同款 压片糖果 60粒", "食品 压片糖果"),
    ("adlaw.disease", "产后盆骨修复 私教课 10次", "本地生活 产康"),
    ("adlaw.disease", "薄荷贴 缓解晕船 成人 10贴", "个护 贴"),
    ("adlaw.disease", "延长端粒 中老年 营养片", "食品 片剂"),
    ("adlaw.disease", "艾草卫生巾 滋阴润燥 日用", "个护 卫生巾"),
    ("cosmetics.claims", "外泌体面霜 紧致 50g", "美妆 面霜"),
    ("adlaw.superstition", "貔貅手串 逆天改命 男女款", "文玩 手串"),
    ("adlaw.guarantee", "高考协议班 暑期集训 30天", "教育培训 高考"),
    ("adlaw.vulgar", "助性 软糖 女士 20粒", "食品 糖果"),
    ("adlaw.fishing_ban", "鄱阳湖野生鳜鱼 鲜活 1斤", "生鲜 水产"),
    ("adlaw.fishing_ban", "长江流域 鲜活河虾 500g", None),
    ("adlaw.cheating_gear", "微型接收器 防监考 无线", "数码 配件"),
]
# ... and where the same words are lawful: an exam pencil, a farmed fish, a sea fish, a plain brass ornament, a
# prescription drug in its own category, a lake's name on a landscape painting
ROUND_FOURTEEN_LAWFUL = [("2B铅笔 考试专用 答题卡 10支", "文具 铅笔"), ("养殖江团 鲜活 约1斤", "生鲜 水产"),
                         ("舟山带鱼 冷冻 2斤", "生鲜 水产"), ("黄铜葫芦摆件 客厅 手工", "文玩 摆件"),
                         ("盐酸二甲双胍片 0.5g*48片", "药品 处方药"), ("洞庭湖风景画 装饰画 客厅", "家居 装饰画"),
                         # two real titles the round first flagged: a serum that moisturises, an eyebrow colour
                         ("精华露 润燥精华 60ml", "美妆"), ("塑眉膏 迷情棕 持久", "美妆"),
                         ("司美 中式塑料凳 2个", "家居 凳子")]  # 司美 is also a furniture brand
# round fifteen, from the seventeenth set's misses, in other words than the set's
ROUND_FIFTEEN = [
    ("adlaw.authority", "冲锋衣 印公安字样 保安执勤", "服饰 冲锋衣"),
    ("adlaw.authority", "火箭模型 航天集团授权 1:100", "文玩 模型"),
    ("adlaw.authority", "钛合金保温杯 国家863计划材料 500ml", "家居 保温杯"),
    ("adlaw.disease", "酵素饮 细胞疗法 30ml×6瓶", "食品 饮料"),
    ("adlaw.disease", "山楂麦芽茶 消食化积 儿童 20包", "食品 代用茶"),
    ("adlaw.disease", "富氢水杯 十二指肠溃疡 便携", "家居 水杯"),
    ("adlaw.disease", "足底穴位贴 腺样体增生 儿童 30贴", "个护 贴"),
    ("adlaw.disease", "护理膏 修复压疮 老人 30g", "个护 膏"),
    ("adlaw.disease", "抑菌液 祛疣 外用 20ml", "消毒产品 抑菌液"),
    ("adlaw.disease", "咽炎宁抑菌含片 30粒", "食品 压片糖果"),
    ("adlaw.disease", "儿童蛔虫贴 草本 10贴", "母婴 贴"),
    ("adlaw.disease", "O型腿绑带 骨骼矫正 儿童", "运动 绑带"),
    ("adlaw.disease", "狗狗营养粉 远离犬瘟 500g", "宠物用品 营养品"),
    ("adlaw.disease", "中草药药膏 皮肤瘙痒 15g", "个护 膏"),
    ("adlaw.inducement", "泰国7日游 负团费 纯玩", "旅游 跟团游"),
    ("adlaw.inducement", "三亚5日游 赠双飞机票 399元", "旅游 跟团游"),
    ("adlaw.inducement", "加厚毛巾 晒图返现 3条装", "家居 毛巾"),
    ("adlaw.inducement", "随身WiFi 不限流量 免插卡", "数码 随身WiFi"),
    ("adlaw.no_licence", "电动三轮车 免驾照 老人代步", "电动车 三轮车"),
    ("adlaw.no_licence", "燃油四轮车 无需上牌 家用", "汽车 四轮车"),
    ("adlaw.sex_selection", "酸碱试纸 备孕生女儿 50条", "母婴 备孕"),
    ("adlaw.sex_selection", "胎儿性别鉴定 血检 套餐", None),
    ("adlaw.guarantee", "电商运营课 学会就能接单 录播", "教育培训 副业课"),
]
# ... and where the same words are lawful: a pet's disease test and vaccine, a registered pressure-sore mattress, a
# disclosed data quota, a tour priced whole with its flights, an e-bike's top speed, a police-blue colour word
ROUND_FIFTEEN_LAWFUL = [("猫瘟试纸 宠物检测卡 5条", "宠物用品 检测"), ("防压疮床垫 气垫 医疗器械注册证", "医疗器械 床垫"),
                        ("流量卡 月租19元 80G通用流量 达量降速", "通信 流量卡"),
                        ("北京5日游 含往返机票 3280元", "旅游 跟团游"), ("电动自行车 新国标 最高车速25km/h", "电动车"),
                        ("藏青色 冲锋衣 男款 防水", "服饰 冲锋衣"), ("婴儿连体衣 男宝宝 纯棉 春秋", "母婴 童装")]

ROUND_SIXTEEN = [
    ("adlaw.authority", "全屋净水系统 住建部认证 中央净水", "家装 净水器"),
    ("adlaw.authority", "纪念邮票册 档案馆出品 限量", "收藏品 邮票"),
    ("adlaw.disease", "负离子手环 改善甲亢 男女", "饰品 手环"),
    ("adlaw.disease", "艾灸盒 中风后遗症 家用", "个护 艾灸"),
    ("adlaw.disease", "视力训练卡 弱视儿童 30张", "文具 卡片"),
    ("adlaw.disease", "草本凉茶 粤抗二号 310ml", "食品 饮料"),
    ("adlaw.realestate", "学区三房 0首付 拎包入住", "房产 二手房"),
    ("adlaw.realestate", "江景公寓 首付贷 月供低", "房产 公寓"),
    ("adlaw.insurance_inducement", "意外险 首月0元 全年保障", "保险 意外险"),
    ("adlaw.insurance_inducement", "少儿重疾险 免费赠险 限今日", "保险 重疾险"),
    ("adlaw.banned_service", "经典单机 破解补丁 免安装", "游戏 单机"),
    ("adlaw.banned_service", "魔域私服 一条龙 开服", "游戏 网游"),
    ("adlaw.banned_service", "吃鸡辅助 透视挂 天卡", "游戏 辅助"),
    ("adlaw.banned_service", "抖音涨粉 5000个 秒到", "虚拟服务 运营"),
    ("adlaw.banned_service", "代开住院证明 当天出", "虚拟服务 证明"),
    ("adlaw.banned_service", "课程作业代写 硕士 加急", "虚拟服务 写作"),
    ("adlaw.banned_service", "科学上网 节点 月付", "虚拟服务 网络"),
    ("adlaw.banned_service", "南航里程兑换 国际机票", "旅游 机票"),
    ("adlaw.traffic_evasion", "电动遮挡号牌 车牌框 一对", "汽车用品 车牌框"),
    ("adlaw.traffic_evasion", "安全带报警消音器 通用", "汽车用品 安全带"),
    ("adlaw.traffic_evasion", "北斗信号屏蔽器 车载 防追踪", "汽车用品 车载电子"),
    ("adlaw.banned_species", "野生河豚 鲜冻 1斤", "生鲜 水产"),
    ("adlaw.banned_species", "农家竹鼠 活体 2只", "生鲜 肉类"),
    ("adlaw.jewellery_naming", "千足铂 戒指 约3克", "珠宝首饰 戒指"),
    ("adlaw.jewellery_naming", "俄罗斯钻 耳钉 925银", "珠宝首饰 耳钉"),
]
# ... and where the same words are lawful: a phone's and a car's 0首付 instalments, a third down, a monthly premium,
# makeup brushes (刷粉底, 刷单支), a star's own clothes (私服), an outdoor AC unit (外挂机), an anti-climb fence, a
# licensed game, a tracker that tracks, processed farmed pufferfish, 足金999, a synthetic gem named as one
ROUND_SIXTEEN_LAWFUL = [("手机 0首付分期 12期免息", "数码 手机"), ("新能源汽车 零首付提车", "汽车 整车"),
                        ("精装两居 首付三成起 公积金可用", "房产 新房"), ("百万医疗险 月缴 详见条款", "保险 医疗险"),
                        ("眼影刷粉底刷 化妆刷套装 软毛", "美妆 工具"), ("大号散粉刷单支 蓬松", "美妆 工具"),
                        ("明星私服同款 卫衣 宽松", "服饰 卫衣"), ("空调外挂机支架 加厚", "家电 配件"),
                        ("防翻墙刺 围墙 铁艺", "五金 防护"), ("单机游戏 正版激活码 国区", "游戏 激活码"),
                        ("车载北斗定位器 防盗 长待机", "汽车用品 车载电子"),
                        ("养殖暗纹东方鲀 冷冻鱼片 500g", "生鲜 水产"), ("足金999 手镯 约20克", "黄金 手镯"),
                        ("合成立方氧化锆 耳钉 925银", "珠宝首饰 耳钉")]

# round seventeen (after the nineteenth set, X): each kind in words the set did not use
ROUND_SEVENTEEN = [
    ("adlaw.authority", "不锈钢炒锅 中国名牌 30cm", "厨具 炒锅"),
    ("adlaw.authority", "羊毛大衣 产品质量监督中心推荐 女", "服饰 大衣"),
    ("adlaw.disease", "量子能量舱 降五高 中老年", "老年用品 理疗"),
    ("adlaw.disease", "远红外护膝 防感染 老人", "老年用品 护膝"),
    ("adlaw.banned_drug_sale", "米索前列醇片 0.2mg 隐私发货", "药品 网售"),
    ("adlaw.banned_drug_sale", "院内制剂 湿疹膏 30g", "药品 外用"),
    ("adlaw.banned_drug_sale", "医药盲盒 随机感冒药", "药品 盲盒"),
    ("adlaw.banned_species", "醋山甲片 正品 5克", "中药材"),
    ("adlaw.banned_species", "老虎骨粉 泡酒料", "酒 泡酒"),
    ("adlaw.banned_species", "象牙雕件 老料 摆件", "文玩 摆件"),
    ("adlaw.controlled_gear", "十字弩 户外 配箭", "体育户外 射击"),
    ("adlaw.controlled_gear", "辣椒喷雾 女士防身 钥匙扣", "户外 防身用品"),
    ("adlaw.controlled_gear", "仿真手枪 合金 可发射水弹", "玩具 枪"),
    ("adlaw.controlled_gear", "隐藏摄像头 插座款 远程", "数码 安防"),
    ("adlaw.textile_naming", "超舒棉T恤 男 短袖", "服饰 T恤"),
    ("adlaw.textile_naming", "女童外套 帽子抽绳 110码", "童装 外套"),
    ("adlaw.blind_box", "幼儿园盲盒 文具奖品 50个", "玩具 盲盒"),
    ("adlaw.blind_box", "随机幼猫 英短 包邮", "宠物 活体"),
    ("cosmetics.claims", "纯植物染发剂 一洗黑", "化妆品 染发"),
    ("cosmetics.repackaged", "大牌面霜 分装试用装 10g", "化妆品 面霜"),
]
# ... and where the same words are lawful: a prescription insulin, cut herbs, a yam root named 穿山龙, a yak-horn
# bracelet, an ivory-white bowl, a budgerigar's cage, an alarm, a bow, a water pistol, an openly mounted camera, a
# costume mask, a wool share stated, a hood with no cord, a washable quilt bag, a blind box for eight and over, a pet
# toy box, travel bottles, a sample under its own label, a shampoo with plant extracts
ROUND_SEVENTEEN_LAWFUL = [("门冬胰岛素注射液 3ml 凭处方购买", "药品 网售"), ("黄芪中药饮片 切片 500g", "药品 中药"),
                          ("穿山龙 中药材 切片 250g", "中药材"), ("牦牛角手串 108颗", "文玩 手串"),
                          ("象牙白 陶瓷碗 4个装", "厨具 碗"), ("虎皮鹦鹉鸟笼 金属 大号", "宠物用品 鸟笼"),
                          ("防身报警器 130分贝 钥匙扣", "户外 防身用品"), ("反曲弓 射箭入门 30磅", "体育户外 射箭"),
                          ("儿童玩具水枪 大容量", "玩具 枪"), ("家用监控摄像头 360度 带指示灯", "数码 安防"),
                          ("万圣节面具 乳胶 鬼脸", "玩具 角色扮演"), ("高领羊毛衫 羊毛含量80%", "服饰 毛衣"),
                          ("男童连帽卫衣 无绳设计 110码", "童装 卫衣"), ("牛津布可水洗棉被袋 收纳", "日用 收纳"),
                          ("高腰水洗棉弹牛仔铅笔裤", "服饰 牛仔裤"),
                          ("潮玩手办盲盒 8岁以上", "玩具 盲盒"), ("宠物玩具盲盒 逗猫棒 5件", "宠物用品 玩具"),
                          ("旅行分装瓶 按压式 30ml", "日用 旅行用品"), ("精华液小样 5ml 带中文标签", "化妆品 小样"),
                          ("植物精华洗发水 控油 500ml", "化妆品 洗发")]

# round eighteen, from the twentieth set's misses (test_terms_y.toml), in other words
ROUND_EIGHTEEN = [
    ("adlaw.banned_online_sale", "加特林烟花 36发 春节", "烟花爆竹"),
    ("adlaw.banned_online_sale", "冥钞 人民币图样 祭祀用品", "殡葬用品 祭祀"),
    ("adlaw.banned_online_sale", "大乐透代购 每期出票", "彩票"),
    ("adlaw.banned_online_sale", "狨猴幼崽 亲人 包办驯养许可证", "宠物 活体"),
    ("adlaw.banned_online_sale", "野生春兰苗 老桩 5株", "园艺 兰花"),
    ("adlaw.banned_online_sale", "罂粟籽 盆栽 种植", "园艺 种子"),
    ("adlaw.banned_online_sale", "5G信号增强器 家用 三网", "数码配件 通信"),
    ("adlaw.banned_online_sale", "反无人机干扰枪 便携", "数码 无人机配件"),
    ("adlaw.vehicle_tampering", "电动车控制器 破解限速 60V", "电动自行车 配件"),
    ("adlaw.vehicle_tampering", "电瓶车加长座垫 双人 60厘米", "电动自行车 配件"),
    ("adlaw.vehicle_tampering", "排气管 声浪阀 电子控制", "汽车配件 排气"),
    ("adlaw.religious_name", "佛缘 菩提子手串 108颗", "文玩 手串"),
    ("adlaw.impossible_consumption", "石墨烯电暖器 一晚一度电 家用", "家电 取暖器"),
    ("adlaw.false_source", "大红袍母树茶 礼盒 100克", "茶叶 岩茶"),
    ("adlaw.false_source", "射频美容仪 媲美超声刀 家用", "美容仪器 家用"),
    ("adlaw.banned_species", "鹤顶红 雕件 吊坠", "文玩 雕件"),
]
# ... and where the same words are lawful: a bubble gun named 加特林, an electric sparkler, corn poppy seed, a Clivia,
# a cable-TV amplifier, a camera drone, the factory speed limit, the original saddle and silencer, a heater's rated
# consumption, cultivated 大红袍, a goldfish named 鹤顶红, fashion slang 炸街
ROUND_EIGHTEEN_LAWFUL = [("加特林泡泡机 儿童 电动", "玩具 泡泡机"), ("电子仙女棒 发光 演唱会", "玩具 发光棒"),
                         ("虞美人种子 重瓣 50粒", "园艺 种子"), ("君子兰 盆栽 带花苞", "园艺 盆栽"),
                         ("有线电视信号放大器 一分二", "数码配件 影音"), ("航拍无人机 249克 折叠", "数码 无人机"),
                         ("电动自行车 出厂限速 48伏", "电动自行车"), ("原厂消声器 摩托车 替换件", "摩托车配件 排气"),
                         ("暖风机 2000瓦 每小时约2度电", "家电 取暖器"), ("武夷岩茶 大红袍 罐装250克", "茶叶 岩茶"),
                         ("鹤顶红金鱼 观赏鱼 5厘米", "水族 观赏鱼"), ("炸街套装 两件套 小香风", "服饰 套装")]

# round nineteen, from the twenty-first set's misses (test_terms_z.toml), in other words
ROUND_NINETEEN = [
    ("adlaw.protected_emblem", "红十字医药箱 家用 大号", "家居 急救包"),
    ("adlaw.protected_emblem", "国徽摆件 金属 办公室", "家居 摆件"),
    ("adlaw.false_source", "负离子净化器 老年病专家会议推荐 家用", "家电 净化器"),
    ("adlaw.false_source", "骨传导助听器 残联指定 老人", "医疗器械 助听器"),
    ("adlaw.banned_drug_sale", "猫传腹特效药 针剂 10支", "宠物 药品"),
    ("adlaw.disease", "深海鱼油 治疗脑瘫 儿童", "保健食品"),
    ("adlaw.banned_online_sale", "CCC认证标签 不干胶 500枚", "数码配件 标签"),
    ("adlaw.banned_online_sale", "电极式暖手宝 充电 卡通", "家电 暖手宝"),
    ("adlaw.banned_online_sale", "已实名微信号 老号 稳定", "虚拟 账号"),
    ("adlaw.banned_online_sale", "万能插座 多孔 转换", "五金 插座"),
    ("adlaw.banned_online_sale", "直排式热水器 5升 燃气", "家电 热水器"),
    ("adlaw.banned_online_sale", "散装烟丝 500克 手卷", "烟草"),
    ("adlaw.banned_online_sale", "毒鼠强 老鼠药 强效", "日用 杀鼠剂"),
    ("adlaw.banned_online_sale", "健康证代办 免体检 当天拿证", "本地服务 证件代办"),
    ("adlaw.banned_online_sale", "卫星接收天线 全套 高清", "数码 电视接收"),
    ("adlaw.banned_online_sale", "紫河车粉 纯 100克", "滋补"),
    ("adlaw.banned_online_sale", "华为手机 二次封装 全新", "数码 手机"),
    ("adlaw.banned_online_sale", "头孢 处方药 不用处方 包邮", "药品 处方药"),
    ("adlaw.banned_online_sale", "新鲜母乳出售 冷冻 200毫升", "母婴 食品"),
    ("adlaw.banned_online_sale", "私人屠宰 黑猪肉 现杀", "生鲜 猪肉"),
    ("adlaw.controlled_gear", "户外刀 带血槽 随身", "户外 刀具"),
]
# ... and where the same words are lawful: a first-aid kit without the emblem, a tourniquet, an OTC drug without a
# prescription, a hot-water bottle with a heating wire, a socket to the new standard, a pipe, a strong-vent heater, a
# TV antenna, a breast-milk bag, licensed pork, a toy dagger, a pet-food claim of no state body
ROUND_NINETEEN_LAWFUL = [("家用急救包 止血带 创可贴 车载", "家居 急救包"), ("感冒灵颗粒 非处方药 无需处方", "药品 非处方药"),
                         ("电热丝式暖手宝 过压保护", "家电 暖手宝"), ("新国标插座 五孔 儿童保护门", "五金 插座"),
                         ("石楠木烟斗 手工", "烟具"), ("强排式燃气热水器 13升", "家电 燃气热水器"),
                         ("地面数字电视天线 室外", "数码 电视接收"), ("母乳储存袋 可冷冻 50片", "母婴 用品"),
                         ("定点屠宰 检疫合格 冷鲜猪肉", "生鲜 猪肉"), ("儿童玩具匕首 泡沫 安全", "玩具 刀剑"),
                         ("猫传腹检测试纸 2条", "宠物 检测")]


@pytest.mark.parametrize(("rule", "title", "category"), ROUND_SIX + ROUND_SEVEN + ROUND_EIGHT + ROUND_NINE
                         + ROUND_TEN + ROUND_ELEVEN + ROUND_TWELVE + ROUND_THIRTEEN + ROUND_FOURTEEN
                         + ROUND_FIFTEEN + ROUND_SIXTEEN + ROUND_SEVENTEEN + ROUND_EIGHTEEN + ROUND_NINETEEN)
def test_rounds_six_to_nineteen_kinds_from_shops_cases_and_platform_rules(rule: str, title: str,
                                                                           category: str | None) -> None:
    assert rule in law_rules(title, category=category)


@pytest.mark.parametrize(("title", "category"), ROUND_SIX_LAWFUL + ROUND_SEVEN_LAWFUL + ROUND_EIGHT_LAWFUL
                         + ROUND_NINE_LAWFUL + ROUND_TEN_LAWFUL + ROUND_ELEVEN_LAWFUL + ROUND_TWELVE_LAWFUL
                         + ROUND_THIRTEEN_LAWFUL + ROUND_FOURTEEN_LAWFUL + ROUND_FIFTEEN_LAWFUL
                         + ROUND_SIXTEEN_LAWFUL + ROUND_SEVENTEEN_LAWFUL + ROUND_EIGHTEEN_LAWFUL
                         + ROUND_NINETEEN_LAWFUL)
def test_rounds_six_to_nineteen_lawful_neighbours(title: str, category: str | None) -> None:
    assert law_rules(title, category=category) == set()


# what each round's fix takes with the claim, so that no piece of it is left (rounds six to eleven)
ROUND_FIXES = [
    # round six: a claim's time, amount and attribution
    ("增高片 两个月就能长高8厘米 青少年", "保健食品", "增高片 青少年"),
    ("冲锋衣 被誉为最佳登山外套 防水", "户外 冲锋衣", "冲锋衣 登山外套 防水"),
    # round seven: the child, the count and the ranked quality with the claim
    ("宝宝洗发水 儿童防脱发 温和无泪", "母婴 儿童洗发水", "宝宝洗发水 温和无泪"),
    ("【9大药理作用】鲜蜂王浆 500g", "滋补 蜂王浆", "鲜蜂王浆 500g"),
    # the quality a superlative ranks goes with it ("品质最牛的" leaves no "品质")
    ("品质最牛的快充数据线 Type-C 2米", "数码 数据线", "快充数据线 Type-C 2米"),
    # round eight: the count of a quota and both halves of a health pair
    ("牧场酸奶月卡 名额仅剩8个 配送", "食品 乳品", "牧场酸奶月卡 配送"),
    ("富氢水 强力抗氧，抵御自由基 24瓶", "饮品 饮用水", "富氢水 24瓶"),
    # round nine: a miracle's time and effect and a whole slogan
    ("维C面膜 7天后奇迹般呈现亮白光采 10片", "美妆 面膜", "维C面膜 10片"),
    ("玉石枕头 有病治病，无病保健 单人", "家居 枕头", "玉石枕头 单人"),
    # round ten: what a superlative ranks, a face value and a course's promise
    ("邮票珍藏册 证书具有至高的法律效力 礼盒装", "收藏 邮票", "邮票珍藏册 礼盒装"),
    ("生肖彩色金币 贸易面值100美元 12枚", "收藏 钱币", "生肖彩色金币 12枚"),
    ("Python网课 30天精通Python编程 入门", "教育 网课", "Python网课 入门"),
    # round eleven: a rate with its number, a destination and a whole pair of symptoms
    ("硒片 对癌细胞抑制率达95% 60片", "保健食品 硒片", "硒片 60片"),
    ("江景公寓 约15分钟到达江北、渝中 40㎡", "房产 公寓", "江景公寓 40㎡"),
    ("助听耳机 老人耳聋耳背 充电", "数码 耳机", "助听耳机 老人 充电"),
    # round thirteen: a lead with how long it has lasted
    ("实木地板 专业领跑15年 18mm", "建材 地板", "实木地板 18mm"),
    # a sun protection factor with its figure, on a cosmetic its data declares ordinary ("隔离霜SPF15" left "隔离霜15")
    ("隔离霜SPF15 保湿 30ml", "美妆 是否为特殊用途化妆品 否", "隔离霜 保湿 30ml"),
    # round fourteen: the part of the body with its repair, the illness with its relief
    ("产后盆骨修复 私教课 10次", "本地生活 产康", "私教课 10次"),
    ("薄荷贴 缓解晕船 成人 10贴", "个护 贴", "薄荷贴 成人 10贴"),
]


@pytest.mark.parametrize(("title", "category", "fixed"), ROUND_FIXES)
def test_rounds_six_to_eleven_fixes_take_the_whole_claim(title: str, category: str, fixed: str) -> None:
    assert fixed_title(title, category=category) == fixed


def test_a_claims_words_that_name_nothing_go_with_it_and_a_long_phrase_beside_it_stays() -> None:
    # what is left of a segment said nothing without the claim: it goes too (it stayed as "大了", "生长和转移")
    assert fixed_title("口红礼盒套装 不买就亏大了 丝绒哑光") == "口红礼盒套装 丝绒哑光"
    assert fixed_title("海参肽固体饮料 能抑制肿瘤生长和转移 60g", category="食品 固体饮料") == "海参肽固体饮料 60g"
    assert fixed_title("纯粮白酒 喝了大家至少活到九十九 42度", category="酒类 白酒") == "纯粮白酒 42度"
    # the whole claim where its object is a list, or its verb's subject comes first ("对…有良好的疗效")
    assert fixed_title("抗氧面霜 预防肿瘤、心血管疾病、糖尿病等慢性疾病 50g", category="美妆 面霜") == "抗氧面霜 50g"
    assert fixed_title("东海黄花鱼 对妇女产后体虚有良好的疗效 2条装", category="食品 水产") == "东海黄花鱼 2条装"
    assert fixed_title("磁疗保健鞋 三个月可使血糖、血压恢复正常 中老年", category="服饰鞋 功能鞋") == "磁疗保健鞋 中老年"
    # what was left is itself the claim in other words: it is found too ("本息担保", "不是药，")
    assert fixed_title("新手专享 100%本息担保 30天理财计划", category="金融 理财") == "新手专享 30天理财计划"
    assert fixed_title("越橘叶黄素软胶囊 不是药，胜似药 60粒", category="保健食品 软胶囊") == "越橘叶黄素软胶囊 60粒"
    # a word that names something stays, and so does a long phrase of its own beside the claim
    assert fixed_title("青禾 保湿面霜 最好用的洗面奶") == "青禾 保湿面霜 洗面奶"
    assert "补水去细纹淡化黑眼圈" in fixed_title("臻源新肌抗皱眼膜贴 补水去细纹淡化黑眼圈去眼袋", category="美妆 眼膜")


def test_a_claim_in_traditional_characters_full_width_or_spelt_apart_is_held_to_the_same_law() -> None:
    simplified = "顶级保湿面霜 纯天然无副作用 立马见效 再不抢就没了 原价299"
    traditional = "頂級保濕面霜 純天然無副作用 立馬見效 再不搶就沒了 原價299"
    chk = Checker("taobao", grounding=False)
    want = [(f.rule, f.start, f.end) for f in chk.check(simplified)]
    got = chk.check(traditional)
    assert len(want) >= 4 and [(f.rule, f.start, f.end) for f in got] == want
    assert [f.text for f in got] == ["頂級", "無副作用", "立馬見效", "再不搶就沒了", "原價299"]  # the seller's characters
    assert fixed(traditional) == "保濕面霜 純天然 原價299"  # the law's fixes; 原价 is Taobao's rule
    # full-width letters and digits, as some sellers type them, are the same claims
    assert [f.text for f in chk.check("ＮＯ.１面霜 ７天见效")] == ["ＮＯ.１", "７天见效"]
    # a rank in digits is the rank in words, its ordinary uses too
    assert [f.text for f in chk.check("销量第1 面霜")] == ["销量第1"] and chk.check("第1批 第10名 面霜") == []
    # a claim split by a space or a dot beside a lone character of it, or by an invisible space, is the claim;
    # a space between two words is a separator, not a split claim
    assert [f.text for f in chk.check("顶 级面霜 国·家·级 第\u200b一")] == ["顶 级", "国·家·级", "第\u200b一"]
    assert chk.check("白里透红美白霜*2瓶 美白祛斑") == chk.check("白里透红美白霜*2瓶") == []
    # lawful either way, and a word the law allows stays allowed when written traditionally
    assert chk.check("台灣製造 保濕精華 300ml") == []
    # a name the seller declares lawful (a registered product name) covers its traditional spelling too
    assert [f.text for f in check_terms("極品面膜 頂級", "cn_adlaw")] == ["極品", "頂級"]
    assert [f.text for f in check_terms("極品面膜 頂級", "cn_adlaw", allow=["极品面膜"])] == ["頂級"]


def test_us_claims_a_disease_fda_pesticide_or_green_claim_and_its_lawful_neighbours() -> None:
    # the US rules for English listings (compliance/data/us_claims.toml), from the English held-out set's misses, on
    # wordings that set did not use; reworded by the seller, never cut out of a sentence
    chk = Checker("amazon", grounding=False)

    def rules(text: str, field: str = "title", category: str | None = None) -> dict[str, str]:
        product = Product(id="t", lang="en", category=category) if category else None
        return {f.rule: f.severity for f in chk.check(text, product, field=field, grounding=False)
                if f.rule.startswith("us.")}

    assert rules("Elderberry Gummies 60 Count, Prevents Flu and Colds")["us.disease_claim"] == "error"
    assert "us.disease_claim" in rules("Omega-3 Softgels\nHelps reverse heart disease\n120 count", field="bullets")
    assert "us.fda_claim" in rules("FDA Certified Silicone Stretch Lids, Set of 6")
    assert rules("Knee Brace Class II, FDA Cleared TENS Unit")["us.fda_claim"] == "warning"  # a device may be cleared
    assert "us.pesticide_claim" in rules("Copper Cutting Board that Kills 99% of Bacteria, 12 x 8 Inch")
    assert "us.pesticide_safety" in rules("Roach Bait Gel, Safe Around Kids and Pets, 4 Tubes")
    assert "us.environmental" in rules("Bamboo Toothbrushes 10 Pack, Planet-Friendly Packaging")
    assert rules("Compostable Trash Bags, Biodegradable, 13 Gallon")["us.environmental"] == "warning"
    # their lawful neighbours: a drug's own claim, a name, a spec, a registered disinfectant, a crayon's safety seal
    assert rules("Ibuprofen Tablets 200 mg, Relieves Migraines, 100 Count", category="Health > OTC Medicine") == {}
    assert rules("Cancer Zodiac Sign Pendant, 14K Gold Plated") == {}
    assert rules("Two-Part Epoxy Resin, Cure Time 24 Hours, 32 oz") == {}
    assert rules("Disinfecting Wipes, Kills 99.9% of Germs, EPA Reg. No. 1234-567, 75 Count") == {}
    assert rules("Jumbo Crayons 24 Pack, Non-Toxic, Washable") == {}
    # the claim stays in the seller's text for the seller to reword: no fix cuts it out
    title = "Turmeric Capsules, Cures Arthritis, 120 Count"
    assert chk.check_and_fix(title, None)[0] == title
    # on a generic platform the US rules apply to English text only
    assert not [f for f in Checker("generic", grounding=False).check("姜黄胶囊 cures arthritis 120粒")
                if f.rule.startswith("us.")]


def test_english_round_two_promotion_reviews_and_guarantees_in_other_words() -> None:
    # from the second English held-out set's misses (test_terms_en2.toml), in wordings that set did not use
    amazon, google = Checker("amazon", grounding=False), Checker("google", grounding=False)

    def promo(chk: Checker, text: str, field: str = "title") -> list[str]:
        return [f.text for f in chk.check(text, None, field=field) if f.rule.endswith((".promo", ".bullet_claim"))]

    assert promo(amazon, "Garden Hose Reel, Free International Postage") == ["Free International Postage"]
    assert promo(amazon, "Factory-Sealed Graphing Calculator TI-84") == ["Factory-Sealed"]
    assert promo(amazon, "Cyber Monday Savings Electric Kettle 1.7L") == ["Cyber Monday Savings"]
    assert promo(amazon, "Stainless Tumbler 30 oz, Staff Pick, Most Loved") == ["Staff Pick", "Most Loved"]
    assert promo(amazon, "Desk Lamp with USB Port, 30-Day Exchange Guarantee") == ["30-Day Exchange Guarantee"]
    bullets = ("Soft cotton crew socks, 6 pairs\nEnter promo code SOCKS10 at checkout\nReview us and get a bonus\n"
               "\u201cBest socks I have bought in years\u201d \u2013 Mark T.\nSee sizing at acmesocks.com/fit")
    assert promo(amazon, bullets, field="bullets") == ["Review us", "\u201cBest socks I have bought in years\u201d "
                                                       "\u2013 Mark T.", "acmesocks.com/fit"]
    # Google reads descriptions and highlights for promotion too; there a phrase is reworded, not cut
    found = [f for f in google.check("Trail runner\nFree standard returns\nText us at 555-0134 for bulk pricing", None,
                                     field="bullets") if f.rule == "google.promo"]
    assert [f.text for f in found] == ["Free standard returns", "Text us at 555-0134"] and all(f.fix is None for f in found)
    # asking a buyer to get in touch names no contact outside the marketplace: no finding
    assert promo(amazon, "Glass kettle\nIf anything is wrong, please contact us", field="bullets") == []
    assert promo(google, "Wool Blanket W A R M Queen") == ["W A R M"]
    assert promo(google, "Soft Soft Soft Bath Towel Set") == ["Soft Soft Soft"]
    assert promo(google, "Ceramic Teapot 急须 800 ml") == ["急须"]
    # their lawful neighbours: a tip size, a maker's own words, a product for deals and reviews, a spec
    assert promo(amazon, "#1 Square Drive Bit Set, 10 Pieces") == []
    assert promo(amazon, "Brand New Design Folding Stool, Beech") == []
    assert promo(google, "Trending Topics Board Game for Teens") == []
    assert promo(amazon, "Cotton tote\nSpot clean only\nMade by our team in Ohio", field="bullets") == []
    assert promo(google, "USB C Hub 7 in 1 with HDMI 4K") == []


def test_english_round_two_health_pesticide_and_origin_claims_in_other_words() -> None:
    chk = Checker("amazon", grounding=False)

    def rules(text: str, field: str = "title") -> set[str]:
        return {f.rule for f in chk.check(text, None, field=field, grounding=False) if f.rule.startswith("us.")}

    assert "us.disease_claim" in rules("Magnesium Spray, Ends Migraine Attacks, 4 fl oz")
    assert "us.disease_claim" in rules("CBD Drops\nA natural remedy for insomnia\n30 ml", field="bullets")
    assert "us.disease_claim" in rules("Herbal Sleep Aid, Safe Alternative to Ambien, 60 Capsules")
    assert "us.disease_claim" in rules("Joint Cream\nStronger than over-the-counter rubs\n2 oz", field="bullets")
    assert "us.disease_claim" in rules("Rosemary Scalp Serum, Stimulates Hair Regrowth, 2 oz")
    assert "us.disease_claim" in rules("Cocoa Butter Lotion, Gets Rid of Cellulite, 8 oz")
    assert "us.disease_claim" in rules("Green Coffee Pills, Burn 15 Pounds in 3 Weeks")
    assert "us.pesticide_claim" in rules("Copper Door Handle Cover, Destroys Airborne Viruses")
    assert "us.pesticide_safety" in rules("Ant Killer Bait Stations, Gentle on Babies and Pets, 6 Pack")
    origin = "Canvas tote bag\nMade in U.S.A.\nReinforced handles\nMade in Bangladesh"
    assert "us.origin_claim" in rules(origin, field="bullets")
    # lawful: a qualified origin, an origin nothing contradicts, an EPA-registered label, a treated article's own
    # protection, a drug named as what the product is not
    assert rules("Oak Rocking Chair\nMade in USA of U.S. and imported parts\nImported cushion", field="bullets") == set()
    assert rules("Maple Cutting Board\nMade in America\nHand wash only", field="bullets") == set()
    assert rules("Disinfectant Spray\nStops the spread of germs\nEPA Registration No. 777-99", field="bullets") == set()
    assert rules("Mildew-Resistant Shower Curtain Liner, 72 x 72 Inch") == set()
    assert rules("Pill Organizer for Ibuprofen and Vitamins, 7 Day") == set()


def _rules(chk: Checker, text: str, field: str = "title") -> set[str]:
    """The rules a checker finds in one field of an English listing."""
    return {f.rule for f in chk.check(text, None, field=field, grounding=False)}


def test_english_round_three_offers_reviews_drugs_naming_and_child_safety_in_other_words() -> None:
    # from the third English held-out set's misses (test_terms_en3.toml), in wordings that set did not use
    amazon, google = Checker("amazon", grounding=False), Checker("google", grounding=False)

    assert "amazon.promo" in _rules(amazon, "Bamboo Cutting Board Set of 3, Bundle and Save 10%")
    assert "amazon.promo" in _rules(amazon, "Yoga Mat 6 mm with Bonus Carry Strap, Purple")
    assert "amazon.promo" in _rules(amazon, "Introductory Price Robot Vacuum with Self-Empty Base")
    assert "amazon.promo" in _rules(amazon, "Instagram Famous Sunset Lamp, 16 Colors")
    assert "google.promo" in _rules(google, "Most Reviewed Memory Foam Pillow Queen")
    assert "amazon.bullet_claim" in _rules(amazon, "Steel water bottle\nShare a photo review and enter our giveaway",
                                          field="bullets")
    assert "amazon.bullet_claim" in _rules(amazon, "Oak desk\nPick up at 88 Market Street, Dayton", field="bullets")
    assert "us.disease_claim" in _rules(amazon, "Turmeric Gummies, Nature's Painkiller, 60 Count")
    assert "us.disease_claim" in _rules(amazon, "Cranberry Capsules for UTIs, 90 Count")
    assert "us.pesticide_claim" in _rules(amazon, "Silver Ion Bracelet, Shield Against Germs and Bacteria")
    assert "us.environmental" in _rules(amazon, "Trash Bags\nBreaks down in the landfill", field="bullets")
    assert "us.jewelry_naming" in _rules(amazon, "5K Gold Chain Necklace for Men, 20 Inch")
    assert "us.jewelry_naming" in _rules(amazon, "Ruby Crystal Pendant Necklace, Silver Tone")
    assert "us.textile_naming" in _rules(amazon, "Bamboo Fabric Crew Socks, 6 Pairs, 80% Rayon 20% Spandex")
    assert "us.negative_option" in _rules(google, "Get Your Free Trial Anti-Aging Serum 1 oz")
    assert "us.child_safety" in _rules(amazon, "Padded Crib Bumper Pads, Cotton, Blue")
    assert "us.child_safety" in _rules(amazon, "Baby Rocker\nInclined Infant Sleeper for naps", field="bullets")
    assert "us.review_suppression" in _rules(amazon, "Air fryer\nA 1-star review cancels your free service plan",
                                            field="bullets")
    assert "us.origin_claim" in _rules(amazon, "Flag\nMade right here in the USA\nImported", field="bullets")
    # their lawful neighbours: a gold-tone hoop, titanium called hypoallergenic, rayon from bamboo, a tank's lining, a
    # trial size, a door bumper, an HTML apostrophe an export left, the FTC's own "assembled in USA from imported parts"
    lawful = ["Gold-Tone Hoop Earrings, Stainless Steel, 25 mm", "Hypoallergenic Titanium Stud Earrings, 3 Pairs",
              "Viscose Made from Bamboo Sheet Set, King", "Water Heater with Blue Diamond Glass Lined Tank, 25 L",
              "Travel Trial Size Toothpaste, 0.85 oz, 4 Pack", "Door Stop Wall Bumpers, 10 Pack", "Women&#39;s Rain Boots"]
    assert {t: _rules(amazon, t) & {"amazon.promo", "us.jewelry_naming", "us.textile_naming", "us.child_safety"}
            for t in lawful} == {t: set() for t in lawful}
    assert "us.origin_claim" not in _rules(amazon, "Bench\nAssembled in USA from imported components", field="bullets")


def test_english_round_four_pets_children_devices_naming_and_endorsements_in_other_words() -> None:
    # from the fourth English held-out set's misses (test_terms_en4.toml), in wordings that set did not use
    amazon, google = Checker("amazon", grounding=False), Checker("google", grounding=False)

    claims = [
        ("amazon.promo", amazon, "Wool Rug 5 x 8 Ft, Doorbusters, Ivory", "title"),
        ("amazon.bullet_claim", amazon, "Pens\nText PENS to 40404 for refills", "bullets"),
        ("us.disease_claim", amazon, "Probiotic Chews for Cats, Works Against Kidney Stones", "title"),
        ("us.disease_claim", google, "Hemp Chews for Dogs Heals Hip Dysplasia 60 Count", "title"),
        ("us.disease_claim", amazon, "Chamomile Drops, Natural Colic Relief for Infants", "title"),
        ("us.disease_claim", amazon, "Peptide Serum\nBoosts collagen synthesis overnight", "bullets"),
        ("us.pesticide_claim", amazon, "Lemon Eucalyptus Spray\nRepels mosquitoes that spread malaria", "bullets"),
        ("us.pesticide_safety", amazon, "Commercial Grade Ant Killer Bait Stations, 12 Pack", "title"),
        ("us.origin_claim", amazon, "Tote bag\nHandmade in Brooklyn\nMade in India", "bullets"),
        ("us.jewelry_naming", amazon, "Cultured Diamonds Hoop Earrings, 1 ctw", "title"),
        ("us.jewelry_naming", amazon, "Sapphire halo ring\nCenter stone: blue cubic zirconia", "bullets"),
        ("us.textile_naming", amazon, "Pure silk scarf\nFabric content: 100% polyester", "bullets"),
        ("us.textile_naming", amazon, "Fox fur keychain\nFur: dyed rabbit", "bullets"),
        ("us.false_endorsement", google, "Combat Boots Approved by the Marine Corps 9 Inch", "title"),
        ("us.prescription_device", amazon, "Halloween Contact Lenses, Rx-Free, White, 1 Pair", "title"),
        ("us.prescription_device", amazon, "Blue Laser Pointer 500 mW, Long Range", "title"),
        ("us.sunscreen_terms", amazon, "Kids Sunscreen Spray SPF 50, Waterproof, 5 oz", "title"),
        ("us.organic_claim", google, "Organic Sea Salt Flakes 8 oz", "title"),
    ]
    assert [(rule, text) for rule, chk, text, field in claims if rule not in _rules(chk, text, field)] == []
    # their lawful neighbours: sweatproof earbuds (no sunscreen), a registered OTC hearing aid, organic herbs with salt,
    # a 5 mW pointer, a stated prescription, a lab-grown stone, real rabbit fur named, a blend stated as such
    lawful = ["Wireless Earbuds, Sweatproof, 30 Hour Battery", "OTC Hearing Aid for Mild to Moderate Hearing Loss",
              "Organic Basil and Sea Salt Seasoning, 2 oz", "Red Laser Pointer, Under 5 mW, Class 3R",
              "Colored Contacts, Valid Prescription Required, Gray", "Lab-Grown Diamond Studs, 14K Gold",
              "Beanie with Genuine Rabbit Fur Pom Pom", "70% Wool 30% Cashmere Scarf", "Military-Style Cargo Pants"]
    rules = {"us.sunscreen_terms", "us.prescription_device", "us.organic_claim", "us.jewelry_naming",
             "us.textile_naming", "us.false_endorsement"}
    assert {t: _rules(amazon, t) & rules for t in lawful} == {t: set() for t in lawful}


def test_english_round_five_drugs_weight_loss_children_vehicles_and_equipment_in_other_words() -> None:
    # from the fifth English held-out set's misses (test_terms_en5.toml), in wordings that set did not use
    amazon, google = Checker("amazon", grounding=False), Checker("google", grounding=False)

    claims = [
        ("us.unapproved_drug", amazon, "Homeopathic HCG Pellets for Weight Loss, 1 oz", "title"),
        ("us.unapproved_drug", google, "LGD-4033 Ligandrol 10 mg 90 Capsules", "title"),
        ("us.unapproved_drug", amazon, "Hemp softgels\nFull-spectrum CBD, sold as a dietary supplement", "bullets"),
        ("us.unapproved_drug", amazon, "Ear Candling Kit with Protective Discs, 12 Pack", "title"),
        ("us.disease_claim", amazon, "Curcumin Capsules Soothes Sciatica Pain, 60 Count", "title"),
        ("us.disease_claim", google, "Lion's Mane Extract\nSupport for Alzheimer's symptoms", "bullets"),
        ("us.disease_claim", amazon, "Keto Pills, Lose Weight Without Dieting, 60 Count", "title"),
        ("us.disease_claim", amazon, "Belly patch\nMelts belly fat while you sleep", "bullets"),
        ("us.disease_claim", amazon, "EMF Shield Sticker Blocks Cell Phone Radiation, 6 Pack", "title"),
        ("us.environmental", amazon, "Makeup remover\nFlushable makeup wipes, 30 count", "bullets"),
        ("us.environmental", google, "Ceramic-look skillet\nPTFE coating that is PFOA-free", "bullets"),
        ("us.children_garment", amazon, "Girls' puffer jacket, size 7\nHood with adjustable drawstring", "bullets"),
        ("us.child_safety", google, "Youth helmet\nDesigned for cycling\nNot tested to the CPSC standard", "bullets"),
        ("us.false_endorsement", amazon, "Open Face Motorcycle Helmet, NHTSA Certified, Matte Grey", "title"),
        ("us.banned_equipment", amazon, "EGR/DPF Delete Kit for 6.4L Power Stroke", "title"),
        ("us.banned_equipment", google, "WiFi Jammer Portable 6 Band Blocker", "title"),
        ("us.banned_equipment", amazon, "Tinted License Plate Cover, Hides Speed Cameras", "title"),
        ("us.banned_equipment", amazon, "Out-The-Front Tactical Knife, Dual Action, Black", "title"),
        ("us.banned_equipment", google, "Ozone Generator for Home Use 5000 mg/h", "title"),
    ]
    assert [(rule, text) for rule, chk, text, field in claims if rule not in _rules(chk, text, field)] == []
    # their lawful neighbours: an adult's hoodie, a CBD cream, an hCG test, a spring-assisted knife, a replacement DPF, an
    # ozone-free purifier, a Faraday pouch, a helmet certified to its standard, an acronym in capitals
    lawful = ["Men's Pullover Hoodie with Drawstring Hood, Black", "CBD Muscle Cream 500 mg, 4 oz",
              "hCG Early Pregnancy Test Strips, 25 Count", "Spring Assisted Folding Knife, 3 Inch Blade",
              "Replacement DPF Filter for Duramax 6.6L", "HEPA Air Purifier for Bedroom, Ozone-Free",
              "Faraday Bag Signal Blocker for Car Keys", "Kids Bike Helmet, Meets CPSC 16 CFR 1203",
              "Motorcycle Helmet, DOT FMVSS 218 Certified, Large"]
    rules = {"us.unapproved_drug", "us.banned_equipment", "us.children_garment", "us.child_safety", "us.environmental",
             "us.disease_claim", "us.false_endorsement", "amazon.caps"}
    assert {t: _rules(amazon, t) & rules for t in lawful} == {t: set() for t in lawful}


def test_english_round_six_tobacco_alcohol_fireworks_unapproved_remedies_and_marketplace_bans_in_other_words() -> None:
    # from the sixth English held-out set's misses (test_terms_en6.toml), in wordings that set did not use
    amazon, google, shopify = (Checker(p, grounding=False) for p in ("amazon", "google", "shopify"))

    claims = [
        ("us.tobacco_claim", shopify, "Pipe Tobacco, All-Natural Tobacco, Cherry, 50 g", "title"),
        ("us.tobacco_claim", shopify, "Pod vape kit\nSafer than smoking cigarettes", "bullets"),
        ("us.tobacco_claim", google, "Light Cigars, Vanilla, 5 Pack", "title"),
        ("us.tobacco_delivery", shopify, "Disposable vape, 5000 puffs\nNo signature required at delivery", "bullets"),
        ("us.tobacco_delivery", shopify, "E-liquid 60 mL\nShipped via USPS Priority Mail", "bullets"),
        ("us.marketplace_ban", amazon, "Vape Pods 4 Pack, Mint, 2 mL", "title"),
        ("us.marketplace_ban", google, "E-Cigarette Starter Kit, Black", "title"),
        ("us.alcohol_claim", amazon, "Organic Sulfite-Free Red Wine, No Hangover, 750 ml", "title"),
        ("us.alcohol_claim", google, "Alcohol Free Hazy IPA, 0.3% ABV, 6 Pack", "title"),
        ("us.alcohol_claim", shopify, "Caffeinated Hard Seltzer, Lime, 12 Pack", "title"),
        ("us.origin_name", shopify, "American Scotch Whisky, 700 ml", "title"),
        ("us.origin_name", amazon, "California Tequila Reposado, 750 ml", "title"),
        ("us.origin_name", amazon, "Kona Blend Ground Coffee, 12 oz (2% Kona)", "title"),
        ("us.unapproved_drug", amazon, "Tattoo Remover Gel, 1 oz", "title"),
        ("us.unapproved_drug", google, "Mole Removal Pen, Fast Results", "title"),
        ("us.unapproved_drug", shopify, "Isobutyl Nitrite Room Aroma, 10 mL", "title"),
        ("us.unapproved_drug", amazon, "Herbal Wormer for Cats, 2 oz", "title"),
        ("us.unapproved_drug", amazon, "SPF Gummies, Daily Sun Support, 60 Count", "title"),
        ("us.oral_sun_claim", amazon, "Polypodium capsules\nProtects skin against UV rays", "bullets"),
        ("us.disease_claim", amazon, "Cat eye drops\nClears up eye infections fast", "bullets"),
        ("us.banned_equipment", google, "Cherry Bombs, 12 Count", "title"),
        ("us.banned_equipment", amazon, "Lead Candle Wicks, 50 Pack", "title"),
        ("us.banned_equipment", google, "Solvent Trap Suppressor, 1/2x28", "title"),
        ("us.refrigerant_sale", shopify, "R-22 Refrigerant 25 lb, No License Required", "title"),
    ]
    assert [(rule, text) for rule, chk, text, field in claims if rule not in _rules(chk, text, field)] == []
    # their lawful neighbours: nicotine replacement, a private carrier with an adult signature, a 0.0% beer, a Scotch
    # from Scotland, a 10% Kona blend, a consumer firework, zinc wicks, a wart remover, a lip gloss, party poppers, a
    # sunscreen lotion, a small refrigerant can, a suppressor-free muzzle device
    lawful = [(amazon, "Nicotine Patch Step 1, 21 mg, 14 Patches"), (amazon, "Nicotine Gum 2 mg, Stop Smoking Aid"),
              (shopify, "Disposable vape\nAdult signature and ID check at delivery by UPS"),
              (amazon, "Alcohol-Free IPA, 0.0% ABV, 6 Pack"), (google, "Single Malt Scotch Whisky, Product of Scotland"),
              (amazon, "Kona Blend Coffee, 10% Kona Coffee, 1 lb"), (shopify, "Kentucky Straight Bourbon Whiskey"),
              (google, "Fountain Cake, Consumer 1.4G, 500 g Composition"), (amazon, "Zinc-Core Candle Wicks, 100 Pack"),
              (amazon, "Wart Remover Liquid, 17% Salicylic Acid"), (amazon, "Hyaluronic Acid Lip Gloss, Clear"),
              (amazon, "Confetti Party Poppers, 50 Pack"), (amazon, "SPF 50 Sunscreen Lotion, Protects Skin from UV Rays"),
              (amazon, "R-134a Refrigerant 12 oz Can with Self-Sealing Valve"), (amazon, "Muzzle Brake 1/2x28, Steel"),
              (amazon, "Light Roast Coffee, 2 lb"), (amazon, "Mild Salsa, 16 oz")]
    rules = {"us.tobacco_claim", "us.tobacco_delivery", "us.marketplace_ban", "us.alcohol_claim", "us.origin_name",
             "us.unapproved_drug", "us.oral_sun_claim", "us.disease_claim", "us.banned_equipment", "us.refrigerant_sale"}
    assert {t: _rules(chk, t, "bullets" if "\n" in t else "title") & rules for chk, t in lawful} == \
        {t: set() for _chk, t in lawful}


def test_english_round_seven_barred_ingredients_nutrient_numbers_colour_additives_devices_and_offers() -> None:
    # from the seventh English held-out set's misses (test_terms_en7.toml), in wordings that set did not use
    amazon, google, shopify = (Checker(p, grounding=False) for p in ("amazon", "google", "shopify"))

    claims = [
        ("us.banned_ingredient", amazon, "7-OH Kratom Extract Shots, 12 Pack", "title"),
        ("us.banned_ingredient", google, "Fat Burner with Methylhexanamine, 90 Capsules", "title"),
        ("us.banned_ingredient", shopify, "Ephedra Extract Tablets, 120 Count", "title"),
        ("us.banned_ingredient", amazon, "Amanita Muscaria Gummies, 20 Count", "title"),
        ("us.banned_ingredient", shopify, "Baking vanilla, 4 fl oz\nBlended with tonka bean extract", "bullets"),
        ("us.nutrient_claim", amazon, "Low-Sodium Soup, 600 mg Sodium per Serving, 18 oz", "title"),
        ("us.nutrient_claim", google, "Calorie-Free Syrup, 20 Calories per Serving, 12 oz", "title"),
        ("us.nutrient_claim", amazon, "Fruit bars, 6 count\nNo added sugar\nSweetened with grape juice concentrate",
         "bullets"),
        ("us.nutrient_claim", shopify, "100% Pure Honey, 1 lb - Ingredients: Honey, Corn Syrup", "title"),
        ("us.colour_additive", amazon, "Black Henna Temporary Tattoo Kit, 3 Tubes", "title"),
        ("us.colour_additive", google, "Lash Tint Kit, Blue-Black, 20 Uses", "title"),
        ("us.device_claim", amazon, "EMS belt\nFlat abs without workouts", "bullets"),
        ("us.device_claim", google, "OTC Hearing Aids for Children, Rechargeable", "title"),
        ("us.child_safety", amazon, "Realistic Toy Revolver, Without Orange Tip, Metal", "title"),
        ("us.child_safety", shopify, "Magnetic Balls for Kids 6+, 512 Pcs", "title"),
        ("us.unlawful_offer", shopify, "Raw goat milk, half gallon\nShips to all 50 states", "bullets"),
        ("us.environmental", amazon, "Ozone-Safe Hair Spray, Isobutane Propellant, 8 oz", "title"),
    ]
    assert [(rule, text) for rule, chk, text, field in claims if rule not in _rules(chk, text, field)] == []
    # their lawful neighbours: kratom leaf left alone by these rules, ephedra seed, a fly-agaric print, a tonka candle,
    # claims the numbers bear out, henna for the hair, a brow pencil, a disclaimer, adult OTC aids, an orange-tipped toy,
    # water beads for vases, raw-milk cheese, a 249 g drone
    lawful = [(amazon, "Ephedra Sinica Seeds for Planting, 50 Seeds"), (amazon, "Fly Agaric Mushroom Art Print, 8x10"),
              (amazon, "Tonka Bean Scented Candle, 8 oz"), (amazon, "Low Sodium Broth, 90 mg Sodium per Cup"),
              (amazon, "Sugar Free Mints, 0 g Sugar, 50 Count"), (amazon, "Henna Hair Color Powder, Auburn, 100 g"),
              (amazon, "Brow Pencil with Spoolie, Taupe"),
              (google, "Lambskin condoms\nDoes not protect against STDs"),
              (google, "OTC Hearing Aids for Adults, Mild to Moderate Loss"),
              (amazon, "Toy Cap Gun with Orange Tip, Ages 8+"),
              (amazon, "Water Beads for Vases, Not a Toy, 10 oz"),
              (shopify, "Raw Milk Cheddar, Aged 60 Days\nShips nationwide"),
              (google, "Mini drone, 249 g\nNo FAA registration required for recreational flying")]
    rules = {"us.banned_ingredient", "us.nutrient_claim", "us.colour_additive", "us.device_claim", "us.child_safety",
             "us.unlawful_offer", "us.environmental", "us.disease_claim"}
    assert {t: _rules(chk, t, "bullets" if "\n" in t else "title") & rules for chk, t in lawful} == \
        {t: set() for _chk, t in lawful}


def test_a_superlative_said_of_a_kind_of_goods_in_general_asks_the_seller() -> None:
    # in seller prose, "X一直是…最Y的单品" speaks of shirts in general: whether it points at the goods advertised the text
    # cannot decide (SAMR 2023 五(八)), so the seller is asked; the same words of "这件" shirt, or a title's rank, are errors
    chk = Checker("taobao", grounding=False)

    def severities(text: str) -> list[str]:
        return [f.severity for f in chk.check(text, None, field="description", grounding=False)
                if f.rule == "adlaw.absolute"]

    assert severities("格子衬衫一直是秋冬最经典的单品，百搭又耐看。") == ["warning"]
    assert severities("牛仔外套可以说是春天的首选，这件就很好看。") == ["warning"]
    assert severities("这件格子衬衫是秋冬最经典的单品，百搭又耐看。") == ["error"]
    assert severities("全网最经典格子衬衫 秋冬") == ["error"]


def test_english_round_eight_warranty_terms_fees_gift_cards_fibres_pearls_and_goods_called_new() -> None:
    # from the eighth English held-out set's misses (test_terms_en8.toml), in wordings that set did not use
    amazon, google, shopify = (Checker(p, grounding=False) for p in ("amazon", "google", "shopify"))

    claims = [
        ("us.warranty_terms", shopify, "Blender\n1-year warranty\nWarranty void if the seal on the base is removed",
         "bullets"),
        ("us.warranty_terms", google, "Printer\nNon-Acme ink cartridges void the warranty", "bullets"),
        ("us.warranty_terms", amazon, "Mower\nWarranty voided if repaired by anyone other than our dealers", "bullets"),
        ("us.warranty_terms", shopify, "Kettle\n2-year limited warranty\nAll implied warranties are disclaimed",
         "bullets"),
        ("us.hidden_fee", shopify, "Vase, $30\n+ $3.50 service fee added at checkout", "bullets"),
        ("us.hidden_fee", google, "E-gift card, $50\nExpires in 2 years", "bullets"),
        ("us.hidden_fee", google, "Gift card\n$1 dormancy fee after 3 months", "bullets"),
        ("us.environmental", amazon, "Tote Made from Recycled Plastic, 40% Recycled PET", "title"),
        ("us.textile_naming", amazon, "Men's 100% Down Vest, Fill: 80% Down / 20% Feathers", "title"),
        ("us.textile_naming", shopify, "Cashmere Scarf, 70% Wool / 30% Nylon", "title"),
        ("us.pearl_naming", amazon, "Faux Pearl Earrings, Gold-Tone", "title"),
        ("us.pearl_naming", google, "Natural Pearl Necklace, Freshwater Cultured, 8 mm", "title"),
        ("us.misdescribed_goods", shopify, "New open-box blender, returned unused", "bullets"),
        ("us.negative_option", shopify, "Snack box subscription\nRenews automatically\nCancellation by phone only",
         "bullets"),
    ]
    assert [(rule, text) for rule, chk, text, field in claims if rule not in _rules(chk, text, field)] == []
    # their lawful neighbours
    lawful = [(shopify, "Blender\n1-year limited warranty\nAny repair shop may service it"),
              (shopify, "Vase, $30\nShipping calculated at checkout"), (shopify, "Vase\nOptional gift wrap, add $4 at checkout"),
              (google, "E-gift card, $50\nNo expiration date and no fees"),
              (amazon, "Tote Made with 40% Recycled PET"), (amazon, "Duck Down Vest, Fill: 80% Down / 20% Feathers"),
              (shopify, "Cashmere Scarf, 100% Cashmere"), (amazon, "Imitation Pearl Earrings, Gold-Tone"),
              (amazon, "Freshwater Cultured Pearl Necklace, 8 mm"), (shopify, "Open-box blender, used once, returned"),
              (shopify, "Snack box subscription\nRenews automatically\nCancel anytime online")]
    rules = {"us.warranty_terms", "us.hidden_fee", "us.environmental", "us.textile_naming", "us.pearl_naming",
             "us.misdescribed_goods", "us.negative_option", "shopify.promo", "amazon.promo"}
    assert {t: _rules(chk, t, "bullets" if "\n" in t else "title") & rules for chk, t in lawful} == \
        {t: set() for _chk, t in lawful}
