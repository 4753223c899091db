"""The HTML report of a titles run, built from the output table (so a resumed run reports everything)."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from ..platforms import load_platform
from ..text.length import text_length
from .report import Report, bar_counts, hist_before_after, hist_with_limit


def _num(s: pd.Series) -> list[float]:
    return [float(x) for x in pd.to_numeric(s, errors="coerce").dropna()]


_UNIT_WORDS = {"width": "units (a Chinese character counts 2, a letter or digit 1)", "chars": "characters",
               "bytes": "bytes"}


def _units(unit: str) -> str:
    return _UNIT_WORDS.get(unit, f"{unit} units")


def titles_report(out: pd.DataFrame, platforms: list[str], *, short: int | None = None,
                  title_column: str | None = None, title: str = "listingforge titles") -> Report:
    rep = Report(title)
    many = len(platforms) > 1
    n = len(out)
    errors = int((out["error"].astype(str) != "").sum()) if "error" in out else 0
    rep.paragraph(f"{n} products for {len(platforms)} marketplace(s): {', '.join(platforms)}. "
                  + (f"{errors} rows could not be read or written (see the 'error' column)." if errors
                     else "Every row was read."))
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
        left = int((out.get(f"findings{sfx}", pd.Series(dtype=str)).fillna("").astype(str) != "").sum())
        summary = {
            "new titles written": f"{len(new_titles)} of {n} products",
            "average score of the existing titles (0-100)": round(sum(before) / len(before), 1) if before
            else "no existing titles",
            "average score of the new titles (0-100)": round(sum(after) / len(after), 1) if after else "none",
            "new titles within the length limit": f"{len(lengths) - over} of {len(lengths)} (the limit is {lim.max} "
                                                  f"{_units(lim.unit)})",
            "average length of a new title": f"uses {round(sum(lengths) / len(lengths)) if lengths else 0} of "
                                             f"{lim.max} units",
            "new titles with a problem left for a person to fix": f"{left} of {len(new_titles)}",
        }
        rep.table(summary, columns=["", f"{p.display or p.name}"])
        rep.figure(hist_before_after(before, after, "score (0-100)"),
                   caption="How the scores spread: the existing titles (before) and listingforge's (after).")
        fixed = Counter(r for cell in out.get(f"fixed{sfx}", pd.Series(dtype=str)).fillna("").astype(str)
                        for r in cell.split("; ") if r)
        rep.heading("Problems fixed automatically, by rule", level=3)
        rep.figure(bar_counts(dict(fixed), "titles fixed"),
                   caption="Each bar: how many titles had a problem of that rule removed (law terms, invented "
                           "facts, marketplace rules).")
        rep.table(dict(fixed.most_common()) or {"(none)": 0}, columns=["rule", "titles fixed"])
        before_len = []
        if title_column and title_column in out:
            before_len = [text_length(str(t), lim.unit) for t in out[title_column].fillna("") if str(t)]
        rep.heading("Length against the limit", level=3)
        if before_len:
            rep.figure(hist_with_limit(before_len, lim.max, f"existing title length ({lim.unit} units)"))
        rep.figure(hist_with_limit(lengths, lim.max, f"new title length ({lim.unit} units)"),
                   caption=f"The limit is {lim.max} {_units(lim.unit)}. Source: {lim.source}")
        rep.heading("Examples", level=3)
        names = {title_column: "existing title", f"new_title{sfx}": "new title", f"short_title{sfx}": "short title",
                 f"score_before{sfx}": "score before", f"score{sfx}": "score after", f"changes{sfx}": "changes",
                 f"reasons{sfx}": "why this score", f"findings{sfx}": "left to fix"}
        cols = [c for c in names if c and c in out and (short or c != f"short_title{sfx}")]
        examples = out[cols].head(30).rename(columns=names)
        examples.insert(cols.index(f"new_title{sfx}") + 1 if f"new_title{sfx}" in cols else 0, "length",
                        [f"uses {text_length(str(t), lim.unit)} of {lim.max}" if isinstance(t, str) and t else ""
                         for t in out.get(f"new_title{sfx}", pd.Series([""] * n)).head(30)])
        rep.table(examples, max_rows=30)
    return rep
