"""A small self-contained HTML report: headings, paragraphs, tables and matplotlib plots as base64 PNGs.

One file, no CDN, no JavaScript: it opens offline and can be mailed. Plots use the Agg backend on plain
``Figure`` objects (no pyplot state). Chinese shows on any machine, with or without CJK fonts: the page embeds
a subset of Noto Sans CJK SC (OFL-1.1, from the ``noto-cjk-sans-otc`` package) holding exactly the characters
it uses, and plots are drawn with the same font (:func:`cjk_font`). Without that package a system CJK font is
used where one is found; with none at all, plot text is made ASCII by :func:`plot_text` so no glyph turns into
a box.

    rep = Report("Titles: taobao")
    rep.heading("Scores").figure(hist_before_after(old, new, "score", bins=20))
    rep.table(df, max_rows=20)
    rep.save("report.html")
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# Fonts that cover Simplified Chinese, most common first (Linux, macOS, Windows).
_CJK_NAMES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "Droid Sans Fallback", "AR PL UMing CN", "AR PL UKai CN", "PingFang SC",
    "Hiragino Sans GB", "Heiti SC", "STHeiti", "Songti SC", "Microsoft YaHei", "SimHei", "SimSun",
    "Noto Serif CJK SC",
)
_PROBE = "中文标题"
_BUNDLED_NAME = "Noto Sans CJK SC"  # face 2 of the bundled collection
_BUNDLED_FACE = 2
_EMBEDDED_FAMILY = "listingforge CJK"
_DATA_URI = re.compile(r'src="data:[^"]*"')

_CSS = """
body{font-family:-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",
"listingforge CJK",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{border-bottom:2px solid #444}h2{margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.num{text-align:right;font-variant-numeric:tabular-nums}
figure{margin:1em 0}figure img{max-width:100%}figcaption,.note{color:#666;font-size:.85em}
"""


# ---------------------------------------------------------------- fonts


def _covers(path: str, text: str) -> bool:
    from matplotlib.ft2font import FT2Font

    try:
        charmap = FT2Font(path).get_charmap()
    except (OSError, RuntimeError, ValueError):
        return False
    glyphs = [charmap.get(ord(c)) for c in text]
    # Last-resort fonts map a whole block to one placeholder glyph: require distinct glyphs.
    return None not in glyphs and len(set(glyphs)) == len(set(text))


def bundled_font_path() -> str | None:
    """The Noto Sans CJK collection shipped by the ``noto-cjk-sans-otc`` package, if installed."""
    try:
        from noto_cjk_sans_otc import FONT_PATH
    except ImportError:
        return None
    return str(FONT_PATH) if FONT_PATH.is_file() else None


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """Name of a font matplotlib can use for Chinese, or ``None``: the bundled Noto Sans CJK SC, else known
    system names, then any font whose character map covers a Chinese probe (checked once per process)."""
    from matplotlib import font_manager

    bundled = bundled_font_path()
    if bundled is not None:
        if not any(f.fname == bundled for f in font_manager.fontManager.ttflist):
            font_manager.fontManager.addfont(bundled)  # every face of the collection, by name
        if any(f.name == _BUNDLED_NAME for f in font_manager.fontManager.ttflist):
            return _BUNDLED_NAME
    fonts = font_manager.fontManager.ttflist
    by_name = {f.name: f.fname for f in fonts}
    for name in _CJK_NAMES:
        if name in by_name and _covers(by_name[name], _PROBE):
            return name
    seen: set[str] = set()
    for f in fonts:
        if f.fname in seen or f.name.startswith(("DejaVu", "STIX", "cm", "Last Resort")):
            continue
        seen.add(f.fname)
        if _covers(f.fname, _PROBE):
            return f.name
    return None


def _font_file(name: str) -> tuple[str, int] | None:
    """(file, face number) of the font matplotlib knows as ``name``."""
    from matplotlib import font_manager

    bundled = bundled_font_path()
    if name == _BUNDLED_NAME and bundled is not None:
        return bundled, _BUNDLED_FACE
    path = next((f.fname for f in font_manager.fontManager.ttflist if f.name == name), None)
    return (path, 0) if path else None


@lru_cache(maxsize=8)
def embedded_font(chars: str) -> bytes | None:
    """A WOFF font holding just ``chars`` (sorted, distinct), cut from the CJK font; None without one."""
    name = cjk_font()
    where = _font_file(name) if name else None
    if where is None:
        return None
    from fontTools import subset
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(where[0], fontNumber=where[1], lazy=True)
        opts = subset.Options()
        opts.flavor, opts.hinting, opts.desubroutinize, opts.layout_features = "woff", False, True, []
        sub = subset.Subsetter(opts)
        sub.populate(text=chars)
        sub.subset(font)
        font.flavor = "woff"
        buf = io.BytesIO()
        font.save(buf)
    except Exception:  # fontTools raises many types on fonts it cannot cut; the page then relies on the browser
        return None
    return buf.getvalue()


def _font_face(text: str) -> str:
    """CSS ``@font-face`` embedding the characters of ``text`` that need more than ASCII, or ""."""
    chars = "".join(sorted({c for c in text if ord(c) > 127 and not c.isspace()}))
    data = embedded_font(chars) if chars else None
    if data is None:
        return ""
    b64 = base64.b64encode(data).decode("ascii")
    return (f'@font-face{{font-family:"{_EMBEDDED_FAMILY}";src:url(data:font/woff;base64,{b64}) '
            'format("woff");}\n')


def plot_text(text: str) -> str:
    """``text`` as it can be drawn: unchanged with a CJK font or when ASCII; otherwise non-ASCII
    characters become ``\\uXXXX`` escapes so distinct labels stay distinct and readable in a table."""
    if text.isascii() or cjk_font() is not None:
        return text
    return text.encode("ascii", "backslashreplace").decode("ascii")


def _rc() -> dict[str, Any]:
    # DejaVu first for Latin and digits, the CJK font as per-glyph fallback (matplotlib >= 3.6). The families
    # are named in font.family itself: behind the generic "sans-serif" alias matplotlib takes only one font.
    font = cjk_font()
    families = ["DejaVu Sans", font] if font else ["DejaVu Sans"]
    return {"font.family": families, "axes.unicode_minus": False}


def _new_figure(width: float = 6.4, height: float = 3.6) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


# ---------------------------------------------------------------- plot helpers


def _integer_counts(ax: Any) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.set_ylabel("count")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def _finite(values: Iterable[float | None]) -> list[float]:
    return [float(v) for v in values if v is not None and not math.isnan(float(v))]


def hist_before_after(
    before: Sequence[float], after: Sequence[float], label: str, bins: int = 20
) -> Figure:
    """Two overlaid histograms on the same bins (e.g. score of the old vs the new title)."""
    import numpy as np
    from matplotlib import rc_context

    b, a = _finite(before), _finite(after)
    with rc_context(_rc()):
        fig = _new_figure()
        ax = fig.add_subplot()
        if b or a:
            edges = np.histogram_bin_edges(b + a, bins=bins)
            if b:
                ax.hist(b, bins=edges, alpha=0.55, label=f"before (n={len(b)}, mean={np.mean(b):.3g})")
            if a:
                ax.hist(a, bins=edges, alpha=0.55, label=f"after (n={len(a)}, mean={np.mean(a):.3g})")
            ax.legend()
        else:
            ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
        ax.set_xlabel(plot_text(label))
        _integer_counts(ax)
        fig.tight_layout()
    return fig


def hist_with_limit(values: Sequence[float], limit: float, label: str, bins: int = 30) -> Figure:
    """Histogram with a vertical line at ``limit`` (e.g. title length against the marketplace maximum)."""
    from matplotlib import rc_context

    vals = _finite(values)
    with rc_context(_rc()):
        fig = _new_figure()
        ax = fig.add_subplot()
        if vals:
            lo, hi = min(vals), max(vals)
            if all(v.is_integer() for v in vals) and hi - lo <= 2 * bins:
                edges: Any = [x - 0.5 for x in range(int(lo), int(hi) + 2)]  # one bar per length
            else:
                edges = bins
            ax.hist(vals, bins=edges, color="#4c72b0", alpha=0.8)
        else:
            ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
        over = sum(v > limit for v in vals)
        ax.axvline(limit, color="#c44e52", linestyle="--", linewidth=2,
                   label=f"limit {limit:g} ({over} of {len(vals)} over)")
        ax.legend()
        ax.set_xlabel(plot_text(label))
        _integer_counts(ax)
        fig.tight_layout()
    return fig


def bar_counts(counts: Mapping[str, int], label: str, top: int = 20) -> Figure:
    """Horizontal bars, largest first (e.g. findings fixed by rule); the ``top`` largest are shown."""
    from matplotlib import rc_context
    from matplotlib.ticker import MaxNLocator

    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    with rc_context(_rc()):
        fig = _new_figure(height=max(2.0, 0.8 + 0.3 * len(items)))
        ax = fig.add_subplot()
        if items:
            names = [plot_text(str(k)) for k, _ in items][::-1]
            vals = [v for _, v in items][::-1]
            bars = ax.barh(names, vals, color="#55a868")
            ax.bar_label(bars, padding=2)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        else:
            ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
        ax.set_xlabel(plot_text(label))
        fig.tight_layout()
    return fig


# ---------------------------------------------------------------- the report


def _cell(value: Any) -> tuple[str, bool]:
    """(escaped text, is_number) for one table cell."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return str(value), False
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value), True
    if isinstance(value, float):
        if math.isnan(value):
            return "–", True
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value)), True
        return (f"{value:,.1f}" if abs(value) >= 1000 else f"{value:.4g}"), True
    if hasattr(value, "item") and not isinstance(value, str | bytes):  # numpy scalars
        try:
            return _cell(value.item())
        except (TypeError, ValueError):
            pass
    return html.escape(str(value)), False


def _rows(data: Any, columns: Sequence[str] | None) -> tuple[list[str], list[list[Any]]]:
    if hasattr(data, "to_dict") and hasattr(data, "columns"):  # a pandas DataFrame
        cols = [str(c) for c in (columns or list(data.columns))]
        frame = data[list(columns)] if columns else data
        return cols, [list(r) for r in frame.itertuples(index=False, name=None)]
    if isinstance(data, Mapping):  # {name: value} → two columns
        return list(columns or ["name", "value"]), [[k, v] for k, v in data.items()]
    rows = list(data)
    if rows and isinstance(rows[0], Mapping):
        cols = list(columns) if columns else list(dict.fromkeys(k for r in rows for k in r))
        return [str(c) for c in cols], [[r.get(c) for c in cols] for r in rows]
    if columns is None:
        width = max((len(r) for r in rows), default=0)
        columns = [str(i + 1) for i in range(width)]
    return list(columns), [list(r) for r in rows]


class Report:
    """Builds one HTML page; every method returns ``self`` so calls can be chained."""

    def __init__(self, title: str) -> None:
        self.title = title
        self._parts: list[str] = []
        self.n_figures = 0

    def heading(self, text: str, level: int = 2) -> Report:
        level = min(max(level, 2), 6)  # h1 is the title
        self._parts.append(f"<h{level}>{html.escape(text)}</h{level}>")
        return self

    def paragraph(self, text: str) -> Report:
        self._parts.append(f"<p>{html.escape(text)}</p>")
        return self

    def table(self, data: Any, columns: Sequence[str] | None = None, max_rows: int = 50) -> Report:
        """A DataFrame, a list of dicts, a list of rows (with ``columns``) or a ``{name: value}`` mapping.
        Everything is HTML-escaped; rows past ``max_rows`` are counted, not shown."""
        cols, rows = _rows(data, columns)
        out = ["<table>", "<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in cols) + "</tr>"]
        for row in rows[:max_rows]:
            cells = []
            for v in row:
                text, num = _cell(v)
                cells.append(f'<td class="num">{text}</td>' if num else f"<td>{text}</td>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</table>")
        if len(rows) > max_rows:
            out.append(f'<p class="note">showing {max_rows} of {len(rows):,} rows</p>')
        self._parts.append("\n".join(out))
        return self

    def figure(self, fig: Figure, caption: str | None = None) -> Report:
        """Embed ``fig`` as a base64 PNG (drawn with the CJK-capable fonts when there are any)."""
        from matplotlib import rc_context
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        _close(fig)  # release pyplot's hold first; the Figure itself stays drawable
        buf = io.BytesIO()
        with rc_context(_rc()):
            FigureCanvasAgg(fig).print_png(buf)
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        alt = html.escape(caption or f"figure {self.n_figures + 1}", quote=True)
        cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
        self._parts.append(f'<figure><img src="data:image/png;base64,{data}" alt="{alt}">{cap}</figure>')
        self.n_figures += 1
        return self

    def html(self) -> str:
        title = html.escape(self.title)
        body = "\n".join(self._parts)
        # the page carries the glyphs of its own Chinese text: it reads the same without any CJK font installed
        font = _font_face(html.unescape(self.title + _DATA_URI.sub("", body)))
        return (f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
                f"<title>{title}</title>\n<style>{font}{_CSS}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
                f"{body}\n</body>\n</html>\n")

    def save(self, path: str | Path) -> Path:
        """Write the page (UTF-8), creating parent folders; whole or not at all. Returns the path."""
        from ..catalog.output import atomic_path

        path = Path(path)
        page = self.html()
        with atomic_path(path) as tmp:
            tmp.write_text(page, encoding="utf-8")
        return path


def _close(fig: Figure) -> None:
    # A figure made with pyplot stays in pyplot's registry until closed; plain Figures need nothing.
    import sys

    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close(fig)
