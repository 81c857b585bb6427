from django import forms

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
