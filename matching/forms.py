from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from intake.models import Application

from . import services
from .models import CAPACITY_MAX, CAPACITY_MIN, MentorProfile, UnionSkill


def _section(title) -> str:
    # A real heading inside each legend, so the sections show in a screen reader's outline.
    return format_html('<h2 class="h5 mt-2">{}</h2>', title)


class MentorProfileForm(forms.ModelForm):
    """The member's entry in the mentor database; saved through `services`, not form.save()."""

    skills = forms.MultipleChoiceField(
        label=_("Which skills can you pass on?"),
        choices=UnionSkill.choices,
        widget=forms.CheckboxSelectMultiple,
        # Required by the model, which says so more helpfully than "This field is required".
        required=False,
    )
    internal = forms.TypedChoiceField(
        label=_("Are you a member of this union?"),
        choices=[
            ("True", _("Yes, I am a member of this union")),
            (
                "False",
                _(
                    "No, I would be an external mentor, for example a retiree or staff of an "
                    "allied organization"
                ),
            ),
        ],
        coerce=lambda value: value == "True",
        widget=forms.RadioSelect,
        initial="True",
    )
    capacity = forms.IntegerField(
        label=_("How many mentees could you take on at once?"),
        initial=CAPACITY_MIN,
        widget=forms.NumberInput(attrs={"min": CAPACITY_MIN, "max": CAPACITY_MAX}),
    )
    availability = forms.MultipleChoiceField(
        label=_("When can you meet?"),
        choices=Application.Availability.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = MentorProfile
        fields = services.MENTOR_PROFILE_FIELDS
        labels = {
            "background": _("Your background"),
            "interests": _("Your interests"),
            "experience": _("Your union and mentoring experience"),
            "qualifications": _("Qualifications (optional)"),
            "available": _("I am available to mentor now"),
        }
        help_texts = {
            "background": _(
                "Your current position and responsibilities, and the path that led you there."
            ),
            "interests": _("What you care about in the union, and what you would like to share."),
            "experience": _(
                "Positions you have held, campaigns, committees, bargaining tables, and anyone "
                "you have mentored, formally or not."
            ),
            "qualifications": _("Courses, certificates or training, e.g. steward training."),
            "available": _("Untick this while you cannot take a mentee; your profile stays."),
        }
        widgets = {
            "background": forms.Textarea(attrs={"rows": 5}),
            "interests": forms.Textarea(attrs={"rows": 4}),
            "experience": forms.Textarea(attrs={"rows": 5}),
            "qualifications": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capacity"].help_text = _(
            "From %(min)d to %(max)d. In a mentoring circle, count each mentee."
        ) % {"min": CAPACITY_MIN, "max": CAPACITY_MAX}
        for name in ("background", "interests", "experience", "skills", "internal"):
            self.fields[name].widget.attrs.setdefault("aria-required", "true")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's <form> has the token once
        self.helper.layout = Layout(
            Fieldset(_section(_("About you")), "background", "interests"),
            Fieldset(
                _section(_("What you bring")), "experience", "qualifications", "skills", "internal"
            ),
            Fieldset(_section(_("Time")), "capacity", "availability", "available"),
        )

    def mentor_data(self) -> dict:
        """The cleaned answers, as `services.mentor_profile_save` takes them."""
        return {field: self.cleaned_data[field] for field in services.MENTOR_PROFILE_FIELDS}


class MentorFilterForm(forms.Form):
    KIND_CHOICES = [
        ("", _("Internal and external")),
        ("internal", _("Members of this union")),
        ("external", _("External mentors")),
    ]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, background, interests, experience or qualifications."),
    )
    skill = forms.ChoiceField(
        label=_("Skill"), required=False, choices=[("", _("Any skill")), *UnionSkill.choices]
    )
    language = forms.CharField(
        label=_("Speaks"),
        required=False,
        max_length=40,
        help_text=_("A language other than English, e.g. French."),
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    kind = forms.ChoiceField(label=_("Mentors"), required=False, choices=KIND_CHOICES)
    available = forms.BooleanField(label=_("Available now only"), required=False)

    def __init__(self, *args, regions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Any region")), *((r, r) for r in regions)]

    def filters(self) -> dict:
        """The valid filters as `selectors.mentor_database` takes them; a bad one is ignored."""
        self.is_valid()
        data = self.cleaned_data if self.is_bound else {}
        kind = data.get("kind", "")
        return {
            "search": data.get("q", ""),
            "skill": data.get("skill", ""),
            "language": data.get("language", ""),
            "region": data.get("region", ""),
            "internal": {"internal": True, "external": False}.get(kind),
            "available_only": bool(data.get("available")),
        }
