from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.concurrency import LoadedFormMixin
from core.forms import CountedTextMixin, needed_to_submit
from programs.models import Participant

from .models import Application, Nomination

REQUIRED_TO_SUBMIT = (
    "essay",
    "goals",
    "union_role",
    "local_unit",
    "experience",
    "availability",
    "preferred_delivery",
)


class ApplicationForm(LoadedFormMixin, CountedTextMixin, forms.ModelForm):
    """The application; nothing is required for a draft, the core answers to submit."""

    availability = forms.MultipleChoiceField(
        label=_("When are you available?"),
        choices=Application.Availability.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    privacy_consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree to it."), required=False
    )

    class Meta:
        model = Application
        fields = list(Application.ANSWER_FIELDS)
        labels = {
            "essay": _("Why do you want to take part, and what do you expect from the program?"),
            "goals": _("What goals would you like to work on?"),
            "union_role": _("What is your role in the union today?"),
            "local_unit": _("Your local and unit"),
            "experience": _("How long have you been active in the union?"),
            "preferred_delivery": _("How would you prefer to meet?"),
            "lost_time_release": _(
                "Is your employer likely to release you (lost time) for Part Two's practical work?"
            ),
        }
        help_texts = {
            "union_role": _(
                "For example: member, steward, health and safety rep, committee member."
            ),
            "local_unit": _("For example: Local 2009, Unit 12."),
        }
        widgets = {
            "essay": forms.Textarea(attrs={"rows": 6}),
            "goals": forms.Textarea(attrs={"rows": 4}),
            "experience": forms.RadioSelect,
            "preferred_delivery": forms.RadioSelect,
            "lost_time_release": forms.RadioSelect,
        }

    def __init__(self, *args, submitting: bool = False, **kwargs):
        self.submitting = submitting
        super().__init__(*args, **kwargs)
        # RadioSelect on a blank-allowed field would offer an empty "---------" choice.
        for name in ("experience", "preferred_delivery", "lost_time_release"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0]]
        for name in (*REQUIRED_TO_SUBMIT, "privacy_consent"):
            needed_to_submit(self.fields[name])

    def clean(self):
        cleaned = super().clean()
        if self.submitting:
            for name in REQUIRED_TO_SUBMIT:
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("This answer is needed to submit your application."))
            if not cleaned.get("privacy_consent"):
                self.add_error(
                    "privacy_consent", _("Please agree to the privacy notice to submit.")
                )
        return cleaned

    def application_answers(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class PaperApplicantForm(CountedTextMixin, forms.Form):
    """Who handed in a paper application: a member's address, or a new member's name too."""

    email = forms.EmailField(
        label=_("Applicant's e-mail address"),
        max_length=254,
        help_text=_(
            "As written on the paper form. If a member has an account with this address, the "
            "application is added to it; otherwise an account is made for them."
        ),
        error_messages={"required": _("Give the e-mail address written on the form.")},
    )
    name = forms.CharField(
        label=_("Applicant's full name"),
        max_length=150,
        required=False,
        help_text=_("Needed only for someone without an account yet."),
    )
    language = forms.ChoiceField(
        label=_("Language of their e-mails"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        widget=forms.RadioSelect,
        help_text=_("For a new account; a member's own choice is kept."),
    )
    role = forms.ChoiceField(
        label=_("Applying as"),
        choices=Participant.Role.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose mentee or mentor, as ticked on the form.")},
    )


class PaperApplicationForm(ApplicationForm):
    """The same application form, typed in by a coordinator from the paper copy: the same
    answers are needed, with messages that speak to the coordinator."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, submitting=False, **kwargs)
        self.fields["privacy_consent"].label = _(
            "The applicant ticked “I have read the privacy notice and agree to it” on the "
            "paper form."
        )

    def clean(self):
        cleaned = super().clean()
        for name in REQUIRED_TO_SUBMIT:
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(
                    name,
                    _("This answer is needed: ask the applicant if the paper leaves it blank."),
                )
        if not cleaned.get("privacy_consent"):
            self.add_error(
                "privacy_consent",
                _(
                    "Tick this only if the applicant ticked it on paper: nothing is saved "
                    "without it."
                ),
            )
        return cleaned


class NominationForm(CountedTextMixin, forms.ModelForm):
    class Meta:
        model = Nomination
        fields = ["nominee_name", "nominee_email", "role", "reason"]
        labels = {
            "nominee_name": _("Their name"),
            "nominee_email": _("Their e-mail address"),
            "role": _("Nominate them as"),
            "reason": _("Why are you nominating them?"),
        }
        help_texts = {
            "nominee_email": _(
                "We send them an invitation to apply. Nothing else is shared with them."
            ),
            "reason": _("Only the program's coordinators see this."),
        }
        widgets = {"reason": forms.Textarea(attrs={"rows": 4}), "role": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = Participant.Role.choices


class DecisionForm(CountedTextMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("waitlist", _("Wait-list")), ("decline", _("Decline"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the applicant (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Included in the e-mail that tells them the decision."),
    )


class ReviewFilterForm(CountedTextMixin, forms.Form):
    q = forms.CharField(label=_("Search by name or e-mail"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses"))]
        + [c for c in Application.Status.choices if c[0] != Application.Status.DRAFT],
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Participant.Role.choices]
    )
    local = forms.ChoiceField(label=_("Local and unit"), required=False)

    def __init__(self, *args, locals_: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["local"].choices = [("", _("All locals"))] + [(name, name) for name in locals_]


# --- Bulk decisions (the review list's action bar and its confirmation page) ---------------


class IdListField(forms.Field):
    """A list of ids posted as repeated fields (`ids=3&ids=7`), each a positive whole number."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": _("The selection was not understood. Please select the applications again."),
        "too_many": _("Select at most %(max)d applications at once."),
    }

    def __init__(self, *, max_count: int, **kwargs):
        self.max_count = max_count
        super().__init__(**kwargs)

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        try:
            ids = [int(v) for v in value]
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if any(pk <= 0 for pk in ids):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        ids = list(dict.fromkeys(ids))
        if len(ids) > self.max_count:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": self.max_count}
            )
        return ids


class BulkDecisionForm(CountedTextMixin, forms.Form):
    """What the action bar posts: the ticked applications and one decision for them all."""

    MAX_SELECTED = 200

    ids = IdListField(
        max_count=MAX_SELECTED,
        error_messages={"required": _("Select at least one application first.")},
    )
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("waitlist", _("Wait-list")), ("decline", _("Decline"))]
    )
    confirmed = forms.BooleanField(required=False)
