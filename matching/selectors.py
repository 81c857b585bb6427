"""Reads for the mentor database; the views check who may see it (`matching.access`)."""

from functools import reduce
from operator import or_

from django.db import NotSupportedError
from django.db.models import (
    BooleanField,
    Exists,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from accounts.models import User
from programs.models import Participant

from .models import Match, MentorProfile, UnionSkill

SEARCHED_FIELDS = (
    "name",
    "mentor_profile__background",
    "mentor_profile__interests",
    "mentor_profile__experience",
    "mentor_profile__qualifications",
)


class JSONListHasText(Func):
    """True when an element of a JSON list equals (or contains) the text, ignoring case.

    Django's lookups do not fit: `contains` does not exist on SQLite, and `icontains`
    searches the serialized document, where SQLite stores non-ASCII letters as \\u
    escapes ("Français" is "Fran\\u00e7ais") and a search can run across two elements.
    This looks at each element, decoded, on SQLite and PostgreSQL alike. Case is folded
    by the database's `lower()`: fully on PostgreSQL, ASCII letters only on SQLite.
    """

    output_field = BooleanField()

    def __init__(self, field: str, text: str, *, partial: bool = False):
        self.partial = partial
        super().__init__(F(field), Value(text))

    def _compile(self, compiler, connection):
        column, text = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        text_sql, text_params = compiler.compile(text)
        return column_sql, tuple(column_params), text_sql, tuple(text_params)

    def _match(self, value_sql: str, text_sql: str, *, position_function: str) -> str:
        if self.partial:
            return f"{position_function}(lower({value_sql}), lower({text_sql})) > 0"
        return f"lower({value_sql}) = lower({text_sql})"

    def as_sqlite(self, compiler, connection, **extra):
        column, column_params, text, text_params = self._compile(compiler, connection)
        match = self._match("item.value", text, position_function="instr")
        sql = f"EXISTS (SELECT 1 FROM json_each({column}) AS item WHERE {match})"
        return sql, (*column_params, *text_params)

    def as_postgresql(self, compiler, connection, **extra):
        column, column_params, text, text_params = self._compile(compiler, connection)
        match = self._match("item.value", f"({text})::text", position_function="strpos")
        # jsonb_array_elements_text() fails on anything but an array: treat that as empty.
        elements = (
            f"jsonb_array_elements_text(CASE WHEN jsonb_typeof({column}) = 'array' "
            f"THEN {column} ELSE '[]'::jsonb END)"
        )
        sql = f"EXISTS (SELECT 1 FROM {elements} AS item(value) WHERE {match})"
        return sql, (*column_params, *column_params, *text_params)

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("The mentor database runs on SQLite or PostgreSQL.")


def _mentored(user_ref: OuterRef) -> QuerySet[Participant]:
    return Participant.objects.filter(user=user_ref, role=Participant.Role.MENTOR)


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated COUNT(*) of the rows, 0 when there are none (no join, no GROUP BY)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted[:1]), 0)


def mentor_database(
    *,
    search: str = "",
    skill: str = "",
    language: str = "",
    region: str = "",
    internal: bool | None = None,
    available_only: bool = False,
) -> QuerySet[User]:
    """Members with a mentor profile or who mentored in any program, with what the list shows.

    Rows without a mentor profile have `mentor_profile` missing (not filled in yet); the
    filters on the profile's answers leave them out. Every row carries its profile,
    mentor profile, `programs_mentored` and `active_mentees`, so a page costs one query.
    """
    qs = (
        User.objects.filter(is_active=True)
        .filter(Q(mentor_profile__isnull=False) | Exists(_mentored(OuterRef("pk"))))
        .select_related("profile", "mentor_profile")
        .annotate(
            programs_mentored=_count(_mentored(OuterRef("pk"))),
            active_mentees=_count(
                Match.objects.filter(mentor__user=OuterRef("pk"), status=Match.Status.ACTIVE)
            ),
        )
        .order_by("name", "email")
    )
    for word in search.split():
        qs = qs.filter(
            reduce(or_, (Q(**{f"{field}__icontains": word}) for field in SEARCHED_FIELDS))
        )
    if skill in UnionSkill.values:
        qs = qs.filter(JSONListHasText("mentor_profile__skills", skill))
    if language.strip():
        qs = qs.filter(JSONListHasText("profile__languages", language.strip(), partial=True))
    if region.strip():
        qs = qs.filter(profile__region__iexact=region.strip())
    if internal is not None:
        qs = qs.filter(mentor_profile__internal=internal)
    if available_only:
        qs = qs.filter(mentor_profile__available=True)
    return qs


def mentor_regions() -> list[str]:
    """The regions of the members in the database, each once whatever its case."""
    regions = (
        mentor_database()
        .filter(profile__region__gt="")
        .order_by()
        .values_list("profile__region", flat=True)
        .distinct()
    )
    by_key: dict[str, str] = {}
    for region in sorted(regions):  # the same spelling wins on every database
        by_key.setdefault(" ".join(region.split()).casefold(), region.strip())
    return sorted(by_key.values(), key=str.casefold)


def mentor_in_database(*, user_id: int) -> User | None:
    """One member of the database with the programs they mentored in, or None."""
    mentored = (
        Participant.objects.filter(role=Participant.Role.MENTOR)
        .select_related("program")
        .order_by("-program__year", "program__name")
    )
    return (
        mentor_database()
        .prefetch_related(Prefetch("participations", mentored, to_attr="mentored_in"))
        .filter(pk=user_id)
        .first()
    )


def mentor_profile_of(user) -> MentorProfile | None:
    return MentorProfile.objects.filter(user=user).first()
