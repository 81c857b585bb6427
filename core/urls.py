"""URLs for the rows of a page: one `reverse()` per page, each row's ids written in.

A list of fifty rows links each row to the same named route with its own id; `reverse()`
per row is a large share of such a page's time. `url_pattern` reverses the route once with
stand-in ids and returns a function that writes the URL for given ids by joining strings.
"""

from collections.abc import Callable

from django.urls import reverse
from django.utils.html import escape

# The first stand-in id; the next trailing id gets the next number. No row has such a key,
# and all stand-ins have the same number of digits, so none is a part of another.
STAND_IN = 918_273_645_000


def url_pattern(
    name: str, *leading_args, ids: int = 1, escaped: bool = False
) -> Callable[..., str]:
    """A function `write(*pks)` equal to `reverse(name, args=[*leading_args, *pks])`.

    The last `ids` arguments of the route are `<int:...>` parts, given as whole numbers
    (`int(pk)` is enforced, so no text reaches the URL through them). The route is
    reversed once with stand-in ids; when a stand-in is not found exactly once in the
    result, in order (a slug holding its digits, a converter that rewrites the number),
    every call falls back to `reverse()`, so the answer is always reverse()'s own.

    `escaped`: the URL HTML-escaped, for markup built in Python (the id digits need none).
    The current script prefix is read when the pattern is made: make it per request.
    """
    stand_ins = [str(STAND_IN + index) for index in range(ids)]
    probe = reverse(name, args=[*leading_args, *stand_ins])
    pieces, start = [], 0
    for stand_in in stand_ins:
        at = probe.find(stand_in, start)
        if at < 0 or probe.count(stand_in) != 1:
            return _by_reverse(name, leading_args, ids, escaped)
        pieces.append(probe[start:at])
        start = at + len(stand_in)
    pieces.append(probe[start:])
    if escaped:
        pieces = [str(escape(piece)) for piece in pieces]
    if ids == 1:
        head, tail = pieces
        return lambda pk: f"{head}{int(pk)}{tail}"
    head, tails = pieces[0], pieces[1:]

    def write(*pks) -> str:
        if len(pks) != ids:
            raise TypeError(f"{name} takes {ids} ids, {len(pks)} given")
        return head + "".join(f"{int(pk)}{tail}" for pk, tail in zip(pks, tails, strict=True))

    return write


def _by_reverse(name: str, leading_args, ids: int, escaped: bool) -> Callable[..., str]:
    def write(*pks) -> str:
        if len(pks) != ids:
            raise TypeError(f"{name} takes {ids} ids, {len(pks)} given")
        url = reverse(name, args=[*leading_args, *(int(pk) for pk in pks)])
        return str(escape(url)) if escaped else url

    return write
