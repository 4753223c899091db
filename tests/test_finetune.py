"""Fine-tuning: pairs, the product-id split, and LoRA on a tiny Qwen2 built from a config (CPU, no download)."""

from __future__ import annotations

import json

import pytest

from listingforge.errors import CatalogError, ConfigError
from listingforge.product import Product
from listingforge.train import Split, build_pairs, read_pairs, split_by_product

BRANDS = [("缤肌", "发膜", "补水"), ("山水", "话筒", "无线"), ("欧莱雅", "洗发水", "控油"), ("小米", "充电宝", "快充")]


def catalog_products(n: int = 32) -> list[Product]:
    out = []
    for i in range(n):
        brand, word, benefit = BRANDS[i % len(BRANDS)]
        out.append(Product(id=f"p{i:03d}", lang="zh", brand=brand,
                           attributes=[("产品", word), ("功效", benefit), ("规格", f"{100 + i}g")],
                           title=f"{brand}{word}{benefit} {100 + i}g", description=f"{brand}{word}，{benefit}。",
                           tags=[brand, word]))
    return out


# ---------------------------------------------------------------- pairs and split (no torch)


def test_pairs_per_task_take_the_answer_out_of_the_input():
    p = catalog_products(1)[0]
    (title,) = build_pairs([p], "title").pairs
    assert title.output == p.title and title.product.title is None and title.product.attributes == p.attributes
    (desc,) = build_pairs([p], "description").pairs
    assert desc.output == p.description and desc.product.description is None and desc.product.title == p.title
    (tags,) = build_pairs([p], "tags").pairs
    assert tags.output == ["缤肌", "发膜"] and tags.product.tags == []
    short = build_pairs([p], "short_title", {p.id: "缤肌发膜"})
    assert short.pairs[0].output == "缤肌发膜" and short.pairs[0].product.title == p.title
    assert build_pairs([p], "short_title").skipped == {"no short title": 1}


def test_pairs_are_deduplicated_and_skips_are_counted():
    products = catalog_products(4)
    copy = products[0].model_copy(update={"id": "other-id"})  # same listing under another id
    bare = Product(id="bare", title="只有标题")
    out = build_pairs([*products, copy, bare], "title")
    assert len(out.pairs) == 4 and out.duplicates == 1
    assert out.skipped == {"no attributes": 1}
    with pytest.raises(ConfigError, match="unknown task"):
        build_pairs(products, "slogan")  # type: ignore[arg-type]


def test_split_is_by_product_without_leakage_and_recorded(tmp_path):
    products = catalog_products(30)
    pairs = build_pairs(products, "title").pairs
    # a second answer for some products: both must land on the same side
    pairs += build_pairs([p.model_copy(update={"title": p.title + " 新款"}) for p in products[:10]], "title").pairs
    split = split_by_product(pairs, validation=0.2, test=5, seed=7)
    parts = [set(split.train), set(split.validation), set(split.test)]
    assert not (parts[0] & parts[1] or parts[0] & parts[2] or parts[1] & parts[2])
    assert set().union(*parts) == {p.id for p in products}
    assert len(split.test) == 5 and len(split.validation) == 6
    for name in ("train", "validation", "test"):
        ids = {p.product_id for p in split.of(name, pairs)}
        assert ids == set(getattr(split, name))
    assert split == split_by_product(pairs, validation=0.2, test=5, seed=7)  # seeded
    assert split != split_by_product(pairs, validation=0.2, test=5, seed=8)
    split.save(tmp_path / "split.json")
    assert Split.load(tmp_path / "split.json") == split
    with pytest.raises(ConfigError, match="lower --test-size"):
        split_by_product(pairs, validation=15, test=15)


def test_read_pairs_takes_pair_rows_and_product_rows(tmp_path):
    f = tmp_path / "pairs.jsonl"
    rows = [{"product_id": "a", "input": {"brand": "缤肌", "attributes": [["产品", "发膜"]]}, "output": "缤肌发膜"},
            {"id": "b", "lang": "zh", "brand": "山水", "attributes": [["型号", "U3"]], "title": "山水U3话筒"},
            {"id": "c", "title": "没有属性"}]
    f.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    out = read_pairs(f, "title")
    assert [(p.product_id, p.output) for p in out.pairs] == [("a", "缤肌发膜"), ("b", "山水U3话筒")]
    assert out.skipped == {"no attributes": 1}
    f.write_text('{"input": {}, "output": "x"}\n', encoding="utf-8")
    with pytest.raises(CatalogError, match="row 1.*product_id"):
        read_pairs(f, "title")


def test_pairs_from_a_catalog_file(tmp_path):
    from listingforge.train import pairs_from_catalog

    csv = tmp_path / "catalog.csv"
    csv.write_text("货号,商品标题,品牌,短标题\nA1,缤肌补水发膜 230g,缤肌,缤肌发膜\nA2,山水U3无线话筒,山水,山水话筒\n",
                   encoding="utf-8")
    out = pairs_from_catalog(csv, "short_title")
    assert [(p.product_id, p.output) for p in out.pairs] == [("A1", "缤肌发膜"), ("A2", "山水话筒")]
    assert len(pairs_from_catalog(csv, "title").pairs) == 2


def test_a_title_is_trained_on_the_prompt_the_generator_sends_a_tuned_model(srv):
    """The compact format: the generator's own messages for a product when asked with no examples (a tuned model
    needs none), its facts line fit on the same catalog, and the title alone as the answer."""
    from listingforge.generate.backends.openai_compat import OpenAICompatBackend
    from listingforge.generate.llm import LLMGenerator
    from listingforge.train.data import PromptFormat, training_spec

    products = catalog_products(8)
    pairs = build_pairs(products, "title").pairs
    spec = training_spec("title")
    fmt = PromptFormat.compact_for(spec, pairs)
    backend = OpenAICompatBackend(base_url=srv.url, model="m", backoff=0.01, max_retries=1, timeout=5.0)
    LLMGenerator(backend=backend, fewshot="none").fit(products).generate("title", pairs[0].product, 1, spec)
    sent = [(m["role"], m["content"]) for m in srv.requests[0]["messages"]]
    assert sent == [(m.role, m.content) for m in fmt.messages(pairs[0])]
    assert len(sent) == 2 and sent[1][1].startswith("品牌:缤肌") and "发膜" in sent[1][1]
    assert fmt.answer(pairs[0]) == products[0].title  # plain text, no JSON wrapper
    full = PromptFormat(spec)
    assert full.answer(pairs[0]) == '{"title": "缤肌发膜补水 100g"}' and len(full.messages(pairs[0])[1].content) > 40
    (desc,) = build_pairs(products[:1], "description").pairs  # other tasks: the full prompt whatever the format
    assert fmt.messages(desc) == full.messages(desc) and fmt.answer(desc).startswith('{"description"')


# ---------------------------------------------------------------- training on the tiny model

# the pair and split tests above run without torch; everything below needs the hf extra
try:
    import peft  # noqa: F401
    import torch

except ImportError:
    torch = None

from listingforge.train import FinetuneConfig, finetune  # noqa: E402

needs_hf = pytest.mark.skipif(torch is None, reason="fine-tuning needs the hf extra: pip install 'listingforge[hf]'")

FAST = dict(batch_size=4, max_length=1536, val_size=4, test_size=4, threads=1, eval_max_tokens=12,
            lora_r=8, lora_alpha=16, lora_dropout=0.0, warmup_steps=0)


def cfg(model, **kw) -> FinetuneConfig:
    return FinetuneConfig(task="title", base=str(model), **{**FAST, **kw})


@pytest.fixture(scope="module")
def tiny_lm(tiny_model, tmp_path_factory):
    """The shared tiny Qwen2 re-initialized with larger weights: at the default init (std 0.02, 32 wide) its
    logits are nearly flat and a LoRA can barely move them, which would make "loss falls" a weak test."""
    import transformers

    folder = tmp_path_factory.mktemp("tiny-lm")
    config = transformers.AutoConfig.from_pretrained(tiny_model)
    config.initializer_range = 0.2
    torch.manual_seed(0)
    transformers.Qwen2ForCausalLM(config).save_pretrained(folder)
    transformers.AutoTokenizer.from_pretrained(tiny_model).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def trained(tiny_lm, tmp_path_factory):
    out = tmp_path_factory.mktemp("adapter")
    events: list[str] = []
    report = finetune(build_pairs(catalog_products(), "title"),
                      cfg(tiny_lm, learning_rate=3e-2, max_steps=12, eval_every=4, patience=0),
                      out, callback=lambda e, s: events.append(e), data_info={"file": "catalog.csv"})
    return report, out, events


@needs_hf
def test_loss_falls_and_the_run_is_reported(trained):
    report, out, events = trained
    losses = [h["loss"] for h in report.history if "loss" in h]
    vals = [h["val_loss"] for h in report.history if "val_loss" in h]
    assert len(losses) == 12 and sum(losses[-3:]) / 3 < sum(losses[:3]) / 3 - 1.0
    assert report.best_val_loss < vals[0] - 1.0  # vals[0]: the untrained model
    assert events[0] == "start" and events.count("step") == 12 and events[-1] == "end"
    assert report.tokens > 0 and report.tokens_per_s > 0 and 0 < report.trainable_params < report.total_params
    assert report.before is not None and report.after is not None and report.after.n == 4


@needs_hf
def test_adapter_split_and_model_card_are_written(trained):
    report, out, _ = trained
    assert (out / "adapter_config.json").is_file() and (out / "adapter_model.safetensors").is_file()
    split = Split.load(out / "split.json")
    assert split.counts() == report.split == {"train": 24, "validation": 4, "test": 4}
    card = (out / "README.md").read_text(encoding="utf-8")
    for needle in ("base_model:", str(report.config.base), "## Data", "catalog.csv", "split.json", "LoRA r=8",
                   "## Test set", "base model", "fine-tuned", "ROUGE-L", report.created[:10]):
        assert needle in card, needle
    saved = json.loads((out / "finetune.json").read_text(encoding="utf-8"))
    assert saved["config"]["lora_r"] == 8 and saved["after"]["n"] == 4


@needs_hf
def test_adapter_reloads_in_the_local_backend_and_changes_outputs(trained, tiny_lm):
    from listingforge.generate.backends.base import CompletionRequest, Decoding
    from listingforge.generate.backends.local_hf import LocalHFBackend
    from listingforge.train.data import prompt_messages, training_spec

    _, out, _ = trained
    pair = build_pairs(catalog_products(1), "title").pairs[0]
    req = CompletionRequest(messages=prompt_messages(pair, training_spec("title")), decoding=Decoding(max_tokens=16))
    plain = LocalHFBackend(model=tiny_lm, device="cpu", threads=1).complete(req)
    tuned_backend = LocalHFBackend(model=tiny_lm, adapter=out, device="cpu", threads=1)
    tuned = tuned_backend.complete(req)
    assert tuned_backend.model_id.endswith("+" + out.name)
    assert tuned.text != plain.text


@needs_hf
def test_the_loss_on_answer_tokens_alone_is_the_models_own_loss(tiny_lm):
    from listingforge.train.data import PromptFormat, collate, encode, training_spec
    from listingforge.train.finetune import answer_loss, load_base

    model, tok, _ = load_base(str(tiny_lm), device="cpu")
    pairs = build_pairs(catalog_products(3), "title").pairs
    pairs[1] = pairs[1].model_copy(update={"output": pairs[1].output + " 新款加量装"})  # answers of other lengths
    for fmt in (PromptFormat(training_spec("title")), PromptFormat.compact_for(training_spec("title"), pairs)):
        batch = collate([encode(p, tok, fmt, 1536) for p in pairs], tok.pad_token_id)
        with torch.no_grad():
            assert float(answer_loss(model, batch)) == pytest.approx(float(model(**batch).loss), rel=1e-5)


@needs_hf
def test_early_stopping_keeps_the_best_weights(tiny_model, tmp_path):
    # a learning rate far too high makes validation loss worse; patience 2 stops the run
    report = finetune(build_pairs(catalog_products(), "title"),
                      cfg(tiny_model, learning_rate=3.0, max_steps=30, eval_every=1, patience=2, eval_test=False),
                      tmp_path / "a")
    assert report.stopped_early and report.steps < 30
    vals = [h["val_loss"] for h in report.history if "val_loss" in h]
    assert report.best_val_loss == min(vals) and vals[-1] > report.best_val_loss
    assert "stopped early" in (tmp_path / "a" / "README.md").read_text(encoding="utf-8")


class Interrupt(Exception):
    pass


@needs_hf
def test_resume_from_a_checkpoint_matches_an_uninterrupted_run(tiny_model, tmp_path):
    from safetensors.torch import load_file

    pairs = build_pairs(catalog_products(), "title")
    # dropout on: resuming must restore the random state too
    c = cfg(tiny_model, learning_rate=1e-2, max_steps=6, eval_every=3, patience=0, eval_test=False,
            lora_dropout=0.1)
    straight = finetune(pairs, c, tmp_path / "straight")

    def stop_at_4(event, s):
        if event == "step" and s.step == 4:
            raise Interrupt

    with pytest.raises(Interrupt):
        finetune(pairs, c, tmp_path / "resumed", callback=stop_at_4)
    assert [p.name for p in (tmp_path / "resumed" / "checkpoints").iterdir()] == ["step-000003"]
    resumed = finetune(pairs, c, tmp_path / "resumed", resume=True)
    assert resumed.steps == 6
    losses = [[h["loss"] for h in r.history if "loss" in h] for r in (straight, resumed)]
    assert losses[0] == pytest.approx(losses[1], rel=1e-4)
    a = load_file(tmp_path / "straight" / "adapter_model.safetensors")
    b = load_file(tmp_path / "resumed" / "adapter_model.safetensors")
    assert a.keys() == b.keys() and all(torch.allclose(a[k], b[k], atol=1e-5) for k in a)
    with pytest.raises(ConfigError, match="no checkpoint"):
        finetune(pairs, c, tmp_path / "empty", resume=True)


@needs_hf
def test_full_fine_tuning_saves_a_whole_model(tiny_model, tmp_path):
    report = finetune(build_pairs(catalog_products(), "title"),
                      cfg(tiny_model, method="full", learning_rate=1e-3, max_steps=3, eval_every=3, eval_test=False),
                      tmp_path / "full")
    assert report.trainable_params == report.total_params
    assert (tmp_path / "full" / "model.safetensors").is_file() and (tmp_path / "full" / "tokenizer.json").is_file()


@needs_hf
def test_wrong_target_modules_are_named(tiny_model, tmp_path):
    with pytest.raises(ConfigError, match="not modules of this model"):
        finetune(build_pairs(catalog_products(), "title"),
                 cfg(tiny_model, target_modules=["query_key_value"], max_steps=1, eval_test=False), tmp_path / "x")


@needs_hf
def test_merge_exports_safetensors_and_a_gguf_llama_cpp_reads(trained, tiny_lm, tmp_path):
    import numpy as np
    import transformers
    from peft import PeftModel

    from listingforge.train import merge_and_export

    _, out, _ = trained
    files = merge_and_export(str(tiny_lm), out, tmp_path / "merged", gguf=True)
    assert [f.name for f in files] == ["model.safetensors", "model-f16.gguf"]
    tok = transformers.AutoTokenizer.from_pretrained(tmp_path / "merged")
    ids = tok("缤肌发膜 230g", return_tensors="pt")["input_ids"]
    merged = transformers.AutoModelForCausalLM.from_pretrained(tmp_path / "merged")
    lora = PeftModel.from_pretrained(transformers.AutoModelForCausalLM.from_pretrained(tiny_lm), str(out))
    with torch.no_grad():
        want = lora(ids).logits[0, -1]
        assert torch.allclose(merged(ids).logits[0, -1], want, atol=1e-4)
    llama_cpp = pytest.importorskip("llama_cpp", reason="checking the GGUF needs the llm extra")
    llm = llama_cpp.Llama(model_path=str(files[1]), n_ctx=64, logits_all=True, verbose=False)
    toks = llm.tokenize("缤肌发膜 230g".encode(), add_bos=False, special=True)
    assert toks == ids[0].tolist()
    llm.eval(toks)
    got = np.array(llm.scores[len(toks) - 1])
    assert np.abs(got - want.numpy()[: len(got)]).max() < 1e-2  # F16 weights
    from listingforge.train.export import quantize_gguf

    small = quantize_gguf(files[1], tmp_path / "q8.gguf", "Q8_0")
    assert small.stat().st_size < 0.75 * files[1].stat().st_size
    q8 = llama_cpp.Llama(model_path=str(small), n_ctx=64, logits_all=True, verbose=False)
    q8.eval(toks)
    err = np.abs(np.array(q8.scores[len(toks) - 1]) - want.numpy()[: len(got)]).max()
    assert 1e-4 < err < 0.2  # quantized: close to the merged model, not the same numbers
    with pytest.raises(ConfigError, match="one of"):
        quantize_gguf(files[1], tmp_path / "x.gguf", "Q3_X")
    # a base given as a .gguf file (as embedded-small is): transformers marks it quantized; the merge still saves
    again = merge_and_export(str(files[1]), out, tmp_path / "from-gguf")
    assert [f.name for f in again] == ["model.safetensors"]


@needs_hf
def test_cli_finetunes_from_a_catalog(tiny_model, tmp_path):
    from typer.testing import CliRunner

    from listingforge.cli import app

    csv = tmp_path / "catalog.csv"
    lines = ["货号,商品标题,品牌,功效"] + [f"{p.id},{p.title},{p.brand},{p.attributes[1][1]}"
                                            for p in catalog_products(16)]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "adapters" / "x"
    res = CliRunner().invoke(app, ["finetune", "--from-catalog", str(csv), "--task", "title", "--model",
                                   str(tiny_model), "-o", str(out), "--max-steps", "2", "--batch-size", "4",
                                   "--val-size", "2", "--test-size", "2", "--max-length", "1536", "--threads", "1",
                                   "--eval-max-tokens", "8", "--rank", "4"])
    assert res.exit_code == 0, res.output
    assert "test before" in res.output and "test after" in res.output
    assert (out / "adapter_model.safetensors").is_file() and (out / "README.md").is_file()
    assert json.loads((out / "finetune.json").read_text(encoding="utf-8"))["data"]["input"] == "catalog"
    res = CliRunner().invoke(app, ["finetune", "--task", "title", "--model", str(tiny_model), "-o", str(out)])
    assert res.exit_code != 0 and "either a pairs file" in str(res.exception)
    res = CliRunner().invoke(app, ["finetune", "--from-catalog", str(csv), "--model", str(tiny_model), "-o",
                                   str(out), "--quantize", "Q4_K_M"])
    assert res.exit_code != 0 and "add --merge --gguf" in str(res.exception)
    res = CliRunner().invoke(app, ["finetune", "--from-catalog", str(csv), "--model", str(tiny_model), "-o",
                                   str(tmp_path / "never"), "--merge", "--gguf", "--quantize", "Q3_X"])
    assert res.exit_code != 0 and "one of" in str(res.exception) and not (tmp_path / "never").exists()
