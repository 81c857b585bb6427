from django.contrib import admin

from .models import Application, Nomination


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["applicant", "program", "role", "status", "submitted_at"]
    list_filter = ["status", "role", "program"]
    search_fields = ["applicant__name", "applicant__email"]
    raw_id_fields = ["applicant", "nomination", "decided_by"]


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["nominee_name", "nominee_email", "program", "role", "nominator", "created_at"]
    list_filter = ["program", "role"]
    search_fields = ["nominee_name", "nominee_email", "nominator__name"]
    raw_id_fields = ["nominator"]
