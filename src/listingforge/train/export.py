"""Merge a LoRA adapter into its base and export: a safetensors model folder, and a GGUF for llama.cpp.

GGUF: the ``gguf`` package ships the writer, the tensor-name map and the vocabulary readers, but not
llama.cpp's ``convert_hf_to_gguf.py``; for the Qwen2 architecture the conversion is small enough to
do here (the same metadata keys and tensor names as that script's Qwen2 path, BPE "gpt2" vocabulary
with the "qwen2" pre-tokenizer). Weights are written as F16 (1-D tensors F32); ``quantize_gguf`` then
writes a smaller file through llama.cpp's own quantizer (the ``llm`` extra's binding), which on a CPU is
the difference that counts: a 0.5B model reads ~1 GB of F16 weights per token, ~0.4 GB at Q4_K_M.
Other architectures raise ``ConfigError`` rather than writing a file llama.cpp might misread.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from ..errors import ConfigError, ModelAssetError

GGUF_ARCHITECTURES = {"qwen2": "QWEN2"}
# llama.cpp's file types by the names its llama-quantize tool takes (llama.h, enum llama_ftype)
QUANT_TYPES = {"Q8_0": 7, "Q4_K_M": 15, "Q5_K_M": 17, "Q6_K": 18}


def quant_type(kind: str) -> int:
    """llama.cpp's file type for a ``QUANT_TYPES`` name; ConfigError naming the choices for any other."""
    if kind not in QUANT_TYPES:
        raise ConfigError(f"quantize type {kind!r}: one of {', '.join(QUANT_TYPES)}")
    return QUANT_TYPES[kind]


def merge_and_export(base: str, adapter: str | Path, output: str | Path, *, gguf: bool = False,
                     quantize: str | None = None) -> list[Path]:
    """Base + adapter merged into ``output`` (config, tokenizer, model.safetensors); ``gguf=True`` adds
    ``output/model-f16.gguf`` and ``quantize`` (a ``QUANT_TYPES`` name) ``output/model-<type>.gguf`` from it.
    Returns the written model files."""
    if quantize is not None:
        quant_type(quantize)  # before the merge, not after it
    if quantize is not None and not gguf:
        raise ConfigError("quantizing needs the GGUF export (gguf=True)")
    import torch

    from .finetune import load_base

    try:
        from peft import PeftModel
    except ImportError as exc:
        raise ConfigError("merging an adapter needs peft: pip install 'listingforge[hf]'") from exc
    apath = Path(adapter)
    if not (apath / "adapter_config.json").is_file():
        raise ModelAssetError(f"{apath} is not a LoRA adapter folder (no adapter_config.json)")
    model, tok, _ = load_base(base, device="cpu", dtype=torch.float32)
    merged = PeftModel.from_pretrained(model, str(apath)).merge_and_unload()
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    merged.save_pretrained(out, safe_serialization=True)
    tok.save_pretrained(out)
    written = sorted(out.glob("*.safetensors"))
    if gguf:
        written.append(write_gguf(merged, out, out / "model-f16.gguf"))
    if quantize is not None:
        written.append(quantize_gguf(written[-1], out / f"model-{quantize.lower()}.gguf", quantize))
    return written


def quantize_gguf(source: str | Path, target: str | Path, kind: str = "Q4_K_M", *, threads: int = 0) -> Path:
    """llama.cpp's quantizer on a GGUF file (``kind`` from ``QUANT_TYPES``); ``threads`` 0: all cores.
    Tensors whose shape the kind cannot hold are written in the nearest type that can (llama.cpp's rule)."""
    ftype = quant_type(kind)
    try:
        import llama_cpp
    except ImportError as exc:
        raise ConfigError("quantizing a GGUF needs llama.cpp's binding: pip install 'listingforge[llm]'") from exc
    try:  # the quantizer logs a line per tensor; llama-cpp-python's own quiet mode (pinned version) hides them
        from llama_cpp._utils import suppress_stdout_stderr

        quiet: Any = suppress_stdout_stderr(disable=False)
    except ImportError:
        quiet = contextlib.nullcontext()
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype, params.nthread = ftype, threads
    with quiet:
        failed = llama_cpp.llama_model_quantize(str(source).encode(), str(target).encode(), params) != 0
    if failed:
        raise ModelAssetError(f"llama.cpp could not quantize {source} to {kind}")
    return Path(target)


def _rope_theta(config: Any) -> float:
    theta = getattr(config, "rope_theta", None)
    params = getattr(config, "rope_parameters", None) or {}
    return float(theta if theta is not None else params.get("rope_theta", 10000.0))


def _tokens(tok: Any, vocab_size: int, gguf: Any) -> tuple[list[str], list[int]]:
    """Token strings and types in id order, as convert_hf_to_gguf's BPE path lists them."""
    reverse = {i: t for t, i in tok.get_vocab().items()}
    added = tok.get_added_vocab()
    decoder = tok.added_tokens_decoder
    tokens, types = [], []
    for i in range(vocab_size):
        if i not in reverse:
            tokens.append(f"[PAD{i}]")
            types.append(gguf.TokenType.UNUSED)
            continue
        t = reverse[i]
        tokens.append(t)
        if t in added:
            types.append(gguf.TokenType.CONTROL if decoder[i].special else gguf.TokenType.USER_DEFINED)
        else:
            types.append(gguf.TokenType.NORMAL)
    return tokens, types


def write_gguf(model: Any, tokenizer_dir: str | Path, path: str | Path) -> Path:
    """A merged Qwen2 model (in memory) and its saved tokenizer folder → one F16 GGUF file."""
    try:
        import gguf
        import transformers
    except ImportError as exc:
        raise ConfigError("GGUF export needs the gguf package: pip install 'listingforge[hf]'") from exc
    cfg = model.config
    arch = GGUF_ARCHITECTURES.get(cfg.model_type)
    if arch is None:
        raise ConfigError(f"GGUF export supports {sorted(GGUF_ARCHITECTURES)}, not {cfg.model_type!r}: convert the "
                          "merged safetensors folder with llama.cpp's convert_hf_to_gguf.py instead")
    tok = transformers.AutoTokenizer.from_pretrained(str(tokenizer_dir))
    n_blocks = cfg.num_hidden_layers
    w = gguf.GGUFWriter(str(path), gguf.MODEL_ARCH_NAMES[gguf.MODEL_ARCH[arch]])
    w.add_name(Path(str(getattr(cfg, "_name_or_path", "") or "listingforge")).name or "listingforge")
    w.add_context_length(cfg.max_position_embeddings)
    w.add_embedding_length(cfg.hidden_size)
    w.add_feed_forward_length(cfg.intermediate_size)
    w.add_block_count(n_blocks)
    w.add_head_count(cfg.num_attention_heads)
    w.add_head_count_kv(cfg.num_key_value_heads)
    w.add_rope_freq_base(_rope_theta(cfg))
    w.add_layer_norm_rms_eps(cfg.rms_norm_eps)
    w.add_file_type(gguf.LlamaFileType.MOSTLY_F16)
    tokens, types = _tokens(tok, cfg.vocab_size, gguf)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("qwen2")
    w.add_token_list(tokens)
    w.add_token_types(types)
    gguf.SpecialVocab(Path(tokenizer_dir), load_merges=True, n_vocab=len(tokens)).add_to_gguf(w, quiet=True)

    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH[arch], n_blocks)
    for name, tensor in model.state_dict().items():
        if name == "lm_head.weight" and cfg.tie_word_embeddings:
            continue  # llama.cpp reuses token_embd for the output when output.weight is absent
        new = names.get_name(name, try_suffixes=(".weight", ".bias"))
        if new is None:
            raise ConfigError(f"GGUF export: no GGUF name for tensor {name!r}")
        data = tensor.detach().float().cpu().numpy()
        w.add_tensor(new, data.astype("float16") if data.ndim > 1 else data.astype("float32"))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return Path(path)
