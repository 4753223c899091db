"""Image tags: the text printed on a product image, read by OCR (the ``vision`` extra).

What this can say: words on packaging and labels (brand, net content, claims printed on the box), each
with the OCR engine's confidence. What it cannot say: what the picture shows — no image-text model
(CLIP-like) ships in any installable package, so colour, style or object tags from pixels are not offered.
Only local files are read; URLs are skipped (the default path needs no network).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError
from .base import Tag


def ocr_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("rapidocr_onnxruntime") is not None


class ImageTagger:
    """``predict_one(path)`` → one ``ocr`` tag per text line read from the image."""

    def __init__(self, *, min_confidence: float = 0.6, min_chars: int = 2) -> None:
        self.min_confidence = min_confidence
        self.min_chars = min_chars

    def _engine(self):  # noqa: ANN202 - rapidocr has no types
        engine = getattr(self, "_ocr", None)
        if engine is None:
            try:
                from rapidocr_onnxruntime import RapidOCR
            except ImportError as exc:
                raise ConfigError("image tags need the vision extra: pip install 'listingforge[vision]' "
                                  "(rapidocr-onnxruntime)") from exc
            engine = self._ocr = RapidOCR()
        return engine

    def predict_one(self, image: str | None) -> list[Tag]:
        if not image or "://" in image or not Path(image).is_file():
            return []
        result, _elapsed = self._engine()(str(image))
        tags = []
        for _box, text, score in result or []:
            text = str(text).strip()
            if len(text) >= self.min_chars and float(score) >= self.min_confidence:
                tags.append(Tag(type="ocr", value=text, source="ocr", confidence=round(float(score), 4), field="image"))
        return tags
