"""Whether the installed llama.cpp runs on this CPU: one clear line instead of a dead process.

A plain ``pip install llama-cpp-python`` compiles llama.cpp with ``-march=native``. On some virtual machines the
CPU advertises instructions (AVX-512) that the VM does not run, and the first model call kills the process with
"Illegal instruction" — no exception, no traceback, nothing to catch. So the first use of each installed library
loads the model in a child process and writes one token; a child killed by SIGILL becomes a ``ConfigError`` that
says how to rebuild. The verdict is kept beside the embedded models, keyed by the library file's path, size and
time, so it is paid once per install (a few seconds), not per run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from ...errors import ConfigError

VERSION = "0.3.36"
REBUILD = (f'pip uninstall -y llama-cpp-python && CMAKE_ARGS="-DGGML_NATIVE=OFF" '
           f"pip install --no-cache-dir llama-cpp-python=={VERSION}")
BROKEN = ("llama.cpp is installed but cannot {what}: {detail}. Rebuild it portable (--no-cache-dir: pip "
          "would reuse the bad wheel it cached): " + REBUILD)
# the child loads the model (mmap: the parent's load then reads it from the page cache) and writes one token
PROBE = ("import sys, llama_cpp; m = llama_cpp.Llama(model_path=sys.argv[1], n_ctx=64, n_batch=8, n_threads=1, "
         "n_threads_batch=1, verbose=False); m.eval(m.tokenize(b'ok'))")


def library_file(llama_cpp: object) -> Path | None:
    """The compiled library the Python package loads (``llama_cpp/lib/libllama.*``)."""
    lib = Path(getattr(llama_cpp, "__file__", "")).parent / "lib"
    found = sorted(lib.glob("libllama.*")) or sorted(lib.glob("*llama*"))
    return found[0] if found else None


def check_runs(llama_cpp: object, model_path: Path, verdicts: Path, *, probe: str = PROBE,
               timeout: float = 300.0) -> None:
    """Raise ``ConfigError`` when this llama.cpp build dies on this CPU; remember a build that works."""
    lib = library_file(llama_cpp)
    if lib is None:
        return
    st = lib.stat()
    key = f"{lib}|{st.st_size}|{int(st.st_mtime)}"
    known = _read(verdicts)
    if known.get(key) == "ok":
        return
    try:
        res = subprocess.run([sys.executable, "-c", probe, str(model_path)], capture_output=True, timeout=timeout,
                             text=True, check=False)
    except subprocess.TimeoutExpired:
        return  # a slow machine is no verdict: the run itself will show what happens
    if res.returncode == -signal.SIGILL:
        raise ConfigError(BROKEN.format(what="run on this CPU",
                                        detail="a test call died with 'Illegal instruction' (built with "
                                               "-march=native for instructions this machine does not run)"))
    if res.returncode == 0:
        known[key] = "ok"
        _write(verdicts, known)


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: dict[str, str]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}")
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache only means the check runs again next time
