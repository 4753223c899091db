"""A llama.cpp build that dies on this CPU becomes one clear line; a build that works is checked once."""

from __future__ import annotations

import json
import sys
import types

import pytest

from listingforge.errors import ConfigError
from listingforge.generate.backends.llama_check import REBUILD, check_runs


@pytest.fixture()
def fake_llama(tmp_path):
    """A package laid out like llama_cpp (its compiled library under lib/); the probe code is ours."""
    pkg = tmp_path / "llama_cpp"
    (pkg / "lib").mkdir(parents=True)
    (pkg / "lib" / "libllama.so").write_bytes(b"\0" * 16)
    return types.SimpleNamespace(__file__=str(pkg / "__init__.py"))


def test_a_child_killed_by_sigill_becomes_one_line_saying_how_to_rebuild(fake_llama, tmp_path):
    die = "import os, signal; os.kill(os.getpid(), signal.SIGILL)"  # what a -march=native build does on a VM
    verdicts = tmp_path / "verdicts.json"
    with pytest.raises(ConfigError) as err:
        check_runs(fake_llama, tmp_path / "m.gguf", verdicts, probe=die)
    msg = str(err.value)
    assert "Illegal instruction" in msg and REBUILD in msg and 'CMAKE_ARGS="-DGGML_NATIVE=OFF"' in msg
    assert "\n" not in msg and not verdicts.exists()  # a bad build is never remembered as good


def test_a_build_that_runs_is_checked_once(fake_llama, tmp_path):
    marker = tmp_path / "ran"
    probe = f"import pathlib, sys; pathlib.Path({str(marker)!r}).write_text(sys.argv[1])"
    verdicts = tmp_path / "verdicts.json"
    check_runs(fake_llama, tmp_path / "m.gguf", verdicts, probe=probe)
    assert marker.read_text() == str(tmp_path / "m.gguf") and list(json.loads(verdicts.read_text()).values()) == ["ok"]
    marker.unlink()
    check_runs(fake_llama, tmp_path / "m.gguf", verdicts, probe=probe)
    assert not marker.exists()  # remembered: no second child
    (tmp_path / "llama_cpp" / "lib" / "libllama.so").write_bytes(b"\0" * 32)  # a rebuilt library: check again
    check_runs(fake_llama, tmp_path / "m.gguf", verdicts, probe=probe)
    assert marker.exists()


def test_a_library_that_cannot_load_says_how_to_rebuild(monkeypatch):
    from listingforge.generate.backends.llama_cpp import import_llama_cpp

    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # not installed: the install line
    with pytest.raises(ConfigError, match=r"pip install 'listingforge\[llm\]'"):
        import_llama_cpp()
    # installed, but its compiled library does not load here (llama_cpp raises this RuntimeError at import)
    monkeypatch.delitem(sys.modules, "llama_cpp")
    real = __import__

    def importer(name, *args, **kwargs):
        if name == "llama_cpp":
            raise RuntimeError("Failed to load shared library 'libllama.so': GLIBC_2.38 not found\nmore")
        return real(name, *args, **kwargs)

    monkeypatch.setattr("builtins.__import__", importer)
    with pytest.raises(ConfigError) as err:
        import_llama_cpp()
    assert "GLIBC_2.38" in str(err.value) and REBUILD in str(err.value) and "more" not in str(err.value)
