from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data folder {SHARED_DATA} is absent (it lives beside the repository)")
    return SHARED_DATA


@pytest.fixture
def demo_catalog() -> Path:
    return ROOT / "examples" / "demo_catalog.csv"


@pytest.fixture
def demo_catalog_en() -> Path:
    return ROOT / "examples" / "demo_catalog_en.csv"


@pytest.fixture(scope="session")
def server():
    """A real OpenAI-compatible server on 127.0.0.1 (tests/llm_server.py) shared by the tests that need one."""
    from llm_server import LLMServer

    with LLMServer() as srv:
        yield srv


@pytest.fixture
def srv(server):
    server.reset()
    return server


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory):
    """A tiny random-weight Qwen2 model folder (tests/hf_tiny.py); skips without the hf extra."""
    pytest.importorskip("torch", reason="needs the hf extra: pip install 'listingforge[hf]'")
    pytest.importorskip("transformers", reason="needs the hf extra: pip install 'listingforge[hf]'")
    from hf_tiny import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny-qwen2"))
