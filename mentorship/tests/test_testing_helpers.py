"""The shared test helpers must be able to fail."""

import pytest

from accounts.models import User
from accounts.tests.factories import UserFactory
from mentorship.testing import assert_constant_queries

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
