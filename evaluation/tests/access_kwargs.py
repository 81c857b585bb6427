"""URL arguments for the access matrix rows of the evaluation app (test_access_matrix.py)."""

from conftest import Cast


def cast_match_feedback(cast: Cast) -> dict:
    """The cast's mentee and mentor in an active match: each gives feedback on it."""
    return {"slug": cast.program.slug, "match_id": cast.pair().pk}


def mentees_later_role(cast: Cast) -> dict:
    """A union role the cast's mentee took on: theirs and the coordinators' to remove."""
    import datetime

    from evaluation.models import LaterRole

    later_role = LaterRole.objects.create(
        participant=cast.mentee_participant,
        kind=LaterRole.Kind.STEWARD,
        started_on=datetime.date(2026, 9, 1),
    )
    return {"slug": cast.program.slug, "pk": later_role.pk}


def mentees_testimonial(cast: Cast) -> dict:
    from django.utils import timezone

    from evaluation import models

    testimonial = models.Testimonial.objects.create(
        participant=cast.mentee_participant,
        text="The program gave me the confidence to run for steward.",
        consented_at=timezone.now(),
    )
    return {"slug": cast.program.slug, "pk": testimonial.pk}
