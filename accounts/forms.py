from django import forms
from django.conf import settings
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from core.concurrency import LoadedFormMixin
from core.forms import CommaListField, CountedTextMixin, date_input, needed_to_submit

from .models import Profile, User


class SignupForm(CountedTextMixin, forms.Form):
    """Extra sign-up fields; allauth adds e-mail and passwords around them."""

    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("As your local knows you; mentors and coordinators will see it."),
    )

    field_order = ["name", "email", "password1", "password2"]

    def signup(self, request, user) -> None:
        # AccountAdapter.save_user already stored the name; nothing else to do.
        pass


class AdminCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "name")


class AdminChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class LanguageForm(CountedTextMixin, forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)


class DemographicsForm(CountedTextMixin, forms.ModelForm):
    """The optional questions on gender and race or ethnicity, all with "prefer not to say"."""

    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *Profile.Gender.choices], required=False
    )
    race_ethnicity = forms.MultipleChoiceField(
        label=_("Race or ethnicity (choose all that apply)"),
        choices=Profile.RaceEthnicity.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Profile
        fields = [
            "gender",
            "gender_self_described",
            "race_ethnicity",
            "race_ethnicity_self_described",
        ]
        labels = {
            "gender_self_described": _("If you describe your gender in your own words"),
            "race_ethnicity_self_described": _("If you describe yourself in your own words"),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("gender") == Profile.Gender.SELF_DESCRIBED and not cleaned.get(
            "gender_self_described"
        ):
            self.add_error(
                "gender_self_described",
                _("Tell us how you describe your gender, or choose another answer."),
            )
        return cleaned


class ProfileForm(LoadedFormMixin, DemographicsForm):
    """The general and personal block of the surveys, kept on the member's profile."""

    languages = CommaListField(
        label=_("Languages spoken other than English"),
        required=False,
        max_length=300,
        item_max_length=40,
        item_too_long=_("Each language can have at most 40 characters."),
        help_text=_("Separate them with commas, for example: French, Punjabi, ASL."),
    )

    class Meta(DemographicsForm.Meta):
        fields = [*Profile.CONTACT_FIELDS, *Profile.DEMOGRAPHIC_FIELDS]
        widgets = {
            "date_of_birth": date_input(),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(
        self,
        *args,
        require: tuple[str, ...] = (),
        submitting: bool = False,
        omit: tuple[str, ...] = (),
        **kwargs,
    ):
        """`require`: fields needed to submit (marked always, refused empty when
        `submitting`); `omit`: fields not asked here (their saved values stay as they are)."""
        super().__init__(*args, **kwargs)
        for name in omit:
            del self.fields[name]
        self.require = tuple(name for name in require if name in self.fields)
        self.submitting = submitting
        for name in self.require:
            needed_to_submit(self.fields[name])

    def clean(self):
        cleaned = super().clean()
        for name in self.require if self.submitting else ():
            if not cleaned.get(name) and name not in self.errors:
                self.add_error(name, _("This answer is needed to submit."))
        return cleaned
