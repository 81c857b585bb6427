"""System checks that catch configurations which only break in production."""

from django.conf import settings
from django.core.checks import Error, Warning, register


@register("mentorship")
def cache_is_shared(app_configs, **kwargs):
    backend = settings.CACHES["default"]["BACKEND"]
    if not settings.DEBUG and backend.endswith("LocMemCache"):
        return [
            Error(
                "The cache is per-process (LocMemCache) with DEBUG off.",
                hint="Rate limits need a shared cache: set REDIS_URL or use the database cache.",
                id="mentorship.E001",
            )
        ]
    return []


@register("mentorship", deploy=True)
def email_is_delivered(app_configs, **kwargs):
    if settings.MAILERS["default"]["BACKEND"].endswith("console.EmailBackend"):
        return [
            Warning(
                "E-mail is printed to the console, so members get no e-mail.",
                hint="Set EMAIL_HOST (and EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) for SMTP.",
                id="mentorship.W001",
            )
        ]
    return []


@register("mentorship", deploy=True)
def tasks_have_a_broker(app_configs, **kwargs):
    if not settings.REDIS_URL:
        return [
            Warning(
                "No REDIS_URL: background tasks run inside web requests and nothing is scheduled.",
                hint="Set REDIS_URL and run a Celery worker and beat (see README).",
                id="mentorship.W002",
            )
        ]
    return []


@register("mentorship", deploy=True)
def coordinators_need_mfa(app_configs, **kwargs):
    if not settings.REQUIRE_COORDINATOR_MFA:
        return [
            Warning(
                "REQUIRE_COORDINATOR_MFA is off: coordinators and superusers can open "
                "members' personal data with a password alone.",
                hint="Unset REQUIRE_COORDINATOR_MFA (it defaults to on) or set it to 1.",
                id="mentorship.W010",
            )
        ]
    return []


def harfbuzz_subset_loaded() -> bool:
    """Whether WeasyPrint found HarfBuzz's subsetting library (it falls back to fontTools)."""
    from weasyprint.text.ffi import harfbuzz_subset

    return harfbuzz_subset is not None


@register("mentorship", deploy=True)
def pdfs_subset_fonts_quickly(app_configs, **kwargs):
    if not harfbuzz_subset_loaded():
        return [
            Warning(
                "WeasyPrint cannot load HarfBuzz's subsetting library: every PDF subsets its "
                "fonts with fontTools instead, several times slower (README, Production).",
                hint="Install it from the system's packages: apt-get install libharfbuzz-subset0.",
                id="mentorship.W011",
            )
        ]
    return []
