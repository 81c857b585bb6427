import datetime

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Profile
from intake import services
from intake.models import Application, Nomination
from intake.tests.factories import ApplicationFactory, NominationFactory
from programs.models import Participant, Program

pytestmark = pytest.mark.django_db


def save(program, user, answers, *, submit, consent=True, role="mentee", profile=None):
    return services.application_save(
        program=program,
        applicant=user,
        role=role,
        answers=answers,
        profile_answers=profile or {},
        submit=submit,
        consent=consent,
    )


def test_draft_then_submit(
    open_program, cast, answers, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft, submitted = save(open_program, cast.member, {"essay": "Half written"}, submit=False)
    assert not submitted and draft.status == Application.Status.DRAFT
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        application, submitted = save(open_program, cast.member, answers, submit=True)
    assert submitted and application.pk == draft.pk
    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_at and application.privacy_consent_at
    assert application.essay == answers["essay"]
    assert [m.to for m in mailoutbox] == [[cast.member.email]]
    assert "We received your application" in mailoutbox[0].subject


def test_submitting_twice_changes_nothing(open_program, cast, answers):
    first, _ = save(open_program, cast.member, answers, submit=True)
    again, submitted = save(open_program, cast.member, {**answers, "essay": "changed"}, submit=True)
    assert not submitted
    assert again.pk == first.pk
    assert Application.objects.count() == 1
    again.refresh_from_db()
    assert again.essay == answers["essay"]  # locked after submission


def test_one_application_per_role_but_both_roles_allowed(open_program, cast, answers):
    save(open_program, cast.member, answers, submit=True, role="mentee")
    save(open_program, cast.member, answers, submit=True, role="mentor")
    assert Application.objects.filter(applicant=cast.member).count() == 2


@pytest.mark.parametrize("change", ["status", "before", "after"])
def test_closed_window_refuses_and_saves_nothing(open_program, cast, answers, change):
    today = timezone.localdate()
    if change == "status":
        open_program.status = Program.Status.SELECTING
    elif change == "before":
        open_program.applications_open_on = today + datetime.timedelta(days=1)
        open_program.applications_close_on = today + datetime.timedelta(days=5)
    else:
        open_program.applications_close_on = today - datetime.timedelta(days=1)
    open_program.save()
    with pytest.raises(ValidationError, match="not accepting applications"):
        save(open_program, cast.member, answers, submit=True)
    assert not Application.objects.exists()


def test_window_dates_are_inclusive(open_program, cast, answers):
    open_program.applications_close_on = timezone.localdate()
    open_program.save()
    _application, submitted = save(open_program, cast.member, answers, submit=True)
    assert submitted


def test_submit_needs_consent(open_program, cast, answers):
    with pytest.raises(ValidationError, match="privacy notice"):
        save(open_program, cast.member, answers, submit=True, consent=False)
    assert not Application.objects.exists()


def test_demographic_answers_go_to_the_profile(open_program, cast, answers):
    save(
        open_program,
        cast.member,
        answers,
        submit=False,
        profile={"gender": "woman", "race_ethnicity": ["black", "indigenous"]},
    )
    profile = Profile.objects.get(user=cast.member)
    assert profile.gender == "woman"
    assert profile.race_ethnicity == ["black", "indigenous"]
    assert profile.local_union == answers["local_unit"]


def test_nomination_is_attached_by_verified_address(open_program, cast, answers):
    nomination = NominationFactory(
        program=open_program, nominee_email=cast.member.email, role="mentor"
    )
    application, _ = save(open_program, cast.member, answers, submit=True, role="mentor")
    assert application.nomination == nomination


def test_nomination_is_not_attached_by_an_unverified_address(open_program, cast, answers):
    EmailAddress.objects.create(user=cast.member, email="other@example.org", verified=False)
    NominationFactory(program=open_program, nominee_email="other@example.org")
    application, _ = save(open_program, cast.member, answers, submit=True)
    assert application.nomination is None


def test_withdraw_before_a_decision(open_program, cast, answers):
    application, _ = save(open_program, cast.member, answers, submit=True)
    services.application_withdraw(application=application, by=cast.member)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_cannot_withdraw_someone_elses_or_an_accepted_application(open_program, cast):
    application = ApplicationFactory(program=open_program, applicant=cast.member)
    with pytest.raises(ValidationError):
        services.application_withdraw(application=application, by=cast.mentee)
    application.status = Application.Status.ACCEPTED
    application.save()
    with pytest.raises(ValidationError, match="can no longer be withdrawn"):
        services.application_withdraw(application=application, by=cast.member)


def test_accepting_makes_a_participant_and_tells_them(
    open_program, cast, mailoutbox, django_capture_on_commit_callbacks
):
    cast.member.language = "fr"
    cast.member.save()
    application = ApplicationFactory(program=open_program, applicant=cast.member, role="mentor")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            application=application,
            decision="accept",
            note="See you at orientation!",
            by=cast.coordinator,
        )
    application.refresh_from_db()
    assert application.status == Application.Status.ACCEPTED
    assert application.decided_by == cast.coordinator
    participant = Participant.objects.get(program=open_program, user=cast.member)
    assert participant.role == "mentor"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [cast.member.email]
    assert "Bienvenue" in message.subject  # the member's language
    assert "See you at orientation!" in message.body
    html = message.alternatives[0].content
    assert "See you at orientation!" in html and "<html" in html


def test_same_decision_twice_sends_one_e_mail(
    open_program, cast, mailoutbox, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(program=open_program, applicant=cast.member)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            application=application, decision="waitlist", note="", by=cast.coordinator
        )
        services.application_decide(
            application=application, decision="waitlist", note="", by=cast.coordinator
        )
    assert len(mailoutbox) == 1


def test_decline_then_accept_is_allowed_but_acceptance_is_final(open_program, cast):
    application = ApplicationFactory(program=open_program, applicant=cast.member)
    services.application_decide(
        application=application, decision="decline", note="", by=cast.coordinator
    )
    services.application_decide(
        application=application, decision="accept", note="", by=cast.coordinator
    )
    with pytest.raises(ValidationError, match="cannot be decided"):
        services.application_decide(
            application=application, decision="decline", note="", by=cast.coordinator
        )


def test_no_decisions_once_the_program_runs(cast):
    application = ApplicationFactory(program=cast.program, applicant=cast.member)  # running
    with pytest.raises(ValidationError, match="open, selecting or matching"):
        services.application_decide(
            application=application, decision="accept", note="", by=cast.coordinator
        )
    assert not Participant.objects.filter(user=cast.member).exists()


def test_accepting_someone_already_in_another_role_is_refused(open_program, cast):
    application = ApplicationFactory(program=open_program, applicant=cast.mentor, role="mentee")
    with pytest.raises(ValidationError, match="already a mentor"):
        services.application_decide(
            application=application, decision="accept", note="", by=cast.coordinator
        )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_unknown_decision_is_refused(open_program, cast):
    application = ApplicationFactory(program=open_program, applicant=cast.member)
    with pytest.raises(ValidationError):
        services.application_decide(
            application=application, decision="maybe", note="", by=cast.coordinator
        )


def nominate(program, nominator, email="nadia@example.org", **extra):
    return services.nomination_create(
        program=program,
        nominator=nominator,
        nominee_name="Nadia Benali",
        nominee_email=email,
        role=extra.get("role", "mentee"),
        reason="Great organizer.",
    )


def test_nomination_invites_the_nominee_without_the_reason(
    open_program, cast, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        nomination = nominate(open_program, cast.mentor, email="Nadia@Example.org")
    assert nomination.nominee_email == "nadia@example.org"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nadia@example.org"]
    assert cast.mentor.name in mailoutbox[0].body
    assert "Great organizer." not in mailoutbox[0].body
    assert f"/programs/{open_program.slug}/apply/mentee/" in mailoutbox[0].body


def test_nominating_the_same_person_twice_or_yourself_is_refused(open_program, cast):
    nominate(open_program, cast.mentor)
    with pytest.raises(ValidationError, match="already nominated"):
        nominate(open_program, cast.mentor, email="NADIA@example.org")
    with pytest.raises(ValidationError, match="nominate yourself"):
        nominate(open_program, cast.mentor, email=cast.mentor.email)
    assert Nomination.objects.count() == 1


def test_nominations_are_capped(open_program, cast):
    for i in range(services.MAX_NOMINATIONS_PER_PROGRAM):
        nominate(open_program, cast.mentor, email=f"n{i}@example.org")
    with pytest.raises(ValidationError, match="at most"):
        nominate(open_program, cast.mentor, email="one-more@example.org")


def test_nominations_close_with_applications(cast):
    with pytest.raises(ValidationError, match="closed"):
        nominate(cast.program, cast.mentor)
