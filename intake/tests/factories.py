import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from intake.models import Application, Nomination
from programs.tests.factories import ProgramFactory


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    program = factory.SubFactory(ProgramFactory)
    applicant = factory.SubFactory(UserFactory)
    role = "mentee"
    status = Application.Status.SUBMITTED
    essay = "I want to learn how to run a grievance from start to finish."
    goals = "Become a steward."
    union_role = "Member"
    local_unit = "Local 2009"
    experience = Application.Experience.FIRST_TIME
    availability = factory.LazyFunction(lambda: ["evenings"])
    preferred_delivery = Application.DeliveryPreference.EITHER
    lost_time_release = Application.Release.NOT_SURE
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.status == Application.Status.DRAFT else timezone.now()
    )
    privacy_consent_at = factory.SelfAttribute("submitted_at")


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    program = factory.SubFactory(ProgramFactory)
    nominator = factory.SubFactory(UserFactory)
    nominee_name = factory.Faker("name")
    nominee_email = factory.Sequence(lambda n: f"nominee{n}@example.org")
    role = "mentee"
    reason = "Speaks up at every meeting and helps co-workers with their grievances."
