"""Widgets that write their markup in Python where Django's templates cost too much.

Django's select renders one template include per option (with the attributes' own
include): a mentee's three choices among a program's mentors, or a coordinator's pick
of a mentor, went through ~1,100 includes a page. `Select` writes the same markup, byte
for byte (core/tests/test_widgets.py compares it with Django's), every text escaped.
"""

from django import forms
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attributes(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: False is left out, True is the bare name."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(format_html(" {}", name))
        else:
            parts.append(format_html(' {}="{}"', name, str(value)))
    return "".join(parts)


class Select(forms.Select):
    """Django's Select with its options written in Python (the same markup)."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        out = [format_html('<select name="{}"', widget["name"]), _attributes(widget["attrs"]), ">"]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                out.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                out.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',
                        str(option["value"]),
                        mark_safe(_attributes(option["attrs"])),
                        conditional_escape(option["label"]),
                    )
                )
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))
