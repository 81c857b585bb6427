"""The coordinator's program set-up pages: create, edit, status (copy: dashboard/views.py)."""

from copy import copy as shallow_copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.concurrency import EditConflict, resolve
from core.flash import show_refusal
from core.form_errors import Rows, error_summary

from .. import activity, selectors, services
from ..access import Need, can_create_programs, coordinator_page, program_view
from ..forms import PhaseFormSet, ProgramForm, phase_initial
from ..invitation_messages import pending_addresses, tell_about_invitations
from ..models import Program

PHASES_PREFIX = "phases"
# The handbook's typical length of a formal mentoring program.
TYPICAL_MONTHS = (6, 12)


def _validate(form: ProgramForm, formset) -> bool:
    """Validate the program, then its phases against the program's dates."""
    form_valid = form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    formset.set_program_dates(cleaned.get("starts_on"), cleaned.get("ends_on"))
    return formset.is_valid() and form_valid


def _error_summary(form: ProgramForm, formset) -> list[dict]:
    return error_summary(
        form,
        Rows(
            formset,
            row_label=lambda number: _("Phase %(number)d") % {"number": number},
            label=_("Phases"),
            anchor="phases",
            row_anchor=lambda number: f"phase-{number}",
        ),
    )


def _warn_about_duration(request, program: Program) -> None:
    months = program.duration_months
    low, high = TYPICAL_MONTHS
    if months is not None and not low <= months <= high:
        messages.warning(
            request,
            _(
                "This program runs for about %(months)d months. Formal mentoring programs "
                "usually run for %(low)d to %(high)d months: check the dates."
            )
            % {"months": months, "low": low, "high": high},
        )


def _render_form(request, form, formset, *, program: Program | None, clash=None):
    return render(
        request,
        "programs/form.html",
        {
            "form": form,
            "phase_formset": formset,
            "program": program,
            "error_summary": _error_summary(form, formset) if form.is_bound else [],
            "pending_invitations": (
                selectors.pending_invitations_of(program) if program is not None else []
            ),
            "edit_conflict": clash,
        },
        status=409 if clash else 200,
    )


@coordinator_page
@require_http_methods(["GET", "POST"])
def create(request):
    if not can_create_programs(request.user):
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = ProgramForm(data, creating=True, initial={"year": timezone.localdate().year})
    formset = PhaseFormSet(data, prefix=PHASES_PREFIX)
    if data is not None and _validate(form, formset):
        try:
            program = services.program_create(
                by=request.user,
                data=form.setup_data(),
                phases=formset.phases(),
                measures=form.cleaned_data["success_measures"],
                coordinator_emails=form.cleaned_data["coordinator_emails"],
            )
        except ValidationError as error:
            show_refusal(request, error, form=form)
        else:
            activity.refine(request, program=program)  # its Activity page shows its creation
            messages.success(
                request,
                _(
                    "“%(name)s” was created as a draft: only its coordinators can see it "
                    "until you open applications."
                )
                % {"name": program.name},
            )
            _warn_about_duration(request, program)
            tell_about_invitations(request, program, before=set())
            return redirect(program)
    return _render_form(request, form, formset, program=None)


@require_http_methods(["GET", "POST"])
@program_view(Need.MANAGE)
def edit(request, program, role):
    data = request.POST if request.method == "POST" else None
    stored = selectors.setup_values(program, services.SETUP_FIELDS)
    initial = {f: stored[f] for f in ("success_measures", "coordinator_emails")}
    # The form validates a copy, so the page keeps the saved name and address.
    form = ProgramForm(
        data,
        creating=False,
        instance=shallow_copy(program),
        initial=initial,
        loaded_from=stored,
    )
    formset = PhaseFormSet(data, prefix=PHASES_PREFIX, initial=phase_initial(program))
    clash = None
    if data is not None and _validate(form, formset):
        before = pending_addresses(program)
        try:
            saved = services.program_update(
                program=program,
                by=request.user,
                data=form.setup_data(),
                phases=formset.phases(),
                measures=form.cleaned_data["success_measures"],
                coordinator_emails=form.cleaned_data["coordinator_emails"],
                loaded=form.loaded(),
            )
        except EditConflict as conflict:
            clash = resolve(conflict, form)
            (form,) = clash.forms
        except ValidationError as error:
            show_refusal(request, error, form=form)
        else:
            activity.refine(request, form=form)  # the saved row lists every column
            messages.success(request, _("The changes were saved."))
            _warn_about_duration(request, saved)
            tell_about_invitations(request, saved, before=before)
            if not saved.coordinators.filter(pk=request.user.pk).exists():
                # They stepped down; the program's page may no longer be theirs to see.
                messages.info(
                    request,
                    _("You are no longer a coordinator of “%(name)s”.") % {"name": saved.name},
                )
                return redirect("accounts:home")
            return redirect(saved)
    return _render_form(request, form, formset, program=program, clash=clash)


# Login first, then the method: a member's GET is refused (405) before anything about the
# program is looked up, so the answer says nothing about whether it exists.
@login_required
@require_POST
@program_view(Need.MANAGE)
def change_status(request, program, role):
    to = request.POST.get("to", "")
    try:
        program = services.program_transition(program=program, to=to, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _("“%(name)s” is now: %(status)s.")
            % {"name": program.name, "status": program.get_status_display()},
        )
    return redirect(program)
