import factory

from accounts.models import Profile
from accounts.tests.factories import UserFactory
from matching.models import Match, MatchingProfile, MentorProfile, UnionSkill
from programs.models import Participant
from programs.tests.factories import ParticipantFactory, ProgramFactory


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
    # The usual mentor in a test said yes to being found; tests of the consent set it.
    findable_by_other_programs = True


class MatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Match

    program = factory.SubFactory(ProgramFactory)
    mentee = factory.SubFactory(
        ParticipantFactory, program=factory.SelfAttribute("..program"), role="mentee"
    )
    mentor = factory.SubFactory(
        ParticipantFactory, program=factory.SelfAttribute("..program"), role="mentor"
    )
    status = Match.Status.PROPOSED


def add_mentee(
    program,
    name: str = "",
    *,
    goals=(),
    languages=(),
    local: str = "",
    region: str = "",
    gender: str = "",
    priority: bool = False,
) -> Participant:
    """A mentee of the program with a profile and learning goals."""
    user = UserFactory(**({"name": name} if name else {}))
    Profile.objects.create(
        user=user, languages=list(languages), local_union=local, region=region, gender=gender
    )
    participant = ParticipantFactory(program=program, user=user, role=Participant.Role.MENTEE)
    MatchingProfile.objects.create(
        participant=participant, learning_goals=list(goals), priority=priority
    )
    return participant


def add_mentor(
    program,
    name: str = "",
    *,
    skills=(UnionSkill.GRIEVANCES,),
    languages=(),
    local: str = "",
    region: str = "",
    gender: str = "",
    capacity: int = 1,
    internal: bool = True,
) -> Participant:
    """A mentor of the program with a profile and an entry in the mentor database."""
    user = UserFactory(**({"name": name} if name else {}))
    Profile.objects.create(
        user=user, languages=list(languages), local_union=local, region=region, gender=gender
    )
    MentorProfileFactory(user=user, skills=list(skills), capacity=capacity, internal=internal)
    return ParticipantFactory(program=program, user=user, role=Participant.Role.MENTOR)
