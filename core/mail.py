"""Templated e-mail in the recipient's language, written to the outbox with the change.

What a member typed reaches a mail as data, never as markup: the subject and the text
part are plain text (rendered with autoescaping off, so "Stewards' Cohort" is not
"Stewards&#x27; Cohort"), and the HTML part escapes the text part before it turns the
links into anchors and the lines into paragraphs.

Nothing here talks to SMTP: each e-mail is a row of the outbox (core/models.py), written
in the caller's transaction and sent by the Celery worker after commit (core/outbox.py
says what is guaranteed). `mail_batch()` writes the e-mails of a loop in one insert.
"""

import contextlib
import re
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import EmailMessage
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation
from django.utils.html import strip_tags

from . import tasks
from .outbox import Draft, outbox_retry, outbox_write

# (file name, content or a function making it in the recipient's language, MIME type)
Attachment = tuple[str, bytes | Callable[[], bytes], str]

# The drafts of the innermost mail_batch() block, or None outside one.
_batch: ContextVar[list[Draft] | None] = ContextVar("mail_batch", default=None)


def render_plain_text(template_name: str, context: dict) -> str:
    """A text template rendered as text: nothing escaped, and not marked safe for HTML.

    The result is a plain `str`, so a template that shows it (email/base.html) escapes it.
    """
    template = get_template(template_name).template  # the engine's own Template
    rendered = template.render(Context(context, autoescape=False))
    # Template.render marks its output safe; str.__str__ returns a plain copy without the mark.
    return str.__str__(rendered)


# Any whitespace (line breaks of every kind included) but the no-break spaces French puts
# before its colons and question marks ("Invitation\u00a0: ...").
_BREAKABLE_SPACE = re.compile(r"[^\S\u00a0\u202f]+")


def one_line(text: str) -> str:
    """A header value: every run of whitespace, line breaks included, becomes one space;
    no-break spaces stay."""
    return _BREAKABLE_SPACE.sub(" ", text).strip()


def render_templated_mail(
    *, to: str, language: str, template: str, context: dict, attachments: Sequence[Attachment] = ()
) -> Draft:
    """Render email/<template>_subject.txt and .txt (and the HTML part) in `language`.

    The HTML part is the text part in email/base.html (one wording to translate).
    Bodies must hold nothing the recipient may not see on screen; links are absolute
    (SITE_URL) so they work from any mail client.
    """
    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = one_line(render_plain_text(f"email/{template}_subject.txt", context))
        text = render_plain_text(f"email/{template}.txt", context)
        html = render_to_string("email/base.html", {**context, "text": text, "subject": subject})
        files = tuple(
            (name, make() if callable(make) else make, kind) for name, make, kind in attachments
        )
        prefix = str(settings.EMAIL_SUBJECT_PREFIX)  # "[Mentorship] ", in `language`
    return Draft(
        to=to,
        subject=one_line(prefix + subject),
        text=text,
        html=html,
        attachments=files,
    )


def send_templated_mail(
    *,
    to: str,
    language: str,
    template: str,
    context: dict,
    attachments: Sequence[Attachment] = (),
) -> int | None:
    """Write the e-mail to the outbox in the current transaction; sent after commit.

    Returns the outbox row's id, or None inside mail_batch() (written when the block ends).
    """
    draft = render_templated_mail(
        to=to, language=language, template=template, context=context, attachments=attachments
    )
    batch = _batch.get()
    if batch is not None:
        batch.append(draft)
        return None
    ids = outbox_write(drafts=[draft])
    tasks.queue_on_commit(ids)
    return ids[0]


@contextlib.contextmanager
def mail_batch() -> Iterator[None]:
    """The e-mails sent inside the block are written in one insert when it ends.

    For a change that mails many members (a group session for a whole program).
    """
    drafts: list[Draft] = []
    token = _batch.set(drafts)
    try:
        yield
    finally:
        _batch.reset(token)
    tasks.queue_on_commit(outbox_write(drafts=drafts))


def send_rendered_mail(message: EmailMessage) -> list[int]:
    """A message rendered elsewhere (allauth's e-mails) through the outbox: a row per
    recipient, written in the current transaction, sent after commit."""
    html = next(
        (content for content, kind in getattr(message, "alternatives", []) if kind == "text/html"),
        "",
    )
    text = message.body
    if message.content_subtype == "html":
        html, text = message.body, strip_tags(message.body)
    drafts = [
        Draft(to=to, subject=message.subject, text=text, html=html)
        for to in message.to + message.cc + message.bcc
    ]
    ids = outbox_write(drafts=drafts)
    tasks.queue_on_commit(ids)
    return ids


def mail_member(user, template: str, context: dict, **options) -> int | None:
    """send_templated_mail to a member, in their language, with them as `user` in the context."""
    if not user.is_active:
        # A deleted or disabled account: its address is a placeholder, nobody reads it.
        return None
    return send_templated_mail(
        to=user.email,
        language=user.language,
        template=template,
        context={**context, "user": user},
        **options,
    )


def mail_retry(*, message_ids: Sequence[int]) -> list[int]:
    """Send failed or waiting outbox rows again now (after commit); the ids that will be."""
    ids = outbox_retry(message_ids=message_ids)
    tasks.queue_on_commit(ids)
    return ids
