"""The bench's pages: the same number of queries whatever the data size, and all of them benched.

Built at two small scales (the bench itself compares 0.05x, 1x and 2x): a page whose query
count grows with the data runs a query per row, and would at national size too.
"""

import pytest

from devdata.bench import pages, seed
from matching.models import MatchingProfile
from members.export import REGISTRY
from mentorship.tests.test_access_matrix import MATRIX, Row
from programs.models import Participant, Program
from surveys.models import Survey

pytestmark = pytest.mark.django_db

SMALL, LARGER = 0.01, 0.04
QUERY_BUDGET = 15  # issue 19: every page <= 15 queries whatever the data size

# Pages over the budget today, each with the helper whose branch brings it under; these
# entries go when the branches merge (the bench's budgets then check the same at 1x).
# The member's own data: one query per kind of data kept about them (members/export.py),
# whatever the number of rows; mentorship/tests/test_query_budget.py gives it the same budget.
OWN_BUDGET: dict[str, int] = {"detail: coordinator's data": len(REGISTRY) + 3}


def coordinator_get_pages(matrix: dict[str, Row]) -> set[str]:
    """The access matrix's GET pages that a program's coordinator can open."""
    return {
        name
        for name, row in matrix.items()
        if row.method == "get" and row.expect["coordinator"] == 200
    }


def unbenched(matrix: dict[str, Row], benched: set[str]) -> list[str]:
    return sorted(coordinator_get_pages(matrix) - benched - set(pages.NOT_BENCHED))


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    """Each page's query count at both scales (each built and rolled back), and the pages."""
    with django_db_blocker.unblock():
        small, built = pages.page_query_counts(SMALL)
        larger, _ = pages.page_query_counts(LARGER)
    return small, larger, {page.url_name for page in built["pages"]}


def test_query_counts_do_not_grow_with_the_data(counts):
    small, larger, _ = counts
    assert small.keys() == larger.keys()
    grown = {name: (small[name], larger[name]) for name in small if small[name] != larger[name]}
    assert grown == {}, f"queries grow with the data (at {SMALL}x, {LARGER}x): {grown}"


def test_every_page_within_the_query_budget(counts):
    small, larger, _ = counts
    over = {
        name: max(small[name], larger[name])
        for name in small
        if max(small[name], larger[name]) > OWN_BUDGET.get(name, QUERY_BUDGET)
    }
    assert over == {}, f"over {QUERY_BUDGET} queries: {over}"


def test_every_coordinator_get_page_is_benched(counts):
    *_, benched_names = counts
    assert unbenched(MATRIX, benched_names) == []
    # An exclusion for a page that is benched, or gone from the matrix, is a stale excuse.
    assert sorted(set(pages.NOT_BENCHED) & benched_names) == []
    assert sorted(set(pages.NOT_BENCHED) - coordinator_get_pages(MATRIX)) == []


def test_a_new_coordinator_page_that_is_not_benched_is_caught():
    benched_names = {
        name for name in coordinator_get_pages(MATRIX) if name not in pages.NOT_BENCHED
    }
    new = {**MATRIX, "programs:new_list": Row(MATRIX["programs:participants"].expect)}
    assert unbenched(new, benched_names) == ["programs:new_list"]


def test_the_board_cohort_is_a_matching_program_of_its_own_members():
    built = seed.build(scale=SMALL)
    board = seed.build_board(scale=SMALL)
    assert (board["mentees"], board["mentors"]) == (5, 2)
    program = Program.objects.get(slug=board["program_slug"])
    assert program.status == Program.Status.MATCHING
    assert program.coordinators.filter(pk=built["coordinator_pk"]).exists()
    people = Participant.objects.filter(program=program)
    assert people.filter(role="mentee").count() == 5
    assert Survey.objects.filter(participant__in=people, status="submitted").count() == 7
    assert MatchingProfile.objects.filter(participant__in=people).count() == 5
    # Its members are bench members the seed's own build did not use.
    assert seed.bench_users().count() == built["members"] + 7
    seed.delete_bench_data()
    assert not seed.bench_data_exists()


def test_the_benchs_budget_for_the_data_page_is_the_same_exception():
    from devdata.bench.report import load_budgets

    assert load_budgets()["export"]["queries"] == OWN_BUDGET["detail: coordinator's data"]
