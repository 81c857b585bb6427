import pytest

from devdata.bench import disclosure
from programs.models import Program

pytestmark = pytest.mark.django_db


def test_the_disclosure_bench_reports_each_case_and_leaves_nothing_behind():
    lines = disclosure.run(repeat=1)
    assert lines[0].startswith("disclosure audit")
    assert len(lines) == 4
    assert all("cold" in line and "warm" in line and "LP solves" in line for line in lines[1:])
    assert not Program.objects.exists()  # the demo program was rolled back
