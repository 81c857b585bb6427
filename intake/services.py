"""Writes on applications and nominations."""

import dataclasses
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import profile_of
from accounts.services import profile_save
from core.concurrency import Loaded
from core.mail import mail_batch, mail_member, send_templated_mail
from programs.funnel import funnel_changed
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
    keyed_in_by: User | None = None,
) -> tuple[Application, bool]:
    """Save a draft or submit. Returns the application and whether this call submitted it.

    Locked once submitted: a repeated submit (double click, back button) changes
    nothing and creates nothing. With `loaded` (what the form showed), an answer saved
    since in another tab is never replaced: `EditConflict` carries the newest answers.
    """
    if role not in Participant.Role.values:
        raise ValidationError(_("Unknown role."))
    # One save per applicant at a time: two tabs creating the first draft take turns.
    User.objects.select_for_update(of=("self",)).filter(pk=applicant.pk).first()
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
    if keyed_in_by is None and not program.accepts_applications():
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
        if keyed_in_by is not None:
            application.keyed_in_by = keyed_in_by
            application.keyed_in_at = now
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


# A paper application handed in late can still be keyed in while the class is selected.
KEY_IN_STATUSES = (Program.Status.OPEN, Program.Status.SELECTING)


@transaction.atomic
def paper_application_key_in(
    *,
    program: Program,
    by: User,
    email: str,
    name: str,
    language: str,
    role: str,
    answers: dict,
    consent: bool,
) -> tuple[Application, bool]:
    """A coordinator types in a paper application, submitted on the applicant's behalf.

    The applicant is the member with the e-mail address written on the form, or a new
    member (an account without a password: they set one with "Forgot your password?").
    Returns the application and whether this call saved it: a second submission of the
    same form (double click, back button) finds the application already there and
    creates nothing. A member's own draft online is never replaced by a paper copy.
    """
    if role not in Participant.Role.values:
        raise ValidationError({"role": [_("Choose mentee or mentor.")]})
    if program.status not in KEY_IN_STATUSES:
        raise ValidationError(
            _(
                "Paper applications can be keyed in while the program is open for "
                "applications or selecting its class."
            )
        )
    if not consent:
        raise ValidationError(
            {"privacy_consent": [_("Without the applicant's consent nothing can be saved.")]}
        )
    email = User.objects.normalize_email(email.strip()).lower()
    applicant = User.objects.select_for_update(of=("self",)).filter(email__iexact=email).first()
    if applicant is None:
        if not name.strip():
            raise ValidationError(
                {"name": [_("No member has this e-mail address yet: give their name.")]}
            )
        try:
            with transaction.atomic():
                applicant = User.objects.create_user(
                    email=email, name=name.strip(), language=language or settings.LANGUAGE_CODE
                )
                EmailAddress.objects.create(
                    user=applicant, email=email, primary=True, verified=False
                )
        except IntegrityError:
            # The same form submitted twice at once: the other request made the account.
            applicant = User.objects.get(email__iexact=email)
    if not applicant.is_active:
        raise ValidationError({"email": [_("This member's account is closed.")]})
    existing = Application.objects.filter(program=program, applicant=applicant, role=role).first()
    if existing is not None and existing.is_editable:
        raise ValidationError(
            _(
                "%(name)s has a draft application as %(role)s online: ask them to submit it, "
                "so that their own answers are not replaced."
            )
            % {"name": applicant.name, "role": Participant.Role(role).label}
        )
    if existing is not None:
        return existing, False
    return application_save(
        program=program,
        applicant=applicant,
        role=role,
        answers=answers,
        profile_answers={},
        submit=True,
        consent=True,
        keyed_in_by=by,
    )


@transaction.atomic
def application_withdraw(*, application: Application, by: User) -> Application:
    application = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
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
        Application.objects.select_for_update(of=("self",))
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
    if status == Application.Status.ACCEPTED:
        funnel_changed(participants=[participant.pk])  # the funnel's "accepted" step
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


@dataclass
class BulkDecision:
    """What one bulk decision did: who was decided, who was left as they were, and why."""

    status: str
    decided: list[Application] = dataclasses.field(default_factory=list)
    not_waiting: list[Application] = dataclasses.field(default_factory=list)
    unknown: int = 0  # ids that are no submitted application of this program


@transaction.atomic
def applications_decide_many(
    *, program: Program, ids: Iterable[int], decision: str, by: User
) -> BulkDecision:
    """Accept, wait-list or decline many waiting applications of one program at once.

    Only applications still waiting (submitted) are decided: one already decided, in this
    request's other tab or by another coordinator, is left as it is and reported, so a
    second submission decides nothing twice and sends no second e-mail. Ids of another
    program, drafts included, change nothing and are counted as unknown. When one
    acceptance is impossible, nothing is decided. Each applicant gets one e-mail, written
    to the outbox in one insert; the number of queries does not grow with the selection.
    """
    status = DECISIONS.get(decision)
    if status is None:
        raise ValidationError(_("Choose accept, wait-list or decline."))
    if program.status not in DECIDING_STATUSES:
        raise ValidationError(
            _("Decisions are made while the program is open, selecting or matching.")
        )
    wanted = {int(pk) for pk in ids}
    found = list(
        Application.objects.select_for_update(of=("self",))
        .filter(program=program, pk__in=wanted)
        .exclude(status=Application.Status.DRAFT)
        .select_related("applicant")
        .order_by("applicant__name", "pk")
    )
    result = BulkDecision(status=status, unknown=len(wanted) - len(found))
    for application in found:
        waiting = application.status == Application.Status.SUBMITTED
        (result.decided if waiting else result.not_waiting).append(application)
    if status == Application.Status.ACCEPTED and result.decided:
        _participants_for(program, result.decided)
    now = timezone.now()
    for application in result.decided:
        application.program = program
        application.status = status
        application.decided_by = by
        application.decided_at = now
        application.updated_at = now
    # The values set are known valid (a status of the choices, a user, a time), so no
    # full_clean: its constraint checks would cost a query per application.
    Application.objects.bulk_update(
        result.decided, ["status", "decided_by", "decided_at", "updated_at"]
    )
    if status == Application.Status.ACCEPTED and result.decided:
        funnel_changed(  # the funnel's "accepted" step
            participants=Participant.objects.filter(
                program=program, user__in=[a.applicant_id for a in result.decided]
            )
        )
    with mail_batch():
        for application in result.decided:
            mail_member(
                application.applicant,
                f"application_{status}",
                {
                    "application": application,
                    "program": program,
                    "url": reverse("intake:my_application", args=[program.slug, application.pk]),
                },
            )
    return result


def _participants_for(program: Program, accepted: list[Application]) -> None:
    """Make the accepted applicants participants, or refuse them all if one cannot be."""
    twice = [user for user, n in Counter(a.applicant for a in accepted).items() if n > 1]
    if twice:
        raise ValidationError(
            _(
                "%(names)s applied both as mentee and as mentor: decide their applications "
                "one at a time. Nothing was decided."
            )
            % {"names": ", ".join(sorted(user.name for user in twice))}
        )
    existing = {
        p.user_id: p
        for p in Participant.objects.filter(
            program=program, user__in=[a.applicant_id for a in accepted]
        )
    }
    clash = [
        a
        for a in accepted
        if a.applicant_id in existing and existing[a.applicant_id].role != a.role
    ]
    if clash:
        raise ValidationError(
            _(
                "%(names)s already take part in this program in another role. Nothing was "
                "decided: decide their applications one at a time."
            )
            % {"names": ", ".join(a.applicant.name for a in clash)}
        )
    Participant.objects.bulk_create(
        [
            Participant(program=program, user=a.applicant, role=a.role)
            for a in accepted
            if a.applicant_id not in existing
        ]
    )


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
