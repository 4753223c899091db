"""Descriptions: candidates (compose_description always, the LLM when given) → checks → score → select.

- The composer writes in the seller's phrasing when it was fit on their catalog (``DescriptionTask.fit`` or a
  fitted composer passed in); unfitted, from the phrasing data files.
- A model's text is checked clause by clause before the shared checks: a clause with an unsupported claim (a
  grounding finding, or a word the catalog's copy taught us claims something this product does not state) is
  removed whole, with an ``Edit`` saying why, instead of deleting the one word and leaving "的版型" behind.
- The audience a seller asks for is written into the product the checks see (``目标人群`` / ``audience``), so
  "适合学生" is grounded in the request and nothing else is.
- Scoring uses the rule scorer with the catalog's own description length as the target (else the platform's
  recommended length, else 300 characters for Chinese, 600 for English) and, when the catalog has descriptions,
  the seller's copy for the most similar products as style references: of two grounded texts, the one that reads
  like the seller's own copy wins.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..compliance import Checker
from ..errors import BackendError
from ..generate.base import Generator, Spec
from ..generate.compose_description import DescriptionComposer, split_description
from ..generate.describe_text import clauses, join_sentences, sentences
from ..platforms import Platform
from ..product import Candidate, Edit, Product, Result, Scored
from ..score.base import Scorer
from ..score.rules import RuleScorer
from ..text.lang import detect_lang
from .flow import check_candidates, select

log = logging.getLogger(__name__)
_TARGET_CHARS = {"zh": 300, "en": 600}
_SCORE_LENGTH = 1.25  # full length points from the catalog's length to a quarter more


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
    n_alternatives: int = 2
    seed: int = 0

    def fit(self, products: Iterable[Product]) -> DescriptionTask:
        """Learn the seller's phrasing from the catalog's descriptions (the checks' lexicon shared)."""
        if isinstance(self.composer, DescriptionComposer):
            self.composer.fit(products, lexicon=self.checker.lexicon)
        return self

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
        learned = self.composer.target_chars(lang) if isinstance(self.composer, DescriptionComposer) else None
        if learned:
            return learned
        target = self.platform.description.recommended if self.platform.description else None
        return target or _TARGET_CHARS.get(lang, 600)

    def checked_product(self, product: Product) -> Product:
        """The product as the checks see it: with the requested audience as a stated fact."""
        if not self.audience:
            return product
        return product.model_copy(update={"attributes": [*product.attributes, ("目标人群", self.audience)]})

    def candidates(self, product: Product, spec: Spec) -> list[Candidate]:
        out = list(self.composer.generate("description", product, self.n_candidates, spec))
        checked_product = self.checked_product(product)
        for g in self.extra_generators:
            try:
                made = g.generate("description", product, 1, spec)
            except BackendError as exc:  # the model failed: compose still answers, and says so
                log.warning("generator %s failed for %s: %s", getattr(g, "name", g), product.id, exc)
                for c in out:
                    c.meta.setdefault("fallback", f"{getattr(g, 'name', 'llm')}: {exc}")
                continue
            out += [p for c in made if (p := self.without_unsupported(c, checked_product)) is not None]
        return out

    def without_unsupported(self, cand: Candidate, product: Product) -> Candidate | None:
        """The candidate with every clause that claims what the product does not state removed (None: nothing
        is left). Each removal is an ``Edit`` with the words that made it."""
        lang = product.lang or detect_lang(cand.text)
        kept_lines, edits = [], []
        for line in cand.text.splitlines():
            kept_sents = []
            for sent in sentences(line, lang):
                learned = dict(self.composer.unsupported(sent, product, audience=self.audience)
                               if isinstance(self.composer, DescriptionComposer) else [])
                kept = []
                for clause in clauses(sent, lang):
                    why = [f"{f.rule}: {f.text}" for f in self.checker.check(clause, product, field="description")
                           if f.rule.startswith("grounding.")]
                    why += [f"claims {w!r}" for w in learned.get(clause, [])]
                    if why:
                        edits.append(Edit(kind="remove", old=clause, reason="unsupported claim",
                                          evidence="; ".join(why)))
                    else:
                        kept.append(clause)
                if kept:
                    kept_sents.append(kept)
            if kept_sents:
                kept_lines.append(join_sentences(kept_sents, lang))
        if not edits:
            return cand
        if not kept_lines:
            return None
        return cand.model_copy(update={"text": "\n".join(kept_lines), "edits": [*cand.edits, *edits],
                                       "meta": {**cand.meta, "removed_clauses": len(edits)}})

    def run(self, product: Product) -> Result:
        spec = self.spec_for(product)
        checked_product = self.checked_product(product)
        cands = self.candidates(product, spec)
        checked = check_candidates(cands, checked_product, self.checker, spec, field="description")
        refs = self.composer.style_refs(product) if isinstance(self.composer, DescriptionComposer) else []
        score_spec = spec.model_copy(update={
            "max_units": int(self.target_chars(spec.lang) * _SCORE_LENGTH), "unit": "chars",
            "extra": {**spec.extra, **({"style_refs": refs} if refs else {})}})
        best, alts, fixed = select(checked, checked_product, self.scorer, score_spec,
                                   n_alternatives=max(len(checked), self.n_alternatives))
        alts = self.per_generator(best, alts)
        config: dict[str, Any] = {"style": self.style, "audience": self.audience, "platform": self.platform.name,
                                  "generators": [getattr(g, "name", "?") for g in [self.composer,
                                                                                   *self.extra_generators]],
                                  "scorer": getattr(self.scorer, "name", "?"), "seed": self.seed}
        return Result(product_id=product.id, task="description", platform=self.platform.name, best=best,
                      alternatives=alts, fixed=fixed, config=config)


    def per_generator(self, best: Scored | None, ranked: list[Scored]) -> list[Scored]:
        """``n_alternatives`` alternatives in the selection's order, but each generator's best among them: a seller
        sees what the model proposed (and what the checks found in it) even when compose wrote three better."""
        if best is None:
            return []
        out = ranked[:self.n_alternatives]
        shown = {s.candidate.generator for s in [best, *out]}
        for s in ranked[self.n_alternatives:]:
            if s.candidate.generator not in shown and out:
                same = [i for i, o in enumerate(out) if o.candidate.generator == best.candidate.generator]
                if not same:
                    break
                out[same[-1]] = s
                shown.add(s.candidate.generator)
        return out


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
