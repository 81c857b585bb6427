"""The shared test helpers must be able to fail."""

import pytest
from django.db import connection

from accounts.models import User
from accounts.tests.factories import UserFactory
from core.testing import assert_constant_queries

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
