from __future__ import annotations

import base64
import re
from pathlib import Path

import pandas as pd
import pytest

from listingforge.evaluate.report import (
    Report,
    bar_counts,
    cjk_font,
    hist_before_after,
    hist_with_limit,
    plot_text,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
IMG = re.compile(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"')


def _images(page: str) -> list[bytes]:
    return [base64.b64decode(m) for m in IMG.findall(page)]


def test_saved_report_has_headings_tables_and_one_png_per_figure(tmp_path: Path) -> None:
    rep = Report("Titles <taobao>")
    rep.heading("Scores before & after").paragraph("Scores of the old and the new title.")
    rep.figure(hist_before_after([40, 50, 55, 60], [70, 75, 80, 90], "score", bins=10))
    rep.heading("Length").figure(hist_with_limit([50, 58, 62, 30], 60, "length (width units)"),
                                 caption="title length vs limit")
    rep.heading("Findings fixed").figure(bar_counts({"adlaw.absolute": 3, "taobao.length": 5}, "count"))
    rep.table([{"id": "p1", "title": "<b>最好的</b> 连衣裙", "score": 81.25}])
    out = rep.save(tmp_path / "sub" / "report.html")

    page = out.read_text(encoding="utf-8")
    assert out == tmp_path / "sub" / "report.html"
    assert "<title>Titles &lt;taobao&gt;</title>" in page
    for h in ("<h2>Scores before &amp; after</h2>", "<h2>Length</h2>", "<h2>Findings fixed</h2>"):
        assert h in page
    # one embedded PNG per figure, each a real PNG; nothing fetched from the network
    images = _images(page)
    assert len(images) == 3 == rep.n_figures
    assert all(img.startswith(PNG_MAGIC) and len(img) > 1000 for img in images)
    assert "http://" not in page and "https://" not in page and "<script" not in page
    # table text escaped, Chinese kept
    assert "&lt;b&gt;最好的&lt;/b&gt; 连衣裙" in page and "<b>最好的" not in page
    assert "<figcaption>title length vs limit</figcaption>" in page


def test_table_from_dataframe_with_chinese_and_row_limit(tmp_path: Path) -> None:
    df = pd.DataFrame({"商品标题": [f"红色连衣裙{i}" for i in range(7)], "score": [float(i) / 3 for i in range(7)]})
    page = Report("报告").table(df, max_rows=5).html()
    assert "<th>商品标题</th>" in page and "红色连衣裙4" in page and "红色连衣裙5" not in page
    assert "showing 5 of 7 rows" in page
    assert '<td class="num">0.3333</td>' in page  # floats shown to 4 significant digits
    # written and read back as UTF-8
    path = Report("报告").table(df).save(tmp_path / "r.html")
    assert "红色连衣裙6" in path.read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in path.read_text(encoding="utf-8")


def test_table_from_rows_mapping_and_column_choice() -> None:
    page = Report("t").table([("a", 1), ("b", None)], columns=["k", "v"]).html()
    assert "<th>k</th><th>v</th>" in page and "<td>a</td>" in page and "<td></td>" in page
    page = Report("t").table({"rougeL": 0.31234, "bleu": float("nan")}).html()
    assert "<th>name</th><th>value</th>" in page and "0.3123" in page and "–" in page
    df = pd.DataFrame({"a": [1], "b": ["x"], "c": [2]})
    page = Report("t").table(df, columns=["b", "a"]).html()
    assert "<th>b</th><th>a</th>" in page and "<th>c</th>" not in page


def test_plot_helpers_accept_chinese_labels_and_empty_data(tmp_path: Path) -> None:
    rep = Report("t")
    rep.figure(bar_counts({"广告法.绝对化用语": 4, "平台.长度": 2}, "数量"))
    rep.figure(hist_before_after([], [], "分数"))
    rep.figure(hist_with_limit([], 60, "长度"))
    assert len(_images(rep.html())) == 3


def test_plot_text_is_drawable_without_or_with_a_cjk_font() -> None:
    font = cjk_font()
    assert plot_text("score") == "score"
    if font is None:
        # no CJK font here: escapes keep the label ASCII and distinct
        assert plot_text("长度").isascii() and plot_text("长度") != plot_text("宽度")
    else:
        assert plot_text("长度") == "长度"


def test_pyplot_figure_is_embedded_and_closed() -> None:
    plt = pytest.importorskip("matplotlib.pyplot")
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3])
    before = len(plt.get_fignums())
    page = Report("t").figure(fig).html()
    assert len(_images(page)) == 1
    assert len(plt.get_fignums()) == before - 1
