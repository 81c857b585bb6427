from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.utils import translation

from core import drafts
from core.mail import send_rendered_mail


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

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's e-mails (address confirmation, password reset) through the outbox too:
        written with the change, sent by the worker after commit."""
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        send_rendered_mail(self.render_mail(template_prefix, email, ctx))
