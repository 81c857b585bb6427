"""The outbox in the admin: every e-mail's delivery, failed ones first, without bodies.

Coordinators see their program's reminders that failed on the reminder log; other
notifications' failures are here for the site's staff, with "try again now".
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .mail import mail_retry
from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("pk", "status", "attempts", "created_at", "next_attempt_at", "sent_at")
    list_filter = ("status",)
    ordering = ("status", "-created_at")
    # What was sent is the members' business: the bodies and attachments are not shown.
    fields = (
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "last_error",
        "message_id",
    )
    readonly_fields = fields
    actions = ["retry_now"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Try again now"), permissions=["view"])
    def retry_now(self, request, queryset):
        retried = mail_retry(message_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext(
                "%(count)d e-mail will be sent again now.",
                "%(count)d e-mails will be sent again now.",
                len(retried),
            )
            % {"count": len(retried)},
            messages.SUCCESS,
        )
