"""Coordinators and superusers need an authenticator app before their pages open (issue 14).

The access matrix is walked again as coordinators without one: every page where a
coordinator's answer differs from a plain member's (a coordinator's page) sends them to
set one up, with the way back; every other page answers as before.
"""

from urllib.parse import parse_qs, urlparse

import pytest
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from accounts.mfa import NEXT_SESSION_KEY
from accounts.tests.factories import PASSWORD, UserFactory, with_totp
from mentorship.tests.test_access_matrix import MATRIX, named_patterns
from programs.models import Program

pytestmark = pytest.mark.django_db

SET_UP = reverse("accounts:mfa_required")
COORDINATORS = ("coordinator", "other_coordinator")
PATTERNS = named_patterns()
# Pages of a program that any member uses as a member (no coordinator's role is decided).
MEMBERS_OWN = {"intake:apply", "intake:nominate", "intake:my_application", "intake:withdraw"}
# Coordinators' pages outside a program that then decide per object: the set-up comes first
# (for any id, so it reveals nothing), although this coordinator then gets 404 (a mentor of
# another program who was not found by consent, matching/tests/test_mentor_consent.py).
SET_UP_BEFORE_THE_OBJECT = {"matching:mentor_detail"}


def coordinators_page(name: str, role: str) -> bool:
    """A page that opens to this member because they coordinate.

    In the program they coordinate (every `slug` of the matrix is the cast's program),
    every page but the public ones (their role there is
    decided as a coordinator's, even where the answer is then 403 or 404); elsewhere, every
    page whose answer for them differs from a plain member's.
    """
    row = MATRIX[name]
    if name == "accounts:mfa_required" or name in MEMBERS_OWN or row.expect["anonymous"] == 200:
        return False
    if role == "coordinator" and "slug" in PATTERNS[name].pattern.converters:
        return True
    if name in SET_UP_BEFORE_THE_OBJECT:
        return True
    return row.expect[role] != row.expect["member"] and row.expect[role] != 404


def without_authenticator(cast):
    Authenticator.objects.filter(user__in=[cast.coordinator, cast.other_coordinator]).delete()


def sent_to_set_up(response) -> str | None:
    """The `next` the response sends to the set-up page with, or None if it does not."""
    if response.status_code != 302:
        return None
    location = urlparse(response["Location"])
    if location.path != SET_UP:
        return None
    return parse_qs(location.query).get("next", [""])[0]


def test_the_walk_covers_coordinators_pages_and_members_pages():
    pages = {name for name in MATRIX for role in COORDINATORS if coordinators_page(name, role)}
    assert {"dashboard:home", "programs:create", "matching:mentor_database"} <= pages
    assert {"intake:review", "printing:packet", "matching:board", "surveys:detail"} <= pages
    assert "accounts:home" not in pages and "programs:detail" not in pages


@pytest.mark.parametrize("role", COORDINATORS)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_coordinator_without_an_authenticator(name, role, cast, client_as):
    without_authenticator(cast)
    row = MATRIX[name]
    kwargs = row.kwargs(cast)
    url = reverse(name, kwargs=kwargs)
    response = getattr(client_as(role), row.method)(url, row.data)
    if coordinators_page(name, role):
        next_url = sent_to_set_up(response)
        where = f"{response.status_code} {response.get('Location')}"
        assert next_url is not None, f"{row.method.upper()} {url} as {role}: {where}"
        if row.method == "get":
            assert next_url == url
    else:
        expected = 200 if name == "accounts:mfa_required" else row.expect[role]
        assert sent_to_set_up(response) is None
        assert response.status_code == expected, f"{url} as {role}"


@pytest.mark.parametrize("role", COORDINATORS)
@pytest.mark.parametrize("name", sorted(n for n in MATRIX if MATRIX[n].method == "get"))
def test_with_the_setting_off_nothing_changes(name, role, cast, client_as, settings):
    settings.REQUIRE_COORDINATOR_MFA = False
    without_authenticator(cast)
    row = MATRIX[name]
    response = client_as(role).get(reverse(name, kwargs=row.kwargs(cast)))
    expected = 200 if name == "accounts:mfa_required" else row.expect[role]
    assert sent_to_set_up(response) is None
    assert response.status_code == expected


def test_a_post_is_sent_back_to_the_page_it_came_from(cast, client_as):
    without_authenticator(cast)
    board = reverse("matching:board", args=[cast.program.slug])
    response = client_as("coordinator").post(
        reverse("matching:run", args=[cast.program.slug]), HTTP_REFERER=f"http://testserver{board}"
    )
    assert sent_to_set_up(response) == f"http://testserver{board}"


def test_a_foreign_referer_is_not_a_way_back(cast, client_as):
    without_authenticator(cast)
    response = client_as("coordinator").post(
        reverse("matching:run", args=[cast.program.slug]), HTTP_REFERER="https://evil.example/"
    )
    assert sent_to_set_up(response) == reverse("home")


def test_a_coordinator_without_an_authenticator_sees_a_public_program_as_the_public(
    cast, client_as
):
    without_authenticator(cast)
    response = client_as("coordinator").get(reverse("programs:detail", args=[cast.program.slug]))
    assert response.status_code == 200
    assert response.context["role"] == "outsider"
    cast.program.status = Program.Status.DRAFT
    cast.program.save(update_fields=["status"])
    response = client_as("coordinator").get(reverse("programs:detail", args=[cast.program.slug]))
    assert sent_to_set_up(response) is not None


def test_member_pages_stay_open_for_a_coordinator_who_also_takes_part(cast, client_as):
    """Coordinating one program does not lock the programs they take part in."""
    without_authenticator(cast)
    from programs.models import Participant
    from programs.tests.factories import ParticipantFactory

    ParticipantFactory(
        program=cast.other_program, user=cast.coordinator, role=Participant.Role.MENTEE
    )
    client = client_as("coordinator")
    page = reverse("sessions:mine", args=[cast.other_program.slug])
    assert client.get(page).status_code == 200
    assert client.get(reverse("accounts:home")).status_code == 200


def test_explanation_page_explains_in_english_and_french(cast, client_as):
    without_authenticator(cast)
    client = client_as("coordinator")
    response = client.get(SET_UP, {"next": "/dashboard/"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "authenticator app" in html
    assert 'name="next" value="/dashboard/"' in html
    cast.coordinator.language = "fr"
    cast.coordinator.save(update_fields=["language"])
    html = client.get(SET_UP).content.decode()
    assert "application d’authentification" in html


def test_setting_up_goes_through_allauth_and_offers_the_way_back(cast, client_as):
    without_authenticator(cast)
    client = client_as("coordinator")
    response = client.post(SET_UP, {"next": "/dashboard/"})
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.session[NEXT_SESSION_KEY] == "/dashboard/"
    # A next that leaves the site is dropped.
    client.post(SET_UP, {"next": "https://evil.example/"})
    assert client.session[NEXT_SESSION_KEY] == reverse("home")


def test_recovery_codes_page_offers_the_way_back(cast, client_as):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    client = client_as("coordinator")
    client.post(SET_UP, {"next": "/dashboard/"})
    RecoveryCodes.activate(cast.coordinator)
    session = client.session
    session["account_authentication_methods"] = []
    session.save()
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 200
    assert 'href="/dashboard/"' in response.content.decode()


def test_with_an_authenticator_the_set_up_page_moves_on(cast, client_as):
    response = client_as("coordinator").get(SET_UP, {"next": "/dashboard/"})
    assert response["Location"] == "/dashboard/"


def test_admin_needs_an_authenticator_too(client):
    superuser = UserFactory(is_superuser=True, is_staff=True, totp=False)
    client.force_login(superuser)
    response = client.get(reverse("admin:index"))
    assert sent_to_set_up(response) == reverse("admin:index")
    changelist = reverse("admin:accounts_user_changelist")
    assert sent_to_set_up(client.get(changelist)) == changelist
    # ... and the superuser's pages outside the admin.
    assert sent_to_set_up(client.get(reverse("dashboard:home"))) is not None
    with_totp(superuser)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(changelist).status_code == 200


def test_admin_with_the_setting_off(client, settings):
    settings.REQUIRE_COORDINATOR_MFA = False
    client.force_login(UserFactory(is_superuser=True, is_staff=True, totp=False))
    assert client.get(reverse("admin:index")).status_code == 200


def test_deploy_check_warns_when_the_setting_is_off(settings):
    settings.REQUIRE_COORDINATOR_MFA = False
    with pytest.raises(SystemCheckError, match=r"mentorship\.W010"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "mentorship")


def test_deploy_check_is_quiet_when_the_setting_is_on(settings):
    from mentorship.checks import coordinators_need_mfa

    settings.REQUIRE_COORDINATOR_MFA = True
    assert coordinators_need_mfa(None) == []
