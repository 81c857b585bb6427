from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.forms import DemographicsForm
from accounts.selectors import profile_of
from core.concurrency import EditConflict, resolve
from core.dates import date_writer
from core.flash import show_refusal
from core.labels import choice_labels
from core.urls import url_pattern
from programs.access import Need, get_public_program, program_view
from programs.models import Participant, Program

from . import selectors, services
from .forms import (
    ApplicationForm,
    DecisionForm,
    NominationForm,
    PaperApplicantForm,
    PaperApplicationForm,
    ReviewFilterForm,
)
from .models import Application

PAGE_SIZE = 25
STANDARD_PRIVACY_NOTICE = gettext_lazy(
    "We collect what you write here to select and match participants for this program. "
    "Your application is seen by the program's coordinators only. Questions about gender and "
    "race or ethnicity are optional: they help us build a class that reflects our membership, "
    "are shown to coordinators only as totals, and are never used to decide on one person. "
    "You can see, download and delete your data at any time."
)


@login_required
def apply(request, slug, role):
    program, _role = get_public_program(request.user, slug)
    if role not in Participant.Role.values:
        raise Http404
    application = selectors.applications_of(request.user, program).filter(role=role).first()
    if application and not application.is_editable:
        messages.info(request, _("You have already submitted this application."))
        return redirect("intake:my_application", program.slug, application.pk)
    open_now = program.accepts_applications()
    demographics = DemographicsForm(
        request.POST if request.method == "POST" else None, instance=profile_of(request.user)
    )
    loaded_from = selectors.application_values(application, request.user)
    clash = None
    if request.method == "POST":
        submitting = "submit" in request.POST
        form = ApplicationForm(
            request.POST, instance=application, submitting=submitting, loaded_from=loaded_from
        )
        if not open_now:
            messages.error(
                request, _("Applications for this program are closed; nothing was saved.")
            )
        elif form.is_valid() & demographics.is_valid():
            try:
                saved, submitted = services.application_save(
                    program=program,
                    applicant=request.user,
                    role=role,
                    answers=form.application_answers(),
                    profile_answers=demographics.cleaned_data,
                    submit=submitting,
                    consent=form.cleaned_data["privacy_consent"],
                    loaded=form.loaded(),
                )
            except EditConflict as conflict:
                clash = resolve(conflict, form, demographics)
                form, demographics = clash.forms
            except ValidationError as error:
                show_refusal(request, error)
            else:
                if submitted:
                    messages.success(
                        request,
                        _("Your application is submitted. We sent you a confirmation e-mail."),
                    )
                    return redirect("intake:my_application", program.slug, saved.pk)
                if saved.is_editable:
                    messages.success(
                        request, _("Your draft has been saved. You can come back to it any time.")
                    )
                    return redirect("intake:apply", program.slug, role)
                messages.info(request, _("You have already submitted this application."))
                return redirect("intake:my_application", program.slug, saved.pk)
    else:
        form = ApplicationForm(instance=application, loaded_from=loaded_from)
    return render(
        request,
        "intake/apply.html",
        {
            "program": program,
            "role": role,
            "role_label": Participant.Role(role).label,
            "form": form,
            "demographics_form": demographics,
            "application": application,
            "open_now": open_now,
            "not_yet_open": bool(
                program.applications_open_on and program.applications_open_on > timezone.localdate()
            ),
            "privacy_notice": program.privacy_notice or STANDARD_PRIVACY_NOTICE,
            "edit_conflict": clash,
        },
        status=409 if clash else 200,
    )


def _own_application(request, slug, pk) -> Application:
    return get_object_or_404(
        selectors.applications_of(request.user).filter(program__slug=slug), pk=pk
    )


@login_required
def my_application(request, slug, pk):
    application = _own_application(request, slug, pk)
    return render(
        request,
        "intake/my_application.html",
        {"application": application, "program": application.program},
    )


@login_required
def withdraw(request, slug, pk):
    """GET asks for confirmation; POST withdraws."""
    application = _own_application(request, slug, pk)
    if request.method == "POST":
        try:
            services.application_withdraw(application=application, by=request.user)
        except ValidationError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Your application has been withdrawn."))
        return redirect("intake:my_application", slug, pk)
    return render(
        request,
        "intake/withdraw_confirm.html",
        {"application": application, "program": application.program},
    )


@login_required
def nominate(request, slug):
    program, _role = get_public_program(request.user, slug)
    open_now = program.accepts_applications()
    form = NominationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not open_now:
            messages.error(
                request, _("Nominations for this program are closed; nothing was saved.")
            )
        elif form.is_valid():
            try:
                services.nomination_create(
                    program=program, nominator=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                show_refusal(request, error, form=form)
            else:
                messages.success(
                    request,
                    _("Thank you. We sent %(name)s an invitation to apply.")
                    % {"name": form.cleaned_data["nominee_name"]},
                )
                return redirect(program)
    return render(
        request, "intake/nominate.html", {"program": program, "form": form, "open_now": open_now}
    )


def _review_rows(program: Program, applications: list[Application]) -> None:
    """Each row's link and cells, written once here rather than by per-row template tags."""
    detail_url = url_pattern("intake:review_detail", program.slug)
    short_date = date_writer("SHORT_DATE_FORMAT")
    fields = Application._meta
    roles = choice_labels(fields.get_field("role").flatchoices)
    statuses = choice_labels(fields.get_field("status").flatchoices)
    for application in applications:
        application.url = detail_url(application.pk)
        application.role_label = roles(application.role)
        application.status_label = statuses(application.status)
        application.local_text = application.local_unit or "—"
        application.submitted_text = (
            short_date(application.submitted_at) if application.submitted_at else ""
        )
        application.select_label = _("Select %(name)s") % {"name": application.applicant.name}


@program_view(Need.MANAGE)
def review(request, program, role):
    locals_ = selectors.locals_of(program)
    form = ReviewFilterForm(request.GET or None, locals_=locals_)
    filters = {"search": "", "status": "", "role": "", "local": ""}
    if form.is_valid():
        filters = {
            "search": form.cleaned_data["q"],
            "status": form.cleaned_data["status"],
            "role": form.cleaned_data["role"],
            "local": form.cleaned_data["local"],
        }
    page = Paginator(selectors.applications_for_review(program, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    _review_rows(program, page.object_list)
    show_summary = program.status in (Program.Status.OPEN, Program.Status.SELECTING)
    context = {
        "program": program,
        "form": form,
        "page": page,
        "filtered": any(filters.values()),
        "waiting_only": filters["status"] == Application.Status.SUBMITTED,
        # The action bar, when a decision can be made on something shown.
        "can_bulk": program.status in services.DECIDING_STATUSES
        and any(a.status == Application.Status.SUBMITTED for a in page.object_list),
        "show_summary": show_summary,
        "nomination_count": program.nominations.count(),
    }
    if show_summary:
        context["summary"] = selectors.class_summary(program, role=filters["role"])
        context["totals"] = selectors.pool_totals(program, role=filters["role"])
        context["suppress_below"] = selectors.SUPPRESS_BELOW
    return render(request, "intake/review.html", context)


@program_view(Need.MANAGE)
def key_in(request, program, role):
    """A coordinator types in an application handed in on paper, for its applicant."""
    data = request.POST if request.method == "POST" else None
    person = PaperApplicantForm(data)
    form = PaperApplicationForm(data)
    if data is not None and person.is_valid() & form.is_valid():
        try:
            saved, created = services.paper_application_key_in(
                program=program,
                by=request.user,
                email=person.cleaned_data["email"],
                name=person.cleaned_data["name"],
                language=person.cleaned_data["language"],
                role=person.cleaned_data["role"],
                answers=form.application_answers(),
                consent=form.cleaned_data["privacy_consent"],
            )
        except ValidationError as error:
            show_refusal(request, error, form=person if _about_person(error) else form)
        else:
            if created:
                messages.success(
                    request,
                    _(
                        "The paper application of %(name)s is saved as submitted. Write its "
                        "record code %(code)s on the paper form."
                    )
                    % {"name": saved.applicant.name, "code": saved.record_code},
                )
            else:
                messages.info(
                    request,
                    _(
                        "%(name)s already has a submitted application as %(role)s: nothing "
                        "was added."
                    )
                    % {"name": saved.applicant.name, "role": saved.get_role_display()},
                )
            return redirect("intake:review_detail", program.slug, saved.pk)
    return render(
        request,
        "intake/key_in.html",
        {
            "program": program,
            "person": person,
            "form": form,
            "open_for_key_in": program.status in services.KEY_IN_STATUSES,
            "privacy_notice": program.privacy_notice or STANDARD_PRIVACY_NOTICE,
        },
    )


def _about_person(error: ValidationError) -> bool:
    return hasattr(error, "error_dict") and bool(
        set(error.error_dict) & set(PaperApplicantForm.base_fields)
    )


@program_view(Need.MANAGE)
def review_detail(request, program, role, pk):
    application = get_object_or_404(
        selectors.applications_for_review(program).select_related("nomination__nominator"), pk=pk
    )
    return render(
        request,
        "intake/review_detail.html",
        {
            "program": program,
            "application": application,
            "form": DecisionForm(initial={"note": application.decision_note}),
            "can_decide": application.status in services.DECIDABLE
            and program.status in services.DECIDING_STATUSES,
        },
    )


def waiting_list_url(program: Program) -> str:
    return f"{reverse('intake:review', args=[program.slug])}?status={Application.Status.SUBMITTED}"


def bulk_message(result: services.BulkDecision) -> str:
    """One message with the counts: decided (and e-mailed), left as they were, not found."""
    n = len(result.decided)
    if n:
        parts = [
            {
                Application.Status.ACCEPTED: ngettext(
                    "%(n)d application accepted.", "%(n)d applications accepted.", n
                ),
                Application.Status.WAITLISTED: ngettext(
                    "%(n)d application wait-listed.", "%(n)d applications wait-listed.", n
                ),
                Application.Status.DECLINED: ngettext(
                    "%(n)d application declined.", "%(n)d applications declined.", n
                ),
            }[result.status]
            % {"n": n},
            ngettext(
                "The applicant has been told by e-mail.",
                "Each applicant has been told by e-mail.",
                n,
            ),
        ]
    else:
        parts = [_("Nothing was decided.")]
    if result.not_waiting:
        parts.append(
            ngettext(
                "%(n)d was already decided or withdrawn and was left as it was.",
                "%(n)d were already decided or withdrawn and were left as they were.",
                len(result.not_waiting),
            )
            % {"n": len(result.not_waiting)}
        )
    if result.unknown:
        parts.append(
            ngettext(
                "%(n)d selected application is not in this program and was ignored.",
                "%(n)d selected applications are not in this program and were ignored.",
                result.unknown,
            )
            % {"n": result.unknown}
        )
    return " ".join(parts)


@program_view(Need.MANAGE)
def nominations(request, program, role):
    page = Paginator(selectors.nominations_of(program), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "intake/nominations.html", {"program": program, "page": page})
