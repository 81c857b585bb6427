from django.contrib import admin

from .models import Match, MentorProfile


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "program", "status", "started_at"]
    list_filter = ["status", "program"]
    raw_id_fields = ["mentee", "mentor"]


@admin.register(MentorProfile)
class MentorProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "capacity", "available", "internal", "confirmed_at"]
    list_filter = ["available", "internal"]
    search_fields = ["user__name", "user__email"]
    raw_id_fields = ["user"]
