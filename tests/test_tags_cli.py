"""`listingforge tag`: catalog in, tags out (JSON lines or CSV); --learn stores verdicts and retrains."""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from listingforge.cli import app
from listingforge.errors import CatalogError
from listingforge.store import Store

BRANDS = ["三只松鼠", "良品铺子", "百草味"]
FOODS = [("每日坚果", "食品 > 坚果"), ("碧根果", "食品 > 坚果"), ("猪肉脯", "食品 > 肉干"), ("牛肉干", "食品 > 肉干")]


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    path = tmp_path / "catalog.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["商品ID", "商品标题", "商品类别", "品牌", "属性", "评价"])
        for i, (b, (word, cat)) in enumerate(itertools.product(BRANDS, FOODS)):
            w.writerow([f"p{i}", f"{b} {word} 休闲零食 {100 + 50 * (i % 4)}g", cat if i != 5 else "", b,
                        f"产品:{word};净含量:{100 + 50 * (i % 4)}g", "很好吃，包装也不错" if i == 0 else ""])
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_tag_writes_one_json_object_per_product(catalog: Path, tmp_path: Path) -> None:
    out = tmp_path / "tags.jsonl"
    res = CliRunner().invoke(app, ["tag", str(catalog), "-o", str(out), "--db", str(tmp_path / "fb.db")])
    assert res.exit_code == 0, res.output
    rows = read_jsonl(out)
    assert [r["id"] for r in rows] == [f"p{i}" for i in range(12)]
    first = rows[0]["tags"]
    assert {"type": "brand", "value": "三只松鼠", "start": 0, "end": 4} .items() <= next(
        t for t in first if t["type"] == "brand").items()
    assert any(t["type"] == "sentiment" for t in first)  # the 评价 column is read as reviews
    # the row without a category gets a predicted one
    cat = [t for t in rows[5]["tags"] if t["type"] == "category"]
    assert cat and cat[0]["source"] == "classifier" and cat[0]["value"] == "食品 > 坚果"


def test_tag_csv_is_flat_and_learn_removes_a_rejected_tag(catalog: Path, tmp_path: Path) -> None:
    out, db = tmp_path / "tags.csv", tmp_path / "fb.db"
    runner = CliRunner()
    assert runner.invoke(app, ["tag", str(catalog), "-o", str(out), "--db", str(db)]).exit_code == 0
    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert {"id", "type", "value", "start", "end", "source", "confidence"} <= set(rows[0])
    target = next(r for r in rows if r["type"] == "product" and r["id"] == "p1")
    # a reviewer marks the tags file: reject one product-word tag
    fb = tmp_path / "feedback.csv"
    with fb.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=[*rows[0].keys(), "verdict"])
        w.writeheader()
        for r in rows:
            w.writerow({**r, "verdict": "reject" if r is target else ""})
    out2 = tmp_path / "tags2.jsonl"
    res = runner.invoke(app, ["tag", str(catalog), "-o", str(out2), "--db", str(db), "--learn", str(fb)])
    assert res.exit_code == 0, res.output
    assert "learned 1 verdicts" in res.output
    values = {(t["type"], t["value"]) for r in read_jsonl(out2) for t in r["tags"]}
    assert ("product", target["value"]) not in values
    assert len(Store(db).tag_feedback()) == 1
    # the verdict is stored: a later run without --learn still honours it
    out3 = tmp_path / "tags3.jsonl"
    assert runner.invoke(app, ["tag", str(catalog), "-o", str(out3), "--db", str(db)]).exit_code == 0
    assert ("product", target["value"]) not in {(t["type"], t["value"]) for r in read_jsonl(out3) for t in r["tags"]}


def test_save_then_model_reuses_the_tagger(catalog: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    model = tmp_path / "tagger.pkl"
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    assert runner.invoke(app, ["tag", str(catalog), "-o", str(a), "--db", str(tmp_path / "x.db"),
                               "--save-tagger", str(model)]).exit_code == 0
    assert runner.invoke(app, ["tag", str(catalog), "-o", str(b), "--tagger", str(model)]).exit_code == 0
    assert read_jsonl(a) == read_jsonl(b)


def test_bad_feedback_file_names_the_row(catalog: Path, tmp_path: Path) -> None:
    from listingforge.cli.tag import run_tag

    fb = tmp_path / "feedback.csv"
    fb.write_text("id,type,value,verdict\np0,brand,三只松鼠,accept\np1,brand,良品铺子,perhaps\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"row 3.*verdict"):
        run_tag(catalog, tmp_path / "t.jsonl", learn=fb, db=tmp_path / "fb.db")


def test_tag_resumes_after_a_crash_and_matches_an_uninterrupted_run(catalog: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    def run(out: Path, env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "listingforge", "tag", str(catalog), "-o", str(out),
                               "--db", str(tmp_path / "fb.db"), "--chunk-size", "5", "--no-progress"],
                              capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=300)

    out = tmp_path / "tags.jsonl"
    crashed = run(out, {"LISTINGFORGE_CRASH_AFTER_ROWS": "5"})
    assert crashed.returncode == 3, crashed.stderr  # died after the first chunk
    assert not out.exists()
    assert len((tmp_path / "tags.jsonl.lf-partial.jsonl").read_text(encoding="utf-8").splitlines()) == 5
    resumed = run(out)
    assert resumed.returncode == 0, resumed.stderr
    assert "5 resumed" in resumed.stdout + resumed.stderr
    assert not (tmp_path / "tags.jsonl.lf-partial.jsonl").exists()
    fresh = run(tmp_path / "fresh.jsonl")
    assert fresh.returncode == 0, fresh.stderr
    assert read_jsonl(out) == read_jsonl(tmp_path / "fresh.jsonl")
    assert len(read_jsonl(out)) == 12
