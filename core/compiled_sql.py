"""SQL the ORM compiles once per process and runs with each call's own values.

Compiling a query of many subqueries costs far more Python than running it (the
navigation on every page, the dashboard's funnel). Such a query is built once with
stand-in values no row can have and compiled; each stand-in among its parameters becomes
a `Marker`, and every call puts its own values in the markers' places. Only the SQL is
kept, never rows.
"""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet


@dataclass(frozen=True)
class Marker:
    """Where one of a call's values goes among the compiled parameters."""

    name: str


def _plain(param: object) -> bool:
    # A bool equals 0 or 1: it is never taken for a stand-in id.
    return isinstance(param, Hashable) and not isinstance(param, bool)


def compile_marked(
    queryset: QuerySet, alias: str, stand_ins: Mapping[Hashable, Marker]
) -> tuple[str, tuple]:
    """`queryset`'s SQL for database `alias`, with each stand-in value among its parameters
    (as the database receives it) replaced by its marker. Refuses SQL that lost one."""
    sql, params = queryset.query.get_compiler(alias).as_sql()
    marked = tuple(stand_ins.get(param, param) if _plain(param) else param for param in params)
    if not set(stand_ins.values()) <= {param for param in marked if isinstance(param, Marker)}:
        raise RuntimeError("The compiled SQL lost one of its stand-in values.")
    return sql, marked


def filled(marked: tuple, values: Mapping[Marker, object]) -> list:
    """The compiled parameters with `values` in their markers' places."""
    return [values[param] if isinstance(param, Marker) else param for param in marked]


def run_marked(
    alias: str, sql: str, marked: tuple, values: Mapping[Marker, object]
) -> tuple[list[str], list[tuple]]:
    """The columns and rows of `sql` run with `values` in their markers' places."""
    params = filled(marked, values)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return [column[0] for column in cursor.description], cursor.fetchall()


def run_marked_rows(alias: str, sql: str, marked: tuple, values: Mapping[Marker, object]) -> list:
    """`run_marked`'s rows, each a dict by column name."""
    columns, rows = run_marked(alias, sql, marked, values)
    return [dict(zip(columns, row, strict=True)) for row in rows]
