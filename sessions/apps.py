from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringSessionsConfig(AppConfig):
    # The default label "sessions" would clash with django.contrib.sessions.
    name = "sessions"
    label = "mentoring_sessions"
    verbose_name = _("Mentoring sessions")
