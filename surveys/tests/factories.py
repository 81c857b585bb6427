import factory

from surveys.models import Survey
from surveys.questions import questions_for


def full_answers(role: str) -> dict:
    return {q.key: f"My answer to {q.key}" for q in questions_for(role)}


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    status = Survey.Status.DRAFT
    answers = factory.LazyAttribute(lambda o: full_answers(o.participant.role))
