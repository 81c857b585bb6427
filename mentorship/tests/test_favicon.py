"""/favicon.ico answers (browsers and crawlers ask for it whatever the page links), cached a day."""

import re

from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

ICO_HEADER = b"\x00\x00\x01\x00"


def test_favicon_ico_answers_with_an_icon_browsers_may_keep(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(ICO_HEADER)
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert response["Cache-Control"] == "max-age=86400, public"


def test_a_logged_in_member_gets_the_same_cacheable_icon(cast, client_as):
    """Served above the middleware that makes members' pages no-store: an icon holds no data."""
    response = client_as("member").get("/favicon.ico")
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]


def test_every_page_links_the_icons(db):
    html = Client().get(reverse("home")).content.decode()
    assert re.search(r'<link rel="icon" href="/favicon.ico"', html)
    svg = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml"', html)
    assert svg and svg.group(1).endswith(".svg")
    assert finders.find("favicon.svg")
