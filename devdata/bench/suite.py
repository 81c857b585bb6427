"""Every benchmark of `manage.py bench`, by the name given on its command line.

Each returns a list of Figures. The national-size pages (devdata/bench/pages.py) are imported
only when run: if the module is missing, a failing figure says so.
"""

import importlib
from collections.abc import Callable

from devdata.bench import disclosure, matching, printing, reminders
from devdata.bench.figures import Figure


def _lazy(module: str, function: str, group: str, *, takes_repeat: bool) -> Callable:
    def run(repeat: int | None = None) -> list[Figure]:
        try:
            found = getattr(importlib.import_module(module), function)
        except (ImportError, AttributeError) as error:
            return [
                Figure(
                    name=f"{module}.{function}",
                    group=group,
                    samples_ms=[],
                    error=f"{module}.{function} could not be imported: {error}",
                )
            ]
        if not takes_repeat:
            return found()
        return found(repeat) if repeat else found()

    return run


BENCHMARKS: dict[str, Callable[[int | None], list[Figure]]] = {
    # The trivial view, both dashboards, every coordinator list and detail page, the homes,
    # the matching board at 73 and 500 mentees, the report and a filled PDF through its view.
    "pages": _lazy("devdata.bench.pages", "page_figures", "pages", takes_repeat=True),
    # Every page's query count at 0.05x, 1x and 2x data.
    "query_scaling": _lazy(
        "devdata.bench.pages", "query_count_figures", "query_scaling", takes_repeat=False
    ),
    "pdf": printing.run,
    "packet": printing.packet_run,
    "reminders": reminders.run,
    "matching": matching.run,
    "mentor_match": matching.compare_run,
    "disclosure": disclosure.run,
}
