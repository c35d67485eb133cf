"""Time and peak memory of the reconciler on synthetic claim sets of growing size.

    python benchmarks/reconcile_scaling.py [1000 10000 100000]

Synthetic claims come from the same workload builder the scale tests use (tests/test_reconcile_scale.py):
many Trump–Putin-style events, each reported by a few articles with dates, durations and topics.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from extractor.reconcile import reconcile
from tests.test_reconcile_scale import _workload


def main(sizes: list[int]) -> None:
    print(f"{'claims':>8} {'events':>7} {'conflicts':>9} {'cpu s':>7} {'wall s':>7} {'peak MB':>8}")
    for size in sizes:
        claims, arts = _workload(events=max(1, size // 10), reports=2)
        # Timed without tracemalloc (it slows Python several times over), then measured with it.
        cpu, wall = time.process_time(), time.perf_counter()
        result = reconcile(claims, arts)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        tracemalloc.start()
        reconcile(claims, arts)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        print(
            f"{len(claims):>8} {len(result.events):>7} {len(result.conflicts):>9} "
            f"{cpu:>7.2f} {wall:>7.2f} {peak:>8.1f}"
        )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 10_000, 100_000])
