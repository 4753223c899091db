"""Descriptions: the grounded compose generator, the task flow with checks, and the CLI."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from listingforge.cli import app
from listingforge.compliance import Checker, Lexicon
from listingforge.generate.base import Spec, make_generator, registered_generators
from listingforge.generate.compose_description import STYLES, DescriptionComposer, split_description
from listingforge.platforms import load_platform
from listingforge.product import Candidate, Product
from listingforge.tasks.describe import DescriptionTask, description_columns

COAT = Product(id="c1", lang="zh", brand="花语", category="女装 > 毛呢外套",
               attributes=[("材质", "羊毛混纺"), ("颜色", "驼色"), ("风格", "韩版"), ("适用季节", "秋冬"),
                           ("衣长", "中长款"), ("货号", "HY-2231")])
SHIRT = Product(id="e1", lang="en", brand="Northwind", category="Men > Sweaters",
                attributes=[("material", "merino wool"), ("color", "navy"), ("neckline", "crew neck")])


def checker(products: list[Product]) -> Checker:
    return Checker("taobao", lexicon=Lexicon().fit(products))


def test_registered_under_its_name() -> None:
    assert "compose_description" in registered_generators()
    gen = make_generator("compose_description")
    assert isinstance(gen, DescriptionComposer)
    with pytest.raises(NotImplementedError):
        gen.generate("title", COAT, 1, Spec())


@pytest.mark.parametrize("style", STYLES)
def test_selling_points_and_paragraph_hold_only_the_products_facts(style: str) -> None:
    cands = DescriptionComposer().generate("description", COAT, 3, Spec(style=style))
    assert 1 <= len(cands) <= 3
    for c in cands:
        points, para = split_description(c.text)
        assert 3 <= len(points) <= 5
        assert para and "花语" in para and "毛呢外套" in para
        assert "HY-2231" not in c.text  # bookkeeping attributes are not selling points
        assert checker([COAT]).check(c.text, COAT, field="description") == []
        assert c.meta["selling_points"] == points and c.generator.startswith("compose_description")


def test_styles_and_audiences_change_the_text() -> None:
    texts = {s: DescriptionComposer().generate("description", COAT, 1, Spec(style=s))[0].text for s in STYLES}
    assert len(set(texts.values())) == 3
    assert "【材质】羊毛混纺" in texts["专业"]
    student = DescriptionComposer().generate("description", COAT, 1, Spec(style="种草", audience="学生"))[0]
    mum = DescriptionComposer().generate("description", COAT, 1, Spec(style="种草", audience="宝妈"))[0]
    assert "同学们" in student.text and "宝妈们" in mum.text
    # 学生 leads with style, 宝妈 with material
    assert split_description(student.text)[0][0].startswith("韩版")
    assert split_description(mum.text)[0][0].startswith("羊毛混纺")


def test_english_product_gets_english_text() -> None:
    c = DescriptionComposer().generate("description", SHIRT, 1, Spec(lang="en"))[0]
    points, para = split_description(c.text)
    assert "Made of merino wool" in points and "Northwind" in para
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in c.text)


def test_task_grounds_the_audience_and_flags_an_invented_claim() -> None:
    # an extra generator that invents a fit (版型 not given) and a number: the checks must catch both
    class Inventor:
        name = "inventor@test"

        def generate(self, task, product, n, spec):  # noqa: ANN001, ANN201
            return [Candidate(text="花语毛呢外套，宽松的版型，3天发货，适合学生。", task="description",
                              generator=self.name)]

    task = DescriptionTask(platform=load_platform("taobao"), checker=checker([COAT]), audience="学生",
                           extra_generators=[Inventor()])
    product_for_checks = task.checked_product(COAT)
    invented = task.checker.check("花语毛呢外套，宽松的版型，3天发货，适合学生。", product_for_checks,
                                  field="description")
    assert {f.rule for f in invented} >= {"grounding.unsupported", "grounding.number"}
    assert not any(f.text == "学生" for f in invented)  # the requested audience is a stated fact
    result = task.run(COAT)
    assert result.best is not None and result.best.candidate.generator.startswith("compose_description")
    assert result.best.findings == []
    row = description_columns(result)
    assert set(row) == {"new_description", "selling_points", "score", "findings", "generator"}
    assert row["selling_points"].count(" | ") >= 2 and "学生" in row["new_description"]


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
    bad = CliRunner().invoke(app, ["describe", str(src), "--style", "夸张", "-o", str(out)])
    assert bad.exit_code != 0
