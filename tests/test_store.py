"""The store: runs, outputs, text feedback and tag feedback survive a reopen of the same database."""

from __future__ import annotations

from pathlib import Path

import pytest

from listingforge.errors import ConfigError
from listingforge.store import Store, database_url
from listingforge.tagging import TagFeedback


def test_runs_and_outputs_round_trip(tmp_path: Path) -> None:
    db = tmp_path / "lf.db"
    with Store(db) as store:
        run = store.start_run("description", platform="taobao", config={"style": "种草", "generators": ["compose"]})
        n = store.add_outputs(run, [
            {"product_id": "p1", "task": "description", "text": "一段描述", "score": 81.5, "generator": "compose@1",
             "findings": [{"rule": "grounding.claim", "text": "宽松"}]},
            {"product_id": 2, "task": "description", "text": "另一段"},
        ])
        assert n == 2
    with Store(db) as again:  # a new connection sees what the first wrote
        assert again.runs("description")[0]["config"]["style"] == "种草"
        outs = again.outputs(run)
        assert [o["product_id"] for o in outs] == ["p1", "2"]
        assert outs[0]["findings"][0]["rule"] == "grounding.claim"
        assert outs[1]["score"] is None
        assert again.runs("title") == []


def test_text_feedback_checks_its_verdict(tmp_path: Path) -> None:
    with Store(tmp_path / "lf.db") as store:
        store.add_feedback("p1", "title", "accept", "标题")
        store.add_feedback("p2", "title", "edit", "旧标题", edited="新标题")
        with pytest.raises(ConfigError, match="accept, edit, reject"):
            store.add_feedback("p3", "title", "maybe")
        with pytest.raises(ConfigError, match="edited text"):
            store.add_feedback("p3", "title", "edit", "x")
        rows = store.feedback("title")
        assert [(r["product_id"], r["verdict"], r["edited"]) for r in rows] == [("p1", "accept", None),
                                                                                ("p2", "edit", "新标题")]


def test_tag_feedback_round_trip_in_order(tmp_path: Path) -> None:
    items = [TagFeedback(product_id="p1", type="品牌", value="耐克", verdict="接受", start=0, end=2),
             TagFeedback(product_id="p2", type="brand", value="包邮", verdict="reject")]
    with Store(tmp_path / "lf.db") as store:
        assert store.add_tag_feedback(items) == 2
        assert store.tag_feedback() == [items[0].model_copy(update={"type": "brand"}), items[1]]


def test_any_sqlalchemy_url_and_a_clear_error_for_a_bad_one(tmp_path: Path) -> None:
    assert database_url(tmp_path / "a.db") == f"sqlite:///{tmp_path / 'a.db'}"
    assert database_url("sqlite://") == "sqlite://"
    with Store("sqlite://") as mem:  # in-memory
        mem.add_tag_feedback([TagFeedback(product_id="1", type="color", value="红色", verdict="accept")])
        assert len(mem.tag_feedback()) == 1
    with pytest.raises(ConfigError, match="cannot open the store"):
        Store("nosuchdialect://x")
