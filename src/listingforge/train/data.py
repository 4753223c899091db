"""Pairs → token ids with the generator's own prompts and the model's chat template.

Loss is on the answer only (prompt tokens are labelled -100): the model learns to answer, not to
echo instructions. The answer is what the generator parses — the JSON of the full prompt
(``{"title": "…"}``) or, for the compact title prompt, the title alone — followed by the chat
template's end-of-turn token, so a trained model stops where the backend expects it to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..generate.backends.base import Message
from ..generate.base import Spec
from ..generate.llm.facts_line import FactsLine
from ..generate.llm.prompts import answer_json, clean, render_compact, render_messages, template_lang
from ..product import Product, Task
from .pairs import Pair

IGNORE = -100


def training_spec(task: Task, platform: str = "taobao", lang: str = "zh") -> Spec:
    """The Spec the prompts are rendered with: the platform's limit for the task, as tasks/ would ask."""
    from ..errors import ConfigError
    from ..platforms import load_platform

    plat = load_platform(platform)
    field = {"title": "title", "short_title": "short_title", "description": "description"}.get(task)
    spec = Spec(platform=plat.name, lang=lang)
    if field is not None:
        try:
            lim = plat.limit(field)
        except ConfigError:  # a platform without that limit: the prompt's default wording
            return spec
        spec = spec.model_copy(update={"max_units": lim.max, "unit": lim.unit, "min_units": lim.min})
    return spec


@dataclass(frozen=True)
class PromptFormat:
    """How a pair is asked and answered, as the generator will ask at inference: its full prompt with a JSON
    answer, or — titles, when ``line`` is given (``FactsLine.line``) — its compact prompt, one facts line in
    and the title alone out, with no examples (a tuned model has learnt what they would show)."""

    spec: Spec
    line: Callable[[Product, str], str] | None = None

    @classmethod
    def compact_for(cls, spec: Spec, pairs: Sequence[Pair]) -> PromptFormat:
        """The compact format, its facts line fit on the pairs' products with their titles back: which facts
        a line shows is learnt from the training catalog as the generator learns it from its own."""
        products = [p.product.model_copy(update={"title": p.reference_text()}) for p in pairs]
        return cls(spec, FactsLine().fit(products).line)

    def compact(self, pair: Pair) -> bool:
        return self.line is not None and pair.task == "title"

    def messages(self, pair: Pair) -> list[Message]:
        spec = self.spec.model_copy(update={"lang": template_lang(pair.product.lang or self.spec.lang)})
        if self.line is not None and self.compact(pair):
            return render_compact(pair.task, pair.product, spec, None, self.line)
        return render_messages(pair.task, pair.product, spec)

    def answer(self, pair: Pair) -> str:
        return clean(str(pair.output), 200) if self.compact(pair) else answer_json(pair.task, pair.output)


def prompt_messages(pair: Pair, spec: Spec) -> list[Message]:
    """The full prompt's messages for a pair (``PromptFormat(spec).messages``)."""
    return PromptFormat(spec).messages(pair)


def ensure_chat_template(tokenizer: Any) -> None:
    """The backend's fallback (ChatML) when the tokenizer has none, and a pad token."""
    from ..generate.backends.local_hf import FALLBACK_CHAT_TEMPLATE

    if not getattr(tokenizer, "chat_template", None):
        tokenizer.chat_template = FALLBACK_CHAT_TEMPLATE
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token


def prompt_text(tokenizer: Any, messages: list[Message]) -> str:
    return tokenizer.apply_chat_template([m.model_dump() for m in messages], tokenize=False,
                                         add_generation_prompt=True)


@dataclass
class Example:
    input_ids: list[int]
    labels: list[int]
    product_id: str
    truncated: bool = False

    @property
    def n_answer(self) -> int:
        return sum(1 for x in self.labels if x != IGNORE)


def encode(pair: Pair, tokenizer: Any, fmt: PromptFormat, max_length: int) -> Example | None:
    """Token ids and labels for one pair; None when truncation would leave no answer token."""
    messages = fmt.messages(pair)
    prompt = prompt_text(tokenizer, messages)
    answer = fmt.answer(pair)
    full = tokenizer.apply_chat_template(
        [*(m.model_dump() for m in messages), {"role": "assistant", "content": answer}], tokenize=False)
    # the template's own end of turn ("<|im_end|>\n") when it extends the prompt, else answer + eos
    tail = full[len(prompt):] if full.startswith(prompt) and answer in full[len(prompt):] else \
        answer + (tokenizer.eos_token or "")
    p_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    a_ids = tokenizer(tail, add_special_tokens=False)["input_ids"]
    ids = p_ids + a_ids
    labels = [IGNORE] * len(p_ids) + a_ids
    truncated = len(ids) > max_length
    if truncated:
        ids, labels = ids[:max_length], labels[:max_length]
    if all(x == IGNORE for x in labels):
        return None
    return Example(ids, labels, pair.product_id, truncated)


def collate(batch: list[Example], pad_id: int) -> dict[str, Any]:
    """Right-padded tensors: input_ids, attention_mask, labels."""
    import torch

    width = max(len(e.input_ids) for e in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for i, e in enumerate(batch):
        n = len(e.input_ids)
        ids[i, :n] = torch.tensor(e.input_ids)
        labels[i, :n] = torch.tensor(e.labels)
        mask[i, :n] = 1
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}
