"""Fixtures shared by the matching app's tests (a module may still define its own)."""

import pytest

from programs.models import Program


@pytest.fixture
def program(cast):
    """The cast's program, at the matching stage."""
    cast.program.status = Program.Status.MATCHING
    cast.program.save(update_fields=["status"])
    return cast.program


@pytest.fixture
def coordinator(client_as):
    return client_as("coordinator")
