"""The ``llm`` generator: prompts from templates, few-shot from the catalog, a backend, strict parsing.

It proposes candidates and never checks or ranks them: compliance and grounding checks, length fitting
and selection run in tasks/ on every candidate. A failed backend raises ``BackendError`` (the titles
flow falls back to compose); when every answer is unparseable it raises ``OutputParseError`` with the
raw output kept.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field

from ...errors import BackendError, OutputParseError
from ...product import Candidate, Product, Task
from ..backends.base import Backend, Completion, CompletionRequest, Decoding, Message
from ..base import Spec, register_generator
from .facts_line import FactsLine
from .fewshot import FewShotIndex
from .parsing import Parsed, ParseFailure, injection_payloads, parse
from .prompts import render_compact, render_messages, schema_for, task_key, template_lang

log = logging.getLogger(__name__)
VERSION = 1
FewShot = Literal["retrieved", "grouped", "fixed", "none"]
PromptStyle = Literal["compact", "full"]


class LLMConfig(BaseModel):
    """Generation choices, all measured in benchmarks/llm_titles.py."""

    # per group of like products (one shared prefix per group; a product alone gets its own) | retrieved per
    # product | the same k for all | none. Grouped: a catalog of like products at half the time of retrieved, and
    # preferred by a blind reviewer there (benchmarks/llm_titles.py --split kinds; docs/llm.md)
    fewshot: FewShot = "grouped"
    k: int = 2  # few-shot examples per product (3 cost 1.8x the time for no gain in ROUGE-L: benchmarks/llm_titles.py)
    group_k: int = 4  # examples a group shares: evaluated once for the group, so more of them cost little
    # titles: "compact" shows each example and the product as one facts line and asks for the title alone
    # (plain text, one line); "full" shows the whole data block and asks for JSON. Other tasks are always full.
    prompt: PromptStyle = "compact"
    line_attributes: int = 8  # attributes a compact facts line shows at most
    line_names: bool = True  # a compact facts line shows "名:值"; False: the values alone
    # a compact prompt's examples as facts → title turns ("pairs"), or only their titles beside the product's
    # facts ("titles": a third of the tokens; measured in benchmarks/llm_titles.py)
    examples_as: Literal["pairs", "titles"] = "pairs"
    no_repeat_words: bool = True  # a word token (2+ CJK characters, 3+ letters) is written once per answer
    max_n: int | None = None  # cap on candidates per product whatever n the flow asks (CPU: 1 or 2)
    greedy_first: bool = True  # candidate 0 is greedy, the rest sampled
    temperature: float = 0.8  # for sampled candidates
    top_p: float = 0.95
    repeat_penalty: float = 1.05
    max_tokens: int | None = None  # None: from the spec's length (length-aware stopping)
    length_factor: float = 2.0  # tokens allowed per character of the limit, before the cut
    compact_length_factor: float = 1.3  # the same for a compact (plain-text) title: no JSON wrapper to allow for
    stop: list[str] = Field(default_factory=list)
    structured: bool = True  # ask for the JSON schema (grammar / response_format) where supported
    collapse_loops: bool = True  # "控油控油控油" → "控油"
    parse_retries: int = 1  # re-asks showing the model its parse error, per candidate
    price_in: float = 0.0  # currency per million prompt tokens, for the cost account
    price_out: float = 0.0  # … per million completion tokens


class RunStats(BaseModel):
    """The per-run account. ``unparseable_rate`` is over every answer the backend returned."""

    products: int = 0
    answers: int = 0  # completions parsed (re-asks included)
    candidates: int = 0
    unparseable: int = 0
    unparseable_reasons: dict[str, int] = Field(default_factory=dict)
    fixes: dict[str, int] = Field(default_factory=dict)  # numbering, quotes, loop, truncated …
    backend_errors: int = 0
    http_retries: int = 0
    parse_retries: int = 0
    prompt_tokens: int = 0
    cached_tokens: int = 0  # prompt tokens the backend took from its KV cache instead of evaluating
    completion_tokens: int = 0
    cost: float = 0.0
    backend_seconds: float = 0.0  # inside the backend
    seconds: float = 0.0  # inside generate / generate_many, backend included

    @property
    def unparseable_rate(self) -> float:
        return self.unparseable / self.answers if self.answers else float("nan")

    @property
    def overhead(self) -> float:
        """Share of time spent in listingforge rather than the backend."""
        return (self.seconds - self.backend_seconds) / self.seconds if self.seconds else float("nan")


class GenerationRequest(BaseModel):
    task: Task
    product: Product
    n: int = 1
    spec: Spec = Field(default_factory=Spec)


class LLMGenerator:
    """``generate(task, product, n, spec)`` with a model behind any backend.

    backend: a ``Backend`` object, a backend name (``openai_compat`` | ``llama_cpp`` | ``local_hf``), or
    None to choose from the environment (``LISTINGFORGE_BACKEND`` …; see ``make_backend``). The backend
    is built on first use, so creating the generator is cheap.
    """

    name = "llm"

    def __init__(self, *, backend: Backend | str | None = None, backend_options: dict[str, Any] | None = None,
                 config: LLMConfig | None = None, **config_fields: Any) -> None:
        self._backend = backend if not isinstance(backend, str | None) else None
        self._backend_name = backend if isinstance(backend, str) else None
        self.backend_options = dict(backend_options or {})
        self.config = (config or LLMConfig()).model_copy(update=config_fields)
        if not config_fields.get("price_in") and os.environ.get("LISTINGFORGE_PRICE_IN"):
            self.config.price_in = float(os.environ["LISTINGFORGE_PRICE_IN"])
        if not config_fields.get("price_out") and os.environ.get("LISTINGFORGE_PRICE_OUT"):
            self.config.price_out = float(os.environ["LISTINGFORGE_PRICE_OUT"])
        self.index_: FewShotIndex | None = None
        self.stats = RunStats()

    # ------------------------------------------------------------------ setup

    @property
    def backend(self) -> Backend:
        if self._backend is None:
            from ..backends import make_backend

            self._backend = make_backend(self._backend_name, **self.backend_options)
        return self._backend

    def fit(self, products: Sequence[Product]) -> LLMGenerator:
        """Index the seller's catalog for few-shot retrieval; learn which facts its titles state."""
        products = list(products)
        self.index_ = FewShotIndex().fit(products)
        self.facts_line_ = self._facts_line().fit(products)
        return self

    def reset_stats(self) -> RunStats:
        old, self.stats = self.stats, RunStats()
        return old

    # ------------------------------------------------------------------ the protocol

    def generate(self, task: Task, product: Product, n: int, spec: Spec) -> list[Candidate]:
        (out,) = self.generate_many([GenerationRequest(task=task, product=product, n=n, spec=spec)])
        if isinstance(out, BackendError):
            raise out
        return out

    def generate_many(
        self, requests: Sequence[GenerationRequest | tuple[Task, Product, int, Spec]]
    ) -> list[list[Candidate] | BackendError]:
        """Many products in one backend call (HTTP concurrency, HF batching); results in order.

        A product whose backend call failed, or whose answers were all unparseable, gets its
        ``BackendError`` / ``OutputParseError`` in its slot instead of candidates.
        """
        start = time.perf_counter()
        reqs = [r if isinstance(r, GenerationRequest) else GenerationRequest(
            task=r[0], product=r[1], n=r[2], spec=r[3]) for r in requests]
        plans = [self._plan(r, ex) for r, ex in zip(reqs, self._examples_many(reqs), strict=True)]
        # products whose prompts share a prefix (the same examples) go to the backend one after another, so a
        # backend that keeps its KV cache (llama.cpp) evaluates that prefix once; results stay in request order
        order = sorted(range(len(plans)), key=lambda pi: plans[pi]["prefix_key"])
        jobs = [(pi, j) for pi in order for j in range(len(plans[pi]["requests"]))]
        answers = self._complete([plans[pi]["requests"][j] for pi, j in jobs], [plans[pi] for pi, _ in jobs])
        # results[product][candidate] = (Completion | BackendError, Parsed | ParseFailure | None, re-asks)
        results: list[dict[int, tuple[Any, Any, int]]] = [{} for _ in plans]
        for (pi, j), (comp, parsed) in zip(jobs, answers, strict=True):
            results[pi][j] = (comp, parsed, 0)
        # re-ask what did not parse, showing the model its error (capped)
        for _ in range(self.config.parse_retries):
            redo = [(pi, j) for pi, res in enumerate(results) for j, a in res.items()
                    if isinstance(a[1], ParseFailure)]
            if not redo:
                break
            again = self._complete([self._reask(plans[pi]["requests"][j], results[pi][j]) for pi, j in redo],
                                   [plans[pi] for pi, _ in redo])
            for (pi, j), (comp, parsed) in zip(redo, again, strict=True):
                self.stats.parse_retries += 1
                if not isinstance(comp, BackendError):  # a failed re-ask keeps the first parse failure
                    results[pi][j] = (comp, parsed, results[pi][j][2] + 1)
        out = [self._candidates(plan, res) for plan, res in zip(plans, results, strict=True)]
        self.stats.products += len(reqs)
        self.stats.seconds += time.perf_counter() - start
        return out

    # ------------------------------------------------------------------ internals

    def _examples_many(self, reqs: list[GenerationRequest]) -> list[list[tuple[Product, str | list[str]]]]:
        """Each request's examples, looked up together; with ``fewshot="grouped"`` the products of one kind (the
        same product word, else the same category) share the examples nearest to the group as a whole."""
        if self.index_ is None or self.config.k <= 0 or self.config.fewshot == "none":
            return [[] for _ in reqs]
        if self.config.fewshot == "fixed":
            return [self.index_.fixed(r.task, self.config.k) for r in reqs]
        out: list[list[tuple[Product, str | list[str]]] | None] = [None] * len(reqs)
        if self.config.fewshot == "grouped":
            groups: dict[tuple[str, str], list[int]] = {}
            for i, r in enumerate(reqs):
                key = _group_key(r)
                # compact titles only: a shared set of long examples (descriptions, full data blocks) is measured
                # nowhere and could outgrow the context
                if key and self._compact(r.task):
                    groups.setdefault((task_key(r.task, r.product), key), []).append(i)
            for members in groups.values():
                if len(members) > 1:
                    shared = self.index_.query_group([reqs[i].product for i in members], reqs[members[0]].task,
                                                     self.config.group_k)
                    for i in members:
                        out[i] = shared
        by_task: dict[Task, list[int]] = {}
        for i, r in enumerate(reqs):
            if out[i] is None:
                by_task.setdefault(r.task, []).append(i)
        for task, ids in by_task.items():
            found = self.index_.query_many([reqs[i].product for i in ids], task, self.config.k)
            for i, examples in zip(ids, found, strict=True):
                out[i] = examples
        return [ex or [] for ex in out]

    def _facts_line(self) -> FactsLine:
        return FactsLine(max_attributes=self.config.line_attributes, names=self.config.line_names)

    def _compact(self, task: Task) -> bool:
        return task == "title" and self.config.prompt == "compact"

    def _line(self, product: Product, lang: str) -> str:
        facts_line = getattr(self, "facts_line_", None) or self._facts_line()  # unfitted: the seller's order
        return facts_line.line(product, lang)

    def _max_tokens(self, task: Task, spec: Spec) -> int:
        if self.config.max_tokens:
            return self.config.max_tokens
        units = spec.max_units
        chars = units // 2 if spec.unit == "width" else (units // 3 if spec.unit == "bytes" else units)
        per_char = 1.0 if template_lang(spec.lang) == "zh" else 0.35  # Qwen-like tokenizers
        if task == "tags":
            chars = max(chars, 120)
        if task == "description" and spec.extra.get("target_units"):
            chars = min(chars, int(spec.extra["target_units"]))  # not the 25,000-character legal maximum
        if self._compact(task):  # the title alone, no JSON wrapper
            return int(math.ceil(chars * per_char * self.config.compact_length_factor)) + 2
        return int(math.ceil(chars * per_char * self.config.length_factor)) + 16  # + JSON wrapper

    def _plan(self, r: GenerationRequest, examples: list[tuple[Product, str | list[str]]]) -> dict[str, Any]:
        cfg = self.config
        compact = self._compact(r.task)
        if compact:
            messages = render_compact(r.task, r.product, r.spec, examples, self._line,
                                      titles_only=self.config.examples_as == "titles")
        else:
            messages = render_messages(r.task, r.product, r.spec, examples)
        texts = [r.product.title or "", r.product.description or "", r.product.brand or "",
                 r.product.category or "", *(f"{k} {v}" for k, v in r.product.attributes)]
        forbidden = injection_payloads(texts)
        schema = schema_for(r.task) if cfg.structured and not compact else None
        n = max(1, min(r.n, cfg.max_n) if cfg.max_n else r.n)
        creqs = []
        for i in range(n):
            greedy = cfg.greedy_first and i == 0
            creqs.append(CompletionRequest(
                messages=messages,
                decoding=Decoding(
                    max_tokens=self._max_tokens(r.task, r.spec),
                    temperature=0.0 if greedy else cfg.temperature,
                    top_p=1.0 if greedy else cfg.top_p,
                    repeat_penalty=cfg.repeat_penalty,
                    stop=list(cfg.stop) + (["\n"] if compact else []),
                    seed=r.spec.seed + i,
                    no_repeat_words=cfg.no_repeat_words,
                ),
                json_schema=schema,
                tag=r.product.id,
            ))
        max_chars = max(400, r.spec.max_units * 4) if r.task != "description" else None
        ex_ids = [e.id for e, _ in examples]
        return {"req": r, "requests": creqs, "examples": ex_ids, "forbidden": forbidden, "max_chars": max_chars,
                "prefix_key": (messages[0].content, tuple(ex_ids))}

    def _reask(self, creq: CompletionRequest, previous: tuple[Any, ...]) -> CompletionRequest:
        comp, failure = previous[0], previous[1]
        lang_zh = any("\u4e00" <= ch <= "\u9fff" for ch in creq.messages[0].content[:40])
        wants_json = '{"' in creq.messages[0].content
        if lang_zh:
            hint = f"上面的回答无法使用（{failure.reason}）。" + (
                "只输出一个 JSON 对象，格式与要求一致，不要其他文字。" if wants_json else "只输出标题，一行，不要其他文字。")
        else:
            hint = f"That answer could not be used ({failure.reason}). " + (
                "Output one JSON object in the required format and nothing else." if wants_json
                else "Output the title only, on one line.")
        d = creq.decoding.model_copy(update={"seed": (creq.decoding.seed or 0) + 1000,
                                             "temperature": max(creq.decoding.temperature, 0.3)})
        msgs = [*creq.messages, Message(role="assistant", content=comp.text[:500]), Message(role="user", content=hint)]
        return creq.model_copy(update={"messages": msgs, "decoding": d})

    def _complete(self, creqs: list[CompletionRequest], plans: list[dict[str, Any]]) -> list[tuple[Any, Any]]:
        """Backend call + parse: [(Completion | BackendError, Parsed | ParseFailure | None)]."""
        if not creqs:
            return []
        t0 = time.perf_counter()
        outs = self.backend.complete_many(creqs)
        backend_s = time.perf_counter() - t0
        self.stats.backend_seconds += backend_s
        res: list[tuple[Any, Any]] = []
        for k, out in enumerate(outs):
            if isinstance(out, BackendError):
                self.stats.backend_errors += 1
                res.append((out, None))
                continue
            self.stats.http_retries += out.retries
            self.stats.prompt_tokens += out.prompt_tokens
            self.stats.cached_tokens += out.cached_tokens
            self.stats.completion_tokens += out.completion_tokens
            self.stats.cost += (out.prompt_tokens * self.config.price_in
                                + out.completion_tokens * self.config.price_out) / 1e6
            parsed = self._parse(out, plans[k])
            res.append((out, parsed))
        return res

    def _parse(self, comp: Completion, plan: dict[str, Any]) -> Parsed | ParseFailure:
        r: GenerationRequest = plan["req"]
        p = parse(comp.text, r.task, collapse=self.config.collapse_loops, forbidden=plan["forbidden"],
                  max_chars=plan["max_chars"])
        self.stats.answers += 1
        if isinstance(p, ParseFailure):
            self.stats.unparseable += 1
            self.stats.unparseable_reasons[p.reason] = self.stats.unparseable_reasons.get(p.reason, 0) + 1
        else:
            for f in set(p.fixes):
                self.stats.fixes[f] = self.stats.fixes.get(f, 0) + 1
        return p

    def _candidates(self, plan: dict[str, Any], res: dict[int, tuple[Any, Any, int]]) -> list[Candidate] | BackendError:
        r: GenerationRequest = plan["req"]
        zh = template_lang(r.spec.lang or r.product.lang) == "zh"
        cands: list[Candidate] = []
        seen: set[str] = set()
        errors: list[BackendError] = []
        failures: list[tuple[Completion, ParseFailure]] = []
        for j in sorted(res):
            item = res[j]
            comp, parsed = item[0], item[1]
            if isinstance(comp, BackendError):
                errors.append(comp)
                continue
            if isinstance(parsed, ParseFailure):
                failures.append((comp, parsed))
                continue
            assert isinstance(parsed, Parsed)
            text = ("、" if zh else ", ").join(parsed.value) if isinstance(parsed.value, list) else parsed.value
            if text in seen:
                continue
            seen.add(text)
            creq = plan["requests"][j]
            meta: dict[str, Any] = {
                "raw": comp.text[:300], "parsed_via": parsed.via, "fixes": sorted(set(parsed.fixes)),
                "temperature": creq.decoding.temperature, "seed": creq.decoding.seed,
                "repeat_penalty": creq.decoding.repeat_penalty, "max_tokens": creq.decoding.max_tokens,
                "finish_reason": comp.finish_reason, "structured": comp.structured,
                "prompt_tokens": comp.prompt_tokens, "cached_tokens": comp.cached_tokens,
                "completion_tokens": comp.completion_tokens,
                "backend_seconds": round(comp.seconds, 4), "http_retries": comp.retries,
                "parse_retries": item[2],
                "fewshot": plan["examples"], "backend": self.backend.name,
            }
            if isinstance(parsed.value, list):
                meta["tags"] = parsed.value
            if plan["forbidden"]:
                meta["suspicious_input"] = plan["forbidden"]
            cands.append(Candidate(text=text, task=r.task, generator=f"{self.name}@{VERSION}",
                                   model=self.backend.model_id, meta=meta))
        self.stats.candidates += len(cands)
        if cands:
            return cands
        if errors:
            return errors[0]
        comp, failure = failures[-1]
        return OutputParseError(
            f"{self.backend.name} ({self.backend.model_id}): no usable answer for product {r.product.id} "
            f"in {len(failures)} tries; last: {failure.reason} {failure.detail}".strip(),
            raw=comp.text,
        )


def _group_key(r: GenerationRequest) -> str | None:
    """What kind of product it is: the product word the titles flow found (``spec.extra``), else the category."""
    words = r.spec.extra.get("product_words") or []
    if words:
        return str(words[0])
    return r.product.category or None


@register_generator("llm")
def _make_llm(**kwargs: Any) -> LLMGenerator:
    return LLMGenerator(**kwargs)
