"""Every named URL × every role of the cast: the expected status code.

The matrix is generated against the URLconf: a named pattern that is neither listed
here nor exempt fails the suite, so no page ships without its access rules.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, path, reverse

from conftest import ROLES, Cast

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


def mentees_survey(cast: Cast) -> dict:
    participant = cast.program.participants.get(user=cast.mentee)
    return {"slug": cast.program.slug, "participant_id": participant.pk}


def mentors_submitted_survey(cast: Cast) -> dict:
    from django.utils import timezone

    from surveys.tests.factories import SurveyFactory

    participant = cast.program.participants.get(user=cast.mentor)
    SurveyFactory(participant=participant, status="submitted", submitted_at=timezone.now())
    return {"slug": cast.program.slug, "participant_id": participant.pk}


def members_application(cast: Cast) -> dict:
    """An application of the plain member to the cast's program."""
    from intake.tests.factories import ApplicationFactory

    application = ApplicationFactory(program=cast.program, applicant=cast.member)
    return {"slug": cast.program.slug, "pk": application.pk}


def cast_mentor(cast: Cast) -> dict:
    """The cast's mentor: in the mentor database as a program's mentor, without a profile."""
    return {"user_id": cast.mentor.pk}


MATRIX: dict[str, Row] = {
    "home": Row(roles(200, 302, 302, 302, 302, 302)),
    "healthz": Row(everyone(200)),
    "accounts:home": Row(roles(302, 200, 200, 200, 200, 200)),
    "accounts:set_language": Row(everyone(302), method="post", data={"language": "fr"}),
    "accounts:forms": Row(roles(302, 200, 200, 200, 200, 200)),
    "accounts:profile": Row(roles(302, 200, 200, 200, 200, 200)),
    "accounts:profile_delete": Row(roles(302, 200, 200, 200, 200, 200)),
    "accounts:download": Row(roles(302, 200, 200, 200, 200, 200), kwargs=lambda c: {"fmt": "csv"}),
    "surveys:mine": Row(roles(302, 404, 200, 200, 404, 404), kwargs=program_slug),
    "surveys:completion": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    # The mentee and the mentor of the cast are not matched: they do not see each other's.
    "surveys:detail": Row(roles(302, 404, 200, 404, 404, 200), kwargs=mentees_survey),
    "surveys:reopen": Row(
        roles(302, 404, 403, 403, 404, 302), kwargs=mentors_submitted_survey, method="post"
    ),
    "programs:coordinator_home": Row(roles(302, 404, 404, 404, 200, 200)),
    "programs:list": Row(everyone(200)),
    "programs:detail": Row(everyone(200), kwargs=program_slug),
    "programs:participants": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    "programs:create": Row(roles(302, 404, 404, 404, 200, 200)),
    "programs:edit": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    "programs:copy": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    # A POST (GET is 405, tested in programs/tests/test_setup.py); running → closing.
    "programs:change_status": Row(
        roles(302, 404, 403, 403, 404, 302),
        kwargs=program_slug,
        method="post",
        data={"to": "closing"},
    ),
    "intake:apply": Row(roles(302, 200, 200, 200, 200, 200), kwargs=apply_as_mentee),
    "intake:my_application": Row(roles(302, 200, 404, 404, 404, 404), kwargs=members_application),
    "intake:withdraw": Row(roles(302, 200, 404, 404, 404, 404), kwargs=members_application),
    "intake:nominate": Row(roles(302, 200, 200, 200, 200, 200), kwargs=program_slug),
    "intake:review": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    "intake:review_detail": Row(roles(302, 404, 403, 403, 404, 200), kwargs=members_application),
    "intake:decide": Row(
        roles(302, 404, 403, 403, 404, 302),
        kwargs=members_application,
        method="post",
        data={"decision": "waitlist"},
    ),
    "intake:nominations": Row(roles(302, 404, 403, 403, 404, 200), kwargs=program_slug),
    "matching:my_mentor_profile": Row(roles(302, 200, 200, 200, 200, 200)),
    # A POST (GET is 405): nobody in the cast has a mentor profile, so back with a message.
    "matching:confirm_mentor_profile": Row(everyone(302), method="post"),
    "matching:mentor_database": Row(roles(302, 404, 404, 404, 200, 200)),
    "matching:mentor_detail": Row(roles(302, 404, 404, 404, 200, 200), kwargs=cast_mentor),
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
