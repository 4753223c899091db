"""Chunked, resumable catalog runs with a progress bar, worker processes that end with their parent, and
one run per output at a time.

Each finished chunk is appended to ``<output>.lf-partial.jsonl`` and flushed to disk before the run's state
(``<output>.lf-state.json``: a fingerprint of the input and options, and the rows done) is replaced
atomically. After Ctrl-C or a crash the same command resumes after the last finished chunk; a changed input
or changed options start over. Rows of a chunk written but not yet recorded in the state are dropped on
resume and computed again, so nothing is lost and nothing is written twice.

``output_lock(output)`` refuses a second run on the same output while one is running (a kernel lock on
``<output>.lf-lock``: a run killed with ``kill -9`` releases it, so there is no stale lock to clear), and
``worker_pool(n)`` starts worker processes that die with their parent, however it ends.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .catalog.output import output_error
from .errors import OutputError
from .product import Product

# items are products (or None for a bad row), or row numbers when the caller needs other columns too
ProcessFn = Callable[[Sequence[Any]], list[dict[str, Any]]]


@dataclass
class BatchRun:
    rows_total: int
    rows_resumed: int
    rows_processed: int
    rows: list[dict[str, Any]]  # one dict of new columns per input row, in input order


def fingerprint(path: str | Path, options: dict[str, Any]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    h.update(json.dumps(options, sort_keys=True, ensure_ascii=False, default=str).encode())
    return h.hexdigest()


def _state_paths(output: str | Path) -> tuple[Path, Path]:
    out = Path(output)
    return out.with_name(out.name + ".lf-partial.jsonl"), out.with_name(out.name + ".lf-state.json")


def _read_done(partial: Path, state: Path, fp: str) -> list[dict[str, Any]]:
    """Rows already finished by an earlier run of the same job (none if the job changed, or if its files
    cannot be read back: the run then starts over rather than trusting them)."""
    if not (partial.exists() and state.exists()):
        return []
    try:
        st = json.loads(state.read_text(encoding="utf-8"))
        if not isinstance(st, dict) or st.get("fingerprint") != fp:
            return []
        done = int(st.get("rows_done", 0))
        rows = []
        with open(partial, encoding="utf-8") as f:
            for line in f:
                if len(rows) >= done:
                    break
                rows.append(json.loads(line))
    except (OSError, ValueError, TypeError):
        return []
    return rows if len(rows) == done else []


@contextmanager
def _progress_file(path: Path) -> Iterator[None]:
    """A failure to write the run's own files (full disk, read-only folder) as one line for the user; the
    rows recorded so far stay resumable."""
    try:
        yield
    except OSError as exc:
        raise output_error(exc, path, "write the run's progress file", whole=False) from exc


def run_chunks(
    products: Sequence[Product | None] | Sequence[int],
    process: ProcessFn,
    output: str | Path,
    *,
    fp: str,
    chunk_size: int = 500,
    progress: bool = True,
    description: str = "working",
    executor: Executor | None = None,
    part_size: int = 100,
    ahead: int = 2,
) -> BatchRun:
    """Run ``process`` over ``products`` chunk by chunk, recording each finished chunk so a rerun resumes.

    With an ``executor`` (a process pool), each chunk is cut into parts of ``part_size`` items and the parts of
    the next ``ahead`` chunks are queued too, so the workers never wait while a chunk is written; ``process``
    must then be picklable (a module-level function). Chunks are still written and recorded in order."""
    partial, state = _state_paths(output)
    rows = _read_done(partial, state, fp)
    resumed = len(rows)
    # rewrite the partial file with exactly the recorded rows: drops a chunk cut off mid-write
    with _progress_file(partial):
        partial.parent.mkdir(parents=True, exist_ok=True)
        with open(partial, "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        _write_state(state, fp, resumed)

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with settled_heap(), Progress(*columns, disable=not progress, transient=False) as bar:
        task = bar.add_task(description, total=len(products), completed=resumed)
        i = resumed
        for chunk, new in _chunk_results(products, resumed, process, chunk_size, executor, part_size, ahead):
            if len(new) != len(chunk):
                raise RuntimeError(f"process returned {len(new)} rows for a chunk of {len(chunk)}")
            with _progress_file(partial), open(partial, "a", encoding="utf-8") as f:
                for r in new:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
                f.flush()
                os.fsync(f.fileno())
            rows += new
            i += len(chunk)
            with _progress_file(state):
                _write_state(state, fp, i)
            bar.update(task, completed=i)
            _maybe_fail_for_test(i)
    return BatchRun(rows_total=len(products), rows_resumed=resumed, rows_processed=len(products) - resumed,
                    rows=rows)


def _chunk_results(products: Sequence[Any], start: int, process: ProcessFn, chunk_size: int,
                   executor: Executor | None, part_size: int, ahead: int) -> Iterator[tuple[Sequence[Any], list]]:
    """(chunk, its rows) in order; with an executor, later chunks are already being worked on."""
    bounds = [(i, min(i + chunk_size, len(products))) for i in range(start, len(products), chunk_size)]
    if executor is None:
        for a, b in bounds:
            yield products[a:b], process(products[a:b])
        return
    queued: deque[list[Future]] = deque()
    todo = iter(bounds)

    def submit() -> None:
        nxt = next(todo, None)
        if nxt is not None:
            a, b = nxt
            queued.append([executor.submit(process, products[k:min(k + part_size, b)])
                           for k in range(a, b, part_size)])

    for _ in range(ahead + 1):
        submit()
    for a, b in bounds:
        parts = queued.popleft()
        submit()
        yield products[a:b], [row for f in parts for row in f.result()]


@contextmanager
def settled_heap() -> Iterator[None]:
    """The garbage collector settled for a long run (batch runs do it themselves; around a big
    ``Engine.titles`` call: ``with settled_heap(): engine.titles(products)``).

    What exists now (the catalog, the fitted models, jieba's dictionary) lives until the end, so the cyclic
    collector need not walk it at each full collection (and forked workers do not copy the pages such a walk
    would touch); the flows make dozens of short-lived objects per product, so collections are made rarer too.
    Titles on OpenBG: collector time 96 → 34 µs per product. Restored afterwards."""
    global _settled_depth, _saved_thresholds
    with _settle_lock:  # nested or concurrent runs: the first in settles, the last out restores
        if _settled_depth == 0:
            _saved_thresholds = gc.get_threshold()
            gc.freeze()
            t0, t1, t2 = _saved_thresholds
            gc.set_threshold(max(t0, 5000), max(t1, 20), max(t2, 20))
        _settled_depth += 1
    try:
        yield
    finally:
        with _settle_lock:
            _settled_depth -= 1
            if _settled_depth == 0:
                gc.unfreeze()
                gc.set_threshold(*_saved_thresholds)


_settle_lock = threading.Lock()
_settled_depth = 0
_saved_thresholds: tuple[int, int, int] = gc.get_threshold()


def finish(output: str | Path) -> None:
    """Remove the run's state once the final output is written."""
    for p in _state_paths(output):
        p.unlink(missing_ok=True)


def _write_state(state: Path, fp: str, done: int) -> None:
    tmp = state.with_name(state.name + ".tmp")
    tmp.write_text(json.dumps({"fingerprint": fp, "rows_done": done}), encoding="utf-8")
    os.replace(tmp, state)


# ----------------------------------------------------------------------------------- one run per output


@contextmanager
def output_lock(output: str | Path) -> Iterator[None]:
    """Hold ``<output>.lf-lock`` for the block; another run on the same output meanwhile gets an OutputError
    (at once: it does not wait). The kernel drops the lock when the holder exits, ``kill -9`` included."""
    out = Path(output)
    lock = out.with_name(out.name + ".lf-lock")
    while True:
        try:
            lock.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise output_error(exc, out, whole=False) from exc
        if not _try_lock(fd):
            holder = _read_holder(fd)
            os.close(fd)
            raise OutputError(f"{out} is being written by another listingforge run{holder}; wait for it to "
                              "finish, or write to another --output")
        try:  # the holder before us may have removed the file between our open and our lock: lock it anew
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        lock.unlink(missing_ok=True)
        os.close(fd)


def _try_lock(fd: int) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _read_holder(fd: int) -> str:
    try:
        pid = os.pread(fd, 32, 0).decode().strip()
    except (OSError, AttributeError, UnicodeDecodeError):
        return ""
    return f" (process {pid})" if pid.isdigit() else ""


# ------------------------------------------------------------------------------------- worker processes


@contextmanager
def worker_pool(n: int) -> Iterator[ProcessPoolExecutor]:
    """``n`` forked worker processes (they inherit the caller's fitted state) that die with their parent:
    on Linux the kernel kills them when it dies (``kill -9`` included); elsewhere each polls for its parent
    once a second. Ctrl-C is left to the parent, which stops the pool on its way out."""
    pool = ProcessPoolExecutor(n, mp_context=mp.get_context("fork"), initializer=_worker_start,
                               initargs=(os.getpid(),))
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _worker_start(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            pr_set_pdeathsig = 1
            ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True, name="listingforge-parent").start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def _maybe_fail_for_test(rows_done: int) -> None:
    # Lets the resume test crash a real run after N rows without patching code.
    limit = os.environ.get("LISTINGFORGE_CRASH_AFTER_ROWS")
    if limit and rows_done >= int(limit):
        os._exit(3)
