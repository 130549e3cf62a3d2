"""Each batch worker's embedded LM gets its share of the cores, never more threads than cores in all."""

import os

from hyperalign.batch.run import worker_threads


def test_local_workers_share_the_cores_and_ray_actors_hold_one():
    cores = os.cpu_count() or 1
    assert worker_threads("local", 1) == cores
    assert worker_threads("local", cores) == 1
    assert worker_threads("local", cores * 4) == 1
    assert worker_threads("local", 2) * 2 <= max(cores, 2)
    assert worker_threads("ray", 1) == 1
