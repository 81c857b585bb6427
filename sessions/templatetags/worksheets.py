"""The worksheet's badge in templates, by the same rule as the pairs list's rows."""

from django import template
from django.utils.html import format_html

from sessions import selectors

register = template.Library()


@register.simple_tag
def worksheet_badge(worksheet) -> str:
    """`worksheet` may be missing (not started yet): the badge then says so."""
    css, words = selectors.worksheet_badge(
        bool(worksheet),
        bool(worksheet and worksheet.mentee_agreed_at),
        bool(worksheet and worksheet.mentor_agreed_at),
    )
    return format_html('<span class="badge {}">{}</span>', css, words)
