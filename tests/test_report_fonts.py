"""The HTML report reads the same on a machine without any CJK font: it embeds the glyphs of its own text
(a subset of the bundled Noto Sans CJK SC) and draws its plots with that font."""

from __future__ import annotations

import base64
import io
import re
import warnings

import pandas as pd
import pytest

from listingforge.evaluate.report import Report, bar_counts, bundled_font_path, cjk_font
from listingforge.evaluate.titles_report import titles_report

pytestmark = pytest.mark.skipif(bundled_font_path() is None, reason="needs noto-cjk-sans-otc (a dependency)")


def _embedded_cmap(page: str) -> set[int]:
    from fontTools.ttLib import TTFont

    (data,) = re.findall(r"url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", page)
    return set(TTFont(io.BytesIO(base64.b64decode(data))).getBestCmap())


def test_every_chinese_character_of_the_page_is_in_its_embedded_font() -> None:
    rep = Report("标题：淘宝")
    rep.heading("类目 女装").paragraph("羊毛混纺，驼色。𠮷野家").table(pd.DataFrame({"新标题": ["花语羊毛大衣"]}))
    rep.figure(bar_counts({"a": 1}, "x"), caption="图注：长度")
    page = rep.html()
    text = re.sub(r'src="data:[^"]*"|<[^>]+>', "", page)
    needed = {ord(c) for c in text if ord(c) > 127 and not c.isspace()} - {ord("—")}
    cmap = _embedded_cmap(page)
    assert needed - cmap <= {ord("𠮷")}  # an extension-B character is the most Noto CJK itself may lack
    assert {ord("驼"), ord("图"), ord("标"), ord("类")} <= cmap  # body, captions, title and headings


def test_plots_draw_chinese_with_the_bundled_font_and_no_missing_glyph() -> None:
    assert cjk_font() == "Noto Sans CJK SC"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)" for every box
        Report("t").figure(bar_counts({"颜色": 3, "材质": 2}, "次数")).html()


def test_titles_report_speaks_plainly() -> None:
    out = pd.DataFrame({"商品标题": ["花语大衣", ""], "new_title": ["花语羊毛大衣女中长款", "木槿连衣裙"],
                        "score": [90.0, 80.0], "score_before": [60.0, None], "findings": ["", ""],
                        "fixed": ["adlaw.absolute", ""], "changes": ["+羊毛", "generated"], "reasons": ["", ""]})
    page = titles_report(out, ["taobao"], title_column="商品标题").html()
    assert "uses 20 of 60" in page and "2 of 2 (the limit is 60 units" in page
    assert "new titles with a problem left for a person to fix" in page
