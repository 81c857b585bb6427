"""Date filters every template has without `{% load %}` (TEMPLATES "builtins" in settings).

`|date` replaces Django's own, the same but for the language's first of the month (French
"1er", core/dates.py): so every `|date:"DATE_FORMAT"` in every template, e-mail and printed
form writes dates one way per language. `|datetime_attr` is the only value a
`<time datetime="...">` takes.
"""

from django import template

from core import dates

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's `date` filter, with the language's own first of the month."""
    if value in (None, ""):
        return ""
    try:
        return dates.format_date(value, arg)
    except AttributeError:
        return ""


@register.filter(expects_localtime=True, is_safe=False)
def datetime_attr(value) -> str:
    """A valid `<time datetime>` value: ISO 8601 without fractions of a second."""
    if value in (None, ""):
        return ""
    return dates.machine_datetime(value)
