"""Test-set evaluation of a model in memory: the generator's prompts, greedy decoding, its parser, the
shared metrics. The same function runs before and after fine-tuning, so the two numbers compare.

Why not the LocalHFBackend here: it loads a model from disk, and the model being trained is already in
memory (reloading a dequantized 0.5B GGUF costs ~40 s and 4 GB each time). Prompt rendering, chat
template, left padding and answer parsing are the backend's and generator's own.
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, Field

from ..evaluate.metrics import bleu, bleu_signature, rouge
from ..generate.base import Spec
from ..generate.llm.parsing import Parsed, parse
from ..generate.llm.prompts import template_lang
from .data import PromptFormat, prompt_text
from .pairs import Pair


class TestMetrics(BaseModel):
    __test__ = False  # not a pytest class

    n: int = 0
    rouge_l: float = math.nan  # ROUGE-L F1 ×100, characters for Chinese (evaluate.metrics.rouge)
    bleu: float = math.nan  # corpus BLEU-4 (evaluate.metrics.bleu)
    bleu_signature: str = ""
    # Chinese on jieba words too (AdvertiseGen's published numbers are on jieba words); nan for other languages
    rouge_l_words: float = math.nan
    bleu_words: float = math.nan
    parsed: float = math.nan  # share of answers the generator's parser accepted
    seconds: float = 0.0
    samples: list[dict[str, str]] = Field(default_factory=list)  # a few (product, answer, reference)


def max_new_tokens(task: str, spec: Spec, cap: int = 256) -> int:
    """As the generator budgets it: ~1 token per Chinese character, ×2, + the JSON wrapper."""
    units = spec.max_units
    chars = units // 2 if spec.unit == "width" else (units // 3 if spec.unit == "bytes" else units)
    per_char = 1.0 if template_lang(spec.lang) == "zh" else 0.35
    if task == "tags":
        chars = max(chars, 120)
    return min(cap, int(math.ceil(chars * per_char * 2.0)) + 16)


def generate_raw(model: Any, tokenizer: Any, pairs: Sequence[Pair], fmt: PromptFormat, *, max_tokens: int,
                 batch_size: int = 8, device: str = "cpu") -> list[str]:
    """Greedy answers, left-padded batches, in pair order."""
    import torch

    prompts = [prompt_text(tokenizer, fmt.messages(p)) for p in pairs]
    order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))  # similar lengths pad less
    out: list[str] = [""] * len(prompts)
    side = tokenizer.padding_side
    tokenizer.padding_side = "left"
    was_training = model.training
    model.eval()
    try:
        for s in range(0, len(order), max(1, batch_size)):
            idx = order[s:s + batch_size]
            enc = tokenizer([prompts[i] for i in idx], return_tensors="pt", padding=True,
                            add_special_tokens=False).to(device)
            with torch.inference_mode():
                ids = model.generate(**enc, max_new_tokens=max_tokens, do_sample=False,
                                     pad_token_id=tokenizer.pad_token_id)
            width = enc["input_ids"].shape[1]
            for row, i in enumerate(idx):
                out[i] = tokenizer.decode(ids[row, width:], skip_special_tokens=True)
    finally:
        tokenizer.padding_side = side
        model.train(was_training)
    return out


def score(raw: Sequence[str], pairs: Sequence[Pair]) -> TestMetrics:
    """Parse each answer as the generator would; an unparseable answer scores as empty text."""
    hyps: list[str] = []
    ok = 0
    for text, p in zip(raw, pairs, strict=True):
        got = parse(text, p.task)
        if isinstance(got, Parsed):
            ok += 1
            hyps.append("、".join(got.value) if isinstance(got.value, list) else got.value)
        else:
            hyps.append("")
    refs = [p.reference_text() for p in pairs]
    lang = Counter(p.lang for p in pairs).most_common(1)[0][0] if pairs else "zh"
    samples = [{"product_id": p.product_id, "answer": r[:300], "reference": p.reference_text()[:300]}
               for p, r in list(zip(pairs, raw, strict=True))[:5]]
    words = {}
    if lang == "zh":
        words = {"rouge_l_words": 100 * rouge(hyps, refs, lang, "L", tokens="jieba"),
                 "bleu_words": bleu(hyps, refs, lang, "jieba")}
    return TestMetrics(n=len(pairs), rouge_l=100 * rouge(hyps, refs, lang, "L"), bleu=bleu(hyps, refs, lang),
                       bleu_signature=bleu_signature(lang), parsed=ok / len(pairs) if pairs else math.nan,
                       samples=samples, **words)


def evaluate_model(model: Any, tokenizer: Any, pairs: Sequence[Pair], fmt: PromptFormat, *, max_tokens: int,
                   batch_size: int = 8, device: str = "cpu") -> TestMetrics:
    if not pairs:
        return TestMetrics()
    t0 = time.perf_counter()
    raw = generate_raw(model, tokenizer, pairs, fmt, max_tokens=max_tokens, batch_size=batch_size, device=device)
    out = score(raw, pairs)
    out.seconds = time.perf_counter() - t0
    return out
