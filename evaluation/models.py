"""Close-out and evidence: final feedback, confidential program evaluations, outcomes.

The program evaluation (Appendices VIII and IX) is confidential by construction: who has
responded (`EvaluationRequest`) and what was answered (`EvaluationResponse`) are two tables
with nothing in common but the program. See `EvaluationResponse` for how.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from matching.models import Match
from programs.models import Participant, Program, SuccessMeasure

from .questions import FEEDBACK_MAX, TEXT_MAX, effects_for


class Feedback(models.Model):
    """One party's Mentoring Feedback Form (Appendix VII) at the end of a match.

    The partner reads it only once both have submitted, so neither writes in answer to
    the other's.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("feedback status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("feedback status", "Submitted")

    class NextStep(models.TextChoices):
        CONTINUE_FORMAL = "continue_formal", _("Continue in formal partnership")
        INFORMAL = "informal", _("Transition to informal/situational meeting")
        COMPLETE = "complete", _("Celebrate and complete your relationship")
        OTHER = "other", _("Other")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="feedback_given")
    worked_well = models.TextField(
        _("What worked well during the mentoring relationship?"),
        blank=True,
        max_length=FEEDBACK_MAX,
        validators=[MaxLengthValidator(FEEDBACK_MAX)],
    )
    learned = models.TextField(
        _("What did I learn/gain?"),
        blank=True,
        max_length=FEEDBACK_MAX,
        validators=[MaxLengthValidator(FEEDBACK_MAX)],
    )
    did_not_work = models.TextField(
        _("What did not work as well?"),
        blank=True,
        max_length=FEEDBACK_MAX,
        validators=[MaxLengthValidator(FEEDBACK_MAX)],
    )
    # The two prompts to the partner differ by side; see questions.partner_prompts().
    partner_so_far = models.TextField(
        _("feedback for my partner: so far"),
        blank=True,
        max_length=FEEDBACK_MAX,
        validators=[MaxLengthValidator(FEEDBACK_MAX)],
    )
    partner_going_forward = models.TextField(
        _("feedback for my partner: going forward"),
        blank=True,
        max_length=FEEDBACK_MAX,
        validators=[MaxLengthValidator(FEEDBACK_MAX)],
    )
    whats_next = models.CharField(
        _("What’s next"), max_length=16, choices=NextStep.choices, blank=True
    )
    whats_next_other = models.CharField(_("Other: what next?"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("feedback form")
        verbose_name_plural = _("feedback forms")
        ordering = ["match", "author"]
        constraints = [
            models.UniqueConstraint(
                fields=["match", "author"], name="evaluation_feedback_one_per_party"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(submitted_at__isnull=False) & ~Q(whats_next="")),
                name="evaluation_feedback_submitted_is_complete",
            ),
            models.CheckConstraint(
                condition=Q(
                    whats_next__in=["", "continue_formal", "informal", "complete", "other"]
                ),
                name="evaluation_feedback_whats_next_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author.user} — {self.match} ({self.get_status_display()})"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class EvaluationWindow(models.Model):
    """When a program's evaluation is open; coordinators open and close it, maybe again.

    `round` counts the openings. Results come from closed rounds only, so coordinators
    cannot watch them change as each member answers.
    """

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="evaluation_window"
    )
    is_open = models.BooleanField(_("open"), default=False)
    round = models.PositiveSmallIntegerField(_("times opened"), default=0)
    opened_at = models.DateTimeField(_("last opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("last closed"), null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    class Meta:
        verbose_name = _("evaluation window")
        verbose_name_plural = _("evaluation windows")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_open=False) | Q(round__gte=1),
                name="evaluation_window_open_has_round",
            ),
        ]

    def __str__(self) -> str:
        return str(self.program)


class EvaluationRequest(models.Model):
    """A participant asked for the program evaluation, and whether they have responded.

    One row per participant, created for the whole program at once (in participant order,
    never at the moment of an answer), so neither the key nor the row order follows the
    order of the answers. No date, no round, nothing of the answer. When a round closes,
    the program's rows are written again in a random order with new keys
    (`services._unlink_rows`), so not even the database's own bookkeeping of each row
    (PostgreSQL's `ctid`, `xmin`) pairs a request with a response.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="evaluation_requests",
        verbose_name=_("participant"),
    )
    responded = models.BooleanField(_("has responded"), default=False)

    class Meta:
        verbose_name = _("evaluation request")
        verbose_name_plural = _("evaluation requests")
        ordering = ["participant"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant"], name="evaluation_request_one_per_participant"
            ),
        ]

    def __str__(self) -> str:
        return str(self.participant)


class Answer(models.TextChoices):
    NO = "no", _("No")
    MAYBE = "maybe", _("Maybe")
    YES = "yes", _("Yes")


class EvaluationResponse(models.Model):
    """One confidential Program Evaluation Form (Appendix VIII or IX), tied to nobody.

    Nothing here leads back to the member: no key to them or to their request, no date,
    and a random UUID instead of a counting key, so the order of the rows says nothing
    either. `round` is shared by everyone who answered while the window was open that time.
    While a round is open, the rows sit in the table in the order they came; when it
    closes, all of the program's rows are written again in a random order with new keys,
    in one transaction, and the table is then rewritten (`services._unlink_rows`,
    `_vacuum_evaluation_tables`). The admin never lists a round still open.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="evaluation_responses"
    )
    role = models.CharField(_("form"), max_length=8, choices=Participant.Role.choices)
    round = models.PositiveSmallIntegerField(_("window opening"))
    helpfulness = models.PositiveSmallIntegerField(_("helpfulness (1 = extremely helpful)"))
    useful_aspects = models.TextField(
        _("most and least useful"),
        blank=True,
        max_length=TEXT_MAX,
        validators=[MaxLengthValidator(TEXT_MAX)],
    )
    recommend = models.CharField(
        _("would recommend the program"), max_length=5, choices=Answer.choices
    )
    effects = models.JSONField(_("the program has"), default=list, blank=True)
    mentor_again = models.CharField(
        _("would mentor again"), max_length=5, choices=Answer.choices, blank=True
    )
    suggestions = models.TextField(
        _("suggestions"), blank=True, max_length=TEXT_MAX, validators=[MaxLengthValidator(TEXT_MAX)]
    )

    class Meta:
        verbose_name = _("evaluation response")
        verbose_name_plural = _("evaluation responses")
        # A random key: listing by it is a random order, never the order of arrival.
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(helpfulness__gte=1) & Q(helpfulness__lte=5),
                name="evaluation_response_helpfulness_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(recommend__in=["no", "maybe", "yes"]),
                name="evaluation_response_recommend_valid",
            ),
            models.CheckConstraint(
                condition=Q(role="mentee", mentor_again="")
                | Q(role="mentor", mentor_again__in=["no", "maybe", "yes"]),
                name="evaluation_response_mentor_again_for_mentors",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program} — {self.get_role_display()}"

    def clean(self) -> None:
        allowed = {key for key, _label in effects_for(self.role)}
        if not isinstance(self.effects, list) or not set(self.effects) <= allowed:
            raise ValidationError({"effects": _("Not a valid choice for this form.")})


class AlumniFollowUp(models.Model):
    """One e-mail to a former participant, 12 or 24 months after their program closed,
    asking whether their union roles changed (handbook IV, "Keeping Track").

    Unique per participant and round, and written in the transaction that writes its
    e-mail to the outbox, so a scan run twice (or two at once) never asks twice. The
    answer is the member's own: "no change" (one button) or a new role, recorded on their
    roles page, which links the role here (`LaterRole.followup`).
    """

    class Round(models.IntegerChoices):
        TWELVE = 12, _("12 months after the program")
        TWENTY_FOUR = 24, _("24 months after the program")

    class Answer(models.TextChoices):
        NO_CHANGE = "no_change", _("No change")
        NEW_ROLE = "new_role", _("A new role")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="followups",
        verbose_name=_("participant"),
    )
    round = models.PositiveSmallIntegerField(_("months after the program"), choices=Round.choices)
    sent_at = models.DateTimeField(_("e-mailed"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, blank=True)

    class Meta:
        verbose_name = _("alumni follow-up")
        verbose_name_plural = _("alumni follow-ups")
        ordering = ["participant", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "round"], name="evaluation_followup_once_per_round"
            ),
            models.CheckConstraint(
                condition=Q(round__in=[12, 24]), name="evaluation_followup_round_valid"
            ),
            models.CheckConstraint(
                condition=Q(answer="", answered_at__isnull=True)
                | Q(answer__in=["no_change", "new_role"], answered_at__isnull=False),
                name="evaluation_followup_answer_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.round} months"


class LaterRole(models.Model):
    """A role a participant took on in the union since the program (handbook IV)."""

    class Kind(models.TextChoices):
        STEWARD = "steward", _("Steward")
        COMMITTEE = "committee", _("Committee member")
        DELEGATE = "delegate", _("Delegate")
        OFFICER = "officer", _("Officer")
        STAFF = "staff", _("Union staff")
        OTHER = "other", _("Other")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="later_roles",
        verbose_name=_("participant"),
    )
    kind = models.CharField(_("role"), max_length=12, choices=Kind.choices)
    title = models.CharField(
        _("details"),
        max_length=200,
        blank=True,
        help_text=_("For example: recording secretary of Local 2009, or the women’s committee."),
    )
    started_on = models.DateField(_("since"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)
    # Set when the member added it in answer to an alumni follow-up: the report counts the
    # follow-up's new roles by kind from these.
    followup = models.ForeignKey(
        AlumniFollowUp,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("in answer to"),
    )

    class Meta:
        verbose_name = _("later union role")
        verbose_name_plural = _("later union roles")
        ordering = ["participant", "-started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="evaluation_laterrole_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant.user}: {self.get_kind_display()}"


class MeasureResult(models.Model):
    """Whether a participant met one of the program's own success measures."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="measure_results"
    )
    measure = models.ForeignKey(SuccessMeasure, on_delete=models.CASCADE, related_name="results")
    achieved = models.BooleanField(_("achieved"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    updated_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        verbose_name = _("success measure result")
        verbose_name_plural = _("success measure results")
        ordering = ["participant", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "measure"], name="evaluation_measureresult_one_each"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant.user}: {self.measure} = {self.achieved}"

    def clean(self) -> None:
        if self.measure.program_id != self.participant.program_id:
            raise ValidationError(_("This success measure belongs to another program."))


class Testimonial(models.Model):
    """A participant's words about the program, published once a coordinator approves."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Not published")

    TEXT_MAX = 1000

    participant = models.OneToOneField(
        Participant,
        on_delete=models.CASCADE,
        related_name="testimonial",
        verbose_name=_("participant"),
    )
    text = models.TextField(
        _("your testimonial"), max_length=TEXT_MAX, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    show_name = models.BooleanField(
        _("Show my name with it"),
        default=True,
        help_text=_("Otherwise it is signed “a mentee” or “a mentor” of the program."),
    )
    # The consent to publish, given when it was written: evidence, not a switch.
    consented_at = models.DateTimeField(_("consent to publish given"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("testimonial")
        verbose_name_plural = _("testimonials")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | Q(reviewed_at__isnull=False),
                name="evaluation_testimonial_reviewed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant.user} ({self.get_status_display()})"

    @property
    def signature(self) -> str:
        mentor = self.participant.role == Participant.Role.MENTOR
        if self.show_name:
            role = _("mentor") if mentor else _("mentee")
            return f"{self.participant.user.name}, {role}"
        return str(_("A mentor in the program") if mentor else _("A mentee in the program"))
