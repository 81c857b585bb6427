from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Participant


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name or e-mail"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("All roles")), *Participant.Role.choices],
    )
