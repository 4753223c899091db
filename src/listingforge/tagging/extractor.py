"""Attribute-value extraction: a CRF sequence labeller fit on the seller's own catalog.

Training signal: labelled spans when a product has them, otherwise the product's filled-in attribute
values found in its title (``spans_from_attributes``). Tokens are CJK characters and Latin/digit runs;
features are the token, its neighbours, its character class, its position in the jieba word around it,
and whether it sits inside a value of the learned lexicon (and of which type). The lexicon features used
for training come from *other* folds, so the CRF learns how far a lexicon hit can be trusted instead of
learning that it always can.
"""

from __future__ import annotations

import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import ConfigError, NotFittedError
from ..product import Product
from ..text.lang import is_cjk_char
from ..text.segment import Segmenter, default_segmenter
from .base import Tag, tokenize, training_spans

_MAX_LEXICON_CHARS = 16


def _crfsuite():  # noqa: ANN202 - pycrfsuite has no types
    try:
        import pycrfsuite
    except ImportError as exc:  # pragma: no cover - a base dependency; kept for a clear message
        raise ConfigError("the tag extractor needs python-crfsuite: pip install python-crfsuite") from exc
    return pycrfsuite


def _shape(tok: str) -> str:
    if is_cjk_char(tok[0]):
        return "C"
    if tok.isdigit():
        return "D"
    if tok.isalpha():
        return "U" if tok.isupper() else ("T" if tok[0].isupper() else "L")
    if tok.isalnum():
        return "A"
    return "P"


class Lexicon:
    """Values seen with a type, matched longest-first in a text (case-insensitive)."""

    def __init__(self, entries: Iterable[tuple[str, str]] = ()) -> None:
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for value, typ in entries:
            v = value.strip().lower()
            if len(v) >= 2 and len(v) <= _MAX_LEXICON_CHARS:
                counts[v][typ] += 1
        self.types = {v: c.most_common(1)[0][0] for v, c in counts.items()}
        self._lengths = sorted({len(v) for v in self.types}, reverse=True)

    def matches(self, text: str) -> list[tuple[int, int, str]]:
        low, out, i = text.lower(), [], 0
        while i < len(low):
            for n in self._lengths:
                typ = self.types.get(low[i:i + n])
                if typ is not None and _latin_boundary(low, i, i + n):
                    out.append((i, i + n, typ))
                    i += n
                    break
            else:
                i += 1
        return out


def _latin_boundary(low: str, start: int, end: int) -> bool:
    def word(c: str) -> bool:
        return c.isascii() and c.isalnum()

    return not (start > 0 and word(low[start - 1]) and word(low[start])) and not (
        end < len(low) and word(low[end]) and word(low[end - 1]))


class AttributeExtractor:
    """``fit(products)`` → ``predict(texts)`` gives typed spans with CRF marginal confidences.

    Parameters are stored as given (scikit-learn habit); everything learned ends in ``_``.
    """

    def __init__(self, *, c1: float = 0.1, c2: float = 0.1, max_iterations: int = 100,
                 min_confidence: float = 0.0, lexicon_folds: int = 2, seed: int = 0) -> None:
        self.c1 = c1
        self.c2 = c2
        self.max_iterations = max_iterations
        self.min_confidence = min_confidence
        self.lexicon_folds = lexicon_folds
        self.seed = seed

    # -- features -------------------------------------------------------------------------------
    def _features(self, text: str, lexicon: Lexicon) -> tuple[list[tuple[str, int, int]], list[list[str]]]:
        toks = tokenize(text)
        words = self._segmenter().spans(text)
        wpos: dict[int, str] = {}
        wtext: dict[int, str] = {}
        for w, s, e in words:
            for j in range(s, e):
                wpos[j] = "S" if e - s == 1 else ("B" if j == s else ("E" if j == e - 1 else "M"))
                wtext[j] = w.lower()
        lex: dict[int, str] = {}
        for s, e, typ in lexicon.matches(text):
            for j in range(s, e):
                lex[j] = ("B-" if j == s else "I-") + typ
        low = [t.lower() for t, _, _ in toks]
        shapes = [_shape(t) for t, _, _ in toks]
        feats = []
        for i, (tok, s, _e) in enumerate(toks):
            f = ["b", f"w={low[i]}", f"sh={shapes[i]}", f"wp={wpos.get(s, 'X')}", f"lx={lex.get(s, 'O')}",
                 f"wd={wtext.get(s, '')}", f"pos={min(i, 4)}"]
            if shapes[i] in "ULTA":
                f += [f"p3={low[i][:3]}", f"s3={low[i][-3:]}", f"len={min(len(tok), 8)}"]
            for d in (-2, -1, 1, 2):
                j = i + d
                if 0 <= j < len(toks):
                    f += [f"w{d}={low[j]}", f"sh{d}={shapes[j]}"]
                    if d in (-1, 1):
                        f.append(f"lx{d}={lex.get(toks[j][1], 'O')}")
                else:
                    f.append(f"w{d}=<pad>")
            if i > 0:
                f.append(f"bi-1={low[i - 1]}|{low[i]}")
            if i + 1 < len(toks):
                f.append(f"bi+1={low[i]}|{low[i + 1]}")
            if 0 < i + 1 < len(toks):
                f.append(f"tri={low[i - 1]}|{low[i]}|{low[i + 1]}")
            feats.append(f)
        return toks, feats

    @staticmethod
    def _segmenter() -> Segmenter:
        return default_segmenter()  # word-boundary features only: the plain dictionary, shared per process

    @staticmethod
    def _labels(toks: list[tuple[str, int, int]], spans: Sequence[tuple[int, int, str]]) -> list[str]:
        labels = ["O"] * len(toks)
        for s, e, typ in spans:
            inside = [i for i, (_, ts, te) in enumerate(toks) if ts < e and te > s]
            for k, i in enumerate(inside):
                labels[i] = ("B-" if k == 0 else "I-") + typ
        return labels

    # -- learning -------------------------------------------------------------------------------
    def fit(self, products: Sequence[Product],
            spans: Sequence[list[tuple[int, int, str]] | None] | None = None) -> AttributeExtractor:
        """Learn from products with labelled spans or attribute values found in their titles.

        ``spans`` (aligned with ``products``) overrides that: ``None`` skips a product, ``[]`` makes its
        title a negative example (e.g. after a reviewer rejected its only tag).
        """
        if spans is None:
            data = [(p.title, training_spans(p)) for p in products if p.title]
            data = [(t, s) for t, s in data if s]
        else:
            data = [(p.title, list(s)) for p, s in zip(products, spans, strict=True) if p.title and s is not None]
        entries = [(t[s:e], typ) for t, sp in data for s, e, typ in sp]
        if not entries:
            raise ConfigError("no training spans: give products with `spans`, or attributes (品牌, 颜色 …) "
                              "whose values appear in their titles")
        pycrfsuite = _crfsuite()
        self._fold_cache = None
        k = max(1, self.lexicon_folds)
        trainer = pycrfsuite.Trainer(verbose=False)
        for i, (text, text_spans) in enumerate(data):
            # lexicon from the other folds (or none when k == 1): features as noisy as at prediction time
            fold_lex = self._fold_lexicons(data, k)[i % k] if k > 1 else Lexicon()
            toks, feats = self._features(text, fold_lex)
            trainer.append(feats, self._labels(toks, text_spans))
        trainer.set_params({"c1": self.c1, "c2": self.c2, "max_iterations": self.max_iterations,
                            "feature.possible_transitions": True})
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "crf.model"
            trainer.train(str(path))
            self.model_bytes_ = path.read_bytes()
        self.lexicon_ = Lexicon(entries)
        self.types_ = sorted({typ for _, typ in entries})
        self.n_train_ = len(data)
        self._tagger = None
        self._fold_cache = None
        return self

    def _fold_lexicons(self, data: list[tuple[str, list]], k: int) -> list[Lexicon]:
        cache = getattr(self, "_fold_cache", None)
        if cache is None:
            cache = self._fold_cache = [
                Lexicon((t[s:e], typ) for j, (t, spans) in enumerate(data) if j % k != f for s, e, typ in spans)
                for f in range(k)]
        return cache

    # -- prediction -----------------------------------------------------------------------------
    def _crf(self):  # noqa: ANN202
        if not hasattr(self, "model_bytes_"):
            raise NotFittedError("AttributeExtractor is not fitted: call fit(products) or Tagger.load(path)")
        if getattr(self, "_tagger", None) is None:
            pycrfsuite = _crfsuite()
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "crf.model"
                path.write_bytes(self.model_bytes_)
                tagger = pycrfsuite.Tagger()
                tagger.open(str(path))  # crfsuite reads the file into memory on open
            self._tagger = tagger
        return self._tagger

    def predict_one(self, text: str, field: str = "title") -> list[Tag]:
        if not text:
            self._crf()
            return []
        tagger = self._crf()
        toks, feats = self._features(text, self.lexicon_)
        if not toks:
            return []
        labels = tagger.tag(feats)
        out: list[Tag] = []
        i = 0
        while i < len(labels):
            lab = labels[i]
            if lab == "O":
                i += 1
                continue
            typ = lab[2:]
            j = i + 1
            while j < len(labels) and labels[j] == f"I-{typ}":
                j += 1
            conf = sum(tagger.marginal(labels[k], k) for k in range(i, j)) / (j - i)
            start, end = toks[i][1], toks[j - 1][2]
            if conf >= self.min_confidence:
                out.append(Tag(type=typ, value=text[start:end], start=start, end=end, source="extractor",
                               confidence=round(conf, 4), field=field))
            i = j
        return out

    def predict(self, texts: Sequence[str | None], field: str = "title") -> list[list[Tag]]:
        return [self.predict_one(t or "", field) for t in texts]

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        for k in ("_tagger", "_fold_cache"):
            state.pop(k, None)
        return state
