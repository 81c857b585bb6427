"""`core.urls.url_pattern` writes exactly what `reverse()` writes, for every shape of route.

The routes below are this module's own (`pytest.mark.urls`): shapes the project's routes
have (slug then ids) and the awkward ones a naive split on the stand-in gets wrong.
"""

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpResponse
from django.urls import path, reverse, set_script_prefix
from django.utils import translation
from django.utils.html import escape

from core.urls import STAND_IN, url_pattern


def _view(request, **kwargs):
    return HttpResponse()


urlpatterns = [
    path("p/<slug:slug>/items/<int:pk>/", _view, name="one"),
    path("p/<slug:slug>/pairs/<int:match_id>/meetings/<int:pk>/", _view, name="two"),
    path("p/<slug:slug>/x<int:pk>/", _view, name="digits"),
    path("p/<str:code><int:pk>/", _view, name="glued"),
    path("items/<int:pk>/", _view, name="bare"),
    path("q/<str:text>/<int:pk>/", _view, name="text"),
    *i18n_patterns(path("t/<slug:slug>/<int:pk>/", _view, name="translated")),
]

pytestmark = pytest.mark.urls(__name__)

IDS = [1, 7, 42, 2_147_483_647, STAND_IN, STAND_IN + 1, 10**15]


@pytest.fixture(autouse=True)
def _root_prefix():
    yield
    set_script_prefix("/")


@pytest.mark.parametrize(
    ("name", "leading"),
    [
        ("one", ["local-42"]),
        ("one", ["local-918273645000"]),  # the slug holds the stand-in's digits
        ("one", [f"a{STAND_IN}-{STAND_IN}"]),  # twice
        ("digits", ["x9"]),  # an id right after other digits
        ("digits", ["y918273645"]),
        ("glued", ["9182736450"]),  # a stand-in's digits straddle the slug and the id
        ("glued", ["91827364500"]),
        ("bare", []),
        ("text", ["a&b'c"]),  # characters that HTML escapes
    ],
)
def test_one_id_is_written_as_reverse_writes_it(name, leading):
    write = url_pattern(name, *leading)
    for pk in IDS:
        assert write(pk) == reverse(name, args=[*leading, pk])


@pytest.mark.parametrize("slug", ["local-1", "l918273645000", "l918273645001", "x"])
def test_two_ids_are_written_in_their_order(slug):
    write = url_pattern("two", slug, ids=2)
    for match_id, pk in [(1, 2), (2, 1), (STAND_IN + 1, STAND_IN), (33, 33)]:
        assert write(match_id, pk) == reverse("two", args=[slug, match_id, pk])


def test_the_leading_id_may_be_given_as_a_leading_argument():
    write = url_pattern("two", "local", 5)
    assert write(9) == reverse("two", args=["local", 5, 9])


def test_the_script_prefix_is_kept():
    set_script_prefix("/union/")
    write, two = url_pattern("one", "local"), url_pattern("two", "local", ids=2)
    assert write(3) == reverse("one", args=["local", 3]) == "/union/p/local/items/3/"
    assert two(4, 5) == reverse("two", args=["local", 4, 5])


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_language_prefix_is_kept(language):
    with translation.override(language):
        write = url_pattern("translated", "local")
        assert write(12) == reverse("translated", args=["local", 12])
        assert write(12).startswith(f"/{language}/")


def test_ids_must_be_whole_numbers():
    write, two = url_pattern("one", "local"), url_pattern("two", "local", ids=2)
    assert write("12") == reverse("one", args=["local", 12])
    for bad in ["12/../../admin", "<script>", "1 2"]:
        with pytest.raises(ValueError):
            write(bad)
        with pytest.raises(ValueError):
            two(1, bad)
    with pytest.raises(ValueError):
        url_pattern("one", "local-918273645000")("3x")  # the fallback enforces it too
    with pytest.raises(TypeError):
        two(1)


def test_escaped_is_reverse_escaped():
    for leading in (["a&b'c"], [f"a{STAND_IN}&"]):
        write = url_pattern("text", *leading, escaped=True)
        assert write(5) == escape(reverse("text", args=[*leading, 5]))
        assert "&amp;" in write(5)
