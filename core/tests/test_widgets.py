"""core.widgets.Select writes Django's own select markup, every text escaped."""

import pytest
from django import forms

from core.widgets import Select

HOSTILE = [
    ("", "No choice"),
    (1, "Ana <script>alert(1)</script>"),
    (2, "Bo \"quoted\" & 'single'"),
    (3, "{{ request.user }} {% now 'Y' %}"),
    ("x&y", "Value with <b>markup</b>"),
]


def _pair(choices, **kwargs):
    stock = forms.Select(choices=choices, **kwargs)
    ours = Select(choices=choices, **kwargs)
    return stock, ours


@pytest.mark.parametrize("value", [None, "", 1, "2", "x&y", 99])
def test_the_markup_is_django_own_with_the_value_selected(value):
    stock, ours = _pair(HOSTILE, attrs={"class": "form-select", "aria-required": "true"})
    attrs = {"id": "id_choice_1", "aria-describedby": "hint", "disabled": False, "required": True}
    expected = stock.render("choice_1", value, attrs=attrs)
    assert ours.render("choice_1", value, attrs=attrs) == expected
    assert "<script>" not in expected and "&lt;script&gt;" in expected


def test_groups_and_a_multiple_select_too():
    grouped = [("Region A", [(1, "One <i>"), (2, "Two")]), ("Region & B", [(3, "Three")])]
    stock, ours = _pair(grouped)
    assert ours.render("mentor", 3) == stock.render("mentor", 3)

    class Many(Select):
        allow_multiple_selected = True

    many = Many(choices=HOSTILE)
    stock_many = forms.SelectMultiple(choices=HOSTILE)
    assert many.render("m", [1, 3]) == stock_many.render("m", [1, 3])
