"""The transparent rule score: each part moves the total the way its reason says; style only with references."""

from __future__ import annotations

from listingforge.generate.base import Spec
from listingforge.product import Finding, Product
from listingforge.score.base import ScoreInput
from listingforge.score.rules import RuleScorer

P = Product(id="1", category="女装>牛仔裤", brand="Levi's",
            attributes=[("颜色", "蓝色"), ("版型", "直筒"), ("裤长", "长裤")])


def spec(**extra) -> Spec:
    return Spec(platform="taobao", lang="zh", max_units=60, unit="width", keywords=["高腰"],
                extra={"brand": "Levi's", "key_attributes": ["蓝色", "直筒"], "product_words": ["牛仔裤"], **extra})


def score(text: str, sp: Spec, findings=()):
    return RuleScorer().score([ScoreInput(product=P, text=text, findings=list(findings), spec=sp)])[0]


def test_parts_add_up_and_reasons_name_them():
    full = score("Levi's高腰直筒牛仔裤女蓝色长裤春秋新款百搭显瘦", spec())
    assert {r.feature for r in full.reasons} == {"length_fit", "attribute_coverage", "keyword_coverage",
                                                 "brand_position", "product_word", "findings"}
    assert full.value == round(sum(r.points for r in full.reasons), 1)
    missing = score("高腰长裤春秋新款百搭显瘦女士休闲裤子", spec())
    assert missing.value < full.value
    assert any("missing" in r.message for r in missing.reasons)


def test_an_error_caps_the_score():
    f = Finding(rule="adlaw.absolute", severity="error", start=0, end=1, text="最")
    assert score("Levi's高腰直筒牛仔裤女蓝色长裤春秋新款百搭显瘦", spec(), [f]).value <= 40.0


def test_style_prefers_what_reads_like_the_sellers_titles():
    refs = ["Levi's李维斯女士高腰直筒牛仔裤 蓝色水洗长裤", "Levi's李维斯高腰牛仔裤女直筒显瘦"]
    like = "Levi's李维斯高腰直筒牛仔裤女 蓝色长裤"
    stuffed = "Levi's蓝色直筒长裤牛仔裤高腰春秋冬夏款式"
    plain_like, plain_stuffed = score(like, spec()), score(stuffed, spec())
    styled_like, styled_stuffed = score(like, spec(style_refs=refs)), score(stuffed, spec(style_refs=refs))
    assert "style" not in {r.feature for r in plain_like.reasons}
    style = {s: next(r for r in x.reasons if r.feature == "style") for s, x in (("like", styled_like),
                                                                             ("stuffed", styled_stuffed))}
    assert style["like"].points > style["stuffed"].points
    assert styled_like.value - styled_stuffed.value > plain_like.value - plain_stuffed.value
    assert 0 <= styled_stuffed.value <= 100 and styled_like.value <= 100
    # rescaled to 0–100: the sum of points over the 120 available
    assert abs(styled_like.value - round(sum(r.points for r in styled_like.reasons) / 1.2, 1)) < 0.06


def test_engine_gives_the_style_index_only_with_a_model_and_when_asked():
    from listingforge.engine import Engine
    from listingforge.generate.llm import LLMGenerator

    catalog = [Product(id=str(i), category="女装>牛仔裤", title=f"高腰直筒牛仔裤女{i}",
                       attributes=[("颜色", "蓝色"), ("尺码", str(25 + i))]) for i in range(8)]
    llm = LLMGenerator(backend="openai_compat")
    with_llm = Engine(generators=[llm]).fit(catalog)
    assert with_llm._build()["taobao"].style_index is llm.index_ is not None
    assert Engine(generators=[llm], style=False).fit(catalog)._build()["taobao"].style_index is None
    assert Engine().fit(catalog)._build()["taobao"].style_index is None
    # the spec carries the neighbours' titles, never the product's own
    task = with_llm._build()["taobao"]
    refs = task.spec_for(catalog[0], task.knowledge.facts(catalog[0])).extra["style_refs"]
    assert len(refs) == 3 and catalog[0].title not in refs
