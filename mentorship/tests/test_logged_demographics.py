"""Every view of a member's demographics is logged, by construction.

Two checks hold it. The walk: every page of the URL × role matrix that a coordinator may
open, fetched with a unique marker stored in each demographic answer of the members they
can reach; any response (HTML, PDF, CSV, JSON) that shows a member's marker must have
written a `PersonalDataView` row for that member during the request. The static check:
outside the logged accessor (`accounts.selectors.demographics_for`) and a short list of
files with a stated reason, no code or template reads a demographic field, and the forms
that show them are built only from the member's own profile or `profile_for_editing`.
"""

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import PersonalDataView, Profile
from mentorship.tests.hostile import pdf_text
from mentorship.tests.test_access_matrix import MATRIX

# Each subject's answers carry their own marker, so a response is traced to whose it shows.
SUBJECTS = {
    "mentee": datetime.date(1901, 2, 3),
    "mentor": datetime.date(1902, 3, 4),
    "member": datetime.date(1903, 4, 5),
}


def markers(role: str) -> tuple[str, ...]:
    born = SUBJECTS[role]
    return (f"Zqgender{role}", f"Zqrace{role}", str(born.year))


def store_markers(cast) -> None:
    for role, born in SUBJECTS.items():
        Profile.objects.update_or_create(
            user=cast.user(role),
            defaults={
                "gender": Profile.Gender.SELF_DESCRIBED,
                "gender_self_described": f"Zqgender{role}",
                "date_of_birth": born,
                "race_ethnicity": [Profile.RaceEthnicity.SELF_DESCRIBED],
                "race_ethnicity_self_described": f"Zqrace{role}",
            },
        )


def response_text(response) -> str:
    content = (
        b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    )
    if content.startswith(b"%PDF"):
        try:
            return pdf_text(content)
        except Exception:
            return ""
    return content.decode(errors="replace")


def _year_shown(year: int) -> re.Pattern:
    """A date of birth as pages, forms and PDFs write it: "1902-03-04", "March 4, 1902",
    "4 mars 1902", "04/03/1902". Not the bare number: on PostgreSQL a worker's ids run into
    the thousands, and "/pairs/1902/" or value="1902" is an id, not a birth date."""
    return re.compile(
        rf"(?<!\w){year}-\d\d-\d\d(?!\w)|(?<=[\s,\xa0]){year}(?!\w)|\d{{1,2}}[/.]\d{{1,2}}[/.]{year}(?!\w)"
    )


def _shows(text: str, marker: str) -> bool:
    if marker.isdigit():
        return _year_shown(int(marker)).search(text) is not None
    return marker in text


def shown_subjects(text: str) -> list[str]:
    return [role for role in SUBJECTS if any(_shows(text, marker) for marker in markers(role))]


VIEWERS = ("coordinator", "other_coordinator", "mentor", "mentee", "member")
PAGES = sorted(
    (name, viewer)
    for name, row in MATRIX.items()
    for viewer in VIEWERS
    if row.method == "get" and row.expect[viewer] == 200
)


def fetch(name: str, cast, client_as, viewer: str = "coordinator"):
    store_markers(cast)
    url = reverse(name, kwargs=MATRIX[name].kwargs(cast))
    views = lambda role: PersonalDataView.objects.filter(  # noqa: E731
        viewer=cast.user(viewer), subject=cast.user(role)
    ).count()
    before = {role: views(role) for role in SUBJECTS}
    response = client_as(viewer).get(url, MATRIX[name].data)
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    logged = {role: views(role) - before[role] for role in SUBJECTS}
    return url, response_text(response), logged


@pytest.mark.parametrize("name, viewer", PAGES)
def test_every_page_that_shows_demographics_logged_the_view(name, viewer, cast, client_as):
    """Coordinators above all, and every other member of the cast: a member's own answers
    on their own pages are not logged (nobody else looked)."""
    url, text, logged = fetch(name, cast, client_as, viewer)
    for role in shown_subjects(text):
        if role != viewer:
            assert logged[role] >= 1, (
                f"GET {url} as {viewer} shows the {role}'s demographics but logged no view"
            )


def test_the_walk_covers_every_coordinator_page():
    coordinator_pages = {name for name, viewer in PAGES if viewer == "coordinator"}
    assert {"surveys:key_in", "surveys:detail", "surveys:pdf", "intake:review_detail"} <= (
        coordinator_pages
    )
    assert {"dashboard:list_csv", "evaluation:report_csv", "printing:packet_download"} <= (
        coordinator_pages
    )


@pytest.mark.parametrize(
    "name, page",
    [("surveys:detail", "survey"), ("surveys:pdf", "pdf"), ("surveys:key_in", "key-in")],
)
def test_the_walk_sees_the_demographics_where_they_are_shown(name, page, cast, client_as):
    """The markers do reach these pages (screen, PDF and pre-filled form), so the walk's
    search finds them, and the log names the page."""
    _url, text, logged = fetch(name, cast, client_as)
    assert shown_subjects(text) == ["mentee"]
    assert logged["mentee"] == 1
    row = PersonalDataView.objects.get(subject=cast.mentee)
    assert (row.viewer, row.program, row.page) == (cast.coordinator, cast.program, page)


def test_a_key_in_view_is_shown_to_the_member(cast, client_as):
    store_markers(cast)
    client_as("coordinator").get(
        reverse("surveys:key_in", args=[cast.program.slug, cast.mentee_participant.pk])
    )
    html = client_as("mentee").get(reverse("accounts:profile")).content.decode()
    assert "Alice Coordinator, coordinator of 2026 Mentorship Program" in html


def test_a_member_keying_in_nothing_but_their_own_survey_is_not_logged(cast, client_as):
    store_markers(cast)
    response = client_as("mentee").get(reverse("surveys:mine", args=[cast.program.slug]))
    assert "Zqgendermentee" in response.content.decode()
    assert not PersonalDataView.objects.exists()


# --- The static check ------------------------------------------------------------------------

DEMOGRAPHIC_NAMES = frozenset(Profile.DEMOGRAPHIC_FIELDS) | {"get_gender_display"}

# Files that may read demographic fields, and why none of them shows one member's answers
# to someone else without the log.
ALLOWED_READERS = {
    "accounts/models.py": "defines the fields",
    "accounts/forms.py": "validates the fields (forms are built from a checked instance)",
    "accounts/services.py": "writes the member's own answers",
    "accounts/selectors.py": "demographics_for, the logged accessor",
    "members/selectors.py": "the member's own data download",
    "members/export.py": "the member's own data download: which fields it holds",
    "dashboard/retention.py": "empties them once the retention period is over; never shows them",
    "intake/selectors.py": "counts through core/disclosure.py, never one member",
    "evaluation/selectors.py": "counts through core/disclosure.py, never one member",
    "matching/selectors.py": "the engine's is_woman and race/ethnicity wishes, never shown",
    "matching/engine.py": "compares plain answers to meet a mentee's wish; returns no answer",
    "bench/mentor_match_compare.py": "the bench's made-up people (make_problem), no member's",
    "surveys/pdf.py": "field names for the paper's layout; values come from the accessor",
}
READ_ATTRIBUTES = DEMOGRAPHIC_NAMES | {"DEMOGRAPHIC_FIELDS"}
DEMOGRAPHIC_FORMS = {"ProfileForm", "DemographicsForm"}
TEMPLATE_READ = re.compile(r"(\w+)\.(" + "|".join(sorted(DEMOGRAPHIC_NAMES)) + r")\b")
SKIPPED_PARTS = {"tests", "migrations", "devdata", ".venv", "node_modules", "static", "locale"}


def _own_or_logged(node: ast.expr, assigned: dict[str, ast.expr]) -> bool:
    """A form's instance: `profile_for_editing(...)`, or `profile_of(request.user)`."""
    if isinstance(node, ast.Name) and node.id in assigned:
        return _own_or_logged(assigned[node.id], {})
    if not isinstance(node, ast.Call):
        return False
    func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    if func == "profile_for_editing":
        return True
    return func == "profile_of" and ast.unparse(node.args[0]) == "request.user"


def python_problems(path: str, source: str) -> list[str]:
    tree = ast.parse(source)
    problems = []
    reads = path in ALLOWED_READERS
    assigned = {
        target.id: node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in ast.walk(tree):
        if not reads and isinstance(node, ast.Attribute) and node.attr in READ_ATTRIBUTES:
            problems.append(f"{path}:{node.lineno} reads .{node.attr}")
        if (
            not reads
            and isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and any(f"__{name}" in node.value for name in Profile.DEMOGRAPHIC_FIELDS)
        ):
            problems.append(f"{path}:{node.lineno} queries {node.value!r}")
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in DEMOGRAPHIC_FORMS:
            instance = next((k.value for k in node.keywords if k.arg == "instance"), None)
            if instance is not None and not _own_or_logged(instance, assigned):
                problems.append(
                    f"{path}:{node.lineno} fills a demographic form from {ast.unparse(instance)}"
                )
    return problems


def template_problems(path: str, source: str) -> list[str]:
    return [
        f"{path}: {match.group(0)}"
        for match in TEMPLATE_READ.finditer(source)
        if match.group(1) != "form"  # a form field, from a checked form
    ]


def project_files(suffix: str):
    root = Path(settings.BASE_DIR)
    for path in sorted(root.rglob(f"*{suffix}")):
        relative = path.relative_to(root)
        if not SKIPPED_PARTS & set(relative.parts) and relative.parts[0] != "var":
            yield relative.as_posix(), path.read_text()


def test_no_code_reads_demographics_around_the_logged_accessor():
    problems = [p for path, source in project_files(".py") for p in python_problems(path, source)]
    assert problems == []


def test_no_template_reads_demographics_around_the_logged_accessor():
    problems = [
        p for path, source in project_files(".html") for p in template_problems(path, source)
    ]
    assert problems == []


@pytest.mark.parametrize(
    "planted",
    [
        "def view(request, member):\n    return member.profile.date_of_birth\n",
        "rows = Participant.objects.values_list('user__profile__race_ethnicity')\n",
        "form = ProfileForm(None, instance=profile_of(participant.user))\n",
        "p = profile_of(member)\nform = DemographicsForm(instance=p)\n",
        "label = profile.get_gender_display()\n",
    ],
)
def test_the_static_check_catches_a_planted_read(planted):
    assert python_problems("sessions/views.py", planted) != []


def test_the_static_check_allows_the_members_own_form_and_the_logged_one():
    own = "current = selectors.profile_of(request.user)\nform = ProfileForm(instance=current)\n"
    logged = "form = ProfileForm(instance=profile_for_editing(editor=u, subject=s, page='x'))\n"
    assert python_problems("accounts/views.py", own) == []
    assert python_problems("surveys/views.py", logged) == []


def test_the_template_check_catches_a_planted_read():
    assert template_problems("x.html", "<dd>{{ participant.user.profile.gender_self_described }}")
    assert template_problems("x.html", "{{ profile.get_gender_display }}")
    assert not template_problems("x.html", "{{ form.gender|as_crispy_field }}")
