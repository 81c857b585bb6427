"""Links a member typed, made into anchors only when they are web addresses."""

from urllib.parse import urlsplit

from django import template

register = template.Library()

WEB_SCHEMES = frozenset({"http", "https"})


@register.filter
def web_link(value) -> str:
    """The address when it is http(s), else "": a `javascript:` or `data:` URL is no link.

    The forms' URLValidator already refuses other schemes; this holds for rows written any
    other way (imports, the admin of an older version, the shell).
    """
    text = str(value or "").strip()
    try:
        scheme = urlsplit(text).scheme.lower()
    except ValueError:
        return ""
    return text if scheme in WEB_SCHEMES else ""
