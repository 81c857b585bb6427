"""What each recorded action is called on the Activity page, in the reader's language.

Entries store the URL's name (e.g. "intake:decide"); the label is looked up when shown,
so it follows the reader's language. An action without a label here is still recorded and
shown by its URL's name.
"""

import re

from django.apps import apps
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

ACTION_LABELS = {
    "programs:create": gettext_lazy("Created the program"),
    "programs:edit": gettext_lazy("Changed the program's set-up"),
    "programs:copy": gettext_lazy("Copied the program for next year"),
    "programs:change_status": gettext_lazy("Changed the program's status"),
    "intake:decide": gettext_lazy("Decided on an application"),
    "intake:apply": gettext_lazy("Applied"),
    "intake:nominate": gettext_lazy("Nominated a member"),
    "intake:key_in": gettext_lazy("Keyed in a paper application"),
    "matching:run": gettext_lazy("Ran matching"),
    "matching:settings": gettext_lazy("Changed the matching settings"),
    "matching:publish": gettext_lazy("Published matches"),
    "matching:exclude": gettext_lazy("Excluded a pair"),
    "matching:lift_exclusion": gettext_lazy("Lifted an exclusion"),
    "matching:choose": gettext_lazy("Chose a mentor"),
    "matching:lock": gettext_lazy("Locked a proposal"),
    "matching:unlock": gettext_lazy("Unlocked a proposal"),
    "matching:swap": gettext_lazy("Swapped mentors"),
    "matching:manual": gettext_lazy("Paired by hand"),
    "matching:priority": gettext_lazy("Changed a mentee's priority"),
    "matching:end": gettext_lazy("Ended a match"),
    "matching:mentor_detail": gettext_lazy("Changed the mentor database"),
    "surveys:key_in": gettext_lazy("Typed in a paper survey"),
    "surveys:reopen": gettext_lazy("Reopened a survey"),
    "evaluation:window": gettext_lazy("Opened or closed the evaluation"),
    "evaluation:participant_outcomes": gettext_lazy("Recorded outcomes"),
    "evaluation:role_delete": gettext_lazy("Deleted a later union role"),
    "evaluation:testimonial_review": gettext_lazy("Reviewed a testimonial"),
    "sessions:orientation_edit": gettext_lazy("Changed the orientation"),
    "sessions:orientation_attendance": gettext_lazy("Took orientation attendance"),
    "sessions:group_session_create": gettext_lazy("Scheduled a group session"),
    "sessions:group_session_edit": gettext_lazy("Changed a group session"),
    "sessions:group_session_attendance": gettext_lazy("Took group session attendance"),
    "sessions:group_session_cancel": gettext_lazy("Cancelled a group session"),
    "printing:packet": gettext_lazy("Asked for the packet of forms"),
    "reminders:send_survey": gettext_lazy("Sent a reminder by hand"),
    "reminders:settings": gettext_lazy("Changed the reminder settings"),
    # Recorded by the daily purge (dashboard/retention.py), under its preview page's name.
    "dashboard:retention": gettext_lazy("Purged free text and demographics past retention"),
}

_ADMIN = re.compile(
    r"^admin:(?P<app>[a-z0-9_]+?)_(?P<model>[a-z0-9]+)_(?P<op>add|change|delete|changelist)$"
)
_ADMIN_OPERATIONS = {
    "add": gettext_lazy("Administration: %(model)s added"),
    "change": gettext_lazy("Administration: %(model)s changed"),
    "delete": gettext_lazy("Administration: %(model)s deleted"),
    # An action on rows ticked in the admin's list (e.g. "Delete selected").
    "changelist": gettext_lazy("Administration: %(model)s, several at once"),
}


def action_label(action: str) -> str:
    """The action's label in the active language; its URL's name when it has none."""
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    if found := _ADMIN.match(action):
        try:
            meta = apps.get_model(found["app"], found["model"])._meta
            model = meta.verbose_name_plural if found["op"] == "changelist" else meta.verbose_name
        except LookupError:
            model = found["model"]
        return str(_ADMIN_OPERATIONS[found["op"]]) % {"model": model}
    if action.startswith("admin:"):
        return _("Administration: %(action)s") % {"action": action.removeprefix("admin:")}
    return action


def model_label(label: str) -> str:
    """A model's name for people ("application"), from "intake.application"."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    parent = model._meta.auto_created
    if parent:  # a many-to-many table: say which field of which model
        for field in parent._meta.many_to_many:
            if field.remote_field.through is model:
                return f"{parent._meta.verbose_name}: {field.verbose_name}"
    return str(model._meta.verbose_name)


def field_labels(label: str, names: list[str]) -> list[str]:
    """The fields' names for people, from their names in the code."""
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return list(names)
    shown = []
    for name in names:
        try:
            shown.append(str(model._meta.get_field(name).verbose_name))
        except Exception:  # a field since removed: its name in the code is all we have
            shown.append(name)
    return shown


OPERATIONS = {
    "created": pgettext_lazy("activity: rows were", "created"),
    "changed": pgettext_lazy("activity: rows were", "changed"),
    "deleted": pgettext_lazy("activity: rows were", "deleted"),
}


def describe_changes(changes: list[dict]) -> list[dict]:
    """Each change for people: the model's name, what happened, and the fields' names."""
    return [
        {
            "model": model_label(change["model"]),
            "operation": str(OPERATIONS.get(change["operation"], change["operation"])),
            "fields": field_labels(change["model"], change.get("fields", [])),
        }
        for change in changes
    ]


def describe_target(target: dict) -> str:
    """The URL's arguments as record numbers, e.g. "#12, meeting #3", without the program's."""
    parts = []
    for name, value in target.items():
        if name == "slug":
            continue
        if name == "pk":
            parts.append(f"#{value}")
        else:
            parts.append(f"{name.removesuffix('_id').replace('_', ' ')} #{value}")
    return ", ".join(parts)
