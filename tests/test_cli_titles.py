"""The main job from the command line: output columns, report, and resume after a crash."""

import os
import subprocess
import sys

import pandas as pd
from typer.testing import CliRunner

from listingforge.cli import app

runner = CliRunner()


def test_titles_command_columns_and_report(demo_catalog, tmp_path):
    out, rep = tmp_path / "titles.csv", tmp_path / "report.html"
    res = runner.invoke(app, ["titles", str(demo_catalog), "-p", "taobao", "-p", "amazon", "--short", "40",
                              "-o", str(out), "--report", str(rep), "--no-progress"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out)
    src = pd.read_csv(demo_catalog)
    assert list(df.columns[:len(src.columns)]) == list(src.columns)  # input columns kept, id among them
    assert len(df) == len(src) and list(df["商品ID"]) == list(src["商品ID"])
    for plat in ("taobao", "amazon"):
        for col in ("new_title", "score", "reasons", "changes", "findings", "generator", "short_title"):
            assert f"{col}_{plat}" in df.columns
    assert df["new_title_taobao"].notna().all()
    html = rep.read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") >= 4 and "Examples" in html


def test_bad_map_is_a_clear_error(demo_catalog, tmp_path):
    res = runner.invoke(app, ["titles", str(demo_catalog), "--map", "title=NoSuchColumn", "-o",
                              str(tmp_path / "x.csv"), "--no-progress"])
    assert res.exit_code != 0
    assert "NoSuchColumn" in str(res.exception) or "NoSuchColumn" in res.output


def _run(args, env=None):
    return subprocess.run([sys.executable, "-m", "listingforge", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def test_resume_after_crash_loses_nothing(demo_catalog, tmp_path):
    # a bigger catalog: the demo rows repeated with new ids
    src = pd.read_csv(demo_catalog, dtype=str)
    big = pd.concat([src.assign(商品ID=src["商品ID"] + f"-{k}") for k in range(10)], ignore_index=True)
    cat = tmp_path / "big.csv"
    big.to_csv(cat, index=False)
    args = ["titles", str(cat), "-o", str(tmp_path / "out.csv"), "--chunk-size", "40", "--no-progress"]

    crashed = _run(args, env={"LISTINGFORGE_CRASH_AFTER_ROWS": "120"})
    assert crashed.returncode == 3, crashed.stderr  # died mid-run, after three chunks
    assert not (tmp_path / "out.csv").exists()
    partial = tmp_path / "out.csv.lf-partial.jsonl"
    assert len(partial.read_text(encoding="utf-8").splitlines()) == 120

    resumed = _run(args)
    assert resumed.returncode == 0, resumed.stderr
    assert "120 resumed" in resumed.stderr
    assert not partial.exists()

    fresh = _run(["titles", str(cat), "-o", str(tmp_path / "fresh.csv"), "--chunk-size", "40", "--no-progress"])
    assert fresh.returncode == 0, fresh.stderr
    a, b = pd.read_csv(tmp_path / "out.csv"), pd.read_csv(tmp_path / "fresh.csv")
    assert len(a) == len(big)
    pd.testing.assert_frame_equal(a, b)  # the resumed run equals an uninterrupted one


def test_titles_ranked_by_a_learned_scorer(demo_catalog, tmp_path):
    from pathlib import Path

    history = Path(__file__).parents[1] / "examples" / "history.csv"
    res = runner.invoke(app, ["scorer", "train", str(history), "--target", "sales", "-o", str(tmp_path / "sc")])
    assert res.exit_code == 0, res.output
    out = tmp_path / "t.csv"
    res = runner.invoke(app, ["titles", str(demo_catalog), "--scorer", str(tmp_path / "sc"), "-o", str(out),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out)
    assert df["score"].between(0, 100).all()
    # the reasons are the learned model's, in its words, not the rule score's
    assert df["reasons"].str.contains("brand|品牌|title|标题").any()
    assert not df["reasons"].str.contains("key attributes").any()


def test_worker_processes_give_the_same_output(demo_catalog, tmp_path):
    src = pd.read_csv(demo_catalog, dtype=str)
    big = pd.concat([src.assign(商品ID=src["商品ID"] + f"-{k}") for k in range(4)], ignore_index=True)
    cat = tmp_path / "big.csv"
    big.to_csv(cat, index=False)
    outs = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}.csv"
        # small chunks: several are queued to the workers at once and must still come back in order
        res = runner.invoke(app, ["titles", str(cat), "-o", str(out), "--workers", workers, "--chunk-size", "7",
                                  "--no-progress"])
        assert res.exit_code == 0, res.output
        outs.append(pd.read_csv(out))
    pd.testing.assert_frame_equal(*outs)


def test_keyword_file_adds_grounded_search_words(demo_catalog, tmp_path):
    kw = tmp_path / "kw.csv"
    # volume decides the order; 红色 is a colour claim most products cannot back, 显瘦 and 百搭 are not facts
    kw.write_text("关键词,搜索量,类目\n百搭,500,女装\n红色,9000,\n显瘦,1200,女装\n大容量,800,移动电源\n",
                  encoding="utf-8")
    out = tmp_path / "t.csv"
    res = runner.invoke(app, ["titles", str(demo_catalog), "--keywords", str(kw), "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, dtype=str).fillna("")
    women = df["商品类别"].str.startswith("女装")
    assert df.loc[women, "new_title"].str.contains("显瘦").sum() >= 6  # search words are worked in …
    assert not df.loc[~women, "new_title"].str.contains("显瘦|百搭").any()  # … for their category only …
    assert df.loc[df["商品ID"] == "zh-018", "new_title"].str.contains("大容量").all()
    assert not df["new_title"].str.contains("红色").any()  # … and never a fact the product lacks
    assert df["reasons"].str.contains("search words, density").any()  # coverage and density are reported
