"""Word segmentation: jieba for Chinese (with the catalog's own words added), whitespace for the rest.

A ``Segmenter`` owns a private jieba ``Tokenizer`` so adding a seller's brands (徕卡, 三只松鼠) never
changes segmentation for another catalog in the same process.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from .lang import is_cjk_char

_LATIN_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-+/'&]*|[^\sA-Za-z0-9]")


class Segmenter:
    """``cut(text)`` → tokens with positions kept by concatenation (spaces are dropped)."""

    def __init__(self, user_words: Iterable[str] = ()) -> None:
        self._user_words = sorted({w.strip() for w in user_words if w and w.strip()})
        self._jieba = None
        self._cache: dict[str, list[str]] = {}

    def _tokenizer(self):  # noqa: ANN202 - jieba has no types
        if self._jieba is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tok = jieba.Tokenizer()
            if not _load_prepared(tok, self._user_words):
                tok.initialize()
                for w in self._user_words:
                    if any(is_cjk_char(c) for c in w):
                        tok.add_word(w, freq=max(tok.suggest_freq(w, tune=False), 50000))
                _save_prepared(tok, self._user_words)
            self._jieba = tok
        return self._jieba

    def load(self) -> Segmenter:
        """Build the jieba dictionary now (~1 s) rather than at the first cut: done before forking worker
        processes, every worker shares it instead of building its own."""
        self._tokenizer()
        return self

    def frequencies(self) -> dict[str, int]:
        """jieba's dictionary frequencies (user words included; 0 marks a mere prefix of a word)."""
        return self._tokenizer().FREQ

    def add_words(self, words: Iterable[str]) -> None:
        new = [w for w in words if w and w.strip()]
        self._user_words = sorted(set(self._user_words) | {w.strip() for w in new})
        self._jieba = None
        self._cache.clear()

    def cut(self, text: str) -> list[str]:
        """Tokens without whitespace; Latin words and numbers stay whole ("iPhone 15" → iPhone, 15)."""
        hit = self._cache.get(text)
        if hit is not None:
            return hit
        if not any(is_cjk_char(c) for c in text):
            out = _LATIN_TOKEN.findall(text)
        else:
            out = [t for t in self._tokenizer().lcut(text, HMM=True) if t.strip()]
        if len(self._cache) < 200_000:
            self._cache[text] = out
        return out

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        """Tokens with character offsets into ``text``."""
        out, pos = [], 0
        for tok in self.cut(text):
            start = text.find(tok, pos)
            if start < 0:
                continue
            out.append((tok, start, start + len(tok)))
            pos = start + len(tok)
        return out


# jieba reads its dictionary from a marshal file (~0.9 s) and then adds the catalog's words one by one; the
# finished dictionary, pickled, loads in a third of that. Kept per user, one file per (jieba, words) pair.
def cache_dir() -> Path | None:
    """Where prepared dictionaries are kept: $LISTINGFORGE_CACHE/segmenter, else ~/.cache/listingforge/segmenter;
    ``LISTINGFORGE_CACHE=off`` keeps none."""
    env = os.environ.get("LISTINGFORGE_CACHE")
    if env and env.lower() in ("0", "off", "none"):
        return None
    if env:
        return Path(env).expanduser() / "segmenter"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "listingforge" / "segmenter"


def _prepared_path(user_words: list[str]) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    import jieba

    h = hashlib.sha256(f"{jieba.__version__}\x00{jieba.DEFAULT_DICT_NAME}\x00".encode())
    h.update("\x00".join(user_words).encode())
    return folder / f"jieba-{h.hexdigest()[:32]}.pkl"


def _load_prepared(tok, user_words: list[str]) -> bool:  # noqa: ANN001 - a jieba Tokenizer
    path = _prepared_path(user_words)
    if path is None or not path.is_file():
        return False
    try:
        with open(path, "rb") as f:
            freq, total = pickle.load(f)
    except Exception:  # noqa: BLE001 - a damaged cache file is rebuilt, never fatal
        return False
    tok.FREQ, tok.total, tok.initialized = freq, total, True
    return True


def _save_prepared(tok, user_words: list[str]) -> None:  # noqa: ANN001 - a jieba Tokenizer
    path = _prepared_path(user_words)
    if path is None:
        return
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            pickle.dump((tok.FREQ, tok.total), f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the whole new one
    except OSError as exc:  # a read-only home or a full disk still segments, only slower to start
        logging.getLogger(__name__).debug("segmenter cache not written: %s", exc)
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)  # no half-written file left behind


@lru_cache(maxsize=1)
def default_segmenter() -> Segmenter:
    return Segmenter()
