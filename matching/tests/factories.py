import factory

from accounts.tests.factories import UserFactory
from matching.models import MentorProfile, UnionSkill


class MentorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorProfile

    user = factory.SubFactory(UserFactory)
    background = "Millwright at the mill for 15 years; chief steward since 2018."
    interests = "Getting younger members to speak up at meetings."
    experience = "Bargaining committee twice; mentored two new stewards."
    qualifications = "Steward training levels 1 and 2."
    skills = factory.LazyFunction(lambda: [UnionSkill.GRIEVANCES, UnionSkill.BARGAINING])
    availability = factory.LazyFunction(lambda: ["evenings"])
    capacity = 2
