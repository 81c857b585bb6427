from django.contrib import admin
from django.db.models import Q, QuerySet

from programs.funnel import KeepsFunnel
from programs.models import Participant

from .models import (
    Exclusion,
    Match,
    MatchingProfile,
    MatchingSettings,
    MentorProfile,
    Preference,
)


@admin.register(Match)
class MatchAdmin(KeepsFunnel, admin.ModelAdmin):
    list_display = ["mentee", "mentor", "program", "status", "locked", "score", "started_at"]
    list_filter = ["status", "locked", "end_reason", "program"]
    raw_id_fields = ["mentee", "mentor", "ended_by"]

    def funnel_participants(self, rows: QuerySet) -> QuerySet[Participant]:
        return Participant.objects.filter(
            Q(pk__in=rows.values("mentee")) | Q(pk__in=rows.values("mentor"))
        )


@admin.register(MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "capacity", "available", "internal", "confirmed_at"]
    list_filter = ["available", "internal"]
    search_fields = ["user__name", "user__email"]
    raw_id_fields = ["user"]


@admin.register(MatchingSettings)
class MatchingSettingsAdmin(admin.ModelAdmin):
    list_display = ["program", "goal", "language", "region", "local", "priority", "circle_size"]


@admin.register(MatchingProfile)
class MatchingProfileAdmin(admin.ModelAdmin):
    list_display = ["participant", "priority", "capacity"]
    list_filter = ["priority"]
    raw_id_fields = ["participant"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["participant", "kind", "strength", "mentor", "rank"]
    list_filter = ["kind", "strength"]
    raw_id_fields = ["participant", "mentor"]


@admin.register(Exclusion)
class ExclusionAdmin(admin.ModelAdmin):
    list_display = ["program", "mentor", "mentee", "source", "created_at"]
    list_filter = ["source", "program"]
    raw_id_fields = ["mentor", "mentee", "created_by"]
