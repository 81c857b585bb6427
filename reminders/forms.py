from django import forms
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.dates import format_date
from core.forms import CountedTextMixin, inner_helper

from .models import LIMITS, ReminderSettings


class ReminderSettingsForm(CountedTextMixin, forms.ModelForm):
    """A program's reminder intervals; saved through `services.reminder_settings_save`."""

    class Meta:
        model = ReminderSettings
        fields = ReminderSettings.INTERVALS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (_default, low, high) in LIMITS.items():
            self.fields[name].widget.attrs.update(min=low, max=high, inputmode="numeric")
        self.helper = inner_helper()

    def settings_data(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in self.fields}


class AnyIdChoiceField(forms.TypedMultipleChoiceField):
    """Any id is accepted here: the service sorts out who is done since and who is foreign."""

    def valid_value(self, value) -> bool:
        return str(value).isdigit()


class RemindEveryoneForm(CountedTextMixin, forms.Form):
    """Who gets a reminder: everyone still to do it, ticked, but those reminded today."""

    people = AnyIdChoiceField(
        label=_("Who gets a reminder"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one person to remind.")},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        field.choices = [(person.item.participant_id, _label(person)) for person in people]
        if not self.is_bound:
            self.initial["people"] = [
                person.item.participant_id for person in people if not person.reminded_today
            ]
        self.helper = inner_helper()

    def participant_ids(self) -> list[int]:
        return self.cleaned_data["people"]


def _label(person) -> str:
    parts = [f"{person.item.name}: {person.item.detail}"]
    if person.more:
        parts[0] += " " + ngettext("(and %(n)d more)", "(and %(n)d more)", person.more) % {
            "n": person.more
        }
    if person.last_reminded:
        when = format_date(timezone.localtime(person.last_reminded), "SHORT_DATE_FORMAT")
        parts.append(gettext("reminded on %(day)s") % {"day": when})
    else:
        parts.append(gettext("not reminded yet"))
    return " · ".join(parts)
