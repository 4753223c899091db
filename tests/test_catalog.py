"""Catalog I/O: every reader and encoding, column mapping, cell parsers, row errors, writers and round trips.

Files are written into tmp_path by each test (pandas / openpyxl / raw bytes), so what is read is visible here.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from listingforge.catalog import (
    Catalog,
    append_rows,
    catalog_from_frame,
    load_aliases,
    parse_attributes,
    parse_mapping,
    parse_number,
    products_to_frame,
    read_catalog,
    write_table,
)
from listingforge.errors import CatalogError, ConfigError
from listingforge.product import Product

SEED_HEADER = ["商品标题", "商品类别", "价格", "点击率", "转化率", "销售额"]
SEED_ROWS = [
    ["自然堂雪域精粹纯粹滋润霜50g 补水保湿", "美妆", "￥139.00", "2.5%", "1%", "3000元"],
    ["三只松鼠坚果礼盒1.5kg", "食品", "1,299", "0.8%", "", "1.2万"],
    ["Anker USB-C Charger 20W", "数码", "399", "", "", ""],
]


def seed_frame() -> pd.DataFrame:
    return pd.DataFrame(SEED_ROWS, columns=SEED_HEADER)


def assert_seed(cat: Catalog) -> None:
    assert not cat.errors, cat.errors
    assert cat.columns == {"title": "商品标题", "category": "商品类别", "price": "价格", "ctr": "点击率",
                           "conversion": "转化率", "revenue": "销售额"}
    a, b, c = cat.products
    assert a is not None and b is not None and c is not None
    assert a.title == "自然堂雪域精粹纯粹滋润霜50g 补水保湿" and a.category == "美妆" and a.lang == "zh"
    assert a.price == 139.0
    assert a.metrics == pytest.approx({"ctr": 0.025, "conversion": 0.01, "revenue": 3000.0})
    assert b.price == 1299.0 and b.metrics == pytest.approx({"ctr": 0.008, "revenue": 12000.0})
    assert c.lang == "en" and c.metrics == {}
    # no id column: ids are spreadsheet row numbers, and the user is told
    assert [p.id for p in cat.products] == ["row-2", "row-3", "row-4"]
    assert any("no id column" in n for n in cat.notes)
    assert cat.rows == [2, 3, 4] and cat.error_column() == ["", "", ""]


# ------------------------------------------------------------------------------------------------- readers


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_seed_headers_in_each_encoding(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "seed.csv"
    seed_frame().to_csv(path, index=False, encoding=encoding)
    cat = read_catalog(path)
    assert_seed(cat)
    assert cat.frame.columns.tolist() == SEED_HEADER
    assert cat.frame.iloc[1, 2] == "1,299"  # the frame keeps the cells as read
    assert cat.encoding == {"utf-8": "utf-8", "utf-8-sig": "utf-8-sig"}.get(encoding, "gb18030")


def test_csv_with_characters_only_gb18030_has(tmp_path: Path) -> None:
    title = "𠮷野家同款䶮字T恤"  # U+20BB7 and U+4DAE are outside GBK
    with pytest.raises(UnicodeEncodeError):
        title.encode("gbk")
    path = tmp_path / "gb18030.csv"
    path.write_bytes(f"商品标题,品牌\n{title},𠮷\n".encode("gb18030"))
    cat = read_catalog(path)
    assert cat.encoding == "gb18030"
    assert cat.products[0] is not None and cat.products[0].title == title and cat.products[0].brand == "𠮷"


def test_tsv_and_semicolon_txt(tmp_path: Path) -> None:
    tsv = tmp_path / "a.tsv"
    tsv.write_text("title\tprice\nRed mug, large\t12.50\n", encoding="utf-8")
    txt = tmp_path / "b.txt"
    txt.write_text("title;price\nBlue mug;1,299.00\n", encoding="utf-8")
    p1, p2 = read_catalog(tsv).products[0], read_catalog(txt).products[0]
    assert p1 is not None and (p1.title, p1.price) == ("Red mug, large", 12.5)
    assert p2 is not None and (p2.title, p2.price) == ("Blue mug", 1299.0)


def test_xlsx_reads_sheet_by_name_and_number(tmp_path: Path) -> None:
    path = tmp_path / "cat.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "说明"
    ws.append(["这是说明页"])
    data = wb.create_sheet("商品")
    data.append(["宝贝ID", "宝贝标题", "价格", "月销量", "颜色"])
    data.append([600123456789, "珀莱雅双抗精华30ml", 289.0, "1万+", "白"])
    data.append([None, None, None, None, None])  # an empty row: skipped, but row numbers stay Excel's
    data.append([600123456790, "珀莱雅红宝石面霜50g", "¥359", 812, "红"])
    wb.save(path)
    for sheet in ("商品", 1):
        cat = read_catalog(path, sheet=sheet, attribute_columns=["颜色"])
        a, b = cat.products
        assert a is not None and b is not None
        assert a.id == "600123456789" and a.price == 289.0 and a.metrics == {"sales": 10000.0}
        assert a.attributes == [("颜色", "白")]
        assert b.price == 359.0 and b.metrics == {"sales": 812.0}
        assert cat.rows == [2, 4]
        assert any("skipped 1 empty rows" in n for n in cat.notes)
    with pytest.raises(CatalogError, match=r"no sheet 'Sheet9'.*'说明', '商品'"):
        read_catalog(path, sheet="Sheet9")
    # the first sheet holds no title column: the error lists what it found
    with pytest.raises(CatalogError, match="这是说明页"):
        read_catalog(path)


def test_jsonl_in_shared_schema_read_as_is(tmp_path: Path) -> None:
    rec = {"id": "x1", "lang": "zh", "category": "美妆", "brand": "自然堂",
           "attributes": [["净含量", "50g"], ["功效", "补水"], ["功效", "保湿"]], "title": "自然堂面霜50g",
           "description": "补水", "price": 139.0, "metrics": {"sale_count": 26719.0}, "tags": ["面霜"],
           "spans": [[0, 3, "brand"]], "snapshot_date": "2016/11/14"}
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(rec, ensure_ascii=False) + "\n\n", encoding="utf-8")
    cat = read_catalog(path)
    p = cat.products[0]
    assert p == Product(**{k: v for k, v in rec.items() if k != "snapshot_date"})
    assert cat.unit == "line" and cat.rows == [1]
    assert cat.frame.loc[0, "snapshot_date"] == "2016/11/14"  # unmapped keys stay in the frame


def test_a_field_that_repeats_its_own_name_states_nothing() -> None:
    p = Product(id="1", attributes=[("配件数量", "配件数量"), ("售后服务", " 售后服务"), ("功率", "1W"),
                                    ("Waterproof", "Waterproof")])
    assert p.attributes == [("功率", "1W"), ("Waterproof", "Waterproof")]  # an English feature said yes to stays
    assert Product(id="2", attributes={"采购地": "采购地", "颜色": "红色"}).attributes == [("颜色", "红色")]


def test_json_array_is_numbered_by_item(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"title": "Mug"}, {"title": "Cup", "price": "abc"}]), encoding="utf-8")
    cat = read_catalog(path)
    assert cat.products[0] is not None and cat.products[1] is None
    assert str(cat.errors[0]).startswith("item 2, column 'price': not a number")


def test_parquet(tmp_path: Path) -> None:
    path = tmp_path / "a.parquet"
    pd.DataFrame({"sku": ["A1", "A2"], "product_name": ["Steel bottle 750ml", "Glass jar"],
                  "price": [12.5, None], "units_sold": [30, 4]}).to_parquet(path)
    cat = read_catalog(path)
    a, b = cat.products
    assert a is not None and b is not None
    assert (a.id, a.title, a.price, a.metrics) == ("A1", "Steel bottle 750ml", 12.5, {"units_sold": 30.0})
    assert b.price is None


def test_catalog_from_frame() -> None:
    cat = catalog_from_frame(pd.DataFrame({"Title": ["Mug"], "Brand": ["Acme"]}))
    assert cat.products[0] is not None and cat.products[0].brand == "Acme" and cat.rows == [1]


# -------------------------------------------------------------------------------------------- column mapping


def test_header_variants_match_aliases() -> None:
    frame = pd.DataFrame({"*商品ID": ["7"], "Product Name": ["Mug"], "价格（元）": ["12"], "点击率(%)": ["3%"],
                          "ＢＲＡＮＤ": ["Acme"]})
    cat = catalog_from_frame(frame)
    assert cat.columns == {"id": "*商品ID", "title": "Product Name", "price": "价格（元）", "ctr": "点击率(%)",
                           "brand": "ＢＲＡＮＤ"}
    p = cat.products[0]
    assert p is not None and (p.id, p.price, p.metrics["ctr"]) == ("7", 12.0, 0.03)


def test_two_title_like_columns_prefer_the_earlier_alias_and_say_so() -> None:
    cat = catalog_from_frame(pd.DataFrame({"name": ["short"], "商品标题": ["the title"]}))
    assert cat.columns["title"] == "商品标题"
    assert any("both look like title" in n for n in cat.notes)


def test_mapping_overrides_and_unmaps(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    pd.DataFrame({"My Title Col": ["Mug"], "title": ["ignored"], "标价": ["¥9"], "描述": ["desc"],
                  "GMV": ["100"]}).to_csv(path, index=False)
    cat = read_catalog(path, mapping={"title": "my title col", "price": "标价", "description": "",
                                      "metrics.gmv_total": "GMV"})
    p = cat.products[0]
    assert p is not None
    assert (p.title, p.price, p.description, p.metrics) == ("Mug", 9.0, None, {"gmv_total": 100.0})
    assert cat.columns["title"] == "My Title Col"


def test_mapping_to_a_missing_column_names_it_and_lists_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    seed_frame().to_csv(path, index=False)
    with pytest.raises(CatalogError) as err:
        read_catalog(path, mapping={"title": "商品名称X"})
    msg = str(err.value)
    assert "商品名称X" in msg and str(path) in msg and all(c in msg for c in SEED_HEADER)
    with pytest.raises(CatalogError, match="not a Product field"):
        read_catalog(path, mapping={"titel": "商品标题"})


def test_missing_title_and_attributes_names_file_and_columns(tmp_path: Path) -> None:
    path = tmp_path / "nope.csv"
    pd.DataFrame({"SKU": ["1"], "Price": ["3"], "Colour": ["red"]}).to_csv(path, index=False)
    with pytest.raises(CatalogError) as err:
        read_catalog(path)
    msg = str(err.value)
    assert str(path) in msg and "'SKU'" in msg and "'Colour'" in msg and "商品标题" in msg and "--map" in msg
    # naming the attribute column is enough
    cat = read_catalog(path, attribute_columns=["colour"])
    p = cat.products[0]
    assert p is not None and p.attributes == [("Colour", "red")] and p.id == "1"


def test_parse_mapping_and_alias_table() -> None:
    assert parse_mapping("title=商品名称, price=售价；brand=品牌") == {"title": "商品名称", "price": "售价",
                                                                    "brand": "品牌"}
    with pytest.raises(ConfigError, match="FIELD=COLUMN"):
        parse_mapping("title")
    aliases = load_aliases()
    for header, key in [("商品标题", "title"), ("点击率", "ctr"), ("转化率", "conversion"), ("销售额", "revenue"),
                        ("月销量", "sales"), ("展现量", "impressions"), ("评论数", "rating_count")]:
        assert aliases.lookup[header.lower()][0] == key


# --------------------------------------------------------------------------------------------- cell parsers


@pytest.mark.parametrize(("text", "expected"), [
    ('[["颜色","红"],["颜色","蓝"],["尺码","M"]]', [("颜色", "红"), ("颜色", "蓝"), ("尺码", "M")]),
    ('[{"name":"材质","value":"棉"}]', [("材质", "棉")]),
    ('{"颜色":"红","尺码":["S","M"],"重量":1.5}', [("颜色", "红"), ("尺码", "S"), ("尺码", "M"), ("重量", "1.5")]),
    ("颜色:红;尺码:M;颜色:蓝", [("颜色", "红"), ("尺码", "M"), ("颜色", "蓝")]),
    ("颜色：红；尺码：M", [("颜色", "红"), ("尺码", "M")]),
    ("颜色：红，尺码：M", [("颜色", "红"), ("尺码", "M")]),
    ("适用季节:春,秋;材质:棉", [("适用季节", "春,秋"), ("材质", "棉")]),
    ("适用季节:春，秋，材质:棉", [("适用季节", "春，秋"), ("材质", "棉")]),
    ("颜色：红 尺码：M", [("颜色", "红"), ("尺码", "M")]),
    ("类型#上衣*材质#牛仔布*风格#街头", [("类型", "上衣"), ("材质", "牛仔布"), ("风格", "街头")]),
    ("颜色#:#红#;#尺码#:#M", [("颜色", "红"), ("尺码", "M")]),
    ("链接:http://a.cn/x;颜色:", [("链接", "http://a.cn/x")]),
    ("", []),
])
def test_parse_attributes_formats(text: str, expected: list[tuple[str, str]]) -> None:
    assert parse_attributes(text) == expected


@pytest.mark.parametrize("bad", ["just some words", "颜色红;尺码:M", ":红", "[[\"颜色\"]]", '{"a": {"b": 1}}'])
def test_parse_attributes_refuses_malformed(bad: str) -> None:
    with pytest.raises(CatalogError):
        parse_attributes(bad)


@pytest.mark.parametrize(("text", "expected"), [
    ("20%", 0.2), ("2.5 %", 0.025), ("３０００元", 3000.0), ("3000元", 3000.0), ("¥1,299.00", 1299.0),
    ("￥59", 59.0), ("₹399", 399.0), ("Rs. 1,099", 1099.0), ("4,26,973", 426973.0), ("1,299,000", 1299000.0),
    ("1.2万", 12000.0), ("1万+", 10000.0), ("3.5k", 3500.0), ("2亿", 2e8), ("-5", -5.0), ("$12.50", 12.5),
    ("1000人付款", 1000.0), (12, 12.0), (0.5, 0.5),
    ("", None), ("-", None), ("N/A", None), ("暂无", None), (None, None), (float("nan"), None),
])
def test_parse_number(text: object, expected: float | None) -> None:
    assert parse_number(text) == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize("bad", ["abc", "1,5", "12.5.3", "199-299", "1,2345"])
def test_parse_number_refuses_garbage(bad: str) -> None:
    with pytest.raises(CatalogError, match="value"):
        parse_number(bad)


# --------------------------------------------------------------------------------------------- bad input


def test_undecodable_bytes_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    good = "商品标题,价格\n自然堂面霜,139\n珀莱雅精华,289\n".encode()
    path.write_bytes(good + b"\xff\xfe\xfa\xfb broken,1\n")
    with pytest.raises(CatalogError) as err:
        read_catalog(path)
    msg = str(err.value)
    assert str(path) in msg and "line 4" in msg and err.value.row == 4


def test_malformed_csv_row_is_a_row_error_and_other_rows_are_read(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("商品标题,价格,品牌\n面霜A,10,甲\n面霜B,20,乙,多余\n\n面霜C,30,丙\n", encoding="utf-8")
    cat = read_catalog(path)
    assert len(cat.frame) == 3 and cat.rows == [2, 3, 5]  # the blank line is row 4, as Excel shows it
    a, b, c = cat.products
    assert a is not None and b is None and c is not None and c.price == 30.0
    (err,) = cat.errors
    assert (err.row, err.index) == (3, 1) and "expected 3 fields, found 4" in err.message
    assert cat.frame.loc[1, "_raw"] == "面霜B,20,乙,多余"
    assert cat.error_column()[1].startswith("malformed row at line 3")


def test_trailing_empty_fields_are_not_malformed(tmp_path: Path) -> None:
    path = tmp_path / "trailing.csv"
    path.write_text("title,price\nMug,1,\nCup,2,,\n", encoding="utf-8")
    cat = read_catalog(path)
    assert cat.errors == [] and [p.price for p in cat.ok_products()] == [1.0, 2.0]


def test_unclosed_quote_is_one_error_row_and_reading_resumes_on_the_next_line(tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('title,price\nMug,1\n"Cup,2\nBowl,3\nPlate,4\n', encoding="utf-8")
    cat = read_catalog(path)
    assert [p.title if p else None for p in cat.products] == ["Mug", None, "Bowl", "Plate"]
    assert cat.rows == [2, 3, 4, 5]
    (err,) = cat.errors
    assert err.row == 3 and "line 3" in err.message and "never closed" in err.message
    assert cat.frame.loc[1, "_raw"] == '"Cup,2'  # the bad row's own text, not the rows after it


def test_one_megabyte_cell_is_a_row_error(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    pd.DataFrame({"商品标题": ["面霜A", "长" * 1_000_000, "面霜C"], "描述": ["", "", "x" * 2_000_000],
                  "价格": ["1", "2", "3"]}).to_csv(path, index=False)
    cat = read_catalog(path)
    a, b, c = cat.products
    assert a is not None and b is None and c is None
    assert [(e.row, e.column) for e in cat.errors] == [(3, "商品标题"), (4, "描述")]
    assert "1,000,000 characters" in cat.errors[0].message and "max_cell_chars" in cat.errors[0].message
    assert len(cat.frame.loc[1, "商品标题"]) == 1_000_000  # nothing dropped from the frame
    assert read_catalog(path, max_cell_chars=3_000_000).errors == []


def test_bad_cells_and_bad_json_lines_are_row_errors(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [json.dumps({"title": "Mug", "attributes": "colour:red;size:L"}),
             '{"title": "Cup", "price": ',
             json.dumps({"title": "Bowl", "attributes": "no pairs here"}),
             "[1, 2]",
             json.dumps({"title": "Plate", "price": "¥five"}),
             json.dumps({"attributes": [], "brand": "Acme"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cat = read_catalog(path)
    assert len(cat.frame) == 6 and len(cat.products) == 6
    assert cat.products[0] is not None and cat.products[0].attributes == [("colour", "red"), ("size", "L")]
    got = {(e.row, e.column): e.message for e in cat.errors}
    assert set(got) == {(2, None), (3, "attributes"), (4, None), (5, "price"), (6, None)}
    assert got[(2, None)].startswith("not valid JSON") and cat.frame.loc[1, "_raw"] == lines[1]
    assert "expected a JSON object" in got[(4, None)]
    assert "no title and no attributes" in got[(6, None)]
    assert str(cat.errors[0]).startswith("line 2")
    # every row has a product or an error
    assert all((p is None) == bool(e) for p, e in zip(cat.products, cat.error_column(), strict=True))


def test_unsupported_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(CatalogError, match="no such file"):
        read_catalog(tmp_path / "none.csv")
    (tmp_path / "a.doc").write_text("x")
    with pytest.raises(CatalogError, match="unsupported file type"):
        read_catalog(tmp_path / "a.doc")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(CatalogError, match="empty"):
        read_catalog(tmp_path / "empty.csv")


def test_lang_is_detected_when_absent_and_normalized_when_given() -> None:
    cat = catalog_from_frame(pd.DataFrame({"title": ["纯棉T恤男", "Cotton T-shirt", "Mug"],
                                           "language": [None, None, "zh-CN"]}))
    assert [p.lang for p in cat.ok_products()] == ["zh", "en", "zh"]


# ------------------------------------------------------------------------------------- writers, round trips

PRODUCTS = [
    Product(id="001", lang="zh", category="美妆 > 面霜", brand="自然堂",
            attributes=[("净含量", "50g"), ("功效", "补水"), ("功效", "保湿")], title="自然堂面霜50g 补水保湿",
            description="第一行\n第二行, 含逗号", price=139.0, metrics={"ctr": 0.025, "sale_count": 26719.0},
            tags=["面霜", "补水"], spans=[(0, 3, "brand")]),
    Product(id="B07", lang="en", title='Steel Bottle 750ml "Leakproof"', price=None),
    Product(id="x3", lang="zh", attributes=[("类型", "上衣"), ("材质", "牛仔布")]),
]


@pytest.mark.parametrize("ext", ["csv", "tsv", "xlsx", "jsonl", "json", "parquet"])
@pytest.mark.parametrize("nested", [False, True])
def test_round_trip(tmp_path: Path, ext: str, nested: bool) -> None:
    path = tmp_path / f"out.{ext}"
    write_table(products_to_frame(PRODUCTS, nested=nested), path)
    cat = read_catalog(path)
    assert cat.errors == [] and cat.products == PRODUCTS


def test_products_to_frame_keeps_alignment_for_failed_rows() -> None:
    frame = products_to_frame([PRODUCTS[0], None])
    assert len(frame) == 2 and frame.loc[0, "attributes"] == '[["净含量", "50g"], ["功效", "补水"], ["功效", "保湿"]]'
    assert pd.isna(frame.loc[1, "title"])


def test_csv_is_written_with_a_bom_and_jsonl_unescaped(tmp_path: Path) -> None:
    write_table(seed_frame(), tmp_path / "o.csv")
    assert (tmp_path / "o.csv").read_bytes().startswith(b"\xef\xbb\xbf\xe5\x95\x86")  # BOM then 商
    write_table(pd.DataFrame({"title": ["面霜 1/2"]}), tmp_path / "o.jsonl")
    assert (tmp_path / "o.jsonl").read_text(encoding="utf-8") == '{"title": "面霜 1/2"}\n'


def test_append_rows_csv_writes_header_once_and_keeps_column_order(tmp_path: Path) -> None:
    path = tmp_path / "out" / "run.csv"
    append_rows(pd.DataFrame({"id": ["1"], "title": ["面霜"], "error": [""]}), path)
    append_rows(pd.DataFrame({"title": ["精华"], "error": ["x"], "id": ["2"]}), path)
    data = path.read_bytes()
    assert data.count(b"\xef\xbb\xbf") == 1
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back.to_dict("list") == {"id": ["1", "2"], "title": ["面霜", "精华"], "error": ["", "x"]}
    with pytest.raises(CatalogError, match="differ"):
        append_rows(pd.DataFrame({"id": ["3"]}), path)
    with pytest.raises(CatalogError, match="appending supports"):
        append_rows(pd.DataFrame({"id": ["3"]}), tmp_path / "x.xlsx")


def test_append_rows_jsonl_after_a_torn_write(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    append_rows(pd.DataFrame({"title": ["Mug"]}), path)
    with path.open("a", encoding="utf-8") as fh:
        fh.write('{"title": "Cu')  # a run killed mid-line
    append_rows(pd.DataFrame({"title": ["Bowl"]}), path)
    cat = read_catalog(path)
    assert [p.title if p else None for p in cat.products] == ["Mug", None, "Bowl"]
    assert cat.errors[0].row == 2


# ---------------------------------------------------------------------------------------------- shared data


@pytest.mark.data
@pytest.mark.parametrize("name", ["zh_openbg_titles.jsonl", "en_amazon_india_products.jsonl"])
def test_reads_a_few_lines_of_shared_data(shared_data: Path, tmp_path: Path, name: str) -> None:
    src = shared_data / name
    if not src.exists():
        pytest.skip(f"{src} is absent")
    with src.open(encoding="utf-8") as fh:
        head = [next(fh) for _ in range(50)]
    path = tmp_path / name
    path.write_text("".join(head), encoding="utf-8")
    cat = read_catalog(path)
    assert cat.errors == [] and len(cat.products) == 50
    first = json.loads(head[0])
    p = cat.products[0]
    assert p is not None and p.id == first["id"] and p.title == first["title"] and p.lang == first["lang"]
    assert p.attributes == [tuple(a) for a in first.get("attributes", [])]
    assert p.metrics == first.get("metrics", {}) and p.price == first.get("price")


def test_other_encodings_are_read_and_named(tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("title,price\nCafé crème mug,12\n".encode("cp1252"))
    with pytest.warns(UserWarning, match="cp1252"):
        cat = read_catalog(latin)
    assert cat.products[0] is not None and cat.products[0].title == "Café crème mug"
    assert cat.encoding == "cp1252" and any("a guess" in n for n in cat.notes)
    big5 = tmp_path / "big5.csv"
    big5.write_bytes("商品標題,價格\n自然堂保濕面霜,139\n".encode("big5"))
    cat = read_catalog(big5)
    assert cat.encoding == "big5" and cat.products[0] is not None
    assert cat.products[0].title == "自然堂保濕面霜"
    utf16 = tmp_path / "excel_unicode.txt"  # Excel's "Unicode Text": UTF-16 with a BOM, tab-separated
    utf16.write_bytes("商品标题\t价格\n面霜\t1,299\n".encode("utf-16"))
    cat = read_catalog(utf16)
    assert cat.encoding == "utf-16" and cat.products[0] is not None and cat.products[0].price == 1299.0


def test_header_only_file_reads_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("商品ID,商品标题\n", encoding="utf-8")
    cat = read_catalog(path)
    assert cat.products == [] and cat.errors == [] and cat.frame.columns.tolist() == ["商品ID", "商品标题"]


def test_several_errors_on_one_row_share_its_error_cell() -> None:
    cat = catalog_from_frame(pd.DataFrame({"title": ["Mug", "Cup"], "price": ["abc", "1"],
                                           "ctr": ["x%", "2%"]}))
    col = cat.error_column()
    assert col[1] == "" and col[0].startswith("column 'price': not a number") and "; column 'ctr':" in col[0]
    assert cat.products[1] is not None and cat.products[1].metrics == {"ctr": 0.02}


def test_xlsx_values_beyond_the_header_are_a_row_error(tmp_path: Path) -> None:
    path = tmp_path / "w.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["商品标题", "价格"])
    ws.append(["面霜", 10])
    ws.append(["精华", 20, "stray"])
    wb.save(path)
    cat = read_catalog(path)
    assert cat.products[0] is not None and cat.products[1] is None
    assert cat.errors[0].row == 3 and "beyond the last named column" in cat.errors[0].message


def test_xlsx_writer_drops_control_characters_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "c.xlsx"
    with pytest.warns(UserWarning, match="control characters"):
        write_table(pd.DataFrame({"title": ["面霜\x01A", "B"]}), path)
    cat = read_catalog(path)
    assert [p.title for p in cat.ok_products()] == ["面霜A", "B"]


def test_xlsx_writer_cuts_cells_excel_cannot_hold_and_says_where(tmp_path: Path) -> None:
    path = tmp_path / "long.xlsx"
    with pytest.warns(UserWarning, match=r"row 3, column 'description'"):
        write_table(pd.DataFrame({"title": ["A", "B"], "description": ["short", "长" * 40_000]}), path)
    back = read_catalog(path)
    assert [len(p.description or "") for p in back.ok_products()] == [5, 32_767]


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_title_rows_above_the_header_are_skipped_and_noted(tmp_path: Path, ext: str) -> None:
    rows = [["商品效果明细 2024-05-01 ~ 2024-05-31"], [], SEED_HEADER, *SEED_ROWS]
    path = tmp_path / f"export.{ext}"
    if ext == "csv":
        with path.open("w", encoding="gbk", newline="") as fh:
            csv.writer(fh).writerows(rows)
    else:
        wb = openpyxl.Workbook()
        for r in rows:
            wb.active.append(r)
        wb.save(path)
    cat = read_catalog(path)
    assert cat.errors == [] and cat.rows == [4, 5, 6]
    assert cat.products[0] is not None and cat.products[0].title == SEED_ROWS[0][0]
    assert any("header is row 3" in n and "商品效果明细" in n for n in cat.notes)
