from django import forms
from django.conf import settings
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import User


class SignupForm(forms.Form):
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


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)
