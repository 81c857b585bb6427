"""The application form on paper (from the program set-up)."""

from django.utils.translation import gettext_lazy as _

from accounts.forms import DemographicsForm
from core.printing import PrintableForm, section
from programs.models import Participant

from .forms import ApplicationForm


def application_sections():
    from django import forms

    class Identity(forms.Form):
        name = forms.CharField(label=_("Name"))
        email = forms.CharField(label=_("E-mail address"))
        phone = forms.CharField(label=_("Phone"))
        role = forms.ChoiceField(label=_("Applying as"), choices=Participant.Role.choices)

    return [
        section(_("About you"), Identity()),
        section(_("Your application"), ApplicationForm(), lines=5),
        section(
            _("Optional: help us build a diverse class"),
            DemographicsForm(),
            intro=_(
                "These questions are optional. Your answers are seen only by the program's "
                "coordinators and used only as totals."
            ),
            lines=1,
        ),
    ]


PRINTABLE_FORMS = [
    PrintableForm(
        key="application",
        title=_("Application form"),
        source=_("Mentoring program application"),
        sections=application_sections,
        intro=_(
            "Fill in this form and hand it to your program's coordinator, or apply online "
            "from the program's page."
        ),
    )
]
