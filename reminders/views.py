from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.dates import date_writer
from core.flash import show_refusal
from core.models import OutboxMessage
from programs.access import Need, program_view

from . import selectors, services
from .forms import ReminderSettingsForm, RemindEveryoneForm
from .kinds import BULK, KINDS
from .models import LIMITS

PAGE_SIZE = 50
DEFAULTS = {name: default for name, (default, _low, _high) in LIMITS.items()}


def _outcome(reminder, moment) -> str:
    """What happened to a reminder, in the log's words."""
    message = reminder.message
    if message is not None and message.status == OutboxMessage.Status.FAILED:
        return _("Not delivered: the mail server refused it")
    if message is not None and message.status == OutboxMessage.Status.PENDING and message.attempts:
        return _("Not delivered yet: being tried again")
    if reminder.sent_at:
        return _("Sent %(when)s") % {"when": moment(reminder.sent_at)}
    if reminder.skipped == "opted_out":
        return _("Not sent: the member turned reminders off")
    if reminder.skipped == "no_longer_due":
        return _("Not sent: already done")
    if reminder.skipped:
        return _("Not sent")
    return _("Waiting to be sent")


def _log_body(reminders) -> SafeString:
    """The log table's rows, each cell written and escaped once here rather than by
    per-row template logic."""
    # A page's reminders share few due days: each is written once.
    day, moment = date_writer("SHORT_DATE_FORMAT"), date_writer("SHORT_DATETIME_FORMAT")
    rows = []
    for reminder in reminders:
        label = KINDS[reminder.kind].label if reminder.kind in KINDS else ""
        by_hand = (
            format_html(
                ' <span class="badge text-bg-info">{}</span>',
                _("by hand, %(name)s") % {"name": reminder.sent_by.name},
            )
            if reminder.sent_by
            else ""
        )
        rows.append(
            format_html(
                "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                label,
                by_hand,
                reminder.recipient.name,
                day(reminder.due_on),
                _outcome(reminder, moment),
            )
        )
    # Safe: every value in the rows was escaped by format_html above.
    return mark_safe("\n".join(rows))


def _due_lines(due_next: list[selectors.Upcoming]) -> list[tuple[selectors.Upcoming, SafeString]]:
    """Each kind coming with its list items ("day: name"), each day written once."""
    written = date_writer("SHORT_DATE_FORMAT")
    shown = []
    for upcoming in due_next:
        items = format_html_join(
            "\n", "<li>{}: {}</li>", ((written(day), user.name) for day, user in upcoming.rows)
        )
        shown.append((upcoming, items))
    return shown


@program_view(Need.MANAGE)
def log(request, program, role):
    participant = None
    if request.GET.get("participant", "").isdigit():
        participant = get_object_or_404(program.participants, pk=request.GET["participant"])
    page = Paginator(selectors.reminder_log(program, participant=participant), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    undelivered = selectors.undelivered(program)
    for reminder in undelivered:
        reminder.label = KINDS[reminder.kind].label if reminder.kind in KINDS else ""
    due_next = selectors.due_next(program) if participant is None else []
    return render(
        request,
        "reminders/log.html",
        {
            "program": program,
            "page": page,
            "log_body": _log_body(page.object_list),
            "participant": participant,
            "undelivered": undelivered,
            "due_next": due_next,
            "due_lines": _due_lines(due_next),
            "due_days": selectors.DUE_NEXT_DAYS,
            "scheduler": selectors.scheduler_status(),
            "bulk": BULK,
        },
    )


def _back(request, default: str) -> str:
    """The page the coordinator came from (`next`), when it is a path on this site."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if (
        candidate.startswith("/")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        and not urlsplit(candidate).fragment
    ):
        return candidate
    return default


def _default_back(program, kind: str) -> str:
    if kind == "survey_due":
        return reverse("surveys:completion", args=[program.slug])
    return reverse("reminders:log", args=[program.slug])


def _sent_message(result: services.SentMany) -> str:
    parts = [
        ngettext("Reminded %(count)d member.", "Reminded %(count)d members.", len(result.sent))
        % {"count": len(result.sent)}
    ]
    if result.already_today:
        parts.append(
            _("Reminded already today, so not again: %(names)s.")
            % {"names": ", ".join(result.already_today)}
        )
    if result.done:
        parts.append(
            _("Done since, so not reminded: %(names)s.") % {"names": ", ".join(result.done)}
        )
    if result.not_sent:
        parts.append(
            _("Not sent, their account is closed: %(names)s.")
            % {"names": ", ".join(result.not_sent)}
        )
    return " ".join(parts)


@program_view(Need.MANAGE)
def send_many(request, program, role, kind):
    """Everyone still to do `kind`, ticked (GET); send them each a reminder (POST)."""
    bulk = BULK.get(kind)
    if bulk is None:
        raise Http404
    back = _back(request, _default_back(program, kind))
    people = selectors.to_remind(program, kind)
    form = RemindEveryoneForm(request.POST if request.method == "POST" else None, people=people)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.reminders_send_many(
                program=program, kind=kind, participant_ids=form.participant_ids(), by=request.user
            )
        except ValidationError as error:
            show_refusal(request, error)
        else:
            level = messages.success if result.sent else messages.warning
            level(request, _sent_message(result))
        return redirect(back)
    return render(
        request,
        "reminders/send_many.html",
        {
            "program": program,
            "bulk": bulk,
            "kind_label": KINDS[kind].label,
            "people": people,
            "form": form,
            "back": back,
        },
    )


@require_POST
@program_view(Need.MANAGE)
def send_survey_reminder(request, program, role, participant_id):
    participant = get_object_or_404(program.participants.select_related("user"), pk=participant_id)
    try:
        services.reminder_send_by_hand(
            program=program,
            recipient=participant.user,
            kind="survey_due",
            subject_key=f"survey:{participant.pk}",
            by=request.user,
        )
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request, _("A reminder was sent to %(name)s.") % {"name": participant.user.name}
        )
    # Back to the person's row on the page they were on, not to the top of the list.
    back = _back(request, reverse("surveys:completion", args=[program.slug]))
    return redirect(f"{back}#participant-{participant.pk}")


@require_POST
@program_view(Need.MANAGE)
def retry_delivery(request, program, role, reminder_id):
    reminder = get_object_or_404(
        program.reminders.select_related("recipient"), pk=reminder_id, message__isnull=False
    )
    try:
        services.reminder_retry_delivery(reminder=reminder, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _("The e-mail to %(name)s will be sent again now.") % {"name": reminder.recipient.name},
        )
    return redirect("reminders:log", program.slug)


@program_view(Need.MANAGE)
def reminder_settings(request, program, role):
    if request.method == "POST" and "defaults" in request.POST:
        services.reminder_settings_save(program=program, data=DEFAULTS, by=request.user)
        messages.success(request, _("The reminder settings are back to the defaults."))
        return redirect("reminders:settings", program.slug)
    form = ReminderSettingsForm(
        request.POST if request.method == "POST" else None, instance=selectors.settings_of(program)
    )
    if request.method == "POST" and form.is_valid():
        services.reminder_settings_save(program=program, data=form.settings_data(), by=request.user)
        messages.success(request, _("The reminder settings are saved. The next scan uses them."))
        return redirect("reminders:log", program.slug)
    return render(
        request,
        "reminders/settings.html",
        {"program": program, "form": form, "defaults": DEFAULTS},
    )
