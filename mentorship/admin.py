from functools import update_wrapper

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.mfa import require_mfa


class SuperuserAdminSite(admin.AdminSite):
    """Django admin for superusers only: staff flags alone open nothing."""

    site_header = _("Mentorship administration")
    site_title = _("Mentorship administration")

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def admin_view(self, view, cacheable=False):
        """Every admin page: a superuser needs an authenticator app first."""

        def with_mfa(request, *args, **kwargs):
            require_mfa(request.user)
            return view(request, *args, **kwargs)

        # The admin's own check (log-in, superuser) runs first, then this one.
        return super().admin_view(update_wrapper(with_mfa, view), cacheable)
