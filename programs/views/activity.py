"""The program's Activity page: every coordinator's change, who made it and when."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.csv_export import csv_response

from .. import activity_selectors as selectors
from ..access import Need, program_view
from ..activity_forms import ActivityFilterForm
from ..activity_labels import action_label, describe_changes, describe_target

PAGE_SIZE = 50


def _filtered(request, program):
    form = ActivityFilterForm(
        request.GET or None,
        actors=selectors.activity_actors(program),
        actions=selectors.activity_actions(program),
    )
    filters = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    return form, filters, selectors.activity_of(program, **filters)


@program_view(Need.MANAGE)
def activity(request, program, role):
    form, filters, entries = _filtered(request, program)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "entry": entry,
            "label": action_label(entry.action),
            "target": describe_target(entry.target),
            "changes": describe_changes(entry.changes),
        }
        for entry in page.object_list
    ]
    return render(
        request,
        "programs/activity.html",
        {"program": program, "form": form, "page": page, "rows": rows, "filtered": bool(filters)},
    )


@program_view(Need.MANAGE)
def activity_csv(request, program, role):
    _form, _filters, entries = _filtered(request, program)
    header = [_("When"), _("Who"), _("Action"), _("Action code"), _("Object"), _("Changes")]
    rows = (
        [
            timezone.localtime(entry.at).isoformat(timespec="seconds"),
            entry.actor.name if entry.actor else _("A former member"),
            action_label(entry.action),
            entry.action,
            describe_target(entry.target),
            "; ".join(
                f"{c['model']} {c['operation']}: {', '.join(c.get('fields', []))}".rstrip(": ")
                for c in entry.changes
            ),
        ]
        for entry in entries.iterator(chunk_size=500)
    )
    return csv_response(f"activity-{program.slug}.csv", header, rows)
