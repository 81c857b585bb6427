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


def record_target(pk: int) -> str | None:
    """Where an A- record code leads: the application's review page (its own access rules
    apply). Only an application keyed in from paper has its code written on the paper."""
    from django.urls import reverse

    from .models import Application

    application = Application.objects.select_related("program").filter(pk=pk).first()
    if application is None:
        return None
    return reverse("intake:review_detail", args=[application.program.slug, application.pk])
