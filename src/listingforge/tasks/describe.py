"""Descriptions: candidates (compose_description always, the LLM when given) → checks → score → select.

The audience a seller asks for is written into the product the checks see (``目标人群`` / ``audience``),
so "适合学生" is grounded in the request and nothing else is. Scoring uses the rule scorer with a target
length (the platform's recommended length, else 300 characters for Chinese, 600 for English) instead of
the legal maximum, which for descriptions is far larger than anyone should write.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from ..compliance import Checker
from ..errors import BackendError
from ..generate.base import Generator, Spec
from ..generate.compose_description import DescriptionComposer, split_description
from ..platforms import Platform
from ..product import Candidate, Product, Result
from ..score.base import Scorer
from ..score.rules import RuleScorer
from ..text.lang import detect_lang
from .flow import check_candidates, select

log = logging.getLogger(__name__)
_TARGET_CHARS = {"zh": 300, "en": 600}


@dataclass
class DescriptionTask:
    platform: Platform
    checker: Checker
    scorer: Scorer = field(default_factory=RuleScorer)
    composer: Generator = field(default_factory=DescriptionComposer)
    extra_generators: list[Generator] = field(default_factory=list)
    style: str | None = None
    audience: str | None = None
    n_candidates: int = 3
    n_alternatives: int = 1
    seed: int = 0

    def spec_for(self, product: Product) -> Spec:
        lim = self.platform.limit("description")
        lang = product.lang or detect_lang(" ".join([product.title or "", *product.attribute_values()]))
        # the legal maximum (25,000 on Taobao) is no length to write to: models are asked for the target
        target = min(lim.max, self.target_chars(lang))
        return Spec(platform=self.platform.name, lang=lang, max_units=lim.max, unit=lim.unit, min_units=lim.min,
                    style=self.style, audience=self.audience, seed=self.seed,
                    extra={"brand": product.brand, "key_attributes": product.attribute_values()[:6],
                           "product_words": [], "target_units": target})

    def target_chars(self, lang: str) -> int:
        target = self.platform.description.recommended if self.platform.description else None
        return target or _TARGET_CHARS.get(lang, 600)

    def checked_product(self, product: Product) -> Product:
        """The product as the checks see it: with the requested audience as a stated fact."""
        if not self.audience:
            return product
        return product.model_copy(update={"attributes": [*product.attributes, ("目标人群", self.audience)]})

    def candidates(self, product: Product, spec: Spec) -> list[Candidate]:
        out = list(self.composer.generate("description", product, self.n_candidates, spec))
        for g in self.extra_generators:
            try:
                out += g.generate("description", product, 1, spec)
            except BackendError as exc:  # the model failed: compose still answers, and says so
                log.warning("generator %s failed for %s: %s", getattr(g, "name", g), product.id, exc)
                for c in out:
                    c.meta.setdefault("fallback", f"{getattr(g, 'name', 'llm')}: {exc}")
        return out

    def run(self, product: Product) -> Result:
        spec = self.spec_for(product)
        checked_product = self.checked_product(product)
        cands = self.candidates(product, spec)
        checked = check_candidates(cands, checked_product, self.checker, spec, field="description")
        score_spec = spec.model_copy(update={"max_units": self.target_chars(spec.lang), "unit": "chars"})
        best, alts, fixed = select(checked, checked_product, self.scorer, score_spec,
                                   n_alternatives=self.n_alternatives)
        config: dict[str, Any] = {"style": self.style, "audience": self.audience, "platform": self.platform.name,
                                  "generators": [getattr(g, "name", "?") for g in [self.composer,
                                                                                   *self.extra_generators]],
                                  "scorer": getattr(self.scorer, "name", "?"), "seed": self.seed}
        return Result(product_id=product.id, task="description", platform=self.platform.name, best=best,
                      alternatives=alts, fixed=fixed, config=config)


def description_columns(result: Result) -> dict[str, Any]:
    """new_description (the paragraph), selling_points (" | "-joined), score, findings, generator."""
    from .columns import findings_text

    if result.best is None:
        return {"new_description": "", "selling_points": "", "score": None, "findings": "", "generator": "",
                **({"error": result.error} if result.error else {})}
    c = result.best.candidate
    points, para = split_description(c.text)
    gen = c.generator + (f" ({c.model})" if c.model else "")
    if c.meta.get("fallback"):
        gen += f" [fallback: {c.meta['fallback']}]"
    return {"new_description": para, "selling_points": " | ".join(points), "score": result.best.score.value,
            "findings": findings_text(result.best.findings), "generator": gen}
