"""Nothing typed is lost when one form is open twice: every edit form, one table.

Each case opens the form in two "tabs" (two GETs), saves a change from the second, then
sends the first tab's change to a different field. The first tab's save must overwrite
nothing, show both texts, and offer a form holding the newest saved value of every field
this tab did not change plus this tab's change; saving that form keeps both changes.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from core.testing import form_fields
from evaluation import models as evaluation_models
from evaluation.models import Feedback, MeasureResult
from intake.models import Application
from matching.models import MentorProfile
from matching.tests.factories import MentorProfileFactory
from programs.models import Program, SuccessMeasure
from sessions.models import GroupSession, Orientation, Preparation, SessionRecord, Worksheet
from sessions.tests.factories import (
    GroupSessionFactory,
    MeetingFactory,
    OrientationFactory,
    WorksheetFactory,
)
from surveys.models import Survey

THIS_TAB = "Typed in this tab"
OTHER_TAB = "Saved from the other tab"


@dataclass(frozen=True)
class Case:
    role: str  # who has the form open
    url: Callable  # (cast) -> the form's address, after making what it needs
    stored: Callable  # (cast, field) -> the value saved now
    this_field: str | Callable  # the field the first tab changes (or cast -> its name)
    other_field: str | Callable  # the field the second tab changes
    button: dict = field(default_factory=dict)  # the submit button pressed


def _answer(cast, key, user_of=lambda cast: cast.mentee):
    survey = Survey.objects.filter(participant__user=user_of(cast)).first()
    return survey.answers.get(key, "") if survey else ""


def _pair_url(name: str, *args) -> Callable:
    def make(cast):
        match = cast.pair()
        extra = [a(cast, match) if callable(a) else a for a in args]
        return reverse(f"sessions:{name}", args=[cast.program.slug, match.pk, *extra])

    return make


def _worksheet(cast, match):
    WorksheetFactory(match=match)


def _meeting(days: int):
    def make(cast, match):
        starts = timezone.now() + datetime.timedelta(days=days)
        return MeetingFactory(match=match, starts_at=starts).pk

    return make


def _soon():
    return timezone.now().replace(hour=18, minute=0, second=0, microsecond=0) + datetime.timedelta(
        days=5
    )


def _outcomes_url(cast):
    for label in ("Ran for office", "Led a campaign"):
        measure = SuccessMeasure.objects.create(program=cast.program, label=label)
        MeasureResult.objects.create(
            participant=cast.mentee_participant, measure=measure, achieved=True
        )
    return reverse(
        "evaluation:participant_outcomes", args=[cast.program.slug, cast.mentee_participant.pk]
    )


def _note(label: str) -> Callable:
    return lambda cast: f"note_{SuccessMeasure.objects.get(label=label).pk}"


def _result_note(cast, name):
    result = MeasureResult.objects.filter(measure_id=int(name.split("_")[1])).first()
    return result.note if result else ""


def _apply_url(cast):
    today = timezone.localdate()
    program = cast.program
    program.status = Program.Status.OPEN
    program.applications_open_on = today - datetime.timedelta(days=10)
    program.applications_close_on = today + datetime.timedelta(days=10)
    program.save()
    return reverse("intake:apply", args=[program.slug, "mentee"])


def _worksheet_url(cast):
    _worksheet(cast, cast.pair())
    return _pair_url("worksheet_edit")(cast)


CASES = {
    "mentee survey": Case(
        role="mentee",
        url=lambda cast: reverse("surveys:mine", args=[cast.program.slug]),
        stored=lambda cast, key: _answer(cast, key),
        this_field="expectations",
        other_field="strengths",
        button={"save": "1"},
    ),
    "mentor survey": Case(
        role="mentor",
        url=lambda cast: reverse("surveys:mine", args=[cast.program.slug]),
        stored=lambda cast, key: _answer(cast, key, lambda cast: cast.mentor),
        this_field="current_position",
        other_field="career_path",
        button={"save": "1"},
    ),
    "survey's profile block": Case(
        role="mentee",
        url=lambda cast: reverse("surveys:mine", args=[cast.program.slug]),
        stored=lambda cast, name: getattr(
            Profile.objects.filter(user=cast.mentee).first(), name, ""
        ),
        this_field="union_role",
        other_field="local_union",
        button={"save": "1"},
    ),
    "profile": Case(
        role="member",
        url=lambda cast: reverse("accounts:profile"),
        stored=lambda cast, name: getattr(
            Profile.objects.filter(user=cast.member).first(), name, ""
        ),
        this_field="union_role",
        other_field="local_union",
    ),
    "application draft": Case(
        role="member",
        url=_apply_url,
        stored=lambda cast, name: getattr(Application.objects.first(), name, ""),
        this_field="essay",
        other_field="goals",
        button={"save": "1"},
    ),
    "feedback": Case(
        role="mentee",
        url=lambda cast: reverse("evaluation:feedback", args=[cast.program.slug, cast.pair().pk]),
        stored=lambda cast, name: getattr(Feedback.objects.first(), name, ""),
        this_field="worked_well",
        other_field="learned",
        button={"save": "1"},
    ),
    "mentor profile": Case(
        role="member",
        url=lambda cast: (
            MentorProfileFactory(user=cast.member) and reverse("matching:my_mentor_profile")
        ),
        stored=lambda cast, name: getattr(MentorProfile.objects.get(), name),
        this_field="background",
        other_field="interests",
    ),
    "program set-up": Case(
        role="coordinator",
        url=lambda cast: reverse("programs:edit", args=[cast.program.slug]),
        stored=lambda cast, name: getattr(Program.objects.get(pk=cast.program.pk), name),
        this_field="description",
        other_field="goals",
    ),
    "outcomes": Case(
        role="coordinator",
        url=_outcomes_url,
        stored=_result_note,
        this_field=_note("Ran for office"),
        other_field=_note("Led a campaign"),
        button={"action": "measures"},
    ),
    "orientation": Case(
        role="coordinator",
        url=lambda cast: (
            OrientationFactory(program=cast.program, starts_at=_soon())
            and reverse("sessions:orientation_edit", args=[cast.program.slug])
        ),
        stored=lambda cast, name: getattr(Orientation.objects.get(), name),
        this_field="location",
        other_field="accessibility_notes",
    ),
    "group session": Case(
        role="coordinator",
        url=lambda cast: reverse(
            "sessions:group_session_edit",
            args=[
                cast.program.slug,
                GroupSessionFactory(program=cast.program, starts_at=_soon()).pk,
            ],
        ),
        stored=lambda cast, name: getattr(GroupSession.objects.get(), name),
        this_field="title",
        other_field="description",
    ),
    "worksheet": Case(
        role="mentor",
        url=_worksheet_url,
        stored=lambda cast, name: getattr(Worksheet.objects.get(), name),
        this_field="roles",
        other_field="purpose",
    ),
    "preparation": Case(
        role="mentee",
        url=_pair_url("meeting_preparation", _meeting(7)),
        stored=lambda cast, name: getattr(Preparation.objects.first(), name, ""),
        this_field="tried",
        other_field="questions",
    ),
    "session record": Case(
        role="mentor",
        url=_pair_url("meeting_record", _meeting(-1)),
        stored=lambda cast, name: getattr(SessionRecord.objects.first(), name, ""),
        this_field="update",
        other_field="focus",
    ),
}


@pytest.fixture(params=CASES.values(), ids=CASES.keys())
def case(request):
    return request.param


def _named(case: Case, cast) -> Case:
    """The case with its two field names (some depend on rows the case's url made)."""
    name = lambda f: f(cast) if callable(f) else f  # noqa: E731
    return replace(case, this_field=name(case.this_field), other_field=name(case.other_field))


def test_two_tabs_lose_nothing(case, cast, client_as):
    client = client_as(case.role)
    url = case.url(cast)
    case = _named(case, cast)
    this_tab = form_fields(client.get(url).content.decode())
    other_tab = form_fields(client.get(url).content.decode())
    before = case.stored(cast, case.this_field)
    other_before = case.stored(cast, case.other_field)

    saved = client.post(url, {**other_tab, case.other_field: OTHER_TAB, **case.button})
    assert saved.status_code == 302, saved.content.decode()[:3000]
    assert case.stored(cast, case.other_field) == OTHER_TAB

    clash = client.post(url, {**this_tab, case.this_field: THIS_TAB, **case.button})
    assert clash.status_code == 409
    # Nothing was overwritten, nor written.
    assert case.stored(cast, case.other_field) == OTHER_TAB
    assert case.stored(cast, case.this_field) == before
    # Both texts side by side, only what differs.
    page = clash.content.decode()
    assert f'data-conflict-saved="{case.other_field}">{OTHER_TAB}' in page
    assert f'data-conflict-yours="{case.other_field}">{other_before or "—"}' in page
    assert f'data-conflict-yours="{case.this_field}">{THIS_TAB}' in page
    # The form holds the other tab's change and this tab's, nothing older.
    resolved = form_fields(page)
    assert resolved[case.other_field] == OTHER_TAB
    assert resolved[case.this_field] == THIS_TAB

    again = client.post(url, {**resolved, **case.button})
    assert again.status_code == 302, again.content.decode()[:3000]
    assert case.stored(cast, case.other_field) == OTHER_TAB
    assert case.stored(cast, case.this_field) == THIS_TAB


@pytest.mark.parametrize("token", ["", "tampered", None], ids=["empty", "tampered", "missing"])
def test_a_bad_token_never_saves_silently(case, cast, client_as, token):
    """Without a genuine token, what is stored counts as changed since: a conflict."""
    client = client_as(case.role)
    url = case.url(cast)
    case = _named(case, cast)
    data = form_fields(client.get(url).content.decode())
    client.post(url, {**data, case.other_field: OTHER_TAB, **case.button})
    sent = {**data, case.this_field: THIS_TAB, case.other_field: "Stale", **case.button}
    if token is None:
        del sent["loaded_as"]
    else:
        sent["loaded_as"] = token if token == "" else data["loaded_as"][:-2] + "xx"
    response = client.post(url, sent)
    assert response.status_code == 409
    assert case.stored(cast, case.other_field) == OTHER_TAB
    assert case.stored(cast, case.this_field) != THIS_TAB


def test_the_same_form_sent_twice_is_no_conflict(case, cast, client_as):
    """A double click sends one form twice: the second changes nothing, so it goes through."""
    client = client_as(case.role)
    url = case.url(cast)
    case = _named(case, cast)
    sent = {**form_fields(client.get(url).content.decode()), case.this_field: THIS_TAB}
    assert client.post(url, {**sent, **case.button}).status_code == 302
    assert client.post(url, {**sent, **case.button}).status_code == 302
    assert case.stored(cast, case.this_field) == THIS_TAB


def test_the_testimonial_in_two_tabs_shows_both_texts(cast, client_as):
    """One text box: the clash shows both texts, and saving again is a deliberate choice."""
    client = client_as("mentee")
    url = reverse("evaluation:my_testimonial", args=[cast.program.slug])
    this_tab = form_fields(client.get(url).content.decode())
    other_tab = form_fields(client.get(url).content.decode())
    sent = client.post(url, {**other_tab, "text": OTHER_TAB, "consent": "on"})
    assert sent.status_code == 302
    clash = client.post(url, {**this_tab, "text": THIS_TAB, "consent": "on"})
    assert clash.status_code == 409
    assert evaluation_models.Testimonial.objects.get().text == OTHER_TAB
    page = clash.content.decode()
    assert f'data-conflict-saved="text">{OTHER_TAB}' in page
    assert f'data-conflict-yours="text">{THIS_TAB}' in page
    resolved = form_fields(page)
    assert resolved["text"] == THIS_TAB
    assert client.post(url, {**resolved, "consent": "on"}).status_code == 302
    assert evaluation_models.Testimonial.objects.get().text == THIS_TAB
