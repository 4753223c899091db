"""Marketplace rules as data: one TOML file per marketplace in ``platforms/data``, each rule with its source.

No code path is specific to a marketplace; a new one is a new file (or ``load_platform(path)`` on your own).
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, Field

from ..errors import ConfigError


class FieldLimit(BaseModel):
    max: int
    min: int = 0
    unit: str = "chars"
    recommended: int | None = None
    source: str = ""


class RepeatRule(BaseModel):
    max: int = 2
    severity: str = "warning"
    exempt: list[str] = Field(default_factory=list)
    source: str = ""


class BulletRules(BaseModel):
    """What a marketplace allows in bullet points (Amazon's "key product features"): how many, how long, which
    characters, and claims that are not allowed in them. Bullets are checked as one text, one bullet a line."""

    max_count: int = 5
    max_chars: int = 250
    severity_format: str = "warning"  # count and length: the limits vary by category
    format_source: str = ""
    forbidden_chars: str = ""
    forbidden_chars_source: str = ""
    # case-insensitive regexes for claims not allowed in a bullet (environmental, antimicrobial, refund guarantees…)
    patterns: list[str] = Field(default_factory=list)
    source: str = ""


class Platform(BaseModel):
    name: str
    display: str = ""
    lang: str = "any"
    laws: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    title: FieldLimit
    short_title: FieldLimit | None = None
    description: FieldLimit | None = None
    search_terms: FieldLimit | None = None
    repeats: RepeatRule = Field(default_factory=RepeatRule)
    forbidden_chars: str = ""
    forbidden_chars_source: str = ""
    all_caps: bool = False
    all_caps_source: str = ""
    promo_phrases: list[str] = Field(default_factory=list)
    # regexes (case-insensitive) for promotional claims of a kind: guarantees, price claims, calls to action,
    # badges the marketplace awards ("Amazon's Choice"), free offers
    promo_patterns: list[str] = Field(default_factory=list)
    promo_source: str = ""
    # platforms whose promotional phrases and patterns apply here too (a Shopify store's titles go to Google Shopping)
    promo_include: list[str] = Field(default_factory=list)
    # the fields the promotional rules read: titles everywhere; Google bars promotional text from descriptions and
    # product highlights too
    promo_fields: list[str] = Field(default_factory=lambda: ["title", "short_title"])
    bullets: BulletRules | None = None

    def limit(self, field: str) -> FieldLimit:
        """The limit for ``title`` / ``short_title`` / ``description`` / ``search_terms``."""
        lim = getattr(self, field, None)
        if lim is None:
            if field == "short_title":
                return self.title
            raise ConfigError(f"platform {self.name!r} has no limit for field {field!r}")
        return lim


def _data_dir():
    return resources.files(__package__) / "data"


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    """name or alias → file name."""
    out: dict[str, str] = {}
    for entry in _data_dir().iterdir():
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        for key in [data["name"], *data.get("aliases", [])]:
            out[key.lower()] = entry.name
    return out


def available_platforms() -> list[str]:
    return sorted({name.removesuffix(".toml") for name in _index().values()})


@lru_cache(maxsize=64)
def load_platform(name_or_path: str) -> Platform:
    """A platform by name (``taobao``, ``tmall``, ``amazon``…) or by the path of your own TOML file."""
    return _load(name_or_path, frozenset())


def _load(name_or_path: str, including: frozenset[str]) -> Platform:
    """``including``: the platforms whose includes are being read; an include of one of them is a circle."""
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        file = _index().get(name_or_path.lower())
        if file is None:
            raise ConfigError(
                f"unknown platform {name_or_path!r}; known: {', '.join(available_platforms())} "
                "(or give the path of a .toml rules file)"
            )
        text = (_data_dir() / file).read_text(encoding="utf-8")
    try:
        platform = Platform.model_validate(tomllib.loads(text))
    except Exception as exc:  # a malformed user rules file
        raise ConfigError(f"platform rules {name_or_path!r} are invalid: {exc}") from exc
    if platform.promo_include:
        if platform.name in including:
            raise ConfigError(f"platform rules {name_or_path!r}: promo_include goes round in a circle through "
                              f"{platform.name!r}")
        for other in platform.promo_include:
            included = _load(other, including | {platform.name})
            platform.promo_phrases += [x for x in included.promo_phrases if x not in platform.promo_phrases]
            platform.promo_patterns += [x for x in included.promo_patterns if x not in platform.promo_patterns]
    return platform
