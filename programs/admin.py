from django.contrib import admin
from django.db.models import QuerySet

from .funnel import KeepsFunnel
from .models import ActivityEntry, CoordinatorInvitation, Participant, Program


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Program)
class ProgramAdmin(KeepsFunnel, admin.ModelAdmin):
    list_display = ["name", "year", "status"]
    list_filter = ["status", "year"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["coordinators"]
    inlines = [ParticipantInline]

    def funnel_participants(self, rows: QuerySet) -> QuerySet[Participant]:
        """Participants added, moved or removed in the inline, and the partners whose
        matches went with a removed one: everyone in the programs."""
        return Participant.objects.filter(program__in=rows)


@admin.register(CoordinatorInvitation)
class CoordinatorInvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are made, answered and withdrawn on the site, with consent."""

    list_display = ["email", "program", "status", "invited_by", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["email", "program__name"]
    list_select_related = ["program", "invited_by"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


# --- The activity log: read-only for everyone, superusers included ---------------------


@admin.register(ActivityEntry)
class ActivityEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "program", "action"]
    list_filter = ["action", "program"]
    list_select_related = ["actor", "program"]
    search_fields = ["action", "actor__name", "actor__email"]
    date_hierarchy = "at"
    fields = ["at", "actor", "program", "action", "target", "changes"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
