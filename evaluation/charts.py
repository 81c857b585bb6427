"""Server-rendered SVG bar charts: plain data in, geometry out, no JavaScript.

Each chart is drawn by templates/evaluation/_bar_chart.html with a title, a text
description and, below it, the same numbers as a table. Narrow enough to stay readable
on a phone: long labels wrap onto several lines above their bar.
"""

import textwrap
from dataclasses import dataclass

WIDTH = 440
BAR_MAX = 380  # leaves room after the longest bar for its number
BAR_HEIGHT = 22
LINE_HEIGHT = 20
LABEL_SIZE = 16
LABEL_CHARS = 44  # about what fits in WIDTH at LABEL_SIZE
GAP = 14


@dataclass(frozen=True)
class Line:
    text: str
    y: int


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    lines: list[Line]
    bar_y: int
    width: int
    value_x: int
    value_y: int


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    description: str
    bars: list[Bar]
    height: int
    width: int = WIDTH
    label_size: int = LABEL_SIZE
    bar_height: int = BAR_HEIGHT


def bar_chart(*, key: str, title: str, rows: list[tuple[str, int]], scale: int) -> BarChart:
    """Horizontal bars, each label above its bar; `scale` is the count of a full-width bar."""
    scale = max(scale, 1, *(value for _label, value in rows))
    bars = []
    top = 0
    for label, value in rows:
        wrapped = textwrap.wrap(str(label), LABEL_CHARS) or [""]
        lines = [
            Line(text, top + LABEL_SIZE + index * LINE_HEIGHT) for index, text in enumerate(wrapped)
        ]
        bar_y = lines[-1].y + 6
        width = round(BAR_MAX * value / scale)
        bars.append(
            Bar(
                label=str(label),
                value=value,
                lines=lines,
                bar_y=bar_y,
                width=width,
                value_x=width + 8,
                value_y=bar_y + BAR_HEIGHT - 5,
            )
        )
        top = bar_y + BAR_HEIGHT + GAP
    return BarChart(
        key=key,
        title=str(title),
        description="; ".join(f"{label}: {value}" for label, value in rows),
        bars=bars,
        height=max(top, LINE_HEIGHT),
    )
