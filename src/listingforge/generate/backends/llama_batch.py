"""Several prompts decoded together on one llama.cpp context: the shared prefix once, then one token per
sequence per step.

On a CPU, writing one token reads every weight of the model once; writing one token for each of 8 products in
the same step reads them once too, so a step costs little more than a single token (benchmarks/llm_titles.py
measures it). The prompts of a batch share their common prefix (the system text, and the examples when they
are the same): it stays in the KV cache of sequence 0 between batches and is copied, not recomputed, into each
product's sequence (llama.cpp's unified KV cache shares the cells). Sampling is done here in numpy: greedy or
temperature + top-p with a seeded generator, llama.cpp's repeat penalty over the answer so far, and at most one
use of each word token when asked (``Decoding.no_repeat_words``). No grammar: JSON-constrained requests take
the ordinary path (``LlamaCppBackend``).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .base import Decoding

NO_REPEAT_NGRAM = 3  # with Decoding.no_repeat_words, no sequence of this many tokens is written twice


@dataclass
class Answer:
    """One sequence's result: the tokens written, why it stopped, and its prompt's tokens (new / reused)."""

    tokens: list[int] = field(default_factory=list)
    text: str = ""
    finish_reason: str = "length"
    prompt_tokens: int = 0
    cached_tokens: int = 0  # of the prompt's tokens, how many came from the KV cache instead of being evaluated


def is_word_piece(piece: str) -> bool:
    """A token that is a word by itself: 2+ CJK characters ("保湿") or 3+ letters ("wireless"). Repeating one
    is what a looping model does; single characters and digits repeat legitimately (XXL, 1000ml)."""
    s = piece.strip()
    cjk = sum(1 for ch in s if "\u4e00" <= ch <= "\u9fff")
    return cjk >= 2 or (len(s) >= 3 and s.isalpha() and not cjk)


def repeated_ngram_ends(written: Sequence[int], n: int = NO_REPEAT_NGRAM) -> list[int]:
    """The tokens that would write an ``n``-token sequence a second time ("除螨吸尘器除螨吸尘器" split into
    short tokens repeats no single word token, but repeats its 3-grams)."""
    if len(written) < n:
        return []
    tail = tuple(written[len(written) - n + 1:])
    return [written[i + n - 1] for i in range(len(written) - n + 1) if tuple(written[i: i + n - 1]) == tail]


def banned_repeats(written: Sequence[int], is_word: Callable[[int], bool]) -> list[int]:
    """The tokens ``Decoding.no_repeat_words`` bars next: a word token already written in this answer, and the end
    of a 3-token sequence written before."""
    return [t for t in set(written) if is_word(t)] + repeated_ngram_ends(written)


def common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


SHRINK_TOKENS = 64  # prefix tokens a batch's members may evaluate again to stay together (see plan_batches)


def plan_batches(prompts: Sequence[Sequence[int]], limits: Sequence[int], max_batch: int, n_ctx: int
                 ) -> list[list[int]]:
    """Which prompts to decode together (their indexes, in order).

    Consecutive prompts sharing more than the prefix common to all of them (by over ``SHRINK_TOKENS`` tokens: the
    same examples) form a run, decoded together so the run's prefix is evaluated once; the prompts that share
    nothing special (each with its own examples) are packed together. A batch holds at most ``max_batch`` prompts
    and fits ``n_ctx`` KV cells with their answers (``limits`` tokens each).
    """
    if not prompts:
        return []
    links = [common_prefix(prompts[i - 1], prompts[i]) for i in range(1, len(prompts))]
    base = min(links, default=0)
    runs: list[list[int]] = [[0]]
    for i, link in enumerate(links, 1):
        if link > base + SHRINK_TOKENS:
            runs[-1].append(i)
        else:
            runs.append([i])
    out: list[list[int]] = []
    loose: list[int] = []  # singletons waiting to be packed together
    for run in runs:
        if len(run) == 1:
            loose += run
            continue
        out += _pack(loose, prompts, limits, max_batch, n_ctx)
        loose = []
        out += _pack(run, prompts, limits, max_batch, n_ctx)
    return out + _pack(loose, prompts, limits, max_batch, n_ctx)


def _pack(ids: list[int], prompts: Sequence[Sequence[int]], limits: Sequence[int], max_batch: int, n_ctx: int
          ) -> list[list[int]]:
    out: list[list[int]] = []
    cur: list[int] = []
    for k in ids:
        grown = [*cur, k]
        shared = min((common_prefix(prompts[grown[0]], prompts[j]) for j in grown[1:]), default=0)
        need = shared + sum(len(prompts[j]) - shared + limits[j] for j in grown)
        if cur and (len(cur) >= max_batch or need > n_ctx):
            out.append(cur)
            cur = [k]
        else:
            cur = grown
    return [*out, cur] if cur else out


class BatchDecoder:
    """``run(prompts, decodings)`` on its own llama.cpp context over an already loaded model.

    ``model``: llama-cpp-python's ``_internals.LlamaModel`` (shared with the ordinary path, so the weights are
    loaded once). ``n_seq``: sequences decoded together at most. ``n_ctx``: KV cells shared by all of them.
    """

    def __init__(self, llama_cpp: Any, model: Any, *, n_ctx: int = 4096, n_batch: int = 512, n_seq: int = 8,
                 n_threads: int = 1) -> None:
        from llama_cpp import _internals

        self._lib = llama_cpp
        self.model = model
        self.n_seq = n_seq
        self.n_batch = n_batch
        params = llama_cpp.llama_context_default_params()
        params.n_ctx = n_ctx
        params.n_batch = n_batch
        params.n_ubatch = n_batch
        params.n_seq_max = n_seq + 1  # sequence 0 keeps the shared prefix
        params.kv_unified = True  # sequences share the prefix's cells instead of copying them
        params.n_threads = n_threads
        params.n_threads_batch = n_threads
        self.ctx = _internals.LlamaContext(model=model, params=params, verbose=False)
        self.n_ctx = self.ctx.n_ctx()
        self.n_vocab = model.n_vocab()
        self._batch = llama_cpp.llama_batch_init(n_batch, 0, 1)
        self._vocab = llama_cpp.llama_model_get_vocab(model.model)
        self._prefix: list[int] = []  # what sequence 0 holds
        self._word: dict[int, bool] = {}
        # where the time goes, accumulated (benchmarks/llm_titles.py): prompt evaluation vs writing, wall and
        # process CPU seconds, tokens evaluated and decode steps
        self.timing: dict[str, float] = dict.fromkeys(
            ("prompt_s", "prompt_cpu_s", "prompt_tokens", "write_s", "write_cpu_s", "write_tokens", "steps"), 0.0)

    def close(self) -> None:
        if self._batch is not None:
            self._lib.llama_batch_free(self._batch)
            self._batch = None
        self.ctx.close()

    def __del__(self) -> None:  # the batch is C memory
        with contextlib.suppress(Exception):  # interpreter shutdown
            self.close()

    # ------------------------------------------------------------------ the public step

    def forget(self) -> None:
        """Drop the kept prefix: the next batch evaluates its whole prompts (for measuring)."""
        self._lib.llama_memory_clear(self.ctx.memory, True)
        self._prefix = []

    def run(self, prompts: Sequence[Sequence[int]], decodings: Sequence[Decoding]) -> list[Answer]:
        try:
            return self._run(prompts, decodings)
        except BaseException:
            # a failed decode leaves the cache in an unknown state: start clean next time
            self._lib.llama_memory_clear(self.ctx.memory, True)
            self._prefix = []
            raise

    def _run(self, prompts: Sequence[Sequence[int]], decodings: Sequence[Decoding]) -> list[Answer]:
        lib, mem = self._lib, self.ctx.memory
        n = len(prompts)
        shared = min((common_prefix(prompts[0], p) for p in prompts[1:]), default=len(prompts[0]))
        shared = min(shared, min(len(p) for p in prompts) - 1)  # every sequence evaluates >= 1 token (logits)
        reused = common_prefix(self._prefix, prompts[0][:shared])
        for s in range(1, self.n_seq + 1):
            lib.llama_memory_seq_rm(mem, s, -1, -1)
        lib.llama_memory_seq_rm(mem, 0, reused, -1)
        self._prefix = list(prompts[0][:reused])
        t0, c0 = time.perf_counter(), time.process_time()
        self._eval([(0, reused + i, t, False) for i, t in enumerate(prompts[0][reused:shared])])
        self._prefix = list(prompts[0][:shared])

        # identical prompts (several candidates of one product) evaluate their own part once
        first: dict[tuple[int, ...], int] = {}
        items: list[tuple[int, int, int, bool]] = []
        answers = [Answer(prompt_tokens=len(p), cached_tokens=len(p)) for p in prompts]
        answers[0].cached_tokens -= shared - reused  # the shared prefix's new tokens are counted once
        for i, p in enumerate(prompts):
            key = tuple(p)
            if key in first:
                continue
            first[key] = i
            lib.llama_memory_seq_cp(mem, 0, i + 1, 0, shared)
            rest = p[shared:]
            answers[i].cached_tokens -= len(rest)
            items += [(i + 1, shared + j, t, j == len(rest) - 1) for j, t in enumerate(rest)]
        logits = self._eval(items)
        for i, p in enumerate(prompts):
            src = first[tuple(p)]
            if src != i:
                lib.llama_memory_seq_cp(mem, src + 1, i + 1, -1, -1)
                logits[i + 1] = logits[src + 1]
        t1, c1 = time.perf_counter(), time.process_time()
        self._count(prompt_s=t1 - t0, prompt_cpu_s=c1 - c0, prompt_tokens=shared - reused + len(items))

        rngs = [np.random.default_rng(d.seed) for d in decodings]
        texts: list[str | None] = [None] * n
        pos = [len(p) for p in prompts]
        active = list(range(n))
        while active:
            step = []
            for i in active:
                d = decodings[i]
                tok = self._sample(logits[i + 1], answers[i].tokens, d, rngs[i])
                if lib.llama_vocab_is_eog(self._vocab, tok):
                    answers[i].finish_reason = "stop"
                    continue
                answers[i].tokens.append(tok)
                text = self._detok(answers[i].tokens)
                hit = next((s for s in d.stop if s and s in text), None)
                if hit is not None:
                    texts[i] = text[: text.index(hit)]
                    answers[i].finish_reason = "stop"
                    continue
                if len(answers[i].tokens) >= d.max_tokens:
                    continue
                step.append((i + 1, pos[i], tok, True))
                pos[i] += 1
            active = [seq - 1 for seq, _, _, _ in step]
            if step:
                logits.update(self._eval(step))
                self._count(steps=1)
        self._count(write_s=time.perf_counter() - t1, write_cpu_s=time.process_time() - c1,
                    write_tokens=sum(len(a.tokens) for a in answers))
        for i, a in enumerate(answers):
            a.text = texts[i] if texts[i] is not None else self._detok(a.tokens)
        for s in range(1, n + 1):
            lib.llama_memory_seq_rm(mem, s, -1, -1)
        return answers

    # ------------------------------------------------------------------ internals

    def _count(self, **amounts: float) -> None:
        for k, v in amounts.items():
            self.timing[k] += v

    def _eval(self, items: list[tuple[int, int, int, bool]]) -> dict[int, np.ndarray]:
        """Decode (seq, pos, token, want_logits) items in chunks of ``n_batch``; the logits asked for, by seq."""
        out: dict[int, np.ndarray] = {}
        lib, b = self._lib, self._batch
        for start in range(0, len(items), self.n_batch):
            chunk = items[start: start + self.n_batch]
            b.n_tokens = len(chunk)
            for j, (seq, pos, tok, want) in enumerate(chunk):
                b.token[j] = tok
                b.pos[j] = pos
                b.n_seq_id[j] = 1
                b.seq_id[j][0] = seq
                b.logits[j] = want
            rc = lib.llama_decode(self.ctx.ctx, b)
            if rc != 0:
                raise RuntimeError(f"llama_decode returned {rc} (KV cache full or bad batch)")
            for j, (seq, _pos, _tok, want) in enumerate(chunk):
                if want:
                    ptr = lib.llama_get_logits_ith(self.ctx.ctx, j)
                    out[seq] = np.ctypeslib.as_array(ptr, shape=(self.n_vocab,)).copy()
        return out

    def _detok(self, tokens: list[int]) -> str:
        return self.model.detokenize(tokens, special=False).decode("utf-8", errors="ignore")

    def _is_word(self, tok: int) -> bool:
        if tok not in self._word:
            self._word[tok] = is_word_piece(self.model.token_to_piece(tok).decode("utf-8", errors="ignore"))
        return self._word[tok]

    def _sample(self, logits: np.ndarray, written: list[int], d: Decoding, rng: np.random.Generator) -> int:
        lg = logits
        if written and ((d.repeat_penalty or 1.0) != 1.0 or d.no_repeat_words):
            lg = logits.copy()
            seen = np.unique(np.asarray(written[-64:], dtype=np.int64))
            rp = d.repeat_penalty or 1.0
            if rp != 1.0:  # llama.cpp's rule: shrink a positive logit, push a negative one further down
                v = lg[seen]
                lg[seen] = np.where(v > 0, v / rp, v * rp)
            if d.no_repeat_words:
                lg[banned_repeats(written, self._is_word)] = -np.inf
        if d.temperature <= 0:
            return int(np.argmax(lg))
        z = lg.astype(np.float64) / d.temperature
        top = np.argpartition(-z, 64)[:64]  # the tail beyond the 64 most likely tokens never survives top-p here
        p = np.exp(z[top] - z[top].max())
        p /= p.sum()
        order = np.argsort(-p)
        keep = order[: int(np.searchsorted(np.cumsum(p[order]), d.top_p)) + 1]
        q = p[keep] / p[keep].sum()
        return int(top[keep][rng.choice(len(keep), p=q)])

