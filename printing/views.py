from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.printing import blank_paper, pdf_response, render_pdf, requested_language
from programs.access import Need, get_public_program, program_view

from .models import Packet
from .packets import IN_PROGRESS, packet_request
from .registry import record_target, registry
from .tasks import broker_available, builds_in_background, queue_build_packet


@require_GET
def index(request):
    return render(request, "printing/index.html", {"forms": registry().values()})


@require_GET
@login_required
def record(request):
    """Open the online record behind a code printed on a filled form."""
    target = record_target(request.GET.get("code", ""))
    if target is None:
        messages.error(request, _("No form has this record code. Check the code and try again."))
        return redirect("printing:index")
    return redirect(target)


@require_GET
def blank(request, key):
    printable = registry().get(key)
    if printable is None:
        raise Http404
    with translation.override(requested_language(request)):
        paper = blank_paper(printable)
        content = render_pdf(paper, language=translation.get_language())
    return pdf_response(content, f"{key}.pdf")


@require_GET
def program_blank(request, slug, key):
    program, _role = get_public_program(request.user, slug)
    printable = registry().get(key)
    if printable is None:
        raise Http404
    with translation.override(requested_language(request)):
        paper = blank_paper(printable, program=program)
        content = render_pdf(paper, language=translation.get_language())
    return pdf_response(content, f"{program.slug}-{key}.pdf")


def _tell_how_the_build_went(request, packet_id: int) -> None:
    status = Packet.objects.filter(pk=packet_id).values_list("status", flat=True).first()
    if status == Packet.Status.DONE:
        messages.success(request, _("The packet is ready to download."))
    elif status == Packet.Status.FAILED:
        messages.error(request, _("The packet could not be built."))


@program_view(Need.MANAGE)
def packet(request, program, role):
    """GET: the latest packet and its progress; POST: build one (or reuse the one building)."""
    if request.method == "POST":
        if not broker_available():
            messages.warning(
                request,
                _(
                    "Printing is paused: the service that builds packets is not answering. "
                    "Try again in a few minutes."
                ),
            )
            return redirect("printing:packet", program.slug)
        new, started = packet_request(program=program, by=request.user)
        if started:
            queue_build_packet(packet_id=new.pk)
            if builds_in_background():
                messages.success(
                    request,
                    _(
                        "The packet is being built in the background. This page counts the "
                        "forms laid out and refreshes by itself until it is ready."
                    ),
                )
            else:
                # Without a worker the build runs in this process once the request's writes
                # commit, before the answer leaves: say how it went then, not that it is
                # under way (registered after the build, so it runs after it).
                transaction.on_commit(partial(_tell_how_the_build_went, request, new.pk))
        else:
            messages.info(request, _("A packet is already being built; here is its progress."))
        return redirect("printing:packet", program.slug)
    latest = program.packets.first()
    return render(
        request,
        "printing/packet.html",
        {
            "program": program,
            "packet": latest,
            "building": latest is not None and latest.status in IN_PROGRESS,
            "in_background": builds_in_background(),
        },
    )


@require_GET
@program_view(Need.MANAGE)
def packet_download(request, program, role, pk):
    found = get_object_or_404(program.packets, pk=pk, status=Packet.Status.DONE)
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=f"{program.slug}-forms.pdf",
        content_type="application/pdf",
    )
