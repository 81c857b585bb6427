"""The mentor database's filter fields, written in Python (matching/filter_markup.py), are
the markup crispy writes: same names, ids, labels, values, help, errors and ARIA."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.test.html import parse_html
from django.utils import translation

from matching.filter_markup import _writer, filter_fields
from matching.forms import MentorFilterForm

REGIONS = ["Interior", 'North & "Far" <North>']

SEARCHES = [
    None,  # the page as it opens
    {},  # submitted with nothing
    {
        "q": 'Alex "<b>" & co',
        "language": "French",
        "region": 'North & "Far" <North>',
        "skill": "bargaining",
        "kind": "external",
        "available": "on",
    },
    # Every field refused that can be: too long, not a choice.
    {"q": "x" * 101, "language": "y" * 41, "region": "Nowhere", "skill": "magic", "kind": "?"},
]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("data", SEARCHES)
def test_each_filter_field_is_the_markup_crispy_writes(language, data):
    with translation.override(language):
        form = MentorFilterForm(data, regions=REGIONS)
        form.is_valid()
        written = filter_fields(form)
        assert set(written) == set(form.fields)
        for field in form:
            assert _writer(field) is not None, f"{field.name} fell back to crispy"
            assert parse_html(written[field.name]) == parse_html(as_crispy_field(field)), field.name


def test_a_refused_field_says_why_and_is_marked_invalid():
    form = MentorFilterForm({"q": "x" * 101, "region": "Nowhere"}, regions=REGIONS)
    form.is_valid()
    written = filter_fields(form)
    assert 'aria-invalid="true"' in written["q"]
    assert 'aria-describedby="id_q_helptext id_q_error"' in written["q"]
    assert "at most 100 characters" in written["q"]
    assert "Nowhere is not one of the available choices" in written["region"]
    assert "is-invalid" not in written["language"]


def test_what_was_typed_comes_back_escaped():
    form = MentorFilterForm({"q": '"><script>alert(1)</script>'}, regions=REGIONS)
    form.is_valid()
    written = filter_fields(form)
    assert "<script>" not in written["q"]
    assert 'value="&quot;&gt;&lt;script&gt;' in written["q"]
    assert "<North>" not in written["region"]
