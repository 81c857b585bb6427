"""The message a coordinator sees after a page sent coordinator invitations."""

from django.contrib import messages
from django.utils.translation import gettext as _

from . import selectors
from .models import Program


def pending_addresses(program: Program) -> set[str]:
    return set(selectors.pending_invitations_of(program).values_list("email", flat=True))


def tell_about_invitations(request, program: Program, before: set[str]) -> None:
    invited = sorted(pending_addresses(program) - before)
    if invited:
        messages.info(
            request,
            _("An invitation was sent to %(emails)s: they become coordinators once they accept it.")
            % {"emails": ", ".join(invited)},
        )
