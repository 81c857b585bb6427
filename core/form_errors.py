"""The error summary at the top of a page: every error, each linking to its field."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rows:
    """A formset in the summary: how to name and anchor its rows and its own errors."""

    formset: object
    row_label: Callable[[int], str]
    label: str = ""  # for the formset's own errors
    anchor: str = ""  # for the formset's own errors
    row_anchor: Callable[[int], str] = lambda number: ""


def error_summary(*parts) -> list[dict]:
    """`parts` are forms, or Rows for formsets whose rows are numbered from 1."""
    items: list[dict] = []

    def add(form, prefix: str = "", anchor: str = "") -> None:
        for message in form.non_field_errors():
            items.append({"label": prefix, "message": message, "anchor": anchor})
        for field in form:
            label = f"{prefix}, {field.label}" if prefix else field.label
            items.extend(
                {"label": label, "message": message, "anchor": field.id_for_label}
                for message in field.errors
            )

    for part in parts:
        if isinstance(part, Rows):
            for message in part.formset.non_form_errors():
                items.append({"label": part.label, "message": message, "anchor": part.anchor})
            for number, form in enumerate(part.formset.forms, start=1):
                if form.is_bound and getattr(form, "cleaned_data", {}).get("DELETE"):
                    continue  # being removed: its errors do not stop the save
                add(form, part.row_label(number), part.row_anchor(number))
        elif part is not None:
            add(part)
    return items
