"""Co-coordinators by consent: invitations, their answers, and who may act on them.

Written the way the audit's attacker would try it: a coordinator naming a colleague (or
anyone) a coordinator of a program they set up, an invitation answered by someone it was
not addressed to, a withdrawn or decided invitation clicked again.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.urls import reverse

from accounts.tests.factories import UserFactory
from programs import selectors, services
from programs.access import Role, get_program_for_user, program_role
from programs.models import CoordinatorInvitation, Program
from programs.tests.factories import ProgramFactory
from programs.tests.test_setup import edit_post, form_post, setup_data

pytestmark = pytest.mark.django_db

Status = CoordinatorInvitation.Status


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def shown(client, response) -> list[str]:
    """The messages a redirect carries, as the next page shows (and so consumes) them."""
    return messages_of(client.get(response["Location"]))


def invite(program, by, *emails, capture=None) -> list[CoordinatorInvitation]:
    if capture is None:
        return services.coordinator_invite(program=program, by=by, emails=list(emails))
    with capture(execute=True):
        return services.coordinator_invite(program=program, by=by, emails=list(emails))


@pytest.fixture
def invitation(cast) -> CoordinatorInvitation:
    """The program's coordinator invites the plain member (bob@example.org)."""
    (made,) = invite(cast.program, cast.coordinator, "Bob@Example.org")
    return made


# --- inviting --------------------------------------------------------------------------


def test_an_invitation_gives_no_access_until_accepted(cast, invitation, client_as):
    assert invitation.email == "bob@example.org" and invitation.is_pending
    assert program_role(cast.member, cast.program) is Role.OUTSIDER
    with pytest.raises(Http404):
        get_program_for_user(cast.member, cast.program.slug)
    assert list(selectors.programs_coordinated_by(cast.member)) == []
    client = client_as("member")
    assert client.get(reverse("dashboard:home")).status_code == 404
    assert client.get(reverse("programs:edit", args=[cast.program.slug])).status_code == 404
    assert client.get(reverse("intake:review", args=[cast.program.slug])).status_code == 404


def test_the_audited_attack_a_draft_naming_another_coordinator_stays_hidden_from_them(
    cast, client_as
):
    """A coordinator sets up a program naming the other program's coordinator."""
    client = client_as("coordinator")
    response = client.post(
        reverse("programs:create"),
        form_post(name="Trap", slug="trap", coordinator_emails=cast.other_coordinator.email),
    )
    assert response.status_code == 302
    trap = Program.objects.get(slug="trap")
    assert list(trap.coordinators.all()) == [cast.coordinator]
    victim = client_as("other_coordinator")
    assert victim.get(trap.get_absolute_url()).status_code == 404
    dashboard = victim.get(reverse("dashboard:home")).content.decode()
    assert "Trap" not in dashboard
    assert any("An invitation was sent to charlie@example.org" in m for m in messages_of(response))


def test_inviting_twice_makes_one_invitation_and_one_email(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    assert len(invite(cast.program, cast.coordinator, "bob@example.org", capture=capture)) == 1
    assert invite(cast.program, cast.coordinator, "BOB@example.org", capture=capture) == []
    assert cast.program.coordinator_invitations.count() == 1
    assert len(mailoutbox) == 1


def test_the_database_allows_one_pending_invitation_per_program_and_address(cast, invitation):
    with pytest.raises(IntegrityError):
        CoordinatorInvitation.objects.create(program=cast.program, email=invitation.email)


def test_a_decided_invitation_can_be_followed_by_a_new_one(cast, invitation):
    services.invitation_decline(invitation=invitation, by=cast.member)
    (again,) = invite(cast.program, cast.coordinator, "bob@example.org")
    assert again.pk != invitation.pk and again.is_pending


def test_current_coordinators_are_not_invited_by_any_of_their_addresses(cast):
    EmailAddress.objects.create(user=cast.coordinator, email="alice@home.example", verified=True)
    assert invite(cast.program, cast.coordinator, "ALICE@example.org", "alice@home.example") == []
    assert not CoordinatorInvitation.objects.exists()


def test_pending_invitations_are_capped(cast):
    limit = services.MAX_PENDING_INVITATIONS
    invite(cast.program, cast.coordinator, *[f"person{n}@example.org" for n in range(limit)])
    with pytest.raises(ValidationError, match="at most 10 invitations"):
        invite(cast.program, cast.coordinator, "one-more@example.org")
    assert cast.program.coordinator_invitations.count() == limit


def test_the_invitation_email_links_to_the_answer_and_names_nobody_in_its_subject(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    cast.member.language = "fr"
    cast.member.save(update_fields=["language"])
    (made,) = invite(
        cast.program,
        cast.coordinator,
        "bob@example.org",
        capture=django_capture_on_commit_callbacks,
    )
    (email,) = mailoutbox
    assert email.to == ["bob@example.org"]
    assert "Alice" not in email.subject and "Bob" not in email.subject
    assert "coordonner" in email.subject  # the invitee's language
    assert reverse("programs:invitation_accept", args=[made.pk]) in email.body
    assert "Alice Coordinator" in email.body


def test_subjects_are_plain_text_not_html_escaped(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    cast.program.name = "Stewards' <Circle> & Co"
    cast.program.save(update_fields=["name"])
    with django_capture_on_commit_callbacks(execute=True):
        (made,) = invite(cast.program, cast.coordinator, "bob@example.org")
        services.invitation_accept(invitation=made, by=cast.member)
    assert [m.subject for m in mailoutbox] == [
        "[Mentorship] An invitation to coordinate Stewards' <Circle> & Co",
        "[Mentorship] Your invitation to coordinate Stewards' <Circle> & Co was accepted",
    ]


def test_an_address_without_an_account_is_mailed_in_the_default_language(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    invite(
        cast.program,
        cast.coordinator,
        "new@example.org",
        capture=django_capture_on_commit_callbacks,
    )
    (email,) = mailoutbox
    assert email.to == ["new@example.org"]
    assert "sign up" in email.body and "new@example.org" in email.body


# --- who sees and answers ----------------------------------------------------------------


def test_someone_who_signs_up_later_sees_it_once_the_address_is_verified(cast):
    (made,) = invite(cast.program, cast.coordinator, "newcomer@example.org")
    newcomer = UserFactory(email="newcomer@example.org", verified=False)
    address = EmailAddress.objects.create(user=newcomer, email="Newcomer@example.org")
    assert list(selectors.pending_invitations_for(newcomer)) == []
    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation=made, by=newcomer)
    address.verified = True
    address.save()
    assert list(selectors.pending_invitations_for(newcomer)) == [made]
    services.invitation_accept(invitation=made, by=newcomer)
    assert program_role(newcomer, cast.program) is Role.COORDINATOR


def test_accepting_makes_a_coordinator_and_tells_the_inviter_once(
    cast, invitation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        accepted = services.invitation_accept(invitation=invitation, by=cast.member)
    assert (accepted.status, accepted.decided_by, accepted.decided_at is not None) == (
        Status.ACCEPTED,
        cast.member,
        True,
    )
    assert program_role(cast.member, cast.program) is Role.COORDINATOR
    (email,) = mailoutbox
    assert email.to == [cast.coordinator.email] and "accepted" in email.subject
    assert "Bob" not in email.subject
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError, match="already accepted"),
    ):
        services.invitation_accept(invitation=invitation, by=cast.member)
    assert len(mailoutbox) == 1


def test_declining_changes_nothing_but_the_invitation_and_tells_the_inviter(
    cast, invitation, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_decline(invitation=invitation, by=cast.member)
    assert program_role(cast.member, cast.program) is Role.OUTSIDER
    assert CoordinatorInvitation.objects.get().status == Status.DECLINED
    assert [m.to for m in mailoutbox] == [[cast.coordinator.email]]
    assert "declined" in mailoutbox[0].subject
    with pytest.raises(ValidationError, match="already declined"):
        services.invitation_accept(invitation=invitation, by=cast.member)
    assert program_role(cast.member, cast.program) is Role.OUTSIDER


@pytest.mark.parametrize("who", ["coordinator", "other_coordinator", "mentor"])
def test_only_the_owner_of_the_invited_address_can_answer(cast, invitation, who):
    for act in (services.invitation_accept, services.invitation_decline):
        with pytest.raises(PermissionDenied):
            act(invitation=invitation, by=cast.user(who))
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert set(cast.program.coordinators.all()) == {cast.coordinator}


def test_an_unverified_address_is_not_enough(cast):
    claimant = UserFactory(email="claimant@example.org")
    EmailAddress.objects.create(user=claimant, email="target@example.org", verified=False)
    (made,) = invite(cast.program, cast.coordinator, "target@example.org")
    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation=made, by=claimant)
    assert list(selectors.pending_invitations_for(claimant)) == []


def test_a_withdrawn_invitation_cannot_be_accepted(cast, invitation):
    services.invitation_withdraw(invitation=invitation, by=cast.coordinator)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.invitation_accept(invitation=invitation, by=cast.member)
    assert program_role(cast.member, cast.program) is Role.OUTSIDER


def test_only_the_programs_coordinators_can_withdraw(cast, invitation):
    with pytest.raises(PermissionDenied):
        services.invitation_withdraw(invitation=invitation, by=cast.other_coordinator)
    invitation.refresh_from_db()
    assert invitation.is_pending


# --- set-up: the last coordinator, copying -----------------------------------------------


def test_an_invitation_does_not_count_as_the_coordinator_who_remains(cast):
    program = ProgramFactory(status="draft", coordinators=[cast.coordinator])
    data = {field: getattr(program, field) for field in services.SETUP_FIELDS}
    with pytest.raises(ValidationError) as caught:
        services.program_update(
            program=program,
            by=cast.coordinator,
            data=data,
            phases=[],
            measures=[],
            coordinator_emails=["bob@example.org"],
        )
    assert "Invited people count once they have accepted." in str(caught.value)
    assert list(program.coordinators.all()) == [cast.coordinator]
    assert not CoordinatorInvitation.objects.exists()


def test_copying_invites_the_other_coordinators_instead_of_adding_them(cast):
    cast.program.coordinators.add(cast.other_coordinator)
    copy = services.program_copy(program=cast.program, by=cast.coordinator)
    assert list(copy.coordinators.all()) == [cast.coordinator]
    (invited,) = copy.coordinator_invitations.all()
    assert (invited.email, invited.invited_by, invited.is_pending) == (
        cast.other_coordinator.email,
        cast.coordinator,
        True,
    )
    assert program_role(cast.other_coordinator, copy) is Role.OUTSIDER


# --- the invitee's pages -----------------------------------------------------------------


def test_home_lists_pending_invitations_with_their_answers(cast, invitation, client_as):
    html = client_as("member").get(reverse("accounts:home")).content.decode()
    assert "Invitations to coordinate a program" in html
    assert "2026 Mentorship Program, from Alice Coordinator" in html
    assert reverse("programs:invitation_accept", args=[invitation.pk]) in html
    assert reverse("programs:invitation_decline", args=[invitation.pk]) in html
    services.invitation_decline(invitation=invitation, by=cast.member)
    html = client_as("member").get(reverse("accounts:home")).content.decode()
    assert "Invitations to coordinate a program" not in html


@pytest.mark.parametrize("name", ["programs:invitation_accept", "programs:invitation_decline"])
def test_a_get_only_asks_to_confirm(cast, invitation, client_as, name):
    response = client_as("member").get(reverse(name, args=[invitation.pk]))
    assert response.status_code == 200
    assert '<form method="post"' in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert program_role(cast.member, cast.program) is Role.OUTSIDER


def test_accepting_on_the_page_then_clicking_again(cast, invitation, client_as):
    client = client_as("member")
    url = reverse("programs:invitation_accept", args=[invitation.pk])
    response = client.post(url)
    assert response["Location"] == cast.program.get_absolute_url()
    assert shown(client, response) == ["You are now a coordinator of “2026 Mentorship Program”."]
    assert program_role(cast.member, cast.program) is Role.COORDINATOR
    again = client.post(url)
    assert again["Location"] == reverse("accounts:home")
    assert shown(client, again) == ["This invitation was already accepted."]
    assert cast.program.coordinators.filter(pk=cast.member.pk).count() == 1
    # The confirmation page says so too, instead of offering the buttons again.
    page = client.get(url)
    assert page["Location"] == reverse("accounts:home")
    assert shown(client, page) == ["This invitation was already accepted."]


def test_declining_on_the_page(cast, invitation, client_as):
    client = client_as("member")
    response = client.post(reverse("programs:invitation_decline", args=[invitation.pk]))
    assert response["Location"] == reverse("accounts:home")
    assert shown(client, response) == [
        "You declined the invitation to coordinate “2026 Mentorship Program”."
    ]
    again = client.post(reverse("programs:invitation_accept", args=[invitation.pk]))
    assert shown(client, again) == ["This invitation was already declined."]
    assert program_role(cast.member, cast.program) is Role.OUTSIDER


@pytest.mark.parametrize("who", ["coordinator", "other_coordinator", "mentee"])
@pytest.mark.parametrize("name", ["programs:invitation_accept", "programs:invitation_decline"])
def test_anyone_but_the_invitee_gets_404_even_posting(cast, invitation, client_as, who, name):
    response = client_as(who).post(reverse(name, args=[invitation.pk]))
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_pending
    assert program_role(cast.other_coordinator, cast.program) is Role.OUTSIDER


def test_a_missing_invitation_is_404_like_someone_elses(cast, client_as):
    response = client_as("member").get(reverse("programs:invitation_accept", args=[999]))
    assert response.status_code == 404


# --- the coordinators' side ---------------------------------------------------------------


def test_the_edit_page_lists_pending_invitations_with_withdraw(cast, invitation, client_as):
    html = client_as("coordinator").get(reverse("programs:edit", args=[cast.program.slug]))
    html = html.content.decode()
    assert "Invitations waiting for an answer" in html
    assert "bob@example.org" in html
    withdraw = reverse("programs:invitation_withdraw", args=[cast.program.slug, invitation.pk])
    assert f'href="{withdraw}"' in html
    # Still not a coordinator: the address is not in the coordinators' list.
    assert "alice@example.org</textarea>" in html


def test_withdrawing_asks_then_withdraws_then_says_so_again(cast, invitation, client_as):
    client = client_as("coordinator")
    url = reverse("programs:invitation_withdraw", args=[cast.program.slug, invitation.pk])
    assert client.get(url).status_code == 200
    invitation.refresh_from_db()
    assert invitation.is_pending  # GET changes nothing
    response = client.post(url)
    assert response["Location"] == reverse("programs:edit", args=[cast.program.slug])
    assert shown(client, response) == ["The invitation to bob@example.org was withdrawn."]
    invitation.refresh_from_db()
    assert (invitation.status, invitation.decided_by) == (Status.WITHDRAWN, cast.coordinator)
    again = client.post(url)
    assert shown(client, again) == ["This invitation was withdrawn."]
    invitee = client_as("member")
    answer = invitee.post(reverse("programs:invitation_accept", args=[invitation.pk]))
    assert shown(invitee, answer) == ["This invitation was withdrawn."]
    assert program_role(cast.member, cast.program) is Role.OUTSIDER


def test_another_programs_coordinator_cannot_withdraw_through_their_own_program(
    cast, invitation, client_as
):
    url = reverse("programs:invitation_withdraw", args=[cast.other_program.slug, invitation.pk])
    assert client_as("other_coordinator").post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_the_edit_form_invites_new_addresses_once_even_sent_twice(
    cast, client_as, mailoutbox, django_capture_on_commit_callbacks
):
    program = services.program_create(
        by=cast.coordinator,
        data=setup_data(),
        phases=[{"name": "Part One"}, {"name": "Part Two"}],
        measures=[],
        coordinator_emails=[],
    )
    client = client_as("coordinator")
    url = reverse("programs:edit", args=[program.slug])
    data = edit_post(program, coordinator_emails="alice@example.org\nnew@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data)
        first_messages = shown(client, first)
        second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert any("An invitation was sent to new@example.org" in m for m in first_messages)
    assert shown(client, second) == ["The changes were saved."]
    assert list(program.coordinators.all()) == [cast.coordinator]
    assert program.coordinator_invitations.count() == 1
    assert [m.to for m in mailoutbox] == [["new@example.org"]]


def test_the_copy_page_says_the_other_coordinators_are_invited(cast, client_as):
    cast.program.coordinators.add(cast.other_coordinator)
    html = client_as("coordinator").get(reverse("programs:copy", args=[cast.program.slug]))
    html = html.content.decode()
    assert "the other coordinators are invited and coordinate it only once they accept" in html
    assert "Charlie Othercoord" in html


def test_the_admin_lists_invitations_but_cannot_make_or_change_them(cast, invitation, client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get(reverse("admin:programs_coordinatorinvitation_changelist"))
    assert listing.status_code == 200 and "bob@example.org" in listing.content.decode()
    assert client.get(reverse("admin:programs_coordinatorinvitation_add")).status_code == 403
    change = reverse("admin:programs_coordinatorinvitation_change", args=[invitation.pk])
    client.post(change, {"status": "accepted", "email": "bob@example.org"})
    invitation.refresh_from_db()
    assert invitation.is_pending


def test_invited_without_an_account_then_signing_up_and_verifying(
    cast, client, mailoutbox, django_capture_on_commit_callbacks
):
    """The whole way: the invitation's link, sign-up, verification, accept."""

    def link_in(message) -> str:
        return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)

    (made,) = invite(
        cast.program,
        cast.coordinator,
        "nadia@example.org",
        capture=django_capture_on_commit_callbacks,
    )
    accept_url = link_in(mailoutbox[-1])
    assert accept_url == reverse("programs:invitation_accept", args=[made.pk])
    assert client.get(accept_url)["Location"].startswith(reverse("account_login"))
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after commit
        client.post(
            reverse("account_signup"),
            {
                "name": "Nadia Benali",
                "email": "Nadia@Example.org",
                "password1": "a long union password",
                "password2": "a long union password",
            },
        )
    client.post(link_in(mailoutbox[-1]))  # confirms the address, and logs her in
    home = client.get(reverse("accounts:home")).content.decode()
    assert accept_url in home
    response = client.post(accept_url)
    assert response["Location"] == cast.program.get_absolute_url()
    nadia = cast.program.coordinators.get(email="nadia@example.org")
    assert nadia.name == "Nadia Benali"
