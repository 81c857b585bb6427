from collections.abc import Iterable, Sequence

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CountedTextMixin
from programs.models import Participant, Program


class ListFilterForm(CountedTextMixin, forms.Form):
    """The filters of a dashboard list; a list offers only those that apply to it."""

    q = forms.CharField(label=_("Search by name or e-mail"), required=False, max_length=100)
    program = forms.ChoiceField(label=_("Program"), required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("All roles")), *Participant.Role.choices],
    )

    def __init__(self, *args, programs: Sequence[Program], offered: Iterable[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].choices = [
            ("", _("All my programs")),
            *((program.slug, program.name) for program in programs),
        ]
        for name in ("q", "role"):
            if name not in offered:
                del self.fields[name]

    def values(self) -> dict[str, str]:
        """Each valid filter's value; an invalid one is left out (its error is shown)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}
