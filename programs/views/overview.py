from django.core.paginator import Paginator
from django.shortcuts import render

from intake import selectors as intake_selectors
from matching.selectors import active_matches_of
from surveys.selectors import partners_of

from .. import selectors
from ..access import Need, Role, get_public_program, program_view
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


def detail(request, slug):
    """The program page: public once past draft; insiders see their part of it too."""
    program, role = get_public_program(request.user, slug)
    insider = role is not Role.OUTSIDER
    context = {
        "program": program,
        "role": role,
        "insider": insider,
        "is_coordinator": role is Role.COORDINATOR,
        "phases": program.phases.all(),
        "accepts_applications": program.accepts_applications(),
        "my_applications": intake_selectors.applications_of(request.user, program),
    }
    if insider:
        context["coordinators"] = program.coordinators.order_by("name")
        context["counts"] = selectors.role_counts(program)
    if role is Role.COORDINATOR:
        context["success_measures"] = program.success_measures.all()
    elif insider:
        me = program.participants.get(user=request.user)
        context["partners"] = partners_of(me).select_related("user")
        context["active_matches"] = active_matches_of(request.user, program)
    return render(request, "programs/detail.html", context)


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
