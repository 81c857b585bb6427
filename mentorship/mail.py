"""Templated e-mail in the recipient's language, sent once the transaction commits."""

from collections.abc import Callable, Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

# (file name, content or a function making it in the recipient's language, MIME type)
Attachment = tuple[str, bytes | Callable[[], bytes], str]


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
        subject = render_to_string(f"email/{template}_subject.txt", context)
        text = render_to_string(f"email/{template}.txt", context)
        html = render_to_string("email/base.html", {**context, "text": text, "subject": subject})
        files = [
            (name, make() if callable(make) else make, kind) for name, make, kind in attachments
        ]
    message = EmailMultiAlternatives(
        subject=settings.EMAIL_SUBJECT_PREFIX + " ".join(subject.split()), body=text, to=[to]
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
