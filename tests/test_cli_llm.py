"""``titles --engine auto|llm`` against a real OpenAI-compatible server on 127.0.0.1, with a failing one too."""

import pandas as pd
from typer.testing import CliRunner

from listingforge.cli import app

runner = CliRunner()



def run(args):
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return res


def test_auto_engine_asks_the_model_for_weak_titles_only_and_checks_its_answers(server, demo_catalog, tmp_path):
    from listingforge.cli.titles import AUTO_WEAK_SCORE

    own = tmp_path / "own.csv"
    run(["titles", str(demo_catalog), "-o", str(own), "--no-progress"])
    first = pd.read_csv(own, dtype=str).fillna("")
    weak = first["score"].astype(float).lt(AUTO_WEAK_SCORE) | first["findings"].ne("")
    assert 0 < weak.sum() < len(first)  # the demo catalog has both
    server.reset()
    out = tmp_path / "t.csv"
    run(["titles", str(demo_catalog), "--engine", "auto", "--backend", "openai_compat", "--base-url", server.url,
         "--model", "test", "-o", str(out), "--no-progress"])
    df = pd.read_csv(out, dtype=str).fillna("")
    assert len(server.requests) >= weak.sum()  # the model was asked for each weak product …
    assert not df.loc[~weak, "generator"].str.startswith("llm").any()  # … and for no other
    gens = set(df["generator"].str.split(" ").str[0])
    assert gens <= {"compose@2", "optimize@2", "llm@1"}
    # whatever generator won, nothing left breaks a rule or invents a fact
    assert not df["findings"].str.contains("error|grounding").any()


def test_llm_engine_falls_back_to_compose_when_the_server_fails(server, demo_catalog, tmp_path, monkeypatch):
    monkeypatch.setenv("LISTINGFORGE_MAX_RETRIES", "0")
    server.script(["500"] * 500)
    out = tmp_path / "t.csv"
    run(["titles", str(demo_catalog), "--engine", "llm", "--backend", "openai_compat", "--base-url", server.url,
         "--model", "test", "-o", str(out), "--no-progress"])
    server.reset()
    df = pd.read_csv(out, dtype=str).fillna("")
    assert df["new_title"].str.len().gt(0).all()  # every product still has a title …
    assert df["generator"].str.contains(r"fallback: llm").all()  # … and the output says why


def test_engine_scores_llm_candidates_with_the_others(server, demo_catalog):
    from listingforge import Engine
    from listingforge.catalog import read_catalog
    from listingforge.generate.llm import LLMGenerator

    server.reset()
    prods = read_catalog(demo_catalog).ok_products()
    gen = LLMGenerator(backend="openai_compat", backend_options={"base_url": server.url, "model": "test"},
                       max_n=1)
    eng = Engine("taobao", generators=[gen], n_alternatives=10).fit(prods)
    results = eng.titles(prods[:6])
    for r in results:
        made_by = {s.candidate.generator for s in [r.best, *r.alternatives]}
        assert "llm@1" in made_by and made_by & {"compose@2", "optimize@2"}
    assert gen.stats.products == 6 and gen.stats.unparseable == 0


def test_a_saved_composer_still_gives_the_model_examples_from_the_catalog(server, demo_catalog, tmp_path):
    composer = tmp_path / "composer"
    run(["titles", str(demo_catalog), "-o", str(tmp_path / "a.csv"), "--save-composer", str(composer),
         "--no-progress"])
    server.reset()
    run(["titles", str(demo_catalog), "--engine", "auto", "--backend", "openai_compat", "--base-url", server.url,
         "--model", "test", "--composer", str(composer), "-o", str(tmp_path / "b.csv"), "--no-progress"])
    # retrieved few-shot: every request shows the model at least one example answer before the product
    assert server.requests
    assert all(sum(m["role"] == "assistant" for m in body["messages"]) >= 1 for body in server.requests)


def test_a_model_title_that_keeps_an_error_gives_way_to_the_facts_own_title(server, demo_catalog, tmp_path):
    # a model that copies words from its examples (a product word, a service) the product's data does not hold:
    # whether the fixes leave an error or nothing, the product gets compose's title, and the output says why
    untitled = tmp_path / "untitled.csv"
    pd.read_csv(demo_catalog, dtype=str).assign(商品标题="").to_csv(untitled, index=False)  # titles to generate
    server.reset()
    server.reply = "男士羽绒服 国家专利 顺丰包邮"
    try:
        out = tmp_path / "t.csv"
        run(["titles", str(untitled), "--engine", "llm", "--backend", "openai_compat", "--base-url", server.url,
             "--model", "test", "-o", str(out), "--no-progress"])
    finally:
        server.reply = None
    df = pd.read_csv(out, dtype=str).fillna("")
    assert len(server.requests) > 0
    assert df["new_title"].str.len().gt(0).all()
    assert not df["new_title"].str.contains("羽绒服|专利|包邮").any()
    assert df["generator"].str.contains(r"fallback: (?:model titles kept an error|nothing of the model titles)").all()
    assert not df["findings"].str.contains("grounding").any()
