"""The shared test helpers must be able to fail."""

import pytest
from django.db import connection

from accounts.models import User
from accounts.tests.factories import UserFactory
from core.testing import (
    assert_constant_queries,
    background_behind,
    blend,
    contrast_ratio,
    parse_css_color,
)

pytestmark = pytest.mark.django_db


def grow_members(n: int) -> None:
    UserFactory.create_batch(n, verified=False)


def test_constant_queries_passes_for_a_single_query():
    count = assert_constant_queries(lambda: list(User.objects.all()), grow_members)
    assert count == 1


def test_constant_queries_catches_one_query_per_row():
    def n_plus_one():
        for user in User.objects.all():
            User.objects.filter(pk=user.pk).exists()

    with pytest.raises(AssertionError, match="Query count grows with the data"):
        assert_constant_queries(n_plus_one, grow_members)


def test_autovacuum_leaves_the_postgresql_test_tables_alone():
    if connection.vendor != "postgresql":
        pytest.skip("autovacuum is PostgreSQL's; SQLite has none")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = "
            "'public'::regnamespace AND NOT ('autovacuum_enabled=false' = ANY "
            "(COALESCE(reloptions, '{}')))"
        )
        assert cursor.fetchall() == []


# The contrast arithmetic of the visible-controls browser test, against known pairs.
@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#ffffff", 1.0),
        ("#dee2e6", "#ffffff", 1.30),  # Bootstrap's default border: what the audit found
        ("#6c757d", "#ffffff", 4.69),  # gray-600, the controls' border now
        ("#767676", "#ffffff", 4.54),  # the well-known lightest grey for text on white
        ("rgb(5, 44, 101)", "rgb(248, 249, 250)", 12.81),  # the focus ring on bg-body-tertiary
    ],
)
def test_contrast_ratio_of_known_pairs(first, second, ratio):
    measured = contrast_ratio(parse_css_color(first)[:3], parse_css_color(second)[:3])
    assert measured == pytest.approx(ratio, abs=0.01)
    assert contrast_ratio(parse_css_color(second)[:3], parse_css_color(first)[:3]) == measured


def test_a_translucent_colour_is_blended_over_what_is_behind_it():
    # Bootstrap's focus glow: blue at 25 % over white is a pale blue, about 1.4:1.
    behind = background_behind(["rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"])
    assert behind == (255.0, 255.0, 255.0)
    glow = blend("rgba(13, 110, 253, 0.25)", behind)
    assert glow == pytest.approx((194.5, 218.75, 254.5))
    assert contrast_ratio(glow, behind) == pytest.approx(1.41, abs=0.01)
    # An opaque layer hides the layers under it; a transparent one shows the canvas.
    assert background_behind(["rgb(33, 37, 41)", "rgb(255, 255, 255)"]) == (33.0, 37.0, 41.0)
    assert background_behind(["transparent"]) == (255.0, 255.0, 255.0)


@pytest.mark.parametrize("value", ["color(srgb 1 0 0)", "rgb(1, 2)", "hsl(0, 0%, 0%)"])
def test_a_colour_the_helper_cannot_read_fails_loudly(value):
    with pytest.raises(ValueError, match="Not a colour"):
        parse_css_color(value)
