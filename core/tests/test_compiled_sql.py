import pytest
from django.db import DEFAULT_DB_ALIAS

from accounts.models import User
from core.compiled_sql import Marker, compile_marked, run_marked, run_marked_rows

pytestmark = pytest.mark.django_db
WHO = Marker("who")


def test_each_call_runs_with_its_own_value_in_the_markers_place():
    first = User.objects.create_user(email="a@example.org", password="x" * 14, name="A")
    second = User.objects.create_user(email="b@example.org", password="x" * 14, name="B")
    query = User.objects.filter(pk=-7).values_list("email")
    sql, marked = compile_marked(query, DEFAULT_DB_ALIAS, {-7: WHO})
    assert WHO in marked and -7 not in marked
    for user in (first, second):
        columns, rows = run_marked(DEFAULT_DB_ALIAS, sql, marked, {WHO: user.pk})
        assert columns == ["email"] and rows == [(user.email,)]
        assert run_marked_rows(DEFAULT_DB_ALIAS, sql, marked, {WHO: user.pk}) == [
            {"email": user.email}
        ]


def test_sql_that_lost_a_stand_in_is_refused():
    query = User.objects.filter(pk=5).values_list("email")
    with pytest.raises(RuntimeError):
        compile_marked(query, DEFAULT_DB_ALIAS, {-7: WHO})


def test_a_bool_parameter_is_never_taken_for_a_stand_in():
    query = User.objects.filter(is_active=True).values_list("email")
    with pytest.raises(RuntimeError):
        compile_marked(query, DEFAULT_DB_ALIAS, {1: WHO})
