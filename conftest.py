"""The fixed cast every test can use, and the browser fixtures.

Cast: a coordinator and a mentor and a mentee of `program` (their Participant rows are
`cast.mentor_participant` and `cast.mentee_participant`), a coordinator of `other_program`
(an outsider to `program`), a plain member, and anonymous. `cast.pair()` (or the `cast_pair`
fixture) matches the mentee with the mentor, on first use only.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory, with_totp
from core.testing import CSP_RECORDER, record_csp_violations
from matching.models import Match
from programs.models import Participant, Program
from programs.tests.factories import ParticipantFactory, ProgramFactory

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be
# usable from the test body around it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# "phone" is the narrowest screen the site is built for (issue 18): 360 × 740.
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 740}}
ROLES = ("anonymous", "member", "mentee", "mentor", "other_coordinator", "coordinator")


def services_required() -> bool:
    """Under .ci/run a missing browser or broker is a failure, not a skip."""
    return os.environ.get("REQUIRE_SERVICES") == "1"


def skip_or_fail(reason: str) -> None:
    if services_required():
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@dataclass
class Cast:
    program: Program
    other_program: Program
    coordinator: User
    mentor: User
    mentee: User
    other_coordinator: User
    member: User
    mentor_participant: Participant
    mentee_participant: Participant
    _pair: Match | None = field(default=None, repr=False)

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)

    def pair(self) -> Match:
        """The mentee and the mentor in an active (published) match, started now.

        Made on first use, not with every cast: many tests match the two themselves (as
        proposed, ended, ...), and a mentee may have only one active match.
        """
        if self._pair is None:
            self._pair = Match.objects.create(
                program=self.program,
                mentee=self.mentee_participant,
                mentor=self.mentor_participant,
                status=Match.Status.ACTIVE,
                started_at=timezone.now(),
            )
        return self._pair


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, keep autovacuum away from the test database's tables.

    Every test's rows are rolled back, so autovacuum finds tables full of dead rows and
    records them as empty (reltuples = 0). The planner believes it: a test that adds a few
    hundred rows is then planned with nested loops and runs for minutes (seen in CI, where
    it used up the whole time budget). Never vacuumed, a table's row estimate follows its
    real size.
    """
    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(
                f"ALTER TABLE {connection.ops.quote_name(table)} SET (autovacuum_enabled = false)"
            )


@pytest.fixture
def cast(db) -> Cast:
    # Coordinators have an authenticator app, as they must (accounts/mfa.py).
    coordinator = with_totp(UserFactory(name="Alice Coordinator", email="alice@example.org"))
    other_coordinator = with_totp(
        UserFactory(name="Charlie Othercoord", email="charlie@example.org")
    )
    program = ProgramFactory(name="2026 Mentorship Program", slug="2026-mentorship")
    program.coordinators.add(coordinator)
    other_program = ProgramFactory(name="Stewards' Circle", slug="stewards-circle")
    other_program.coordinators.add(other_coordinator)
    mentor_participant = ParticipantFactory(
        program=program,
        role=Participant.Role.MENTOR,
        user__name="Mona Mentor",
        user__email="mona@example.org",
    )
    mentee_participant = ParticipantFactory(
        program=program,
        role=Participant.Role.MENTEE,
        user__name="Eddie Mentee",
        user__email="eddie@example.org",
    )
    member = UserFactory(name="Bob Member", email="bob@example.org")
    return Cast(
        program=program,
        other_program=other_program,
        coordinator=coordinator,
        mentor=mentor_participant.user,
        mentee=mentee_participant.user,
        other_coordinator=other_coordinator,
        member=member,
        mentor_participant=mentor_participant,
        mentee_participant=mentee_participant,
    )


@pytest.fixture
def cast_pair(cast) -> Match:
    """The cast's mentee and mentor in an active match (`Cast.pair`)."""
    return cast.pair()


@pytest.fixture
def client_as(cast):
    """`client_as("mentor")` is a test client logged in as that member of the cast."""

    def make(role: str) -> Client:
        client = Client()
        user = cast.user(role)
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def eager_celery(request):
    """Tasks run in-process in tests, except where a test starts a real worker."""
    from mentorship.celery import app

    if request.node.get_closest_marker("real_worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        skip_or_fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page_as(browser, live_server, cast):
    """`page_as("mentee")` opens a browser page logged in as that member of the cast.

    Pass `viewport="phone"` for a 360×740 screen, as members use it after a shift.
    """
    contexts = []

    def make(role: str, viewport: str = "desktop"):
        context = browser.new_context(
            base_url=live_server.url, viewport=VIEWPORTS[viewport], locale="en-CA"
        )
        # Every document records the Content Security Policy violations it meets, for
        # `assert_accessible` and `csp_violations` (core/testing.py).
        context.add_init_script(CSP_RECORDER)
        contexts.append(context)
        user = cast.user(role)
        if user is not None:
            client = Client()
            client.force_login(user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
            )
        page = context.new_page()
        record_csp_violations(page)
        page.set_default_timeout(10_000)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language.

    A request activates its member's language in the thread and nothing resets it (the next
    request's middleware does, but a test body calling a selector has no request), so a test
    that logs out a French member would otherwise leave French to the next test.
    """
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The real hasher is slow by design; tests hash many passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache(request, settings):
    """Rate-limit counters live in the cache: each test starts with none.

    The database cache is rolled back after ordinary tests, but not after live-server
    (transactional) ones, whose flush leaves the cache table alone; Redis is never
    rolled back (so never point the tests at a Redis that holds anything else). With
    REDIS_URL the default cache is Redis with the database cache behind it (core/cache.py):
    each is cleared by its own rule, so a test without the database never touches it.
    """
    from django.core.cache import caches

    transactional = {"live_server", "transactional_db"} & set(request.fixturenames)
    for alias, config in settings.CACHES.items():
        backend = config["BACKEND"]
        if backend.endswith("RedisCache") or (transactional and backend.endswith("DatabaseCache")):
            caches[alias].clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Files written by tests (packets of forms) go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
