from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from programs.access import get_public_program

from .printing import blank_paper, record_target, registry, render_pdf


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def requested_language(request) -> str:
    """?lang=fr prints in French; otherwise the page's language."""
    language = request.GET.get("lang", "")
    return language if language in dict(settings.LANGUAGES) else translation.get_language()


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
