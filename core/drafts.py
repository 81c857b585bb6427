"""What the server tells static/js/drafts.js: whose drafts these are, and which to forget.

The browser keeps a copy of a long form while the member types (static/js/drafts.js), so
nothing is lost when the log-in ends or the page's CSRF token is stale. The server never
sees the drafts; it only renders three things on every page's <body>:

- `data-draft-owner`: an opaque value per member (an HMAC of the user id, not the e-mail),
  so one member's draft is never put back into another member's form on a shared computer;
  no owner (logged out), no drafts kept or restored;
- `data-drafts-clear`: the forms saved since the last page (the paths their POSTs went
  to), whose drafts the browser drops: the server has the text now;
- `data-drafts-clear-all`: after a log-out, every draft of this browser is dropped.

The markers travel in the session, like messages, from the POST to the page after the
redirect (`accounts.middleware.DraftsMiddleware`, `accounts.adapter.AccountAdapter.logout`).
"""

from django.http import HttpRequest
from django.utils.crypto import salted_hmac

# A draft older than this is dropped by the browser, unseen: long enough to come back after
# a member's idle log-out (SESSION_IDLE_MEMBER_DAYS is 14 by default), short enough that a
# shared computer does not keep an abandoned text for months.
KEEP_DAYS = 14

# The browser sends this field with a form it keeps a draft of, so the server only says
# "what you typed is kept in this browser" when it is true.
KEPT_FIELD = "draft_kept"

SAVED_KEY = "mentorship_drafts_saved"
CLEAR_ALL_KEY = "mentorship_drafts_clear_all"


def owner(user) -> str:
    """The member's opaque draft owner: stable across log-ins, meaningless to anyone else."""
    if user is None or not user.is_authenticated:
        return ""
    return salted_hmac("core.drafts.owner", str(user.pk), algorithm="sha256").hexdigest()[:32]


def kept(request: HttpRequest) -> bool:
    """The browser said it keeps a draft of the form this POST came from."""
    return request.method == "POST" and request.POST.get(KEPT_FIELD) == "1"


def mark_saved(request: HttpRequest, path: str) -> None:
    """The form that POSTs to `path` is saved: its draft can go."""
    saved = list(request.session.get(SAVED_KEY, []))
    if path not in saved:
        saved.append(path)
        request.session[SAVED_KEY] = saved[-20:]


def mark_clear_all(request: HttpRequest) -> None:
    """The member logged out: the next page drops every draft this browser holds."""
    request.session[CLEAR_ALL_KEY] = True


def pop_markers(request: HttpRequest) -> tuple[list[str], bool]:
    """The saved forms' paths and whether to clear all, each shown once."""
    session = getattr(request, "session", None)
    if session is None:
        return [], False
    saved = session.pop(SAVED_KEY, []) if SAVED_KEY in session else []
    clear_all = bool(session.pop(CLEAR_ALL_KEY, False)) if CLEAR_ALL_KEY in session else False
    return saved, clear_all
