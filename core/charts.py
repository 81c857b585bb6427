"""Server-rendered SVG bar charts: plain data in, geometry out, no JavaScript.

The project's one way of drawing a chart (evaluation report, coordinator dashboard):
SVG drawn on the server prints as sharply as text, needs no script or vendored
library, and costs nothing to a phone. Each chart is drawn by
templates/includes/_bar_chart.html with a title, a text description and, below it, the
same numbers as a table. Narrow enough to stay readable on a phone: long labels wrap
onto several lines above their bar. A bar may link to the list behind its number.
"""

import textwrap
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

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


Number = int | float | Decimal
ANSWER = _("Answer")
RESPONSES = _("Responses")


def _shown(value: Number) -> str:
    if isinstance(value, int):
        return number_format(value)
    return number_format(round(value, 1), decimal_pos=1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: Number
    lines: list[Line]
    bar_y: int
    width: int
    value_x: int
    value_y: int
    href: str = ""

    @cached_property
    def shown(self) -> str:
        """The number as people read it (localised); the table shows it twice."""
        return _shown(self.value)


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
    label_heading: str | Promise = ANSWER
    value_heading: str | Promise = RESPONSES
    # The table below folded away (a page of several charts): the drawing's own text
    # alternative already reads every number.
    fold_table: bool = False

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def plot(self) -> SafeString:
        """The bars' SVG: each bar's label lines, its rectangle and its number.

        Written here rather than cell by cell in the template: coordinates are machine
        values, never localised (a French "1 234" or "12,5" would break the drawing), and
        formatting each through the template's number localisation cost ~10,000 Python
        calls a chart. The labels and numbers are escaped.
        """
        size, fill = self.label_size, "#212529"
        parts = []
        for bar in self.bars:
            spans = "".join(
                f'<tspan x="0" y="{line.y}">{conditional_escape(line.text)}</tspan>'
                for line in bar.lines
            )
            parts.append(
                f'<text font-size="{size}" fill="{fill}">{spans}</text>'
                f'<rect x="0" y="{bar.bar_y}" width="{bar.width}" height="{self.bar_height}"'
                f' rx="2" fill="#0a58ca"></rect>'
                f'<text x="{bar.value_x}" y="{bar.value_y}" font-size="{size}"'
                f' font-weight="bold" fill="{fill}">{conditional_escape(bar.shown)}</text>'
            )
        return mark_safe("".join(parts))  # every text part is escaped above


def bar_chart(
    *,
    key: str,
    title: str,
    rows: list[tuple[str, Number]],
    scale: Number,
    links: list[str] | None = None,
    label_heading: str | Promise = ANSWER,
    value_heading: str | Promise = RESPONSES,
    fold_table: bool = False,
) -> BarChart:
    """Horizontal bars, each label above its bar; `scale` is the value of a full-width bar.

    `links`, one per row, make each bar and its table row a link to the list behind it.
    """
    scale = max(scale, 1, *(value for _label, value in rows))
    links = links or [""] * len(rows)
    bars = []
    top = 0
    for (label, value), href in zip(rows, links, strict=True):
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
                href=href,
            )
        )
        top = bar_y + BAR_HEIGHT + GAP
    return BarChart(
        key=key,
        title=str(title),
        description="; ".join(f"{label}: {_shown(value)}" for label, value in rows),
        bars=bars,
        height=max(top, LINE_HEIGHT),
        label_heading=label_heading,
        value_heading=value_heading,
        fold_table=fold_table,
    )


# --- Funnels: a table whose cells carry their bar ---------------------------------------------


@dataclass(frozen=True)
class FunnelCell:
    value: int
    percent: int  # of the column's first step: the bar's length
    href: str
    name: str  # what the number is, for a screen reader: "Matched, 2026 Mentorship"

    @property
    def shown(self) -> str:
        return _shown(self.value)


@dataclass(frozen=True)
class FunnelLine:
    label: str
    cells: list[FunnelCell]


@dataclass(frozen=True)
class FunnelChart:
    key: str
    title: str
    headings: list[str]
    lines: list[FunnelLine]
    label_heading: str | Promise


def funnel_chart(
    *,
    key: str,
    title: str,
    steps: list[str],
    columns: list[tuple[str, list[int], list[str]]],
    label_heading: str | Promise,
) -> FunnelChart:
    """Steps down the side, one column per group (heading, values, links), a bar in each cell.

    A funnel's numbers never rise down a column, so each bar is drawn against its column's
    first number: the bars read as what is left of those who started. The table is the
    chart: its numbers, links and headings are what a screen reader reads.
    """
    lines = []
    for index, label in enumerate(steps):
        cells = []
        for heading, values, links in columns:
            first = values[0] if values else 0
            value = values[index]
            cells.append(
                FunnelCell(
                    value=value,
                    percent=min(100, round(100 * value / first)) if first else 0,
                    href=links[index],
                    name=f"{label}, {heading}",
                )
            )
        lines.append(FunnelLine(label=str(label), cells=cells))
    return FunnelChart(
        key=key,
        title=str(title),
        headings=[str(heading) for heading, _values, _links in columns],
        lines=lines,
        label_heading=label_heading,
    )
