"""How a published count of people reads once disclosure control has decided (core.disclosure).

Counts below SUPPRESS_BELOW, zeros included, read "fewer than 5"; a larger count hidden so
that a small one cannot be worked out reads "hidden".
"""

from dataclasses import dataclass

from django.utils.translation import gettext

# Counts below this are shown as "fewer than 5": a small cell could point at a person.
SUPPRESS_BELOW = 5


@dataclass(frozen=True)
class Cell:
    count: int
    suppressed: bool

    def __str__(self) -> str:
        if not self.suppressed:
            return str(self.count)
        if self.count < SUPPRESS_BELOW:
            return gettext("fewer than %(n)d") % {"n": SUPPRESS_BELOW}
        # A larger count hidden so that a small one cannot be worked out from the others.
        return gettext("hidden")
