"""The ``input.suspicious`` screen: catalog text is a fact only if it looks like one.

An attribute value, brand or category is a few words; a title and a description are text a seller wrote.
Any of them that holds an instruction to a language model (in any of the languages of
``data/suspicious.toml``), a link, script or chat-template markup, or control characters is not used: the
screened product lacks it, so no generator can print it, and a finding names the field and the reason but
never repeats the text (the finding itself lands in output files). Facts also may not be long sentences
or carry HTML tags.

    product, findings = screen_product(product)     # what every task works on, and why values are missing
    screen_text(text, field="image")                 # one text (e.g. read from an image by OCR)
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..errors import ConfigError
from ..product import Finding, Product, Result

RULE = "input.suspicious"
# C0/C1 controls other than tab and line breaks, and bidirectional overrides: they hide or reorder text in
# what a reviewer sees. Zero-width spaces and direction marks are common paste debris in real listings (the
# Amazon India data has them), so they are not findings, but they are removed before the patterns look.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
_SENTENCE_END = re.compile(r"[。！？!?；;]|\.\s+\S")
_FACT_FIELDS = ("attribute", "brand", "category")  # short facts: length and any markup count too


@dataclass(frozen=True)
class _Rules:
    instructions: re.Pattern[str]
    script: re.Pattern[str]
    markup: re.Pattern[str]
    links: re.Pattern[str]
    domains: re.Pattern[str]  # matched against the text as written
    max_chars: int
    max_words: int


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    data = tomllib.loads((resources.files(__package__) / "data" / "suspicious.toml").read_text(encoding="utf-8"))

    def compiled(key: str) -> re.Pattern[str]:
        patterns = [p for block in data[key] for p in block["patterns"]]
        upper = [p for p in patterns if p != p.lower()]
        if upper:  # they are matched against lower-cased text
            raise ConfigError(f"suspicious.toml: write patterns in lower case: {upper}")
        # case-sensitive on lower-cased text: Python's engine finds literal words much faster than with IGNORECASE
        return re.compile("|".join(f"(?:{p})" for p in patterns))

    return _Rules(compiled("instructions"), compiled("script"), compiled("markup"), compiled("links"),
                  compiled("domains"), data["limits"]["max_value_chars"], data["limits"]["max_value_words"])


def why_suspicious(text: str, *, fact: bool = False) -> str | None:
    """Why ``text`` is not to be used (a few plain words), or None. ``fact``: an attribute value, brand or
    category, held to a fact's shape (no long sentences, no tags at all)."""
    if not text:
        return None
    return _why(text, fact)


# A catalog repeats its attribute values (否, 男女通用, 纯棉…) thousands of times: each is screened once.
@lru_cache(maxsize=1 << 16)
def _why(text: str, fact: bool) -> str | None:
    r = _rules()
    if _CONTROL.search(text):
        return "holds control or invisible characters"
    # full-width letters and letters split by invisible characters read as the instruction they spell
    written = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    folded = written.lower()
    if r.instructions.search(folded):
        return "reads as an instruction to a language model"
    if r.script.search(folded):
        return "holds script or chat-template markup"
    if r.links.search(folded) or r.domains.search(written):
        return "holds a link"
    if fact:
        if r.markup.search(folded):
            return "holds HTML markup"
        if _too_long(folded, r) and _SENTENCE_END.search(folded.rstrip("。.!！?？ ")):
            return "is a sentence, not a fact"
    return None


def _too_long(text: str, r: _Rules) -> bool:
    return len(text) > r.max_chars or len(text.split()) > r.max_words


def screen_text(text: str | None, *, field: str, fact: bool = False, name: str | None = None) -> list[Finding]:
    """One ``input.suspicious`` finding for ``text`` (or none). ``name``: the attribute's name, if any."""
    why = why_suspicious(text or "", fact=fact)
    if why is None:
        return []
    what = f"{field} {name!r}" if name else field
    return [_finding(field, f"{why}: not used (check the input)", what)]


def _finding(field: str, message: str, what: str | None = None) -> Finding:
    return Finding(rule=RULE, severity="warning", field=field, text="", message=f"{what or field} {message}",
                   basis="listingforge input screen (compliance/data/suspicious.toml)")


def screen_product(product: Product) -> tuple[Product, list[Finding]]:
    """The product without its suspicious values, and one finding per value taken out."""
    findings: list[Finding] = []
    update: dict[str, object] = {}
    for field in ("title", "description"):
        text = getattr(product, field)
        if text and _CONTROL.search(text):
            # a seller's own text keeps its words: stray control characters (paste debris, a direction override)
            # are removed rather than the whole title lost; a fact with them is dropped below
            text = update[field] = _CONTROL.sub("", text) or None
            findings.append(_finding(field, "held control or invisible characters: removed"))
        found = screen_text(text, field=field)
        if found:
            update[field] = None
            findings += found
    for field in ("brand", "category"):
        found = screen_text(getattr(product, field), field=field, fact=True)
        if found:
            update[field] = None
            findings += found
    kept = []
    for name, value in product.attributes:
        found = screen_text(value, field="attribute", fact=True, name=name) or \
            screen_text(name, field="attribute name", fact=True)
        findings += found
        if not found:
            kept.append((name, value))
    if len(kept) != len(product.attributes):
        update["attributes"] = kept
    if not update:
        return product, []
    return product.model_copy(update=update), findings


def with_input_findings(result: Result, findings: list[Finding]) -> Result:
    """``result`` with the screen's findings among the best candidate's findings (so they show in the
    ``findings`` column), or among ``fixed`` when there is no candidate."""
    if not findings:
        return result
    if result.best is not None:
        best = result.best.model_copy(update={"findings": [*result.best.findings, *findings]})
        return result.model_copy(update={"best": best})
    return result.model_copy(update={"fixed": [*result.fixed, *findings]})
