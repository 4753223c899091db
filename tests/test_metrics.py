"""Known-answer tests: every expected value is computed by hand in the comment above it."""

from __future__ import annotations

import math
import random

import pytest
import sacrebleu

from listingforge.evaluate.metrics import (
    attribute_coverage,
    bleu,
    bleu_signature,
    chrf,
    distinct_n,
    hallucination_rate,
    lcs_length,
    length_fit,
    rate,
    rouge,
    rouge_scores,
    split_units,
    summarize,
    violation_rate,
)
from listingforge.product import Finding, Product

# ---------------------------------------------------------------- ROUGE


def test_rouge_l_chinese_characters_by_hand() -> None:
    # 红色连衣裙 vs 连衣裙红色: 5 chars each; LCS = 连衣裙 = 3 → P = R = 3/5 → F1 = 0.6
    assert rouge(["红色连衣裙"], ["连衣裙红色"], "zh", "L") == pytest.approx(0.6)


def test_rouge_1_2_chinese_by_hand() -> None:
    # unigrams: all 5 characters shared → 1.0
    # bigrams hyp {红色, 色连, 连衣, 衣裙}, ref {连衣, 衣裙, 裙红, 红色}: 3 shared of 4 each → 0.75
    scores = rouge_scores(["红色连衣裙"], ["连衣裙红色"], "zh")
    assert scores == pytest.approx({"rouge1": 1.0, "rouge2": 0.75, "rougeL": 0.6})


def test_rouge_chinese_ignores_whitespace_and_averages_pairs() -> None:
    # pair 1: "红色 连衣裙" → chars 红色连衣裙 == ref → 1.0
    # pair 2: hyp 女鞋 vs ref 男鞋: LCS 鞋 = 1 → P = R = 1/2 → 0.5;  mean = 0.75
    assert rouge(["红色 连衣裙", "女鞋"], ["红色连衣裙", "男鞋"], "zh", "L") == pytest.approx(0.75)


def test_rouge_english_words_lowercased_by_hand() -> None:
    # hyp [red, cotton, dress, for, women] (5), ref [women, s, red, dress] (4)
    # ROUGE-1: overlap {red, dress, women} = 3 → P 3/5, R 3/4 → F1 = 2·.6·.75/1.35 = 0.6667
    # ROUGE-L: LCS = red dress = 2 → P 2/5, R 2/4 → F1 = 2·.4·.5/.9 = 0.4444
    hyp, ref = ["Red Cotton Dress for Women"], ["Women's red DRESS"]
    assert rouge(hyp, ref, "en", 1) == pytest.approx(2 / 3)
    assert rouge(hyp, ref, "en", "L") == pytest.approx(4 / 9)
    assert rouge(hyp, ref, "en", "rougeL") == rouge(hyp, ref, "en", "l")


def test_rouge_clips_repeated_ngrams() -> None:
    # hyp 红红红 (unigram counts 红:3), ref 红色 (红:1, 色:1): clipped overlap = 1
    # P = 1/3, R = 1/2 → F1 = 2·(1/3)(1/2)/(5/6) = 0.4
    assert rouge(["红红红"], ["红色"], "zh", 1) == pytest.approx(0.4)


def test_rouge_jieba_words() -> None:
    # jieba: 红色|连衣裙 vs 连衣裙|红色 → LCS 1 of 2 words → 0.5 (characters would give 0.6)
    assert split_units("红色连衣裙", "zh", "jieba") == ["红色", "连衣裙"]
    assert rouge(["红色连衣裙"], ["连衣裙红色"], "zh", "L", tokens="jieba") == pytest.approx(0.5)


def test_rouge_empty_and_errors() -> None:
    assert rouge([""], ["红色"], "zh", "L") == 0.0
    assert math.isnan(rouge([], [], "zh", "L"))
    with pytest.raises(ValueError, match="same length"):
        rouge(["a"], [], "en", 1)
    with pytest.raises(ValueError, match="ROUGE variant"):
        rouge(["a"], ["a"], "en", "X")
    with pytest.raises(TypeError):
        rouge("红色", "红色", "zh", 1)  # type: ignore[arg-type]


def _lcs_table(a: str, b: str) -> int:
    # the textbook O(n·m) dynamic programme, as the oracle for the bit-parallel version
    m = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            m[i + 1][j + 1] = m[i][j] + 1 if x == y else max(m[i][j + 1], m[i + 1][j])
    return m[-1][-1]


def test_lcs_matches_dynamic_programme() -> None:
    rng = random.Random(7)
    for _ in range(500):
        a = "".join(rng.choice("红色裙ab") for _ in range(rng.randint(0, 40)))
        b = "".join(rng.choice("红色裙abc") for _ in range(rng.randint(0, 40)))
        assert lcs_length(a, b) == _lcs_table(a, b), (a, b)
    # > 64 positions: the big-integer path past one machine word
    a, b = "连衣裙" * 70, "裙连衣" * 70
    assert lcs_length(a, b) == _lcs_table(a, b)


# ---------------------------------------------------------------- BLEU / chrF


def test_bleu_zh_by_hand() -> None:
    # tok:zh splits every CJK character. hyp 红色连衣裙, ref 连衣裙红色:
    # 1-grams 5/5; 2-grams 3/4 (红色 连衣 衣裙); 3-grams 1/3 (连衣裙); 4-grams 0/2.
    # sacrebleu "exp" smoothing turns the first zero precision into 100/(2·total) = 100/4 = 25%.
    # BP = 1 (equal lengths). BLEU = (1 · .75 · 1/3 · .25)^(1/4) = 0.0625^(1/4) = 0.5 → 50.0
    assert bleu(["红色连衣裙"], ["连衣裙红色"], "zh") == pytest.approx(50.0)


def test_bleu_zh_default_differs_from_13a_on_chinese() -> None:
    # 13a keeps 红色连衣裙 as one token, so nothing matches → 0, while zh scores 50.
    assert bleu(["红色连衣裙"], ["连衣裙红色"], "zh", tokenize="13a") == 0.0


def test_bleu_en_identity_and_brevity_penalty() -> None:
    ref = "slim fit cotton shirt for men blue"
    assert bleu([ref], [ref], "en") == pytest.approx(100.0)
    # hyp = first 4 words: all n-gram precisions 100%; BP = exp(1 - 7/4) = 0.4724 → 47.24
    assert bleu(["slim fit cotton shirt"], [ref], "en") == pytest.approx(100 * math.exp(1 - 7 / 4))


def test_bleu_jieba_tokenization() -> None:
    # jieba words: 夏季|新款|红色|连衣裙 (hyp) vs 夏季|新款|红色|连衣裙|女 (ref)
    # all hyp n-grams match: precisions 4/4, 3/3, 2/2, 1/1; BP = exp(1 - 5/4) → 77.88
    hyp, ref = ["夏季新款红色连衣裙"], ["夏季新款红色连衣裙女"]
    assert bleu(hyp, ref, "zh", tokenize="jieba") == pytest.approx(100 * math.exp(1 - 5 / 4))


def test_bleu_signature_pins_tokenizer_and_version() -> None:
    sig = bleu_signature("zh")
    assert "tok:zh" in sig and f"version:{sacrebleu.__version__}" in sig
    assert "tok:13a" in bleu_signature("en")
    assert "tok:none" in bleu_signature("zh", "jieba") and "seg:jieba-" in bleu_signature("zh", "jieba")


def test_chrf_by_hand() -> None:
    # char n-grams (whitespace ignored), orders 1..6, β = 2, averaged over orders both sides have:
    # n=1 5/5, n=2 3/4, n=3 1/3, n=4 0/2, n=5 0/1 (n=6 absent) → mean P = mean R = (1+.75+1/3)/5 = 0.41667
    # F_β with P = R is P → 41.667
    assert chrf(["红色连衣裙"], ["连衣裙红色"]) == pytest.approx(100 * (1 + 0.75 + 1 / 3) / 5)
    assert chrf(["红色 连衣裙"], ["红色连衣裙"]) == pytest.approx(100.0)


# ---------------------------------------------------------------- distinct-n


def test_distinct_n_by_hand() -> None:
    # chars: 红色裙 | 红色鞋 → 6 unigrams, unique {红 色 裙 鞋} = 4 → 4/6
    # bigrams: 红色 色裙 | 红色 色鞋 → 4 total, unique 3 → 0.75
    texts = ["红色裙", "红色 鞋"]
    assert distinct_n(texts, 1, "zh") == pytest.approx(4 / 6)
    assert distinct_n(texts, 2, "zh") == pytest.approx(0.75)
    # en words (lower-cased): red dress | Red shoes → 4 words, unique 3 → 0.75; bigrams 2 unique of 2 → 1
    assert distinct_n(["red dress", "Red shoes"], 1, "en") == pytest.approx(0.75)
    assert distinct_n(["red dress", "Red shoes"], 2, "en") == pytest.approx(1.0)
    assert math.isnan(distinct_n(["红"], 2, "zh"))


# ---------------------------------------------------------------- coverage and rates


def test_attribute_coverage_by_hand() -> None:
    products = [
        Product(id="1", attributes=[("颜色", "红色"), ("材质", "棉"), ("尺码", "XL")]),
        Product(id="2", attributes=[("color", "Red"), ("size", "12")]),
        Product(id="3"),  # no attributes: skipped
        Product(id="4", attributes=[("颜色", "白色"), ("颜色", "白色")]),  # one distinct value
    ]
    texts = [
        "红色纯棉连衣裙 xl",  # 红色 ✓, 棉 ✓, XL ✓ (case-insensitive) → 3/3
        "red shirt size 128",  # Red ✓; "12" only inside 128 → ✗ → 1/2
        "anything",
        "黑色T恤",  # 白色 ✗ → 0/1
    ]
    # mean over products with attributes: (1 + 0.5 + 0) / 3 = 0.5
    assert attribute_coverage(texts, products) == pytest.approx(0.5)
    # full-width ＸＬ folds to XL
    assert attribute_coverage(["棉 ＸＬ"], [Product(id="5", attributes=[("尺码", "XL")])]) == 1.0
    # a Latin value inside a longer word does not count: "red" in "tired"
    assert attribute_coverage(["tired"], [Product(id="6", attributes=[("c", "red")])]) == 0.0
    # ...but a Latin value glued to Chinese characters does ("尺码XL码"), and a later whole-word hit counts
    assert attribute_coverage(["尺码XL码"], [Product(id="8", attributes=[("尺码", "XL")])]) == 1.0
    assert attribute_coverage(["tired red"], [Product(id="9", attributes=[("c", "red")])]) == 1.0
    assert math.isnan(attribute_coverage(["x"], [Product(id="7")]))


def test_rates_by_hand() -> None:
    assert rate([True, False, False, True]) == 0.5
    assert math.isnan(rate([]))
    g = Finding(rule="grounding.number", severity="warning", text="128G")
    law = Finding(rule="adlaw.absolute", severity="error", text="最好")
    warn = Finding(rule="amazon.repeat", severity="warning")
    g_err = Finding(rule="grounding.brand", severity="error")
    lists = [[g], [law], [warn], [], [g_err, law]]
    # hallucination: texts 1 and 5 have grounding.* → 2/5
    assert hallucination_rate(lists) == pytest.approx(0.4)
    # violation: error-severity non-grounding in texts 2 and 5 (warnings and grounding errors don't count) → 2/5
    assert violation_rate(lists) == pytest.approx(0.4)


def test_length_fit_by_hand() -> None:
    # width: 汉字 = 2. "红色连衣裙" = 10, "连衣裙" = 6, "abc" = 3, "红色连衣裙女" = 12
    texts = ["红色连衣裙", "连衣裙", "abc", "红色连衣裙女"]
    assert length_fit(texts, 10, "width") == pytest.approx(3 / 4)
    assert length_fit(texts, 10, "width", min_units=6) == pytest.approx(2 / 4)
    assert length_fit(texts, 5, "chars") == pytest.approx(3 / 4)


# ---------------------------------------------------------------- the table row


def test_summarize_row() -> None:
    hyps, refs = ["红色连衣裙", "红色连衣裙"], ["连衣裙红色", "红色连衣裙"]
    products = [Product(id="1", attributes=[("颜色", "红色")]), Product(id="2", attributes=[("颜色", "蓝色")])]
    row = summarize(hyps, refs, products, "zh", findings=[[], [Finding(rule="grounding.color")]],
                    max_units=10, unit="width")
    assert row["n"] == 2
    assert row["rougeL"] == pytest.approx((0.6 + 1.0) / 2)
    assert row["bleu"] == pytest.approx(bleu(hyps, refs, "zh"))
    assert row["coverage"] == pytest.approx(0.5)
    assert row["hallucination"] == 0.5 and row["violation"] == 0.0
    assert row["length_fit"] == 1.0
    assert row["distinct1"] == pytest.approx(5 / 10)
    # without references only reference-free metrics
    assert set(summarize(hyps, lang="zh")) == {"n", "distinct1", "distinct2"}
