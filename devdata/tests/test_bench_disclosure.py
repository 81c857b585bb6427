import pytest

from devdata.bench import disclosure
from programs.models import Program

pytestmark = pytest.mark.django_db


def test_the_disclosure_bench_reports_each_case_and_leaves_nothing_behind():
    figures = disclosure.run(repeat=1)
    assert [f.group for f in figures] == ["disclosure_first", "disclosure_repeated"] * 3
    assert all(f.name.startswith("disclosure audit") and len(f.samples_ms) == 1 for f in figures)
    assert all("lp_solves" in f.extra for f in figures[::2])
    assert not Program.objects.exists()  # the demo program was rolled back
