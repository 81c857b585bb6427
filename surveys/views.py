from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import ProfileForm
from accounts.selectors import profile_for_editing
from core.concurrency import EditConflict, resolve
from core.dates import date_writer
from core.flash import show_refusal
from core.labels import choice_labels
from core.printing import pdf_response, render_pdf, requested_language
from core.urls import url_pattern
from programs.access import Need, program_view

from . import selectors, services
from .forms import CompletionFilterForm, SurveyAnswersForm
from .models import Survey
from .pdf import filled_survey_paper
from .questions import TITLES, questions_for

PAGE_SIZE = 25
# The general block of both appendices that matching needs before a survey is complete.
PROFILE_REQUIRED_TO_SUBMIT = ("local_union", "union_role")


@program_view(Need.VIEW)
def mine(request, program, role):
    participant = program.participants.filter(user=request.user).first()
    if participant is None:
        raise Http404  # a coordinator has no survey of their own here
    return _survey_form(
        request, program, participant, here=reverse("surveys:mine", args=[program.slug])
    )


@program_view(Need.MANAGE)
def key_in(request, program, role, participant_id):
    """A coordinator types in a survey filled in on paper (its record code leads here)."""
    participant = get_object_or_404(program.participants.select_related("user"), pk=participant_id)
    here = reverse("surveys:key_in", args=[program.slug, participant.pk])
    return _survey_form(request, program, participant, here=here, keyed_in=True)


def _survey_form(request, program, participant, *, here: str, keyed_in: bool = False):
    survey = Survey.objects.filter(participant=participant).first()
    if survey and not survey.is_editable:
        if keyed_in:
            messages.info(request, _("This survey is submitted: reopen it to change it."))
        return redirect("surveys:detail", program.slug, participant.pk)
    questions = questions_for(participant.role)
    submitting = "submit" in request.POST
    data = request.POST if request.method == "POST" else None
    # The form shows every answer, demographics included: a coordinator keying in a
    # paper survey is logged as having seen them.
    profile = profile_for_editing(
        editor=request.user, subject=participant.user, program=program, page="key-in"
    )
    # The profile form carries the page's one version token, for the answers too.
    # What the member's application answered is not asked again (keyed-in paper forms
    # ask everything); a profile still missing it starts from the application's answer.
    from_application = (
        selectors.FromApplication()
        if keyed_in
        else selectors.answered_in_application(participant, profile)
    )
    profile_form = ProfileForm(
        data,
        instance=profile,
        require=PROFILE_REQUIRED_TO_SUBMIT,
        submitting=submitting,
        omit=tuple(from_application.known),
        initial=from_application.prefill,
        loaded_from=selectors.survey_values(survey, profile, questions),
    )
    answers_form = SurveyAnswersForm(
        data,
        questions=questions,
        submitting=submitting,
        initial=survey.answers if survey else {},
    )
    clash = None
    if data is not None and profile_form.is_valid() & answers_form.is_valid():
        try:
            saved, submitted = services.survey_save(
                participant=participant,
                answers=answers_form.cleaned_data,
                profile_data=profile_form.cleaned_data,
                submit=submitting,
                loaded=profile_form.loaded(),
            )
        except EditConflict as conflict:
            clash = resolve(conflict, profile_form, answers_form)
            profile_form, answers_form = clash.forms
        except ValidationError as error:
            show_refusal(request, error)
        else:
            if submitted:
                messages.success(
                    request,
                    _("The survey is submitted.")
                    if keyed_in
                    else _("Thank you: your survey is submitted."),
                )
                return redirect("surveys:detail", program.slug, participant.pk)
            if saved.is_editable:
                messages.success(request, _("Your answers are saved. You can finish later."))
                return redirect(here)
            return redirect("surveys:detail", program.slug, participant.pk)
    answered = sum(1 for q in questions if (survey and survey.answers.get(q.key)))
    return render(
        request,
        "surveys/form.html",
        {
            "program": program,
            "participant": participant,
            "survey": survey,
            "title": TITLES[participant.role],
            "profile_form": profile_form,
            "form": answers_form,
            "answered": answered,
            "total": len(questions),
            "keyed_in": keyed_in,
            "from_application": from_application.rows(),
            "edit_conflict": clash,
        },
        status=409 if clash else 200,
    )


@login_required
def detail(request, slug, participant_id):
    participant, relation = selectors.get_participant_for_viewer(request.user, slug, participant_id)
    details = selectors.member_details(
        participant.user,
        relation,
        viewer=request.user,
        program=participant.program,
        page="survey",
    )
    survey = Survey.objects.filter(participant=participant).first()
    return render(
        request,
        "surveys/detail.html",
        {
            "program": participant.program,
            "participant": participant,
            "relation": relation,
            "details": details,
            "survey": survey,
            "title": TITLES[participant.role],
        },
    )


@dataclass(frozen=True)
class CompletionRow:
    """One participant's line, its links and cells written once in Python."""

    participant: object
    detail_url: str
    status_label: str
    saved: str
    reminded: str
    submitted: bool
    reopen_url: str
    remind_url: str
    log_url: str


def _completion_rows(program, participants) -> list[CompletionRow]:
    detail = url_pattern("surveys:detail", program.slug)
    reopen = url_pattern("surveys:reopen", program.slug)
    remind = url_pattern("reminders:send_survey", program.slug)
    log = reverse("reminders:log", args=[program.slug])
    short_date, statuses = date_writer("SHORT_DATE_FORMAT"), choice_labels(Survey.Status)
    rows = []
    for participant in participants:
        survey = participant.survey if _has_survey(participant) else None
        rows.append(
            CompletionRow(
                participant=participant,
                detail_url=detail(participant.pk),
                status_label=statuses(survey.status) if survey else _("Not started"),
                saved=short_date(survey.updated_at) if survey else "—",
                reminded=(short_date(participant.reminded_at) if participant.reminded_at else "—"),
                submitted=survey is not None and survey.status == Survey.Status.SUBMITTED,
                reopen_url=reopen(participant.pk),
                remind_url=remind(participant.pk),
                log_url=f"{log}?participant={participant.pk}",
            )
        )
    return rows


def _has_survey(participant) -> bool:
    try:
        return participant.survey is not None
    except Survey.DoesNotExist:
        return False


@program_view(Need.MANAGE)
def completion(request, program, role):
    form = CompletionFilterForm(request.GET or None)
    filters = {"role": "", "status": "", "search": ""}
    if form.is_valid():
        filters = {
            "role": form.cleaned_data["role"],
            "status": form.cleaned_data["status"],
            "search": form.cleaned_data["q"],
        }
    ids = selectors.survey_completion_ids(program, **filters)
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    # One query for the page's rows, their reminders read for those rows only.
    page.object_list = list(selectors.survey_completion_rows(program, page.object_list))
    here = request.get_full_path()
    return render(
        request,
        "surveys/completion.html",
        {
            "program": program,
            "form": form,
            "page": page,
            "rows": _completion_rows(program, page.object_list),
            "here": here,
            "filtered": any(filters.values()),
            "counts": selectors.completion_counts(program),
        },
    )


@require_POST
@program_view(Need.MANAGE)
def reopen(request, program, role, participant_id):
    survey = get_object_or_404(Survey, participant__program=program, participant_id=participant_id)
    try:
        services.survey_reopen(survey=survey, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _("%(name)s's survey is open again for changes.")
            % {"name": survey.participant.user.name},
        )
    return redirect("surveys:completion", program.slug)


@login_required
def survey_pdf(request, slug, participant_id):
    """The survey as the viewer may see it on screen, for printing."""
    participant, relation = selectors.get_participant_for_viewer(request.user, slug, participant_id)
    details = selectors.member_details(
        participant.user, relation, viewer=request.user, program=participant.program, page="pdf"
    )
    survey = Survey.objects.filter(participant=participant).first()
    record_url = settings.SITE_URL + reverse(
        "surveys:detail", args=[participant.program.slug, participant.pk]
    )
    paper = filled_survey_paper(survey, participant, details, record_url=record_url)
    content = render_pdf(paper, language=requested_language(request))
    return pdf_response(content, f"survey-{paper.record_code}.pdf")
