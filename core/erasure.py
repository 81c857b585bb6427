"""Emptying what a person typed: which fields of a model hold it, and their empty values.

Used by account deletion (members/) and the retention purge (dashboard/), which must
agree on what "free text" is: a text field that is not a choice, and not a key.
"""

from collections.abc import Iterable
from typing import Any

from django.db import models


def free_text_fields(model: type[models.Model], names: Iterable[str] | None = None) -> list[str]:
    """The model's fields that hold text a person typed (among `names`, if given)."""
    wanted = None if names is None else set(names)
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and not field.primary_key
        and (wanted is None or field.name in wanted)
    ]


def empty_value(field: models.Field) -> Any:
    if field.null:
        return None
    if isinstance(field, models.JSONField):
        return field.get_default()
    return ""


def emptied(model: type[models.Model], names: Iterable[str]) -> dict[str, Any]:
    """`update()` arguments that empty the named fields."""
    return {name: empty_value(model._meta.get_field(name)) for name in names}


def any_filled(model: type[models.Model], names: Iterable[str]) -> models.Q:
    """Rows where at least one of the named fields is not empty (nothing to do otherwise)."""
    condition = models.Q(pk__in=[])
    for name in names:
        field = model._meta.get_field(name)
        value = empty_value(field)
        condition |= (
            models.Q(**{f"{name}__isnull": False}) if value is None else ~models.Q(**{name: value})
        )
    return condition
