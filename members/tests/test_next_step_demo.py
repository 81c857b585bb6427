"""The demo's members show real next steps on their home (`seed_demo`), one stage each."""

import pytest

from accounts.models import User
from members.next_step import Kind, next_steps_for

# Every demo account's password is devdata.people.DEMO_PASSWORD.
DEMO_STAGES = {
    "bianca.rossi@example.org": Kind.APPLICATION,
    "aisha.mohamed@example.org": Kind.REVIEW,
    "teresa.novak@example.org": Kind.WAITLISTED,
    "wendy.park@example.org": Kind.DECLINED,
    "kevin.bouchard@example.org": Kind.SURVEY,
    "tanya.whitehorse@example.org": Kind.WORKSHEET,
    "mentee@example.org": Kind.PREPARE,
    "mentor@example.org": Kind.RECORD,
}


@pytest.mark.django_db
def test_demo_members_each_show_a_different_stage():
    from devdata.demo import seed

    seed()
    shown = {email: next_steps_for(User.objects.get(email=email))[0].kind for email in DEMO_STAGES}
    assert shown == DEMO_STAGES
    # The demo member has applied nowhere: a calm home, no step.
    assert next_steps_for(User.objects.get(email="member@example.org")) == []
