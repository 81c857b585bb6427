"""Every row lock names the rows it means: `select_for_update(of=("self",))`.

On PostgreSQL a plain `SELECT … FOR UPDATE` locks a row of every table in the query, and
the ORM joins tables a service never asked for: `.first()` orders by the model's
`Meta.ordering`, which for a participant is its program and its user's name, for a match
its program. So locking one participant to save a survey also locked the program's row, and
every member's save in that program queued on it; with the funnel's own locks on
participants (dashboard/funnel.py), two saves could wait on each other: the production
smoke's load test met "deadlock detected … while locking tuple in relation
programs_program". `of=("self",)` locks the model's own rows and nothing joined to them.
"""

import ast
from pathlib import Path

import pytest
from django.db import connection, transaction

from programs.models import Participant

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {".venv", "node_modules", "tests", "migrations", "var"}


def production_sources() -> list[Path]:
    return [path for path in ROOT.rglob("*.py") if not SKIPPED & set(path.relative_to(ROOT).parts)]


def unnamed_locks(source: str) -> list[int]:
    """The lines of `source` that lock rows without saying whose (`of=`)."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "select_for_update"
        and not any(keyword.arg == "of" for keyword in node.keywords)
    ]


def test_every_row_lock_names_its_own_rows():
    found = {
        str(path.relative_to(ROOT)): lines
        for path in production_sources()
        if (lines := unnamed_locks(path.read_text()))
    }
    assert found == {}


def test_a_lock_without_of_is_caught():
    assert unnamed_locks("Participant.objects.select_for_update().filter(pk=1).first()") == [1]
    assert unnamed_locks("x.select_for_update(skip_locked=True)") == [1]
    assert unnamed_locks('x.select_for_update(of=("self",))') == []


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
def test_locking_a_participant_locks_no_program_or_member(cast):
    """The lock `surveys.services.survey_save` takes, as `.first()` compiles it: ordered by
    the participant's program and user, which joins their tables, yet only the
    participant's row is locked."""
    with transaction.atomic():
        locked = (
            Participant.objects.select_for_update(of=("self",))
            .filter(pk=cast.mentee_participant.pk)
            .order_by(*Participant._meta.ordering)[:1]
        )
        sql = str(locked.query)
    assert '"programs_program"' in sql and '"accounts_user"' in sql
    assert sql.endswith('FOR UPDATE OF "programs_participant"')
