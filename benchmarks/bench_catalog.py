"""Catalog read/write speed: a synthetic seller CSV (Chinese headers, GBK or UTF-8) of N rows.

    .venv/bin/python benchmarks/bench_catalog.py [--rows 100000] [--encoding gbk]

Prints one table: rows/s for reading (decode + parse + Product objects) and for writing each format.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import pandas as pd

from listingforge.catalog import products_to_frame, read_catalog, write_table


def synthetic(n: int, seed: int = 0) -> pd.DataFrame:
    rng = random.Random(seed)
    brands = ["自然堂", "三只松鼠", "徕卡", "Anker", "珀莱雅", "李宁"]
    words = ["补水", "保湿", "面霜", "轻薄", "透气", "新款", "男士", "女士", "大容量", "便携", "USB", "Type-C"]
    rows = []
    for i in range(n):
        b = rng.choice(brands)
        rows.append({
            "商品ID": f"{600000000000 + i}",
            "商品标题": b + "".join(rng.sample(words, 5)) + f"{rng.randint(10, 500)}ml",
            "商品类别": rng.choice(["美妆", "食品", "数码", "服饰"]),
            "品牌": b,
            "属性": f"品牌:{b};净含量:{rng.randint(10, 500)}ml;颜色:{rng.choice(['红', '蓝', '黑'])}",
            "价格": f"￥{rng.randint(9, 2000)}.00",
            "点击率": f"{rng.random() * 10:.2f}%",
            "转化率": f"{rng.random() * 5:.2f}%",
            "销售额": f"{rng.randint(0, 100000)}元",
        })
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--encoding", default="gbk", help="encoding of the CSV to read (gbk, utf-8, utf-8-sig)")
    args = ap.parse_args()
    frame = synthetic(args.rows)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "catalog.csv"
        frame.to_csv(src, index=False, encoding=args.encoding)
        t = time.perf_counter()
        cat = read_catalog(src)
        read_s = time.perf_counter() - t
        assert len(cat.ok_products()) == args.rows, cat.summary()
        print("| step | rows | seconds | rows/s |\n|---|---|---|---|")
        print(f"| read CSV ({cat.encoding}, {src.stat().st_size / 1e6:.1f} MB) | {args.rows:,} | {read_s:.2f} | "
              f"{args.rows / read_s:,.0f} |")
        t = time.perf_counter()
        out = products_to_frame(cat.products)
        s = time.perf_counter() - t
        print(f"| products_to_frame | {args.rows:,} | {s:.2f} | {args.rows / s:,.0f} |")
        for ext in ("csv", "jsonl", "parquet"):
            t = time.perf_counter()
            write_table(out, Path(tmp) / f"out.{ext}")
            s = time.perf_counter() - t
            print(f"| write {ext} | {args.rows:,} | {s:.2f} | {args.rows / s:,.0f} |")
        for ext in ("csv", "jsonl", "parquet"):
            t = time.perf_counter()
            back = read_catalog(Path(tmp) / f"out.{ext}")
            s = time.perf_counter() - t
            assert len(back.ok_products()) == args.rows, back.summary()
            print(f"| read back {ext} | {args.rows:,} | {s:.2f} | {args.rows / s:,.0f} |")


if __name__ == "__main__":
    main()
