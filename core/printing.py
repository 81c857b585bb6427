"""The printing engine: a Django form laid out for paper, rendered by WeasyPrint.

A printed form is a Django form laid out for paper: every field becomes its question
with room to write, boxes to tick or a scale, and, when filled, the member's answers.
This module knows no domain app: each app lists its printable forms in its own `pdf.py`
and `printing/registry.py` gathers them (the registry and the record codes).
"""

import atexit
import io
import mimetypes
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

STATIC = settings.BASE_DIR / "static"


@dataclass(frozen=True)
class Section:
    """A titled part of a printed form: an intro text and/or questions laid out for paper."""

    title: Promise | str = ""
    intro: Promise | str = ""
    rows: tuple[dict[str, Any], ...] = ()


def section(
    title: Promise | str,
    form: forms.Form | None = None,
    *,
    values: dict[str, Any] | None = None,
    intro: Promise | str = "",
    lines: int = 4,
    extra: Iterable[dict[str, Any]] = (),
) -> Section:
    """A form's fields laid out for paper, then any `extra` rows (e.g. a `table_row`)."""
    rows = tuple(field_rows(form, values or {}, lines)) if form is not None else ()
    return Section(title=title, intro=intro, rows=(*rows, *extra))


def table_row(
    columns: Iterable[Promise | str],
    cells: Iterable[Iterable[Any]],
    *,
    footer: Iterable[Any] = (),
    blank_lines: int = 0,
    widths: Iterable[int] = (),
) -> dict[str, Any]:
    """A table on paper (an agenda, a contact block): headed columns, rows, a footer.

    `blank_lines` adds empty rows to write in; a cell's text keeps its line breaks.
    `widths` gives each column's share of the width in percent (equal shares if not
    given): the table is laid out from them (CSS `table-layout: fixed`) instead of
    measuring every cell's text first, which made a long agenda cost a third more.
    """
    columns = [str(c) for c in columns]
    widths = list(widths) or [100 // len(columns)] * len(columns)
    if len(widths) != len(columns):
        raise ValueError(f"{len(columns)} columns but {len(widths)} widths")
    cells = [["" if c is None else str(c) for c in row] for row in cells]
    cells += [[""] * len(columns) for _ in range(blank_lines)]
    return {
        "kind": "table",
        "columns": list(zip(columns, widths, strict=True)),
        "cells": cells,
        "footer": [str(c) for c in footer],
    }


def signature_rows(people: Iterable[tuple[Any, str, str]]) -> list[dict[str, Any]]:
    """A line to sign for each person (their side, their name, the date they agreed online).

    Each is one labelled line, as a short question is, not a table: a table costs a
    planning worksheet a tenth of its rendering time.
    """
    rows = []
    for side, name, agreed in people:
        if name:
            label = _("%(side)s: %(name)s — signature and date") % {"side": side, "name": name}
        else:
            label = _("%(side)s — name, signature and date") % {"side": side}
        if agreed:
            label = _("%(label)s (agreed online on %(date)s)") % {"label": label, "date": agreed}
        rows.append(
            {
                "label": label,
                "help": "",
                "kind": "short",
                "choices": [],
                "value": None,
                "lines": 1,
                "multiple": False,
            }
        )
    return rows


@dataclass(frozen=True)
class PrintableForm:
    key: str  # the address: /forms/<key>.pdf
    title: Promise
    source: Promise  # e.g. "Appendix I of the IWPR handbook"
    sections: Callable[[], Iterable[Section]]  # the blank form, built in the active language
    intro: Promise | str = ""


@dataclass
class Paper:
    """One rendered document: title, sections, and for a filled form its record code."""

    title: str
    sections: list[Section]
    source: str = ""
    intro: str = ""
    program: Any = None
    values: dict[str, Any] = field(default_factory=dict)
    record_code: str = ""
    record_url: str = ""


@cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):
        """WeasyPrint's access to resources: the files under static/ (the fonts), nothing else.

        A printed form needs no network: its stylesheet and fonts are files here, its QR code
        is inline. WeasyPrint's default fetcher is built for every document and builds
        urllib's handlers, whose HTTPS handler loads the system's certificates (about 50 ms
        of CPU a PDF); this one is built once per process, keeps no state between calls
        (safe across threads), and refuses any other address, so text in a form can never
        make the server fetch a URL.
        """

        def __init__(self):
            # No urllib handlers: fetch() below reads files itself.
            self._fail_on_errors = False

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            path = Path(url2pathname(parts.path)).resolve() if parts.scheme == "file" else None
            if path is None or not path.is_relative_to(STATIC.resolve()) or not path.is_file():
                raise ValueError(f"A printed form reads only files under static/, not {url}")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), path.read_bytes(), headers={"Content-Type": kind}
            )

    return StaticFetcher


@cache
def _weasy():
    # Built once per process: the stylesheet, fonts and fetcher are the same for every form.
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    fetcher = _fetcher_class()()
    # Let the font configuration go while the interpreter can still clean it up.
    atexit.register(_weasy.cache_clear)
    stylesheet = CSS(
        filename=str(STATIC / "css" / "print.css"), font_config=fonts, url_fetcher=fetcher
    )
    return stylesheet, fonts, fetcher


def qr_svg(text: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=1)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()


def render_pdf(paper: Paper, *, language: str) -> bytes:
    return combine([render_document(paper, language=language)])


def combine(documents) -> bytes:
    """One PDF from several rendered documents, pages in order."""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf(pdf_variant="pdf/ua-1")


def render_document(paper: Paper, *, language: str):
    """The laid-out WeasyPrint document (render_pdf writes it; packets combine several)."""
    from weasyprint import HTML

    stylesheet, fonts, fetcher = _weasy()
    size = paper.program.paper_size if paper.program else settings.DEFAULT_PAPER_SIZE
    with translation.override(language):
        html = render_to_string(
            "pdf/base.html",
            {
                "paper": paper,
                "page_size": "A4" if size == "A4" else "letter",
                "qr": qr_svg(paper.record_url) if paper.record_url else "",
            },
        )
    return HTML(string=html, base_url=str(STATIC), url_fetcher=fetcher).render(
        stylesheets=[stylesheet], font_config=fonts
    )


def blank_paper(printable: PrintableForm, *, program=None) -> Paper:
    return Paper(
        title=str(printable.title),
        source=str(printable.source),
        intro=str(printable.intro),
        sections=list(printable.sections()),
        program=program,
    )


def field_rows(form: forms.Form, values: dict[str, Any], lines: int) -> list[dict[str, Any]]:
    """Each field of a form as paper: its label, its kind, its choices and answer."""
    rows = []
    for name, bound in form.fields.items():
        widget = bound.widget
        if widget.is_hidden:
            continue  # e.g. the version a screen form was loaded at: nothing to write on paper
        value = values.get(name)
        keys = [k for k, _v in getattr(bound, "choices", []) if k != ""]
        choices = [(str(k), str(v)) for k, v in getattr(bound, "choices", []) if k != ""]
        if isinstance(widget, forms.CheckboxInput):
            kind = "tick"
        elif len(keys) > 2 and all(type(k) is int for k in keys):
            kind = "scale"  # numbered choices: boxes in a row, each with its label below
        elif choices:
            kind = "choices"
        elif isinstance(widget, forms.Textarea):
            kind = "long"
        else:
            kind = "short"
        chosen = {str(v) for v in value} if isinstance(value, list | tuple) else {str(value)}
        rows.append(
            {
                "label": bound.label,
                "help": bound.help_text,
                "kind": kind,
                "choices": [(label, key in chosen) for key, label in choices],
                "value": value,
                "lines": int(widget.attrs.get("rows", lines)) if kind == "long" else 1,
                "multiple": isinstance(widget, forms.CheckboxSelectMultiple),
            }
        )
    return rows


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def requested_language(request) -> str:
    """?lang=fr prints in French; otherwise the page's language."""
    language = request.GET.get("lang", "")
    return language if language in dict(settings.LANGUAGES) else translation.get_language()
