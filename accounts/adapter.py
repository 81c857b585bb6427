from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user.name = form.cleaned_data["name"].strip()
        user.language = translation.get_language() or "en"
        return super().save_user(request, user, form, commit=commit)
