from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .session_limits import on_log_in

        # Stamps the session with the log-in time its lifetime and idle timeout count from.
        user_logged_in.connect(on_log_in, dispatch_uid="accounts.session_limits")
