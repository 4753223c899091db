"""Few-shot retrieval from the seller's catalog."""

from __future__ import annotations

import pytest

from listingforge.errors import NotFittedError
from listingforge.generate.llm.fewshot import FewShotIndex
from listingforge.product import Product


def p(pid, cat, attrs, title):
    return Product(id=pid, category=cat, attributes=attrs, title=title)


CATALOG = [
    p("a", "发膜", [("功效", "修复"), ("净含量", "230g")], "A发膜修复230g"),
    p("b", "洗发水", [("功效", "控油"), ("净含量", "500ml")], "B洗发水控油500ml"),
    p("c", "发膜", [("功效", "补水")], "C发膜补水"),
    p("d", "洗发水", [("功效", "去屑"), ("净含量", "400ml")], "D洗发水去屑"),
    p("e", "手机", [("品牌", "小米")], None),
]


def test_same_category_first_then_nearest():
    idx = FewShotIndex().fit(CATALOG)
    q = p("q", "发膜", [("功效", "控油"), ("净含量", "500ml")], None)
    got = [ex.id for ex, _ in idx.query(q, "title", k=3)]
    assert got[:2] in (["a", "c"], ["c", "a"]) and got[2] == "b"  # b is nearest of the rest


def test_excludes_itself_and_products_without_an_answer():
    idx = FewShotIndex().fit(CATALOG)
    got = [ex.id for ex, _ in idx.query(CATALOG[0], "title", k=10)]
    assert "a" not in got and "e" not in got
    assert idx.query(CATALOG[0], "tags", k=3) == []  # nobody has tags


def test_fixed_examples_are_the_same_for_everyone():
    idx = FewShotIndex().fit(CATALOG)
    assert [e.id for e, _ in idx.fixed("title", 2)] == ["a", "b"]


def test_not_fitted():
    with pytest.raises(NotFittedError, match="fit"):
        FewShotIndex().query(CATALOG[0], "title")


def test_a_group_shares_the_examples_nearest_to_it_and_never_sees_its_own_members():
    idx = FewShotIndex().fit(CATALOG)
    one = [ex.id for ex, _ in idx.query(CATALOG[1], "title", k=2)]
    assert one == [ex.id for ex, _ in idx.query_group([CATALOG[1]], "title", k=2)]  # a group of one: query
    group = [CATALOG[0], CATALOG[2]]  # the two 发膜
    got = [ex.id for ex, _ in idx.query_group(group, "title", k=3)]
    assert "a" not in got and "c" not in got and got  # neither member is shown to the group
    copy = p("x", "发膜", [("功效", "修复")], "A发膜修复230g")  # another product with a's exact title
    assert "a" not in [ex.id for ex, _ in idx.query_group([copy], "title", k=4)]


def test_looked_up_together_or_one_by_one_the_examples_are_the_same():
    idx = FewShotIndex().fit(CATALOG)
    queries = [*CATALOG, p("q", "发膜", [("功效", "控油")], None), p("r", None, [("品牌", "小米")], None)]
    assert idx.query_many(queries, "title", k=2) == [idx.query(q, "title", k=2) for q in queries]
    assert idx.query_many(queries, "title", k=0) == [[] for _ in queries]
