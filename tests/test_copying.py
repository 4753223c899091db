"""Copy detection: a description must not be a copy of a competitor's, edited or not, whole or in part."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from listingforge import Engine
from listingforge.cli import app
from listingforge.compliance import Checker, CopyIndex, Lexicon, copying
from listingforge.compliance.copying import read_competitors
from listingforge.errors import CatalogError
from listingforge.generate.llm import LLMGenerator
from listingforge.product import Product

COAT = Product(id="c1", lang="zh", brand="花语", category="女装 > 毛呢外套",
               attributes=[("材质", "羊毛混纺"), ("颜色", "驼色"), ("风格", "韩版"), ("适用季节", "秋冬"),
                           ("衣长", "中长款")])
# a competitor's description that states only the coat's own facts: grounding cannot object to a copy of it
COAT_COPY = ("这件毛呢外套选用羊毛混纺面料，手感细腻柔软，穿在身上轻盈又有质感。经典的驼色低调耐看，韩版的廓形利落大方，"
             "中长款的长度刚刚好，能把身材修饰得更加修长。秋冬季节出门通勤或者周末约会，一件就能撑起整体造型，"
             "搭配围巾和短靴更显温柔气质，是衣橱里不可缺少的一件百搭单品。")
ZH_REFS = {
    "shop-a": "宫廷风的甜美蕾丝设计，清新的蕾丝拼缝处，刺绣定制的贝壳花边，增添了裙子的精致感觉。超大的裙摆，加上精细的"
              "小花边设计，上身后既带着仙气撩人又很有女人味。泡泡袖上的提花面料，在细节处增加了浪漫感。",
    "shop-b": "个性化的九分裤型，穿着在身上，能够从视觉上拉长你的身体比例，让你看起来更加的有范。简约的黑色系列，极具时尚的"
              "韵味，充分凸显你专属的成熟韵味。修身的立体廓形，为你塑造修长的曲线。",
    "shop-c": COAT_COPY,
}
EN_REFS = {
    "amz-1": "This lightweight running jacket is made from a breathable recycled polyester shell that sheds light rain "
             "and wind. A zip chest pocket keeps your phone secure, and reflective details keep you visible on early "
             "morning runs.",
    "amz-2": "Crafted from soft organic cotton, this relaxed crew neck tee has a garment dyed finish that gets better "
             "with every wash. Pair it with jeans for an easy weekend look.",
}


@pytest.fixture(scope="module")
def index() -> CopyIndex:
    refs = {**ZH_REFS, **EN_REFS}
    return CopyIndex().fit(list(refs.values()), ids=list(refs))


def only(findings: list) -> object:
    assert len(findings) == 1, findings
    return findings[0]


@pytest.mark.parametrize("ref_id", ["shop-a", "shop-b", "amz-1", "amz-2"])
def test_a_verbatim_copy_is_flagged_naming_the_competitor(index: CopyIndex, ref_id: str) -> None:
    text = {**ZH_REFS, **EN_REFS}[ref_id]
    f = only(index.check(text))
    assert f.rule == "copy.competitor" and f.severity == "error" and f.field == "description"
    assert repr(ref_id) in f.message and "100%" in f.message
    assert f.fix is None  # no automatic fix: it must be rewritten
    assert (f.start, f.end) == (0, len(text.rstrip("。.")))  # the whole text is the shared passage


def test_a_copy_with_a_few_characters_changed_and_inserted_is_still_flagged(index: CopyIndex) -> None:
    ref = ZH_REFS["shop-a"]
    edited = ("这款" + ref.replace("甜美", "甜蜜").replace("精致感觉", "精致感").replace("，", "、", 3)
              .replace("女人味", "女人的味道") + "快来入手吧！")
    f = only(index.check(edited))
    assert "'shop-a'" in f.message
    en = EN_REFS["amz-1"].replace("lightweight", "featherweight").replace("early morning", "dawn").upper()
    assert "'amz-1'" in only(index.check(en)).message


def test_a_copied_passage_inside_an_original_text_is_flagged_where_it_is(index: CopyIndex) -> None:
    passage = "能够从视觉上拉长你的身体比例，让你看起来更加的有范。简约的黑色系列，极具时尚的韵味"
    own = ("这条阔腿裤采用垂坠感很好的醋酸面料，走路带风，夏天穿也清爽不闷热。高腰设计搭配隐形侧拉链，腰腹线条干净利落，"
           "裤脚做了微喇处理，无论搭配平底鞋还是高跟鞋都很好看，日常上班和周末出游都能轻松驾驭，一年四季都可以穿。")
    text = own[:40] + passage + own[40:]
    f = only(index.check(text))
    assert "'shop-b'" in f.message
    assert text[f.start:f.end] == passage  # the span is the copied passage, in the candidate's coordinates
    containment = float(f.message.split(": ")[1].split("%")[0]) / 100
    assert containment < index.threshold  # flagged for the passage, not the share


def test_unrelated_descriptions_sharing_common_phrases_are_not_flagged(index: CopyIndex) -> None:
    zh = ("这款纯棉T恤面料柔软舒适，透气吸汗，上身很显气质。宽松的版型不挑身材，圆领设计简洁大方，"
          "细节处增加了浪漫感，日常百搭。")
    en = ("Made from soft organic cotton, this hoodie keeps you warm on cold days. The zip chest pocket fits "
          "keys and cards, and the hem has a relaxed fit for an easy weekend look.")
    assert index.check(zh) == [] and index.check(en) == []


def test_short_texts_are_never_flagged(index: CopyIndex) -> None:
    assert index.check("宫廷风的甜美蕾丝设") == []  # in shop-a, but 9 characters: 2 shingles of 8
    assert index.check("宫廷风的甜美蕾丝设计") != []  # 10 characters: 3 shingles, all in shop-a
    assert index.check("A zip chest pocket keeps your") == []  # 6 words: 2 shingles of 5
    assert CopyIndex(min_shingles=4).fit(list(ZH_REFS.values())).check("宫廷风的甜美蕾丝设计") == []


def test_a_hash_collision_never_flags_a_text(monkeypatch: pytest.MonkeyPatch) -> None:
    # the i-th shingle of every text hashes to i: every reference is retrieved for every text, and only the
    # exact comparison on the texts tells a copy from a collision
    def collide(codes: np.ndarray, n: int) -> np.ndarray:
        return np.arange(max(len(codes) - n + 1, 0), dtype=np.uint64)

    monkeypatch.setattr(copying, "_shingle_hashes", collide)
    collided = CopyIndex().fit(list(ZH_REFS.values()), ids=list(ZH_REFS))
    assert collided.check("完全不同的一段文字，讲的是一款保温杯的容量和材质，和任何一条参考描述都没有关系。") == []
    assert "'shop-a'" in only(collided.check(ZH_REFS["shop-a"])).message


def test_exclude_ignores_the_products_own_reference(index: CopyIndex) -> None:
    assert index.check(ZH_REFS["shop-b"], exclude=["shop-b"]) == []
    assert index.check(ZH_REFS["shop-b"], exclude=["shop-a"]) != []


def test_the_checker_applies_the_index_to_descriptions_only(index: CopyIndex) -> None:
    checker = Checker("taobao", lexicon=Lexicon().fit([COAT]), copy_index=index)
    assert {f.rule for f in checker.check(COAT_COPY, COAT, field="description")} == {"copy.competitor"}
    assert Checker("taobao", lexicon=Lexicon().fit([COAT])).check(COAT_COPY, COAT, field="description") == []
    assert not any(f.rule == "copy.competitor" for f in checker.check(COAT_COPY[:30], COAT, field="title"))


def llm(srv) -> LLMGenerator:  # noqa: ANN001
    return LLMGenerator(backend="openai_compat", backend_options={"base_url": srv.url, "model": "test"}, max_n=1)


def test_describe_never_selects_a_model_answer_that_copies_a_competitor(srv) -> None:  # noqa: ANN001
    # the model answers with the competitor's text, lightly edited: grounded, and the rule score likes it best
    copied = "花语" + COAT_COPY.replace("低调耐看", "耐看").replace("一件就能", "一件就可以")
    srv.reply = json.dumps({"description": copied}, ensure_ascii=False)
    engine = Engine("taobao", generators=[llm(srv)]).fit([COAT])
    (plain,) = engine.describe([COAT])
    assert plain.best is not None and plain.best.candidate.text == copied  # without competitors it wins
    (guarded,) = engine.describe([COAT], competitors=list(ZH_REFS.values()))
    assert guarded.best is not None and guarded.best.candidate.generator.startswith("compose_description")
    assert guarded.best.findings == []
    flagged = [a for a in guarded.alternatives if a.candidate.text == copied]
    assert flagged and any(f.rule == "copy.competitor" for f in flagged[0].findings)
    # titles are untouched: the engine's own checker has no index
    assert engine.checker("taobao").copy_index is None


def test_describe_command_with_a_competitor_file_excludes_the_copy(srv, tmp_path: Path) -> None:  # noqa: ANN001
    copied = "花语" + COAT_COPY.replace("手感细腻柔软", "手感柔软细腻")
    srv.reply = json.dumps({"description": copied}, ensure_ascii=False)
    src = tmp_path / "catalog.csv"
    src.write_text("商品ID,商品标题,品牌,属性\n"
                   "c1,花语毛呢外套,花语,材质:羊毛混纺;颜色:驼色;风格:韩版;适用季节:秋冬;衣长:中长款\n", encoding="utf-8")
    comp = tmp_path / "competitors.csv"
    pd.DataFrame({"店铺": list(ZH_REFS), "商品描述": list(ZH_REFS.values())}).to_csv(comp, index=False)
    args = ["describe", str(src), "--engine", "llm", "--backend", "openai_compat", "--base-url", srv.url,
            "--model", "test"]

    def run(*extra: str) -> dict[str, str]:
        out = tmp_path / "out.csv"
        res = CliRunner().invoke(app, [*args, "-o", str(out), *extra])
        assert res.exit_code == 0, res.output
        return pd.read_csv(out, dtype=str).fillna("").iloc[0].to_dict()

    assert run()["new_description"] == copied  # without the file the copy is the best candidate
    row = run("--competitors", str(comp))
    assert row["new_description"] != copied and row["generator"].startswith("compose_description")
    assert row["findings"] == ""


def test_competitor_files_read_the_description_else_a_text_column(tmp_path: Path) -> None:
    f = tmp_path / "c.csv"
    pd.DataFrame({"id": ["x1", "x2"], "text": ["第一条描述", ""], "title": ["t1", "t2"]}).to_csv(f, index=False)
    assert read_competitors(f) == (["第一条描述"], ["x1"])  # empty texts are skipped
    pd.DataFrame({"详情": ["描述甲"], "text": ["不是它"]}).to_json(f.with_suffix(".jsonl"), orient="records",
                                                                 lines=True, force_ascii=False)
    assert read_competitors(f.with_suffix(".jsonl")) == (["描述甲"], ["line 1"])  # as the user counts
    bad = tmp_path / "bad.csv"
    bad.write_text("店铺,价格\nA,99\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="bad.csv.*no description or text column"):
        read_competitors(bad)
    res = CliRunner().invoke(app, ["describe", str(f), "--competitors", str(bad), "-o", str(tmp_path / "o.csv")])
    assert res.exit_code != 0 and isinstance(res.exception, CatalogError)
    assert "bad.csv" in str(res.exception) and "'店铺'" in str(res.exception)
