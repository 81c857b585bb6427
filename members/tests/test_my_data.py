"""A member's own pages that combine apps: the data download, erasure, the forms page."""

import csv
import io
import json

import pytest
from django.urls import reverse

from accounts.models import PersonalDataView, Profile
from intake.tests.factories import ApplicationFactory
from matching.models import MentorProfile

pytestmark = pytest.mark.django_db


def test_download_json_has_everything_and_only_the_members(client_as, cast):
    Profile.objects.create(user=cast.member, phone="604-555-0123", gender="man")
    ApplicationFactory(program=cast.program, applicant=cast.member, essay="My own essay")
    ApplicationFactory(program=cast.program, applicant=cast.mentee, essay="Someone else's essay")
    response = client_as("member").get(reverse("accounts:download", args=["json"]))
    assert response["Content-Disposition"] == 'attachment; filename="my-mentorship-data.json"'
    assert response["Cache-Control"] == "no-store, private"
    data = json.loads(response.content)
    assert data["account"]["email"] == cast.member.email
    assert data["profile"]["phone"] == "604-555-0123" and data["profile"]["gender"] == "man"
    assert [a["essay"] for a in data["applications"]] == ["My own essay"]


def test_download_csv_opens_in_a_spreadsheet(client_as, cast):
    Profile.objects.create(user=cast.member, region="Kamloops")
    response = client_as("member").get(reverse("accounts:download", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["section", "field", "value"]
    assert ["profile", "region", "Kamloops"] in rows
    assert response["Content-Disposition"] == 'attachment; filename="my-mentorship-data.csv"'
    assert response["Cache-Control"] == "no-store, private"


def test_download_csv_never_runs_what_the_member_typed_as_a_formula(client_as, cast):
    Profile.objects.create(user=cast.member, region='=HYPERLINK("http://x.example")')
    response = client_as("member").get(reverse("accounts:download", args=["csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["profile", "region", '\'=HYPERLINK("http://x.example")'] in rows


def test_unknown_download_format_is_404(client_as):
    assert client_as("member").get(reverse("accounts:download", args=["xml"])).status_code == 404


def test_delete_profile_data_asks_first(client_as, cast):
    Profile.objects.create(user=cast.member, phone="604-555-0123", gender="man")
    PersonalDataView.objects.create(viewer=cast.coordinator, subject=cast.member, page="survey")
    MentorProfile.objects.create(user=cast.member, background="Twenty years a steward")
    client = client_as("member")
    assert (
        "Delete your profile data?"
        in client.get(reverse("accounts:profile_delete")).content.decode()
    )
    assert Profile.objects.filter(user=cast.member).exists()  # GET changed nothing
    client.post(reverse("accounts:profile_delete"))
    assert not Profile.objects.filter(user=cast.member).exists()
    assert not PersonalDataView.objects.filter(subject=cast.member).exists()
    assert not MentorProfile.objects.filter(user=cast.member).exists()
    cast.member.refresh_from_db()  # the account stays
    assert cast.member.is_active


def test_forms_page_lists_the_survey_to_do(client_as, cast):
    html = client_as("mentee").get(reverse("accounts:forms")).content.decode()
    assert "Mentee survey" in html and "To do" in html
    html = client_as("member").get(reverse("accounts:forms")).content.decode()
    assert "You have no forms to fill in" in html
