"""Image tags read by OCR (the vision extra): text printed on a picture becomes a tag."""

import pytest

pytest.importorskip("rapidocr_onnxruntime", reason="image tags need the vision extra: pip install 'listingforge[vision]'")


def test_printed_text_becomes_an_ocr_tag(tmp_path):
    from PIL import Image, ImageDraw, ImageFont

    from listingforge.tagging.image import ImageTagger

    img = tmp_path / "label.png"
    im = Image.new("RGB", (640, 200), "white")
    ImageDraw.Draw(im).text((20, 60), "SUNPATH 500ml", fill="black", font=ImageFont.load_default(size=64))
    im.save(img)
    tags = ImageTagger().predict_one(str(img))
    assert [(t.type, t.value, t.field) for t in tags] == [("ocr", "SUNPATH 500ml", "image")]
    assert 0.6 <= tags[0].confidence <= 1.0
    assert ImageTagger().predict_one(str(tmp_path / "missing.png")) == []
    assert ImageTagger().predict_one("https://example.com/a.png") == []  # never fetched: no network needed
