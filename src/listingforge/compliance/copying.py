"""Copy detection: a description must not be a copy of a competitor's.

``CopyIndex().fit(reference_texts, ids).check(text)`` flags ``text`` when, for one reference document,

- most of its shingles occur there (containment ≥ ``threshold``): a copy with words swapped here and there;
- or one passage is shared word for word (``max_run_chars`` characters of Chinese, ``max_run_words``
  English words): a copied paragraph inside an original text.

Shingles are 8 characters for Chinese (spaces and punctuation dropped, so re-punctuating hides nothing)
and 5 words for English, lower-cased. Common phrasing ("面料柔软舒适", "made of soft cotton") is shorter
than either threshold, so unrelated texts that share it are not flagged.

The index keeps each shingle's hash with the documents that contain it (sorted arrays, 12 bytes per distinct
shingle of a document: ~110 MB for 100k descriptions of 110 characters, plus the texts), so a check touches
only the documents that share shingles with the text; the few that share enough (at most ``max_compared``,
most shared first) are then compared exactly on their text, so a hash collision can never flag anything.
Hashes are computed in-process; nothing here is saved.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import numpy as np

from ..errors import CatalogError
from ..product import Finding
from ..text.lang import detect_lang

_UNIT_ZH = re.compile(r"[^\W_]")  # one letter, digit or Chinese character
_NOT_UNIT_ZH = re.compile(r"[\W_]+")
_UNIT_EN = re.compile(r"[^\W_]+")  # one word
# length-preserving, so unit k of the string is still match k of the text
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_BASE = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier of the rolling hash (wraps mod 2**64)


def _seq(text: str, lang: str) -> str | list[str]:
    """The units shingles are made of: Chinese as one string of its letters, digits and characters (spaces
    and punctuation dropped), English as its lower-cased words."""
    if lang == "zh":
        units = _NOT_UNIT_ZH.sub("", text)
        low = units.lower()  # fast; the ASCII fold only where lower() changes the length (rare letters)
        return low if len(low) == len(units) else units.translate(_ASCII_LOWER)
    return [w.lower() for w in _UNIT_EN.findall(text)]


def _codes(seq: str | list[str]) -> np.ndarray:
    """One integer per unit: the code point of a character, a CRC-32 of a word."""
    if isinstance(seq, str):
        return np.frombuffer(seq.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    return np.fromiter((zlib.crc32(w.encode()) for w in seq), dtype=np.uint64, count=len(seq))


@dataclass(frozen=True)
class _Units:
    """A text to check: its units, and each unit's span in the text (to point at the copied passage)."""

    lang: str
    seq: str | list[str]
    spans: list[tuple[int, int]]

    @classmethod
    def of(cls, text: str, lang: str) -> _Units:
        spans = [m.span() for m in (_UNIT_ZH if lang == "zh" else _UNIT_EN).finditer(text)]
        return cls(lang, _seq(text, lang), spans)


def _shingle_hashes(codes: np.ndarray, n: int) -> np.ndarray:
    """Hash of every run of ``n`` consecutive codes (a polynomial rolling hash, vectorised)."""
    m = len(codes) - n + 1
    if m <= 0:
        return np.empty(0, dtype=np.uint64)
    h = codes[:m].copy()
    for k in range(1, n):
        h *= _BASE
        h += codes[k:k + m]
    return h


def _shorten(s: str, keep: int = 16) -> str:
    return s if len(s) <= 2 * keep + 1 else f"{s[:keep]}…{s[-keep:]}"


class CopyIndex:
    """Reference descriptions (competitors') indexed by shingle; ``check`` says which one a text copies.

    threshold: the share of the text's shingles found in one reference that makes it a copy.
    char_ngram / word_ngram: shingle size for Chinese (characters) and English (words).
    max_run_chars / max_run_words: a passage this long shared with one reference is a copy, whatever the
        share (a copied paragraph inside a long original text).
    min_shingles: texts with fewer shingles are never flagged (too short to tell a copy from a phrase).
    max_findings: at most this many references are named per text, the most copied first.
    max_compared: at most this many references are compared exactly per text (a bound on the time a text
        full of stock phrases can take).
    """

    def __init__(
        self,
        threshold: float = 0.5,
        *,
        char_ngram: int = 8,
        word_ngram: int = 5,
        max_run_chars: int = 30,
        max_run_words: int = 15,
        min_shingles: int = 3,
        max_findings: int = 3,
        max_compared: int = 50,
    ) -> None:
        self.threshold = threshold
        self.char_ngram = char_ngram
        self.word_ngram = word_ngram
        self.max_run_chars = max_run_chars
        self.max_run_words = max_run_words
        self.min_shingles = min_shingles
        self.max_findings = max_findings
        self.max_compared = max_compared

    def _n(self, lang: str) -> int:
        return self.char_ngram if lang == "zh" else self.word_ngram

    def _max_run(self, lang: str) -> int:
        return self.max_run_chars if lang == "zh" else self.max_run_words

    def fit(self, texts: Iterable[str | None], ids: Sequence[object] | None = None) -> CopyIndex:
        """Index the reference texts; ``ids`` name them in findings (default: their position)."""
        self.texts_ = ["" if t is None else str(t) for t in texts]
        if ids is not None and len(ids) != len(self.texts_):
            raise ValueError(f"{len(ids)} ids for {len(self.texts_)} texts")
        self.ids_ = [str(i) for i in ids] if ids is not None else [str(i) for i in range(len(self.texts_))]
        self.langs_ = [detect_lang(t) for t in self.texts_]
        self._by_id: dict[str, list[int]] = {}
        for k, i in enumerate(self.ids_):
            self._by_id.setdefault(i, []).append(k)
        parts = [self._postings([k for k, lang in enumerate(self.langs_) if lang == want], want)
                 for want in ("zh", "en")]
        hashes = np.concatenate([h for h, _ in parts])
        docs = np.concatenate([d for _, d in parts])
        order = np.argsort(hashes, kind="stable")  # a document's shingles stay together, in document order
        hashes, docs = hashes[order], docs[order]
        # each shingle once per document: the counts in ``check`` are distinct shared shingles
        keep = np.ones(len(hashes), dtype=bool)
        keep[1:] = (hashes[1:] != hashes[:-1]) | (docs[1:] != docs[:-1])
        self._hashes, self._docs = hashes[keep], docs[keep]
        self.n_shingles_ = len(self._hashes)
        return self

    def _postings(self, doc_ids: list[int], lang: str) -> tuple[np.ndarray, np.ndarray]:
        """(hash, doc) of every shingle of these documents, hashed in one pass over their concatenation
        (a Python loop per document is what makes 100k references slow)."""
        n = self._n(lang)
        codes = [_codes(_seq(self.texts_[k], lang)) for k in doc_ids]
        if not codes:
            return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int32)
        lengths = np.array([len(c) for c in codes], dtype=np.int64)
        h = _shingle_hashes(np.concatenate(codes), n)  # window i covers units i … i+n-1 of the concatenation
        doc = np.repeat(np.arange(len(codes)), lengths)[:len(h)]
        inside = np.arange(len(h)) + n <= np.cumsum(lengths)[doc]  # the window ends in its own document
        return h[inside], np.asarray(doc_ids, dtype=np.int32)[doc[inside]]

    def __len__(self) -> int:
        return len(self.texts_)

    def check(self, text: str, *, field: str = "description",
              exclude: Collection[object] = ()) -> list[Finding]:
        """``copy.competitor`` errors, one per reference ``text`` copies (none for a short text).

        exclude: reference ids to ignore (the product's own earlier description, a leave-one-out test).
        """
        lang = detect_lang(text)
        u = _Units.of(text, lang)
        h = _shingle_hashes(_codes(u.seq), self._n(lang))
        if len(h) < self.min_shingles or not self.n_shingles_:
            return []
        docs, counts = self._shared_counts(np.unique(h))
        skip = {k for i in exclude for k in self._by_id.get(str(i), ())}
        mine = _keys(u.seq, self._n(lang))
        # a reference can be copied only if it shares enough shingles for the share or for one long run
        need = max(1, min(int(np.ceil(self.threshold * len(mine))), self._max_run(lang) - self._n(lang) + 1))
        order = np.argsort(-counts, kind="stable")
        hits = []
        shared = [k for k in docs[order][counts[order] >= need].tolist() if k not in skip]
        for k in shared[:self.max_compared]:
            hit = self._compare(u, mine, k)
            if hit is not None:
                hits.append(hit)
                if len(hits) >= self.max_findings:
                    break
        return sorted((self._finding(text, u, field, *hit) for hit in hits), key=lambda f: f.start)

    def _shared_counts(self, uniq: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Reference docs sharing at least one of the hashes, and how many each shares."""
        lo = np.searchsorted(self._hashes, uniq, "left")
        hi = np.searchsorted(self._hashes, uniq, "right")
        lengths = hi - lo
        total = int(lengths.sum())
        if not total:
            return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.int64)
        # the concatenation of self._docs[lo:hi] for every hash, without a Python loop
        starts = np.repeat(lo - (np.cumsum(lengths) - lengths), lengths)
        return np.unique(self._docs[starts + np.arange(total)], return_counts=True)

    def _compare(self, u: _Units, mine: set[str], k: int) -> tuple[int, float, int, int] | None:
        """Exact comparison with reference ``k``: (k, containment, run start, run units) if a copy."""
        ref = _seq(self.texts_[k], u.lang)
        containment = len(mine & _keys(ref, self._n(u.lang))) / len(mine)
        a, b = u.seq, ref
        m = SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))
        if containment >= self.threshold or m.size >= self._max_run(u.lang):
            return k, containment, m.a, m.size
        return None

    def _finding(self, text: str, u: _Units, field: str, k: int, containment: float, at: int,
                 size: int) -> Finding:
        start, end = (u.spans[at][0], u.spans[at + size - 1][1]) if size else (0, 0)
        what = "characters" if u.lang == "zh" else "words"
        return Finding(rule="copy.competitor", severity="error", field=field, start=start, end=end,
                       message=f"copies competitor description {self.ids_[k]!r}: {containment:.0%} of this "
                               f"text's {self._n(u.lang)}-{what[:-1]} shingles are in it; longest shared "
                               f"passage {size} {what}: {_shorten(text[start:end])!r}")


def _keys(seq: str | list[str], n: int) -> set[str]:
    """The shingles themselves (not hashes), for the exact comparison."""
    if isinstance(seq, str):
        return {seq[i:i + n] for i in range(len(seq) - n + 1)}
    return {" ".join(seq[i:i + n]) for i in range(len(seq) - n + 1)}


def read_competitors(path: str | Path) -> tuple[list[str], list[str]]:
    """(texts, ids) from a competitor file, for ``CopyIndex().fit(*read_competitors(path))``.

    The text is the description column (any header the catalog reader accepts), else a ``text`` column;
    ids come from an id column, else the row numbers. Read with the catalog's file reader (CSV in any
    encoding, XLSX, JSON lines, Parquet) but not into products: a competitor file needs no title.
    """
    from ..catalog.columns import load_aliases, match_aliases, normalize_header
    from ..catalog.files import read_raw
    from ..catalog.values import cell_text

    raw = read_raw(path)
    cols = [str(c) for c in raw.frame.columns if str(c) != "_raw"]
    found = match_aliases(cols)
    text_col = found.get("description") or next((c for c in cols if normalize_header(c) == "text"), None)
    if text_col is None:
        raise CatalogError("no description or text column for competitor texts. Columns found: "
                           + ", ".join(repr(c) for c in cols) + ". Accepted: "
                           + ", ".join(load_aliases().fields["description"]) + ", text", file=str(path))
    id_col = found.get("id")
    cells = raw.frame[text_col].tolist()
    id_cells = raw.frame[id_col].tolist() if id_col else [None] * len(cells)
    texts, ids = [], []
    for cell, id_cell, row in zip(cells, id_cells, raw.rows, strict=True):
        text = cell_text(cell)
        if text:
            texts.append(text)
            ids.append(cell_text(id_cell) or f"{raw.unit} {row}")
    if not texts:
        raise CatalogError(f"column {text_col!r} has no text", file=str(path))
    return texts, ids
