"""The <body> attributes static/js/drafts.js reads (core/drafts.py says why)."""

import json

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core import drafts

register = template.Library()


@register.simple_tag(takes_context=True)
def drafts_attributes(context) -> str:
    request = context.get("request")
    if request is None:
        return ""
    saved, clear_all = drafts.pop_markers(request)
    return format_html(
        'data-draft-owner="{}" data-drafts-keep-days="{}" data-drafts-clear="{}"{}'
        ' data-draft-restored="{}" data-draft-discard="{}" data-draft-discarded="{}"',
        drafts.owner(getattr(request, "user", None)),
        drafts.KEEP_DAYS,
        json.dumps(saved),
        format_html(" {}", "data-drafts-clear-all") if clear_all else "",
        # {date} is filled in by the browser, in the page's language.
        _("We put back what you typed on {date}. It is not saved yet."),
        _("Discard what was put back"),
        _("Discarded: the form shows what was last saved."),
    )
