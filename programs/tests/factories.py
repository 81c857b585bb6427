import factory

from accounts.tests.factories import UserFactory, with_totp
from programs.models import Participant, Program


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Mentorship Program {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    year = 2026
    status = Program.Status.RUNNING

    @factory.post_generation
    def coordinators(self, create, extracted, **kwargs):
        if create and extracted:
            # Coordinators have an authenticator app, as they must (accounts/mfa.py).
            for user in extracted:
                with_totp(user)
            self.coordinators.add(*extracted)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    program = factory.SubFactory(ProgramFactory)
    user = factory.SubFactory(UserFactory)
    role = Participant.Role.MENTEE
