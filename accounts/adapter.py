from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from core import drafts


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user.name = form.cleaned_data["name"].strip()
        user.language = translation.get_language() or "en"
        return super().save_user(request, user, form, commit=commit)

    def logout(self, request):
        super().logout(request)
        # Only a log-out the member asked for: a log-in that ended on its own (idle or
        # expired, accounts.middleware.SessionIdleMiddleware) keeps the drafts.
        drafts.mark_clear_all(request)
