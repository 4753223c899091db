"""The catalog knowledge: typed words, the product word from a product's own facts, phrasing, the language
model, saved and loaded."""

from listingforge.knowledge import CatalogKnowledge
from listingforge.knowledge.brands import BrandFinder, split_forms
from listingforge.knowledge.claims import FITS, contradiction
from listingforge.knowledge.lexicon import Lexicon
from listingforge.knowledge.lm import CharLM
from listingforge.knowledge.product_words import ProductWords
from listingforge.knowledge.types import load_types
from listingforge.product import Product


def test_types_know_what_a_word_claims_and_what_includes_what():
    t = load_types()
    assert t.type_of("适用性别") == "gender" and t.type_of("Gender") == "gender"
    assert t.type_of("鞋底材质") == "part_material"  # a part's material, by its name
    assert t.canonicals_in("season", "2020年秋季") == {"秋"}
    assert t.canonicals_in("season", "秋冬季") == {"秋冬"}  # the longest form, not 秋 and 冬
    assert t.fits("season", "秋冬", "秋") and not t.fits("season", "秋冬", "夏")
    assert t.fits("gender", "通用", "女") and not t.fits("gender", "女", "男")


def test_a_contradiction_is_by_meaning():
    bag = Product(id="b", attributes=[("适用性别", "女"), ("大小", "中"), ("颜色", "红色")])
    lex = Lexicon().fit([bag])
    assert "gender" in contradiction("男士", bag, lex)
    assert "size" in contradiction("大容量", bag, lex)
    assert contradiction("女士", bag, lex) == FITS
    assert contradiction("蓝色", bag, lex) == "颜色=红色"
    assert contradiction("蓝色", bag, lex, typed_only=True) is None  # a seller's other colour may be a variant
    assert contradiction("秋季", bag, lex) is None  # the bag states no season: nothing to contradict


def test_the_product_word_comes_from_the_products_own_facts():
    words = ProductWords().fit([])
    def of(*attrs, category=None):
        return [w for w, _ in words.of(Product(id="x", category=category, attributes=list(attrs)))]

    assert of(("品名", "发膜")) == ["发膜"]
    assert of(("型号", "缤肌沁润免蒸护理发膜")) == ["发膜"]  # a compound ends with its head …
    assert of(("款式", "铅笔裤")) == []  # … so "铅笔" (a pencil) never names trousers
    # a size or code after a name is no part of the kind; the short name before it is the seller's word for it
    assert of(("系列", "焦糖饼干500g")) == ["焦糖饼干"] and of(("系列", "雪纱丝柔隔离霜SPF25")) == ["隔离霜"]
    # a field named for the product's own name (面膜单品, 洗发护发单品) is its 品名: the name whole, without the pack's
    # count or a lone character split off it
    assert of(("面膜单品", "蜗牛原液补水保湿面膜")) == ["蜗牛原液补水保湿面膜"]
    assert of(("面膜单品", "舒敏保湿丝滑面膜贴6片/盒")) == ["舒敏保湿丝滑面膜贴"]
    # a short name ending with a known word is the seller's more precise word; a negation or a placeholder is not
    assert of(("裙长", "中长裙")) == ["中长裙"] and of(("口味", "柳州螺蛳粉")) == ["柳州螺蛳粉"]
    assert of(("产品类别", "常规烤箱")) == ["烤箱"]
    assert of(("产品别名", "糖果50pro")) == []  # a known word with only a model after it is a name
    assert of(("型号", "小米方盒子蓝牙音箱2")) == []  # a model's code is its name: printed whole, as a model
    # 款式 names the product only when nothing else does (款式=棒球帽); a cut in it (短款) names nothing
    assert of(("款式", "棒球帽"), ("风格", "休闲")) == ["棒球帽"] and of(("款式", "短款")) == []
    assert of(("品名", "T恤"), ("款式", "吊带")) == ["T恤"]
    # 产品/商品/化妆品 start names of every sort: their product word is the last resort too
    assert of(("产品类别", "常规烤箱"), ("容量", "38L")) == ["烤箱"] and of(("化妆品特性", "洗发水")) == ["洗发水"]
    assert of(("化妆品净含量", "200ml")) == []
    assert of(("电动牙刷类型", "声波式")) == ["电动牙刷"]  # an attribute named for the product's kind
    assert of(("摄像头类型", "四摄")) == []  # but not for one of its parts
    assert of(("像素", "5000万像素主摄 + 1300万超广角镜头")) == []  # nor a spec that names one
    # a value of a field about another kind (the trousers of a shop's sets) is no word for a single coat
    assert of(("款式品名", "毛呢外套"), ("裤长", "长裤")) == ["毛呢外套"]
    assert of(("款式品名", "开衫"), ("裤长", "长裤"), ("组合形式", "两件套")) == ["开衫", "长裤"]
    # a part's own field (its battery, its keyboard) names the part, not the laptop; a field for a kind may be the
    # product's own (麦克风类型 on a 话筒)
    assert of(("品名", "笔记本电脑"), ("锂电池电芯数量", "锂聚合物电池"), ("输入设备", "全尺寸键盘")) == ["笔记本电脑"]
    assert of(("品名", "话筒"), ("麦克风类型", "家庭专用麦克风"))[:1] == ["话筒"]
    assert of(("适用对象", "手机")) == []  # what it fits is not what it is
    assert of(("置物用品类型", "毛巾")) == []  # nor what a rack holds, nor an extra function
    assert of(("附加功能", "收音机"), ("尺寸", "10.1英寸")) == []
    assert of(("流行元素", "手链"), ("机芯类型", "石英机芯")) == []  # nor a design element (a watch styled as a bracelet)
    # a kind of one character says it only when nothing else names the product
    assert of(("锅类型", "无涂层"), ("材质", "铸铁")) == ["锅"]
    assert of(("锅类型", "无涂层"), ("品名", "炒锅")) == ["炒锅"]
    assert of(category="女装 > 连衣裙") == ["连衣裙"]
    # the shop's filing of another kind yields to the product's own word (a hair mask filed under 洗发水), a set
    # (洗护套装) names the whole before its parts
    assert of(("产品", "发膜"), category="美妆洗护 > 洗发水") == ["发膜"]
    assert of(("化妆品特性", "洗发水"), category="美妆洗护 > 洗护套装") == ["洗护套装", "洗发水"]
    assert of(("组合形式", "单件"), category="大服饰 > 时尚套装") == []  # one piece filed with the sets
    # a leaf that files kinds together gives the one the data names, else the first word that names a product;
    # a gloss in brackets is the filing's
    assert of(category="消费电子 > 电磁炉/陶炉") == ["电磁炉"]
    assert of(("配件", "理发器刀头"), category="消费电子 > 剃须刀/理发器") == ["理发器"]
    # 置地 of 置地/升降晾晒衣架 is how it stands: the product's own field names it, before the filing's kind
    assert of(("晒衣架类型", "置地晾衣架"), category="大百货 > 置地/升降晾晒衣架") == ["晒衣架", "置地晾衣架"]
    assert of(("晒衣架类型", "置地晾衣架"), category="大百货 > 落地晾衣架") == ["晒衣架", "置地晾衣架", "落地晾衣架"]
    assert of(("枕头类型", "护颈枕头"), category="大百货 > 乳胶枕")[-1] == "乳胶枕"  # 枕头 and 乳胶枕: one kind
    assert of(category="消费电子 > 男士护理/剃须刀") == ["剃须刀"] and of(category="消费电子 > KTV/卡拉OK音箱") == ["卡拉OK音箱"]
    assert of(category="大服饰 > 乐福鞋（豆豆鞋）") == ["乐福鞋"]
    assert of(category="大服饰 > 国产腕表") == ["腕表"]  # a shelf by origin; the product is a 腕表
    assert of(("款式", "软壳"), category="消费电子 > 手机保护套/壳") == ["手机保护套"]
    assert of(("材质", "普通玻璃"), category="大百货 > 碗") == ["碗"]  # a leaf of one known character names it
    assert of(category="消费电子 > 普通路由器") == ["路由器"]  # a shelf by grade
    assert of(category="食品 > 驼奶及驼奶粉") == ["驼奶粉"]  # kinds filed together with 及, as with "/"
    assert of(category="美妆") == []  # a lone top level is a department
    assert of(category="Computers|Cables|USBCables") == []  # a node id is no word a title uses
    # a store's category levels are departments: the product word only when nothing names the product better
    assert of(("masterCategory", "Apparel"), ("subCategory", "Topwear"), ("articleType", "Shirts")) == ["Shirts"]
    assert of(("masterCategory", "Accessories"), ("subCategory", "Watches")) == ["Watches"]


def test_a_product_name_that_starts_with_the_brand_names_the_product_after_it():
    words = ProductWords().fit([Product(id="c", title="中国劲酒", attributes=[("品名", "中国劲酒")])])

    def of(brand, name):
        return [w for w, _ in words.of(Product(id="x", attributes=[("品名", name), ("品牌", brand)]))]

    # too long with the brand in front, the name was dropped and the title named no product at all
    assert of("Bodyaid/博滴", "Bodyaid 生姜防脱洗发水") == ["生姜防脱洗发水"]
    assert of("cibio'2", "CIBIO'2夜间修护唇膜（柑橘味）")[:1] == ["夜间修护唇膜"]
    assert of("swisse", "Swisse摩洛哥坚果眼霜15ml")[0].startswith("摩洛哥坚果眼霜")
    assert of("劲", "劲牌中国劲酒") == ["中国劲酒"]  # X牌 is the brand X's name
    # what is left must name a kind: "维他奶系列" after Vitasoy is the brand's range, not a product word
    assert "系列" not in of("Vitasoy/维他奶", "Vitasoy维他奶系列")
    assert of("花西", "空") == []  # an empty field names nothing
    assert of("花", "花露水") == ["花露水"]  # one character is a brand only as 花牌


def test_a_one_character_brand_is_written_with_pai():
    k = CatalogKnowledge().fit([Product(id="t", lang="zh", title="劲牌中国劲酒", attributes=[("品名", "中国劲酒")])])
    assert k.brand_text(Product(id="a", lang="zh", attributes=[("品牌", "劲")]), "zh") == "劲牌"
    assert k.brand_text(Product(id="b", lang="zh", attributes=[("品牌", "维他奶")]), "zh") == "维他奶"
    assert k.brand_text(Product(id="c", lang="zh", attributes=[("品牌", "LG")]), "zh") == "LG"


def test_a_code_in_a_product_type_field_is_no_product_word_for_any_product():
    # sellers put codes and ids in 产品名称; learned as words, "123" named every product with 型号=123
    catalog = [Product(id=f"c{i}", title="电热毯双人", attributes=[("产品名称", v), ("型号", "123")])
               for i, v in enumerate(["123", "174ad77a-2ab0-419a", "229mz_1637674146348", "电热毯", "Heating Pad"])]
    words = ProductWords().fit(catalog)
    assert "123" not in words.words_ and "229mz_1637674146348" not in words.words_
    assert {"电热毯", "heating pad"} <= set(words.words_)
    assert [w for w, _ in words.of(Product(id="x", attributes=[("型号", "123"), ("颜色", "红色")]))] == []
    assert [w for w, _ in words.of(Product(id="y", attributes=[("产品名称", "0800")]))] == []


def test_a_categorys_usual_product_word_needs_support():
    cat = [Product(id=str(i), category="家居日用", title=f"简约 收纳盒 {i}") for i in range(6)]
    words = ProductWords(min_support=5).fit(cat)
    assert words.of(Product(id="n", category="家居日用")) == [("收纳盒", "most titles of category 家居日用")]
    assert ProductWords(min_support=7).fit(cat).of(Product(id="n", category="家居日用")) == []


def test_an_attribute_name_names_the_product_when_the_catalogs_titles_agree():
    shoes = [Product(id=f"s{i}", title=f"春季新款 {w} {i}", attributes=[("鞋面材质", "牛皮"), ("风格", "休闲")])
             for i, w in enumerate(["板鞋", "皮鞋", "单鞋", "老爹鞋", "小白鞋", "运动鞋"])]
    phones = [Product(id=f"p{i}", title=f"5G全网通 手机 {i}", attributes=[("麦克风类型", "双麦"), ("风格", "简约")])
              for i in range(3)] + [Product(id=f"m{i}", title=f"麦克风 {i}", attributes=[("麦克风类型", "电容")])
                                    for i in range(3)]
    words = ProductWords(min_support=5).fit(shoes + phones)

    def of(*attrs):
        return words.of(Product(id="x", attributes=list(attrs)))

    word, why = of(("鞋面材质", "PU"), ("闭合方式", "系带"))[0]
    assert word == "鞋子" and "鞋面材质" in why and "100%" in why  # a lone 鞋 is written as a title says it
    assert of(("鞋面材质", "PU"), ("款式", "乐福鞋"))[0][0] == "乐福鞋"  # a value naming the kind better wins
    assert of(("麦克风类型", "电容")) == []  # half its titles are phones: the name does not say what it is
    assert of(("风格", "休闲")) == []  # no product word in the name
    back = ProductWords.from_dict(words.to_dict())
    assert back.of(Product(id="y", attributes=[("鞋面材质", "PU")])) == of(("鞋面材质", "PU"))
    # two shoulder straps make a bag a backpack (a packaged value kind): 双肩包, not the name's 包包
    bags = [Product(id=f"b{i}", title=f"帆布包 女 {i}", attributes=[("箱包硬度", "软")]) for i in range(6)]
    bag_words = ProductWords(min_support=5).fit(bags)
    assert bag_words.of(Product(id="z", attributes=[("箱包硬度", "软")]))[0][0] == "包包"
    assert bag_words.of(Product(id="z", attributes=[("箱包硬度", "软"), ("肩带样式", "双根")]))[0][0] == "双肩包"


def test_attribute_names_no_other_kind_of_product_has_name_it_when_two_agree():
    shavers = [Product(id=f"s{i}", title=f"电动剃须刀 男士 {i}",
                       attributes=[("刀头数量", "3"), ("剃须方式", "旋转式"), ("颜色", "黑色")]) for i in range(6)]
    dresses = [Product(id=f"d{i}", title=f"夏季 连衣裙 {i}", attributes=[("袖长", "短袖"), ("颜色", "白色")])
               for i in range(6)]
    words = ProductWords(min_support=5).fit(shavers + dresses)

    def of(*attrs):  # what the attribute names say (the last resort, the products most like it, is tested below)
        return [(w, why) for w, why in words.of(Product(id="x", attributes=list(attrs))) if "most like it" not in why]

    word, why = of(("刀头数量", "2"), ("剃须方式", "往复式"))[0]
    assert word == "剃须刀" and "刀头数量" in why and "剃须方式" in why
    assert of(("剃须方式", "往复式")) == []  # one name alone may be one every kind of product could have
    assert of(("刀头数量", "2"), ("剃须方式", "往复式"), ("袖长", "长袖")) == []  # names that disagree say nothing
    assert of(("颜色", "红色"), ("袖长", "长袖")) == []  # 颜色 is on both kinds; 袖长 alone is one name
    assert of(("刀头数量", "2"), ("剃须方式", "往复式"), ("款式", "鼻毛刀")) == []  # a value names it already
    assert of(("刀头数量", "2"), ("剃须方式", "往复式"), ("型号", "飞科剃须刀FS903")) == []
    # a shop of shavers only: every name "says" 剃须刀 and none tells one kind from another
    assert ProductWords(min_support=5).fit(shavers).of(Product(id="y", attributes=[("刀头数量", "2"),
                                                                                   ("剃须方式", "往复式")])) == []
    back = ProductWords.from_dict(words.to_dict())
    assert back.of(Product(id="z", attributes=[("刀头数量", "2"), ("剃须方式", "往复式")]))[0][0] == "剃须刀"


def test_a_department_in_brackets_after_a_brand_is_a_note_not_its_name():
    k = CatalogKnowledge().fit([])
    assert k.brand_text(Product(id="a", brand="DODAMI（运动户外）"), "zh") == "DODAMI"  # two department words
    assert k.brand_text(Product(id="b", brand="南京同仁堂（医疗）"), "zh") == "南京同仁堂"
    assert k.brand_text(Product(id="c", brand="Dauwi Kadi/戴维凯迪"), "zh") == "Dauwi Kadi/戴维凯迪"  # a name stays
    # a Latin name with a Chinese note: the note is not the name's Chinese form
    assert k.brand_text(Product(id="d", brand="Deeripa（收纳整理）"), "zh") == "Deeripa"
    assert k.brand_text(Product(id="e", brand="力大狮（泰国）"), "zh") == "力大狮"  # a country
    assert k.brand_text(Product(id="f", brand="OTHER（家具）"), "zh") is None  # no brand, with a note
    # nowhere a form of the brand: a title saying 美妆 does not name KONO; a translation in brackets is a form
    assert split_forms("KONO（美妆）") == ["KONO"]
    assert split_forms("美的（Midea）") == ["美的（Midea）", "美的", "Midea"]
    finder = BrandFinder().fit([Product(id="g", brand="KONO（美妆）", title="KONO洗发水")])
    assert [m.text for m in finder.find("美妆工具 化妆刷套装")] == []


def test_knowledge_learns_phrasing_and_title_habits_and_saves(tmp_path):
    prods = [Product(id=str(i), lang="zh", brand="Sansui/山水", title=f"山水音箱 秋季新款 {i}",
                     attributes=[("上市时间", "2020年秋季"), ("颜色", "黑色"), ("货号", f"A{i}")]) for i in range(6)]
    k = CatalogKnowledge().fit(prods)
    assert k.value_text("2020年秋季", "zh") == "秋季"
    assert k.brand_text(prods[0], "zh") == "山水"  # the form its titles write
    assert k.title_rate_["上市时间"] > k.title_rate_["颜色"]  # sellers put the season in titles, not the colour
    facts = k.facts(Product(id="n", lang="zh", brand="Sansui/山水",
                            attributes=[("上市时间", "2021年秋季"), ("货号", "X9"), ("鞋底材质", "橡胶")]))
    said = {f.name: f.text for f in facts.facts}
    assert said["上市时间"] == "秋季" and "货号" not in said  # an item number is never a fact to print
    k.save(tmp_path / "k")
    back = CatalogKnowledge.load(tmp_path / "k")
    assert back.facts(facts.product).facts == facts.facts
    assert back.lm_.fluency("山水音箱") == k.lm_.fluency("山水音箱")


def test_a_shorter_form_of_a_value_stands_only_where_titles_drop_the_rest():
    # sellers write 现代 and 中式 apart ("中式…现代简约"): 中式 alone would lose what they do say; they never write
    # 股份有限公司, so the maker's name is what titles say
    lamps = [Product(id=f"l{i}", lang="zh", title=f"中式吊灯 客厅灯 现代简约 {i}",
                     attributes=[("风格", "现代中式")]) for i in range(4)]
    makers = [Product(id=f"m{i}", lang="zh", title=f"九阳 豆浆机 {i}",
                      attributes=[("生产企业", "九阳股份有限公司")]) for i in range(4)]
    k = CatalogKnowledge().fit(lamps + makers)
    assert k.value_text("现代中式", "zh") == "现代中式"
    assert k.value_text("九阳股份有限公司", "zh") == "九阳"


def _said(k: CatalogKnowledge, p: Product) -> set[str]:
    """What a title may say of ``p``, as ``k`` has it."""
    return {f.text for f in k.facts(p).facts}


def _reloaded(k: CatalogKnowledge, path) -> CatalogKnowledge:  # noqa: ANN001
    k.save(path / "k")
    return CatalogKnowledge.load(path / "k")


def test_what_a_kinds_sellers_never_print_is_no_fact_for_its_titles(tmp_path):
    # an age group under its attribute: the buyer every such shoe has (适用对象=青年), not a toothbrush's 成人
    shoes = [Product(id=f"s{i}", lang="zh", title=f"牛皮系带休闲鞋 {i}",
                     attributes=[("适用对象", "青年"), ("鞋面材质", "牛皮")]) for i in range(12)]
    brushes = [Product(id=f"b{i}", lang="zh", title=f"成人声波电动牙刷 {i}",
                       attributes=[("适用人群", "成人"), ("充电模式", "感应式充电")]) for i in range(12)]
    # a launch season, per kind: phones' sellers never print one, coats' always do
    phones = [Product(id=f"p{i}", lang="zh", title=f"小米智能手机5G {i}",
                      attributes=[("品名", "智能手机"), ("上市时间", "2021年秋季")]) for i in range(6)]
    coats = [Product(id=f"c{i}", lang="zh", title=f"秋季新款毛呢外套女 {i}",
                     attributes=[("品名", "毛呢外套"), ("上市年份季节", "2021年秋季")]) for i in range(6)]
    k = CatalogKnowledge().fit(shoes + brushes + phones + coats)
    shoe = Product(id="n1", lang="zh", attributes=[("适用对象", "青年"), ("鞋面材质", "牛皮")])
    phone = Product(id="n2", lang="zh", attributes=[("品名", "智能手机"), ("上市时间", "2022年春季")])
    assert "青年" not in _said(k, shoe) and "牛皮" in _said(k, shoe)
    assert "成人" in _said(k, Product(id="n3", lang="zh", attributes=[("适用人群", "成人")]))
    # a value of the same attribute that is not an age group, and a group too few titles have, are kept
    assert "儿童" in _said(k, Product(id="n4", lang="zh", attributes=[("适用对象", "儿童")]))
    assert "春季" not in _said(k, phone)
    assert "春季" in _said(k, Product(id="n5", lang="zh", attributes=[("品名", "毛呢外套"), ("上市年份季节", "2022年春季")]))
    # per kind of kind: three backpacks and three crossbody bags are six bags, none of whose titles prints a season
    bags = [Product(id=f"g{i}", lang="zh", title=f"帆布{w} {i}", attributes=[("品名", w), ("上市时间", "2021年秋季")])
            for i, w in enumerate(["双肩包", "斜挎包"] * 3)]
    bag = Product(id="n6", lang="zh", attributes=[("品名", "手提包"), ("上市时间", "2022年春季")])
    assert "春季" not in _said(CatalogKnowledge().fit(bags), bag)
    again = _reloaded(k, tmp_path)
    assert _said(again, shoe) == _said(k, shoe) and _said(again, phone) == _said(k, phone)


def test_a_placeholder_spelt_with_a_bracketed_character_is_not_printed():
    k = CatalogKnowledge().fit([Product(id="t", lang="zh", title="智能手机", attributes=[("品名", "智能手机")])])
    said = _said(k, Product(id="n", lang="zh", attributes=[("型号", "其(他)它"), ("颜色", "正宗不糊底-月白色")]))
    assert said == {"月白色"}


def test_a_fit_is_said_as_titles_say_it():
    k = CatalogKnowledge().fit([Product(id="t", lang="zh", title="修身长袖衬衫", attributes=[("服装版型", "修身型")])])
    said = {f.name: f.text for f in k.facts(Product(id="n", lang="zh", attributes=[
        ("服装版型", "宽松型"), ("版型", "标准版型"), ("廓形", "A型")])).facts}
    assert said == {"服装版型": "宽松", "版型": "标准版型", "廓形": "A型"}


def test_the_language_model_prefers_the_catalogs_word_order():
    lm = CharLM().fit([f"花语羊毛大衣女中长款外套 {i}" for i in range(30)] + ["木槿真丝连衣裙夏季"] * 10)
    assert lm.fluency("花语羊毛大衣") > lm.fluency("衣大毛羊语花")
    assert CharLM.from_dict(lm.to_dict()).fluency("木槿连衣裙") == lm.fluency("木槿连衣裙")


def test_a_product_nothing_names_takes_the_word_its_most_similar_titled_products_agree_on():
    import json
    import random as _random

    rng = _random.Random(3)
    # both kinds have the same attribute names, so only their values tell a coat rack from a tea set
    racks = [Product(id=f"r{i}", title=f"落地衣帽架{i}", attributes=[
        ("材质", rng.choice(["实木", "金属", "铁艺"])), ("风格", rng.choice(["北欧", "简约现代"])),
        ("颜色", rng.choice(["胡桃色", "原木色", "白色"])), ("尺寸", f"{rng.choice([160, 170, 180])}cm")])
        for i in range(30)]
    teas = [Product(id=f"t{i}", title=f"功夫茶具套装{i}", attributes=[
        ("材质", rng.choice(["陶瓷", "紫砂", "玻璃"])), ("风格", rng.choice(["中式", "日式"])),
        ("颜色", rng.choice(["青花", "汝窑天青", "白色"])), ("尺寸", f"{rng.choice([6, 8, 10])}件")])
        for i in range(30)]
    words = ProductWords().fit(racks + teas)
    rack = Product(id="x", attributes=[("材质", "实木"), ("风格", "北欧"), ("颜色", "胡桃色"), ("尺寸", "170cm")])
    (word, evidence), = words.of(rack)
    assert word == "衣帽架" and "of the 10 catalog products most like it" in evidence, evidence
    # a product like no titled one, or sharing few of their attribute names, gets no word
    assert words.of(Product(id="y", attributes=[("额定功率", "2200W"), ("电压", "220V")])) == []
    assert words.of(rack.model_copy(update={"attributes": [*rack.attributes, ("续航时间", "2h"), ("水箱容量", "3L"),
                                                            ("电池容量", "4000mAh"), ("充电时间", "4h"),
                                                            ("吸力", "12000Pa"), ("噪音", "70dB"), ("重量", "4kg")]})) == []
    # a saved knowledge answers the same
    again = ProductWords.from_dict(json.loads(json.dumps(words.to_dict(), ensure_ascii=False)))
    assert again.of(rack) == words.of(rack)


def test_a_kind_few_products_of_a_catalog_have_is_named_when_the_alike_ones_agree():
    import random as _random

    from listingforge.knowledge.neighbours import NeighbourWords

    rng = _random.Random(6)

    def rug() -> str:
        return "\t".join([f"材质={rng.choice(['化纤', '混纺'])}", "形状=长方形", f"清洗类型={rng.choice(['吸尘', '可机洗'])}",
                          f"适用空间={rng.choice(['客厅', '卧室'])}"])

    def phone(i: int) -> str:
        return "\t".join([f"屏幕尺寸=6.{i % 9}英寸", f"机身内存={rng.choice(['128GB', '256GB'])}", "网络类型=5G"])

    def fit(rugs: int, mats: int = 0) -> NeighbourWords:
        docs = [rug() for _ in range(rugs + mats)] + [phone(i) for i in range(40)]
        return NeighbourWords().fit(docs, [["地毯"]] * rugs + [["地垫"]] * mats + [["手机"]] * 40)

    new = "材质=化纤\t形状=长方形\t清洗类型=吸尘\t适用空间=卧室"
    assert fit(7).word_for(new) == ("地毯", 7, 7)  # the ten nearest hold three phones: the seven alike agree
    assert fit(5).word_for(new) == ("地毯", 5, 5)  # five alike, all saying it
    assert fit(4, mats=1).word_for(new) is None  # five alike, one of them another word: not all agree
    assert fit(4).word_for(new) is None  # too few alike to tell a kind from one seller's habit
    # one attribute says too little to be like anything (水箱容量 alone: a glasses cleaner's, not a washing machine's)
    washers = [f"水箱容量={300 + i}mL\t功率={100 + i}W" for i in range(7)] + [phone(i) for i in range(40)]
    by_tank = NeighbourWords().fit(washers, [["洗衣机"]] * 7 + [["手机"]] * 40)
    assert by_tank.word_for("水箱容量=300mL") is None
    assert by_tank.word_for("水箱容量=300mL\t功率=100W") == ("洗衣机", 7, 7)


def test_similar_products_that_name_different_kinds_of_one_kind_give_the_broader_kind():
    import json
    import random as _random

    rng = _random.Random(4)

    def top(i: int, word: str) -> Product:
        return Product(id=f"{word}{i}", title=f"秋季{word}女{i}", attributes=[
            ("领型", rng.choice(["圆领", "V领", "半高领"])), ("袖长", rng.choice(["长袖", "短袖"])),
            ("穿着方式", "套头"), ("风格", rng.choice(["通勤", "韩版"]))])

    mixed = ProductWords().fit([top(i, ["毛衣", "衬衫", "T恤"][i % 3]) for i in range(60)])
    new = Product(id="n", attributes=[("领型", "圆领"), ("袖长", "长袖"), ("穿着方式", "套头"), ("风格", "通勤")])
    (word, evidence), = mixed.of(new)
    assert word == "上衣" and "上衣 or a kind of it" in evidence  # a 毛衣, a 衬衫 and a T恤 are each an 上衣
    # where they agree on a precise word, it wins
    assert [w for w, _e in ProductWords().fit([top(i, "毛衣") for i in range(60)]).of(new)] == ["毛衣"]
    again = ProductWords.from_dict(json.loads(json.dumps(mixed.to_dict(), ensure_ascii=False)))
    assert again.of(new) == mixed.of(new)


def test_cabinets_of_different_kinds_give_cabinet_and_desks_give_desk():
    import random as _random

    rng = _random.Random(5)

    def furniture(i: int, word: str, attrs: list[tuple[str, str]]) -> Product:
        return Product(id=f"{word}{i}", title=f"简约现代{word}{i}", attributes=[
            *attrs, ("材质", "人造板"), ("风格", rng.choice(["简约现代", "北欧"])), ("安装方式", "组装")])

    cabinet = [("门数量", "单门"), ("附加功能", "储藏")]
    desk = [("是否带抽屉", "是"), ("是否带穿线孔", "是")]
    words = ProductWords().fit([furniture(i, ["床头柜", "收纳柜", "电视柜"][i % 3], cabinet) for i in range(30)]
                               + [furniture(i, ["书桌", "电脑桌", "写字桌"][i % 3], desk) for i in range(30)])
    new = Product(id="n", attributes=[*cabinet, ("材质", "人造板"), ("风格", "北欧"), ("安装方式", "组装")])
    assert [w for w, _e in words.of(new)] == ["柜子"]
    assert [w for w, _e in words.of(new.model_copy(update={"attributes": [*desk, *new.attributes[2:]]}))] == ["桌子"]


def test_a_kind_its_titles_name_in_several_words_gives_its_usual_word():
    # chairs' sellers write 电脑椅 (7 of 10), 办公椅 or 老板椅: no word reaches the schema share, the kind 椅 does
    words = ["电脑椅"] * 7 + ["办公椅", "老板椅", "转椅"]
    chairs = [Product(id=f"c{i}", lang="zh", title=f"人体工学{w}家用{i}",
                      attributes=[("扶手类型", "固定扶手"), ("是否可躺", "是"), ("是否可升降", "是")])
              for i, w in enumerate(words)]
    # tables: their names point to 餐桌 outright
    tables = [Product(id=f"t{i}", lang="zh", title=f"实木餐桌 家用{i}",
                      attributes=[("是否带转盘", "否"), ("是否可伸缩", "否")]) for i in range(10)]
    pw = ProductWords().fit(chairs + tables)
    new_chair = Product(id="n", lang="zh", attributes=[("扶手类型", "固定扶手"), ("是否可躺", "是")])
    assert pw.of(new_chair)[0][0] == "电脑椅"
    assert ProductWords(min_kind_word_share=0.9).fit(chairs + tables).of(new_chair) == []
    new_table = Product(id="m", lang="zh", attributes=[("是否带转盘", "否"), ("是否可伸缩", "否")])
    assert pw.of(new_table)[0][0] == "餐桌"
    back = ProductWords.from_dict(pw.to_dict())
    assert back.of(new_chair) == pw.of(new_chair)


def test_both_sexes_stated_say_the_product_is_for_everyone():
    # a hair dryer for 男性 and 女性: "女性" alone in a title would say it is for women only
    k = CatalogKnowledge().fit([])
    both = Product(id="a", lang="zh", attributes=[("适用人群", "男性"), ("适用人群", "女性"), ("功能", "冷热风")])
    assert _said(k, both) == {"冷热风"}
    women = Product(id="b", lang="zh", attributes=[("适用人群", "女性"), ("功能", "冷热风")])
    assert _said(k, women) == {"女性", "冷热风"}


def test_a_place_written_as_the_registry_names_it_is_no_title_word():
    # 河南省 and 焦作市 are where a shop is registered; sellers who print a place write it bare, as their titles show
    k = CatalogKnowledge().fit([])
    assert _said(k, Product(id="a", lang="zh", attributes=[("产地", "河南省"), ("功能", "冷热风")])) == {"冷热风"}
    assert _said(k, Product(id="b", lang="zh", attributes=[("产地", "中国大陆/河南省/焦作市")])) == set()
    assert _said(k, Product(id="c", lang="zh", attributes=[("产地", "日本")])) == {"日本"}
    # a town known for its goods is a title word, written bare, with no title teaching it
    assert _said(k, Product(id="d", lang="zh", attributes=[("产地", "中国大陆/江西省/景德镇市")])) == {"景德镇"}
    assert _said(k, Product(id="f", lang="zh", attributes=[("产地", "中国台湾")])) == {"台湾"}  # as sellers write it
    # a form's pack ("1x12x500ml": one case of 12) as sellers write it; its default ("1x1x1g") is nothing
    assert _said(k, Product(id="h", lang="zh", attributes=[("净含量", "1x12x500ml")])) == {"500ml*12"}
    assert _said(k, Product(id="i", lang="zh", attributes=[("净含量", "1x1x90g")])) == {"90g"}
    assert _said(k, Product(id="j", lang="zh", attributes=[("净含量", "1x1x1g")])) == set()
    # a size with its sides' names run in says nothing a title can (尺寸=高度32宽度29厚度15)
    assert _said(k, Product(id="g", lang="zh", attributes=[("尺寸", "高度32宽度29厚度15")])) == set()
    # and a form's placeholder or a use no buyer searches says nothing (门数量=通用二, 用途=自用)
    assert _said(k, Product(id="e", lang="zh", attributes=[("门数量", "通用二"), ("用途", "自用"), ("风格", "北欧")])) == {"北欧"}
    # nor does an origin that names no place, a style that names none, or a ratio without its name
    assert _said(k, Product(id="k", lang="zh", attributes=[("产地", "亚太"), ("产地", "国内"), ("款式", "基本款"),
                                                         ("废水比", "1:1"), ("标称对比度", "10000：1"),
                                                         ("基础风格", "时尚都市"), ("细分风格", "基础大众")])) == set()
    # nor a field pointing at the pack ("九月天桶装见包装")
    assert _said(k, Product(id="p", lang="zh", attributes=[("净含量", "见包装"), ("商品条形码", "以包装为准")])) == set()
    # where a watch's movement is made says nothing of where the watch is
    assert load_types().type_of("机芯产地") == "meta" != load_types().type_of("产地")
    # an age gloss after a colon is no part of the age group: with five others it says the scarf is for anyone
    ages = [("适用对象", a) for a in ("老年", "学生", "中年", "青年", "儿童：7-14岁")]
    assert _said(k, Product(id="m", lang="zh", attributes=[*ages, ("风格", "韩版")])) == {"韩版"}


def test_a_search_band_says_nothing_of_how_often_sellers_print_its_attribute():
    # every oven's form holds its capacity twice, as a figure and as the search filter's band; the sellers print
    # the figure in every title, never the band
    ovens = [Product(id=str(i), lang="zh", title=f"松下台式电烤箱{20 + i}L",
                     attributes=[("容量", f"{20 + i}L"), ("容量", "21L(含)-30L(含)"), ("颜色", "黑色")]) for i in range(6)]
    k = CatalogKnowledge().fit(ovens)
    assert k.title_rate_["容量"] > 0.7 > k.title_rate_["颜色"]  # a band counted would halve it
    types = load_types()
    assert types.type_of("容量") == "capacity"
    from listingforge.knowledge.types import is_band, is_range

    assert is_band("≤35dB") and is_band("150-500kg") and is_band("21L(含)-30L(含)") and not is_band("3-5人")
    assert is_range("40") and not is_band("40") and not is_range("30L")
