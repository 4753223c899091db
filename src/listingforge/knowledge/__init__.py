"""What each word of a catalog claims, learned once and shared by the generators and the checks.

``CatalogKnowledge.fit(products)`` learns typed attribute values (gender, size, material, colour, season…),
the catalog's brands, the product words of each category, the words that claim nothing (新款, 百搭), the
segmenter's dictionary and a language model of the catalog's titles. Generators use it to say only what a
product's facts support; checks use it to find what a text claims that the facts do not.
"""

from .brands import BrandFinder, BrandMention
from .catalog import CatalogKnowledge, ProductFacts

__all__ = ["BrandFinder", "BrandMention", "CatalogKnowledge", "ProductFacts"]
