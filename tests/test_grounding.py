"""The grounding checks: invented and contradicted facts are found, faithful titles raise no alarm."""

from listingforge.compliance import Checker, Lexicon
from listingforge.product import Product

P = Product(id="1", lang="zh", brand="花花", category="女装 > 连衣裙",
            attributes=[("颜色", "红色"), ("材质", "纯棉"), ("尺码", "M"), ("净含量", "500ml"), ("型号", "HH-200")])


def grounding_findings(text, product=P, lexicon=None, mode="strict"):
    chk = Checker("generic", lexicon=lexicon or Lexicon())
    return [f for f in chk.check(text, product, grounding_mode=mode) if f.rule.startswith("grounding.")]


def grounding_rules(text, product=P, lexicon=None, mode="strict"):
    return [(f.rule, f.text) for f in grounding_findings(text, product, lexicon, mode)]


def test_faithful_title_has_no_findings():
    assert grounding_rules("花花 红色纯棉连衣裙 HH-200 500ml") == []
    assert grounding_rules("花花红色连衣裙 女装 新款") == []  # no known fact claimed beyond the product
    assert ("grounding.unsupported", "夏季") in grounding_rules("花花红色连衣裙 夏季")  # a season is a claim


def test_invented_number_model_and_unit():
    found = grounding_rules("花花连衣裙 1000ml HH-300 3件")
    assert ("grounding.number", "1000ml") in found
    assert ("grounding.model", "HH-300") in found
    assert ("grounding.number", "3件") in found


def test_invented_attribute_values_are_claims():
    found = grounding_rules("花花宽松蓝色连衣裙 真丝")
    assert ("grounding.unsupported", "宽松") in found  # 版型 not given
    assert ("grounding.contradiction", "蓝色") in found  # 颜色=红色
    assert ("grounding.contradiction", "真丝") in found  # 材质=纯棉
    msg = next(f.message for f in grounding_findings("蓝色连衣裙"))
    assert "颜色=红色" in msg


def test_competitor_and_foreign_brands():
    found = grounding_rules("花花连衣裙 媲美兰蔻")
    assert ("grounding.competitor", "媲美兰蔻") in found
    assert ("grounding.brand", "优衣库") in grounding_rules("优衣库连衣裙")
    # the product's own brand is fine, and a brand the product names in its data too
    own = Product(id="2", brand="Nike", lang="en", attributes=[("compatible", "Nike shoes")])
    assert grounding_rules("Nike running shoes", own) == []


def test_english_values_are_whole_words():
    p = Product(id="3", lang="en", attributes=[("color", "Black"), ("type", "bag")])
    assert grounding_rules("Black shredded-paper bag", p) == []  # "red" inside "shredded" is not a claim
    assert ("grounding.contradiction", "red") in grounding_rules("Black and red bag", p)


def test_lexicon_learns_catalog_values():
    catalog = [Product(id=str(i), attributes=[("风格", "通勤"), ("领型", "方领")]) for i in range(3)]
    lex = Lexicon().fit(catalog)
    assert grounding_rules("花花通勤方领连衣裙", P, Lexicon()) == []  # unknown values: no claim seen
    found = grounding_rules("花花通勤方领连衣裙", P, lex)
    assert ("grounding.unsupported", "通勤") in found and ("grounding.unsupported", "方领") in found


def test_product_without_brand_gets_no_brand():
    no_brand = Product(id="4", lang="zh", attributes=[("颜色", "黑色")])
    assert ("grounding.brand", "花花") in grounding_rules("花花黑色连衣裙", no_brand, Lexicon().fit([P]))


def test_checker_fixes_invented_facts():
    chk = Checker("taobao", lexicon=Lexicon())
    text, fixed, left = chk.check_and_fix("花花红色连衣裙 媲美兰蔻 1000ml", P)
    assert "兰蔻" not in text and "1000" not in text
    assert {f.rule for f in fixed} >= {"grounding.competitor", "grounding.number"}
    assert not left


def test_scan_is_longest_first_and_sees_later_additions():
    import pickle

    lex = Lexicon(builtin=False)
    for v in ("纯棉", "棉麻", "red"):
        lex.add_value("材质", v)
    # greedy from the left, longest known string at each start; "red" inside "shredded" is no value
    assert lex.find_values("纯棉麻 shredded red") == [(0, 2, "纯棉"), (13, 16, "red")]
    lex.add_value("材质", "纯棉麻")  # a value learned after a scan must be found by the next one
    assert lex.find_values("纯棉麻 red")[0] == (0, 3, "纯棉麻")
    again = pickle.loads(pickle.dumps(lex))  # worker processes get the lexicon pickled
    assert again.find_values("纯棉麻 red") == lex.find_values("纯棉麻 red")
    assert Lexicon(builtin=False).find_brands("anything") == []


def test_one_pass_finds_brands_and_values_each_by_its_own_longest_match():
    import pickle

    lex = Lexicon(builtin=False)
    for v in ("纯棉", "棉麻", "red", "apple"):
        lex.add_value("材质" if v != "apple" else "口味", v)
    lex.add_brand("Apple")  # both a brand and a value: each kind sees it
    lex.add_brand("红豆")
    text = "Apple 红豆纯棉 apple pie"
    assert lex.find_facts(text) == ([(0, 5, "apple"), (6, 8, "红豆"), (11, 16, "apple")],
                                    [(0, 5, "apple"), (8, 10, "纯棉"), (11, 16, "apple")])
    assert lex.find_facts("redapple") == ([], [])  # Latin strings glued to letters are no facts
    assert (lex.find_brands(text), lex.find_values(text)) == lex.find_facts(text)
    lex.add_brand("棉麻坊")  # learned after a pass: the next one sees it; the value 棉麻 inside stays a value
    assert lex.find_facts("棉麻坊") == ([(0, 3, "棉麻坊")], [(0, 2, "棉麻")])
    again = pickle.loads(pickle.dumps(lex))
    assert again.find_facts(text) == lex.find_facts(text)
    assert Lexicon(builtin=False).find_facts("anything") == ([], [])


def test_one_pass_matches_a_plain_greedy_scan_on_random_texts():
    import random

    from listingforge.knowledge.lexicon import _glued

    lex = Lexicon(builtin=False)
    values = ["纯棉", "纯棉麻", "棉麻", "red", "redwood", "wood", "apple", "红色"]
    brands = ["apple", "apple pie", "red", "红豆", "豆沙"]
    for v in values:
        lex.add_value("x", v)
    for b in brands:
        lex.add_brand(b)

    def plain(low: str, known: list[str]) -> list[tuple[int, int, str]]:
        # from the left, at each start the longest known string that is a whole word; what it covers is skipped
        out, i = [], 0
        for start in range(len(low)):
            if start < i:
                continue
            for k in sorted((k for k in known if low.startswith(k, start)), key=len, reverse=True):
                if _glued(low, start - 1, low[start]) or _glued(low, start + len(k), low[start + len(k) - 1]):
                    continue
                out.append((start, start + len(k), k))
                i = start + len(k)
                break
        return out

    rng = random.Random(0)
    pieces = [*values, *brands, "Red", "APPLE", "s", "ed", "x1", "7", " ", " ", "的", "沙", "纯", "shred", "-"]
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 9)))
        low = text.lower()
        assert lex.find_facts(text) == (plain(low, brands), plain(low, values)), text


BAG = Product(id="5", lang="zh", brand="木槿", attributes=[("适用性别", "女"), ("大小", "中"), ("适用季节", "秋冬"),
                                                         ("材质", "PU"), ("类型", "单肩包")])


def test_typed_claims_contradict_by_meaning_not_spelling():
    found = grounding_rules("木槿男士大容量单肩包", BAG)
    assert ("grounding.contradiction", "男士") in found  # 适用性别 is 女
    assert ("grounding.contradiction", "大容量") in found  # 大小 is 中
    msg = next(f.message for f in grounding_findings("木槿男士单肩包", BAG))
    assert "gender" in msg and "女" in msg
    # words that agree with what the product states, in other words, are fine
    assert grounding_rules("木槿女士秋季单肩包", BAG) == []  # 秋 is within 秋冬
    assert ("grounding.contradiction", "夏季") in grounding_rules("木槿夏季单肩包", BAG)
    # a one-character gender word counts where it stands as a word, not inside another word
    assert ("grounding.contradiction", "男") in grounding_rules("木槿单肩包男", BAG)
    assert grounding_rules("木槿单肩包 美女", BAG) == []


def test_a_thickness_and_a_glossed_value_are_contradicted_by_their_opposites():
    # a model wrote 厚款 on trousers whose 厚薄 is 薄款, and 高帮 on a shoe the catalog lists as "低帮（帮高小于10cm)"
    trousers = Product(id="t", lang="zh", brand="哥弟", attributes=[("厚薄", "薄款"), ("裤长", "长裤")])
    assert ("grounding.contradiction", "厚款") in grounding_rules("哥弟微喇裤厚款长裤", trousers)
    assert ("grounding.contradiction", "加绒") in grounding_rules("哥弟加绒长裤", trousers)
    assert grounding_rules("哥弟轻薄长裤", trousers) == []
    shoe = Product(id="s", lang="zh", brand="Adidas", attributes=[("鞋帮高度", "低帮（帮高小于10cm)")])
    catalog = [shoe, Product(id="h", attributes=[("鞋帮高度", "高帮（帮高大于20cm)")])]
    lexicon = Lexicon().fit(catalog)
    assert ("grounding.contradiction", "高帮") in grounding_rules("Adidas低帮板鞋高帮板靴", shoe, lexicon)
    assert grounding_rules("Adidas低帮", shoe, lexicon) == []  # the value itself, its gloss left out


def test_unsupported_services_ingredients_and_product_words():
    found = grounding_rules("木槿单肩包包邮 孕妇 氨基酸 连衣裙", BAG)
    assert {("grounding.unsupported", w) for w in ("包邮", "孕妇", "氨基酸", "连衣裙")} <= set(found)


def test_a_sellers_own_text_is_checked_for_contradictions_only():
    found = grounding_rules("木槿男士单肩包 包邮 正品", BAG, mode="contradiction")
    assert found == [("grounding.contradiction", "男士")]


def test_a_word_where_two_of_the_products_own_values_meet_is_no_claim():
    shaver = Product(id="s", lang="zh", brand="zler", attributes=[("功能", "可水洗"), ("功能", "护肤")])
    lex = Lexicon().fit([Product(id="o", brand="洗护", attributes=[("类型", "洗护")]), shaver])
    assert grounding_rules("zler可水洗护肤", shaver, lex) == []  # 可水洗|护肤 holds 洗护, which it does not say
    found = grounding_rules("zler洗护", shaver, lex)  # standing alone, it is a brand the product is not
    assert ("grounding.brand", "洗护") in found
