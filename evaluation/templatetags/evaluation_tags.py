"""Close-out pieces shown on other apps' pages, so those views need not know about them."""

from django import template

from programs.models import Participant, Program

from .. import selectors

register = template.Library()


@register.inclusion_tag("evaluation/_forms_due.html")
def evaluation_forms(participation: Participant) -> dict:
    """The feedback and evaluation items of one participation, on the "My forms" page."""
    return {"items": selectors.forms_due(participation), "participation": participation}


@register.simple_tag
def approved_testimonials(program: Program) -> list:
    """For the public program page: testimonials given with consent and approved."""
    return list(selectors.approved_testimonials(program))


@register.simple_tag
def past_testimonials(program: Program) -> list:
    """For an open program's page: approved testimonials of the site's past programs."""
    return selectors.past_testimonials(program)
