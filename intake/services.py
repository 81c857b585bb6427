"""Writes on applications and nominations."""

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import profile_of
from accounts.services import profile_save
from core.concurrency import Loaded
from core.mail import mail_member, send_templated_mail
from programs.models import Participant, Program

from .models import Application, Nomination
from .selectors import application_values

MAX_NOMINATIONS_PER_PROGRAM = 10


def _nomination_for(program: Program, applicant: User, role: str) -> Nomination | None:
    """The latest nomination of this member (any verified address), preferring the role."""
    emails = EmailAddress.objects.filter(user=applicant, verified=True).values_list(
        "email", flat=True
    )
    nominations = program.nominations.filter(nominee_email__in=[e.lower() for e in emails])
    return (
        nominations.filter(role=role).order_by("-created_at").first()
        or nominations.order_by("-created_at").first()
    )


@transaction.atomic
def application_save(
    *,
    program: Program,
    applicant: User,
    role: str,
    answers: dict,
    profile_answers: dict,
    submit: bool,
    consent: bool = False,
    loaded: Loaded | None = None,
) -> tuple[Application, bool]:
    """Save a draft or submit. Returns the application and whether this call submitted it.

    Locked once submitted: a repeated submit (double click, back button) changes
    nothing and creates nothing. With `loaded` (what the form showed), an answer saved
    since in another tab is never replaced: `EditConflict` carries the newest answers.
    """
    if role not in Participant.Role.values:
        raise ValidationError(_("Unknown role."))
    # One save per applicant at a time: two tabs creating the first draft take turns.
    User.objects.select_for_update().filter(pk=applicant.pk).first()
    existing = Application.objects.filter(program=program, applicant=applicant, role=role).first()
    if existing is not None and not existing.is_editable:
        return existing, False
    if loaded is not None:
        loaded.check(
            application_values(existing, applicant),
            {**profile_answers, **answers},
            saved_at=existing.updated_at if existing else None,
        )
    application = existing or Application.objects.create(
        program=program, applicant=applicant, role=role
    )
    if not application.is_editable:
        return application, False
    if not program.accepts_applications():
        raise ValidationError(_("This program is not accepting applications."))
    if submit and not consent:
        raise ValidationError(_("Please agree to the privacy notice to submit."))

    for field in Application.ANSWER_FIELDS:
        if field in answers:
            setattr(application, field, answers[field])
    if application.nomination_id is None:
        application.nomination = _nomination_for(program, applicant, role)
    if submit:
        now = timezone.now()
        application.status = Application.Status.SUBMITTED
        application.submitted_at = now
        application.privacy_consent_at = now
    application.full_clean()
    application.save()

    # The survey's general block asks the local and the role in the union too: the
    # application's answers fill a profile that has none, so the survey need not ask again.
    from_answers = {"local_union": "local_unit", "union_role": "union_role"}
    if profile_answers or any(answers.get(name) for name in from_answers.values()):
        profile = profile_of(applicant)
        for name, asked_as in from_answers.items():
            if not getattr(profile, name) and answers.get(asked_as):
                profile_answers = {**profile_answers, name: answers[asked_as]}
        profile_save(user=applicant, data=profile_answers)

    if submit:
        mail_member(
            applicant, "application_received", {"application": application, "program": program}
        )
    return application, submit


@transaction.atomic
def application_withdraw(*, application: Application, by: User) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.applicant_id != by.pk:
        raise ValidationError(_("Only the applicant can withdraw an application."))
    if not application.can_withdraw:
        raise ValidationError(_("This application can no longer be withdrawn."))
    application.status = Application.Status.WITHDRAWN
    if application.submitted_at is None:
        application.submitted_at = timezone.now()  # a withdrawn draft is closed, not pending
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    return application


DECISIONS = {
    "accept": Application.Status.ACCEPTED,
    "waitlist": Application.Status.WAITLISTED,
    "decline": Application.Status.DECLINED,
}
DECIDABLE = (
    Application.Status.SUBMITTED,
    Application.Status.WAITLISTED,
    Application.Status.DECLINED,
)
DECIDING_STATUSES = (Program.Status.OPEN, Program.Status.SELECTING, Program.Status.MATCHING)


@transaction.atomic
def application_decide(
    *, application: Application, decision: str, note: str, by: User
) -> Application:
    """Accept, wait-list or decline; acceptance makes the member a participant."""
    application = (
        Application.objects.select_for_update()
        .select_related("program", "applicant")
        .get(pk=application.pk)
    )
    status = DECISIONS.get(decision)
    if status is None:
        raise ValidationError(_("Choose accept, wait-list or decline."))
    if application.program.status not in DECIDING_STATUSES:
        raise ValidationError(
            _("Decisions are made while the program is open, selecting or matching.")
        )
    if application.status not in DECIDABLE:
        raise ValidationError(
            _("A %(status)s application cannot be decided.")
            % {"status": application.get_status_display().lower()}
        )
    if application.status == status and application.decision_note == note:
        return application  # the same decision twice: nothing new to record or send
    if status == Application.Status.ACCEPTED:
        participant, _created = Participant.objects.get_or_create(
            program=application.program,
            user=application.applicant,
            defaults={"role": application.role},
        )
        if participant.role != application.role:
            raise ValidationError(
                _("%(name)s is already a %(role)s in this program.")
                % {
                    "name": application.applicant.name,
                    "role": participant.get_role_display().lower(),
                }
            )
    application.status = status
    application.decision_note = note
    application.decided_by = by
    application.decided_at = timezone.now()
    application.full_clean()
    application.save()
    mail_member(
        application.applicant,
        f"application_{status}",
        {
            "application": application,
            "program": application.program,
            "url": reverse(
                "intake:my_application", args=[application.program.slug, application.pk]
            ),
        },
    )
    return application


@transaction.atomic
def nomination_create(
    *,
    program: Program,
    nominator: User,
    nominee_name: str,
    nominee_email: str,
    role: str,
    reason: str,
) -> Nomination:
    if not program.accepts_applications():
        raise ValidationError(_("Nominations are closed for this program."))
    email = nominee_email.strip().lower()
    if email == nominator.email.lower():
        raise ValidationError(_("You cannot nominate yourself: apply directly instead."))
    if (
        Nomination.objects.filter(program=program, nominator=nominator).count()
        >= MAX_NOMINATIONS_PER_PROGRAM
    ):
        raise ValidationError(
            _("You can nominate at most %(n)d members for one program.")
            % {"n": MAX_NOMINATIONS_PER_PROGRAM}
        )
    if Nomination.objects.filter(
        program=program, nominator=nominator, nominee_email__iexact=email
    ).exists():
        raise ValidationError(_("You have already nominated this person for this program."))
    nomination = Nomination(
        program=program,
        nominator=nominator,
        nominee_name=nominee_name.strip(),
        nominee_email=email,
        role=role,
        reason=reason.strip(),
    )
    nomination.full_clean()
    nomination.save()
    nominee = User.objects.filter(email__iexact=email).first()
    send_templated_mail(
        to=email,
        language=nominee.language if nominee else nominator.language,
        template="nomination_invitation",
        context={
            "nomination": nomination,
            "program": program,
            "nominator": nominator,
            "url": reverse("intake:apply", args=[program.slug, role]),
        },
    )
    return nomination
