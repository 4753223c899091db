"""The HTML report of a titles run, built from the output table (so a resumed run reports everything)."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from ..platforms import load_platform
from ..text.length import text_length
from .report import Report, bar_counts, hist_before_after, hist_with_limit


def _num(s: pd.Series) -> list[float]:
    return [float(x) for x in pd.to_numeric(s, errors="coerce").dropna()]


def titles_report(out: pd.DataFrame, platforms: list[str], *, short: int | None = None,
                  title_column: str | None = None, title: str = "listingforge titles") -> Report:
    rep = Report(title)
    many = len(platforms) > 1
    n = len(out)
    errors = int((out["error"].astype(str) != "").sum()) if "error" in out else 0
    rep.paragraph(f"{n} products, {len(platforms)} platform(s): {', '.join(platforms)}. "
                  f"Rows with errors: {errors}.")
    for plat in platforms:
        sfx = f"_{plat}" if many else ""
        p = load_platform(plat)
        lim = p.limit("title")
        rep.heading(f"{p.display or p.name}: titles")
        after = _num(out.get(f"score{sfx}", pd.Series(dtype=float)))
        before = _num(out.get(f"score_before{sfx}", pd.Series(dtype=float)))
        new_titles = [str(t) for t in out.get(f"new_title{sfx}", pd.Series(dtype=str)).fillna("") if str(t)]
        lengths = [text_length(t, lim.unit) for t in new_titles]
        over = sum(1 for x in lengths if x > lim.max)
        summary = {
            "titles written": len(new_titles),
            "mean score before (products with a title)": round(sum(before) / len(before), 1) if before else None,
            "mean score after": round(sum(after) / len(after), 1) if after else None,
            f"within {lim.max} {lim.unit} units": f"{len(lengths) - over}/{len(lengths)}",
            "titles with findings left": int((out.get(f"findings{sfx}", pd.Series(dtype=str)).fillna("")
                                              .astype(str) != "").sum()),
        }
        rep.table(summary)
        rep.figure(hist_before_after(before, after, "score (0-100)"),
                   caption="Score distribution: existing titles (before) and listingforge's (after).")
        fixed = Counter(r for cell in out.get(f"fixed{sfx}", pd.Series(dtype=str)).fillna("").astype(str)
                        for r in cell.split("; ") if r)
        rep.heading("Findings fixed automatically, by rule", level=3)
        rep.figure(bar_counts(dict(fixed), "findings fixed"), caption="Rules whose violations were removed.")
        rep.table(dict(fixed.most_common()) or {"(none)": 0})
        before_len = []
        if title_column and title_column in out:
            before_len = [text_length(str(t), lim.unit) for t in out[title_column].fillna("") if str(t)]
        rep.heading("Length against the limit", level=3)
        if before_len:
            rep.figure(hist_with_limit(before_len, lim.max, f"existing title length ({lim.unit})"))
        rep.figure(hist_with_limit(lengths, lim.max, f"new title length ({lim.unit})"),
                   caption=f"Limit {lim.max} {lim.unit} units — {lim.source}")
        rep.heading("Examples", level=3)
        cols = [c for c in (title_column, f"new_title{sfx}", f"short_title{sfx}" if short else None,
                            f"score_before{sfx}", f"score{sfx}", f"changes{sfx}", f"reasons{sfx}",
                            f"findings{sfx}") if c and c in out]
        rep.table(out[cols].head(30), max_rows=30)
    return rep
