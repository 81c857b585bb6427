from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class SuperuserAdminSite(admin.AdminSite):
    """Django admin for superusers only: staff flags alone open nothing."""

    site_header = _("Mentorship administration")
    site_title = _("Mentorship administration")

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser
