"""The Activity page's filters (validation only)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import CountedTextMixin, date_input

from .activity_labels import action_label
from .activity_selectors import FORMER_MEMBER


class ActivityFilterForm(CountedTextMixin, forms.Form):
    who = forms.ChoiceField(label=_("Who"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(
        label=pgettext_lazy("activity: dates", "From"), required=False, widget=date_input()
    )
    until = forms.DateField(
        label=pgettext_lazy("activity: dates", "To"), required=False, widget=date_input()
    )

    def __init__(self, *args, actors: list[tuple[int | None, str]], actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].choices = [("", _("Everyone"))] + [
            (FORMER_MEMBER, _("A former member")) if pk is None else (str(pk), name)
            for pk, name in actors
        ]
        labelled = sorted(((a, action_label(a)) for a in actions), key=lambda pair: pair[1])
        self.fields["action"].choices = [("", _("Every action")), *labelled]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", _("Choose a date on or after the first one."))
        return cleaned
