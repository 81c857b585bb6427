"""CSV downloads that spreadsheet programs open with the accents right and never run."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.http import content_disposition_header

# A cell starting with one of these is read as a formula by Excel, LibreOffice and Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """Text that a spreadsheet shows as text, never runs as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in FORMULA_STARTS else text


def csv_response(filename: str, header: list, rows: Iterable[list]) -> HttpResponse:
    """A CSV download: UTF-8 with a byte-order mark, so Excel reads accents right."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([spreadsheet_safe(cell) for cell in header])
    writer.writerows([spreadsheet_safe(cell) for cell in row] for row in rows)
    return response
