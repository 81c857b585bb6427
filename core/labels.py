"""Choice labels for the rows of a page, each looked up once in the active language."""

from collections.abc import Callable, Iterable

from django.utils.html import escape


def choice_labels(choices, *, escaped: bool = False) -> Callable[[object], str]:
    """`get_FOO_display()` for a whole list: `choices` is a Choices class or (value, label)
    pairs (a field's `flatchoices`). A value outside the choices shows as itself, as there.

    `escaped`: HTML-escaped labels, for markup built in Python. Make one per page: the
    labels are those of the language active when it is made.
    """
    pairs: Iterable = getattr(choices, "choices", choices)
    labels = {value: str(label) for value, label in pairs}
    if escaped:
        labels = {value: str(escape(label)) for value, label in labels.items()}
        return lambda value: labels.get(value) or str(escape(str(value)))
    return lambda value: labels.get(value, value)
