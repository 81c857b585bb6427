from django.contrib import admin

from .models import Participant, Program


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "status"]
    list_filter = ["status", "year"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["coordinators"]
    inlines = [ParticipantInline]
