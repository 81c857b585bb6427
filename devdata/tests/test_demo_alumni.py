"""The demo shows the alumni follow-up (issue 20, item 8): the closed 2025 program's alumni
were asked, eight answered, five with a new role; the demo mentor still sees the question."""

import pytest
from django.test import Client
from django.urls import reverse

from devdata.alumni_demo import seed_alumni_demo
from devdata.evaluation_demo import seed_evaluation_demo
from evaluation import selectors
from evaluation.models import AlumniFollowUp, LaterRole
from programs.models import Participant

pytestmark = pytest.mark.django_db


def test_the_alumni_were_asked_and_some_answered_with_a_new_role_and_twice_changes_nothing():
    program = seed_evaluation_demo()
    seed_alumni_demo()
    first = (AlumniFollowUp.objects.count(), LaterRole.objects.count())
    seed_alumni_demo()
    assert (AlumniFollowUp.objects.count(), LaterRole.objects.count()) == first
    followups = AlumniFollowUp.objects.filter(participant__program=program)
    # Eleven who took part; Farah, who left the program, is not asked.
    assert followups.count() == 11
    assert not followups.filter(participant__user__email="farah.siddiqui@example.org").exists()
    answers = sorted(followups.values_list("answer", flat=True))
    assert answers.count("no_change") == 3 and answers.count("new_role") == 5
    assert answers.count("") == 3
    reported = LaterRole.objects.filter(followup__in=followups)
    assert reported.count() == 5
    assert all(role.entered_by_id == role.participant.user_id for role in reported)
    summary = selectors.followup_summary(program)
    assert summary.asked == [11]


def test_the_demo_mentor_is_asked_on_her_roles_page():
    program = seed_evaluation_demo()
    seed_alumni_demo()
    rosa = Participant.objects.get(program=program, user__email="mentor@example.org")
    client = Client()
    client.force_login(rosa.user)
    page = client.get(reverse("evaluation:my_roles", args=[program.slug])).content.decode()
    assert "has your union role changed?" in page
    assert reverse("evaluation:roles_no_change", args=[program.slug]) in page
