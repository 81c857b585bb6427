"""The lists behind the coordinator dashboard's numbers: on a page, and as a CSV download."""

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from core.csv_export import csv_response
from programs.access import coordinator_page
from programs.models import Program
from reminders import selectors as reminder_selectors

from . import lists, selectors
from .forms import ListFilterForm

PAGE_SIZE = 50
# Lists whose people can all be reminded at once: the reminder kind each sends.
REMINDABLE = {"surveys_missing": "survey_due", "worksheet": "worksheet_not_agreed"}


@dataclass
class Scope:
    """One request's list: which it is, over which programs, filtered how."""

    listing: lists.Listing
    programs: list[Program]  # those in the list: all the user runs, or the one chosen
    program: Program | None  # the one chosen in the filters
    form: ListFilterForm
    filters: dict[str, str]

    def rows(self):
        return lists.rows(
            self.listing.kind,
            self.programs,
            role=self.filters.get("role", ""),
            search=self.filters.get("q", ""),
        )


def _scope(request, kind: str) -> Scope:
    """The list asked for; 404 unless the user coordinates, and only for their programs."""
    if kind not in selectors.LIST_KINDS:
        raise Http404
    programs = selectors.programs_of(request.user)
    if not programs:
        raise Http404
    program = None
    slug = request.GET.get("program", "")
    if slug:
        program = next((p for p in programs if p.slug == slug), None)
        if program is None:
            # Someone else's program, or none: outsiders learn nothing of it.
            raise Http404
    in_list = [program] if program else programs
    listing = lists.describe(kind, in_list)
    form = ListFilterForm(request.GET or None, programs=programs, offered=listing.filters)
    filters = form.values()
    filters.pop("program", None)
    return Scope(listing, in_list, program, form, filters)


@require_safe
@coordinator_page
def list_view(request, kind):
    scope = _scope(request, kind)
    fields = lists.SHOWN_FIELDS.get(scope.listing.type, ())
    page = lists.page_of(scope.rows(), request.GET.get("page"), PAGE_SIZE, fields)
    remind_kind = REMINDABLE.get(kind, "")
    if remind_kind and page.object_list:
        _reminded_on(remind_kind, page.object_list)
    return render(
        request,
        "dashboard/list.html",
        {
            "listing": scope.listing,
            "program": scope.program,
            "form": scope.form,
            "page": page,
            "table_body": lists.table_body(scope.listing, page.object_list),
            "filtered": bool(scope.program or scope.filters),
            "remind_kind": remind_kind,
            "remind_programs": [p for p in scope.programs if p.status in selectors.LIVE]
            if remind_kind and page.object_list
            else [],
        },
    )


def _reminded_on(remind_kind: str, rows) -> None:
    """Give each row `reminded_on`: when it was last reminded (a pair: either partner)."""
    if remind_kind == "survey_due":
        keys = {row: [f"survey:{row.pk}"] for row in rows}
    else:
        keys = {row: [f"worksheet:{row.pk}:mentee", f"worksheet:{row.pk}:mentor"] for row in rows}
    sent = reminder_selectors.last_sent(remind_kind, [k for ks in keys.values() for k in ks])
    for row, row_keys in keys.items():
        row.reminded_on = max((sent[k] for k in row_keys if k in sent), default=None)


@require_safe
@coordinator_page
def list_csv(request, kind):
    scope = _scope(request, kind)
    header, rows = lists.csv_table(scope.listing, scope.rows())
    parts = [kind, *([scope.program.slug] if scope.program else []), str(timezone.localdate())]
    return csv_response(f"{'-'.join(parts)}.csv", header, rows)
