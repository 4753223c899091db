"""Titles: generate (no old title), optimize (an old title), shorten — one product, one platform.

Optimizing keeps what the old title says (minus banned terms, repeats and illegal characters), adds the
missing high-value attributes and search words, moves brand and product word to the front, and fits the
length. Shortening is extractive: it keeps pieces of the long title (brand, product word, key attributes)
and so cannot invent.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from ..compliance import Checker, fit_length
from ..errors import BackendError
from ..generate.base import Generator, Spec
from ..generate.compose import ComposeGenerator, Element
from ..platforms import Platform
from ..product import Candidate, Finding, Product, Result, Scored
from ..score.base import ScoreInput, Scorer
from ..text.length import text_length
from ..text.normalize import drop_noise, join_words, normalize_text
from .flow import check_candidates, select, word_diff

log = logging.getLogger(__name__)


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

    def keywords_for(self, product: Product) -> list[str]:
        cat = product.category or ""
        return [k if isinstance(k, str) else k[1] for k in self.keywords
                if isinstance(k, str) or (k[0] and k[0] in cat)]

    def spec_for(self, product: Product, els: list[Element], *, short: bool = False) -> Spec:
        lim = self.platform.limit("short_title" if short else "title")
        brand = next((e.text for e in els if e.kind == "brand"), None)
        key_attrs = [e.text for e in sorted(els, key=lambda e: -e.priority)
                     if e.kind == "attribute" and e.priority >= 0.6][:5]
        words = [e.text for e in els if e.kind == "product_word"][:3]
        extra: dict[str, Any] = {"brand": brand, "key_attributes": key_attrs, "product_words": words}
        if self.style_index is not None and not short:
            extra["style_refs"] = [a for _, a in self.style_index.query(product, "title", self.style_k)
                                   if isinstance(a, str)]
        return Spec(platform=self.platform.name, lang=product.lang or "zh",
                    max_units=(self.short_units or lim.max) if short else lim.max, unit=lim.unit,
                    keywords=self.keywords_for(product)[:10], seed=self.seed, extra=extra)

    # ------------------------------------------------------------------ candidates
    def optimize_candidates(self, product: Product, els: list[Element], spec: Spec) -> list[Candidate]:
        seg = self.checker.segmenter
        title = normalize_text(product.title or "")
        title = drop_noise(title, seg.spans(title))
        # the old title is checked against the attributes: what they contradict goes, the rest is kept
        old, cleaned, _left = self.checker.check_and_fix(title, product, max_units=10**6,
                                                         grounding_mode="contradiction")
        meta = {"cleaned": [f.model_dump() for f in cleaned]}  # fixes to the old title, for the audit
        old = drop_noise(old, seg.spans(old))  # a deletion can leave two equal words side by side
        low = old.lower()
        missing = [e for e in sorted(els, key=lambda e: -e.priority)
                   if e.kind != "brand" and e.text.lower() not in low and e.priority >= 0.6]
        out = [Candidate(text=fit_length(old, spec.max_units, spec.unit, seg), task="title",
                         generator="optimize@1", meta={"plan": "clean", **meta})]
        added = self._append_fitting(old, missing, spec)
        out.append(Candidate(text=added, task="title", generator="optimize@1", meta={"plan": "clean+add", **meta}))
        brand = next((e for e in els if e.kind == "brand"), None)
        word = next((e for e in els if e.kind == "product_word" and e.text.lower() in low), None)
        front = [e for e in (brand, word) if e is not None]
        rest = old
        for e in front:
            rest = re.sub(re.escape(e.text), " ", rest, count=1, flags=re.IGNORECASE)
        head = normalize_text(join_words([e.text for e in front] + [rest]))
        out.append(Candidate(text=self._append_fitting(head, [e for e in missing if e not in front], spec),
                             task="title", generator="optimize@1",
                             meta={"plan": "brand+product first, add", **meta}))
        return out

    def _append_fitting(self, base: str, extra: list[Element], spec: Spec) -> str:
        text = base
        for e in extra:
            trial = join_words([text, e.text])
            if text_length(trial, spec.unit) <= spec.max_units:
                text = trial
        return fit_length(text, spec.max_units, spec.unit, self.checker.segmenter)

    def pregenerate(self, products: list[Product]) -> None:
        """Ask generators that batch (``generate_many``: concurrent HTTP, batched local models) for every
        product of a chunk at once; ``run`` then uses these answers instead of one call per product."""
        self._ready: dict[tuple[int, str], list[Candidate] | BackendError] = {}
        for gi, g in enumerate(self.extra_generators):
            many = getattr(g, "generate_many", None)
            if many is None:
                continue
            reqs = [("title", p, self.n_candidates, self.spec_for(p, self.composer.elements(
                p, self.keywords_for(p)[:10]))) for p in products]
            for p, out in zip(products, many(reqs), strict=True):
                self._ready[(gi, p.id)] = out

    def _extra(self, gi: int, g: Generator, product: Product, spec: Spec) -> list[Candidate]:
        ready = getattr(self, "_ready", {}).pop((gi, product.id), None)
        if ready is None:
            return g.generate("title", product, self.n_candidates, spec)
        if isinstance(ready, BackendError):
            raise ready
        return ready

    def candidates(self, product: Product, els: list[Element], spec: Spec) -> list[Candidate]:
        extra: list[Candidate] = []
        failures = []
        for gi, g in enumerate(self.extra_generators):
            try:
                extra += self._extra(gi, g, product, spec)
            except BackendError as exc:  # the product still gets compose titles; the output says why
                log.warning("generator %s failed for %s: %s", getattr(g, "name", g), product.id, exc)
                failures.append(f"{getattr(g, 'name', g)}: {exc}")
        cands: list[Candidate] = []
        if self.compose_candidates or not extra:
            # an old title is optimized; a product without one gets composed titles
            if product.title:
                cands += self.optimize_candidates(product, els, spec)
            else:
                cands += self.composer.generate("title", product, self.n_candidates, spec)
        if failures:
            cands = [c.model_copy(update={"meta": {**c.meta, "fallback": "; ".join(failures)}}) for c in cands]
        return cands + extra

    # ------------------------------------------------------------------ shortening
    def shorten(self, product: Product, long_title: str, els: list[Element], spec: Spec) -> Candidate:
        """Pieces of the long title, most important first, kept in their order, within ``spec.max_units``."""
        pieces: list[tuple[int, int, float]] = []  # (start, end, priority)
        taken = [False] * len(long_title)
        rank = {"brand": 100.0, "product_word": 50.0}
        for e in sorted(els, key=lambda e: -(rank.get(e.kind, 0) + e.priority)):
            at = long_title.find(e.text)
            if at >= 0 and not any(taken[at:at + len(e.text)]):
                pieces.append((at, at + len(e.text), rank.get(e.kind, 0) + e.priority))
                for k in range(at, at + len(e.text)):
                    taken[k] = True
        scores = self.composer.word_scores(product)
        for tok, s, e in self.checker.segmenter.spans(long_title):
            # other words only when the catalog says they matter; a lone leftover character never
            if not any(taken[s:e]) and scores.get(tok.lower(), 0.0) > 0 and len(tok) >= 2:
                pieces.append((s, e, scores[tok.lower()]))
        chosen: list[tuple[int, int, float]] = []
        for p in sorted(pieces, key=lambda p: -p[2]):
            if any(long_title[p[0]:p[1]] == long_title[s:e] for s, e, _ in chosen):
                continue
            trial = join_words([long_title[s:e] for s, e, _ in sorted(chosen + [p])])
            if text_length(trial, spec.unit) <= spec.max_units:
                chosen.append(p)
        text = join_words([long_title[s:e] for s, e, _ in sorted(chosen)])
        return Candidate(text=text, task="short_title", generator="shorten@1", meta={"from": long_title})

    # ------------------------------------------------------------------ one product
    def run(self, product: Product) -> list[Result]:
        els = self.composer.elements(product, self.keywords_for(product)[:10])
        spec = self.spec_for(product, els)
        config = {"platform": self.platform.name, "scorer": self.scorer.name, "seed": self.seed,
                  "generators": ["compose@1"] + [getattr(g, "name", "?") for g in self.extra_generators]}
        checked = check_candidates(self.candidates(product, els, spec), product, self.checker, spec)
        best, alts, fixed = select(checked, product, self.scorer, spec, n_alternatives=self.n_alternatives)
        if best is not None:
            fixed = [Finding.model_validate(f) for f in best.candidate.meta.get("cleaned", [])] + fixed
        before = None
        changes = ""
        if product.title:
            old_findings = self.checker.check(product.title, product, max_units=spec.max_units)
            s = self.scorer.score([ScoreInput(product=product, text=product.title, findings=old_findings,
                                              spec=spec)])[0]
            before = Scored(candidate=Candidate(text=product.title, generator="input"), score=s,
                            findings=old_findings)
            if best is not None:
                changes = word_diff(product.title, best.candidate.text, self.checker.segmenter)
        results = [Result(product_id=product.id, task="title", platform=self.platform.name, best=best,
                          alternatives=alts, fixed=fixed, before=before, changes=changes, config=config)]
        if self.short_units and best is not None:
            sspec = self.spec_for(product, els, short=True)
            short = self.shorten(product, best.candidate.text, els, sspec)
            schecked = check_candidates([short], product, self.checker, sspec, field="short_title")
            sbest, _, sfixed = select(schecked, product, self.scorer, sspec, n_alternatives=0)
            results.append(Result(product_id=product.id, task="short_title", platform=self.platform.name,
                                  best=sbest, fixed=sfixed, config=config))
        return results
