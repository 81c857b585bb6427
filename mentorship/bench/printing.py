"""Printed forms: warm render time of each blank form."""

import statistics
import time

from django.utils import translation

from mentorship.printing import blank_paper, registry, render_pdf


def run(repeat: int = 7) -> list[str]:
    lines = []
    with translation.override("en"):
        for key, printable in registry().items():
            render_pdf(blank_paper(printable), language="en")  # warm: fonts, stylesheet
            times = []
            for _ in range(repeat):
                start = time.perf_counter()
                render_pdf(blank_paper(printable), language="en")
                times.append(time.perf_counter() - start)
            lines.append(
                f"pdf {key}: warm render {statistics.median(times) * 1000:.0f} ms "
                f"(median of {repeat}; budget 250 ms)"
            )
    return lines
