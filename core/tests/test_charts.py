import re

from django.template.loader import render_to_string
from django.utils import translation

from core.charts import BAR_MAX, bar_chart


def test_bars_are_scaled_to_the_respondents_and_labels_wrap():
    chart = bar_chart(
        key="k",
        title="Do you feel that the program has:",
        rows=[("Increased your interest in taking on new leadership positions?", 3), ("No", 6)],
        scale=6,
    )
    long, short = chart.bars
    assert long.width == BAR_MAX // 2 and short.width == BAR_MAX
    assert len(long.lines) == 2 and len(short.lines) == 1
    assert short.lines[0].y > long.bar_y  # each row below the previous one
    assert chart.height > short.bar_y
    assert chart.description == (
        "Increased your interest in taking on new leadership positions?: 3; No: 6"
    )


def test_an_empty_chart_still_has_a_size():
    chart = bar_chart(key="k", title="t", rows=[("None", 0)], scale=0)
    assert chart.bars[0].width == 0 and chart.height > 0


def test_the_drawing_writes_machine_coordinates_and_escapes_its_text(settings):
    """Coordinates are never localised (a "1 234" or "12,5" would break the drawing), while
    the numbers people read are; labels are text, never markup."""
    settings.USE_THOUSAND_SEPARATOR = True
    rows = [(f"<b>Answer {index}</b> & more", 2500 + index) for index in range(60)]
    rows.append(("Half", 12.5))
    chart = bar_chart(key="k", title="t", rows=rows, scale=3000)
    assert chart.height > 1000
    with translation.override("fr"):
        html = render_to_string("includes/_bar_chart.html", {"chart": chart})
    plot = html[html.index("<svg") : html.index("</svg>")]
    assert f'viewBox="0 0 {chart.width} {chart.height}"' in plot
    last = chart.bars[-1]
    assert f'<tspan x="0" y="{last.lines[0].y}">Half</tspan>' in plot
    assert f'<rect x="0" y="{last.bar_y}" width="{last.width}" height="22"' in plot
    assert f'<text x="{last.value_x}" y="{last.value_y}" font-size="16"' in plot
    assert ">12,5</text>" in plot  # the number as a French reader reads it
    assert "2\N{NO-BREAK SPACE}500" in plot or "2\N{NARROW NO-BREAK SPACE}500" in plot
    assert "<b>" not in html and "&lt;b&gt;Answer 0&lt;/b&gt; &amp; more" in plot
    assert len(re.findall(r"<rect ", plot)) == 61
    assert not re.search(r'\s(?:x|y|width|height)="[^"]*[^0-9"]', plot)
