from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        from programs import funnel

        from . import funnel as stored_funnel

        # The services below the dashboard keep the stored funnel columns right through
        # `programs.funnel.funnel_changed`; the steps are defined here (programs/funnel.py).
        funnel.install(stored_funnel.refresh)
