"""The mentor database's filter fields, written once in Python instead of through crispy.

`as_crispy_field` renders each field through about ten nested templates (the field wrapper,
the widget, one template per option of a select, help text and errors): a fifth of the
page's time for six fields. The markup here is the same as crispy-bootstrap5's with this
project's field template — the same names, ids, labels, values, help texts, error messages,
`aria-describedby` and `aria-invalid` — built with escaped values in a few string joins
(`matching/tests/test_mentor_database_filters.py` compares the two, field by field, for an
empty, a filled-in and a refused search). Any field this does not know how to write (a
required field, another widget, extra widget attributes) goes through crispy as before.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.forms.boundfield import BoundField
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def _errors(field: BoundField) -> str:
    if not field.errors:
        return ""
    messages = format_html_join(
        "",
        '<p id="error_{}_{}"><strong>{}</strong></p>',
        ((number, field.auto_id, error) for number, error in enumerate(field.errors, 1)),
    )
    return format_html(
        '<div id="{}_error" class="invalid-feedback">{}</div>', field.auto_id, messages
    )


def _help(field: BoundField) -> str:
    if not field.help_text:
        return ""
    return format_html(
        '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
    )


def _state(field: BoundField) -> tuple[str, str]:
    """The class suffix and the `aria-invalid`/`aria-describedby` attributes of the control."""
    described = [f"{field.auto_id}_helptext"] if field.help_text else []
    if field.errors:
        described.append(f"{field.auto_id}_error")
    attrs = ' aria-invalid="true"' if field.errors else ""
    if described:
        attrs += format_html(' aria-describedby="{}"', " ".join(described))
    return (" is-invalid" if field.errors else ""), attrs


def _labelled(field: BoundField, control: str) -> SafeString:
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}{}</div>',
        field.auto_id,
        field.id_for_label,
        field.label,
        control,  # format_html output: kept as it is
        _errors(field),
        _help(field),
    )


def _text(field: BoundField) -> SafeString:
    invalid, attrs = _state(field)
    value = field.value()
    shown = "" if value in (None, "") else format_html(' value="{}"', value)
    control = format_html(
        '<input type="text" name="{}"{} class="textinput form-control{}"{} id="{}">',
        field.html_name,
        shown,
        invalid,
        mark_safe(attrs),  # every value in it escaped by _state
        field.auto_id,
    )
    return _labelled(field, control)


def _select(field: BoundField) -> SafeString:
    invalid, attrs = _state(field)
    value = field.value()
    chosen = "" if value is None else str(value)
    options = "".join(
        f'<option value="{conditional_escape(key)}"{" selected" if str(key) == chosen else ""}>'
        f"{conditional_escape(label)}</option>"
        for key, label in field.field.choices
    )
    control = format_html(
        '<select name="{}" class="select form-select{}"{} id="{}">{}</select>',
        field.html_name,
        invalid,
        mark_safe(attrs),  # every value in it escaped by _state
        field.auto_id,
        mark_safe(options),  # every key and label escaped above
    )
    return _labelled(field, control)


def _checkbox(field: BoundField) -> SafeString:
    return format_html(
        '<div class="mb-3"><div id="div_{}" class="form-check">'
        '<input type="checkbox" name="{}" class="checkboxinput form-check-input" id="{}"{}>'
        '<label for="{}" class="form-check-label">{}</label></div></div>',
        field.auto_id,
        field.html_name,
        field.auto_id,
        " checked" if field.value() else "",
        field.id_for_label,
        field.label,
    )


def _writer(field: BoundField):
    """The writer for this field, or None when only crispy knows how to write it."""
    if field.field.required or field.field.widget.attrs or field.field.disabled:
        return None
    widget = type(field.field.widget)
    if widget is forms.TextInput:
        return _text
    if widget is forms.Select and not any(
        isinstance(label, list | tuple) for _key, label in field.field.choices
    ):
        return _select
    if widget is forms.CheckboxInput and not field.errors and not field.help_text:
        return _checkbox
    return None


def filter_fields(form: forms.Form) -> dict[str, SafeString]:
    """Each field's markup, by name, as `{{ form.NAME|as_crispy_field }}` would write it."""
    written = {}
    for field in form:
        writer = _writer(field)
        written[field.name] = writer(field) if writer else as_crispy_field(field)
    return written
