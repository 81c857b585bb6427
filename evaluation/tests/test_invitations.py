"""Opening the program evaluation e-mails every participant who has not answered, at once,
in their own language, once per opening (issue 20, item 3); the reminders come later."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import tasks
from core.models import OutboxMessage
from evaluation import services

from .helpers import respond

pytestmark = pytest.mark.django_db

ENGLISH_SUBJECT = "How did {program} go? The evaluation is open"
FRENCH_SUBJECT = "Comment s’est passé {program}\u00a0? L’évaluation est ouverte"


def open_window(cast, capture):
    with capture(execute=True):
        return services.evaluation_window_open(program=cast.program, by=cast.coordinator)


def by_recipient(mailoutbox) -> dict[str, list]:
    found: dict[str, list] = {}
    for message in mailoutbox:
        for to in message.to:
            found.setdefault(to, []).append(message)
    return found


def test_opening_e_mails_each_participant_in_their_language(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    cast.mentee.language = "fr"
    cast.mentee.save()
    cast.mentor.language = "en"
    cast.mentor.save()
    open_window(cast, django_capture_on_commit_callbacks)

    sent = by_recipient(mailoutbox)
    assert sorted(sent) == sorted([cast.mentee.email, cast.mentor.email])  # not the coordinator
    url = reverse("evaluation:evaluate", args=[cast.program.slug])
    (french,) = sent[cast.mentee.email]
    assert FRENCH_SUBJECT.format(program=cast.program.name) in french.subject
    assert f"L’évaluation du programme {cast.program.name} est maintenant ouverte" in french.body
    assert "confidentielles" in french.body
    assert url in french.body
    (english,) = sent[cast.mentor.email]
    assert ENGLISH_SUBJECT.format(program=cast.program.name) in english.subject
    assert f"The program evaluation of {cast.program.name} is now open." in english.body
    assert "confidential" in english.body
    assert url in english.body
    assert url in english.alternatives[0].content  # the HTML part links to it too


def test_opening_an_open_window_or_retrying_a_send_mails_nobody_twice(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    open_window(cast, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 2
    open_window(cast, django_capture_on_commit_callbacks)  # already open: nothing new
    assert len(mailoutbox) == 2
    # Every queued send run again (a retried task, a second worker): the outbox sends once.
    for pk in OutboxMessage.objects.values_list("pk", flat=True):
        tasks.send_outbox.apply((pk,))
    assert len(mailoutbox) == 2
    assert OutboxMessage.objects.count() == 2


def test_a_second_opening_e_mails_only_those_who_have_not_answered(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    open_window(cast, django_capture_on_commit_callbacks)
    respond([cast.mentee_participant])
    services.evaluation_window_close(program=cast.program, by=cast.coordinator)
    mailoutbox.clear()
    open_window(cast, django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [[cast.mentor.email]]


def test_a_refused_opening_e_mails_nobody(cast, mailoutbox, django_capture_on_commit_callbacks):
    cast.program.status = "matching"
    cast.program.save()
    with pytest.raises(ValidationError):
        open_window(cast, django_capture_on_commit_callbacks)
    assert mailoutbox == []
