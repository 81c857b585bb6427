from django.contrib import admin
from django.db.models import Exists, OuterRef, QuerySet

from programs.funnel import KeepsFunnel
from programs.models import Participant

from .models import (
    AlumniFollowUp,
    EvaluationRequest,
    EvaluationResponse,
    EvaluationWindow,
    Feedback,
    LaterRole,
    MeasureResult,
    Testimonial,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Evaluation records are written by members through the site, never edited here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ["match", "author", "status", "whats_next", "submitted_at"]
    list_filter = ["status", "whats_next", "match__program"]
    list_select_related = ["match__mentee__user", "match__mentor__user", "author__user"]


@admin.register(EvaluationWindow)
class EvaluationWindowAdmin(ReadOnlyAdmin):
    list_display = ["program", "is_open", "round", "opened_at", "closed_at"]


@admin.register(EvaluationRequest)
class EvaluationRequestAdmin(KeepsFunnel, ReadOnlyAdmin):
    """Who was asked and who has responded; nothing of any answer."""

    list_display = ["participant", "responded"]
    list_filter = ["responded", "participant__program"]
    list_select_related = ["participant__user", "participant__program"]

    def funnel_participants(self, rows: QuerySet) -> QuerySet[Participant]:
        """A request deleted here ("evaluated"): its participant's program, every row, as
        evaluation.services.evaluation_submit writes them."""
        return Participant.objects.filter(program__in=rows.values("participant__program"))


@admin.register(EvaluationResponse)
class EvaluationResponseAdmin(ReadOnlyAdmin):
    """The answers, with nothing about who gave them; listed in random key order."""

    list_display = ["id", "program", "role", "helpfulness", "recommend"]
    list_filter = ["program", "role"]
    # Nobody is named here, so there is nothing to search by.
    search_fields = []
    # Anonymous: erasing a member's data never needs one, and removing any skews results.
    actions = None

    def get_queryset(self, request):
        """Never a round still open: watching answers arrive while the list of who has
        responded changes would tie each answer to its member. Once closed, the rows are
        rewritten in a random order with new keys (services._unlink_rows)."""
        still_open = EvaluationWindow.objects.filter(
            program=OuterRef("program"), is_open=True, round=OuterRef("round")
        )
        return super().get_queryset(request).exclude(Exists(still_open))

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LaterRole)
class LaterRoleAdmin(admin.ModelAdmin):
    list_display = ["participant", "kind", "title", "started_on", "ended_on"]
    list_filter = ["kind", "participant__program"]
    list_select_related = ["participant__user", "participant__program"]
    raw_id_fields = ["participant", "entered_by", "followup"]


@admin.register(AlumniFollowUp)
class AlumniFollowUpAdmin(ReadOnlyAdmin):
    """Sent by the daily task and answered by members; never written here."""

    list_display = ["participant", "round", "sent_at", "answer", "answered_at"]
    list_filter = ["round", "answer", "participant__program"]
    list_select_related = ["participant__user", "participant__program"]


@admin.register(MeasureResult)
class MeasureResultAdmin(admin.ModelAdmin):
    list_display = ["participant", "measure", "achieved"]
    list_filter = ["achieved", "participant__program"]
    list_select_related = ["participant__user", "participant__program", "measure"]
    raw_id_fields = ["participant", "measure", "recorded_by"]


@admin.register(Testimonial)
class TestimonialAdmin(admin.ModelAdmin):
    list_display = ["participant", "status", "show_name", "updated_at"]
    list_filter = ["status", "participant__program"]
    list_select_related = ["participant__user", "participant__program"]
    raw_id_fields = ["participant", "reviewed_by"]
