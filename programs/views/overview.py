from django.core.paginator import Paginator
from django.shortcuts import render

from .. import selectors
from ..access import Need, program_view
from ..forms import ParticipantFilterForm
from ..models import Program

PAGE_SIZE = 25


def program_list(request):
    """Public: programs open for applications, then current and past ones."""
    programs = selectors.public_programs()
    return render(
        request,
        "programs/list.html",
        {
            "open_programs": [p for p in programs if p.status == Program.Status.OPEN],
            "other_programs": [p for p in programs if p.status != Program.Status.OPEN],
        },
    )


@program_view(Need.MANAGE)
def participants(request, program, role):
    form = ParticipantFilterForm(request.GET or None)
    search, role_filter = "", ""
    if form.is_valid():
        search = form.cleaned_data["q"]
        role_filter = form.cleaned_data["role"]
    rows = selectors.participants_of(program, search=search, role=role_filter)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/participants.html",
        {"program": program, "form": form, "page": page, "filtered": bool(search or role_filter)},
    )
