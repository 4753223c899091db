"""Whether a word's claim agrees with what a product states: the one rule the checks and the generators share.

``contradiction(value, …)`` says why a known value (男士, 大容量, 蓝色) contradicts the product, ``FITS`` when a
stated value includes it (秋 for 秋冬), or None when the product states nothing either way.
"""

from __future__ import annotations

from functools import lru_cache

from ..product import Product
from .lexicon import Lexicon
from .types import CONTRADICTING, AttributeTypes, load_types


def product_typed(product: Product, types: AttributeTypes | None = None) -> dict[str, set[str]]:
    """The canonical values a product states per contradicting type ({"gender": {"女"}})."""
    return _typed(tuple(product.attributes), types or load_types())


@lru_cache(maxsize=4096)  # every candidate of a product is checked against the same attributes
def _typed(attributes: tuple[tuple[str, str], ...], types: AttributeTypes) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for k, v in attributes:
        t = types.type_of(k)
        if t in CONTRADICTING and not types.is_empty(v):
            found = types.canonicals_in(t, v)
            if found:
                out.setdefault(t, set()).update(found)
    return out


FITS = "fits"


def contradiction(value: str, product: Product, lexicon: Lexicon,
                  stated: dict[str, set[str]] | None = None, *, typed_only: bool = False) -> str | None:
    """Why ``value`` (lower case) contradicts the product; ``FITS`` when a stated value includes it (秋 for 秋冬);
    None when the product states nothing either way. ``stated``: ``product_typed(product)``, when known;
    ``typed_only``: by meaning only (gender, age group, season, size), not by any attribute's other values."""
    types = load_types()
    stated = product_typed(product, types) if stated is None else stated
    names = {k for k, _ in product.attributes}
    forms = [f for f in types.forms.get(value, ()) if stated.get(f.type)]
    if forms:
        if any(types.fits(f.type, h, f.canonical) for f in forms for h in stated[f.type]):
            return FITS
        f = forms[0]
        return f"{f.type} is {'/'.join(sorted(stated[f.type]))}"
    if typed_only:
        return None
    # a catalog value of an attribute this product states with another value (蓝色 when 颜色 is 红色)
    for name in sorted(lexicon.values.get(value, ())):
        if name.startswith("@") or name not in names:
            continue
        if types.type_of(name) in CONTRADICTING:
            continue  # decided above by canonical values, which know 秋冬 includes 秋
        return f"{name}={product.attribute(name)}"
    return None
