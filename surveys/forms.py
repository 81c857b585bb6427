from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CountedTextMixin, needed_to_submit
from programs.models import Participant

from .models import Survey
from .questions import Question

NOT_STARTED = "not_started"


class SurveyAnswersForm(CountedTextMixin, forms.Form):
    """The appendix questions; nothing required for a draft, all but comments to submit."""

    def __init__(self, *args, questions: tuple[Question, ...], submitting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.submitting = submitting
        for question in questions:
            self.fields[question.key] = forms.CharField(
                label=question.text,
                required=False,
                max_length=question.max_length,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            if question.required:
                needed_to_submit(self.fields[question.key])

    def clean(self):
        cleaned = super().clean()
        if self.submitting:
            for question in self.questions:
                answered = (cleaned.get(question.key) or "").strip()
                if question.required and not answered and question.key not in self.errors:
                    self.add_error(question.key, _("This answer is needed to submit."))
        return cleaned


class CompletionFilterForm(CountedTextMixin, forms.Form):
    q = forms.CharField(label=_("Search by name or e-mail"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Participant.Role.choices]
    )
    status = forms.ChoiceField(
        label=_("Survey"),
        required=False,
        choices=[
            ("", _("Any")),
            (NOT_STARTED, _("Not started")),
            *Survey.Status.choices,
        ],
    )
