"""Corpus-level metrics every benchmark reports, each with its tokenization stated.

Chinese BLEU moves between ~10 and 30+ with the tokenizer (FudanNLP/CPT #1), so every number must be
reported with its tokenization: :func:`bleu_signature` gives sacrebleu's signature string, which names
the tokenizer and the sacrebleu version.

Tokenization used by each metric:

- ``bleu``: sacrebleu. ``zh`` → sacrebleu's ``"zh"`` tokenizer (each CJK character a token, Latin
  words kept whole); other languages → ``"13a"``. ``tokenize="jieba"`` segments with jieba's default
  dictionary (HMM on), joins words with spaces and scores with ``tokenize="none"`` (the AdvertiseGen
  convention). Any sacrebleu tokenizer name may be passed as well.
- ``chrf``: sacrebleu chrF (character 6-grams, β=2, whitespace ignored): language independent.
- ``rouge``: F1 per pair, averaged over pairs. ``zh``: characters with whitespace removed (or
  ``tokens="jieba"`` words); other languages: lower-cased words (runs of letters and digits).
- ``distinct_n``: characters (whitespace removed) for ``zh``, lower-cased words otherwise.

Averages over zero items (an empty corpus, no product with attributes) are ``nan``: undefined, not 0.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..text.length import text_length

if TYPE_CHECKING:
    from ..product import Finding, Product

NAN = float("nan")
_WORD = re.compile(r"[^\W_]+")
_SPACE = re.compile(r"\s+")


# ---------------------------------------------------------------- helpers


def _check_pairs(hyps: Sequence[str], refs: Sequence[str]) -> None:
    if isinstance(hyps, str) or isinstance(refs, str):
        raise TypeError("hyps and refs must be lists of strings, not a single string")
    if len(hyps) != len(refs):
        raise ValueError(f"hyps and refs must have the same length: {len(hyps)} hyps, {len(refs)} refs")


def _mean(values: Iterable[float]) -> float:
    total, n = 0.0, 0
    for v in values:
        total += v
        n += 1
    return total / n if n else NAN


@lru_cache(maxsize=1)
def _jieba():  # noqa: ANN202 - jieba has no types
    # A private tokenizer on jieba's default dictionary: words another module adds to the global
    # jieba (a seller's brands) must not change benchmark numbers.
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def jieba_words(text: str) -> list[str]:
    """jieba words (default dictionary, HMM on), whitespace tokens dropped."""
    return [w for w in _jieba().lcut(text, HMM=True) if w.strip()]


def split_units(text: str, lang: str, tokens: str | None = None) -> list[str]:
    """The tokens ROUGE and distinct-n count.

    ``tokens``: ``"chars"`` (default for ``zh``; whitespace removed), ``"jieba"`` (Chinese words) or
    ``"words"`` (default otherwise; lower-cased runs of letters and digits, punctuation dropped).
    """
    mode = tokens or ("chars" if lang == "zh" else "words")
    if mode == "chars":
        return list(_SPACE.sub("", text))
    if mode == "jieba":
        return jieba_words(text)
    if mode == "words":
        return _WORD.findall(text.lower())
    raise ValueError(f"unknown tokens {mode!r}; use 'chars', 'jieba' or 'words'")


# ---------------------------------------------------------------- BLEU / chrF


def _bleu_tokenizer(lang: str, tokenize: str | None) -> str:
    if tokenize is None:
        return "zh" if lang == "zh" else "13a"
    return tokenize


def _bleu_metric(lang: str, tokenize: str | None):  # noqa: ANN202 - sacrebleu type
    from sacrebleu.metrics import BLEU

    tok = _bleu_tokenizer(lang, tokenize)
    return BLEU(tokenize="none" if tok == "jieba" else tok)


def bleu(hyps: Sequence[str], refs: Sequence[str], lang: str, tokenize: str | None = None) -> float:
    """Corpus BLEU-4 (0–100), one reference per hypothesis, sacrebleu defaults (exp smoothing, mixed case)."""
    _check_pairs(hyps, refs)
    if not hyps:
        return NAN
    tok = _bleu_tokenizer(lang, tokenize)
    if tok == "jieba":
        hyps = [" ".join(jieba_words(h)) for h in hyps]
        refs = [" ".join(jieba_words(r)) for r in refs]
    metric = _bleu_metric(lang, tokenize)
    return float(metric.corpus_score(list(hyps), [list(refs)]).score)


def bleu_signature(lang: str, tokenize: str | None = None) -> str:
    """sacrebleu's signature for :func:`bleu` with these settings, e.g.
    ``nrefs:1|case:mixed|eff:no|tok:zh|smooth:exp|version:2.6.0``; jieba adds ``|seg:jieba-<version>``."""
    metric = _bleu_metric(lang, tokenize)
    metric.corpus_score(["a"], [["a"]])  # sacrebleu only knows nrefs after one evaluation
    sig = str(metric.get_signature())
    if _bleu_tokenizer(lang, tokenize) == "jieba":
        import jieba

        sig += f"|seg:jieba-{jieba.__version__}"
    return sig


def chrf(hyps: Sequence[str], refs: Sequence[str]) -> float:
    """Corpus chrF (0–100): sacrebleu CHRF defaults (char n-grams up to 6, β=2, whitespace ignored)."""
    _check_pairs(hyps, refs)
    if not hyps:
        return NAN
    from sacrebleu.metrics import CHRF

    return float(CHRF().corpus_score(list(hyps), [list(refs)]).score)


def chrf_signature() -> str:
    from sacrebleu.metrics import CHRF

    metric = CHRF()
    metric.corpus_score(["a"], [["a"]])
    return str(metric.get_signature())


# ---------------------------------------------------------------- ROUGE


def lcs_length(a: Sequence[Any], b: Sequence[Any]) -> int:
    """Length of the longest common subsequence of two token sequences.

    Bit-parallel (Hyyrö 2004): one big-integer step per token of ``b`` instead of a len(a)×len(b) table,
    so a 200-character pair costs ~200 integer operations.
    """
    if not a or not b:
        return 0
    if a == b:
        return len(a)
    masks: dict[Any, int] = {}
    for i, tok in enumerate(a):
        masks[tok] = masks.get(tok, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full  # a 0 bit marks a position of ``a`` already matched in the LCS
    for tok in b:
        m = masks.get(tok)
        if m is None:
            continue
        u = v & m
        v = ((v + u) | (v - u)) & full
    return len(a) - v.bit_count()


def _ngrams(toks: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def _f1(overlap: int, n_hyp: int, n_ref: int) -> float:
    if overlap == 0 or n_hyp == 0 or n_ref == 0:
        return 0.0
    p, r = overlap / n_hyp, overlap / n_ref
    return 2 * p * r / (p + r)


def _rouge_pair(h: list[str], r: list[str], n_or_l: int | str) -> float:
    if n_or_l == "L":
        return _f1(lcs_length(h, r), len(h), len(r))
    n = int(n_or_l)
    hc, rc = _ngrams(h, n), _ngrams(r, n)
    overlap = sum(min(c, rc[g]) for g, c in hc.items() if g in rc)
    return _f1(overlap, max(len(h) - n + 1, 0), max(len(r) - n + 1, 0))


def _rouge_kind(n_or_l: int | str) -> int | str:
    if isinstance(n_or_l, str):
        key = n_or_l.lower().removeprefix("rouge").removeprefix("-")
        if key == "l":
            return "L"
        if key.isdigit():
            n_or_l = int(key)
    if isinstance(n_or_l, int) and n_or_l >= 1:
        return n_or_l
    raise ValueError(f"unknown ROUGE variant {n_or_l!r}; use 1, 2 (any n ≥ 1) or 'L'")


def rouge(
    hyps: Sequence[str], refs: Sequence[str], lang: str, n_or_l: int | str = "L", tokens: str | None = None
) -> float:
    """ROUGE-N or ROUGE-L F1 (0–1) per pair, averaged over pairs. An empty side scores 0.

    ``tokens`` as in :func:`split_units` (``"jieba"`` for Chinese words).
    """
    _check_pairs(hyps, refs)
    kind = _rouge_kind(n_or_l)
    return _mean(_rouge_pair(split_units(h, lang, tokens), split_units(r, lang, tokens), kind)
                 for h, r in zip(hyps, refs, strict=True))


def rouge_scores(
    hyps: Sequence[str], refs: Sequence[str], lang: str, tokens: str | None = None
) -> dict[str, float]:
    """``{"rouge1", "rouge2", "rougeL"}`` F1 averages, tokenizing each text once."""
    _check_pairs(hyps, refs)
    pairs = [(split_units(h, lang, tokens), split_units(r, lang, tokens)) for h, r in zip(hyps, refs, strict=True)]
    return {
        "rouge1": _mean(_rouge_pair(h, r, 1) for h, r in pairs),
        "rouge2": _mean(_rouge_pair(h, r, 2) for h, r in pairs),
        "rougeL": _mean(_rouge_pair(h, r, "L") for h, r in pairs),
    }


# ---------------------------------------------------------------- diversity


def distinct_n(texts: Sequence[str], n: int, lang: str, tokens: str | None = None) -> float:
    """Unique n-grams / total n-grams over the whole corpus (n-grams do not cross texts)."""
    if isinstance(texts, str):
        raise TypeError("texts must be a list of strings, not a single string")
    seen: set[tuple[str, ...]] = set()
    total = 0
    for t in texts:
        toks = split_units(t, lang, tokens)
        for i in range(len(toks) - n + 1):
            seen.add(tuple(toks[i : i + n]))
            total += 1
    return len(seen) / total if total else NAN


# ---------------------------------------------------------------- faithfulness and rules


def _fold(text: str) -> str:
    # NFKC makes full-width Ｌ/１２８ match L/128; casefold makes Latin case-insensitive.
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).casefold().strip()


def _latin_word_char(ch: str) -> bool:
    return ch.isalnum() and unicodedata.east_asian_width(ch) not in ("W", "F")


def _value_in(value: str, text: str) -> bool:
    """``value`` occurs in ``text`` (both folded). A Latin letter or digit at the value's edge must not
    touch another one in the text, so "red" is not found in "tired" nor "12" in "128"; a Chinese
    neighbour is fine ("尺码XL码" has XL)."""
    if not value:
        return False
    start = text.find(value)
    head, tail = _latin_word_char(value[0]), _latin_word_char(value[-1])
    while start >= 0:
        end = start + len(value)
        if (not head or start == 0 or not _latin_word_char(text[start - 1])) and (
            not tail or end == len(text) or not _latin_word_char(text[end])
        ):
            return True
        start = text.find(value, start + 1)
    return False


def attribute_coverage(texts: Sequence[str], products: Sequence[Product]) -> float:
    """Share of each product's distinct attribute values found in its text, averaged over products that
    have attribute values (others are skipped). Matching: NFKC, case-insensitive, whitespace collapsed,
    whole words at Latin/digit edges."""
    if len(texts) != len(products):
        raise ValueError(f"texts and products must have the same length: {len(texts)} vs {len(products)}")
    shares = []
    for text, product in zip(texts, products, strict=True):
        values = {_fold(v) for v in product.attribute_values()} - {""}
        if not values:
            continue
        folded = _fold(text or "")
        shares.append(sum(_value_in(v, folded) for v in values) / len(values))
    return _mean(shares)


def rate(flags: Iterable[bool]) -> float:
    """Share of true flags (``nan`` for none)."""
    return _mean(1.0 if f else 0.0 for f in flags)


def is_hallucination(finding: Finding) -> bool:
    return finding.rule.startswith("grounding.")


def is_violation(finding: Finding) -> bool:
    return finding.severity == "error" and not finding.rule.startswith("grounding.")


def hallucination_rate(findings_lists: Iterable[Iterable[Finding]]) -> float:
    """Share of texts with at least one ``grounding.*`` finding (any severity)."""
    return rate(any(is_hallucination(f) for f in fs) for fs in findings_lists)


def violation_rate(findings_lists: Iterable[Iterable[Finding]]) -> float:
    """Share of texts with at least one error-severity finding outside ``grounding.*`` (law, marketplace,
    length)."""
    return rate(any(is_violation(f) for f in fs) for fs in findings_lists)


def length_fit(texts: Iterable[str], max_units: int, unit: str = "chars", min_units: int = 0) -> float:
    """Share of texts with ``min_units <= text_length(text, unit) <= max_units``."""
    return rate(min_units <= text_length(t, unit) <= max_units for t in texts)


# ---------------------------------------------------------------- the standard table row


def summarize(
    hyps: Sequence[str],
    refs: Sequence[str] | None = None,
    products: Sequence[Product] | None = None,
    lang: str = "zh",
    *,
    findings: Sequence[Sequence[Finding]] | None = None,
    max_units: int | None = None,
    unit: str = "chars",
    min_units: int = 0,
    bleu_tokenize: str | None = None,
    rouge_tokens: str | None = None,
) -> dict[str, float]:
    """One benchmark row. Keys, present when their inputs are given:

    ``n``; with ``refs``: ``bleu`` (0–100), ``chrf`` (0–100), ``rouge1``/``rouge2``/``rougeL`` (0–1);
    always ``distinct1``/``distinct2``; with ``products``: ``coverage``; with ``findings``:
    ``hallucination``, ``violation``; with ``max_units``: ``length_fit``. Rates are 0–1.
    """
    row: dict[str, float] = {"n": float(len(hyps))}
    if refs is not None:
        row["bleu"] = bleu(hyps, refs, lang, bleu_tokenize)
        row["chrf"] = chrf(hyps, refs)
        row.update(rouge_scores(hyps, refs, lang, rouge_tokens))
    row["distinct1"] = distinct_n(hyps, 1, lang)
    row["distinct2"] = distinct_n(hyps, 2, lang)
    if products is not None:
        row["coverage"] = attribute_coverage(hyps, products)
    if findings is not None:
        if len(findings) != len(hyps):
            raise ValueError(f"findings must have one list per text: {len(findings)} vs {len(hyps)}")
        row["hallucination"] = hallucination_rate(findings)
        row["violation"] = violation_rate(findings)
    if max_units is not None:
        row["length_fit"] = length_fit(hyps, max_units, unit, min_units)
    return row

