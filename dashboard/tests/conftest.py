import pytest


@pytest.fixture(autouse=True)
def uncached_charts(settings):
    """Each request computes its charts, so query counts and data are the request's own;
    the cache has its own test."""
    settings.DASHBOARD_CHART_SECONDS = 0


@pytest.fixture
def frozen_today():
    """Noon on the tests' fixed day (dashboard.tests.helpers.TODAY), not ticking."""
    import time_machine

    from .helpers import TODAY, at

    with time_machine.travel(at(TODAY, 12), tick=False):
        yield
