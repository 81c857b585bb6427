from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.concurrency import EditConflict, resolve, values_of
from core.csv_export import csv_response
from core.flash import show_refusal
from core.printing import pdf_response, render_pdf, requested_language
from core.urls import url_pattern
from programs.access import Need, Role, program_view
from programs.forms import ParticipantFilterForm

from . import access, pdf, questions, selectors, services
from .checks import min_group
from .forms import (
    EvaluationForm,
    FeedbackForm,
    LaterRoleForm,
    MeasureResultsForm,
    ReviewForm,
    TestimonialForm,
    WindowForm,
)
from .models import Testimonial

PAGE_SIZE = 25


# --- Final feedback (participants) -----------------------------------------------------------


@require_http_methods(["GET", "POST"])
@program_view(Need.VIEW)
def feedback(request, program, role, match_id):
    match, me = access.get_my_match(request.user, program, role, match_id)
    view = selectors.feedback_view(match, me)
    if view.mine and view.mine.is_submitted:
        return render(
            request,
            "evaluation/feedback_detail.html",
            {"program": program, "view": view, "title": questions.FEEDBACK_TITLE},
        )
    submitting = "submit" in request.POST
    data = request.POST if request.method == "POST" else None
    initial = (
        {name: getattr(view.mine, name) for name in services.FEEDBACK_FIELDS} if view.mine else {}
    )
    form = FeedbackForm(
        data,
        by_mentor=view.i_am_mentor,
        submitting=submitting,
        initial=initial,
        loaded_from=values_of(view.mine, services.FEEDBACK_FIELDS),
    )
    clash = None
    if data is not None and form.is_valid():
        try:
            services.feedback_save(
                match=match,
                author=me,
                data=form.cleaned_data,
                submit=submitting,
                loaded=form.loaded(),
            )
        except EditConflict as conflict:
            clash = resolve(conflict, form)
            (form,) = clash.forms
        except ValidationError as error:
            show_refusal(request, error, form=form)
        else:
            if submitting:
                messages.success(request, _("Thank you: your feedback is submitted."))
            else:
                messages.success(request, _("Your answers are saved. You can finish later."))
            return redirect("evaluation:feedback", program.slug, match.pk)
    return render(
        request,
        "evaluation/feedback_form.html",
        {
            "program": program,
            "view": view,
            "form": form,
            "title": questions.FEEDBACK_TITLE,
            "instructions": questions.FEEDBACK_INSTRUCTIONS,
            "edit_conflict": clash,
        },
        status=409 if clash else 200,
    )


@require_safe
@program_view(Need.VIEW)
def feedback_pdf(request, program, role, match_id, feedback_id):
    """A submitted feedback form as its page shows it: the author's own, or the partner's
    once both have submitted. Program evaluations have no printed copy (confidential).
    """
    match, me = access.get_my_match(request.user, program, role, match_id)
    feedback = selectors.printable_feedback(match, me, feedback_id)
    if feedback is None:
        raise Http404
    record_url = settings.SITE_URL + reverse("evaluation:feedback", args=[program.slug, match.pk])
    with translation.override(requested_language(request)):
        paper = pdf.filled_feedback_paper(feedback, record_url=record_url)
        content = render_pdf(paper, language=translation.get_language())
    return pdf_response(content, f"feedback-{paper.record_code}.pdf")


# --- Program evaluation ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@program_view(Need.VIEW)
def evaluate(request, program, role):
    me = access.get_my_participation(request.user, program, role)
    window = selectors.window_of(program)
    context = {
        "program": program,
        "title": questions.EVALUATION_TITLES[me.role],
        "is_open": bool(window and window.is_open),
        "responded": selectors.has_responded(me),
        "min_group": min_group(),
    }
    if context["responded"] or not context["is_open"]:
        return render(request, "evaluation/evaluation_status.html", context)
    form = EvaluationForm(request.POST if request.method == "POST" else None, role=me.role)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_submit(participant=me, answers=form.cleaned_data)
        except services.AlreadyResponded as error:
            messages.info(request, " ".join(error.messages))
        except ValidationError as error:
            show_refusal(request, error)
        else:
            messages.success(request, _("Thank you: your evaluation is sent, without your name."))
        return redirect("evaluation:evaluate", program.slug)
    context["form"] = form
    return render(request, "evaluation/evaluation_form.html", context)


@require_POST
@program_view(Need.MANAGE)
def window(request, program, role):
    form = WindowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to open or to close the program evaluation."))
        return redirect("evaluation:overview", program.slug)
    try:
        if form.cleaned_data["action"] == "open":
            services.evaluation_window_open(program=program, by=request.user)
            messages.success(
                request,
                _(
                    "The program evaluation is open: participants can answer it, and each one "
                    "who has not answered yet is e-mailed now."
                ),
            )
        else:
            services.evaluation_window_close(program=program, by=request.user)
            messages.success(request, _("The program evaluation is closed."))
    except ValidationError as error:
        show_refusal(request, error)
    return redirect("evaluation:overview", program.slug)


@program_view(Need.MANAGE)
def overview(request, program, role):
    """The coordinator's close-out page: the evaluation window and each pair's feedback."""
    page = Paginator(selectors.feedback_matches(program), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "evaluation/overview.html",
        {
            "program": program,
            "window": selectors.window_of(program),
            "can_open": program.status in services.WINDOW_STATUSES,
            "counts": selectors.response_counts(program),
            "page": page,
            "rows": selectors.feedback_rows(page.object_list),
            "min_group": min_group(),
        },
    )


# --- The program report -------------------------------------------------------------------------


@program_view(Need.MANAGE)
def report(request, program, role):
    return render(
        request,
        "evaluation/report.html",
        {"program": program, "report": selectors.program_report(program), "min_group": min_group()},
    )


@program_view(Need.MANAGE)
def report_csv(request, program, role):
    return csv_response(
        f"{program.slug}-report.csv",
        [_("section"), _("item"), _("group"), _("value")],
        selectors.report_rows(selectors.program_report(program)),
    )


# --- Outcomes ------------------------------------------------------------------------------------


@program_view(Need.MANAGE)
def outcomes(request, program, role):
    form = ParticipantFilterForm(request.GET or None)
    search, role_filter = "", ""
    if form.is_valid():
        search, role_filter = form.cleaned_data["q"], form.cleaned_data["role"]
    measures = list(program.success_measures.all())
    rows = selectors.outcome_participants(
        program, search=search, role=role_filter, with_results=bool(measures)
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "evaluation/outcomes.html",
        {
            "program": program,
            "form": form,
            "page": page,
            "rows": _outcome_rows(program, page.object_list, with_results=bool(measures)),
            "filtered": bool(search or role_filter),
            "measures": measures,
            # Not filtered: the same counts whatever the list shows (one audited view).
            "followups": selectors.followup_summary(program),
        },
    )


def _outcome_rows(program, participants, *, with_results: bool) -> list[dict]:
    """The outcomes table's rows, each cell's words made once here: one reverse() per page
    (the ids go in by string formatting), no nested loops or lookups per cell."""
    outcomes_url = url_pattern("evaluation:participant_outcomes", program.slug)
    rows = []
    for participant in participants:
        later_roles = [str(role.get_kind_display()) for role in participant.later_roles.all()]
        results = participant.measure_results.all() if with_results else ()
        rows.append(
            {
                "name": participant.user.name,
                "url": outcomes_url(participant.pk),
                "role": participant.get_role_display(),
                "became_mentor": participant.became_mentor,
                "later_roles": ", ".join(later_roles) if later_roles else "—",
                "has_results": bool(results),
                "achieved": [r.measure.label for r in results if r.achieved],
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@program_view(Need.MANAGE)
def participant_outcomes(request, program, role, participant_id):
    participant = access.get_participant_for_coordinator(program, participant_id)
    action = request.POST.get("action") if request.method == "POST" else None
    measures = list(program.success_measures.all())
    results = {r.measure_id: r for r in participant.measure_results.all()}
    measures_form = MeasureResultsForm(
        request.POST if action == "measures" else None,
        measures=measures,
        results=results,
        loaded_from=services.measure_values(participant),
    )
    role_form = LaterRoleForm(request.POST if action == "role" else None, prefix="role")
    clash = None
    if action == "measures" and measures_form.is_valid():
        try:
            services.measure_results_save(
                participant=participant,
                by=request.user,
                results=measures_form.results(),
                loaded=measures_form.loaded(),
            )
        except EditConflict as conflict:
            clash = resolve(conflict, measures_form)
            (measures_form,) = clash.forms
        except ValidationError as error:
            show_refusal(request, error, form=measures_form)
        else:
            messages.success(request, _("The success measures are saved."))
            return redirect("evaluation:participant_outcomes", program.slug, participant.pk)
    if action == "role" and role_form.is_valid():
        try:
            services.later_role_add(
                participant=participant, by=request.user, data=role_form.cleaned_data
            )
        except ValidationError as error:
            show_refusal(request, error, form=role_form)
        else:
            messages.success(request, _("The role is added."))
            return redirect("evaluation:participant_outcomes", program.slug, participant.pk)
    return render(
        request,
        "evaluation/participant_outcomes.html",
        {
            "program": program,
            "participant": participant,
            "roles": participant.later_roles.select_related("entered_by"),
            "measures_form": measures_form,
            "role_form": role_form,
            "edit_conflict": clash,
        },
        status=409 if clash else 200,
    )


@require_http_methods(["GET", "POST"])
@program_view(Need.VIEW)
def my_roles(request, program, role):
    me = access.get_my_participation(request.user, program, role)
    form = LaterRoleForm(request.POST if request.method == "POST" else None, prefix="role")
    if request.method == "POST" and form.is_valid():
        try:
            services.later_role_add(participant=me, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            show_refusal(request, error, form=form)
        else:
            messages.success(request, _("The role is added. Thank you for keeping us posted!"))
            return redirect("evaluation:my_roles", program.slug)
    return render(
        request,
        "evaluation/my_roles.html",
        {
            "program": program,
            "roles": me.later_roles.all(),
            "form": form,
            "followup": selectors.my_followup(me),
        },
    )


@require_POST
@program_view(Need.VIEW)
def roles_no_change(request, program, role):
    """The alumni follow-up's one-click answer: nothing has changed since it was asked."""
    me = access.get_my_participation(request.user, program, role)
    try:
        _followup, recorded = services.followup_no_change(participant=me)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        if recorded:
            messages.success(request, _("Thank you: your answer “no change” is recorded."))
        else:
            messages.info(request, _("You have already answered this follow-up. Thank you!"))
    return redirect("evaluation:my_roles", program.slug)


@require_POST
@program_view(Need.VIEW)
def role_delete(request, program, role, pk):
    later_role = access.get_later_role_for_user(request.user, program, role, pk)
    services.later_role_delete(role=later_role)
    messages.success(request, _("The role is removed."))
    if role is Role.COORDINATOR:
        return redirect("evaluation:participant_outcomes", program.slug, later_role.participant_id)
    return redirect("evaluation:my_roles", program.slug)


# --- Testimonials --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@program_view(Need.VIEW)
def my_testimonial(request, program, role):
    me = access.get_my_participation(request.user, program, role)
    testimonial = Testimonial.objects.filter(participant=me).first()
    initial = {"text": testimonial.text, "show_name": testimonial.show_name} if testimonial else {}
    form = TestimonialForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        loaded_from=values_of(testimonial, services.TESTIMONIAL_FIELDS),
    )
    clash = None
    if request.method == "POST" and form.is_valid():
        try:
            services.testimonial_save(
                participant=me,
                text=form.cleaned_data["text"],
                show_name=form.cleaned_data["show_name"],
                consent=form.cleaned_data["consent"],
                loaded=form.loaded(),
            )
        except EditConflict as conflict:
            clash = resolve(conflict, form)
            (form,) = clash.forms
        except ValidationError as error:
            show_refusal(request, error, form=form)
        else:
            messages.success(
                request, _("Thank you! A coordinator will read it before it is published.")
            )
            return redirect("evaluation:my_testimonial", program.slug)
    return render(
        request,
        "evaluation/my_testimonial.html",
        {"program": program, "testimonial": testimonial, "form": form, "edit_conflict": clash},
        status=409 if clash else 200,
    )


@require_POST
@program_view(Need.VIEW)
def testimonial_withdraw(request, program, role):
    me = access.get_my_participation(request.user, program, role)
    if not services.testimonial_withdraw(participant=me):
        messages.info(request, _("You have no testimonial to withdraw."))
    else:
        messages.success(request, _("Your testimonial is withdrawn and deleted."))
    return redirect("evaluation:my_testimonial", program.slug)


@program_view(Need.MANAGE)
def testimonials(request, program, role):
    page = Paginator(selectors.testimonials_for_review(program), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "evaluation/testimonials.html", {"program": program, "page": page})


@require_POST
@program_view(Need.MANAGE)
def testimonial_review(request, program, role, pk):
    testimonial = access.get_testimonial_for_coordinator(program, pk)
    form = ReviewForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        services.testimonial_review(testimonial=testimonial, by=request.user, approve=approve)
        name = testimonial.participant.user.name
        if approve:
            messages.success(request, _("%(name)s’s testimonial is published.") % {"name": name})
        else:
            messages.success(
                request, _("%(name)s’s testimonial is not published.") % {"name": name}
            )
    else:
        messages.error(request, _("Choose to approve or to decline the testimonial."))
    return redirect("evaluation:testimonials", program.slug)
