"""Dates in the reader's language, valid <time> values, and landmarks with names of their own.

Walks every HTML page of the URL × role access matrix (imported, so a new page is covered the
day its row is added) in English and in French, with every date and time in the database
moved to the first day of its month, and reads the page as a person would, its text outside
attributes, script and form values:
- no date written as "12/09/2026" or "2026-08-28", no "Dec." or "p.m." style, no double
  stop ("p.m.."), and in French no "1 décembre" (French writes "1er décembre");
- every <time> carries a datetime value HTML accepts (at most three fractional digits);
- no two landmarks of one role share a name (axe's landmark-unique, without a browser).
Then the sources: templates use the named formats only (mentorship/formats/), <time> values
come from `|datetime_attr`, and Python formats dates through core/dates.py.
"""

import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from conftest import ROLES
from core.dates import format_date, machine_datetime
from mentorship.tests import hostile
from mentorship.tests.test_access_matrix import MATRIX
from programs.models import ActivityEntry

# Files, not pages: their dates are checked by their own tests (PDF, CSV, ICS, JSON).
FILES = {
    "accounts:download",
    "dashboard:list_csv",
    "evaluation:report_csv",
    "evaluation:feedback_pdf",
    "printing:blank",
    "printing:program_blank",
    "printing:packet_download",
    "programs:activity_csv",
    "sessions:feed",
    "sessions:group_session_ics",
    "sessions:meeting_ics",
    "sessions:meeting_preparation_pdf",
    "sessions:meeting_record_pdf",
    "sessions:orientation_ics",
    "sessions:worksheet_pdf",
    "surveys:pdf",
}
# Every page someone may read (a page that always redirects is read where it leads).
PAGES = sorted(
    name
    for name, row in MATRIX.items()
    if row.method == "get" and name not in FILES and 200 in row.expect.values()
)
# Pages that edit a survey: with the survey still a draft (a submitted one redirects).
DRAFT_SURVEY_PAGES = {"surveys:mine", "surveys:key_in"}

FRENCH_MONTHS = (
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
)
TEXT_RULES = {
    "a date written with slashes": re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
    "an ISO date shown to a person": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "a double stop": re.compile(r"(?<!\.)\.\.(?!\.)"),
    "an abbreviated month with a stop": re.compile(
        r"\b(Jan|Feb|Aug|Sept|Oct|Nov|Dec|janv|févr|avr|juil|sept|oct|nov|déc)\.\s?\d"
    ),
    "a.m./p.m. with stops": re.compile(r"\b[ap]\.m\."),
}
FRENCH_RULES = {"the 1st of a month without “er”": re.compile(rf"\b1 ({FRENCH_MONTHS})\b")}
# HTML's valid date or global date-and-time string: at most three fractional digits.
TIME_VALUE = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})"
)

# --- reading a page as a person does ------------------------------------------------------

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
UNREAD = {"script", "style", "template", "textarea", "head"}
LANDMARK_ROLES = {
    "banner",
    "complementary",
    "contentinfo",
    "form",
    "main",
    "navigation",
    "region",
    "search",
}
# header and footer are the page's banner and contentinfo only outside these.
SECTIONING = {"article", "aside", "main", "nav", "section"}


@dataclass
class Node:
    tag: str
    attrs: dict
    parent: "Node | None" = None
    children: list = field(default_factory=list)

    def text(self) -> str:
        return " ".join(
            (child if isinstance(child, str) else child.text()) for child in self.children
        )

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs}, parent=self.open[-1])
        self.open[-1].children.append(node)
        if tag not in VOID:
            self.open.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data):
        self.open[-1].children.append(data)


def read(html: str) -> Node:
    tree = Tree()
    tree.feed(html)
    tree.close()
    return tree.root


def shown_texts(root: Node) -> list[str]:
    """The text a person reads: outside attributes, scripts, styles and form values."""
    texts = []

    def visit(node: Node) -> None:
        if node.tag in UNREAD:
            return
        for child in node.children:
            if isinstance(child, str):
                if child.strip():
                    texts.append(" ".join(child.split()))
            else:
                visit(child)

    visit(root)
    return texts


def landmark_role(node: Node) -> str | None:
    explicit = node.attrs.get("role", "").split()
    if explicit:
        return explicit[0] if explicit[0] in LANDMARK_ROLES else None
    named = bool(node.attrs.get("aria-label", "").strip() or node.attrs.get("aria-labelledby"))
    if node.tag in ("header", "footer"):
        if any(ancestor.tag in SECTIONING for ancestor in node.ancestors()):
            return None
        return "banner" if node.tag == "header" else "contentinfo"
    implicit = {"nav": "navigation", "main": "main", "aside": "complementary", "search": "search"}
    if node.tag in implicit:
        return implicit[node.tag]
    if node.tag in ("section", "form") and named:
        return "region" if node.tag == "section" else "form"
    return None


def accessible_name(node: Node, by_id: dict[str, Node]) -> str:
    labelledby = node.attrs.get("aria-labelledby", "").split()
    if labelledby:
        return " ".join(
            " ".join(by_id[ref].text().split()) for ref in labelledby if ref in by_id
        ).strip()
    return " ".join(node.attrs.get("aria-label", "").split())


def page_problems(html: str, *, language: str) -> list[str]:
    """What a reader of the page meets that this module forbids (nothing, if all is well)."""
    root = read(html)
    problems = []
    rules = {**TEXT_RULES, **(FRENCH_RULES if language == "fr" else {})}
    for text in shown_texts(root):
        for why, pattern in rules.items():
            found = pattern.search(text)
            if found:
                problems.append(f"{why}: {found.group(0)!r} in {text[:120]!r}")
    nodes = list(root.walk())
    for node in nodes:
        if node.tag == "time":
            value = node.attrs.get("datetime", "")
            if not TIME_VALUE.fullmatch(value):
                problems.append(f"<time datetime={value!r}> is not a valid date or time")
    by_id = {node.attrs["id"]: node for node in nodes if node.attrs.get("id")}
    landmarks = Counter(
        (role, accessible_name(node, by_id))
        for node in nodes
        if (role := landmark_role(node)) is not None
    )
    for (role, name), count in sorted(landmarks.items()):
        if count > 1:
            problems.append(f"{count} {role} landmarks named {name!r}")
    return problems


# --- the world, with every date on the first of its month --------------------------------


def first_of_the_month(value):
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(day=1, microsecond=123456)
    return value.replace(day=1)


def move_every_date_to_the_first() -> int:
    """Every date and time of every row on day 1 of its month, microseconds and all."""
    moved = 0
    for model in hostile.project_models():
        if model is ActivityEntry and connection.vendor == "postgresql":
            # A trigger keeps the activity log append-only there (programs/migrations/0005);
            # its dates are moved on SQLite, where the model alone refuses updates.
            continue
        dated = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.DateField) and not f.primary_key
        ]
        if not dated:
            continue
        for row in model.objects.values("pk", *dated):
            values = {
                name: first_of_the_month(row[name]) for name in dated if row[name] is not None
            }
            if not values:
                continue
            try:
                with transaction.atomic():
                    # The plain QuerySet: the activity log's own refuses every update.
                    models.QuerySet(model).filter(pk=row["pk"]).update(**values)
                moved += 1
            except IntegrityError:
                continue  # a rule between two dates; that row keeps its dates
    return moved


def client_in(cast, role: str, language: str) -> Client:
    user = cast.user(role)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        type(user).objects.filter(pk=user.pk).update(language=language)
        client.force_login(user)
    return client


@pytest.mark.parametrize("name", PAGES)
def test_every_page_writes_dates_in_its_language_with_valid_times_and_unique_landmarks(name, cast):
    row = MATRIX[name]
    kwargs = row.kwargs(cast)
    hostile.build_world(cast, surveys="draft" if name in DRAFT_SURVEY_PAGES else "submitted")
    assert move_every_date_to_the_first() > 10
    url = reverse(name, kwargs=kwargs)
    problems, read_pages = [], 0
    for role in ROLES:
        if row.expect[role] != 200:
            continue
        for language in ("en", "fr"):
            # With the world built, a page may send its reader on (an application already
            # sent, a pair's own page): read where it leads.
            response = client_in(cast, role, language).get(url, row.data, follow=True)
            assert response.status_code == 200, f"GET {url} as {role} in {language}"
            if not response["Content-Type"].startswith("text/html"):
                continue
            read_pages += 1
            found = page_problems(response.content.decode(), language=language)
            problems += [f"GET {url} as {role} in {language}: {problem}" for problem in found]
    if name != "healthz":
        assert read_pages, f"{name}: no role read an HTML page; list it in FILES"
    assert problems == [], "\n".join(problems)


def test_the_walk_meets_french_and_english_dates_of_the_first(cast, client_as):
    """The walk reaches written dates: the pair's timeline shows the 1st in both languages."""
    kwargs = MATRIX["sessions:timeline"].kwargs(cast)
    hostile.build_world(cast)
    move_every_date_to_the_first()
    url = reverse("sessions:timeline", kwargs=kwargs)
    english = client_in(cast, "mentee", "en").get(url).content.decode()
    french = client_in(cast, "mentee", "fr").get(url).content.decode()
    assert re.search(r"\b[A-Z][a-z]+ 1, 20\d\d\b", english)
    assert re.search(rf"\b1er ({FRENCH_MONTHS}) 20\d\d\b", french)
    assert re.search(r'<time datetime="20\d\d-\d\d-01T\d\d:\d\d:\d\d[+-]\d\d:\d\d"', french)


# --- the checks catch what they are for ----------------------------------------------------

PLANTED = {
    "<p>Agreed on 12/09/2026.</p>": "a date written with slashes",
    "<td>2026-08-28</td>": "an ISO date shown to a person",
    "<p>Agreed on Sept. 7, 2026, 9:46 p.m..</p>": "a double stop",
    "<p>Met on Dec. 6, 2026</p>": "an abbreviated month with a stop",
    '<time datetime="2026-09-07T21:46:12.123456+00:00">x</time>': "is not a valid",
    '<section aria-label="Answers"></section><section aria-label="Answers"></section>': (
        "2 region landmarks named 'Answers'"
    ),
    '<h2 id="a">Pairs</h2><h2 id="b">Pairs</h2><div role="region" aria-labelledby="a"></div>'
    '<div role="region" aria-labelledby="b"></div>': "2 region landmarks named 'Pairs'",
    "<nav></nav><nav></nav>": "2 navigation landmarks named ''",
}


@pytest.mark.parametrize(("html", "why"), sorted(PLANTED.items()))
def test_a_planted_fault_is_caught(html, why):
    problems = page_problems(f"<!doctype html><html><body>{html}</body></html>", language="en")
    assert any(why in problem for problem in problems), problems


def test_french_first_of_the_month_without_er_is_caught():
    page = "<html><body><p>Rencontre le 1 décembre 2026</p></body></html>"
    assert page_problems(page, language="fr")
    assert page_problems(page.replace("1 déc", "1er déc"), language="fr") == []


def test_what_is_not_shown_to_a_person_is_left_alone():
    page = (
        '<html><head><title>x</title></head><body><input type="date" value="2026-08-28">'
        '<a href="/x/2026-08-28/">x</a><script>var d = "2026-08-28";</script>'
        '<time datetime="2026-08-28">August 28, 2026</time>'
        '<nav aria-label="Main"></nav><nav aria-label="Breadcrumb"></nav>'
        '<section aria-labelledby="h"><h2 id="h">One</h2></section><section></section>'
        "<article><header></header><footer></footer></article><header></header></body></html>"
    )
    assert page_problems(page, language="en") == []


# --- formats: one style per language, the French 1er, machine values ----------------------

MOMENT = datetime.datetime(2026, 12, 1, 21, 46, 12, 123456, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("language", "format_name", "expected"),
    [
        ("en", "DATE_FORMAT", "December 1, 2026"),
        ("en", "SHORT_DATE_FORMAT", "December 1, 2026"),
        ("en", "DATETIME_FORMAT", "December 1, 2026, 9:46 PM"),
        ("en", "SHORT_DATETIME_FORMAT", "December 1, 2026, 9:46 PM"),
        ("en", "TIME_FORMAT", "9:46 PM"),
        ("en", "YEAR_MONTH_FORMAT", "December 2026"),
        ("fr", "DATE_FORMAT", "1er décembre 2026"),
        ("fr", "SHORT_DATE_FORMAT", "1er décembre 2026"),
        ("fr", "DATETIME_FORMAT", "1er décembre 2026 à 21 h 46"),
        ("fr", "SHORT_DATETIME_FORMAT", "1er décembre 2026 à 21 h 46"),
        ("fr", "MONTH_DAY_FORMAT", "1er décembre"),
        ("fr", "TIME_FORMAT", "21 h 46"),
    ],
)
def test_each_language_writes_dates_one_way(language, format_name, expected, settings):
    settings.TIME_ZONE = "UTC"
    with translation.override(language):
        assert format_date(MOMENT, format_name) == expected


def test_only_the_first_of_the_month_gets_er():
    with translation.override("fr"):
        assert format_date(datetime.date(2026, 12, 11)) == "11 décembre 2026"
        assert format_date(datetime.date(2026, 12, 21)) == "21 décembre 2026"
        assert format_date(datetime.date(2026, 1, 1)) == "1er janvier 2026"


def test_a_datetime_is_written_in_local_time(settings):
    settings.TIME_ZONE = "America/Toronto"
    with translation.override("fr"):
        # 02:00 UTC on the 2nd is still the 1st in Toronto.
        moment = datetime.datetime(2026, 12, 2, 2, 0, tzinfo=datetime.UTC)
        assert format_date(moment, "DATETIME_FORMAT") == "1er décembre 2026 à 21 h 00"


def test_template_dates_follow_the_language():
    from django.template import engines

    template = engines["django"].from_string(
        '{{ moment|date:"DATE_FORMAT" }}|{{ moment|date }}|{{ moment|datetime_attr }}'
    )
    with translation.override("fr"):
        assert template.render({"moment": MOMENT}) == (
            "1er décembre 2026|1er décembre 2026|2026-12-01T21:46:12+00:00"
        )
    with translation.override("en"):
        assert template.render({"moment": MOMENT}).startswith("December 1, 2026|December 1")


def test_time_values_have_no_fractions_and_an_offset(settings):
    settings.TIME_ZONE = "America/Vancouver"
    assert machine_datetime(MOMENT) == "2026-12-01T13:46:12-08:00"
    assert machine_datetime(MOMENT.date()) == "2026-12-01"
    assert TIME_VALUE.fullmatch(machine_datetime(MOMENT))


def test_an_email_writes_dates_in_its_recipients_language(cast):
    """A French mentor's meeting e-mail says "1er décembre"; an English mentee's does not."""
    from core.mail import render_templated_mail
    from sessions.tests.factories import MeetingFactory

    match = cast.pair()
    meeting = MeetingFactory(match=match, starts_at=MOMENT.replace(hour=14, minute=0))
    context = {"meeting": meeting, "match": match, "program": match.program}
    french = render_templated_mail(
        to="x@example.org",
        language="fr",
        template="meeting_scheduled",
        context={**context, "user": cast.mentor},
    )
    english = render_templated_mail(
        to="x@example.org",
        language="en",
        template="meeting_scheduled",
        context={**context, "user": cast.mentee},
    )
    assert "1er décembre 2026" in french.subject
    assert "1er décembre 2026 à 14 h 00" in french.text
    assert "December 1, 2026" in english.subject
    assert "December 1, 2026, 2:00 PM" in english.text


# --- the sources -----------------------------------------------------------------------------

TEMPLATES = Path(settings.BASE_DIR) / "templates"
NAMED_DATE_FORMATS = {
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
    "TIME_FORMAT",
}
# ISO values that <input type="date"> and <input type="time"> take, allowed inside a tag only
# (a link that opens a form filled in): a person never reads them.
MACHINE_FORMATS = {"Y-m-d", "H:i"}
FORMAT_ARGUMENT = re.compile(r"""\|(date|time):\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
TIME_ELEMENT = re.compile(r"<time\b[^>]*>")
TIME_FROM_HELPER = re.compile(r"""datetime=(["'])\{\{\s*[\w.]+\|datetime_attr\s*\}\}\1""")


def literal_formats(source: str) -> list[str]:
    """Date and time formats in a template that are not a language's named format."""
    found = []
    for match in FORMAT_ARGUMENT.finditer(source):
        argument = match.group(2) or match.group(3) or match.group(4)
        before = source[: match.start()]
        inside_a_tag = before.rfind("<") > before.rfind(">")
        if argument in NAMED_DATE_FORMATS or (argument in MACHINE_FORMATS and inside_a_tag):
            continue
        found.append(match.group(0))
    return found


def times_not_from_the_helper(source: str) -> list[str]:
    return [tag for tag in TIME_ELEMENT.findall(source) if not TIME_FROM_HELPER.search(tag)]


def template_sources():
    for path in sorted(TEMPLATES.rglob("*")):
        if path.suffix in (".html", ".txt") and path.is_file():
            yield path.relative_to(TEMPLATES), path.read_text()


def test_templates_use_named_formats_and_the_time_helper_only():
    literal = {
        str(path): found
        for path, source in template_sources()
        if (found := literal_formats(source))
    }
    times = {
        str(path): found
        for path, source in template_sources()
        if (found := times_not_from_the_helper(source))
    }
    assert literal == {}, 'use a named format (mentorship/formats/), e.g. |date:"DATE_FORMAT"'
    assert times == {}, 'a <time> takes datetime="{{ value|datetime_attr }}"'


@pytest.mark.parametrize(
    "planted",
    [
        '{{ d|date:"m/d/Y" }}',
        "{{ d|date:'Y-m-d' }}",
        "{{ d|date:'d/m/Y' }}",
        '{{ d|date:"c" }}',
        "{{ d|date:some_variable }}",
        '{{ d|time:"P" }}',
    ],
)
def test_a_literal_format_in_a_template_is_caught(planted):
    assert len(literal_formats(f"<p>{planted}</p>")) == 1


def test_an_iso_value_is_allowed_in_a_link_only():
    assert literal_formats("<a href=\"?date={{ d|date:'Y-m-d' }}\">x</a>") == []
    assert literal_formats("<td>{{ d|date:'Y-m-d' }}</td>") == ["|date:'Y-m-d'"]


def test_a_time_without_the_helper_is_caught():
    assert times_not_from_the_helper("<time datetime=\"{{ at|date:'c' }}\">x</time>")
    assert times_not_from_the_helper("<time>x</time>")
    assert not times_not_from_the_helper('<time datetime="{{ at|datetime_attr }}">x</time>')


PYTHON_FORMATTING = re.compile(r"\b(date_format|time_format|localize|strftime)\(")
# Where Python may format a date itself: the one helper, and values written for machines.
PYTHON_ALLOWED = {
    "core/dates.py": "the helper itself",
    "core/backup.py": "a backup's file name",
    "core/concurrency.py": "times of day (no day to write) in the shown-both-texts notice",
    "dashboard/lists.py": "CSV cells, for spreadsheets",
    "sessions/ical.py": "iCalendar DATE-TIME values (RFC 5545), for calendar programs",
}


def test_python_formats_dates_for_people_through_core_dates():
    base = Path(settings.BASE_DIR)
    found = []
    for path in sorted(base.rglob("*.py")):
        relative = path.relative_to(base).as_posix()
        if relative.split("/")[0] in (".venv", "node_modules", "var") or "/tests/" in relative:
            continue
        if relative in PYTHON_ALLOWED or "/migrations/" in relative:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if PYTHON_FORMATTING.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    assert found == [], "format dates shown to people with core.dates.format_date"
