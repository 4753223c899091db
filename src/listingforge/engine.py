"""The public entry point: ``Engine(platform="taobao").titles(products)`` → Results.

The engine learns from the products it is given (or from ``fit`` on a reference catalog), builds one
checker and task per platform, and runs the shared flow. The CLI and the HTTP service are shells over it.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from typing import Any

from .compliance import Checker, CopyIndex
from .compliance.suspicious import screen_product, with_input_findings
from .generate.base import Generator
from .generate.compose import ComposeGenerator
from .knowledge.catalog import CatalogKnowledge
from .platforms import load_platform
from .product import Product, Result
from .score.base import Scorer
from .score.rules import RuleScorer
from .tasks.titles import TitleTask


class Engine:
    """Titles (and, through the other tasks, descriptions and tags) for one or more marketplaces.

    platform: a name (``taobao``, ``jd``, ``amazon``…), a path to a rules TOML, or several of them.
    composer: a fitted ``ComposeGenerator``; when absent the engine fits one on the catalog it is given.
    scorer: any ``Scorer`` (a learned one from ``listingforge scorer train``); default: the rule score.
    generators: more generators whose candidates join compose's (e.g. the ``llm`` generator).
    keywords: search words, most valuable first; a (category, word) pair is for that category only.
    compose_candidates: False keeps compose as the fallback only (``--engine llm``).
    model_when_weak: ask the other generators only for products whose own best title scores below this (or
        still breaks a rule) — ``--engine auto``; None asks them for every product.
    style: with a language-model generator, score how much each candidate reads like the seller's own
        titles for the most similar products (see score/rules.py); False: the plain rule score.
    """

    def __init__(
        self,
        platform: str | Sequence[str] = "taobao",
        *,
        composer: ComposeGenerator | None = None,
        scorer: Scorer | None = None,
        generators: Iterable[Generator] = (),
        keywords: Sequence[str | tuple[str, str]] = (),
        n_candidates: int = 3,
        n_alternatives: int = 2,
        short: int | None = None,
        allow_terms: Sequence[str] = (),
        max_fit_products: int = 50_000,
        compose_candidates: bool = True,
        model_when_weak: float | None = None,
        style: bool = True,
        seed: int = 0,
    ) -> None:
        self.platforms = [platform] if isinstance(platform, str) else list(platform)
        self.composer = composer
        self.scorer = scorer or RuleScorer()
        self.generators = list(generators)
        self.keywords = list(keywords)
        self.n_candidates = n_candidates
        self.n_alternatives = n_alternatives
        self.short = short
        self.allow_terms = list(allow_terms)
        self.max_fit_products = max_fit_products
        self.compose_candidates = compose_candidates
        self.model_when_weak = model_when_weak
        self.style = style
        self.seed = seed
        self._tasks: dict[str, TitleTask] | None = None

    def fit(self, products: Iterable[Product]) -> Engine:
        """Learn the catalog's knowledge and the composer (a sample of the catalog past ``max_fit_products``)."""
        prods = [screen_product(p)[0] for p in products]  # input screen (issue 18): learn from facts only
        if len(prods) > self.max_fit_products:
            prods = random.Random(self.seed).sample(prods, self.max_fit_products)
        knowledge = CatalogKnowledge().fit(prods)  # shared by every generator and check
        self.composer = ComposeGenerator().fit(prods, knowledge=knowledge)
        return self.fit_generators(prods)

    def fit_generators(self, products: Iterable[Product]) -> Engine:
        """Index the catalog for the other generators (the LLM retrieves few-shot examples from it)."""
        prods = list(products)
        if len(prods) > self.max_fit_products:
            prods = random.Random(self.seed).sample(prods, self.max_fit_products)
        for g in self.generators:
            if hasattr(g, "fit"):
                g.fit(prods)
        self._tasks = None
        return self

    def _build(self) -> dict[str, TitleTask]:
        if self._tasks is None:
            assert self.composer is not None
            knowledge = self.composer.knowledge_
            self._tasks = {}
            for name in self.platforms:
                p = load_platform(name)
                checker = Checker(p, lexicon=knowledge.lexicon_, segmenter=knowledge.segmenter_,
                                  allow_terms=self.allow_terms)
                self._tasks[p.name] = TitleTask(
                    platform=p, composer=self.composer, checker=checker, scorer=self.scorer,
                    extra_generators=self.generators, keywords=self.keywords, n_candidates=self.n_candidates,
                    n_alternatives=self.n_alternatives, short_units=self.short, seed=self.seed,
                    compose_candidates=self.compose_candidates, model_when_weak=self.model_when_weak,
                    style_index=self._style_index())
        return self._tasks

    def prepare(self) -> Engine:
        """Build now what is otherwise built on first use (tasks, the segmenter's dictionary, the lexicon's
        automata, the checks' patterns). Call it before forking worker processes: they inherit it instead of each
        building it."""
        for task in self._build().values():
            task.checker.prepare()
        return self

    def _style_index(self):  # noqa: ANN202 - a FewShotIndex or None
        """With a language model, its few-shot index (the seller's titles for similar products) lets the
        score weigh style; compose alone keeps the plain rule score (and its speed)."""
        if not self.style:
            return None
        return next((g.index_ for g in self.generators if getattr(g, "index_", None) is not None), None)

    def titles(self, products: Iterable[Product]) -> list[Result]:
        """One title Result per product and platform (and a short_title Result when ``short`` is set)."""
        # input screen (issue 18): every task works on the products without their suspicious values
        screened = [screen_product(p) for p in products]
        prods = [p for p, _ in screened]
        if self.composer is None:
            self.fit(prods)
        tasks = self._build()
        if self.generators:
            for task in tasks.values():
                task.pregenerate(prods)
        out: list[Result] = []
        for p, suspicious in screened:
            for task in tasks.values():
                try:
                    out += [with_input_findings(r, suspicious) for r in task.run(p)]
                except Exception as exc:  # one bad product must not stop a catalog run; the row says why
                    out.append(Result(product_id=p.id, task="title", platform=task.platform.name,
                                      error=f"{type(exc).__name__}: {exc}"))
        return out

    def describe(self, products: Iterable[Product], *, style: str | None = None, audience: str | None = None,
                 competitors: Sequence[str] | CopyIndex | None = None) -> list[Result]:
        """One description Result per product and platform (grounded selling points and a paragraph).

        competitors: their descriptions (texts or a fitted ``CopyIndex``); a candidate that copies one gets a
        ``copy.competitor`` error, so it is never selected over a clean one.
        """
        from .generate.compose_description import DescriptionComposer
        from .tasks.describe import DescriptionTask

        screened = [screen_product(p) for p in products]  # input screen (issue 18)
        prods = [p for p, _ in screened]
        if self.composer is None:
            self.fit(prods)
        index = competitors
        if index is not None and not isinstance(index, CopyIndex):
            index = CopyIndex().fit(index)
        out: list[Result] = []
        composer = None
        for title_task in self._build().values():
            c = title_task.checker  # shared with titles: a copy with the index, not the index set on it
            checker = Checker(c.platform, lexicon=c.lexicon, segmenter=c.segmenter, allow_terms=c.allow_terms,
                              grounding=c.grounding, copy_index=index) if index is not None else c
            if composer is None:  # the seller's phrasing, learned once from these products' descriptions
                composer = DescriptionComposer().fit(prods, lexicon=c.lexicon)
            task = DescriptionTask(platform=title_task.platform, checker=checker, composer=composer,
                                   extra_generators=self.generators, style=style, audience=audience,
                                   seed=self.seed)
            out += [with_input_findings(task.run(q), f) for q, f in screened]
        return out

    def tags(self, products: Iterable[Product], **tagger_params: Any):  # noqa: ANN201
        """Typed tags with evidence spans per product, from a tagger fit on these products."""
        from .tasks.tags import tag_products

        # input screen (issue 18): tags come from the screened products only
        return tag_products([screen_product(p)[0] for p in products], **tagger_params)[0]

    def checker(self, platform: str) -> Checker:
        return self._build()[load_platform(platform).name].checker
