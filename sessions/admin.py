from django.contrib import admin
from django.db.models import Q, QuerySet

from programs.funnel import KeepsFunnel
from programs.models import Participant

from . import services
from .models import (
    ActionItem,
    AgendaItem,
    CalendarFeed,
    Goal,
    GroupSession,
    Meeting,
    Orientation,
    Preparation,
    SessionRecord,
    Worksheet,
)


class CancelOnDelete:
    """Deleting an orientation or a group session that is still to come sends its
    participants the cancellation (sessions.services.gathering_delete), so calendars drop
    it rather than keep an event that no longer exists."""

    def delete_model(self, request, obj):
        services.gathering_delete(item=obj)

    def delete_queryset(self, request, queryset):
        for item in queryset:
            services.gathering_delete(item=item)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    # A handbook item (a key, no text) is read in each reader's language; an edit here
    # gives it a title, which is the coordinator's text from then on.
    readonly_fields = ("key",)


@admin.register(Orientation)
class OrientationAdmin(KeepsFunnel, CancelOnDelete, admin.ModelAdmin):
    list_display = ("program", "starts_at", "duration_minutes", "location")
    search_fields = ("program__name",)
    inlines = [AgendaItemInline]
    filter_horizontal = ("attendees",)

    def funnel_participants(self, rows: QuerySet) -> QuerySet[Participant]:
        """Who attended ("oriented")."""
        return Participant.objects.filter(orientation_attended__in=rows)


@admin.register(GroupSession)
class GroupSessionAdmin(CancelOnDelete, admin.ModelAdmin):
    list_display = ("title", "program", "kind", "starts_at", "child_care", "food")
    list_filter = ("kind", "child_care", "food")
    search_fields = ("title", "program__name")
    filter_horizontal = ("attendees",)


@admin.register(Worksheet)
class WorksheetAdmin(KeepsFunnel, admin.ModelAdmin):
    list_display = ("match", "version", "mentee_agreed_at", "mentor_agreed_at", "updated_at")
    raw_id_fields = ("match", "updated_by")

    def funnel_participants(self, rows: QuerySet) -> QuerySet[Participant]:
        return _partners(rows)


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ("description", "match", "term", "status")
    list_filter = ("term", "status")
    raw_id_fields = ("match",)


@admin.register(Meeting)
class MeetingAdmin(KeepsFunnel, admin.ModelAdmin):
    list_display = ("match", "starts_at", "duration_minutes", "mode", "status")
    list_filter = ("mode", "status")
    raw_id_fields = ("match", "created_by", "cancelled_by")
    date_hierarchy = "starts_at"

    def funnel_participants(self, rows: QuerySet) -> QuerySet[Participant]:
        return _partners(rows)


def _partners(rows: QuerySet) -> QuerySet[Participant]:
    """Both sides of the pairs of these worksheets or meetings ("agreed", "met")."""
    return Participant.objects.filter(
        Q(pk__in=rows.values("match__mentee")) | Q(pk__in=rows.values("match__mentor"))
    )


@admin.register(Preparation)
class PreparationAdmin(admin.ModelAdmin):
    list_display = ("meeting", "updated_at")
    raw_id_fields = ("meeting",)


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0
    raw_id_fields = ("match",)


@admin.register(SessionRecord)
class SessionRecordAdmin(admin.ModelAdmin):
    list_display = ("meeting", "lost_time_hours", "updated_at")
    raw_id_fields = ("meeting", "recorded_by")
    inlines = [ActionItemInline]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ("description", "match", "owner", "due_on", "status", "stretch")
    list_filter = ("status", "owner", "stretch")
    raw_id_fields = ("match", "record")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    # The token is a password in all but name: never listed, never shown.
    list_display = ("user", "created_at")
    fields = ("user", "created_at")
    readonly_fields = ("user", "created_at")

    def has_add_permission(self, request):
        return False
