from django.contrib import admin
from django.db.models import Exists, OuterRef, QuerySet

from programs.funnel import KeepsFunnel
from programs.models import Participant

from .models import Application, Nomination


@admin.register(Application)
class ApplicationAdmin(KeepsFunnel, admin.ModelAdmin):
    list_display = ["applicant", "program", "role", "status", "submitted_at"]
    list_filter = ["status", "role", "program"]
    search_fields = ["applicant__name", "applicant__email"]
    raw_id_fields = ["applicant", "nomination", "decided_by"]

    def funnel_participants(self, rows: QuerySet) -> QuerySet[Participant]:
        """The applicants' participations in the applications' programs ("accepted")."""
        mine = rows.filter(program=OuterRef("program"), applicant=OuterRef("user"))
        return Participant.objects.filter(Exists(mine))


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["nominee_name", "nominee_email", "program", "role", "nominator", "created_at"]
    list_filter = ["program", "role"]
    search_fields = ["nominee_name", "nominee_email", "nominator__name"]
    raw_id_fields = ["nominator"]
