"""Which forms can be printed, and where a printed record code leads.

The engine (laying a form out for paper, rendering it) is `core/printing.py`; this is the
registry that knows the domain apps: each app lists its printable forms in its own `pdf.py`
and REGISTRY gathers them.
"""

from functools import cache
from importlib import import_module

from core.printing import PrintableForm

# The apps whose pdf.py lists printable forms, in the order of the workflow.
FORM_MODULES = ("intake.pdf", "surveys.pdf", "sessions.pdf", "evaluation.pdf")


# Record codes on filled forms: a letter, a dash, a number; the letter says whose it is.
# "module" calls its record_target(pk); "module:name" calls that function instead.
RECORD_CODES = {
    "A": "intake.pdf",  # written on a paper application when a coordinator keys it in
    "S": "surveys.pdf",
    "W": "sessions.pdf:worksheet_target",
    "R": "sessions.pdf:meeting_target",
    "P": "sessions.pdf:meeting_target",
    "F": "evaluation.pdf",
}


def record_target(code: str) -> str | None:
    """The page a record code printed on a filled form leads to, or None."""
    prefix, _dash, number = code.strip().upper().partition("-")
    target = RECORD_CODES.get(prefix)
    if target is None or not number.isdigit():
        return None
    module, _colon, name = target.partition(":")
    return getattr(import_module(module), name or "record_target")(int(number))


@cache
def registry() -> dict[str, PrintableForm]:
    found: dict[str, PrintableForm] = {}
    for module in FORM_MODULES:
        for printable in import_module(module).PRINTABLE_FORMS:
            found[printable.key] = printable
    return found
