"""Templated e-mail in the recipient's language, sent once the transaction commits."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_mail(*, to: str, language: str, template: str, context: dict) -> None:
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
    message = EmailMultiAlternatives(
        subject=settings.EMAIL_SUBJECT_PREFIX + " ".join(subject.split()), body=text, to=[to]
    )
    message.attach_alternative(html, "text/html")
    transaction.on_commit(message.send)
