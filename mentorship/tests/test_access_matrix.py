"""Every named URL × every role of the cast: the expected status code.

The matrix is generated against the URLconf: a named pattern that is neither listed
here nor exempt fails the suite, so no page ships without its access rules.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

from conftest import ROLES, Cast
from evaluation.tests.access_kwargs import (
    cast_match_feedback,
    mentees_later_role,
    mentees_testimonial,
)

# Third-party URL sets with their own tests upstream; our own pages are all listed.
EXEMPT_MODULE_PREFIXES = ("allauth.", "django.contrib.admin.", "django.views.static")
EXEMPT_NAMESPACES = ("admin",)


@dataclass(frozen=True)
class Row:
    expect: dict[str, int]
    kwargs: Callable[[Cast], dict] = lambda cast: {}
    method: str = "get"
    data: dict = field(default_factory=dict)


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def roles(anonymous, member, mentee, mentor, other_coordinator, coordinator) -> dict[str, int]:
    return dict(
        zip(ROLES, (anonymous, member, mentee, mentor, other_coordinator, coordinator), strict=True)
    )


def program_slug(cast: Cast) -> dict:
    return {"slug": cast.program.slug}


def apply_as_mentee(cast: Cast) -> dict:
    return {"slug": cast.program.slug, "role": "mentee"}


def done_packet(cast: Cast) -> dict:
    from django.core.files.base import ContentFile

    from printing.models import Packet

    packet = Packet.objects.create(program=cast.program, status="done")
    packet.file.save("packet.pdf", ContentFile(b"%PDF-1.7"))
    return {"slug": cast.program.slug, "pk": packet.pk}


def mentees_survey(cast: Cast) -> dict:
    participant = cast.mentee_participant
    return {"slug": cast.program.slug, "participant_id": participant.pk}


def undelivered_reminder(cast: Cast) -> dict:
    import datetime

    from core.models import OutboxMessage
    from reminders.models import Reminder

    message = OutboxMessage.objects.create(
        to=cast.mentee.email,
        subject="Survey",
        text="Survey",
        message_id="<matrix@example.org>",
        status=OutboxMessage.Status.FAILED,
        attempts=8,
    )
    reminder = Reminder.objects.create(
        kind="survey_due",
        recipient=cast.mentee,
        program=cast.program,
        subject_key=f"survey:{cast.mentee_participant.pk}",
        due_on=datetime.date(2026, 3, 1),
        message=message,
    )
    return {"slug": cast.program.slug, "reminder_id": reminder.pk}


def mentors_submitted_survey(cast: Cast) -> dict:
    from django.utils import timezone

    from surveys.tests.factories import SurveyFactory

    participant = cast.mentor_participant
    SurveyFactory(participant=participant, status="submitted", submitted_at=timezone.now())
    return {"slug": cast.program.slug, "participant_id": participant.pk}


def members_application(cast: Cast) -> dict:
    """An application of the plain member to the cast's program."""
    from intake.tests.factories import ApplicationFactory

    application = ApplicationFactory(program=cast.program, applicant=cast.member)
    return {"slug": cast.program.slug, "pk": application.pk}


def members_invitation(cast: Cast) -> dict:
    """The program's coordinator invites the plain member to co-coordinate it."""
    from programs.models import CoordinatorInvitation

    invitation = CoordinatorInvitation.objects.create(
        program=cast.program, email=cast.member.email, invited_by=cast.coordinator
    )
    return {"slug": cast.program.slug, "pk": invitation.pk}


def cast_mentor(cast: Cast) -> dict:
    """The cast's mentor: in the mentor database as a program's mentor, without a profile."""
    return {"user_id": cast.mentor.pk}


def _cast_match(cast: Cast, status: str) -> dict:
    from matching.models import Match

    match = Match.objects.create(
        program=cast.program,
        mentee=cast.mentee_participant,
        mentor=cast.mentor_participant,
        status=status,
    )
    return {"slug": cast.program.slug, "pk": match.pk}


def cast_proposal(cast: Cast) -> dict:
    """The cast's mentee and mentor, proposed as a match (not yet published)."""
    return _cast_match(cast, "proposed")


def cast_exclusion(cast: Cast) -> dict:
    """The cast's mentee and mentor, excluded as a pair by the coordinator."""
    from matching.models import Exclusion

    exclusion = Exclusion.objects.create(
        program=cast.program,
        mentee=cast.mentee_participant,
        mentor=cast.mentor_participant,
        source=Exclusion.Source.COORDINATOR,
    )
    return {"slug": cast.program.slug, "pk": exclusion.pk}


def cast_active_match(cast: Cast) -> dict:
    """The cast's mentee and mentor, matched: either of them may end it."""
    return {"slug": cast.program.slug, "pk": cast.pair().pk}


# --- sessions: the cast's mentee and mentor as a pair, and what a pair has -------------------


def pair_kwargs(cast: Cast) -> dict:
    return {"slug": cast.program.slug, "match_id": cast.pair().pk}


def pair_meeting(cast: Cast) -> dict:
    """A meeting of the pair that took place yesterday."""
    import datetime

    from django.utils import timezone

    from sessions.tests.factories import MeetingFactory

    match = cast.pair()
    meeting = MeetingFactory(match=match, starts_at=timezone.now() - datetime.timedelta(days=1))
    return {"slug": cast.program.slug, "match_id": match.pk, "meeting_id": meeting.pk}


def pair_worksheet(cast: Cast) -> dict:
    from sessions.tests.factories import WorksheetFactory

    match = cast.pair()
    WorksheetFactory(match=match)
    return {"slug": cast.program.slug, "match_id": match.pk}


def pair_goal(cast: Cast) -> dict:
    from sessions.models import Goal

    match = cast.pair()
    goal = Goal.objects.create(match=match, term="short", description="File a grievance")
    return {"slug": cast.program.slug, "match_id": match.pk, "goal_id": goal.pk}


def pair_action(cast: Cast) -> dict:
    from sessions.tests.factories import ActionItemFactory, SessionRecordFactory

    kwargs = pair_meeting(cast)
    record = SessionRecordFactory(meeting_id=kwargs.pop("meeting_id"))
    return {**kwargs, "action_id": ActionItemFactory(record=record).pk}


def pair_meeting_on_paper(cast: Cast) -> dict:
    """A past meeting of the pair, prepared by the mentee and recorded by the mentor."""
    from sessions.tests.factories import PreparationFactory, SessionRecordFactory

    kwargs = pair_meeting(cast)
    SessionRecordFactory(meeting_id=kwargs["meeting_id"])
    PreparationFactory(meeting_id=kwargs["meeting_id"])
    return kwargs


def pair_fit_check(cast: Cast) -> dict:
    """The pair's first meeting, recorded: the first fit check is open to both sides."""
    kwargs = pair_meeting_on_paper(cast)
    return {"slug": kwargs["slug"], "match_id": kwargs["match_id"], "stage": "first"}


def mentees_submitted_feedback(cast: Cast) -> dict:
    """The mentee's submitted feedback; the mentor has not submitted theirs."""
    from django.utils import timezone

    from evaluation.models import Feedback

    kwargs = cast_match_feedback(cast)
    feedback = Feedback.objects.create(
        match_id=kwargs["match_id"],
        author=cast.mentee_participant,
        worked_well="Regular meetings.",
        whats_next="complete",
        status="submitted",
        submitted_at=timezone.now(),
    )
    return {**kwargs, "feedback_id": feedback.pk}


def program_orientation(cast: Cast) -> dict:
    from sessions.tests.factories import OrientationFactory

    OrientationFactory(program=cast.program)
    return {"slug": cast.program.slug}


def program_group_session(cast: Cast) -> dict:
    from sessions.tests.factories import GroupSessionFactory

    return {"slug": cast.program.slug, "pk": GroupSessionFactory(program=cast.program).pk}


def mentees_feed(cast: Cast) -> dict:
    """The mentee's calendar feed: its token is the key, whoever asks."""
    from sessions.services import calendar_feed_regenerate

    return {"token": calendar_feed_regenerate(user=cast.mentee).token}


VIEW = roles(302, 404, 200, 200, 404, 200)
MANAGE = roles(302, 404, 403, 403, 404, 200)
PAIR_WRITE = roles(302, 404, 200, 200, 404, 403)
PAIR_POST = roles(302, 404, 302, 302, 404, 403)


MATRIX: dict[str, Row] = {
    "home": Row(roles(200, 302, 302, 302, 302, 302)),
    "healthz": Row(everyone(200)),
    "accounts:home": Row(roles(302, 200, 200, 200, 200, 200)),
    "accounts:set_language": Row(everyone(302), method="post", data={"language": "fr"}),
    "accounts:forms": Row(roles(302, 200, 200, 200, 200, 200)),
    # Done/drop from the member's home: only the pair's two members; no one else learns
    # the action exists, the program's coordinator included (they change it nowhere).
    "accounts:action_status": Row(
        roles(302, 404, 302, 302, 404, 404),
        kwargs=lambda cast: {"action_id": pair_action(cast)["action_id"]},
        method="post",
        data={"status": "done"},
    ),
    "accounts:profile": Row(roles(302, 200, 200, 200, 200, 200)),
    "accounts:profile_delete": Row(roles(302, 200, 200, 200, 200, 200)),
    "accounts:download": Row(roles(302, 200, 200, 200, 200, 200), kwargs=lambda c: {"fmt": "csv"}),
    "dashboard:retention": Row(MANAGE, kwargs=program_slug),
    "accounts:my_data": Row(roles(302, 200, 200, 200, 200, 200)),
    # Everyone signed in is first asked for their password again (allauth reauthentication).
    "accounts:account_delete": Row(roles(302, 302, 302, 302, 302, 302)),
    # Why coordinators need an authenticator app; the cast's coordinators have one: onwards.
    "accounts:mfa_required": Row(roles(302, 200, 200, 200, 302, 302)),
    "accounts:reminders": Row(roles(302, 302, 302, 302, 302, 302), method="post"),
    "reminders:log": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    "reminders:settings": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    "reminders:retry": Row(
        roles(302, 404, 403, 403, 404, 302), kwargs=undelivered_reminder, method="post"
    ),
    # The preview of "remind everyone" (GET); its POST sends, tested in reminders/tests.
    "reminders:send_many": Row(
        roles(302, 404, 403, 403, 404, 200),
        kwargs=lambda c: {"slug": c.program.slug, "kind": "survey_due"},
    ),
    "reminders:send_survey": Row(
        roles(302, 404, 403, 403, 404, 302), kwargs=mentees_survey, method="post"
    ),
    "printing:index": Row(everyone(200)),
    "printing:packet": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    "printing:packet_download": Row(
        roles(302, 404, 403, 403, 404, 200), kwargs=lambda c: done_packet(c)
    ),
    # Redirects to the record's own page (or back with a message): that page decides.
    "printing:record": Row(roles(302, 302, 302, 302, 302, 302)),
    "surveys:key_in": Row(roles(302, 404, 403, 403, 404, 200), kwargs=mentees_survey),
    "printing:blank": Row(everyone(200), kwargs=lambda c: {"key": "mentee-survey"}),
    "printing:program_blank": Row(
        everyone(200), kwargs=lambda c: {"slug": c.program.slug, "key": "application"}
    ),
    "surveys:pdf": Row(roles(302, 404, 200, 404, 404, 200), kwargs=mentees_survey),
    "surveys:mine": Row(roles(302, 404, 200, 200, 404, 404), kwargs=program_slug),
    "surveys:completion": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    # The mentee and the mentor of the cast are not matched: they do not see each other's.
    "surveys:detail": Row(roles(302, 404, 200, 404, 404, 200), kwargs=mentees_survey),
    "surveys:reopen": Row(
        roles(302, 404, 403, 403, 404, 302), kwargs=mentors_submitted_survey, method="post"
    ),
    "dashboard:home": Row(roles(302, 404, 404, 404, 200, 200)),
    "dashboard:program": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    "dashboard:list": Row(
        roles(302, 404, 404, 404, 200, 200), kwargs=lambda cast: {"kind": "accepted"}
    ),
    "dashboard:list_csv": Row(
        roles(302, 404, 404, 404, 200, 200), kwargs=lambda cast: {"kind": "accepted"}
    ),
    "programs:list": Row(everyone(200)),
    "programs:detail": Row(everyone(200), kwargs=program_slug),
    "programs:participants": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    "programs:create": Row(roles(302, 404, 404, 404, 200, 200)),
    # The activity log: the program's coordinators only (programs/tests/test_activity_page.py).
    "programs:activity": Row(MANAGE, kwargs=program_slug),
    "programs:activity_csv": Row(MANAGE, kwargs=program_slug),
    "programs:edit": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    "programs:copy": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    # A POST (GET is 405, tested in programs/tests/test_setup.py); running → closing.
    "programs:change_status": Row(
        roles(302, 404, 403, 403, 404, 302),
        kwargs=program_slug,
        method="post",
        data={"to": "closing"},
    ),
    # The invitee (the member) answers; nobody else, the inviter included, sees it exists.
    "programs:invitation_accept": Row(
        roles(302, 200, 404, 404, 404, 404), kwargs=lambda c: {"pk": members_invitation(c)["pk"]}
    ),
    "programs:invitation_decline": Row(
        roles(302, 200, 404, 404, 404, 404), kwargs=lambda c: {"pk": members_invitation(c)["pk"]}
    ),
    "programs:invitation_withdraw": Row(
        roles(302, 404, 403, 403, 404, 200), kwargs=members_invitation
    ),
    "intake:apply": Row(roles(302, 200, 200, 200, 200, 200), kwargs=apply_as_mentee),
    "intake:my_application": Row(roles(302, 200, 404, 404, 404, 404), kwargs=members_application),
    "intake:withdraw": Row(roles(302, 200, 404, 404, 404, 404), kwargs=members_application),
    "intake:nominate": Row(roles(302, 200, 200, 200, 200, 200), kwargs=program_slug),
    "intake:review": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    "intake:review_detail": Row(roles(302, 404, 403, 403, 404, 200), kwargs=members_application),
    # The cast's program is running, so the decision is refused: shown with the form (400)
    # and the note typed, not lost in a redirect.
    "intake:decide": Row(
        roles(302, 404, 403, 403, 404, 400),
        kwargs=members_application,
        method="post",
        data={"decision": "waitlist"},
    ),
    # Nothing selected: back to the waiting list with a message (the bulk decision itself is
    # tested in intake/tests/test_bulk_decisions.py).
    "intake:decide_many": Row(
        roles(302, 404, 403, 403, 404, 302),
        kwargs=program_slug,
        method="post",
        data={"decision": "accept"},
    ),
    "intake:nominations": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    # Keying in a paper application: the program's coordinators only (a POST's outcomes are
    # in intake/tests/test_key_in.py).
    "intake:key_in": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    "matching:my_mentor_profile": Row(roles(302, 200, 200, 200, 200, 200)),
    # A POST (GET is 405): nobody in the cast has a mentor profile, so back with a message.
    "matching:confirm_mentor_profile": Row(everyone(302), method="post"),
    "matching:mentor_database": Row(roles(302, 404, 404, 404, 200, 200)),
    # The cast's mentor mentors in the coordinator's program and never said other programs'
    # coordinators may find her: 404 to them (matching/tests/test_mentor_consent.py).
    "matching:mentor_detail": Row(roles(302, 404, 404, 404, 404, 200), kwargs=cast_mentor),
    "matching:board": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    "matching:settings": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    "matching:publish": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    "matching:manual": Row(roles(302, 404, 403, 403, 404, 200), kwargs=mentees_survey),
    # POSTs (GET is 405, tested in matching/tests/test_matching_views.py); back to the board.
    "matching:run": Row(roles(302, 404, 403, 403, 404, 302), kwargs=program_slug, method="post"),
    "matching:lock": Row(roles(302, 404, 403, 403, 404, 302), kwargs=cast_proposal, method="post"),
    "matching:unlock": Row(
        roles(302, 404, 403, 403, 404, 302), kwargs=cast_proposal, method="post"
    ),
    # Without a proposal to swap with: back to the manual page with a message.
    "matching:swap": Row(roles(302, 404, 403, 403, 404, 302), kwargs=cast_proposal, method="post"),
    # Without a pair: back to the board with a message.
    "matching:exclude": Row(
        roles(302, 404, 403, 403, 404, 302), kwargs=program_slug, method="post"
    ),
    "matching:choose": Row(roles(302, 404, 403, 403, 404, 302), kwargs=program_slug, method="post"),
    # GET asks before the exclusion is lifted (POST).
    "matching:lift_exclusion": Row(roles(302, 404, 403, 403, 404, 200), kwargs=cast_exclusion),
    "matching:priority": Row(
        roles(302, 404, 403, 403, 404, 302),
        kwargs=mentees_survey,
        method="post",
        data={"priority": "1"},
    ),
    # A mentee's wishes keyed in from the paper survey: the program's coordinators only.
    "matching:key_in_wishes": Row(roles(302, 404, 403, 403, 404, 200), kwargs=mentees_survey),
    # Participants' own page: coordinators take part in no program as mentor or mentee.
    "matching:my_preferences": Row(roles(302, 404, 200, 200, 404, 403), kwargs=program_slug),
    # Either side of the match or a coordinator; other members do not learn it exists.
    "matching:end": Row(roles(302, 404, 200, 200, 404, 200), kwargs=cast_active_match),
    # Close-out: a participant's own forms are 403 to coordinators, who take part in none.
    "evaluation:feedback": Row(roles(302, 404, 200, 200, 404, 403), kwargs=cast_match_feedback),
    # Printed as on screen: the author, and the partner only once both have submitted.
    "evaluation:feedback_pdf": Row(
        roles(302, 404, 200, 404, 404, 403), kwargs=mentees_submitted_feedback
    ),
    "evaluation:evaluate": Row(roles(302, 404, 200, 200, 404, 403), kwargs=program_slug),
    "evaluation:window": Row(
        roles(302, 404, 403, 403, 404, 302),
        kwargs=program_slug,
        method="post",
        data={"action": "open"},
    ),
    "evaluation:overview": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    "evaluation:report": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    "evaluation:report_csv": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    "evaluation:outcomes": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    "evaluation:participant_outcomes": Row(
        roles(302, 404, 403, 403, 404, 200), kwargs=mentees_survey
    ),
    "evaluation:my_roles": Row(roles(302, 404, 200, 200, 404, 403), kwargs=program_slug),
    # The alumni follow-up's "no change": a participant's own answer, POST only.
    "evaluation:roles_no_change": Row(
        roles(302, 404, 302, 302, 404, 403), kwargs=program_slug, method="post"
    ),
    # The mentee's own role: the mentor does not learn it exists.
    "evaluation:role_delete": Row(
        roles(302, 404, 302, 404, 404, 302), kwargs=mentees_later_role, method="post"
    ),
    "evaluation:my_testimonial": Row(roles(302, 404, 200, 200, 404, 403), kwargs=program_slug),
    "evaluation:testimonial_withdraw": Row(
        roles(302, 404, 302, 302, 404, 403), kwargs=program_slug, method="post"
    ),
    "evaluation:testimonials": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    "evaluation:testimonial_review": Row(
        roles(302, 404, 403, 403, 404, 302),
        kwargs=mentees_testimonial,
        method="post",
        data={"decision": "approve"},
    ),
    "sessions:orientation": Row(VIEW, kwargs=program_slug),
    "sessions:orientation_edit": Row(MANAGE, kwargs=program_slug),
    "sessions:orientation_attendance": Row(MANAGE, kwargs=program_orientation),
    "sessions:orientation_ics": Row(VIEW, kwargs=program_orientation),
    "sessions:group_sessions": Row(VIEW, kwargs=program_slug),
    "sessions:group_session_create": Row(MANAGE, kwargs=program_slug),
    "sessions:group_session": Row(VIEW, kwargs=program_group_session),
    "sessions:group_session_edit": Row(MANAGE, kwargs=program_group_session),
    "sessions:group_session_attendance": Row(MANAGE, kwargs=program_group_session),
    "sessions:group_session_cancel": Row(MANAGE, kwargs=program_group_session),
    "sessions:group_session_ics": Row(VIEW, kwargs=program_group_session),
    "sessions:pairs": Row(MANAGE, kwargs=program_slug),
    # Unmatched members see "not matched yet"; coordinators are sent to the pairs.
    "sessions:mine": Row(roles(302, 404, 200, 200, 404, 302), kwargs=program_slug),
    # The pair's pages: its two members, and the program's coordinators read-only.
    "sessions:timeline": Row(VIEW, kwargs=pair_kwargs),
    "sessions:worksheet": Row(VIEW, kwargs=pair_kwargs),
    "sessions:worksheet_pdf": Row(VIEW, kwargs=pair_worksheet),
    "sessions:worksheet_edit": Row(PAIR_WRITE, kwargs=pair_kwargs),
    "sessions:worksheet_agree": Row(
        PAIR_POST, kwargs=pair_worksheet, method="post", data={"version": 1}
    ),
    "sessions:goals": Row(VIEW, kwargs=pair_kwargs),
    "sessions:goal_update": Row(PAIR_POST, kwargs=pair_goal, method="post"),
    "sessions:action_status": Row(
        PAIR_POST, kwargs=pair_action, method="post", data={"status": "done"}
    ),
    "sessions:meeting_create": Row(PAIR_WRITE, kwargs=pair_kwargs),
    # Each side's private answer: a coordinator reads it on the pair's page, never answers.
    "sessions:fit_check": Row(PAIR_WRITE, kwargs=pair_fit_check),
    "sessions:meeting": Row(VIEW, kwargs=pair_meeting),
    "sessions:meeting_reschedule": Row(PAIR_WRITE, kwargs=pair_meeting),
    "sessions:meeting_cancel": Row(PAIR_WRITE, kwargs=pair_meeting),
    "sessions:meeting_preparation": Row(roles(302, 404, 200, 403, 404, 403), kwargs=pair_meeting),
    "sessions:meeting_record": Row(roles(302, 404, 403, 200, 404, 403), kwargs=pair_meeting),
    "sessions:meeting_ics": Row(VIEW, kwargs=pair_meeting),
    "sessions:meeting_record_pdf": Row(VIEW, kwargs=pair_meeting_on_paper),
    "sessions:meeting_preparation_pdf": Row(VIEW, kwargs=pair_meeting_on_paper),
    "sessions:calendar": Row(roles(302, 200, 200, 200, 200, 200)),
    "sessions:calendar_regenerate": Row(everyone(302), method="post"),
    "sessions:calendar_revoke": Row(everyone(302), method="post"),
    # The secret token is the key (calendar programs cannot log in): no log-in redirect.
    "sessions:feed": Row(everyone(200), kwargs=mentees_feed),
}


def named_patterns(patterns=None, namespace: str = "") -> dict[str, URLPattern]:
    """All named URL patterns of a URLconf, by their namespaced name."""
    found: dict[str, URLPattern] = {}
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.update(named_patterns(entry.url_patterns, inner))
        elif entry.name:
            found[f"{namespace}{entry.name}"] = entry
    return found


def is_exempt(name: str, pattern: URLPattern) -> bool:
    module = getattr(pattern.callback, "__module__", "") or ""
    return module.startswith(EXEMPT_MODULE_PREFIXES) or name.split(":")[0] in EXEMPT_NAMESPACES


def unlisted(patterns: dict[str, URLPattern], matrix: dict[str, Row]) -> list[str]:
    return sorted(n for n, p in patterns.items() if n not in matrix and not is_exempt(n, p))


def test_every_named_url_is_in_the_matrix():
    assert unlisted(named_patterns(), MATRIX) == []


def test_matrix_lists_no_url_that_is_gone():
    assert sorted(set(MATRIX) - set(named_patterns())) == []


def test_a_new_url_without_a_row_is_caught():
    def new_page(request):
        raise AssertionError("never called")

    patterns = {**named_patterns(), "programs:new_page": path("x/", new_page, name="new_page")}
    assert unlisted(patterns, MATRIX) == ["programs:new_page"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(name, role, cast, client_as):
    row = MATRIX[name]
    url = reverse(name, kwargs=row.kwargs(cast))
    response = getattr(client_as(role), row.method)(url, row.data)
    assert response.status_code == row.expect[role], (
        f"{row.method.upper()} {url} as {role}: got {response.status_code}, "
        f"expected {row.expect[role]}"
    )
    if response.status_code == 302 and role == "anonymous" and name != "home":
        # Anonymous visitors are sent to log in, never shown what is behind the page.
        assert response["Location"].startswith(reverse("account_login")) or name in (
            "accounts:set_language",
        )
