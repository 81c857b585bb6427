import pytest


@pytest.fixture(autouse=True)
def uncached_charts(settings):
    """Each request computes its charts, so query counts and data are the request's own;
    the cache has its own test."""
    settings.DASHBOARD_CHART_SECONDS = 0


@pytest.fixture
def frozen_today():
    """Noon on the tests' fixed day (dashboard.tests.helpers.TODAY), not ticking."""
    import time_machine

    from .helpers import TODAY, at

    with time_machine.travel(at(TODAY, 12), tick=False):
        yield


@pytest.fixture(autouse=True)
def funnel_kept_by_every_write(monkeypatch):
    """These tests arrange rows directly (factories, `objects.create`, attendance added by
    hand), where the application goes through services that keep each participant's stored
    funnel columns right (programs/funnel.py). Here every save or delete of a row a step
    reads marks the participants it touches, and the funnel's readers (`participant_filter`,
    `_participant_counts`) store their columns again first, as the services would have: so
    the tests read what the definitions say. A `QuerySet.update()` sends nothing: a test
    using one alone calls `helpers.funnel_refreshed()` after it. That the services
    themselves keep the columns right is programs/tests/test_funnel.py's."""
    from django.db import connection
    from django.db.models import Q
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from dashboard import selectors
    from dashboard.funnel import refresh
    from evaluation.models import EvaluationRequest
    from intake.models import Application
    from matching.models import Match
    from programs.models import Participant
    from sessions.models import Meeting, Orientation, Worksheet
    from surveys.models import Survey

    def in_match(match_id) -> Q:
        return Q(matches_as_mentee=match_id) | Q(matches_as_mentor=match_id)

    touched = {
        Application: lambda row: Q(program=row.program_id, user=row.applicant_id),
        Survey: lambda row: Q(pk=row.participant_id),
        Match: lambda row: Q(pk__in=[row.mentee_id, row.mentor_id]),
        Worksheet: lambda row: in_match(row.match_id),
        Meeting: lambda row: in_match(row.match_id),
        EvaluationRequest: lambda row: Q(pk=row.participant_id),
        Participant: lambda row: Q(pk=row.pk),
    }
    marked: set[int] = set()

    def mark(sender, instance, **kwargs):
        marked.update(
            Participant.objects.filter(touched[sender](instance)).values_list("pk", flat=True)
        )

    def attendance_changed(sender, instance, action, reverse, pk_set, **kwargs):
        if reverse:  # participant.orientation_attended.add(orientation)
            marked.add(instance.pk)
        elif action == "pre_clear":
            marked.update(instance.attendees.values_list("pk", flat=True))
        elif pk_set:
            marked.update(pk_set)

    def refreshing_first(read):
        def wrapped(*args, **kwargs):
            if marked:
                # Kept out of the queries a test counts: the services did this at their write.
                logged, connection.force_debug_cursor = connection.force_debug_cursor, False
                try:
                    refresh(Participant.objects.filter(pk__in=list(marked)))
                finally:
                    connection.force_debug_cursor = logged
                marked.clear()
            return read(*args, **kwargs)

        return wrapped

    monkeypatch.setattr(
        selectors, "participant_filter", refreshing_first(selectors.participant_filter)
    )
    monkeypatch.setattr(
        selectors, "_participant_counts", refreshing_first(selectors._participant_counts)
    )
    attendance = Orientation.attendees.through
    for model in touched:
        post_save.connect(mark, sender=model, dispatch_uid=f"funnel-save-{model}")
        post_delete.connect(mark, sender=model, dispatch_uid=f"funnel-delete-{model}")
    m2m_changed.connect(attendance_changed, sender=attendance, dispatch_uid="funnel-attendance")
    yield
    for model in touched:
        post_save.disconnect(sender=model, dispatch_uid=f"funnel-save-{model}")
        post_delete.disconnect(sender=model, dispatch_uid=f"funnel-delete-{model}")
    m2m_changed.disconnect(sender=attendance, dispatch_uid="funnel-attendance")
