"""Keeping each participant's stored place in the dashboard's funnel right.

`Participant.funnel_depth`, `funnel_met_at`, `funnel_completed` and `funnel_evaluated` hold
what the funnel's steps (dashboard.selectors `_step_definitions`) say about a person apart
from the clock, so the dashboard and its people lists read plain columns instead of a chain
of correlated subqueries per person on every request.

Who keeps them right: every service that changes what a step reads (an application
accepted, a survey submitted or reopened, a match published or ended, attendance at the
orientation, a worksheet changed or agreed, a meeting scheduled, moved or cancelled, an
evaluation answered) calls `funnel_changed(participants=...)` in its own transaction, after
its write, naming the participants whose step may have moved. The admin's changes go the
same way (`KeepsFunnel`).

Why a function is installed here rather than imported: the steps read applications,
surveys, matches, attendance, worksheets, meetings and evaluation requests, all of apps
above this one, which programs may not import (README, "How the code is laid out"), and
their services may not import the dashboard that defines the steps. So the computation is
handed in once at start-up by the one app that defines them: `DashboardConfig.ready`
calls `install(dashboard.funnel.refresh)`. It is not a signal: there is exactly one
computation, typed; every write calls it by name, synchronously, inside the writer's
transaction; and a write with none installed raises instead of silently leaving the columns
behind. A periodic recompute (dashboard.funnel.recompute, beat's "recompute-funnel", and
`manage.py funnel_recompute`) is the safety net for writes outside the services, such as a
member deleted in the admin; it logs how many rows it had to correct.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from .models import Participant

Refresh = Callable[[QuerySet[Participant]], int]

_installed: list[Refresh] = []


def install(refresh: Refresh) -> None:
    """Make `refresh` the computation of the stored columns (`dashboard.apps` does, once)."""
    _installed[:] = [refresh]


def funnel_changed(*, participants: QuerySet[Participant] | Iterable[int]) -> int:
    """Compute again and store the funnel columns of these participants (a queryset or
    their ids), every one of their rows written; returns how many.

    Call it after the write that may have moved them, in the same transaction.
    """
    if not _installed:
        raise ImproperlyConfigured(
            "No funnel computation installed: dashboard.apps.DashboardConfig.ready installs it."
        )
    if not isinstance(participants, QuerySet):
        participants = Participant.objects.filter(pk__in=list(participants))
    return _installed[0](participants)


class KeepsFunnel:
    """For the ModelAdmin of a model a funnel step reads: its saves and deletes in the
    admin refresh the participants they touch, before and after, as the services do.

    The admin class says which participants a set of its rows touches, as
    `funnel_participants(self, rows: QuerySet) -> QuerySet[Participant]`.
    """

    funnel_participants: Callable[[QuerySet], QuerySet[Participant]]

    def _touched(self, rows: QuerySet) -> set[int]:
        return set(self.funnel_participants(rows).values_list("pk", flat=True))

    def _rows(self, obj) -> QuerySet:
        return type(obj)._default_manager.filter(pk=obj.pk)

    def save_model(self, request, obj, form, change) -> None:
        # Those it touched before a change (a match moved to another mentee, say) too.
        obj._funnel_before = self._touched(self._rows(obj)) if change else set()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)  # many-to-many: attendance
        obj = form.instance
        funnel_changed(
            participants=getattr(obj, "_funnel_before", set()) | self._touched(self._rows(obj))
        )

    def delete_model(self, request, obj) -> None:
        touched = self._touched(self._rows(obj))
        super().delete_model(request, obj)
        funnel_changed(participants=touched)

    def delete_queryset(self, request, queryset) -> None:
        touched = self._touched(queryset)
        super().delete_queryset(request, queryset)
        funnel_changed(participants=touched)
