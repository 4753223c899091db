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
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

from .lang import is_cjk_char

_LATIN_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.\-+/'&]*|[^\sA-Za-z0-9]")
# a lone 不 belongs to the word after it (不|掉色), and so does 仿 (仿|水貂绒: cut off, an imitation becomes mink)
_NEGATIONS = frozenset("无不非免零未没仿假伪")


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

    def pieces(self, text: str, count: Callable[[str], int] | None = None) -> list[tuple[int, int, str]]:
        """Words that may be cut apart: jieba's, with each lone Chinese character joined to the word it is written
        against (手机|壳, 仙女|裙, 不|掉色) — a cut between them turns a phone case into a phone or "never fades" into
        "fades". Lone characters written together are one word (遮|瑕); a negation joins the word after it; another
        character joins the Chinese word after it where the dictionary (and ``count``, how often a catalog's titles
        hold two characters together) joins them more often (转|椅 before 椅|职员), else the word before it (熊字|饼,
        160|克). Each piece: (start, end, its head word — the one that says whether jieba knows the piece)."""
        freq = self.frequencies()

        def together(a: str, b: str) -> int:
            return freq.get(a + b, 0) + (count(a[-1] + b[0]) if count else 0)

        spans = _lone_runs(_latin_whole(text, self.spans(text)))
        side = [0] * len(spans)  # -1: joins the word before, 1: the word after
        for i, (tok, s, e) in enumerate(spans):
            if not _lone(tok):
                continue
            left = spans[i - 1][0] if i and spans[i - 1][2] == s else None
            right = spans[i + 1][0] if i + 1 < len(spans) and spans[i + 1][1] == e and \
                is_cjk_char(spans[i + 1][0][0]) else None
            if right and (tok in _NEGATIONS or not left or together(tok, right) > together(left, tok)):
                side[i] = 1
            elif left and tok not in _NEGATIONS:
                side[i] = -1
        out: list[tuple[int, int, str]] = []
        for i, (tok, s, e) in enumerate(spans):
            if side[i] == -1:
                out[-1] = (out[-1][0], e, out[-1][2])
            elif i and side[i - 1] == 1:
                out[-1] = (out[-1][0], e, tok)
            else:
                out.append((s, e, tok))
        return out


_LATIN_COMPOUND = re.compile(r"[A-Za-z0-9]+(?:[.\-+'&][A-Za-z0-9]+)+")  # joined by a mark: not "50ml" + "2只装"


def _latin_whole(text: str, spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """jieba's words with a Latin word or code it split made whole again: L|'|OREAL, 386359|-|01, 3|.|5g."""
    out: list[tuple[str, int, int]] = []
    runs = [m.span() for m in _LATIN_COMPOUND.finditer(text) if m.end() - m.start() > 1]
    for tok, s, e in spans:
        run = next(((a, b) for a, b in runs if a <= s and e <= b), None)
        if run is not None and out and run[0] <= out[-1][1] and out[-1][2] <= run[1]:
            out[-1] = (text[out[-1][1]:e], out[-1][1], e)
        else:
            out.append((tok, s, e))
    return out


def _lone(tok: str) -> bool:
    return len(tok) == 1 and is_cjk_char(tok)


def _lone_runs(spans: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """Lone characters written together are one word jieba does not know: 遮|瑕 → 遮瑕."""
    out: list[tuple[str, int, int]] = []
    in_run = False
    for tok, s, e in spans:
        if _lone(tok) and out and out[-1][2] == s and (in_run or _lone(out[-1][0])):
            out[-1] = (out[-1][0] + tok, out[-1][1], e)
            in_run = True
        else:
            out.append((tok, s, e))
            in_run = False
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
