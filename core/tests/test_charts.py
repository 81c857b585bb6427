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
