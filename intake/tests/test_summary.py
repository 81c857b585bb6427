"""The class summary: counts only, small cells hidden, never who is what."""

import pytest
from django.urls import reverse

from accounts.models import Profile
from core.testing import assert_constant_queries
from intake.models import Application
from intake.selectors import class_summaries, class_summary
from intake.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def cells(dimension):
    return {row.label: (str(row.applicants), str(row.accepted)) for row in dimension.rows}


def applicant(
    program, *, gender="", races=(), status="submitted", local="Local 1", experience="some"
):
    application = ApplicationFactory(
        program=program, status=status, local_unit=local, experience=experience
    )
    Profile.objects.create(user=application.applicant, gender=gender, race_ethnicity=list(races))
    return application


def test_summary_counts_applicants_and_the_accepted_class(open_program):
    for _ in range(6):
        applicant(open_program, gender="woman", status="accepted")
    for _ in range(5):
        applicant(open_program, gender="woman")
    for _ in range(7):
        applicant(open_program, gender="man", status="declined")
    for _ in range(5):
        applicant(open_program, gender="man", status="accepted")
    applicant(open_program, gender="non_binary")
    ApplicationFactory(program=open_program, status="draft")  # drafts are not in the pool
    ApplicationFactory(program=open_program, status="withdrawn")
    gender = cells(class_summary(open_program)[0])
    assert gender["Man"] == ("12", "5")
    # Zeros read "fewer than 5" too, so 6 + 5 = 11 accepted would prove the other answers
    # empty: the next answer by position (women, wrapping round) is hidden as complement.
    assert gender["Woman"] == ("11", "hidden")
    assert gender["Non-binary"] == ("fewer than 5", "fewer than 5")
    assert gender["Prefer not to say"] == ("fewer than 5", "fewer than 5")


def test_the_role_filter_cannot_undo_the_suppression(open_program):
    """The audit: everyone Woman 6 and mentees Woman 6 gave both mentor applicants away as
    men, whom the mentor-filtered list names. All role variants are audited together."""
    for _ in range(6):
        applicant(open_program, gender="woman", experience="first_time")
    for _ in range(7):
        applicant(open_program, gender="man", experience="some")
    for _ in range(2):
        mentor = applicant(open_program, gender="man", experience="experienced")
        mentor.role = "mentor"
        mentor.save()
    summaries = class_summaries(open_program)
    everyone, mentees = cells(summaries[""][0]), cells(summaries["mentee"][0])
    assert "hidden" in (everyone["Woman"][0], mentees["Woman"][0])
    mentors = cells(summaries["mentor"][0])
    assert set(mentors.values()) == {("fewer than 5", "fewer than 5")}


def test_self_described_answers_are_counted_not_shown(open_program):
    application = applicant(open_program, gender="self_described")
    application.applicant.profile.gender_self_described = "Genderfluid machinist"
    application.applicant.profile.save()
    summary = class_summary(open_program)
    assert "Genderfluid machinist" not in repr(summary)
    assert cells(summary[0])["Self-described"] == ("fewer than 5", "fewer than 5")


def test_race_counts_every_answer_chosen(open_program):
    for _ in range(5):
        applicant(open_program, races=["black", "indigenous"])
    for _ in range(5):
        applicant(open_program, races=["white"])
    race = cells(class_summary(open_program)[1])
    # Nobody accepted yet: an empty class's zeros read "fewer than 5" like any other.
    assert race["Black"] == ("5", "fewer than 5")
    assert race["Indigenous (First Nations, Métis, Inuit)"] == ("5", "fewer than 5")
    assert race["White"] == ("5", "fewer than 5")


def test_locals_are_grouped_regardless_of_spacing_and_case(open_program):
    for local in ["Local 2009", "local  2009", "LOCAL 2009 ", "Local 2009", "Local 2009"]:
        applicant(open_program, local=local)
    for _ in range(6):
        applicant(open_program, local="Local 1")
    assert cells(class_summary(open_program)[2])["Local 2009"] == ("5", "fewer than 5")


def test_review_page_shows_the_summary_without_names_next_to_answers(open_program, client_as):
    for _ in range(5):
        applicant(open_program, gender="woman")
    response = client_as("coordinator").get(reverse("intake:review", args=[open_program.slug]))
    assert response.context["show_summary"]
    html = response.content.decode()
    assert "Diversity of the class" in html
    # The list of applications shows no demographic answer for any person.
    for application in Application.objects.all():
        assert application.applicant.name in html
    assert html.count("Woman") == 1  # once, in the summary table


def test_summary_is_one_query_whatever_the_size(open_program, django_assert_num_queries):
    count = assert_constant_queries(
        lambda: class_summary(open_program),
        lambda n: [applicant(open_program, gender="woman", races=["white"]) for _ in range(n)],
    )
    assert count == 1
