"""Text as the member sees it: one mechanism for every form a person types into.

A browser sends each line break of a text box as "\\r\\n" but shows and counts it as one
character, so a 3,000-character answer with line breaks arrived as 3,021 and was refused.
`CountedTextMixin` turns line endings into "\\n" before any validation, takes away the HTML
`maxlength` (which cuts a long paste without a word, and in some browsers counts a line
break as two), states each long field's limit in its help text, and marks long fields for
the live counter of static/js/forms.js. The server's length check then says what is wrong
and the whole text stays in the box.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.formats import number_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# One-line boxes at least this long get the counter too (an action, the languages).
COUNTED_ONE_LINE_MIN = 300


def normalise_newlines(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _normalised_value(value):
    return normalise_newlines(value) if isinstance(value, str) else value


def _normalised(data):
    """The submitted data with every line ending as "\\n" (a copy if any changed)."""
    if hasattr(data, "lists"):  # QueryDict, MultiValueDict
        changed = [
            (key, values)
            for key, values in data.lists()
            if any(isinstance(v, str) and "\r" in v for v in values)
        ]
        if not changed:
            return data  # else every form of a formset would copy the whole request
        copy = data.copy()
        for key, values in changed:
            copy.setlist(key, [_normalised_value(v) for v in values])
        return copy
    return {
        key: [_normalised_value(v) for v in value]
        if isinstance(value, list | tuple)
        else _normalised_value(value)
        for key, value in data.items()
    }


def is_counted(field: forms.Field) -> bool:
    """A long text field: a text box, or a one-line box for a long text, with a limit."""
    if not isinstance(field, forms.CharField) or not field.max_length:
        return False
    widget = field.widget
    return isinstance(widget, forms.Textarea) or (
        type(widget) is forms.TextInput and field.max_length >= COUNTED_ONE_LINE_MIN
    )


def show_limit(field: forms.Field) -> None:
    """No `maxlength` for the browser to cut with; on a long field, the limit and a counter."""
    if getattr(field, "_limit_shown", False) or not isinstance(field, forms.CharField):
        return
    field._limit_shown = True
    field.widget.attrs.pop("maxlength", None)
    if not is_counted(field):
        return
    limit = field.max_length
    stated = format_lazy(
        _("At most {limit} characters."), limit=number_format(limit, force_grouping=True)
    )
    field.help_text = format_lazy("{} {}", field.help_text, stated) if field.help_text else stated
    field.widget.attrs.update(
        {
            "data-counter": limit,
            # The counter's words, in the page's language; {count} and {over} are numbers.
            "data-counter-text": _("{count} of {limit} characters"),
            "data-counter-over-one": _("{over} character too many"),
            "data-counter-over": _("{over} characters too many"),
        }
    )


class CountedTextMixin:
    """Put first in a form's bases: `class MyForm(CountedTextMixin, forms.Form)`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.data = _normalised(self.data)
        for field in self.fields.values():
            show_limit(field)

    def __getitem__(self, name):
        # Fields added after __init__ (a survey's questions, a formset's DELETE) too.
        if name in self.fields:
            show_limit(self.fields[name])
        return super().__getitem__(name)  # Django's own message for an unknown name


class CommaListField(forms.CharField):
    """A list of short names typed as one line, "French, Punjabi", stored as a JSON list.

    Shows a stored list as the same line (never Python's "[]" or "['French']"), and drops
    brackets and quotes that such a display once put into the box.
    """

    def __init__(self, *, item_max_length: int = 40, item_too_long: str = "", **kwargs):
        self.item_max_length = item_max_length
        self.item_too_long = item_too_long or _("Each one can have at most %(limit)d characters.")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(filter(None, (clean_list_item(str(v)) for v in value)))
        return value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        seen: dict[str, str] = {}
        for name in (clean_list_item(n) for n in text.split(",")):
            if name and name.casefold() not in seen:
                seen[name.casefold()] = name[:1].upper() + name[1:]
        return list(seen.values())

    def validate(self, value) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def run_validators(self, value) -> None:
        # The whole line's limit is checked by `clean` before splitting; here, each name's.
        if any(len(name) > self.item_max_length for name in value):
            raise forms.ValidationError(
                self.item_too_long,
                code="item_max_length",
                params={"limit": self.item_max_length},
            )

    def clean(self, value):
        if self.max_length is not None:
            MaxLengthValidator(self.max_length)(normalise_newlines(str(value or "")).strip())
        return super().clean(value)


def clean_list_item(text: str) -> str:
    """One name of a typed list, with spaces tidied and stray brackets or quotes removed."""
    return " ".join(text.strip().strip("[]'\"").strip().split())


# --- Needed to submit ----------------------------------------------------------------------


def needed_to_submit(field: forms.Field) -> None:
    """Mark a field a draft may leave empty but the finished form needs.

    It carries the asterisk that the form's text promises (templates/bootstrap5/field.html
    shows it for `required` fields and for these) and `aria-required` for screen readers;
    the form's own `clean` refuses it empty when the member submits.
    """
    field.needed_to_submit = True
    field.label_suffix = ""
    field.widget.attrs["aria-required"] = "true"


# --- Widgets and the crispy helper every forms module uses ------------------------------------


def date_input() -> forms.DateInput:
    """The browser's date picker, given and read as ISO dates."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_input() -> forms.TimeInput:
    """The browser's time picker, hours and minutes."""
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def textarea(rows: int) -> forms.Textarea:
    """A text box `rows` lines high."""
    return forms.Textarea(attrs={"rows": rows})


def inner_helper(layout: Layout | None = None) -> FormHelper:
    """A crispy helper for a form inside the page's own <form>: no tag, no second token."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the page's <form> carries the token once
    helper.render_hidden_fields = True  # e.g. the version a form was loaded at (concurrency.py)
    if layout is not None:
        helper.layout = layout
    return helper
