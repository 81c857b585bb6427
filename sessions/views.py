"""Pages of the orientation, group sessions, the pairs' mentoring records and calendars.

Program pages go through `programs.access.program_view`, pair pages through
`sessions.access.pair_view`: outsiders get 404, insiders without the right 403.
Every change is a POST that redirects with a message; a form with errors is shown
again with everything typed in it.
"""

from html import escape as html_escape

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.concurrency import EditConflict, resolve, values_of
from core.dates import date_writer
from core.flash import show_refusal
from core.form_errors import Rows, error_summary
from core.labels import choice_labels
from core.printing import pdf_response, render_pdf, requested_language
from core.urls import url_pattern
from matching.access import get_match_for_user
from matching.forms import EndMatchForm
from matching.models import Match
from programs.access import Need, Role, program_view

from . import ical, pdf, selectors, services
from .access import Pair, pair_view
from .appendices import (
    DEFAULT_DURATION_MINUTES,
    WORKSHEET_INTRO,
    WORKSHEET_SECTIONS,
    default_agenda,
)
from .appendices import GOALS as ORIENTATION_GOALS
from .forms import (
    ActionFormSet,
    ActionStatusForm,
    AgendaFormSet,
    AgreeForm,
    AttendanceForm,
    CancelForm,
    CheckinForm,
    FitCheckForm,
    GoalForm,
    GroupSessionCancelForm,
    GroupSessionForm,
    MeetingForm,
    OrientationForm,
    PreparationForm,
    RecordForm,
    WorksheetForm,
    action_initial,
    event_initial,
    meeting_initial,
    worksheet_initial,
)
from .models import (
    ActionItem,
    CalendarFeed,
    FitCheck,
    Goal,
    GroupSession,
    Meeting,
    SessionRecord,
    Side,
    Worksheet,
)

PAGE_SIZE = 25
ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"


# --- Helpers --------------------------------------------------------------------------------


def _numbered(label: str):
    """Rows of a formset in the error summary: "Agenda item 1", "Agenda item 2"…"""
    return lambda number: f"{label} {number}"


def _ics(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ICS_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _pair_context(pair: Pair, **extra) -> dict:
    return {"pair": pair, "match": pair.match, "program": pair.program, **extra}


def _pair_url(name: str, pair: Pair, *args) -> str:
    return reverse(f"sessions:{name}", args=[pair.program.slug, pair.match.pk, *args])


# --- Orientation ------------------------------------------------------------------------------


def _pair_items(program, pairs) -> SafeString:
    """The coordinator's list of pairs on the orientation page, each name a link to that
    member's survey: the <li>s built in one pass (a program has hundreds of pairs), with
    one reverse() for all the links and every name escaped."""
    survey_url = url_pattern("surveys:detail", program.slug)
    word = html_escape(_("and"))
    return mark_safe(  # every name escaped; a URL is a slug and digits, escaped too
        "".join(
            f'<li class="mb-2"><a href="{html_escape(survey_url(row.mentee_id))}">'
            f"{html_escape(row.mentee__user__name)}</a> {word} "
            f'<a href="{html_escape(survey_url(row.mentor_id))}">'
            f"{html_escape(row.mentor__user__name)}</a></li>"
            for row in pairs
        )
    )


@program_view(Need.VIEW)
def orientation(request, program, role):
    orientation = selectors.orientation_of(program)
    is_coordinator = role is Role.COORDINATOR
    pair_items = ""
    if is_coordinator:
        pairs = list(selectors.active_pairs(program))
        pair_items = _pair_items(program, pairs)
    else:
        pairs = selectors.pairs_of_user(request.user, program).filter(status=Match.Status.ACTIVE)
    agenda = list(orientation.agenda.all()) if orientation else []
    total = sum(item.minutes for item in agenda)
    return render(
        request,
        "sessions/orientation.html",
        {
            "program": program,
            "orientation": orientation,
            "is_coordinator": is_coordinator,
            "agenda": agenda,
            "total": total,
            "total_differs": orientation is not None and total != orientation.duration_minutes,
            "pairs": pairs,
            "pair_items": pair_items,
            "goals": ORIENTATION_GOALS,
            "participant_count": program.participants.count() if is_coordinator else None,
        },
    )


@program_view(Need.MANAGE)
def orientation_edit(request, program, role):
    orientation = selectors.orientation_of(program)
    if orientation is not None:
        initial = {
            **event_initial(orientation),
            **{f: getattr(orientation, f) for f in services.GATHERING_FIELDS if f != "starts_at"},
        }
        agenda_initial = [
            {"title": i.display_title, "minutes": i.minutes, "description": i.display_description}
            for i in orientation.agenda.all()
        ]
    else:
        initial = {"duration_minutes": DEFAULT_DURATION_MINUTES}
        agenda_initial = default_agenda()
    data = request.POST if request.method == "POST" else None
    form = OrientationForm(
        data,
        program=program,
        initial=initial,
        loaded_from=selectors.gathering_values(orientation, services.GATHERING_FIELDS),
    )
    formset = AgendaFormSet(data, initial=agenda_initial, prefix="agenda")
    clash = None
    if data is not None and form.is_valid() & formset.is_valid():
        try:
            saved, created = services.orientation_save(
                program=program,
                by=request.user,
                data=form.data_for_service(),
                agenda=formset.rows(),
                loaded=form.loaded(),
            )
        except EditConflict as conflict:
            clash = resolve(conflict, form)
            (form,) = clash.forms
        except ValidationError as error:
            show_refusal(request, error, form=form)  # a dict's keys are this form's fields
        else:
            if created:
                messages.success(
                    request, _("The orientation is set up; participants have been invited.")
                )
            else:
                messages.success(request, _("The orientation is saved."))
            total = formset.total_minutes()
            if total != saved.duration_minutes:
                messages.warning(
                    request,
                    _(
                        "The agenda adds up to %(total)d minutes but the orientation lasts "
                        "%(duration)d."
                    )
                    % {"total": total, "duration": saved.duration_minutes},
                )
            return redirect("sessions:orientation", program.slug)
    return render(
        request,
        "sessions/orientation_form.html",
        {
            "program": program,
            "orientation": orientation,
            "form": form,
            "formset": formset,
            "error_summary": error_summary(
                form, Rows(formset, row_label=lambda n: f"{_('Agenda item')} {n}")
            ),
            "edit_conflict": clash,
        },
        status=409 if clash else 200,
    )


def _attendance(request, program, item, *, back: str, title: str):
    participants = selectors.participants_for_attendance(
        program, item if isinstance(item, GroupSession) else None
    )
    data = request.POST if request.method == "POST" else None
    form = AttendanceForm(
        data,
        participants=participants,
        initial={"attendees": list(item.attendees.order_by().values_list("pk", flat=True))},
    )
    if data is not None and form.is_valid():
        count = services.attendance_set(
            item=item, participant_ids=[p.pk for p in form.cleaned_data["attendees"]]
        )
        messages.success(
            request,
            _("Attendance is saved: %(count)d of %(total)d attended.")
            % {"count": count, "total": len(participants)},
        )
        return redirect(back)
    return render(
        request,
        "sessions/attendance.html",
        {"program": program, "item": item, "form": form, "back": back, "title": title},
    )


@program_view(Need.MANAGE)
def orientation_attendance(request, program, role):
    orientation = selectors.orientation_of(program)
    if orientation is None:
        raise Http404
    return _attendance(
        request,
        program,
        orientation,
        back=reverse("sessions:orientation", args=[program.slug]),
        title=_("Orientation"),
    )


@require_safe
@program_view(Need.VIEW)
def orientation_ics(request, program, role):
    orientation = selectors.orientation_of(program)
    if orientation is None:
        raise Http404
    return _ics(ical.calendar([ical.orientation_event(orientation)]), "orientation.ics")


# --- Group sessions ----------------------------------------------------------------------------


@program_view(Need.VIEW)
def group_sessions(request, program, role):
    is_coordinator = role is Role.COORDINATOR
    sessions = selectors.group_sessions_of(program, None if is_coordinator else role)
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    # Each row's link, kind and time worked out once here: the template only prints them.
    session_url = url_pattern("sessions:group_session", program.slug)
    kind = choice_labels(GroupSession.Kind)
    audience = choice_labels(GroupSession.Audience)
    when = date_writer("DATETIME_FORMAT")
    for session in page.object_list:
        session.row_url = session_url(session.pk)
        session.row_kind = kind(session.kind)
        session.row_when = when(timezone.localtime(session.starts_at))
        session.row_audience = "" if session.is_for_everyone else audience(session.audience)
    return render(
        request,
        "sessions/group_sessions.html",
        {"program": program, "page": page, "is_coordinator": is_coordinator},
    )


def _group_session(program, pk: int, role: Role = Role.COORDINATOR) -> GroupSession:
    """The program's group session; one whose audience leaves the member out is not
    theirs to see (404, as any other page they have no part in)."""
    session = get_object_or_404(program.group_sessions, pk=pk)
    if not selectors.group_session_visible(session, role, coordinates=role is Role.COORDINATOR):
        raise Http404
    return session


@program_view(Need.VIEW)
def group_session(request, program, role, pk):
    session = _group_session(program, pk, role)
    is_coordinator = role is Role.COORDINATOR
    return render(
        request,
        "sessions/group_session.html",
        {
            "program": program,
            "session": session,
            "is_coordinator": is_coordinator,
            "attendees": session.attendees.select_related("user") if is_coordinator else None,
        },
    )


def _group_session_form(request, program, session: GroupSession | None):
    initial = {
        "duration_minutes": DEFAULT_DURATION_MINUTES,
        "kind": GroupSession.Kind.CLASS,
        "audience": GroupSession.Audience.EVERYONE,
    }
    if session is not None:
        initial = {
            **event_initial(session),
            **{
                f: getattr(session, f)
                for f in services.GROUP_SESSION_FIELDS
                if f not in ("starts_at", "duration_minutes")
            },
        }
    data = request.POST if request.method == "POST" else None
    form = GroupSessionForm(
        data,
        program=program,
        initial=initial,
        loaded_from=selectors.gathering_values(session, services.GROUP_SESSION_FIELDS),
    )
    clash = None
    if data is not None and form.is_valid():
        try:
            saved, created = services.group_session_save(
                program=program,
                by=request.user,
                data=form.data_for_service(),
                session=session,
                loaded=form.loaded(),
            )
        except EditConflict as conflict:
            clash = resolve(conflict, form)
            (form,) = clash.forms
        except ValidationError as error:
            show_refusal(request, error, form=form)  # a dict's keys are this form's fields
        else:
            if created:
                messages.success(
                    request, _("The group session is scheduled; participants have been invited.")
                )
            elif session is None:
                messages.info(request, _("This group session was already scheduled."))
            else:
                messages.success(request, _("The group session is saved."))
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "sessions/group_session_form.html",
        {
            "program": program,
            "session": session,
            "form": form,
            "error_summary": error_summary(form),
            "edit_conflict": clash,
        },
        status=409 if clash else 200,
    )


@program_view(Need.MANAGE)
def group_session_create(request, program, role):
    return _group_session_form(request, program, None)


@program_view(Need.MANAGE)
def group_session_edit(request, program, role, pk):
    return _group_session_form(request, program, _group_session(program, pk))


@program_view(Need.MANAGE)
def group_session_cancel(request, program, role, pk):
    """GET asks why; POST cancels the session and e-mails everyone invited its CANCEL."""
    session = _group_session(program, pk)
    data = request.POST if request.method == "POST" else None
    form = GroupSessionCancelForm(data)
    if data is not None and form.is_valid():
        try:
            cancelled = services.group_session_cancel(
                session=session, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            show_refusal(request, error, form=form)  # the reason typed is kept
        else:
            if cancelled:
                messages.success(
                    request,
                    _("The group session is cancelled. Everyone invited has been told why."),
                )
            else:
                messages.info(request, _("This group session was already cancelled."))
            return redirect(session.get_absolute_url())
    return render(
        request,
        "sessions/group_session_cancel.html",
        {
            "program": program,
            "session": session,
            "form": form,
            "error_summary": error_summary(form),
        },
    )


@program_view(Need.MANAGE)
def group_session_attendance(request, program, role, pk):
    session = _group_session(program, pk)
    return _attendance(
        request, program, session, back=session.get_absolute_url(), title=session.title
    )


@require_safe
@program_view(Need.VIEW)
def group_session_ics(request, program, role, pk):
    session = _group_session(program, pk, role)
    return _ics(ical.calendar([ical.group_session_event(session)]), "group-session.ics")


# --- Pairs ---------------------------------------------------------------------------------------


@program_view(Need.MANAGE)
def pairs(request, program, role):
    page = Paginator(selectors.pairs_of_program(program), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # What each row shows, worked out once here: the template then only prints it.
    timeline_url = url_pattern("sessions:timeline", program.slug)
    short_date = date_writer("SHORT_DATE_FORMAT")
    page.object_list = [
        {
            "url": timeline_url(row.pk),
            "name": _("%(mentee)s and %(mentor)s")
            % {"mentee": row.mentee__user__name, "mentor": row.mentor__user__name},
            "ended": row.status == Match.Status.ENDED,
            "worksheet": selectors.worksheet_badge(
                row.worksheet__pk is not None,
                bool(row.worksheet__mentee_agreed_at),
                bool(row.worksheet__mentor_agreed_at),
            ),
            "meetings_held": row.meetings_held,
            "last": short_date(timezone.localtime(row.last_meeting_at))
            if row.last_meeting_at
            else "—",
            "next": short_date(timezone.localtime(row.next_meeting_at))
            if row.next_meeting_at
            else "—",
            "has_open_actions": row.has_open_actions,
        }
        for row in page.object_list
    ]
    return render(request, "sessions/pairs.html", {"program": program, "page": page})


@program_view(Need.VIEW)
def mine(request, program, role):
    """A member's way in: straight to their pair, or the list when they have several."""
    if role is Role.COORDINATOR:
        return redirect("sessions:pairs", program.slug)
    matches = list(selectors.pairs_of_user(request.user, program))
    if len(matches) == 1:
        return redirect("sessions:timeline", program.slug, matches[0].pk)
    return render(request, "sessions/mine.html", {"program": program, "matches": matches})


def _history_items(history) -> SafeString:
    """The timeline's history, newest first: each line's <li> built in one pass (a pair's
    history runs to hundreds of lines), its badge, link and dates worked out by
    `selectors.timeline`, every text escaped
    (`html.escape`, what Django's `escape` calls, without its lazy-text wrapper)."""
    items = []
    for entry in history:
        title = html_escape(entry.title)
        if entry.url:
            title = f'<a href="{html_escape(entry.url)}">{title}</a>'
        detail = (
            f'<span class="text-body-secondary">— {html_escape(entry.detail)}</span>'
            if entry.detail
            else ""
        )
        items.append(
            '<li class="list-group-item"><div class="d-flex flex-wrap justify-content-between'
            f' gap-2"><span><span class="badge text-bg-secondary me-1">{html_escape(entry.label)}'
            f"</span> {title} {detail}</span>"
            f'<time datetime="{html_escape(entry.when_attr)}" class="small text-body-secondary">'
            f"{html_escape(entry.when_text)}</time></div></li>"
        )
    return mark_safe("".join(items))  # every part escaped above


@pair_view()
def timeline(request, pair):
    worksheet = selectors.worksheet_of(pair.match)
    timeline = selectors.timeline(pair, worksheet)
    return render(
        request,
        "sessions/timeline.html",
        _pair_context(
            pair,
            timeline=timeline,
            history_items=_history_items(timeline.history),
            worksheet=worksheet,
            **_fit_check_context(pair),
        ),
    )


def _fit_check_context(pair: Pair) -> dict:
    """What the pair's page shows of the fit check: a member their own answers and the
    question due, never the partner's; a coordinator both sides' answers and notes."""
    if pair.is_coordinator:
        checks = selectors.fit_checks_of(pair.match)
        return {
            "fit_checks": checks,
            "not_a_good_fit": pair.match.status == Match.Status.ACTIVE
            and any(check.is_not_a_good_fit for check in checks),
        }
    match = selectors.with_fit_check_columns(pair.match)
    return {
        "fit_check_due": selectors.due_fit_check_for(match, pair.side, timezone.localdate()),
        "my_fit_checks": list(selectors.my_fit_checks(pair.match, pair.side)),
    }


# --- Fit check ------------------------------------------------------------------------------------


@pair_view(write=True)
def fit_check(request, pair, stage):
    """How is the match going? One side's private answer, for the coordinators only."""
    if stage not in FitCheck.Stage.values:
        raise Http404
    timeline_url = _pair_url("timeline", pair)
    answered = selectors.my_fit_checks(pair.match, pair.side).filter(stage=stage).first()
    if answered is not None and request.method == "POST":
        messages.info(request, _("You had already answered this question."))
        return redirect(timeline_url)
    if answered is None:
        match = selectors.with_fit_check_columns(pair.match)
        if selectors.due_fit_check(match, pair.side, timezone.localdate()) != stage:
            messages.info(request, _("There is no question about your match to answer now."))
            return redirect(timeline_url)
    data = request.POST if request.method == "POST" else None
    form = FitCheckForm(data)
    if data is not None and form.is_valid():
        try:
            check, created = services.fit_check_answer(
                match=pair.match,
                side=pair.side,
                stage=stage,
                answer=form.cleaned_data["answer"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            show_refusal(request, error, form=form)  # a dict's keys are this form's fields
        else:
            if not created:
                messages.info(request, _("You had already answered this question."))
            elif check.is_not_a_good_fit:
                messages.success(
                    request,
                    _(
                        "Thank you for saying so. The program's coordinators have your "
                        "answer and will be in touch; %(name)s is not told."
                    )
                    % {"name": pair.partner.user.name},
                )
            else:
                messages.success(
                    request, _("Thank you. Your answer is with the program's coordinators only.")
                )
            return redirect(timeline_url)
    return render(
        request,
        "sessions/fit_check.html",
        _pair_context(
            pair,
            form=form,
            stage=FitCheck.Stage(stage),
            answered=answered,
            error_summary=error_summary(form),
        ),
    )


@login_required
def end_match(request, slug, pk):
    """GET asks why; POST ends the match and cancels its meetings to come. Either side of
    the match or a coordinator. Here rather than in matching, which sessions sits above:
    the URL keeps its name (`matching:end`, joined in mentorship/urls.py)."""
    program, match, role = get_match_for_user(request.user, slug, pk)
    back = (
        reverse("matching:board", args=[program.slug])
        if role is Role.COORDINATOR
        else program.get_absolute_url()
    )
    if match.status != Match.Status.ACTIVE:
        messages.info(request, _("This match is not active."))
        return redirect(back)
    # A link may choose the reason beforehand (a fit check's "Not a good fit": the
    # dashboard's list and the pair's page); anything else is ignored.
    reason = request.GET.get("reason")
    initial = {"reason": reason} if reason in Match.EndReason.values else {}
    form = EndMatchForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.match_end_with_meetings(
                match=match,
                by=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            show_refusal(
                request, error, form=form
            )  # shown with the form: the note typed is not lost
        else:
            messages.success(
                request,
                _("The match of %(mentee)s with %(mentor)s has ended.")
                % {"mentee": match.mentee.user.name, "mentor": match.mentor.user.name},
            )
            return redirect(back)
    return render(
        request,
        "matching/end_confirm.html",
        {
            "program": program,
            "match": match,
            "form": form,
            "back": back,
            "is_coordinator": role is Role.COORDINATOR,
        },
    )


# --- Worksheet and goals --------------------------------------------------------------------------


def _sections(worksheet: Worksheet | None) -> list[dict]:
    """Each appendix section with its saved answers, for reading."""
    rows = []
    for section in WORKSHEET_SECTIONS:
        answers = [
            (Worksheet._meta.get_field(name).verbose_name, getattr(worksheet, name, None))
            for name in section.fields
        ]
        rows.append({"section": section, "answers": answers})
    return rows


@pair_view()
def worksheet(request, pair):
    worksheet = selectors.worksheet_of(pair.match)
    mine = theirs = None
    if worksheet is not None and pair.side is not None:
        other = Side.MENTOR if pair.side == Side.MENTEE else Side.MENTEE
        mine, theirs = worksheet.agreed_at(pair.side), worksheet.agreed_at(other)
    return render(
        request,
        "sessions/worksheet.html",
        _pair_context(
            pair,
            worksheet=worksheet,
            sections=_sections(worksheet),
            intro=WORKSHEET_INTRO,
            contacts=selectors.contacts(pair.match),
            my_agreement=mine,
            their_agreement=theirs,
            agree_form=AgreeForm(initial={"version": worksheet.version}) if worksheet else None,
            warning=worksheet.timeframe_warning() if worksheet else "",
            booked=selectors.booked_meeting(pair.match, worksheet.next_meeting_at)
            if worksheet
            else None,
        ),
    )


@pair_view(write=True)
def worksheet_edit(request, pair):
    match = pair.match
    before = selectors.worksheet_of(match)
    data = request.POST if request.method == "POST" else None
    form = WorksheetForm(
        data,
        initial=worksheet_initial(before, match),
        loaded_from=selectors.worksheet_values(before),
    )
    clash = None
    if data is not None and form.is_valid():
        try:
            saved, changed = services.worksheet_save(
                match=match, by=request.user, data=form.data_for_service(), loaded=form.loaded()
            )
        except EditConflict as conflict:
            # Theirs stays saved; the form shows it with only this member's changes on top.
            clash = resolve(conflict, form)
            (form,) = clash.forms
        except ValidationError as error:
            show_refusal(request, error, form=form)  # a dict's keys are this form's fields
        else:
            if not changed:
                messages.info(request, _("Nothing had changed: the worksheet is as it was."))
            else:
                messages.success(request, _("The worksheet is saved."))
                if before is not None and (before.mentee_agreed_at or before.mentor_agreed_at):
                    messages.info(
                        request,
                        _(
                            "The worksheet changed after it was agreed to, so both of you are "
                            "asked to read it and agree again."
                        ),
                    )
                warning = saved.timeframe_warning()
                if warning:
                    messages.warning(request, warning)
            return redirect(_pair_url("worksheet", pair))
    return render(
        request,
        "sessions/worksheet_form.html",
        _pair_context(
            pair,
            form=form,
            worksheet=before,
            intro=WORKSHEET_INTRO,
            contacts=selectors.contacts(match),
            error_summary=error_summary(form),
            edit_conflict=clash,
        ),
        status=409 if clash else 200,
    )


@require_POST
@pair_view(write=True)
def worksheet_agree(request, pair):
    worksheet = selectors.worksheet_of(pair.match)
    if worksheet is None:
        raise Http404
    form = AgreeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Read the worksheet again, then agree."))
        return redirect(_pair_url("worksheet", pair))
    try:
        agreed = services.worksheet_agree(
            worksheet=worksheet, side=pair.side, version=form.cleaned_data["version"]
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        if not agreed:
            messages.info(request, _("You had already agreed to this worksheet."))
        else:
            worksheet.refresh_from_db()
            if worksheet.agreed_by_both:
                messages.success(
                    request, _("You both agree: this worksheet is now your mentoring agreement.")
                )
            else:
                messages.success(
                    request,
                    _("You agreed to the worksheet. It is waiting for %(name)s to agree.")
                    % {"name": pair.partner.user.name},
                )
    return redirect(_pair_url("worksheet", pair))


@pair_view()
def goals(request, pair):
    # A form for each goal only where the template shows one: a member of an active pair.
    editable = not pair.is_coordinator and pair.match.status == Match.Status.ACTIVE
    rows = [
        (
            goal,
            GoalForm(
                prefix=f"goal-{goal.pk}",
                initial={"status": goal.status, "progress_notes": goal.progress_notes},
            )
            if editable
            else None,
        )
        for goal in selectors.goals_of(pair.match)
    ]
    worksheet = selectors.worksheet_of(pair.match)
    lines = set()
    if worksheet is not None:
        lines = {(t, line) for t in Goal.Term for line in worksheet.goal_lines(t)}
    return render(
        request,
        "sessions/goals.html",
        _pair_context(
            pair,
            short=[(g, f, (g.term, g.description) in lines) for g, f in rows if g.term == "short"],
            long=[(g, f, (g.term, g.description) in lines) for g, f in rows if g.term == "long"],
            worksheet=worksheet,
        ),
    )


@require_POST
@pair_view(write=True)
def goal_update(request, pair, goal_id):
    goal = get_object_or_404(pair.match.goals, pk=goal_id)
    form = GoalForm(request.POST, prefix=f"goal-{goal.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose the goal's status from the list."))
        return redirect(_pair_url("goals", pair))
    try:
        changed = services.goal_update(
            goal=goal,
            status=form.cleaned_data["status"],
            progress_notes=form.cleaned_data["progress_notes"],
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        if changed:
            messages.success(request, _("The goal “%(goal)s” is updated.") % {"goal": goal})
        else:
            messages.info(request, _("Nothing had changed."))
    return redirect(_pair_url("goals", pair) + f"#goal-{goal.pk}")


# --- Meetings ------------------------------------------------------------------------------------


def _meeting(pair: Pair, meeting_id: int) -> Meeting:
    meeting = get_object_or_404(
        pair.match.meetings.select_related("preparation", "record"), pk=meeting_id
    )
    meeting.match = pair.match  # already loaded, with both members
    return meeting


@pair_view(write=True)
def meeting_create(request, pair):
    initial = {}
    for field in ("date", "start_time"):
        if request.GET.get(field):
            initial[field] = request.GET[field]
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, match=pair.match, initial=initial)
    if data is not None and form.is_valid():
        try:
            meeting, created = services.meeting_schedule(
                match=pair.match, by=request.user, data=form.data_for_service()
            )
        except ValidationError as error:
            show_refusal(request, error, form=form)  # a dict's keys are this form's fields
        else:
            if created:
                messages.success(
                    request,
                    _("The meeting is scheduled. Both of you have been sent an invitation."),
                )
            else:
                messages.info(request, _("This meeting was already scheduled."))
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "sessions/meeting_form.html",
        _pair_context(pair, form=form, meeting=None, error_summary=error_summary(form)),
    )


def _answers(obj, fields) -> list[tuple[str, str]]:
    if obj is None:
        return []
    return [(capfirst(obj._meta.get_field(f).verbose_name), getattr(obj, f)) for f in fields]


@pair_view()
def meeting(request, pair, meeting_id):
    meeting = _meeting(pair, meeting_id)
    record = getattr(meeting, "record", None)
    return render(
        request,
        "sessions/meeting.html",
        _pair_context(
            pair,
            meeting=meeting,
            preparation=getattr(meeting, "preparation", None),
            record=record,
            checkins=selectors.checkin_actions(meeting),
            # ActionItem's order within one pair (its first key, the match, needs a join).
            actions=record.actions.order_by("due_on", "pk") if record else [],
            preparation_answers=_answers(
                getattr(meeting, "preparation", None), services.PREPARATION_FIELDS
            ),
            record_answers=_answers(record, services.RECORD_FIELDS),
            lost_time=selectors.lost_time_phase(pair.program, meeting.local_date),
        ),
    )


@pair_view(write=True)
def meeting_reschedule(request, pair, meeting_id):
    meeting = _meeting(pair, meeting_id)
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, match=pair.match, initial=meeting_initial(meeting))
    if data is not None and form.is_valid():
        try:
            changed = services.meeting_reschedule(
                meeting=meeting, by=request.user, data=form.data_for_service()
            )
        except ValidationError as error:
            show_refusal(request, error, form=form)  # a dict's keys are this form's fields
        else:
            if changed:
                messages.success(
                    request, _("The meeting is changed. Both of you have been sent the new time.")
                )
            else:
                messages.info(request, _("Nothing had changed."))
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "sessions/meeting_form.html",
        _pair_context(pair, form=form, meeting=meeting, error_summary=error_summary(form)),
    )


@pair_view(write=True)
def meeting_cancel(request, pair, meeting_id):
    meeting = _meeting(pair, meeting_id)
    data = request.POST if request.method == "POST" else None
    form = CancelForm(data)
    if data is not None and form.is_valid():
        try:
            cancelled = services.meeting_cancel(
                meeting=meeting, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            show_refusal(request, error, form=form)  # a dict's keys are this form's fields
        else:
            if cancelled:
                messages.success(
                    request, _("The meeting is cancelled. Both of you have been told why.")
                )
            else:
                messages.info(request, _("This meeting was already cancelled."))
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "sessions/meeting_cancel.html",
        _pair_context(pair, form=form, meeting=meeting, error_summary=error_summary(form)),
    )


@pair_view(side=Side.MENTEE)
def meeting_preparation(request, pair, meeting_id):
    meeting = _meeting(pair, meeting_id)
    preparation = getattr(meeting, "preparation", None)
    initial = (
        {f: getattr(preparation, f) for f in services.PREPARATION_FIELDS} if preparation else {}
    )
    data = request.POST if request.method == "POST" else None
    form = PreparationForm(
        data,
        initial=initial,
        loaded_from=values_of(preparation, services.PREPARATION_FIELDS),
    )
    clash = None
    if data is not None and form.is_valid():
        try:
            services.preparation_save(meeting=meeting, data=form.cleaned_data, loaded=form.loaded())
        except EditConflict as conflict:
            clash = resolve(conflict, form)
            (form,) = clash.forms
        except ValidationError as error:
            show_refusal(request, error, form=form)  # a dict's keys are this form's fields
        else:
            messages.success(
                request,
                _("Your preparation is saved. %(name)s can read it before the meeting.")
                % {"name": pair.partner.user.name},
            )
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "sessions/preparation_form.html",
        _pair_context(
            pair,
            form=form,
            meeting=meeting,
            error_summary=error_summary(form),
            edit_conflict=clash,
        ),
        status=409 if clash else 200,
    )


@pair_view(side=Side.MENTOR)
def meeting_record(request, pair, meeting_id):
    meeting = _meeting(pair, meeting_id)
    record = getattr(meeting, "record", None)
    on_lost_time = selectors.lost_time_phase(pair.program, meeting.local_date) is not None
    initial = {f: getattr(record, f) for f in services.RECORD_FIELDS} if record else {}
    if record is not None:
        initial["lost_time_hours"] = record.lost_time_hours
    data = request.POST if request.method == "POST" else None
    form = RecordForm(
        data,
        on_lost_time=on_lost_time,
        initial=initial,
        loaded_from=selectors.record_values(record),
    )
    clash = None
    checkins = [CheckinForm(data, action=a) for a in selectors.checkin_actions(meeting)]
    formset = ActionFormSet(
        data,
        meeting=meeting,
        prefix="actions",
        initial=[action_initial(a) for a in record.actions.all()] if record else [],
    )
    if data is not None and all(
        [form.is_valid(), formset.is_valid(), *[c.is_valid() for c in checkins]]
    ):
        try:
            saved = services.record_save(
                meeting=meeting,
                by=request.user,
                data=form.cleaned_data,
                checkins=[
                    (c.action, c.cleaned_data["status"], c.cleaned_data["note"]) for c in checkins
                ],
                actions=formset.rows(),
                # Only this button records; a form sent any other way is a draft.
                recorded=request.POST.getlist("status") == [SessionRecord.Status.RECORDED],
                loaded=form.loaded(),
            )
        except EditConflict as conflict:
            clash = resolve(conflict, form)
            (form,) = clash.forms
        except ValidationError as error:
            show_refusal(request, error, form=form, at_top=True)  # an action's error
        else:
            if saved.is_recorded:
                messages.success(request, _("The session is recorded."))
            else:
                messages.success(
                    request,
                    _(
                        "Your draft of the record is saved. The session is recorded when you "
                        "press “Record the session”."
                    ),
                )
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "sessions/record_form.html",
        _pair_context(
            pair,
            form=form,
            meeting=meeting,
            preparation=getattr(meeting, "preparation", None),
            checkins=checkins,
            formset=formset,
            on_lost_time=on_lost_time,
            error_summary=error_summary(
                form,
                *checkins,
                Rows(formset, row_label=_numbered(_("New action"))) if data is not None else None,
            ),
            edit_conflict=clash,
        ),
        status=409 if clash else 200,
    )


# --- Printed records: as on screen, for whoever may see the page -------------------------------


def _printed(request, build, url: str, filename: str) -> HttpResponse:
    """A filled form as PDF, with the record code and QR that lead back to `url`."""
    with translation.override(requested_language(request)):
        paper = build(record_url=settings.SITE_URL + url)
        content = render_pdf(paper, language=translation.get_language())
    return pdf_response(content, f"{filename}-{paper.record_code}.pdf")


@require_safe
@pair_view()
def worksheet_pdf(request, pair):
    worksheet = selectors.worksheet_of(pair.match)
    if worksheet is None:
        raise Http404
    worksheet.match = pair.match  # already loaded, with both members
    contacts = selectors.contacts(pair.match)
    return _printed(
        request,
        lambda record_url: pdf.filled_worksheet_paper(worksheet, contacts, record_url=record_url),
        _pair_url("worksheet", pair),
        "worksheet",
    )


@require_safe
@pair_view()
def meeting_record_pdf(request, pair, meeting_id):
    meeting = _meeting(pair, meeting_id)
    record = getattr(meeting, "record", None)
    if record is None:
        raise Http404
    return _printed(
        request,
        lambda record_url: pdf.filled_record_paper(record, record_url=record_url),
        meeting.get_absolute_url(),
        "session-record",
    )


@require_safe
@pair_view()
def meeting_preparation_pdf(request, pair, meeting_id):
    meeting = _meeting(pair, meeting_id)
    preparation = getattr(meeting, "preparation", None)
    if preparation is None:
        raise Http404
    return _printed(
        request,
        lambda record_url: pdf.filled_preparation_paper(preparation, record_url=record_url),
        meeting.get_absolute_url(),
        "session-preparation",
    )


@require_safe
@pair_view()
def meeting_ics(request, pair, meeting_id):
    meeting = _meeting(pair, meeting_id)
    return _ics(ical.calendar([ical.meeting_event(meeting)]), "meeting.ics")


@require_POST
@pair_view(write=True)
def action_status(request, pair, action_id):
    action = get_object_or_404(pair.match.actions.select_related("record__meeting"), pk=action_id)
    change_action_status(request, action)
    if request.POST.get("back") == "timeline":
        return redirect(_pair_url("timeline", pair))
    return redirect(action.record.meeting.get_absolute_url())


def change_action_status(request, action: ActionItem) -> None:
    """Done, dropped or open again, from the POST, with its message; the caller has checked
    the member may change it (the pair's pages here, the member's home in members/views.py)."""
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose done, dropped or open."))
        return
    try:
        changed = services.action_set_status(
            action=action, status=form.cleaned_data["status"], note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        show_refusal(request, error)
        return
    if changed:
        messages.success(
            request,
            _("“%(action)s” is now %(status)s.")
            % {
                "action": action.description,
                # The service saved its own copy: `action` still holds the old status.
                "status": ActionItem.Status(form.cleaned_data["status"]).label.lower(),
            },
        )
    else:
        messages.info(request, _("Nothing had changed."))


# --- Calendar ----------------------------------------------------------------------------------


@login_required
def calendar(request):
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = request.build_absolute_uri(reverse("sessions:feed", args=[feed.token])) if feed else ""
    # The secret address is on this page only; like every page shown to a member, it is
    # never kept by a browser or proxy cache (mentorship/middleware.py).
    return render(
        request,
        "sessions/calendar.html",
        {"feed": feed, "feed_url": url, "webcal_url": "webcal://" + url.split("://", 1)[-1]},
    )


@require_POST
@login_required
def calendar_regenerate(request):
    had_one = CalendarFeed.objects.filter(user=request.user).exists()
    services.calendar_feed_regenerate(user=request.user)
    if had_one:
        messages.success(
            request, _("You have a new calendar address. The old one no longer works.")
        )
    else:
        messages.success(request, _("Your calendar address is ready."))
    return redirect("sessions:calendar")


@require_POST
@login_required
def calendar_revoke(request):
    if services.calendar_feed_revoke(user=request.user):
        messages.success(request, _("Your calendar address is turned off."))
    else:
        messages.info(request, _("You had no calendar address."))
    return redirect("sessions:calendar")


@require_safe
def feed(request, token):
    """The member's meetings, orientations and group sessions; the token is the key.

    No log-in (calendar programs cannot log in), so no redirect either: an unknown
    token is a plain 404 and never reaches a log-in URL's `next` parameter.
    """
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    user = feed.user
    with translation.override(user.language):
        events = [
            *ical.meeting_events(selectors.meetings_for_calendar(user)),
            *ical.orientation_events(selectors.orientations_for_calendar(user)),
            *ical.group_session_events(selectors.group_sessions_for_calendar(user)),
        ]
        content = ical.calendar(
            events,
            name=_("Mentoring: %(name)s") % {"name": user.name},
            calendar_uid=ical.feed_uid(user.pk),
        )
    # Never cached (no-store, private): the middleware does it for every file.
    response = HttpResponse(content, content_type=ICS_CONTENT_TYPE)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex"
    return response
