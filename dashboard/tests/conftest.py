import pytest


@pytest.fixture(autouse=True)
def uncached_charts(settings):
    """Each request computes its charts, so query counts and data are the request's own;
    the cache has its own test."""
    settings.DASHBOARD_CHART_SECONDS = 0
