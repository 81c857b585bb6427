from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, validate_email
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.concurrency import LoadedFormMixin
from core.forms import CountedTextMixin, date_input, inner_helper
from core.layout import heading, inert

from . import services
from .models import Participant, Phase, Program, SuccessMeasure


class ParticipantFilterForm(CountedTextMixin, forms.Form):
    q = forms.CharField(label=_("Search by name or e-mail"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("All roles")), *Participant.Role.choices],
    )


# --- Program set-up ---------------------------------------------------------------------
# Validation only: the set-up views save through `programs.services`, never form.save().


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class ProgramForm(LoadedFormMixin, CountedTextMixin, forms.ModelForm):
    """A program's set-up; its phases come in `PhaseFormSet` alongside."""

    success_measures = forms.CharField(
        label=_("Success measures, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "How the program will judge its success, e.g. “Participants who worked on a "
            "political campaign”. At most 200 characters each."
        ),
    )
    coordinator_emails = forms.CharField(
        label=_("Coordinators’ e-mail addresses, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
    )

    class Meta:
        model = Program
        fields = services.SETUP_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "goals": forms.Textarea(attrs={"rows": 4}),
            "privacy_notice": forms.Textarea(attrs={"rows": 6}),
            "starts_on": date_input(),
            "ends_on": date_input(),
            "applications_open_on": date_input(),
            "applications_close_on": date_input(),
            "formality": forms.RadioSelect,
        }
        error_messages = {"slug": {"unique": services.SLUG_TAKEN}}

    def __init__(self, *args, creating: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].validators += [MinValueValidator(2000), MaxValueValidator(2100)]
        # Has a sensible default; a form sent without it keeps the program's choice.
        self.fields["paper_size"].required = False
        self.fields["formality"].required = False
        self.fields["year"].widget.attrs.update({"min": 2000, "max": 2100})
        self.fields["coordinator_emails"].help_text = (
            _(
                "You are a coordinator of a program you create. Each address here is sent an "
                "invitation, and its owner becomes a coordinator only by accepting it."
            )
            if creating
            else _(
                "Remove an address to remove that coordinator; remove your own to step down "
                "(another coordinator must remain). A new address is sent an invitation, and "
                "its owner becomes a coordinator only by accepting it."
            )
        )
        self.helper = inner_helper(
            Layout(
                Fieldset(
                    heading(_("About")),
                    "name",
                    Row(Column("slug"), Column("year")),
                    "description",
                    "goals",
                ),
                Fieldset(
                    heading(_("Format and mentors")),
                    Row(Column("format"), Column("delivery")),
                    "formality",
                    Fieldset(
                        inert(
                            format_html('<span class="fs-6">{}</span>', _("Mentors may come from"))
                        ),
                        "internal_mentors",
                        "external_mentors",
                    ),
                    "time_commitment",
                ),
                Fieldset(
                    heading(_("Dates")),
                    Row(Column("starts_on"), Column("ends_on")),
                    Row(Column("applications_open_on"), Column("applications_close_on")),
                ),
                Fieldset(
                    heading(_("Targets")), Row(Column("target_mentees"), Column("target_mentors"))
                ),
                # The phases are a formset of their own, rendered in place between the sections.
                HTML('{% include "programs/_phases_formset.html" %}'),
                Fieldset(heading(_("Success measures")), "success_measures"),
                Fieldset(
                    heading(_("Coordinators")),
                    "coordinator_emails",
                    # Invitations waiting for an answer, each with a link to withdraw it.
                    HTML('{% include "programs/_pending_invitations.html" %}'),
                ),
                Fieldset(heading(_("Privacy notice")), "privacy_notice"),
                Fieldset(heading(_("Printed forms")), "paper_size"),
            )
        )

    def clean_paper_size(self) -> str:
        return self.cleaned_data["paper_size"] or self.instance.paper_size

    def clean_formality(self) -> str:
        return self.cleaned_data["formality"] or self.instance.formality

    def clean_success_measures(self) -> list[str]:
        limit = SuccessMeasure._meta.get_field("label").max_length
        labels = _lines(self.cleaned_data["success_measures"])
        too_long = [
            ValidationError(
                _(
                    "“%(start)s…” has %(length)d characters; a success measure can have at "
                    "most %(limit)d."
                ),
                code="too_long",
                params={"start": label[:40], "length": len(label), "limit": limit},
            )
            for label in labels
            if len(label) > limit
        ]
        if too_long:
            raise ValidationError(too_long)
        return labels

    def clean_coordinator_emails(self) -> list[str]:
        emails = _lines(self.cleaned_data["coordinator_emails"])
        errors, addresses = [], []
        for email in emails:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(
                    ValidationError(
                        _("“%(value)s” is not an e-mail address."),
                        code="invalid",
                        params={"value": email},
                    )
                )
            else:
                addresses.append(email)
        if errors:
            raise ValidationError(errors)
        return list(dict.fromkeys(email.lower() for email in addresses))

    def clean(self):
        cleaned = super().clean()
        problems = services.setup_problems(
            slug=cleaned.get("slug"),
            starts_on=cleaned.get("starts_on"),
            ends_on=cleaned.get("ends_on"),
            applications_open_on=cleaned.get("applications_open_on"),
            applications_close_on=cleaned.get("applications_close_on"),
            internal_mentors=cleaned.get("internal_mentors", False),
            external_mentors=cleaned.get("external_mentors", False),
        )
        for field, errors in problems.items():
            for error in errors:
                self.add_error(field, error)
        return cleaned

    def setup_data(self) -> dict:
        """The cleaned set-up fields, as `services.program_create/update` take them."""
        return {field: self.cleaned_data[field] for field in services.SETUP_FIELDS}


class PhaseForm(CountedTextMixin, forms.ModelForm):
    """One phase of the program, e.g. Part One training or Part Two practical experience."""

    # Which saved phase this row edits, so the phase keeps its identity.
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    # Set by the formset once the program's own dates are known.
    program_dates: tuple = (None, None)

    class Meta:
        model = Phase
        fields = services.PHASE_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "starts_on": date_input(),
            "ends_on": date_input(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inner_helper()
        self.helper.layout = Layout(
            "id",
            "name",
            "description",
            Row(Column("starts_on"), Column("ends_on")),
            "lost_time",
            "DELETE",
        )

    def clean(self):
        cleaned = super().clean()
        program_starts, program_ends = self.program_dates
        problems = services.phase_problems(
            starts_on=cleaned.get("starts_on"),
            ends_on=cleaned.get("ends_on"),
            program_starts=program_starts,
            program_ends=program_ends,
        )
        for field, errors in problems.items():
            for error in errors:
                self.add_error(field, error)
        return cleaned


class BasePhaseFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove this phase")

    def set_program_dates(self, starts_on, ends_on) -> None:
        """Check every phase against these program dates; call before validating."""
        for form in self.forms:
            form.program_dates = (starts_on, ends_on)

    def phases(self) -> list[dict]:
        """The phases to keep, in order, as `services` take them; after validation."""
        return [
            {field: form.cleaned_data.get(field) for field in ("id", *services.PHASE_FIELDS)}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


PhaseFormSet = forms.formset_factory(
    PhaseForm, formset=BasePhaseFormSet, extra=2, can_delete=True, max_num=20, validate_max=True
)


def phase_initial(program: Program) -> list[dict]:
    """A saved program's phases as the formset's initial rows."""
    return [
        {"id": phase.pk, **{field: getattr(phase, field) for field in services.PHASE_FIELDS}}
        for phase in program.phases.all()
    ]
