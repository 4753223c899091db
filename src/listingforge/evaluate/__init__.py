"""Evaluation: corpus metrics (``metrics``) and the self-contained HTML report (``report``).

Both import their heavy libraries (sacrebleu, jieba, matplotlib) only when a function needs them.
"""

from .metrics import (
    attribute_coverage,
    bleu,
    bleu_signature,
    chrf,
    chrf_signature,
    distinct_n,
    hallucination_rate,
    length_fit,
    rate,
    rouge,
    rouge_scores,
    summarize,
    violation_rate,
)
from .report import Report, bar_counts, hist_before_after, hist_with_limit

__all__ = [
    "Report", "attribute_coverage", "bar_counts", "bleu", "bleu_signature", "chrf", "chrf_signature",
    "distinct_n", "hallucination_rate", "hist_before_after", "hist_with_limit", "length_fit", "rate", "rouge",
    "rouge_scores", "summarize", "violation_rate",
]
