"""Crispy layout text that is shown as written, never run as a template.

crispy-forms renders a Fieldset's legend and an HTML() object through the template
engine (`Template(str(legend)).render(context)` in crispy_forms/layout.py), with the
page's whole context. A success measure reading `{{ request.META.HTTP_COOKIE }}` would
print the viewer's cookie, and `format_html` does not help: it escapes `<`, not `{`.
Every legend and HTML() in the project's forms goes through `inert` (or `heading`,
built on it); `mentorship/tests/test_hostile_content.py` holds them to it.
"""

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

# Character references read as the characters in a browser; the template engine sees no
# `{{`, `{%` or `{#` and leaves the text alone.
_TEMPLATE_SYNTAX = str.maketrans({"{": "&#123;", "}": "&#125;", "%": "&#37;"})


def inert(markup) -> SafeString:
    """Markup for a crispy legend or HTML(): text not marked safe is escaped first.

    Markup built with `format_html` keeps its tags; what was put into it stays text.
    """
    # Escaped here, so the result is safe whatever the caller passed in.
    return mark_safe(str(conditional_escape(markup)).translate(_TEMPLATE_SYNTAX))


def heading(title, *, level: int = 2, css_class: str = "h5 mt-2", id: str = "") -> SafeString:
    """A real heading inside a legend, so sections show in a screen reader's outline."""
    if id:
        return inert(
            format_html('<h{} class="{}" id="{}">{}</h{}>', level, css_class, id, title, level)
        )
    return inert(format_html('<h{} class="{}">{}</h{}>', level, css_class, title, level))
