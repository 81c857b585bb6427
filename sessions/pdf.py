"""Appendices III to VI on paper: the orientation agenda, the planning worksheet, and each
session's structure (mentor) and preparation (mentee), blank or filled.

The wording comes from `appendices.py`, the forms and the models, as on screen.
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.dates import format_date
from core.printing import Paper, PrintableForm, section, signature_rows, table_row

from .appendices import (
    DEFAULT_DURATION_MINUTES,
    GOALS,
    WORKSHEET_INTRO,
    WORKSHEET_SECTIONS,
    default_agenda,
)
from .forms import PreparationForm, RecordForm, WorksheetForm, worksheet_initial
from .models import Preparation, SessionRecord, Side

SOURCES = {
    "agenda": _(
        "Appendix III of The Next Generation: A Handbook for Mentoring Future Union Leaders"
    ),
    "worksheet": _(
        "Appendix IV of The Next Generation: A Handbook for Mentoring Future Union Leaders"
    ),
    "record": _("Appendix V of The Next Generation: A Handbook for Mentoring Future Union Leaders"),
    "preparation": _(
        "Appendix VI of The Next Generation: A Handbook for Mentoring Future Union Leaders"
    ),
}
# The form fields that stand for a worksheet section's model field on screen.
WORKSHEET_FORM_FIELDS = {"next_meeting_at": ("next_meeting_date", "next_meeting_time")}


def _only(form: forms.Form, names) -> forms.Form:
    """A bare form holding only these fields of `form` (which stays whole for the next part)."""
    part = forms.Form()
    part.fields = {name: form.fields[name] for name in names}
    return part


def _bullets(text: str) -> str:
    """The appendix's "- " lines as bullet points."""
    return "\n".join(
        f"• {line[2:]}" if line.startswith("- ") else line for line in str(text).splitlines()
    )


# --- Appendix III --------------------------------------------------------------------------


def agenda_sections():
    agenda = default_agenda()
    total = sum(item["minutes"] for item in agenda)
    return [
        section(
            _("Goals and objectives of the orientation session"),
            intro="\n".join(f"{n}. {goal}" for n, goal in enumerate(GOALS, 1)),
        ),
        section(
            _("Agenda"),
            extra=[
                table_row(
                    (_("Minutes"), _("Agenda item"), _("Description")),
                    [
                        (item["minutes"], item["title"], _bullets(item["description"]))
                        for item in agenda
                    ],
                    footer=(
                        total,
                        _("Total"),
                        _("%(hours)s hours") % {"hours": DEFAULT_DURATION_MINUTES // 60},
                    ),
                    widths=(11, 23, 66),
                )
            ],
        ),
    ]


# --- Appendix IV --------------------------------------------------------------------------


def contacts_table(contacts: list[dict] | None = None):
    """Section 9: name, phone and e-mail of each of them, to fill in or from their profiles."""
    people = contacts or [{"side": Side.MENTEE.label}, {"side": Side.MENTOR.label}]
    return table_row(
        ("", *(person["side"] for person in people)),
        [
            (label, *(person.get(key, "") for person in people))
            for key, label in (
                ("name", _("Name")),
                ("phone", _("Phone(s)")),
                ("email", _("E-mail")),
            )
        ],
    )


def agreement_section(people=None):
    """The pair's "we agree", with lines for each to sign and date."""
    people = people or [(Side.MENTEE.label, "", ""), (Side.MENTOR.label, "", "")]
    return section(
        _("Our agreement"),
        intro=_("We agree to the plan we have written in this worksheet."),
        extra=signature_rows(people),
    )


def worksheet_sections(
    *,
    values: dict | None = None,
    contacts: list[dict] | None = None,
    signers: list[tuple] | None = None,
):
    # One form for the nine sections: building it lays out its screen helper, which costs
    # more than printing a section.
    form = WorksheetForm()
    sections = []
    for part in WORKSHEET_SECTIONS:
        names = [n for f in part.fields for n in WORKSHEET_FORM_FIELDS.get(f, (f,))]
        sections.append(
            section(
                f"{part.number}. {part.title}",
                _only(form, names) if names else None,
                values=values,
                intro=part.prompt,
                extra=[] if names else [contacts_table(contacts)],
            )
        )
    sections.append(agreement_section(signers))
    return sections


def filled_worksheet_paper(worksheet, contacts: list[dict], *, record_url: str) -> Paper:
    values = worksheet_initial(worksheet, worksheet.match)
    # Each side's name; the date they agreed online, if they have (a change clears it).
    signers = [
        (
            person["side"],
            person.get("name", ""),
            format_date(worksheet.agreed_at(side)) if worksheet.agreed_at(side) else "",
        )
        for side, person in zip((Side.MENTEE, Side.MENTOR), contacts, strict=False)
    ]
    return Paper(
        title=str(WORKSHEET_TITLE),
        source=str(SOURCES["worksheet"]),
        intro=str(WORKSHEET_INTRO),
        sections=worksheet_sections(values=values, contacts=contacts, signers=signers),
        program=worksheet.match.program,
        values=values,
        record_code=f"W-{worksheet.pk:06d}",
        record_url=record_url,
    )


# --- Appendices V and VI ------------------------------------------------------------------


def _with_model_labels(form: forms.Form, model) -> forms.Form:
    # The screen shortens some labels beside its own headings; paper asks the whole question.
    for name, field in form.fields.items():
        if not field.widget.is_hidden:
            field.label = capfirst(model._meta.get_field(name).verbose_name)
    return form


def record_sections(*, values: dict | None = None, lost_time: bool = False, actions=()):
    form = _with_model_labels(RecordForm(on_lost_time=lost_time), SessionRecord)
    extra = []
    if actions:
        extra = [
            table_row(
                (_("Action"), _("Who"), _("Due"), _("Stretch assignment")),
                [
                    (
                        a.description,
                        a.get_owner_display(),
                        format_date(a.due_on),
                        _("Yes") if a.stretch else "",
                    )
                    for a in actions
                ],
                widths=(48, 16, 18, 18),
            )
        ]
    return [section("", form, values=values, extra=extra)]


def preparation_sections(*, values: dict | None = None):
    return [section("", _with_model_labels(PreparationForm(), Preparation), values=values)]


def _meeting_subtitle(meeting) -> str:
    when = format_date(meeting.starts_at, "DATETIME_FORMAT")
    return f"{meeting.match.mentee.user.name} – {meeting.match.mentor.user.name}, {when}"


def filled_record_paper(record, *, record_url: str) -> Paper:
    meeting = record.meeting
    values = {name: getattr(record, name) for name in RecordForm.base_fields}
    lost_time = record.lost_time_hours is not None
    return Paper(
        title=str(RECORD_TITLE),
        source=str(SOURCES["record"]),
        intro=_meeting_subtitle(meeting),
        sections=record_sections(
            values=values, lost_time=lost_time, actions=list(record.actions.all())
        ),
        program=meeting.match.program,
        values=values,
        record_code=f"R-{meeting.pk:06d}",
        record_url=record_url,
    )


def filled_preparation_paper(preparation, *, record_url: str) -> Paper:
    meeting = preparation.meeting
    values = {name: getattr(preparation, name) for name in Preparation.QUESTIONS}
    return Paper(
        title=str(PREPARATION_TITLE),
        source=str(SOURCES["preparation"]),
        intro=_meeting_subtitle(meeting),
        sections=preparation_sections(values=values),
        program=meeting.match.program,
        values=values,
        record_code=f"P-{meeting.pk:06d}",
        record_url=record_url,
    )


AGENDA_TITLE = _("Sample Agenda for Orientation Session (2 hours)")
WORKSHEET_TITLE = _("Worksheet for Planning the Mentoring Relationship")
RECORD_TITLE = _("Session Structure for Mentor")
PREPARATION_TITLE = _("Session Preparation for Mentee")

PRINTABLE_FORMS = [
    PrintableForm(
        key="orientation-agenda",
        title=AGENDA_TITLE,
        source=SOURCES["agenda"],
        sections=agenda_sections,
    ),
    PrintableForm(
        key="planning-worksheet",
        title=WORKSHEET_TITLE,
        source=SOURCES["worksheet"],
        intro=WORKSHEET_INTRO,
        sections=worksheet_sections,
    ),
    PrintableForm(
        key="session-structure",
        title=RECORD_TITLE,
        source=SOURCES["record"],
        intro=_("Mentor, use the following session structure to help guide your session."),
        sections=record_sections,
    ),
    PrintableForm(
        key="session-preparation",
        title=PREPARATION_TITLE,
        source=SOURCES["preparation"],
        # Appendix VI's instructions, with its suggestion to e-mail the mentor beforehand.
        intro=_(
            "Mentee, prior to each session, please prepare for the session by giving advance "
            "thought to the following questions. Consider e-mailing an update to your mentor "
            "prior to your meeting. This will help focus the mentoring session."
        ),
        sections=preparation_sections,
    ),
]


def worksheet_target(pk: int) -> str | None:
    """Where a W- record code leads: the pair's worksheet page (its own access rules apply)."""
    from django.urls import reverse

    from .models import Worksheet

    worksheet = Worksheet.objects.select_related("match__program").filter(pk=pk).first()
    if worksheet is None:
        return None
    return reverse("sessions:worksheet", args=[worksheet.match.program.slug, worksheet.match_id])


def meeting_target(pk: int) -> str | None:
    """Where an R- or P- record code leads: the meeting's page."""
    from .models import Meeting

    meeting = Meeting.objects.select_related("match__program").filter(pk=pk).first()
    return meeting.get_absolute_url() if meeting else None
