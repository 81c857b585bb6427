"""The handbook's orientation material where pairs read it: the III.6 responsibilities and
what the program's level of formality means for their meetings."""

from django import template

from sessions.models import Side
from sessions.responsibilities import MENTEE_RESPONSIBILITIES, MENTOR_RESPONSIBILITIES

register = template.Library()


@register.inclusion_tag("sessions/_responsibilities.html")
def responsibilities(side: str | None = None, *, collapsed: bool = False) -> dict:
    """Both lists; the reader's own first (`side`: mentor or mentee; None for both in the
    handbook's order). `collapsed`: a closed "Your responsibilities" disclosure."""
    lists = [
        (Side.MENTOR, MENTOR_RESPONSIBILITIES),
        (Side.MENTEE, MENTEE_RESPONSIBILITIES),
    ]
    if side == Side.MENTEE:
        lists.reverse()
    # Closed, it sits under the page's h1; open, under its own h2.
    level = 2 if collapsed else 3
    return {"lists": lists, "side": side or "", "collapsed": collapsed, "level": level}


@register.inclusion_tag("sessions/_formality.html")
def formality_note(program) -> dict:
    """The program's level of formality and what it means for how often and how to meet."""
    return {"program": program}
