"""What every benchmark hands to `manage.py bench`: figures, each with the floor measured beside it.

A figure is one thing measured (a page, a PDF, a matching size, a scan): its samples in
milliseconds, the floor measured in the same run and interleaved with it (a trivial view
for pages, a one-line WeasyPrint page for PDFs, `linear_sum_assignment` alone for the
matching engine), and its query count where it talks to the database. Budgets are not
here: `bench/budgets.toml` gives each figure's `group` its limits, and the command checks
them, so one file holds every budget.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Figure:
    name: str  # what was measured, as the table shows it
    group: str  # its budgets' key in bench/budgets.toml ("dashboard", "list", "pdf_blank"...)
    samples_ms: list[float]
    floor: str = ""  # what the floor is ("trivial view", "one-line PDF", "linear_sum_assignment")
    floor_samples_ms: list[float] = field(default_factory=list)
    queries: int | None = None  # None: the figure does not talk to the database
    extra: dict = field(default_factory=dict)  # other numbers worth keeping (sizes, scores)
    # Why nothing could be measured (a missing module, a page that failed): the figure fails
    # its budgets with this reason, so a benchmark that cannot run is never a silent skip.
    error: str = ""

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def floor_median_ms(self) -> float | None:
        return statistics.median(self.floor_samples_ms) if self.floor_samples_ms else None

    @property
    def ratio(self) -> float | None:
        floor = self.floor_median_ms
        return self.median_ms / floor if floor else None


def elapsed_ms(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) * 1000


def interleaved(
    run: Callable[[], object], floor: Callable[[], object], repeat: int
) -> tuple[list[float], list[float]]:
    """`repeat` timings of `run` and of `floor`, taken in turn after one warm-up of each.

    Taking them in turn makes the ratio fair on a machine whose speed drifts: both see the
    same moments of load.
    """
    run()
    floor()
    samples, floors = [], []
    for _ in range(repeat):
        floors.append(elapsed_ms(floor))
        samples.append(elapsed_ms(run))
    return samples, floors


def count_queries(run: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured)
