"""A program's packet of forms: built once in the background, reused while building."""

from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from printing.models import Packet
from printing.tests.test_printing import text_of

pytestmark = pytest.mark.django_db


def test_coordinator_builds_the_packet_and_downloads_it(
    filled, cast, client_as, tmp_path, django_capture_on_commit_callbacks
):
    client = client_as("coordinator")
    url = reverse("printing:packet", args=[cast.program.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    packet = Packet.objects.get()
    assert packet.status == "done" and packet.done_items == packet.total_items == 2 + 3
    page = client.get(url).content.decode()
    assert "Download the packet (PDF)" in page
    download = client.get(reverse("printing:packet_download", args=[cast.program.slug, packet.pk]))
    pdf = b"".join(download.streaming_content)
    text = text_of(pdf, tmp_path)
    assert "Mentee survey: Eddie Mentee" in text or "Eddie Mentee" in text
    assert "My answer to expectations" in text
    assert "Planning" in text and "Session" in text
    assert "Zyxgender" not in text and "1977" not in text  # printed as a partner sees it


def test_a_second_request_while_building_reuses_it(cast, client_as):
    running = Packet.objects.create(program=cast.program, status="running", total_items=10)
    response = client_as("coordinator").post(
        reverse("printing:packet", args=[cast.program.slug]), follow=True
    )
    assert "A packet is already being built" in response.content.decode()
    assert list(Packet.objects.all()) == [running]
    html = response.content.decode()
    assert 'role="progressbar"' in html and 'http-equiv="refresh"' in html


def test_a_failed_build_says_so(cast, client_as, django_capture_on_commit_callbacks):
    url = reverse("printing:packet", args=[cast.program.slug])
    with (
        mock.patch("printing.packets.render_document", side_effect=RuntimeError("boom")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client_as("coordinator").post(url)
    assert Packet.objects.get().status == "failed"
    page = client_as("coordinator").get(url).content.decode()
    assert "Building the packet failed" in page and "boom" not in page


def test_only_the_programs_coordinators_get_the_packet(cast, client_as):
    packet = Packet.objects.create(program=cast.program, status="done")
    packet.file.save("p.pdf", ContentFile(b"%PDF-1.7"))
    url = reverse("printing:packet_download", args=[cast.program.slug, packet.pk])
    assert client_as("other_coordinator").get(url).status_code == 404
    assert client_as("mentor").get(url).status_code == 403
    assert client_as("coordinator").get(url).status_code == 200


def test_the_build_task_keeps_the_name_queued_tasks_carry():
    """Builds queued before the move to printing/ name the task as it was then."""
    from mentorship.celery import app

    app.loader.import_default_modules()  # what a worker does: every app's tasks.py
    assert app.tasks["mentorship.build_packet"].run.__module__ == "printing.tasks"


def test_a_broker_refusing_the_build_fails_the_packet_so_the_next_request_starts_one(
    cast, client_as, django_capture_on_commit_callbacks
):
    url = reverse("printing:packet", args=[cast.program.slug])
    with (
        mock.patch("printing.tasks.build_packet.delay", side_effect=OSError("redis down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client_as("coordinator").post(url)
    assert Packet.objects.get().status == "failed"
    with django_capture_on_commit_callbacks(execute=True):
        client_as("coordinator").post(url)
    assert sorted(Packet.objects.values_list("status", flat=True)) == ["done", "failed"]


def test_the_build_is_queued_only_once_the_packet_is_committed(cast, client_as):
    """Outside a commit (the request's transaction rolled back) nothing is queued."""
    with mock.patch("printing.tasks.build_packet.delay") as delay:
        client_as("coordinator").post(reverse("printing:packet", args=[cast.program.slug]))
    delay.assert_not_called()  # the test's transaction never commits
    assert Packet.objects.get().status == "queued"


def test_with_the_broker_down_a_request_says_printing_is_paused_and_records_nothing(
    cast, client_as
):
    """Redis down: no packet waits for a build nobody queued, and the coordinator is told."""
    url = reverse("printing:packet", args=[cast.program.slug])
    with (
        mock.patch("printing.views.broker_available", return_value=False),
        mock.patch("printing.tasks.build_packet.delay") as delay,
    ):
        response = client_as("coordinator").post(url, follow=True)
    assert "Printing is paused" in response.content.decode()
    assert not Packet.objects.exists()
    delay.assert_not_called()


def test_the_broker_check_fails_fast_on_a_refused_connection(settings):
    """Not eager and nothing listening: False at once, not after Celery's retries."""
    import time

    from mentorship.celery import app
    from printing.tasks import broker_available

    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False)
    app._pool = None
    try:
        started = time.monotonic()
        assert broker_available() is False
        assert time.monotonic() - started < 2
    finally:
        app.conf.update(broker_url=saved[0], task_always_eager=saved[1])
        app._pool = None


# --- what the page says happened (issue 18: no "shows its progress" after a blocking click) --


@pytest.mark.django_db(transaction=True)
def test_without_a_worker_the_click_builds_the_packet_and_says_it_is_ready(filled, cast, client_as):
    """`make run`: the build runs in the request (after commit); the message says it is done."""
    url = reverse("printing:packet", args=[cast.program.slug])
    page = client_as("coordinator").get(url).content.decode()
    assert "The packet is built when you click" in page
    response = client_as("coordinator").post(url, follow=True)
    html = response.content.decode()
    assert Packet.objects.get().status == "done"
    assert "The packet is ready to download." in html
    assert "being built" not in html and "progress" not in html
    assert "Download the packet (PDF)" in html


@pytest.mark.django_db(transaction=True)
def test_without_a_worker_a_failed_build_is_not_called_under_way(filled, cast, client_as):
    url = reverse("printing:packet", args=[cast.program.slug])
    with mock.patch("printing.packets.render_document", side_effect=RuntimeError("boom")):
        response = client_as("coordinator").post(url, follow=True)
    html = response.content.decode()
    assert Packet.objects.get().status == "failed"
    assert "The packet could not be built." in html and "being built" not in html


def test_with_a_worker_the_page_says_it_builds_in_the_background_and_shows_progress(
    cast, client_as, django_capture_on_commit_callbacks
):
    url = reverse("printing:packet", args=[cast.program.slug])
    with (
        mock.patch("printing.views.builds_in_background", return_value=True),
        mock.patch("printing.tasks.build_packet.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_as("coordinator").post(url, follow=True)
    html = response.content.decode()
    delay.assert_called_once()
    assert Packet.objects.get().status == "queued"
    assert "The packet is being built in the background." in html
    assert 'role="progressbar"' in html and 'http-equiv="refresh"' in html
    assert "The packet is ready" not in html
