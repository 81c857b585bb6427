"""The Packet model moved from mentorship to printing: a database that had it keeps its rows."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from printing.models import Packet

BEFORE = [("mentorship", "0001_packets"), ("printing", None)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_packets_made_before_the_move_are_there_after_it(cast):
    old_apps = migrate(BEFORE)
    with pytest.raises(LookupError):
        old_apps.get_model("printing", "Packet")  # the state before the move
    OldPacket = old_apps.get_model("mentorship", "Packet")
    old = OldPacket.objects.create(program_id=cast.program.pk, status="done", total_items=3)
    try:
        latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
        migrate(latest)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    moved = Packet.objects.get()
    assert (moved.pk, moved.program, moved.status, moved.total_items) == (
        old.pk,
        cast.program,
        "done",
        3,
    )
    assert Packet._meta.db_table == "mentorship_packet"
    assert "mentorship_packet" in connection.introspection.table_names()
