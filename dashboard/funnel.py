"""Writing the stored funnel columns of Participant from the steps' definitions.

`refresh` is the computation every service calls through `programs.funnel.funnel_changed`
(installed by `DashboardConfig.ready`: see programs/funnel.py for why); `recompute` is the
safety net run by beat and by `manage.py funnel_recompute`: it compares every participant's
stored columns with the definitions and corrects those that drifted.
"""

import functools
import logging
from collections.abc import Iterator

from django.db import connections, router, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.sql import UpdateQuery

from core.compiled_sql import Marker, compile_marked, filled
from programs.models import Participant

from .selectors import funnel_columns

logger = logging.getLogger(__name__)

COLUMNS = ("funnel_depth", "funnel_met_at", "funnel_completed", "funnel_evaluated")
RECOMPUTE_BATCH = 2000


def computed(participants: QuerySet[Participant]) -> Iterator[tuple[int, tuple, tuple]]:
    """Each participant's id, stored columns and columns computed from the definitions."""
    fresh = {f"computed_{name}": value for name, value in funnel_columns().items()}
    rows = participants.order_by("pk").annotate(**fresh).values_list("pk", *COLUMNS, *fresh)
    for pk, *values in rows:
        yield pk, tuple(values[: len(COLUMNS)]), tuple(values[len(COLUMNS) :])


def _write(values: dict[int, tuple]) -> None:
    rows = [
        Participant(pk=pk, **dict(zip(COLUMNS, row, strict=True))) for pk, row in values.items()
    ]
    Participant.objects.bulk_update(rows, COLUMNS, batch_size=500)


def _locked(participants: QuerySet[Participant]) -> list[int]:
    """The participants' ids, in order, their rows locked where the database can."""
    if connections[router.db_for_write(Participant)].features.has_select_for_update:
        participants = participants.select_for_update(of=("self",))
    return list(participants.order_by("pk").values_list("pk", flat=True))


# How many participants one compiled UPDATE names (`_refresh_sql`): a call's ids are cut
# into these sizes, the last piece padded by repeating its last id.
REFRESH_SIZES = (1, 2, 4, 16, 64, 256)
# Stand-ins for the ids while the UPDATE is compiled: no participant has a negative id.
_STAND_IN_BASE = -1_000_000


def _id_marker(index: int) -> Marker:
    return Marker(f"participant {index}")


@functools.cache
def _refresh_sql(alias: str, vendor: str, size: int) -> tuple[str, tuple]:
    """One UPDATE storing the funnel columns of `size` participants, each column set from
    the definitions (`funnel_columns`, a subquery on the row itself), as the ORM compiles
    it for this database, once per process (`core.compiled_sql`): building and compiling
    the definitions' subqueries costs far more Python than the database's running them."""
    stand_ins = [_STAND_IN_BASE - index for index in range(size)]
    update = Participant.objects.filter(pk__in=stand_ins).query.chain(UpdateQuery)
    update.add_update_fields(
        [
            (
                Participant._meta.get_field(name),
                None,
                Subquery(Participant.objects.filter(pk=OuterRef("pk")).values(value=value)),
            )
            for name, value in funnel_columns().items()
        ]
    )
    updating = Participant.objects.all()
    updating.query = update
    markers = {sentinel: _id_marker(index) for index, sentinel in enumerate(stand_ins)}
    return compile_marked(updating, alias, markers)


def _pieces(ids: list[int]) -> Iterator[list[int]]:
    """`ids` cut into pieces of `REFRESH_SIZES`, the last one padded to its size."""
    largest = REFRESH_SIZES[-1]
    while ids:
        piece, ids = ids[:largest], ids[largest:]
        size = next(size for size in REFRESH_SIZES if size >= len(piece))
        yield piece + [piece[-1]] * (size - len(piece))


def refresh(participants: QuerySet[Participant]) -> int:
    """Store the funnel columns of these participants as the definitions give them now,
    every row written (an evaluation answered rewrites its whole program's rows, so the
    write singles nobody out: evaluation.services.evaluation_submit); returns how many.

    On a database that locks rows (PostgreSQL), the rows are locked first, in id order,
    and computed after, in a statement of its own: a concurrent write that moved the same
    person has then committed and is seen, so the last refresh of a person always counts
    every write before it. The UPDATE is compiled once per process and size
    (`_refresh_sql`) and run with this call's ids.
    """
    connection = connections[router.db_for_write(Participant)]
    if not connection.in_atomic_block:  # the lock holds until the end of a transaction
        with transaction.atomic(using=connection.alias):
            return refresh(participants)
    ids = _locked(participants)
    for piece in _pieces(ids):
        sql, marked = _refresh_sql(connection.alias, connection.vendor, len(piece))
        values = {_id_marker(index): pk for index, pk in enumerate(piece)}
        with connection.cursor() as cursor:
            cursor.execute(sql, filled(marked, values))
    return len(ids)


def recompute(batch: int = RECOMPUTE_BATCH) -> int:
    """Compare every participant's stored columns with the definitions and correct those
    that differ, a batch of participants at a time; returns how many were corrected.

    A correction means a write reached a step's inputs without `funnel_changed` (a row
    deleted in the admin with its cascade, a script): logged as a warning.
    """
    corrected = 0
    last = 0
    while True:
        ids = list(
            Participant.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            break
        last = ids[-1]
        with transaction.atomic():
            ids = _locked(Participant.objects.filter(pk__in=ids))
            drifted = {
                pk: new
                for pk, stored, new in computed(Participant.objects.filter(pk__in=ids))
                if stored != new
            }
            if drifted:
                _write(drifted)
        corrected += len(drifted)
    if corrected:
        logger.warning("Funnel columns corrected on %d participants", corrected)
    return corrected
