"""Attribute-value extraction: a CRF sequence labeller fit on the seller's own catalog.

Training signal: labelled spans when a product has them, otherwise the product's filled-in attribute
values found in its title (``spans_from_attributes``). Tokens are CJK characters and Latin/digit runs;
features are the token, its neighbours, its character class, its position in the jieba word around it,
and whether it sits inside a value of the learned lexicon (and of which type). The lexicon features used
for training come from *other* folds, so the CRF learns how far a lexicon hit can be trusted instead of
learning that it always can.

Most brands a seller's catalog will be tagged for were never seen in training, so the features that carry
over to unseen values matter most: where the script changes and where whitespace falls ("apple苹果",
"飞利浦 qc5510"), the jieba word around a token and the words either side of it, whether that word is in
jieba's dictionary at all (an out-of-vocabulary word is often a name) and how common it is, and the
position in the title and in its whitespace chunk. Labels are BIOES while there are few span types
(brand, product word …), so where a value ends is learned as well as where it starts; BIO above that, where
BIOES would make training several times slower.
"""

from __future__ import annotations

import math
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..errors import ConfigError, ModelAssetError, NotFittedError
from ..product import Product
from ..text.find import whole_word
from ..text.lang import is_cjk_char
from ..text.segment import Segmenter, default_segmenter
from .base import Tag, tokenize, training_spans

_MAX_LEXICON_CHARS = 16
# Bumped whenever the features or labels change: a CRF only understands the feature strings it was trained
# on, so an extractor saved with another feature set would load fine and then tag almost nothing.
FEATURES_VERSION = 2
# scheme="auto": BIOES (4 labels a type) up to this many span types, BIO (2 a type) above. Training time
# grows with the square of the label count: BIOES on 48 types took 3x as long as BIO for +0.01 F1.
_BIOES_MAX_TYPES = 8
_SCHEMES = ("auto", "bioes", "bio")


def _crfsuite():  # noqa: ANN202 - pycrfsuite has no types
    try:
        import pycrfsuite
    except ImportError as exc:  # pragma: no cover - a base dependency; kept for a clear message
        raise ConfigError("the tag extractor needs python-crfsuite: pip install python-crfsuite") from exc
    return pycrfsuite


def _script(tok: str) -> str:
    return "C" if is_cjk_char(tok[0]) else ("L" if tok[0].isascii() and tok[0].isalnum() else "P")


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
                if typ is not None and whole_word(low, i, i + n):
                    out.append((i, i + n, typ))
                    i += n
                    break
            else:
                i += 1
        return out


class AttributeExtractor:
    """``fit(products)`` → ``predict(texts)`` gives typed spans with CRF marginal confidences.

    Parameters are stored as given (scikit-learn habit); everything learned ends in ``_``.
    """

    def __init__(self, *, c1: float = 0.1, c2: float = 0.1, max_iterations: int = 100,
                 min_confidence: float = 0.0, lexicon_folds: int = 2, scheme: str = "auto",
                 seed: int = 0) -> None:
        self.c1 = c1
        self.c2 = c2
        self.max_iterations = max_iterations
        self.min_confidence = min_confidence
        self.lexicon_folds = lexicon_folds
        self.scheme = scheme  # span labels: "bioes", "bio", or "auto" (BIOES for a few types, else BIO)
        self.seed = seed

    # -- features -------------------------------------------------------------------------------
    def _features(self, text: str, lexicon: Lexicon) -> tuple[list[tuple[str, int, int]], list[list[str]]]:
        toks = tokenize(text)
        seg = self._segmenter()
        words = seg.spans(text)
        freq = seg.frequencies()  # jieba's own dictionary: already loaded, costs nothing
        wpos: dict[int, str] = {}
        widx: dict[int, int] = {}
        for k, (_w, s, e) in enumerate(words):
            for j in range(s, e):
                wpos[j] = "S" if e - s == 1 else ("B" if j == s else ("E" if j == e - 1 else "M"))
                widx[j] = k
        wlow = [w.lower() for w, _, _ in words]
        # log10 of the word's dictionary frequency; "-": not in the dictionary (jieba's HMM made it up)
        wfreq = [str(min(int(math.log10(fr + 1)), 5)) if (fr := freq.get(w, 0)) else "-" for w, _, _ in words]
        lex: dict[int, str] = {}
        for s, e, typ in lexicon.matches(text):
            for j in range(s, e):
                lex[j] = ("B-" if j == s else "I-") + typ
        low = [t.lower() for t, _, _ in toks]
        shapes = [_shape(t) for t, _, _ in toks]
        scripts = [_script(t) for t, _, _ in toks]
        n = len(toks)
        # whitespace: does a gap precede token i? (tokens never hold whitespace, so it is only seen here)
        gap = [i == 0 or toks[i][1] > toks[i - 1][2] for i in range(n)]
        feats = []
        chunk, chunk_pos = -1, 0
        for i, (tok, s, _e) in enumerate(toks):
            if gap[i]:
                chunk, chunk_pos = chunk + 1, 0
            k = widx.get(s)
            f = ["b", f"w={low[i]}", f"sh={shapes[i]}", f"wp={wpos.get(s, 'X')}", f"lx={lex.get(s, 'O')}",
                 f"wd={wlow[k] if k is not None else ''}", f"pos={min(i, 4)}",
                 f"ap={i if i < 8 else ('8-15' if i < 16 else '16+')}", f"rp={5 * i // n}",
                 f"ci={min(chunk, 3)}", f"cp={min(chunk_pos, 4)}"]
            chunk_pos += 1
            if k is not None:
                f += [f"wf={wfreq[k]}", f"wl={min(words[k][2] - words[k][1], 5)}",
                      f"pw={wlow[k - 1] if k > 0 else '<s>'}",
                      f"nw={wlow[k + 1] if k + 1 < len(words) else '</s>'}"]
            if i > 0:
                f.append(f"sc={scripts[i - 1]}{scripts[i]}{'_' if gap[i] else ''}")
            if i + 1 < n:
                f.append(f"sc+={scripts[i]}{scripts[i + 1]}{'_' if gap[i + 1] else ''}")
            if shapes[i] in "ULTA":
                f += [f"p3={low[i][:3]}", f"s3={low[i][-3:]}", f"len={min(len(tok), 8)}"]
            for d in (-2, -1, 1, 2):
                j = i + d
                if 0 <= j < n:
                    f += [f"w{d}={low[j]}", f"sh{d}={shapes[j]}"]
                    if d in (-1, 1):
                        f.append(f"lx{d}={lex.get(toks[j][1], 'O')}")
                else:
                    f.append(f"w{d}=<pad>")
            if i > 0:
                f.append(f"bi-1={low[i - 1]}|{low[i]}")
            if i + 1 < n:
                f.append(f"bi+1={low[i]}|{low[i + 1]}")
            if 0 < i + 1 < n:
                f.append(f"tri={low[i - 1]}|{low[i]}|{low[i + 1]}")
            feats.append(f)
        return toks, feats

    @staticmethod
    def _segmenter() -> Segmenter:
        return default_segmenter()  # word-boundary features only: the plain dictionary, shared per process

    @staticmethod
    def _labels(toks: list[tuple[str, int, int]], spans: Sequence[tuple[int, int, str]],
                scheme: str = "bioes") -> list[str]:
        """BIOES: Single, Begin, Inside, End, Outside: an E or S marks where a value ends as well as where it
        starts, which helps with values that touch ("dior迪奥" is two). BIO: Begin, Inside, Outside."""
        labels = ["O"] * len(toks)
        for s, e, typ in spans:
            inside = [i for i, (_, ts, te) in enumerate(toks) if ts < e and te > s]
            for k, i in enumerate(inside):
                first, last = k == 0, k == len(inside) - 1
                if scheme == "bio":
                    labels[i] = ("B-" if first else "I-") + typ
                else:
                    labels[i] = ("S-" if first and last else "B-" if first else "E-" if last else "I-") + typ
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
        if self.scheme not in _SCHEMES:
            raise ConfigError(f"scheme must be one of {', '.join(_SCHEMES)}, not {self.scheme!r}")
        n_types = len({typ for _, typ in entries})
        scheme = self.scheme if self.scheme != "auto" else ("bioes" if n_types <= _BIOES_MAX_TYPES else "bio")
        pycrfsuite = _crfsuite()
        self._fold_cache = None
        k = max(1, self.lexicon_folds)
        trainer = pycrfsuite.Trainer(verbose=False)
        for i, (text, text_spans) in enumerate(data):
            # lexicon from the other folds (or none when k == 1): features as noisy as at prediction time
            fold_lex = self._fold_lexicons(data, k)[i % k] if k > 1 else Lexicon()
            toks, feats = self._features(text, fold_lex)
            trainer.append(feats, self._labels(toks, text_spans, scheme))
        trainer.set_params({"c1": self.c1, "c2": self.c2, "max_iterations": self.max_iterations,
                            "feature.possible_transitions": True})
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "crf.model"
            trainer.train(str(path))
            self.model_bytes_ = path.read_bytes()
        self.lexicon_ = Lexicon(entries)
        self.features_version_ = FEATURES_VERSION
        self.scheme_ = scheme
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
            if lab[0] in "BI":  # (I: a stray one) run on through I- and up to one E- of the same type
                while j < len(labels) and labels[j][2:] == typ and labels[j][0] in "IE":
                    j += 1
                    if labels[j - 1][0] == "E":
                        break
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

    def __setstate__(self, state: dict) -> None:
        # fitted before the version was recorded = feature set 1
        version = state.get("features_version_", 1) if "model_bytes_" in state else FEATURES_VERSION
        if version != FEATURES_VERSION:
            raise ModelAssetError(f"this attribute extractor was saved with feature set {version}, this "
                                  f"listingforge uses feature set {FEATURES_VERSION}: retrain it (fit again)")
        self.__dict__.update(state)
