"""The resumable chunk runner, alone: order, resume, and parts queued ahead to a process pool."""

from __future__ import annotations

import json
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor

import pytest

from listingforge import batch


def _square(items):  # module level: the pool pickles it by name
    return [{"i": i, "sq": i * i} for i in items]


def _fail_at_25(items):
    if 25 in items:
        raise ValueError("row 25 is bad")
    return _square(items)


@pytest.mark.parametrize("pooled", [False, True])
def test_chunks_come_back_in_order_and_a_failed_run_resumes(tmp_path, pooled):
    out = tmp_path / "out.csv"
    pool = ProcessPoolExecutor(2, mp_context=mp.get_context("fork")) if pooled else None
    try:
        with pytest.raises(ValueError, match="row 25"):
            batch.run_chunks(range(50), _fail_at_25, out, fp="x", chunk_size=10, progress=False,
                             executor=pool, part_size=3)
        partial = tmp_path / "out.csv.lf-partial.jsonl"
        # the chunks before the bad one were recorded, in order, and nothing after it
        done = [json.loads(line)["i"] for line in partial.read_text().splitlines()]
        assert done == list(range(20))
        run = batch.run_chunks(range(50), _square, out, fp="x", chunk_size=10, progress=False,
                               executor=pool, part_size=3)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    assert run.rows_resumed == 20 and run.rows_processed == 30
    assert [r["i"] for r in run.rows] == list(range(50))
    assert all(r["sq"] == r["i"] ** 2 for r in run.rows)
    # another job (other options) starts over instead of trusting the old rows
    again = batch.run_chunks(range(50), _square, out, fp="y", chunk_size=10, progress=False)
    assert again.rows_resumed == 0


def test_the_collector_is_settled_during_a_run_and_restored_after(tmp_path):
    import gc

    before = gc.get_threshold()
    seen = []

    def look(items):
        seen.append((gc.get_threshold()[0], gc.get_freeze_count()))
        return _square(items)

    batch.run_chunks(range(5), look, tmp_path / "o.csv", fp="z", chunk_size=2, progress=False)
    # what existed before the run is frozen out of collections, and collections are rarer, while it runs
    assert seen and all(t >= 5000 and frozen > 0 for t, frozen in seen)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_nested_settling_restores_only_when_the_outer_run_ends():
    import gc

    before = gc.get_threshold()
    with batch.settled_heap():
        with batch.settled_heap():
            assert gc.get_threshold()[0] >= 5000
        assert gc.get_threshold()[0] >= 5000 and gc.get_freeze_count() > 0  # the outer run is still settled
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
