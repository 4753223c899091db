"""A tiny Qwen2-architecture model and byte-level BPE tokenizer built from a config: no download, seconds to
build, random weights. Shared by the local Hugging Face backend and fine-tuning tests (fixture in conftest)."""

from __future__ import annotations

from pathlib import Path

CORPUS = ["缤肌发膜修复干枯营养补水顺滑 230g", "Sansui/山水U3无线话筒 KTV", '{"title": "标题"}',
          "<|im_start|>system\n写标题<|im_end|>\n<|im_start|>user\n<product_data>\n品牌: 缤肌\n</product_data>"]


def build_tiny_model(folder: Path) -> Path:
    import torch
    import transformers
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    tok.train_from_iterator(CORPUS * 20, trainers.BpeTrainer(
        vocab_size=400, special_tokens=specials, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    hf_tok = transformers.PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>",
                                                  pad_token="<|endoftext|>")
    hf_tok.save_pretrained(folder)
    config = transformers.Qwen2Config(vocab_size=hf_tok.vocab_size + 8, hidden_size=32, intermediate_size=64,
                                      num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                                      max_position_embeddings=4096, tie_word_embeddings=True,
                                      eos_token_id=hf_tok.eos_token_id, pad_token_id=hf_tok.pad_token_id)
    torch.manual_seed(0)
    transformers.Qwen2ForCausalLM(config).save_pretrained(folder)
    return folder
