"""Invitations to co-coordinate a program.

The invitee's pages are member pages (any verified owner of the invited address, who is
not a coordinator yet); withdrawing is a coordinator's page of the program.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.flash import show_refusal

from .. import services
from ..access import Need, get_invitation_for_invitee, program_view


def _answer(request, pk: int, *, accept: bool):
    invitation = get_invitation_for_invitee(request.user, pk)
    if request.method == "GET":
        if not invitation.is_pending:
            show_refusal(request, services.already_decided(invitation))
            return redirect("accounts:home")
        return render(
            request,
            "programs/invitation_answer.html",
            {"invitation": invitation, "program": invitation.program, "accept": accept},
        )
    act = services.invitation_accept if accept else services.invitation_decline
    try:
        decided = act(invitation=invitation, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("accounts:home")
    if accept:
        messages.success(
            request,
            _("You are now a coordinator of “%(name)s”.") % {"name": decided.program.name},
        )
        return redirect(decided.program)
    messages.success(
        request,
        _("You declined the invitation to coordinate “%(name)s”.") % {"name": decided.program.name},
    )
    return redirect("accounts:home")


@login_required
@require_http_methods(["GET", "POST"])
def accept(request, pk: int):
    """GET: what accepting means; POST: accept."""
    return _answer(request, pk, accept=True)


@login_required
@require_http_methods(["GET", "POST"])
def decline(request, pk: int):
    """GET: ask to confirm; POST: decline."""
    return _answer(request, pk, accept=False)


@require_http_methods(["GET", "POST"])
@program_view(Need.MANAGE)
def withdraw(request, program, role, pk: int):
    """GET: ask to confirm; POST: withdraw a pending invitation of this program."""
    invitation = get_object_or_404(program.coordinator_invitations, pk=pk)
    edit_url = "programs:edit"
    if request.method == "GET":
        if not invitation.is_pending:
            show_refusal(request, services.already_decided(invitation))
            return redirect(edit_url, slug=program.slug)
        return render(
            request,
            "programs/invitation_withdraw.html",
            {"invitation": invitation, "program": program},
        )
    try:
        services.invitation_withdraw(invitation=invitation, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email},
        )
    return redirect(edit_url, slug=program.slug)
