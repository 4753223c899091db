"""Product tags: attribute values with evidence spans, category, keywords, review opinions, image text.

Every learned part follows the scikit-learn contract (parameters stored by the constructor, ``fit``
returns ``self``, learned state ends in ``_``, ``NotFittedError`` before fitting) and the ``Tagger``
saves with a format version.
"""

from __future__ import annotations

from .base import ProductTags, Tag, TagFeedback, canonical_type, spans_from_attributes
from .category import CategoryClassifier
from .extractor import AttributeExtractor
from .keywords import KeywordExtractor
from .sentiment import OpinionTagger
from .tagger import Tagger

__all__ = ["AttributeExtractor", "CategoryClassifier", "KeywordExtractor", "OpinionTagger", "ProductTags",
           "Tag", "TagFeedback", "Tagger", "canonical_type", "spans_from_attributes"]
