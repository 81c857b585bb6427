"""The application and both surveys say "marked with an asterisk are needed to submit":
every field a submission refuses empty carries the asterisk, and every asterisk is such a
field. The asterisk is hidden from screen readers, which hear `aria-required` instead."""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from core.testing import post_loaded
from intake.tests.conftest import ANSWERS
from intake.tests.factories import ApplicationFactory
from programs.models import Program

pytestmark = pytest.mark.django_db


class Fields(HTMLParser):
    """Each crispy field wrapper (div id="div_id_NAME"): marked with an asterisk or not,
    and whether its inputs say aria-required."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, int]] = []  # (field name, div depth) being read
        self.depth = 0
        self.marked: set[str] = set()
        self.shown: set[str] = set()
        self.aria_required: set[str] = set()
        self.spoken_asterisks = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div":
            self.depth += 1
            if (attrs.get("id") or "").startswith("div_id_"):
                name = attrs["id"].removeprefix("div_id_")
                self.shown.add(name)
                self.open.append((name, self.depth))
        if not self.open:
            return
        name = self.open[-1][0]
        if tag == "span" and "asteriskField" in (attrs.get("class") or ""):
            self.marked.add(name)
            if attrs.get("aria-hidden") != "true":
                self.spoken_asterisks += 1
        if tag in ("input", "textarea", "select") and attrs.get("aria-required") == "true":
            self.aria_required.add(name)

    def handle_endtag(self, tag):
        if tag == "div":
            if self.open and self.open[-1][1] == self.depth:
                self.open.pop()
            self.depth -= 1


def read(html: str) -> Fields:
    fields = Fields()
    fields.feed(html)
    return fields


def refused(html: str) -> set[str]:
    """The fields shown with an error under them."""
    return set(re.findall(r'id="error_\d+_id_(\w+)"', html))


def check_promise(client, url: str) -> Fields:
    page = client.get(url).content.decode()
    assert "asterisk" in page  # the form promises it
    fields = read(page)
    assert fields.marked, "no field carries an asterisk"
    assert fields.spoken_asterisks == 0
    assert fields.aria_required == fields.marked
    # Submitting with nothing filled in: exactly the marked fields are refused.
    response = post_loaded(client, url, {"submit": "1"})
    assert response.status_code == 200
    assert refused(response.content.decode()) == fields.marked
    return fields


def test_the_application_marks_every_field_it_needs(cast, client_as):
    program = cast.program
    program.status = Program.Status.OPEN
    program.applications_open_on = timezone.localdate() - datetime.timedelta(days=1)
    program.applications_close_on = timezone.localdate() + datetime.timedelta(days=1)
    program.save()
    url = reverse("intake:apply", args=[program.slug, "mentee"])
    fields = check_promise(client_as("member"), url)
    assert fields.marked == {*ANSWERS.keys() - {"lost_time_release"}, "privacy_consent"}


@pytest.mark.parametrize("role", ["mentee", "mentor"])
def test_both_surveys_mark_every_question_they_need(cast, client_as, role):
    url = reverse("surveys:mine", args=[cast.program.slug])
    fields = check_promise(client_as(role), url)
    # No application in this program: the local and role in the union are asked here.
    assert {"local_union", "union_role", "comments"} & fields.marked == {
        "local_union",
        "union_role",
    }
    assert "comments" in fields.shown


def test_a_survey_after_an_application_marks_what_it_still_asks(cast, client_as):
    ApplicationFactory(
        program=cast.program, applicant=cast.mentee, role="mentee", status="accepted"
    )
    Profile.objects.update_or_create(
        user=cast.mentee, defaults={"local_union": "Local 2009", "union_role": "Member"}
    )
    url = reverse("surveys:mine", args=[cast.program.slug])
    fields = check_promise(client_as("mentee"), url)
    assert not {"local_union", "union_role"} & fields.shown
