"""Validation only: the views save through `evaluation.services`."""

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.layout import Field, Fieldset, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from core.concurrency import LoadedFormMixin
from core.forms import CountedTextMixin, date_input, inner_helper, textarea
from core.layout import inert
from programs.models import Participant, SuccessMeasure

from . import questions
from .models import Answer, Feedback, LaterRole, Testimonial
from .services import FEEDBACK_REQUIRED


class FeedbackForm(LoadedFormMixin, CountedTextMixin, forms.Form):
    """Appendix VII; nothing is required for a draft, every answer to submit."""

    worked_well = forms.CharField(
        label=Feedback._meta.get_field("worked_well").verbose_name,
        required=False,
        max_length=questions.FEEDBACK_MAX,
        widget=textarea(4),
    )
    learned = forms.CharField(
        label=Feedback._meta.get_field("learned").verbose_name,
        required=False,
        max_length=questions.FEEDBACK_MAX,
        widget=textarea(4),
    )
    did_not_work = forms.CharField(
        label=Feedback._meta.get_field("did_not_work").verbose_name,
        required=False,
        max_length=questions.FEEDBACK_MAX,
        widget=textarea(4),
    )
    partner_so_far = forms.CharField(
        required=False, max_length=questions.FEEDBACK_MAX, widget=textarea(4)
    )
    partner_going_forward = forms.CharField(
        required=False, max_length=questions.FEEDBACK_MAX, widget=textarea(4)
    )
    whats_next = forms.ChoiceField(
        label=questions.WHATS_NEXT_INTRO,
        choices=Feedback.NextStep.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    whats_next_other = forms.CharField(
        label=_("If other, what would you like?"),
        required=False,
        max_length=Feedback._meta.get_field("whats_next_other").max_length,
    )

    def __init__(self, *args, by_mentor: bool, submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.submitting = submitting
        heading, so_far, going_forward = questions.partner_prompts(by_mentor=by_mentor)
        self.fields["partner_so_far"].label = so_far
        self.fields["partner_going_forward"].label = going_forward
        for name in FEEDBACK_REQUIRED:
            self.fields[name].widget.attrs["aria-required"] = "true"
        self.helper = inner_helper(
            Layout(
                Fieldset(
                    inert(questions.FEEDBACK_ASSESS), "worked_well", "learned", "did_not_work"
                ),
                Fieldset(inert(heading), "partner_so_far", "partner_going_forward"),
                Fieldset(inert(_("What’s next:")), "whats_next", "whats_next_other"),
            )
        )

    def clean(self):
        cleaned = super().clean()
        if self.submitting:
            for name in FEEDBACK_REQUIRED:
                if not (cleaned.get(name) or "").strip() and name not in self.errors:
                    self.add_error(name, _("This answer is needed to submit."))
        other = cleaned.get("whats_next") == Feedback.NextStep.OTHER
        if self.submitting and other and not (cleaned.get("whats_next_other") or "").strip():
            self.add_error("whats_next_other", _("Say what you would like next."))
        return cleaned


class EvaluationForm(CountedTextMixin, forms.Form):
    """Appendix VIII (mentees) or IX (mentors): the scale and the choices are required."""

    helpfulness = forms.TypedChoiceField(
        coerce=int,
        choices=questions.HELPFULNESS_CHOICES,
        widget=forms.RadioSelect,
        help_text=questions.SCALE_NOTE,
    )
    useful_aspects = forms.CharField(
        required=False, max_length=questions.TEXT_MAX, widget=textarea(4)
    )
    recommend = forms.ChoiceField(
        label=questions.RECOMMEND_QUESTION, choices=Answer.choices, widget=forms.RadioSelect
    )
    effects = forms.MultipleChoiceField(
        label=questions.EFFECTS_QUESTION,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick each that applies."),
    )
    mentor_again = forms.ChoiceField(
        label=questions.MENTOR_AGAIN_QUESTION, choices=Answer.choices, widget=forms.RadioSelect
    )
    suggestions = forms.CharField(
        label=questions.SUGGESTIONS_QUESTION,
        required=False,
        max_length=questions.TEXT_MAX,
        widget=textarea(4),
    )

    def __init__(self, *args, role: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["helpfulness"].label = questions.HELPFULNESS_QUESTION[role]
        self.fields["useful_aspects"].label = questions.USEFUL_QUESTION[role]
        self.fields["effects"].choices = questions.effects_for(role)
        names = ["helpfulness", "useful_aspects", "recommend", "effects", "suggestions"]
        if role == Participant.Role.MENTOR:
            names.insert(4, "mentor_again")
        else:
            del self.fields["mentor_again"]
        radios = {"helpfulness", "recommend", "mentor_again"}
        self.helper = inner_helper(
            Layout(*(InlineRadios(name) if name in radios else Field(name) for name in names))
        )


class LaterRoleForm(CountedTextMixin, forms.ModelForm):
    class Meta:
        model = LaterRole
        fields = ["kind", "title", "started_on", "ended_on"]
        labels = {
            "kind": _("Role in the union"),
            "started_on": _("Since"),
            "ended_on": _("Until (leave blank if you still hold it)"),
        }
        widgets = {"started_on": date_input(), "ended_on": date_input()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inner_helper(Layout("kind", "title", "started_on", "ended_on"))


NOT_RECORDED = ""


class MeasureResultsForm(LoadedFormMixin, CountedTextMixin, forms.Form):
    """One yes/no (or not recorded) and a note for each of the program's success measures."""

    CHOICES = [("yes", _("Yes")), ("no", _("No")), (NOT_RECORDED, _("Not recorded"))]

    def __init__(self, *args, measures: list[SuccessMeasure], results: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = measures
        sections = []
        for measure in measures:
            result = results.get(measure.pk)
            achieved = NOT_RECORDED if result is None else ("yes" if result.achieved else "no")
            self.fields[f"achieved_{measure.pk}"] = forms.ChoiceField(
                label=_("Achieved?"),
                choices=self.CHOICES,
                required=False,
                initial=achieved,
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{measure.pk}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=300,
                initial=result.note if result else "",
            )
            sections.append(
                # The measure is text a coordinator typed: shown as written, never run.
                Fieldset(
                    inert(measure.label),
                    InlineRadios(f"achieved_{measure.pk}"),
                    f"note_{measure.pk}",
                )
            )
        self.helper = inner_helper(Layout(*sections))

    def results(self) -> dict[int, tuple[bool | None, str]]:
        values = {"yes": True, "no": False, NOT_RECORDED: None}
        return {
            m.pk: (
                values[self.cleaned_data[f"achieved_{m.pk}"]],
                self.cleaned_data[f"note_{m.pk}"],
            )
            for m in self.measures
        }


class TestimonialForm(LoadedFormMixin, CountedTextMixin, forms.Form):
    text = forms.CharField(
        label=_("What would you tell a member who is thinking of taking part?"),
        max_length=Testimonial.TEXT_MAX,
        widget=textarea(5),
    )
    show_name = forms.BooleanField(
        label=Testimonial._meta.get_field("show_name").verbose_name,
        help_text=Testimonial._meta.get_field("show_name").help_text,
        required=False,
        initial=True,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the program’s coordinators may publish this on the program’s "
            "public page and in its reports."
        ),
        error_messages={"required": _("A testimonial is shared only with your consent.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = inner_helper(Layout("text", "show_name", "consent"))


class WindowForm(CountedTextMixin, forms.Form):
    action = forms.ChoiceField(choices=[("open", _("Open")), ("close", _("Close"))])


class ReviewForm(CountedTextMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
