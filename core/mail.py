"""Templated e-mail in the recipient's language, sent once the transaction commits.

What a member typed reaches a mail as data, never as markup: the subject and the text
part are plain text (rendered with autoescaping off, so "Stewards' Cohort" is not
"Stewards&#x27; Cohort"), and the HTML part escapes the text part before it turns the
links into anchors and the lines into paragraphs.
"""

from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.utils import translation

# (file name, content or a function making it in the recipient's language, MIME type)
Attachment = tuple[str, bytes | Callable[[], bytes], str]


def render_plain_text(template_name: str, context: dict) -> str:
    """A text template rendered as text: nothing escaped, and not marked safe for HTML.

    The result is a plain `str`, so a template that shows it (email/base.html) escapes it.
    """
    template = get_template(template_name).template  # the engine's own Template
    rendered = template.render(Context(context, autoescape=False))
    # Template.render marks its output safe; str.__str__ returns a plain copy without the mark.
    return str.__str__(rendered)


def one_line(text: str) -> str:
    """A header value: every run of whitespace, line breaks included, becomes one space."""
    return " ".join(text.split())


def send_templated_mail(
    *,
    to: str,
    language: str,
    template: str,
    context: dict,
    attachments: Sequence[Attachment] = (),
    immediately: bool = False,
) -> None:
    """Render email/<template>_subject.txt and .txt, and send after commit.

    The HTML part is the text part in email/base.html (one wording to translate).
    Bodies must hold nothing the recipient may not see on screen; links are absolute
    (SITE_URL) so they work from any mail client.
    """
    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = one_line(render_plain_text(f"email/{template}_subject.txt", context))
        text = render_plain_text(f"email/{template}.txt", context)
        html = render_to_string("email/base.html", {**context, "text": text, "subject": subject})
        files = [
            (name, make() if callable(make) else make, kind) for name, make, kind in attachments
        ]
    message = EmailMultiAlternatives(
        subject=one_line(settings.EMAIL_SUBJECT_PREFIX + subject), body=text, to=[to]
    )
    message.attach_alternative(html, "text/html")
    for name, content, kind in files:
        message.attach(name, content, kind)
    if immediately:
        message.send()  # the caller records the send in the same transaction
    else:
        transaction.on_commit(message.send)


def mail_member(user, template: str, context: dict, **options) -> None:
    """send_templated_mail to a member, in their language, with them as `user` in the context."""
    send_templated_mail(
        to=user.email,
        language=user.language,
        template=template,
        context={**context, "user": user},
        **options,
    )
