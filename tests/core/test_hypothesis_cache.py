import copy
import pickle
import threading
import time

import pytest

from hyperalign.core.hashing import cache_key
from hyperalign.programs.hypothesis_cache import HypothesisCache


def test_key_depends_on_content_not_identity():
    assert cache_key(["a", "b"], {"role": "x"}) == cache_key(["a", "b"], {"role": "x"})
    assert cache_key(["a", "b"], {"role": "x"}) != cache_key(["a", "b"], {"role": "y"})
    assert cache_key(["a", "b"]) != cache_key(["b", "a"])


def test_concurrent_callers_for_one_key_compute_once():
    cache, calls = HypothesisCache(), []

    def compute():
        calls.append(1)
        time.sleep(0.2)  # long enough that every thread arrives while the first computes
        return ["h"]

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get_or_compute("k", compute))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert sorted(cached for _, cached in results) == [False] + [True] * 7
    assert all(value == ["h"] for value, _ in results)


def test_failure_is_not_cached_and_lru_evicts_oldest():
    cache = HypothesisCache(max_entries=2)
    with pytest.raises(RuntimeError):
        cache.get_or_compute("bad", lambda: (_ for _ in ()).throw(RuntimeError("lm down")))
    assert cache.get_or_compute("bad", lambda: 1) == (1, False)
    cache.get_or_compute("b", lambda: 2)
    cache.get_or_compute("c", lambda: 3)
    assert len(cache) == 2
    assert cache.get_or_compute("bad", lambda: 10) == (10, False)  # evicted, recomputed


def test_copies_and_pickles_start_empty():
    cache = HypothesisCache(max_entries=5)
    cache.get_or_compute("k", lambda: 1)
    for clone in (copy.deepcopy(cache), pickle.loads(pickle.dumps(cache))):
        assert len(clone) == 0 and clone.max_entries == 5
