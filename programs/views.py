from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from . import selectors
from .access import Need, Role, program_view
from .forms import ParticipantFilterForm

PAGE_SIZE = 25


@program_view(Need.VIEW)
def detail(request, program, role):
    return render(
        request,
        "programs/detail.html",
        {
            "program": program,
            "role": role,
            "is_coordinator": role is Role.COORDINATOR,
            "coordinators": program.coordinators.order_by("name"),
            "counts": selectors.role_counts(program),
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


@login_required
def coordinator_home(request):
    programs = selectors.programs_coordinated_by(request.user)
    if not programs:
        # Not a coordinator of anything: this page does not exist for them.
        raise Http404
    return render(request, "programs/coordinator_home.html", {"programs": programs})
