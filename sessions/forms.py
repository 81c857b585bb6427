"""Validation only: the views save through `sessions.services`, never `form.save()`.

The forms call the services' `*_problems` rules so each error shows next to its field;
the services check them again.
"""

import datetime
from html import escape as html_escape

from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from core.concurrency import LoadedFormMixin
from core.forms import CountedTextMixin, date_input, inner_helper, textarea, time_input
from core.labels import choice_labels
from core.layout import heading, inert
from matching.models import Match
from programs.models import Participant, Program

from . import services
from .appendices import WORKSHEET_SECTIONS
from .models import (
    ActionItem,
    AgendaItem,
    FitCheck,
    Goal,
    GroupSession,
    Meeting,
    Preparation,
    SessionRecord,
    Side,
    TimedEvent,
    Worksheet,
)
from .selectors import worksheet_values


def _model_field(model, name: str, **kwargs) -> forms.Field:
    return model._meta.get_field(name).formfield(**kwargs)


def event_initial(item: TimedEvent) -> dict:
    """A saved event's time as the date, start time and duration fields show it."""
    local = timezone.localtime(item.starts_at)
    return {
        "date": local.date(),
        "start_time": local.time().replace(second=0, microsecond=0),
        "duration_minutes": item.duration_minutes,
    }


class EventTimeForm(CountedTextMixin, forms.Form):
    """Date, start time and duration: an event cannot end before it starts."""

    date = forms.DateField(
        label=_("Date"), widget=date_input(), error_messages={"required": _("Choose a date.")}
    )
    start_time = forms.TimeField(
        label=_("Start time"),
        widget=time_input(),
        error_messages={"required": _("Give the time it starts, e.g. 18:30.")},
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        widget=forms.NumberInput(attrs={"min": 1, "max": 480, "step": 5}),
        help_text=_("At most 8 hours (480 minutes)."),
        error_messages={"required": _("Say how long it lasts, in minutes.")},
    )

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("date"), cleaned.get("start_time")
        cleaned["starts_at"] = (
            timezone.make_aware(datetime.datetime.combine(day, time)) if day and time else None
        )
        return cleaned

    def add_problems(self, problems: dict[str, list[str]]) -> None:
        for field, messages in problems.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


# --- Orientation and group sessions ----------------------------------------------------------


class GatheringForm(LoadedFormMixin, EventTimeForm):
    location = _model_field(GroupSession, "location")
    video_link = _model_field(GroupSession, "video_link", assume_scheme="https")
    child_care = _model_field(GroupSession, "child_care")
    food = _model_field(GroupSession, "food")
    accessibility_notes = _model_field(GroupSession, "accessibility_notes", widget=textarea(2))

    def __init__(self, *args, program: Program, **kwargs):
        self.program = program
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        self.add_problems(
            {
                field: messages
                for field, messages in services.gathering_problems(
                    program=self.program, data=cleaned
                ).items()
                if field not in self.errors
            }
        )
        return cleaned

    def data_for_service(self) -> dict:
        return {f: self.cleaned_data[f] for f in services.GATHERING_FIELDS}


class OrientationForm(GatheringForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inner_helper(
            Layout(
                Fieldset(
                    heading(_("When")),
                    Row(Column("date"), Column("start_time"), Column("duration_minutes")),
                ),
                Fieldset(heading(_("Where")), "location", "video_link"),
                Fieldset(
                    heading(_("Open to members with families")),
                    "child_care",
                    "food",
                    "accessibility_notes",
                ),
            )
        )


class AgendaItemForm(CountedTextMixin, forms.Form):
    title = _model_field(AgendaItem, "title", required=False)
    minutes = forms.IntegerField(
        label=_("Minutes"), required=False, widget=forms.NumberInput(attrs={"min": 1, "step": 5})
    )
    description = forms.CharField(label=_("Description"), required=False, widget=textarea(4))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("DELETE"):
            return cleaned
        title, minutes = cleaned.get("title"), cleaned.get("minutes")
        if (title or cleaned.get("description")) and not title:
            self.add_error("title", _("Give this agenda item a title, or remove it."))
        if title and not minutes:
            self.add_error("minutes", _("Say how many minutes this item takes."))
        elif minutes is not None and not 1 <= minutes <= 480:
            self.add_error("minutes", _("An agenda item takes from 1 to 480 minutes."))
        return cleaned


class BaseAgendaFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove this item")

    def rows(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("title")
        ]

    def total_minutes(self) -> int:
        return sum(row.get("minutes") or 0 for row in self.rows())


AgendaFormSet = forms.formset_factory(
    AgendaItemForm, formset=BaseAgendaFormSet, extra=1, can_delete=True, max_num=20
)


class GroupSessionForm(GatheringForm):
    kind = _model_field(GroupSession, "kind", widget=forms.RadioSelect)
    # Not required: a form without the choice (one loaded before it existed) means everyone.
    audience = _model_field(GroupSession, "audience", widget=forms.RadioSelect, required=False)
    title = _model_field(GroupSession, "title")
    description = _model_field(GroupSession, "description", widget=textarea(3))
    rotation_note = _model_field(GroupSession, "rotation_note")

    field_order = ["kind", "audience", "title", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = GroupSession.Kind.choices
        self.fields["audience"].choices = [
            (value, label)
            for value, label in GroupSession.Audience.choices
            # Everyone in a peer program is a mentee: no session can be for mentors only.
            if not (
                self.program.format == Program.Format.PEER
                and value == GroupSession.Audience.MENTORS
            )
        ]
        self.helper = inner_helper(
            Layout(
                Fieldset(heading(_("What")), "kind", "audience", "title", "description"),
                Fieldset(
                    heading(_("When")),
                    Row(Column("date"), Column("start_time"), Column("duration_minutes")),
                ),
                Fieldset(heading(_("Where")), "location", "video_link", "rotation_note"),
                Fieldset(
                    heading(_("Open to members with families")),
                    "child_care",
                    "food",
                    "accessibility_notes",
                ),
            )
        )

    def clean_audience(self) -> str:
        return self.cleaned_data.get("audience") or GroupSession.Audience.EVERYONE

    def data_for_service(self) -> dict:
        return {f: self.cleaned_data[f] for f in services.GROUP_SESSION_FIELDS}


class AttendanceForm(CountedTextMixin, forms.Form):
    attendees = forms.ModelMultipleChoiceField(
        label=_("Who attended"),
        queryset=Participant.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["attendees"]
        field.queryset = participants
        field.label_from_instance = _attendee_label
        self.helper = inner_helper()

    def checkboxes(self) -> SafeString:
        """The boxes as crispy's checkbox list draws them (the same names, ids, labels and
        error block), built here in one pass over (id, name, role) rows: a program's
        hundreds of participants would otherwise each become two model instances and go
        through two widget templates and crispy's attribute loop."""
        bound = self["attendees"]
        errors = bound.errors
        checked = {str(value) for value in bound.value() or ()}
        name, auto_id = html_escape(bound.html_name), html_escape(bound.auto_id)
        invalid = " is-invalid" if errors else ""
        aria_invalid = ' aria-invalid="true"' if errors else ""
        roles = choice_labels(Participant.Role)
        rows = [
            f'<div class="form-check"><input type="checkbox" class="form-check-input{invalid}"'
            f' name="{name}" value="{pk}" id="{auto_id}_{index}"{aria_invalid}'
            f"{' checked' if str(pk) in checked else ''}> "
            f'<label for="{auto_id}_{index}" class="form-check-label">'
            f"{html_escape(f'{user_name} ({roles(role)})')}</label>"
            for index, (pk, user_name, role) in enumerate(
                self.fields["attendees"].queryset.values_list("pk", "user__name", "role")
            )
        ]
        if rows and errors:  # after the last box, inside its <div>, as crispy puts it
            rows[-1] += format_html(
                '<div id="{}_error" class="invalid-feedback">{}</div>',
                bound.auto_id,
                format_html_join(
                    "",
                    '<p id="error_{}_{}"><strong>{}</strong></p>',
                    ((n, bound.auto_id, e) for n, e in enumerate(errors, start=1)),
                ),
            )
        return mark_safe("".join(f"{row}</div>" for row in rows))  # every part escaped above


def _attendee_label(participant: Participant) -> str:
    return f"{participant.user.name} ({participant.get_role_display()})"


# --- Worksheet and goals -----------------------------------------------------------------------


class WorksheetForm(LoadedFormMixin, CountedTextMixin, forms.Form):
    """Appendix IV's nine sections; section 9 (contacts) comes from the profiles."""

    roles = _model_field(Worksheet, "roles", widget=textarea(3))
    purpose = _model_field(Worksheet, "purpose", widget=textarea(3))
    short_term_goals = _model_field(Worksheet, "short_term_goals", widget=textarea(4))
    long_term_goals = _model_field(Worksheet, "long_term_goals", widget=textarea(4))
    timeframe = _model_field(Worksheet, "timeframe", widget=textarea(3))
    starts_on = _model_field(
        Worksheet,
        "starts_on",
        widget=date_input(),
        error_messages={"required": _("Give the date your mentoring starts.")},
    )
    target_end_on = _model_field(
        Worksheet,
        "target_end_on",
        widget=date_input(),
        error_messages={"required": _("Set a target end date.")},
    )
    midpoint_on = _model_field(
        Worksheet,
        "midpoint_on",
        widget=date_input(),
        error_messages={
            "required": _("Set the date of your mid-point check-in: the worksheet asks for it now.")
        },
    )
    meeting_plan = _model_field(Worksheet, "meeting_plan", widget=textarea(3))
    contingency_plan = _model_field(Worksheet, "contingency_plan", widget=textarea(3))
    informal_interactions = _model_field(Worksheet, "informal_interactions", widget=textarea(3))
    feedback = _model_field(Worksheet, "feedback", widget=textarea(3))
    next_meeting_date = forms.DateField(
        label=_("Date of your next meeting"), required=False, widget=date_input()
    )
    next_meeting_time = forms.TimeField(
        label=_("Time of your next meeting"), required=False, widget=time_input()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inner_helper(Layout(*map(self._section_layout, WORKSHEET_SECTIONS)))

    @staticmethod
    def _section_layout(section) -> Fieldset:
        fields = {
            "next_meeting_at": [Row(Column("next_meeting_date"), Column("next_meeting_time"))],
            "starts_on": [Row(Column("starts_on"), Column("target_end_on"), Column("midpoint_on"))],
            "target_end_on": [],
            "midpoint_on": [],
        }
        parts = []
        if section.prompt:
            parts = [HTML(inert(format_html('<p class="form-text mt-0">{}</p>', section.prompt)))]
        if section.number == 9:
            parts = [HTML('{% include "sessions/_contacts.html" %}')]
        for name in section.fields:
            parts += fields.get(name, [name])
        return Fieldset(
            heading(f"{section.number}. {section.title}", id=f"section-{section.number}"),
            *parts,
            css_id=f"worksheet-section-{section.number}",
        )

    def clean(self):
        cleaned = super().clean()
        day, time = cleaned.get("next_meeting_date"), cleaned.get("next_meeting_time")
        if bool(day) != bool(time) and not {"next_meeting_date", "next_meeting_time"} & set(
            self.errors
        ):
            self.add_error(
                "next_meeting_time" if day else "next_meeting_date",
                _("Give both the date and the time of your next meeting, or neither."),
            )
        cleaned["next_meeting_at"] = (
            timezone.make_aware(datetime.datetime.combine(day, time)) if day and time else None
        )
        for field, messages in services.worksheet_problems(cleaned).items():
            if field not in self.errors:
                for message in messages:
                    self.add_error(field, message)
        return cleaned

    def data_for_service(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in Worksheet.EDITABLE_FIELDS}


def worksheet_initial(worksheet: Worksheet | None, match: Match) -> dict:
    if worksheet is None:
        started = match.started_at and timezone.localtime(match.started_at).date()
        return {"starts_on": started or match.program.starts_on}
    return worksheet_values(worksheet)


class AgreeForm(CountedTextMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inner_helper()


class GoalForm(CountedTextMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Goal.Status.choices)
    progress_notes = forms.CharField(label=_("Progress notes"), required=False, widget=textarea(2))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inner_helper()


# --- Meetings ------------------------------------------------------------------------------------


class MeetingForm(EventTimeForm):
    mode = forms.ChoiceField(
        label=_("How you meet"),
        choices=Meeting.Mode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose in person, phone or video.")},
    )
    location = _model_field(Meeting, "location")
    video_link = _model_field(Meeting, "video_link", assume_scheme="https")
    caller = forms.ChoiceField(
        label=_("Who calls whom"),
        choices=[("", _("Not a phone meeting")), *Meeting.Caller.choices],
        widget=forms.RadioSelect,
        required=False,
    )
    mentee_travel_minutes = forms.IntegerField(
        required=False, widget=forms.NumberInput(attrs={"min": 0, "max": 480, "step": 5})
    )
    mentor_travel_minutes = forms.IntegerField(
        required=False, widget=forms.NumberInput(attrs={"min": 0, "max": 480, "step": 5})
    )

    def __init__(self, *args, match: Match, **kwargs):
        self.match = match
        super().__init__(*args, **kwargs)
        self.fields["duration_minutes"].initial = 60
        # Each side's own trip, named (handbook IV: consider travel time when scheduling).
        for field, participant in (
            ("mentee_travel_minutes", match.mentee),
            ("mentor_travel_minutes", match.mentor),
        ):
            self.fields[field].label = _("Travel time for %(name)s (minutes, one way)") % {
                "name": participant.user.name
            }
            self.fields[field].help_text = _(
                "Optional, for a meeting in person: so the time leaves room for the trip."
            )
        self.helper = inner_helper(
            Layout(
                Row(Column("date"), Column("start_time"), Column("duration_minutes")),
                "mode",
                "location",
                Row(Column("mentee_travel_minutes"), Column("mentor_travel_minutes")),
                "video_link",
                "caller",
            )
        )

    def clean(self):
        cleaned = super().clean()
        problems = services.meeting_problems(match=self.match, data=cleaned)
        self.add_problems({f: m for f, m in problems.items() if f not in self.errors})
        return cleaned

    def data_for_service(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in services.MEETING_FIELDS}


def meeting_initial(meeting: Meeting) -> dict:
    return {
        **event_initial(meeting),
        **{
            f: getattr(meeting, f)
            for f in ("mode", "location", "video_link", "caller", *services.TRAVEL_FIELDS)
        },
    }


class CancelForm(CountedTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the meeting cancelled?"),
        widget=textarea(3),
        max_length=1000,
        help_text=_("Both of you receive it with the cancellation."),
        error_messages={"required": _("Give a reason for cancelling.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inner_helper()


class GroupSessionCancelForm(CancelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reason = self.fields["reason"]
        reason.label = _("Why is the session cancelled?")
        reason.help_text = _("Everyone invited receives it with the cancellation.")


class PreparationForm(LoadedFormMixin, CountedTextMixin, forms.Form):
    """Appendix VI, for the mentee before each session."""

    tried = _model_field(Preparation, "tried", widget=textarea(3))
    want = _model_field(Preparation, "want", widget=textarea(2))
    challenges = _model_field(Preparation, "challenges", widget=textarea(2))
    goal_area = _model_field(Preparation, "goal_area", widget=textarea(2))
    questions = _model_field(Preparation, "questions", widget=textarea(2))
    requests = _model_field(Preparation, "requests", widget=textarea(2))
    action = _model_field(Preparation, "action", widget=textarea(3))
    follow_up = _model_field(Preparation, "follow_up", widget=textarea(3))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inner_helper(
            Layout(
                "tried",
                Fieldset(
                    inert(format_html('<span class="fs-6">{}</span>', self.fields["want"].label)),
                    "want",
                    "challenges",
                    "goal_area",
                    "questions",
                    "requests",
                    css_class="border rounded px-3 pt-2 mb-3",
                ),
                "action",
                "follow_up",
            )
        )
        self.fields["want"].label = _("In a few words")

    def clean(self):
        cleaned = super().clean()
        if not any((cleaned.get(f) or "").strip() for f in Preparation.QUESTIONS):
            raise forms.ValidationError(_("Answer at least one question to save your preparation."))
        return cleaned


class RecordForm(LoadedFormMixin, CountedTextMixin, forms.Form):
    """Appendix V, for the mentor after each session; laid out by the template."""

    update = _model_field(SessionRecord, "update", widget=textarea(4))
    checkin = _model_field(SessionRecord, "checkin", widget=textarea(3))
    focus = _model_field(SessionRecord, "focus", widget=textarea(3))
    requests_offers = _model_field(SessionRecord, "requests_offers", widget=textarea(3))
    actions_agreements = _model_field(SessionRecord, "actions_agreements", widget=textarea(3))
    next_logistics = _model_field(SessionRecord, "next_logistics", widget=textarea(2))
    lost_time_hours = _model_field(
        SessionRecord,
        "lost_time_hours",
        widget=forms.NumberInput(attrs={"step": "0.25", "min": 0, "max": 24}),
        error_messages={
            "min_value": _("Lost-time hours cannot be negative."),
            "max_value": _("Lost-time hours are at most 24 for one meeting."),
        },
    )

    def __init__(self, *args, on_lost_time: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not on_lost_time:
            del self.fields["lost_time_hours"]
        self.fields["checkin"].label = _("Notes on the check-in")
        self.fields["actions_agreements"].label = _("Notes on the agreements")
        self.helper = inner_helper()

    def clean(self):
        cleaned = super().clean()
        if not any((cleaned.get(f) or "").strip() for f in SessionRecord.QUESTIONS):
            raise forms.ValidationError(_("Write at least one section to save the record."))
        return cleaned


class CheckinForm(CountedTextMixin, forms.Form):
    """Section 2: where an action from an earlier session stands now."""

    status = forms.ChoiceField(choices=ActionItem.Status.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, action: ActionItem, **kwargs):
        self.action = action
        kwargs.setdefault("prefix", f"checkin-{action.pk}")
        kwargs.setdefault("initial", {"status": action.status, "note": action.status_note})
        super().__init__(*args, **kwargs)
        self.fields["status"].label = _("Status")
        self.helper = inner_helper()


class ActionForm(CountedTextMixin, forms.Form):
    """Section 5: one action either of them agrees to take before the next session."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    owner = forms.ChoiceField(label=_("Who"), required=False)
    description = forms.CharField(
        label=_("Action"), required=False, max_length=ActionItem.DESCRIPTION_MAX
    )
    due_on = forms.DateField(label=_("Due"), required=False, widget=date_input())
    stretch = _model_field(ActionItem, "stretch")

    def __init__(self, *args, meeting: Meeting, **kwargs):
        self.meeting = meeting
        super().__init__(*args, **kwargs)
        match = meeting.match
        self.fields["owner"].choices = [
            ("", "—"),
            (Side.MENTEE, f"{match.mentee.user.name} ({Side.MENTEE.label})"),
            (Side.MENTOR, f"{match.mentor.user.name} ({Side.MENTOR.label})"),
        ]
        self.helper = inner_helper(
            Layout(
                "id",
                "description",
                Row(Column("owner"), Column("due_on")),
                "stretch",
                "DELETE",
            )
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("DELETE") or not (cleaned.get("description") or "").strip():
            return cleaned
        if not cleaned.get("owner"):
            self.add_error("owner", _("Say who will take this action."))
        if not cleaned.get("due_on") and "due_on" not in self.errors:
            self.add_error("due_on", _("Give the date this action is due."))
        problems = services.action_problems(meeting=self.meeting, due_on=cleaned.get("due_on"))
        for field, messages in problems.items():
            for message in messages:
                self.add_error(field, message)
        return cleaned


class BaseActionFormSet(forms.BaseFormSet):
    def __init__(self, *args, meeting: Meeting, **kwargs):
        self.meeting = meeting
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "meeting": self.meeting}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove this action")

    def rows(self) -> list[dict]:
        return [
            {**form.cleaned_data, "delete": form.cleaned_data.get("DELETE", False)}
            for form in self.forms
            if form.cleaned_data
        ]


ActionFormSet = forms.formset_factory(
    ActionForm, formset=BaseActionFormSet, extra=2, can_delete=True, max_num=30
)


def action_initial(action: ActionItem) -> dict:
    return {
        "id": action.pk,
        "owner": action.owner,
        "description": action.description,
        "due_on": action.due_on,
        "stretch": action.stretch,
    }


class ActionStatusForm(CountedTextMixin, forms.Form):
    status = forms.ChoiceField(choices=ActionItem.Status.choices)
    note = forms.CharField(required=False, max_length=500)


class FitCheckForm(CountedTextMixin, forms.Form):
    """One question about the match, answered privately to the coordinators."""

    answer = forms.ChoiceField(
        label=_("How is the match going?"),
        choices=FitCheck.Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the match is going.")},
    )
    note = forms.CharField(
        label=_("Anything the coordinators should know? (optional)"),
        help_text=_("Only the program's coordinators read it."),
        required=False,
        max_length=FitCheck.NOTE_MAX,
        widget=textarea(4),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inner_helper()
