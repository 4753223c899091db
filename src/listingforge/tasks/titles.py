"""Titles for one product on one platform: generate (no title), optimize (the seller's title), shorten.

The product's facts are worked out once (``CatalogKnowledge.facts``) and handed to every step.

Optimize: the seller's title gets its mandatory fixes first (law, marketplace rules, what the facts contradict;
a fix that would leave a fragment is not applied and its finding is reported instead). That title is a candidate
itself; the optimize generator and any language model propose rewrites, each a list of edits with evidence. A
rewrite replaces the seller's title only when it is better by a clear margin (score/rewrite.py): unchanged is a
valid, often the best, answer, and the reasons say why.
Generate: compose (and any language model) write titles from the facts alone. Shorten is extractive.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any

from ..compliance import Checker
from ..compliance.evidence import check_evidence
from ..errors import BackendError
from ..generate.base import Generator, Spec
from ..generate.compose import ComposeGenerator
from ..generate.optimize import OptimizeGenerator
from ..generate.shorten import ShortenGenerator
from ..knowledge.brands import split_forms
from ..knowledge.catalog import CatalogKnowledge, ProductFacts, source_text
from ..knowledge.types import load_types
from ..platforms import Platform
from ..product import Candidate, Edit, Finding, Product, Result, Scored
from ..score.base import ScoreInput, Scorer
from ..score.rewrite import rewrite_gain
from ..text.normalize import drop_noise, normalize_spaces
from .edits import edits_between
from .flow import check_candidates, pick_alternatives, score_candidates, select

log = logging.getLogger(__name__)


def evidence_source(product: Product) -> str:
    """What the product's own data says, as evidence for a word a model adds: the category is metadata, not
    evidence (an empty one must not be "removed": ``str.replace("", " ")`` would space out every character)."""
    text = source_text(product)
    return text.replace(product.category.lower(), " ") if product.category else text


def _brand_words(product: Product) -> frozenset[str]:
    """The words the product's brand itself says twice in a row ("go go tales"): there the repeat is the name,
    where "自然堂自然堂" is a stutter."""
    out: set[str] = set()
    for form in split_forms(product.brand or ""):
        words = form.lower().split()
        out |= {a for a, b in zip(words, words[1:], strict=False) if a == b}
    return frozenset(out)


@dataclass
class TitleTask:
    platform: Platform
    composer: ComposeGenerator
    checker: Checker
    scorer: Scorer
    extra_generators: list[Generator] = field(default_factory=list)
    # search words, most valuable first; a (category, word) pair applies to that category only
    keywords: list[str | tuple[str, str]] = field(default_factory=list)
    n_candidates: int = 3
    n_alternatives: int = 2
    short_units: int | None = None
    seed: int = 0
    compose_candidates: bool = True  # False: compose only when the other generators give nothing
    # the seller's titles for similar products (a fitted FewShotIndex), so the score can prefer what reads
    # like them; None: the rule score alone
    style_index: Any = None
    style_k: int = 3
    margin: float = 0.5  # the rewrite gain a rewrite needs to replace the seller's title
    # with other generators (a language model): None asks them for every product; a score asks them only for
    # products whose own best title is weak — below this score, or still breaking a rule (``--engine auto``)
    model_when_weak: float | None = None

    def __post_init__(self) -> None:
        self.optimizer = OptimizeGenerator(self.composer)
        self.shortener = ShortenGenerator(self.composer)

    @property
    def knowledge(self) -> CatalogKnowledge:
        return self.composer.knowledge_

    def keywords_for(self, product: Product) -> list[str]:
        cat = product.category or ""
        return [k if isinstance(k, str) else k[1] for k in self.keywords
                if isinstance(k, str) or (k[0] and k[0] in cat)]

    def _product_words(self, facts: ProductFacts) -> list[str]:
        """The product's words as its data give them, as titles write them ("Sweaters" → "Sweater") and as the
        known kinds they end with (毛呢外套 → 外套): a title naming any of them names the product."""
        words = [w for w, _ in facts.product_words][:3]
        forms = [self.composer.product_word_text(w, facts.lang or "zh") for w in words]
        heads = [h for w in words for h in self.knowledge.product_words_.kinds(w.lower())]
        return list(dict.fromkeys([*words, *forms, *heads]))

    def spec_for(self, product: Product, facts: ProductFacts, *, short: bool = False) -> Spec:
        lim = self.platform.limit("short_title" if short else "title")
        els = self.composer.elements(facts)
        key_attrs = [e.text for e in els if e.kind == "attribute" and e.priority >= 1.2][:5]
        cat = product.category or ""
        scoped = [k[1] for k in self.keywords if not isinstance(k, str) and k[0] and k[0] in cat]
        extra: dict[str, Any] = {"field": "short_title" if short else "title",
                                 "facts": facts, "brand": facts.brand_text, "key_attributes": key_attrs,
                                 "product_words": self._product_words(facts), "lm": self.knowledge.lm_,
                                 "scoped_keywords": scoped}
        if self.style_index is not None and not short:
            extra["style_refs"] = [a for _, a in self.style_index.query(product, "title", self.style_k)
                                   if isinstance(a, str)]
        return Spec(platform=self.platform.name, lang=facts.lang or "zh",
                    max_units=(self.short_units or lim.max) if short else lim.max, unit=lim.unit,
                    keywords=self.keywords_for(product)[:10], seed=self.seed, extra=extra)

    # ------------------------------------------------------------------ other generators
    def pregenerate(self, products: list[Product]) -> None:
        """Ask generators that batch (``generate_many``: concurrent HTTP, batched local models) for every
        product of a chunk at once; ``run`` then uses these answers instead of one call per product."""
        self._ready: dict[tuple[int, str], list[Candidate] | BackendError] = {}
        if self.model_when_weak is not None:
            products = [p for p in products if self.is_weak(p)]
        for gi, g in enumerate(self.extra_generators):
            many = getattr(g, "generate_many", None)
            if many is None or not products:
                continue
            reqs = [("title", p, self.n_candidates, self.spec_for(p, self.knowledge.facts(p))) for p in products]
            for p, out in zip(products, many(reqs), strict=True):
                self._ready[(gi, p.id)] = out

    def is_weak(self, product: Product) -> bool:
        """Whether the product's own best title (composed, or the seller's with its fixes) is weak: by the plain
        rule score (no model, no style references) below ``model_when_weak``, or still breaking a rule. Worked
        out once per product."""
        memo = self.__dict__.setdefault("_weak", {})
        if product.id not in memo:
            if len(memo) > 10_000:
                memo.clear()
            plain = self.__dict__.get("_plain")
            if plain is None:
                plain = self._plain = replace(self, extra_generators=[], style_index=None, model_when_weak=None)
            best = plain.run(product)[0].best
            memo[product.id] = best is None or best.score.value < (self.model_when_weak or 0) or any(
                f.severity == "error" for f in best.findings)
        return memo[product.id]

    def _from_other_generators(self, product: Product, spec: Spec) -> tuple[list[Candidate], list[str]]:
        out: list[Candidate] = []
        failures = []
        if not self.extra_generators or (self.model_when_weak is not None and not self.is_weak(product)):
            return out, failures
        for gi, g in enumerate(self.extra_generators):
            try:
                ready = getattr(self, "_ready", {}).pop((gi, product.id), None)
                if isinstance(ready, BackendError):
                    raise ready
                out += ready if ready is not None else g.generate("title", product, self.n_candidates, spec)
            except BackendError as exc:  # the product still gets compose titles; the output says why
                log.warning("generator %s failed for %s: %s", getattr(g, "name", g), product.id, exc)
                failures.append(f"{getattr(g, 'name', g)}: {exc}")
        names = _brand_words(product)
        return [self._said_once(c, names) for c in out], failures

    def _said_once(self, candidate: Candidate, names: frozenset[str]) -> Candidate:
        """A model's title with a word said twice in a row said once ("直筒直筒" → "直筒"), as the seller's own title
        is cleaned before it is optimized: the repeat rule only reports it, having no phrase to cut. A word the
        brand itself says twice may repeat ("go go tales")."""
        spans = self.checker.segmenter.spans(candidate.text)
        text = drop_noise(candidate.text, spans, keep=names)
        if text == candidate.text or not text:
            return candidate
        return candidate.model_copy(update={"text": text, "meta": {**candidate.meta, "cleaned": "said twice in a row"}})

    # ------------------------------------------------------------------ one product
    def run(self, product: Product) -> list[Result]:
        facts = self.knowledge.facts(product)  # the per-product cache: every step below reads it
        spec = self.spec_for(product, facts)
        config = {"platform": self.platform.name, "scorer": self.scorer.name, "seed": self.seed,
                  "generators": ["compose@2", "optimize@2"] + [getattr(g, "name", "?") for g in self.extra_generators]}
        result = self._optimize(product, facts, spec) if product.title else self._generate(product, spec)
        result.config = config
        results = [result]
        if self.short_units and result.best is not None:
            sspec = self.spec_for(product, facts, short=True)
            sspec.extra["long"] = result.best.candidate.text
            short = self.shortener.generate("short_title", product, 1, sspec)
            schecked = check_candidates(short, product, self.checker, sspec, field="short_title")
            sbest, _, sfixed = select(schecked, product, self.scorer, sspec, n_alternatives=0)
            results.append(Result(product_id=product.id, task="short_title", platform=self.platform.name,
                                  best=sbest, fixed=sfixed, config=config))
        return results

    def _generate(self, product: Product, spec: Spec) -> Result:
        extra, failures = self._from_other_generators(product, spec)
        cands: list[Candidate] = []
        if self.compose_candidates or not extra:
            cands = self.composer.generate("title", product, self.n_candidates, spec)
            if failures:
                cands = [c.model_copy(update={"meta": {**c.meta, "fallback": "; ".join(failures)}}) for c in cands]
        checked = check_candidates(cands + extra, product, self.checker, spec)
        if extra:
            checked = self._model_words_evidenced(checked, product, spec)
        if extra and not cands and all(any(f.severity == "error" for f in left) for _c, _f, left in checked):
            # every model title still says what the facts do not (a product word from its examples, a
            # contradiction) and no fix can take it out safely: the facts' own title is the fallback
            why = "; ".join(sorted({f.short() for _c, _f, left in checked for f in left if f.severity == "error"}))
            why = f"model titles kept an error: {why}" if why else "nothing of the model titles was left by the fixes"
            cands = [c.model_copy(update={"meta": {**c.meta, "fallback": why}})
                     for c in self.composer.generate("title", product, self.n_candidates, spec)]
            checked += check_candidates(cands, product, self.checker, spec)
        best, alts, fixed = select(checked, product, self.scorer, spec, n_alternatives=self.n_alternatives)
        return Result(product_id=product.id, task="title", platform=self.platform.name, best=best,
                      alternatives=alts, fixed=fixed, changes="generated" if best else "")

    def _model_words_evidenced(self, checked: list[tuple[Candidate, list[Finding], list[Finding]]], product: Product,
                               spec: Spec) -> list[tuple[Candidate, list[Finding], list[Finding]]]:
        """No evidence, no word, for a model's title too: a word found nowhere in the product's data (what it copied
        from its examples: "外贸出口原单清仓", another product's brand, "显瘦") is an ``edit.no_evidence`` error, so the
        title loses to one that says only facts. Cutting such words out leaves fragments ("欧式 1 小"), so none is
        cut. Compose writes only facts and is not checked again."""
        seg = self.checker.segmenter
        source = " | ".join([evidence_source(product), *spec.extra.get("product_words", ())]).lower()
        allow = load_types().claim_free
        return [(c, fixed, left if c.generator.startswith("compose") else
                 left + check_evidence("", c.text, source, seg, keywords=spec.keywords, allow=allow))
                for c, fixed, left in checked]

    def _optimize(self, product: Product, facts: ProductFacts, spec: Spec) -> Result:
        seg = self.checker.segmenter
        original, kws = product.title or "", spec.keywords
        base, fixed, base_edits = self._mandatory_fixes(product, facts, spec)
        keep = Candidate(text=base, generator="optimize@2", edits=base_edits,
                         meta={"plan": "your title" + (" with the required fixes" if base_edits else ""),
                               "keep": True})
        bspec = spec.model_copy(update={"extra": {**spec.extra, "base": base}})
        rewrites = [c.model_copy(update={"edits": base_edits + c.edits})
                    for c in self.optimizer.generate("title", product, self.n_candidates, bspec)]
        extra, failures = self._from_other_generators(product, bspec)
        rewrites += [c.model_copy(update={"edits": edits_between(original, c.text, seg, facts=facts, keywords=kws)})
                     for c in extra]
        checked = check_candidates([keep, *rewrites], product, self.checker, spec)
        # what a language model adds needs evidence too; the optimize generator adds only facts
        evidence_src = evidence_source(product)
        checked = [(c, fx, left if c.generator == "optimize@2" else
                    left + check_evidence(original, c.text, evidence_src, seg, keywords=kws))
                   for c, fx, left in checked]
        scored = [s for s, _ in score_candidates(checked, product, self.scorer, spec)]
        best, decision = self._decide(scored, base, len(base_edits))
        alts = pick_alternatives(best, [s for s in scored if s is not best], self.n_alternatives) if best else []
        if best is not None:
            meta = {**best.candidate.meta, **({"decision": decision} if decision else {}),
                    **({"fallback": "; ".join(failures)} if failures else {})}
            best = best.model_copy(update={"candidate": best.candidate.model_copy(update={"meta": meta})})
        old_findings = self.checker.check(original, product, max_units=spec.max_units, grounding_mode="contradiction")
        s = self.scorer.score([ScoreInput(product=product, text=original, findings=old_findings, spec=spec)])[0]
        before = Scored(candidate=Candidate(text=original, generator="input"), score=s, findings=old_findings)
        changes = "; ".join(e.short() for e in best.candidate.edits) if best is not None else ""
        return Result(product_id=product.id, task="title", platform=self.platform.name, best=best,
                      alternatives=alts, fixed=fixed if best is not None else [], before=before, changes=changes)

    def _mandatory_fixes(self, product: Product, facts: ProductFacts, spec: Spec,
                         ) -> tuple[str, list[Finding], list[Edit]]:
        """The seller's title with what must change changed: law and rule errors, what the product's data
        contradicts, a word said twice in a row. Returns (title, findings fixed, the edits with their evidence)."""
        seg = self.checker.segmenter
        spaced = normalize_spaces(product.title or "")
        names = _brand_words(product)
        title = drop_noise(spaced, seg.spans(spaced), names)  # a word said twice in a row, shouting punctuation
        noise = [e.model_copy(update={"reason": "said twice in a row" if e.old.strip() else "decoration",
                                      "evidence": "text.noise"}) for e in edits_between(spaced, title, seg)]
        # what the facts contradict goes, what they are silent on is the seller's to keep; warnings are reported
        base, fixed, _left = self.checker.check_and_fix(title, product, max_units=spec.max_units,
                                                        grounding_mode="contradiction", fix_warnings=False)
        base = drop_noise(base, seg.spans(base), names)  # a removal can leave one word twice in a row
        edits = noise + edits_between(title, base, seg, findings=fixed, facts=facts, keywords=spec.keywords)
        return base, fixed, edits

    def _decide(self, scored: list[Scored], base: str, n_base_edits: int) -> tuple[Scored | None, str]:
        """The best rewrite replaces the seller's title (with its fixes) only when it gains ``margin`` on the
        rewrite rubric and breaks no rule; the decision says which and why."""
        best = scored[0] if scored else None
        kept = next((s for s in scored if s.candidate.meta.get("keep")), None)
        if best is None or kept is None or best is kept:
            return best, ""
        own = best.candidate.edits[n_base_edits:] if best.candidate.generator == "optimize@2" \
            else best.candidate.edits
        gain = rewrite_gain(base, best.candidate.text, own, self.checker.segmenter, self.knowledge.lm_)
        if gain.value < self.margin or any(f.severity == "error" for f in best.findings):
            return kept, (f"kept your title: the best rewrite gains {gain.value:+.2f} ({gain.explain()}), "
                          f"below the {self.margin:+.2f} needed")
        return best, f"rewritten: gains {gain.value:+.2f} ({gain.explain()})"
