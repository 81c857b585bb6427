"""Reads on a member's own data across every app: the "my data" download."""

import datetime
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from accounts.models import User
from core.dates import format_date
from programs.models import Program

from .export import REGISTRY, SHOWN_LABELS, export_rows


def member_data(user: User) -> dict[str, Any]:
    """Everything the application keeps about the member, for their own download.

    One query per entry of the registry (members/export.py), whatever the number of rows.
    Program evaluations are anonymous by design: nothing ties them to the member.
    """
    return {export.section: export_rows(export, user) for export in REGISTRY}


def _readable(value: Any) -> Any:
    """A value as the page shows it: dates in the member's language, not ISO 8601."""
    if isinstance(value, datetime.datetime):
        return format_date(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, Promise):
        return str(value)
    return value


def member_data_page(user: User) -> list[dict[str, Any]]:
    """The same data for the readable page: each section with its heading and labels."""
    sections = []
    for export in REGISTRY:
        data = export_rows(export, user, value=_readable)
        rows = [data] if export.single and data else ([] if export.single else data)
        model = export.model_class
        labels = {}
        for key in [*export.shown, *export.fields]:
            if key in SHOWN_LABELS:
                labels[key] = str(SHOWN_LABELS[key])
                continue
            try:
                labels[key] = str(model._meta.get_field(key).verbose_name)
            except models.FieldDoesNotExist:
                labels[key] = key.replace("_", " ")
        sections.append(
            {
                "key": export.section,
                "title": export.title,
                "rows": [[(labels[key], value) for key, value in row.items()] for row in rows],
            }
        )
    return sections


def member_data_rows(user: User) -> list[tuple[str, str, str]]:
    """The same data flattened to (section, field, value) rows for a spreadsheet."""
    rows: list[tuple[str, str, str]] = []

    def walk(section: str, value: Any, field: str = "") -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(section, inner, f"{field}.{key}" if field else str(key))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for index, item in enumerate(value, start=1):
                walk(f"{section} {index}", item, field)
        else:
            shown = ", ".join(map(str, value)) if isinstance(value, list) else value
            rows.append((section, field, "" if shown is None else str(shown)))

    for section, value in member_data(user).items():
        walk(section, value)
    return rows


def account_delete_refusal(user: User) -> str:
    """Why the member cannot delete their account now, or "" if they can."""
    # Counted before filtering on the member, or the join would count only them.
    alone = (
        Program.objects.annotate(n=models.Count("coordinators"))
        .filter(coordinators=user, n=1)
        .exclude(status=Program.Status.CLOSED)
        .order_by("name")
    )
    names = ", ".join(program.name for program in alone)
    if names:
        return _(
            "You are the only coordinator of %(programs)s. Invite another coordinator, or "
            "close the program, before you delete your account."
        ) % {"programs": names}
    return ""
