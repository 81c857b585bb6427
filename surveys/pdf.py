"""Appendix I (mentee survey) and Appendix II (mentor survey) on paper, blank or filled."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import ProfileForm
from accounts.models import Profile
from accounts.selectors import profile_of
from core.printing import Paper, PrintableForm, section
from matching.forms import GENERAL_KINDS, MenteePreferencesForm

from .forms import SurveyAnswersForm
from .questions import TITLES, questions_for

SOURCES = {
    "mentee": _("Appendix I of The Next Generation: A Handbook for Mentoring Future Union Leaders"),
    "mentor": _(
        "Appendix II of The Next Generation: A Handbook for Mentoring Future Union Leaders"
    ),
}
INTRO = _("For distribution prior to program participation.")


class Name(forms.Form):
    name = forms.CharField(label=_("Name"))
    email = forms.CharField(label=_("E-mail address"))


# The appendices' two blocks, in their order; the answers live on the member's profile.
GENERAL = ("phone", "contact_email")
PERSONAL = (
    "gender",
    "gender_self_described",
    "date_of_birth",
    "race_ethnicity",
    "race_ethnicity_self_described",
    "languages",
    "local_union",
    "union_role",
    "region",
)


def _only(form: forms.Form, names) -> forms.Form:
    form.fields = {name: form.fields[name] for name in names if name in form.fields}
    return form


# Why the demographic questions are asked and that they are optional: the online survey's own
# words (templates/accounts/_demographics_notice.html, the same message), so paper and screen
# give one reason (a test compares them).
DEMOGRAPHICS_NOTE = _(
    "Why we ask: gender, date of birth and race or ethnicity help us check that the program "
    "reaches members who are under-represented in our union's leadership. Every question is "
    "optional and has a “prefer not to say” answer. Your answers are seen only by the "
    "coordinators of your programs, are never shown to your mentor, your mentee or other "
    "members, and appear elsewhere only as totals. Each time a coordinator views them, it is "
    "recorded, and you can see it on your profile."
)


# A mentee's wishes about their mentor (online: "My matching preferences"), on the blank
# survey only: a filled copy may be a partner's, who must never learn what was asked for.
WISHES_NOTE = _(
    "Optional: tick nothing on a line for no preference. A “must” is always respected, but "
    "too many of them may leave you without a mentor. Only the program’s coordinators see "
    "these wishes; your mentor is never told what you asked for."
)


def wishes_section():
    form = MenteePreferencesForm(mentors=[])
    return section(
        _("What matters to you in a mentor?"),
        _only(form, [f"pref_{kind.value}" for kind in GENERAL_KINDS]),
        intro=WISHES_NOTE,
    )


def survey_sections(
    role: str, *, values: dict | None = None, demographics: bool = True, wishes: bool = False
):
    name = Name()
    name.fields.update(_only(ProfileForm(), GENERAL).fields)
    personal = [n for n in PERSONAL if demographics or n not in Profile.DEMOGRAPHIC_FIELDS]
    return [
        section(_("General information"), name, values=values),
        section(
            _("Personal information"),
            _only(ProfileForm(), personal),
            values=values,
            lines=1,
            # Only where the demographic questions are printed (not on a partner's copy).
            intro=DEMOGRAPHICS_NOTE if demographics else "",
        ),
        section(
            _("Your answers"),
            SurveyAnswersForm(questions=questions_for(role)),
            values=values,
            lines=4,
        ),
        *([wishes_section()] if wishes and role == "mentee" else []),
    ]


def filled_survey_paper(survey_or_none, participant, details, *, record_url: str) -> Paper:
    """A participant's survey as the viewer may see it (demographics only if allowed)."""
    values = {"name": details.name, "email": details.email}
    profile = profile_of(participant.user)
    values.update({name: getattr(profile, name) for name in Profile.CONTACT_FIELDS})
    # Demographics only as the viewer was given them, through the logged accessor.
    values.update(details.demographic_values)
    values["languages"] = ", ".join(profile.languages)
    if survey_or_none is not None:
        values.update(survey_or_none.answers)
    return Paper(
        title=str(TITLES[participant.role]),
        source=str(SOURCES[participant.role]),
        sections=survey_sections(
            participant.role, values=values, demographics=details.demographics is not None
        ),
        program=participant.program,
        values=values,
        record_code=f"S-{participant.pk:06d}",
        record_url=record_url,
    )


PRINTABLE_FORMS = [
    PrintableForm(
        key=f"{role}-survey",
        title=TITLES[role],
        source=SOURCES[role],
        intro=INTRO,
        sections=lambda role=role: survey_sections(role, wishes=True),
    )
    for role in ("mentee", "mentor")
]


def record_target(pk: int) -> str | None:
    """Where an S- record code leads: the survey page (its own access rules apply)."""
    from django.urls import reverse

    from programs.models import Participant

    participant = Participant.objects.select_related("program").filter(pk=pk).first()
    if participant is None:
        return None
    return reverse("surveys:detail", args=[participant.program.slug, participant.pk])
