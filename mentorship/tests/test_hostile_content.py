"""Bad input: every payload renders as text, in pages, e-mails, PDFs, ICS and CSV alike.

Every text field a member can type into (found by introspecting the models, see
hostile.py) is filled with template syntax, script, attribute break-outs and a
`javascript:` URL; then every GET page of the URL × role matrix, every e-mail the flows
send, every printed form, calendar file and CSV is rendered and searched for a payload
that was evaluated or written out as markup.
"""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines
from django.test import Client
from django.test.signals import template_rendered
from django.test.utils import isolate_apps
from django.urls import reverse
from django.utils import timezone

from conftest import ROLES
from mentorship.tests import hostile
from mentorship.tests.test_access_matrix import MATRIX

GET_PAGES = sorted(name for name, row in MATRIX.items() if row.method == "get")
EMAIL_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "email"

# Pages that show nothing a member typed, whatever the data (checked all the same).
SHOW_NO_TYPED_TEXT = {
    "healthz",
    "home",
    "printing:index",
    "printing:blank",  # a blank form outside any program
    "printing:packet_download",  # the stored file of a packet, built by the worker
    "printing:record",
    "accounts:forms",
    "sessions:calendar",
    "reminders:settings",
    "matching:settings",
    "evaluation:evaluate",
    "accounts:profile_delete",  # asks before deleting; shows none of what is deleted
    "programs:create",  # an empty form
    "accounts:mfa_required",  # explains why an authenticator app is needed; nothing typed
    # Asks for the password again first (allauth reauthentication), so the harness's GET
    # stops there; members/tests/test_account_delete.py checks a hostile program name.
    "accounts:account_delete",
}
# Pages that edit a survey: with the survey still a draft (a submitted one redirects).
DRAFT_SURVEY_PAGES = {"surveys:mine", "surveys:key_in"}


@pytest.fixture(autouse=True)
def debug_on(settings):
    """`{% debug %}` prints its dump only with DEBUG on: on, so an evaluated one shows."""
    settings.DEBUG = True


# --- the fields -------------------------------------------------------------------------


def test_every_model_text_field_is_poisoned_or_exempt():
    fields = hostile.text_fields()
    assert hostile.uncovered(fields) == []
    # And no entry is left over from a field that is gone.
    assert sorted((set(hostile.POISON) | set(hostile.EXEMPT)) - set(fields)) == []
    assert not set(hostile.POISON) & set(hostile.EXEMPT)


@isolate_apps("programs")
def test_a_new_text_field_without_coverage_is_caught():
    """A model added later with a free-text field fails the coverage check."""
    from django.db import models

    class Motto(models.Model):
        program = models.ForeignKey("programs.Program", on_delete=models.CASCADE)
        text = models.CharField(max_length=200)
        kind = models.CharField(max_length=8, choices=[("a", "A")])

        class Meta:
            app_label = "programs"

        def __str__(self) -> str:
            return self.text

    # Found by introspection (here in the isolated registry that holds only Motto); the
    # choice field is not free text.
    found = hostile.text_fields(Motto._meta.apps)
    assert sorted(found) == ["programs.Motto.text"]
    assert hostile.uncovered({**hostile.text_fields(), **found}) == ["programs.Motto.text"]


def test_payloads_fit_every_field_they_fill(cast):
    hostile.build_world(cast)
    assert hostile.poison_everything() > 150
    from django.apps import apps

    for label, kind in hostile.POISON.items():
        app_model, name = label.rsplit(".", 1)
        model = apps.get_model(app_model)
        field = model._meta.get_field(name)
        values = list(model.objects.values_list(name, flat=True))
        assert values, f"no {label} in the harness's world: the pages never show one"
        for value in values:
            if kind in ("text", "email", "url") and field.max_length:
                assert len(value) <= field.max_length, label


# --- pages --------------------------------------------------------------------------------


def _body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def check_response(response, where: str) -> str:
    """Check a response by its kind; returns its text, for the reached-the-data check."""
    kind = response.get("Content-Type", "").split(";")[0].strip()
    body = _body(response)
    if kind == "application/pdf":
        if body.startswith(b"%PDF-1.7") and len(body) < 64:
            return ""  # the matrix's stand-in packet file, not a rendered PDF
        return hostile.check_pdf(body, where)
    text = body.decode()
    if kind == "text/html":
        hostile.check_html(text, where)
    elif kind == "text/calendar":
        hostile.check_ics(text, where)
    elif kind == "text/csv":
        hostile.check_csv(text, where)
    else:
        hostile.check_text(text, where)
    return text


def _client(cast, role: str) -> Client:
    client = Client()
    user = cast.user(role)
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("name", GET_PAGES)
def test_every_page_shows_hostile_text_as_text(name, cast):
    row = MATRIX[name]
    kwargs = row.kwargs(cast)
    hostile.build_world(cast, surveys="draft" if name in DRAFT_SURVEY_PAGES else "submitted")
    hostile.poison_everything()
    url = reverse(name, kwargs=kwargs)
    reached = []
    for role in ROLES:
        response = _client(cast, role).get(url, row.data)
        text = check_response(response, f"GET {url} as {role}")
        if response.status_code == 200 and hostile.shown_as_text(text):
            reached.append(role)
        if response.get("Content-Type") == "application/pdf" and reached:
            break  # a form prints the same for everyone who may print it; it is slow to make
    if name not in SHOW_NO_TYPED_TEXT:
        assert reached, f"{name}: no role saw any typed text; the harness does not reach it"


def test_every_printed_form_of_a_program_shows_its_name_as_text(cast, client):
    from printing.registry import registry

    hostile.build_world(cast)
    hostile.poison_everything()
    for key in registry():
        url = reverse("printing:program_blank", kwargs={"slug": cast.program.slug, "key": key})
        text = check_response(client.get(url), f"GET {url}")
        assert "7777|add:1111" in "".join(text.split()), f"{key}: the program's name is not shown"


def test_a_programs_packet_of_forms_shows_typed_text_as_text(cast):
    """The packet a worker builds: every survey and worksheet of the program in one PDF."""
    from printing.models import Packet
    from printing.packets import packet_build

    hostile.build_world(cast)
    hostile.poison_everything()
    packet = Packet.objects.create(program=cast.program, requested_by=cast.coordinator)
    packet = packet_build(packet_id=packet.pk)
    assert packet.status == Packet.Status.DONE
    with packet.file.open("rb") as stored:
        text = hostile.check_pdf(stored.read(), "the program's packet")
    assert hostile.shown_as_text(text)


def test_the_personal_data_download_shows_typed_text_as_typed(cast, client_as):
    """The member's own data in JSON (the CSV is a row of the access matrix)."""
    hostile.build_world(cast)
    hostile.poison_everything()
    response = client_as("member").get(reverse("accounts:download", kwargs={"fmt": "json"}))
    text = check_response(response, "the member's JSON download")
    assert "<script>alert(1)" in text.encode().decode("unicode_escape")


# --- e-mails ------------------------------------------------------------------------------


def _email_templates() -> set[str]:
    return {f"email/{path.name}" for path in EMAIL_TEMPLATES.iterdir() if path.is_file()}


def _send_every_email(cast, world) -> None:
    """Each e-mail the application sends, through its own service, with poisoned rows."""
    from core.mail import mail_member
    from evaluation.models import EvaluationRequest
    from intake import services as intake
    from intake.models import Application
    from matching import services as matching
    from matching.models import Match, MentorProfile
    from programs.models import Participant, Program
    from reminders.kinds import KINDS
    from reminders.models import Reminder
    from reminders.services import reminder_send
    from sessions import services as sessions
    from sessions.models import ActionItem, Meeting, Orientation

    program = cast.program
    open_program = Program.objects.get(slug="hostile-open")
    # The alumni follow-up, as the daily task sends it.
    from evaluation.services import alumni_followups_send

    assert alumni_followups_send() == 2
    # Intake: received (as application_save sends it), each decision, a nomination.
    draft = Application.objects.get(program=open_program, applicant=cast.member)
    mail_member(
        cast.member, "application_received", {"application": draft, "program": open_program}
    )
    for application, decision in zip(
        Application.objects.filter(program=open_program, status="submitted").order_by("pk"),
        ("accept", "waitlist", "decline"),
        strict=False,
    ):
        intake.application_decide(
            application=application,
            decision=decision,
            note=hostile.text_payload(2000, "#decision"),
            by=cast.coordinator,
        )
    intake.nomination_create(
        program=open_program,
        nominator=cast.mentor,
        nominee_name=hostile.text_payload(150, "#n"),
        nominee_email='"<script>alert(1)</script>{{7777|add:1111}}"@example.org',
        role="mentee",
        reason=hostile.text_payload(2000, "#r"),
    )
    # Matching: published, and ended by the mentee (the mentor and the coordinators hear).
    match = Match.objects.get(pk=world.match.pk)
    matching._notify_published(program, [match])
    matching.match_end(
        match=match,
        by=cast.mentee,
        reason=Match.EndReason.NOT_A_GOOD_FIT,
        note=hostile.text_payload(2000, "#end"),
    )
    Match.objects.filter(pk=match.pk).update(status="active", end_reason="", ended_at=None)
    # Sessions: the three meeting mails, both gatherings, a changed worksheet.
    upcoming = Meeting.objects.get(pk=world.next_meeting.pk)
    sessions._mail_meeting(upcoming, "meeting_scheduled")
    sessions._mail_meeting(upcoming, "meeting_rescheduled")
    sessions._mail_meeting(Meeting.objects.get(pk=world.cancelled_meeting.pk), "meeting_cancelled")
    sessions._mail_gathering(
        Orientation.objects.get(program=program), program=program, updated=False
    )
    sessions._mail_gathering(program.group_sessions.first(), program=program, updated=True)
    # A deleted gathering's cancellation (METHOD:CANCEL).
    sessions._mail_gathering(program.group_sessions.first(), program=program, cancelled=True)
    # A coordinator's cancellation, with its reason; a match's end cancelling a meeting.
    sessions._mail_gathering(
        program.group_sessions.filter(cancelled_at__isnull=False).first(),
        program=program,
        cancelled=True,
    )
    sessions._mail_meeting(
        Meeting.objects.get(pk=world.cancelled_meeting.pk), "meeting_cancelled_match_ended"
    )
    mail_member(
        cast.mentor, "worksheet_changed", {"match": match, "program": program, "by": cast.mentee}
    )
    # A side answered "Not a good fit": the coordinators hear (sessions.services).
    from sessions.models import FitCheck

    sessions._tell_coordinators_not_a_good_fit(
        match, FitCheck.objects.get(match=match, side="mentee", stage="first")
    )
    # Account deletion's last e-mail (members/services.py account_delete).
    mail_member(cast.member, "account_deleted", {})
    # Co-coordinating: an invitation (to a member and to an address with no account yet),
    # then the invitee's answers, which the inviter hears of.
    from allauth.account.models import EmailAddress

    from programs import services as programs

    for invitee in (cast.member, cast.other_coordinator):
        EmailAddress.objects.update_or_create(
            user=invitee, email=invitee.email, defaults={"verified": True, "primary": True}
        )
    invited = programs.coordinator_invite(
        program=program,
        by=cast.coordinator,
        emails=[cast.member.email, cast.other_coordinator.email, "newcomer@example.org"],
    )
    by_email = {invitation.email: invitation for invitation in invited}
    programs.invitation_accept(invitation=by_email[cast.member.email], by=cast.member)
    programs.invitation_decline(
        invitation=by_email[cast.other_coordinator.email], by=cast.other_coordinator
    )
    # Reminders: one of each kind, sent as the worker sends it.
    today = timezone.localdate()
    mentee = program.participants.get(user=cast.mentee)
    newcomer = Participant.objects.filter(program=program, survey__isnull=True).first()
    MentorProfile.objects.filter(user=cast.mentor).update(
        confirmed_at=timezone.now() - datetime.timedelta(days=400)
    )
    EvaluationRequest.objects.get_or_create(participant=mentee)
    # The evaluation's opening e-mail (evaluation_window_open sends it; the world's window
    # is already open).
    from evaluation import services as evaluation

    evaluation._invite_to_evaluate(program)
    ended = Match.objects.get(program=program, mentee=mentee, status="ended")
    # The fit check: both sides answered the first question; the mid-point's opens when the
    # mid-point is near (a few days away, so the mid-point reminder is still due too).
    from sessions.models import Worksheet

    Worksheet.objects.filter(match=match).update(midpoint_on=today + datetime.timedelta(days=3))
    match = Match.objects.get(pk=match.pk)
    action = ActionItem.objects.filter(match=match).first()
    due = {
        "application_closing": (cast.member, f"application:{draft.pk}"),
        "survey_due": (newcomer.user, f"survey:{newcomer.pk}"),
        "mentor_profile_refresh": (cast.mentor, f"mentor_profile:{cast.mentor.pk}"),
        "worksheet_not_agreed": (cast.mentee, f"worksheet:{match.pk}:mentee"),
        "meeting_tomorrow": (cast.mentee, f"meeting:{upcoming.pk}:{upcoming.local_date}"),
        "preparation_due": (cast.mentee, f"preparation:{upcoming.pk}"),
        "record_due": (cast.mentor, f"record:{upcoming.pk}"),
        "action_due": (cast.mentee, f"action:{action.pk}"),
        "midpoint_coming": (cast.mentee, f"midpoint:{match.pk}:{match.worksheet.midpoint_on}"),
        "feedback_due": (cast.mentee, f"feedback:{ended.pk}:{mentee.pk}"),
        "evaluation_due": (cast.mentee, f"evaluation:{mentee.pk}"),
        "coordinator_digest": (cast.coordinator, f"digest:{program.pk}"),
        "fit_check_due": (cast.mentee, f"fit_check:{match.pk}:mentee:midpoint"),
    }
    assert set(due) == set(KINDS), "a reminder kind the harness does not send"
    for kind, (recipient, key) in due.items():
        reminder = Reminder.objects.create(
            kind=kind, recipient=recipient, subject_key=key, due_on=today, program=program
        )
        reminder = reminder_send(reminder_id=reminder.pk)
        assert reminder.sent_at, f"{kind}: not sent ({reminder.skipped})"


def _email_world(cast):
    from accounts.tests.factories import UserFactory
    from intake.tests.factories import ApplicationFactory
    from programs.models import Participant, Program
    from programs.tests.factories import ParticipantFactory, ProgramFactory

    world = hostile.build_world(cast)
    open_program = ProgramFactory(
        slug="hostile-open",
        status=Program.Status.OPEN,
        applications_close_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    open_program.coordinators.add(cast.coordinator)
    ApplicationFactory(program=open_program, applicant=cast.member, status="draft")
    for _ in range(3):
        ApplicationFactory(program=open_program, applicant=UserFactory())
    # A participant who has not started their survey.
    ParticipantFactory(program=cast.program, user=UserFactory(), role=Participant.Role.MENTOR)
    # Alumni of a program closed a year ago, for the follow-up e-mail.
    from matching.tests.factories import MatchFactory
    from sessions.models import add_months

    closed = ProgramFactory(
        slug="hostile-closed",
        status=Program.Status.CLOSED,
        starts_on=add_months(timezone.localdate(), -24),
        ends_on=add_months(timezone.localdate(), -12),
    )
    MatchFactory(program=closed, status="ended", end_reason="completed")
    return world


def check_email(message, where: str) -> None:
    subject = message.subject
    assert "\n" not in subject and "\r" not in subject, f"{where}: a line break in {subject!r}"
    hostile.check_text(subject, f"{where}, subject")
    for entity in ("&lt;", "&gt;", "&#x27;", "&quot;", "&amp;"):
        assert entity not in subject, f"{where}: an HTML entity in the subject {subject!r}"
    hostile.check_text(message.body, f"{where}, text part")
    assert "&lt;" not in message.body, f"{where}: the text part is HTML-escaped"
    (html, kind), *_ = message.alternatives
    assert kind == "text/html"
    hostile.check_html(html, f"{where}, HTML part")
    assert f'<a href="{settings.SITE_URL}' in html, f"{where}: its links are not links"
    for attachment in message.attachments:
        name, content, _kind = attachment
        if name.endswith(".ics"):
            hostile.check_ics(content.decode() if isinstance(content, bytes) else content, where)


def test_every_email_shows_hostile_text_as_text(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    world = _email_world(cast)
    hostile.poison_everything()
    rendered = set()

    def seen(sender, template, context, **kwargs):
        if template.name and template.name.startswith("email/"):
            rendered.add(template.name)

    template_rendered.connect(seen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _send_every_email(cast, world)
    finally:
        template_rendered.disconnect(seen)
    assert sorted(_email_templates() - rendered) == [], "e-mail templates the harness missed"
    assert len(mailoutbox) > 20
    reached = 0
    for message in mailoutbox:
        check_email(message, f"mail {message.subject!r} to {message.to}")
        reached += "<script>alert(1)" in message.body
    # The typed text reaches the mails, as typed, in their text part.
    assert reached > len(mailoutbox) / 2


# --- the harness catches a hole -------------------------------------------------------------


def test_a_legend_that_runs_data_as_a_template_is_caught(cast, client_as, monkeypatch):
    """Undo the fix in one place (the outcomes form's legend): the harness fails."""
    import evaluation.forms

    monkeypatch.setattr(evaluation.forms, "inert", lambda text: text)
    kwargs = MATRIX["evaluation:participant_outcomes"].kwargs(cast)
    hostile.build_world(cast)
    hostile.poison_everything()
    response = client_as("coordinator").get(
        reverse("evaluation:participant_outcomes", kwargs=kwargs)
    )
    with pytest.raises(hostile.HostileOutput, match="8888"):
        check_response(response, "outcomes")


def plant(monkeypatch, template_name: str, old: str, new: str) -> None:
    """Serve `template_name` with `old` replaced by `new`: a hole planted for one test."""
    engine = engines["django"].engine
    original = engine.get_template

    def planted(name):
        template = original(name)
        if name != template_name:
            return template
        source = Path(template.origin.name).read_text()
        assert old in source, f"{template_name} no longer has {old!r}"
        return engine.from_string(source.replace(old, new))

    monkeypatch.setattr(engine, "get_template", planted)


def test_an_evaluated_debug_tag_is_caught(cast):
    """Text run as a template prints the whole context with {% debug %}."""
    from django.template import Context, Template

    hostile.build_world(cast)
    hostile.poison_everything()
    cast.program.refresh_from_db()
    assert "8888" not in cast.program.description  # stored as typed
    printed = Template(cast.program.description.replace(hostile.TEMPLATE, "")).render(
        Context({"program": cast.program})
    )
    with pytest.raises(hostile.HostileOutput, match="debug"):
        hostile.check_text(printed, "a description run as a template")


def test_a_template_that_marks_data_safe_is_caught(cast, client_as, monkeypatch):
    """A template showing a typed field with |safe is caught as markup."""
    plant(
        monkeypatch,
        "programs/detail.html",
        "{{ program.description|linebreaks }}",
        "{{ program.description|safe }}",
    )
    hostile.build_world(cast)
    hostile.poison_everything()
    response = client_as("coordinator").get(reverse("programs:detail", args=[cast.program.slug]))
    with pytest.raises(hostile.HostileOutput, match="unescaped"):
        check_response(response, "program page")


def test_the_old_email_layout_is_caught(
    cast, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    """The audit's mail: a safe text part put into the HTML part without escaping."""
    from django.utils.safestring import mark_safe

    from core import mail
    from sessions.models import Meeting
    from sessions.services import _mail_meeting

    original = mail.render_plain_text
    monkeypatch.setattr(mail, "render_plain_text", lambda *a: mark_safe(original(*a)))
    plant(monkeypatch, "email/base.html", "text|force_escape|urlize", "text|urlize")
    world = hostile.build_world(cast)
    hostile.poison_everything()
    with django_capture_on_commit_callbacks(execute=True):
        _mail_meeting(Meeting.objects.get(pk=world.cancelled_meeting.pk), "meeting_cancelled")
    with pytest.raises(hostile.HostileOutput, match="unescaped"):
        check_email(mailoutbox[0], "mail")


def test_a_safe_text_part_is_still_escaped(
    cast, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    """Even a text part marked safe by mistake is escaped by email/base.html."""
    from django.utils.safestring import mark_safe

    from core import mail
    from sessions.models import Meeting
    from sessions.services import _mail_meeting

    original = mail.render_plain_text
    monkeypatch.setattr(mail, "render_plain_text", lambda *a: mark_safe(original(*a)))
    world = hostile.build_world(cast)
    hostile.poison_everything()
    with django_capture_on_commit_callbacks(execute=True):
        _mail_meeting(Meeting.objects.get(pk=world.cancelled_meeting.pk), "meeting_cancelled")
    check_email(mailoutbox[0], "mail")


def test_a_csv_that_lets_a_formula_through_is_caught(cast, client_as, monkeypatch):
    """Without core/csv_export.py's guard, a name starting with = is a formula."""
    from core import csv_export

    monkeypatch.setattr(csv_export, "spreadsheet_safe", lambda value: value)
    hostile.build_world(cast)
    hostile.poison_everything()
    url = reverse("dashboard:list_csv", kwargs={"kind": "accepted"})
    response = client_as("coordinator").get(url)
    with pytest.raises(hostile.HostileOutput, match="a spreadsheet would run"):
        check_response(response, "list CSV")


# --- the layouts: every legend and HTML() goes through core.layout ------------------

# crispy-forms compiles these arguments as templates (crispy_forms/layout.py).
COMPILED_ARGUMENT = {"Fieldset": 0, "HTML": 0}
INERT_MAKERS = {"inert", "heading"}


def template_arguments_not_inert(source: str) -> list[int]:
    """Line numbers where a crispy Fieldset/HTML gets markup not made by inert() or heading().

    A plain string literal is a template the developer wrote, and allowed.
    """
    import ast

    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        index = COMPILED_ARGUMENT.get(node.func.id)
        if index is None or len(node.args) <= index:
            continue
        argument = node.args[index]
        literal = isinstance(argument, ast.Constant) and isinstance(argument.value, str)
        made_inert = (
            isinstance(argument, ast.Call)
            and isinstance(argument.func, ast.Name)
            and argument.func.id in INERT_MAKERS
        )
        if not (literal or made_inert):
            lines.append(node.lineno)
    return lines


def _crispy_modules() -> list[Path]:
    base = Path(settings.BASE_DIR)
    skip = {".venv", "node_modules", "var", "migrations", "tests"}
    return [
        path
        for path in base.rglob("*.py")
        if not skip & set(path.relative_to(base).parts) and "crispy_forms" in path.read_text()
    ]


def test_every_crispy_legend_and_html_is_inert():
    modules = _crispy_modules()
    assert {path.parent.name for path in modules} >= {"programs", "sessions", "evaluation"}
    found = {
        str(path.relative_to(settings.BASE_DIR)): lines
        for path in modules
        if (lines := template_arguments_not_inert(path.read_text()))
    }
    assert found == {}


def test_a_legend_made_from_data_is_caught_by_the_layout_check():
    source = (
        "from crispy_forms.layout import Fieldset, HTML\n"
        "Fieldset(measure.label, 'note')\n"
        "Fieldset(format_html('<h2>{}</h2>', title), 'note')\n"
        "HTML(f'<p>{prompt}</p>')\n"
        "Fieldset(inert(measure.label), 'note')\n"
        "Fieldset(heading(_('About')), 'name')\n"
        "HTML('{% include \"programs/_phases_formset.html\" %}')\n"
    )
    assert template_arguments_not_inert(source) == [2, 3, 4]
