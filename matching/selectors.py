"""Reads for the mentor database and for matching; the views check who may see them.

`matching_data` builds the engine's plain `Problem` from the database in a fixed number
of queries, whatever the size of the cohort.
"""

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import reduce
from operator import or_
from typing import Any

from django.db import NotSupportedError
from django.db.models import (
    FETCH_PEERS,
    BooleanField,
    Count,
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
from django.utils.translation import gettext as _

from accounts.models import Profile, User
from programs.models import Participant, Program

from . import engine
from .models import (
    Exclusion,
    Match,
    MatchingProfile,
    MatchingSettings,
    MentorProfile,
    Preference,
    UnionSkill,
)

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


def _own_programs(viewer: User) -> QuerySet[Program]:
    return Program.objects.filter(coordinators=viewer)


def mentor_database(
    *,
    viewer: User | None = None,
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

    With a `viewer` (a coordinator), only the mentors they may find: members of a program
    they coordinate (`shared`: contact details and history are theirs to see), and others
    who said yes to being found by other programs. `programs_mentored` then counts the
    viewer's programs only.
    """
    found = _found(
        viewer=viewer,
        search=search,
        skill=skill,
        language=language,
        region=region,
        internal=internal,
        available_only=available_only,
    )
    return _with_counts(found, viewer)


def mentor_database_ids(*, viewer: User | None = None, **filters) -> QuerySet:
    """The ids of `mentor_database`'s rows, in its order: what a page of it is cut from."""
    return _found(viewer=viewer, **filters).values_list("pk", flat=True)


def mentor_rows(ids: QuerySet | list[int], *, viewer: User | None = None) -> QuerySet[User]:
    """`mentor_database`'s rows for these ids (a page of `mentor_database_ids`), in its
    order: the counts are computed for the page's rows only, not for every member found."""
    return _with_counts(User.objects.filter(pk__in=ids), viewer)


def _found(
    *,
    viewer: User | None,
    search: str = "",
    skill: str = "",
    language: str = "",
    region: str = "",
    internal: bool | None = None,
    available_only: bool = False,
) -> QuerySet[User]:
    # Who is in the database is tested with IN (one list of ids, built once per query),
    # not a correlated EXISTS per member: every member is looked at, only a page is shown.
    mentors = Participant.objects.filter(role=Participant.Role.MENTOR).values("user_id")
    qs = User.objects.filter(is_active=True).filter(
        Q(mentor_profile__isnull=False) | Q(pk__in=mentors)
    )
    if viewer is not None:
        members = Participant.objects.filter(program__in=_own_programs(viewer)).values("user_id")
        qs = qs.filter(Q(pk__in=members) | Q(mentor_profile__findable_by_other_programs=True))
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
    return qs.order_by("name", "email")


def _with_counts(qs: QuerySet[User], viewer: User | None) -> QuerySet[User]:
    """The rows with their profiles, `shared` (with a viewer) and the two counts."""
    mentored = _mentored(OuterRef("pk"))
    if viewer is not None:
        own = _own_programs(viewer)
        mentored = mentored.filter(program__in=own)
        qs = qs.annotate(
            shared=Exists(Participant.objects.filter(user=OuterRef("pk"), program__in=own))
        )
    return (
        qs.select_related("profile", "mentor_profile")
        .annotate(
            programs_mentored=_count(mentored),
            active_mentees=_count(
                Match.objects.filter(mentor__user=OuterRef("pk"), status=Match.Status.ACTIVE)
            ),
        )
        .order_by("name", "email")
    )


def mentor_regions(viewer: User | None = None) -> list[str]:
    """The regions of the members in the database (that the viewer may find), each once."""
    return mentor_regions_counted(viewer)[0]


def mentor_regions_counted(viewer: User | None = None) -> tuple[list[str], int]:
    """`mentor_regions`, and how many members the unfiltered database has: one grouped
    query (the unfiltered list's page count needs no query of its own)."""
    rows = (
        _found(viewer=viewer)
        .order_by()
        .values_list("profile__region")
        .annotate(n=Count("pk"))
        .values_list("profile__region", "n")
    )
    by_key: dict[str, str] = {}
    everyone = 0
    for region, n in sorted(rows, key=lambda row: row[0] or ""):  # one spelling wins everywhere
        everyone += n
        if region and region.strip():
            by_key.setdefault(" ".join(region.split()).casefold(), region.strip())
    return sorted(by_key.values(), key=str.casefold), everyone


def mentor_in_database(*, user_id: int, viewer: User | None = None) -> User | None:
    """One member of the database with the programs they mentored in, or None.

    With a `viewer`, None unless the viewer may find them, and `mentored_in` lists the
    viewer's own programs only.
    """
    mentored = (
        Participant.objects.filter(role=Participant.Role.MENTOR)
        .select_related("program")
        .order_by("-program__year", "program__name")
    )
    if viewer is not None:
        mentored = mentored.filter(program__in=_own_programs(viewer))
    return (
        mentor_database(viewer=viewer)
        .prefetch_related(Prefetch("participations", mentored, to_attr="mentored_in"))
        .filter(pk=user_id)
        .first()
    )


def mentor_profile_of(user) -> MentorProfile | None:
    return MentorProfile.objects.filter(user=user).first()


# --- Matching ------------------------------------------------------------------------------


def related_or_none(instance, name: str):
    """A reverse one-to-one loaded by select_related, or None when there is no row."""
    try:
        return getattr(instance, name)
    except (
        Profile.DoesNotExist,
        MentorProfile.DoesNotExist,
        MatchingProfile.DoesNotExist,
    ):
        return None


def _key(text: str) -> str:
    """Compare places and languages the way people type them: any case, any spacing."""
    return " ".join(str(text).split()).casefold()


def _languages(profile: Profile | None) -> frozenset[str]:
    if profile is None:
        return frozenset()
    return frozenset(_key(lang) for lang in profile.languages or () if _key(lang))


# The answers that say who someone is: "prefer not to say" and a self-description are not
# compared (the words a person chose are theirs, not a category to match on).
_NOT_COMPARED = {Profile.RaceEthnicity.PREFER_NOT, Profile.RaceEthnicity.SELF_DESCRIBED}


def _race_ethnicity(profile: Profile | None) -> frozenset[str]:
    """Special-category data: read only to meet a mentee's wish, and shown nowhere."""
    if profile is None:
        return frozenset()
    known = set(Profile.RaceEthnicity.values) - _NOT_COMPARED
    return frozenset(x for x in profile.race_ethnicity or () if x in known)


def settings_of(program: Program) -> MatchingSettings:
    """The program's matching settings, or unsaved defaults."""
    return MatchingSettings.objects.filter(program=program).first() or MatchingSettings(
        program=program
    )


def mentor_capacity(participant: Participant, settings: MatchingSettings) -> int:
    """How many mentees this mentor takes in the program (a circle's size in a circle)."""
    if participant.program.format == Program.Format.CIRCLE:
        return settings.circle_size
    matching_profile = related_or_none(participant, "matching_profile")
    if matching_profile is not None and matching_profile.capacity:
        return matching_profile.capacity
    mentor_profile = related_or_none(participant.user, "mentor_profile")
    return mentor_profile.capacity if mentor_profile is not None else 1


@dataclass
class MatchingData:
    """A program's matching state, read once: the engine's problem and the rows behind it."""

    program: Program
    settings: MatchingSettings
    problem: engine.Problem
    participants: dict[int, Participant]
    mentees: list[Participant]  # every mentee of the program, by name
    mentors: list[Participant]
    capacity: dict[int, int]  # mentor id → mentees they take in this program
    active: dict[int, Match]  # mentee id → their active match
    proposed: dict[int, Match]  # mentee id → their proposed match
    active_per_mentor: Counter = field(default_factory=Counter)
    proposed_per_mentor: Counter = field(default_factory=Counter)
    exclusions: list[Exclusion] = field(default_factory=list)
    finished: set[int] = field(default_factory=set)  # mentees whose match was completed
    ended: list[Match] = field(default_factory=list)  # the history, oldest first
    engine_mentees: dict[int, engine.Mentee] = field(default_factory=dict)
    engine_mentors: dict[int, engine.Mentor] = field(default_factory=dict)
    preferences: dict[int, tuple[engine.Preference, ...]] = field(default_factory=dict)

    @property
    def is_peer(self) -> bool:
        return self.program.format == Program.Format.PEER

    def to_match(self) -> list[Participant]:
        """Mentees the engine places: no active match, none completed."""
        return [p for p in self.mentees if p.pk in self.engine_mentees]

    def is_excluded(self, mentee_id: int, mentor_id: int) -> bool:
        return (mentee_id, mentor_id) in self.problem.excluded

    def score(self, mentee_id: int, mentor_id: int) -> engine.Score:
        """One pair's score and breakdown, also for mentees the engine would not place."""
        mentee = self.engine_mentees.get(mentee_id) or _engine_mentee(
            self.participants[mentee_id], self.preferences.get(mentee_id, ())
        )
        if self.is_peer:
            other = self.engine_mentees.get(mentor_id) or _engine_mentee(
                self.participants[mentor_id], self.preferences.get(mentor_id, ())
            )
            return engine.score_peers(mentee, other, self.problem.weights)
        mentor = self.engine_mentors.get(mentor_id) or _engine_mentor(
            self.participants[mentor_id], self.capacity.get(mentor_id, 1), frozenset()
        )
        return engine.score_pair(
            mentee,
            mentor,
            self.problem.weights,
            excluded=self.is_excluded(mentee_id, mentor_id),
        )

    def taken(self, mentor_id: int, *, ignoring_mentee: int | None = None) -> int:
        """Places of this mentor taken by active and proposed matches."""
        proposed = self.proposed_per_mentor[mentor_id]
        own = self.proposed.get(ignoring_mentee) if ignoring_mentee else None
        if own is not None and own.mentor_id == mentor_id:
            proposed -= 1
        return self.active_per_mentor[mentor_id] + proposed


def _engine_preference(row: Preference) -> engine.Preference:
    return engine.Preference(
        kind=engine.Kind(row.kind),
        must=row.strength == Preference.Strength.MUST,
        mentor_id=row.mentor_id,
        rank=row.rank,
    )


def _engine_mentee(
    participant: Participant, preferences: tuple[engine.Preference, ...]
) -> engine.Mentee:
    profile = related_or_none(participant.user, "profile")
    matching_profile = related_or_none(participant, "matching_profile")
    return engine.Mentee(
        id=participant.pk,
        name=participant.user.name,
        goals=frozenset(matching_profile.learning_goals if matching_profile else ()),
        languages=_languages(profile),
        local=_key(profile.local_union) if profile else "",
        region=_key(profile.region) if profile else "",
        priority=bool(matching_profile and matching_profile.priority),
        preferences=preferences,
        # Only a mentee who asked for a mentor who shares it: nobody else's is read.
        race_ethnicity=_race_ethnicity(profile)
        if any(p.kind == engine.Kind.SAME_RACE_ETHNICITY for p in preferences)
        else frozenset(),
    )


def _engine_mentor(
    participant: Participant, capacity: int, excluded_mentees: frozenset[int]
) -> engine.Mentor:
    profile = related_or_none(participant.user, "profile")
    mentor_profile = related_or_none(participant.user, "mentor_profile")
    return engine.Mentor(
        id=participant.pk,
        name=participant.user.name,
        expertise=frozenset(mentor_profile.skills if mentor_profile else ()),
        languages=_languages(profile),
        local=_key(profile.local_union) if profile else "",
        region=_key(profile.region) if profile else "",
        # Special-category data: used here to meet a mentee's wish, shown nowhere.
        is_woman=bool(profile and profile.gender == Profile.Gender.WOMAN),
        race_ethnicity=_race_ethnicity(profile),
        internal=mentor_profile.internal if mentor_profile else True,
        capacity=max(capacity, 0),
        excluded_mentees=excluded_mentees,
    )


# The columns matching reads, and the few a page shows (names, e-mail, language): loading the
# rest (timestamps, free-text profile answers, other JSON lists) was most of a large cohort's
# load time. A field left out is still there when read: FETCH_PEERS loads it for the whole
# cohort in one query, never one query per participant.
PARTICIPANT_FIELDS = (
    "program",
    "user",
    "role",
    "user__email",
    "user__name",
    "user__language",
    "user__is_active",
    "user__profile__user",
    "user__profile__languages",
    "user__profile__local_union",
    "user__profile__region",
    "user__profile__gender",
    "user__profile__race_ethnicity",
    "user__mentor_profile__user",
    "user__mentor_profile__skills",
    "user__mentor_profile__internal",
    "user__mentor_profile__capacity",
    "matching_profile__participant",
    "matching_profile__learning_goals",
    "matching_profile__priority",
    "matching_profile__capacity",
)


def matching_data(program: Program) -> MatchingData:
    """Everything matching needs for a program, in five queries.

    Mentees with an active match, or whose match was completed, are left out of the
    problem; mentors' capacity is reduced by their active matches. A mentee is never
    proposed again to a mentor they had a match with that ended.
    """
    settings = settings_of(program)
    participants = list(
        program.participants.select_related(
            "user", "user__profile", "user__mentor_profile", "matching_profile"
        )
        .only(*PARTICIPANT_FIELDS)
        .fetch_mode(FETCH_PEERS)
        .order_by("user__name", "pk")
    )
    by_id = {p.pk: p for p in participants}
    preferences: dict[int, list[engine.Preference]] = {}
    for row in Preference.objects.filter(participant__program=program).order_by("rank", "pk"):
        preferences.setdefault(row.participant_id, []).append(_engine_preference(row))
    exclusions = list(Exclusion.objects.filter(program=program).order_by("pk"))
    matches = list(Match.objects.filter(program=program).order_by("created_at", "pk"))
    for match in matches:
        # Both sides are participants of the program, loaded above: no query per match.
        match.mentee = by_id[match.mentee_id]
        match.mentor = by_id[match.mentor_id]

    active = {m.mentee_id: m for m in matches if m.status == Match.Status.ACTIVE}
    proposed = {m.mentee_id: m for m in matches if m.status == Match.Status.PROPOSED}
    active_per_mentor = Counter(m.mentor_id for m in active.values())
    proposed_per_mentor = Counter(m.mentor_id for m in proposed.values())
    finished = {
        m.mentee_id
        for m in matches
        if m.status == Match.Status.ENDED and m.end_reason == Match.EndReason.COMPLETED
    }
    ended_pairs = {
        (m.mentee_id, m.mentor_id)
        for m in matches
        if m.status == Match.Status.ENDED and m.end_reason != Match.EndReason.COMPLETED
    }
    peer = program.format == Program.Format.PEER
    mentees = [p for p in participants if p.role == Participant.Role.MENTEE]
    mentors = [] if peer else [p for p in participants if p.role == Participant.Role.MENTOR]
    # In a peer program the other mentee of an active pair is taken too.
    busy = set(active) | ({m.mentor_id for m in active.values()} if peer else set())

    conflicts: dict[int, set[int]] = {}
    coordinator_excluded = set()
    for exclusion in exclusions:
        if exclusion.source == Exclusion.Source.MENTOR:
            conflicts.setdefault(exclusion.mentor_id, set()).add(exclusion.mentee_id)
        else:
            coordinator_excluded.add((exclusion.mentee_id, exclusion.mentor_id))

    frozen_preferences = {k: tuple(v) for k, v in preferences.items()}
    engine_mentees = {
        p.pk: _engine_mentee(p, frozen_preferences.get(p.pk, ()))
        for p in mentees
        if p.pk not in busy and p.pk not in finished
    }
    capacity = {p.pk: mentor_capacity(p, settings) for p in mentors}
    engine_mentors = {
        p.pk: _engine_mentor(
            p,
            capacity[p.pk] - active_per_mentor[p.pk],
            frozenset(conflicts.get(p.pk, ())),
        )
        for p in mentors
    }
    locked = frozenset(
        (m.mentee_id, m.mentor_id)
        for m in proposed.values()
        if m.locked and m.mentee_id in engine_mentees and m.mentor_id in engine_mentors
    )
    problem = engine.Problem(
        mentees=tuple(engine_mentees.values()),
        mentors=tuple(engine_mentors.values()),
        weights=settings.weights(),
        locked=locked,
        excluded=frozenset(coordinator_excluded | ended_pairs),
    )
    return MatchingData(
        program=program,
        settings=settings,
        problem=problem,
        participants=by_id,
        mentees=mentees,
        mentors=mentors,
        capacity=capacity,
        active=active,
        proposed=proposed,
        active_per_mentor=active_per_mentor,
        proposed_per_mentor=proposed_per_mentor,
        exclusions=exclusions,
        finished=finished,
        ended=[m for m in matches if m.status == Match.Status.ENDED],
        engine_mentees=engine_mentees,
        engine_mentors=engine_mentors,
        preferences=frozen_preferences,
    )


class Unplaced(StrEnum):
    """Why a mentee has no proposal on the board."""

    NO_FEASIBLE_MENTOR = engine.NO_FEASIBLE_MENTOR
    CAPACITY_EXHAUSTED = engine.CAPACITY_EXHAUSTED
    NOT_RUN = "not_run"  # a mentor would have room: run matching again
    COMPLETED = "completed"


@dataclass(frozen=True)
class Option:
    """A mentor for one mentee, with the pair's score and how full the mentor is."""

    mentor: Participant
    score: engine.Score
    taken: int
    capacity: int

    @property
    def is_full(self) -> bool:
        return self.taken >= self.capacity


@dataclass(frozen=True)
class BoardRow:
    mentee: Participant
    active: Match | None = None
    proposal: Match | None = None
    score: engine.Score | None = None  # the proposal's score now
    alternatives: tuple[Option, ...] = ()
    unplaced: Unplaced | None = None

    @property
    def priority(self) -> bool:
        matching_profile = related_or_none(self.mentee, "matching_profile")
        return bool(matching_profile and matching_profile.priority)


@dataclass(frozen=True)
class MentorLoad:
    mentor: Participant
    capacity: int
    active: int
    proposed: int

    @property
    def over(self) -> bool:
        return self.active + self.proposed > self.capacity


@dataclass(frozen=True)
class Board:
    rows: tuple[BoardRow, ...]
    unplaced: tuple[BoardRow, ...]  # the rows shown that have no proposal, with why
    mentors: tuple[MentorLoad, ...]
    proposed: int
    locked: int
    active: int
    waiting: int = 0  # mentees of the whole board without a proposal (shown or not)


ALTERNATIVES = 5


def _waiting(data: MatchingData, mentee_id: int) -> bool:
    """No proposal, no active match, not completed: the coordinator still has to place them."""
    return (
        mentee_id not in data.proposed
        and mentee_id not in data.active
        and mentee_id not in data.finished
    )


def board_mentees(data: MatchingData, *, search: str = "") -> list[Participant]:
    """The mentees that get a card on the board: those still to place first, then by name.

    In a peer program the partner of a pair is shown in the card of the mentee the pair was
    proposed for. `search` keeps the cards whose mentee or partner has every word of it in
    their name, in any case. Pure computation over `data`.
    """
    partner_side = {m.mentor_id for m in (*data.proposed.values(), *data.active.values())}
    words = [_key(word) for word in search.split()]
    mentees = []
    for mentee in data.mentees:
        own_row = mentee.pk in data.proposed or mentee.pk in data.active
        if data.is_peer and mentee.pk in partner_side and not own_row:
            continue  # shown in the row of the mentee they are paired with
        if words:
            match = data.active.get(mentee.pk) or data.proposed.get(mentee.pk)
            names = _key(mentee.user.name)
            if match is not None:
                other = match.mentor_id if match.mentee_id == mentee.pk else match.mentee_id
                names += " " + _key(data.participants[other].user.name)
            if not all(word in names for word in words):
                continue
        mentees.append(mentee)
    mentees.sort(key=lambda m: not _waiting(data, m.pk))  # stable: by name within each
    return mentees


def matching_board(data: MatchingData, mentees: Sequence[Participant] | None = None) -> Board:
    """The coordinator's board: each mentee's proposal, its score now, alternatives.

    `mentees` are the cards to build (a page of `board_mentees`); None builds them all.
    The alternatives are scored for those mentees only. The counts in the heading are the
    whole program's. Pure computation over `data`: no query, whatever the size of the cohort.
    """
    if mentees is None:
        mentees = board_mentees(data)
    rows = []
    any_proposal = bool(data.proposed)
    found = (
        {}
        if data.is_peer
        else engine.alternatives(
            data.problem,
            (m.pk for m in mentees if m.pk not in data.active and m.pk in data.engine_mentees),
            k=ALTERNATIVES + 1,
        )
    )
    for mentee in mentees:
        active = data.active.get(mentee.pk)
        proposal = data.proposed.get(mentee.pk)
        score = data.score(mentee.pk, proposal.mentor_id) if proposal else None
        options: tuple[Option, ...] = ()
        unplaced = None
        if active is None and mentee.pk in data.engine_mentees and not data.is_peer:
            options = tuple(
                Option(
                    mentor=data.participants[mentor_id],
                    score=option_score,
                    taken=data.taken(mentor_id),
                    capacity=data.capacity[mentor_id],
                )
                for mentor_id, option_score in found[mentee.pk]
                if not proposal or mentor_id != proposal.mentor_id
            )[:ALTERNATIVES]
            if proposal is None:
                if not options:
                    unplaced = Unplaced.NO_FEASIBLE_MENTOR
                elif any_proposal and all(o.is_full for o in options):
                    unplaced = Unplaced.CAPACITY_EXHAUSTED
                else:
                    unplaced = Unplaced.NOT_RUN
        elif active is None and proposal is None and data.is_peer:
            unplaced = Unplaced.COMPLETED if mentee.pk in data.finished else Unplaced.NOT_RUN
        elif active is None and mentee.pk in data.finished and proposal is None:
            unplaced = Unplaced.COMPLETED
        rows.append(
            BoardRow(
                mentee=mentee,
                active=active,
                proposal=proposal,
                score=score,
                alternatives=options,
                unplaced=unplaced,
            )
        )
    loads = tuple(
        MentorLoad(
            mentor=mentor,
            capacity=data.capacity[mentor.pk],
            active=data.active_per_mentor[mentor.pk],
            proposed=data.proposed_per_mentor[mentor.pk],
        )
        for mentor in data.mentors
    )
    return Board(
        rows=tuple(rows),
        unplaced=tuple(r for r in rows if r.unplaced and r.unplaced != Unplaced.COMPLETED),
        mentors=loads,
        proposed=len(data.proposed),
        locked=sum(m.locked for m in data.proposed.values()),
        active=len(data.active),
        waiting=sum(_waiting(data, m.pk) for m in board_mentees(data)),
    )


# --- Choosing a mentor by hand ------------------------------------------------------------------


def pair_warnings(
    data: MatchingData, *, mentee: Participant, mentor: Participant
) -> tuple[engine.Score, list[str]]:
    """The pair's score, and what saving it would break: hard constraints, capacity."""
    score = data.score(mentee.pk, mentor.pk)
    warnings = list(score.broken)
    if not data.is_peer:
        taken = data.taken(mentor.pk, ignoring_mentee=mentee.pk)
        capacity = data.capacity[mentor.pk]
        if taken + 1 > capacity:
            warnings.append(
                _("over capacity: %(name)s would have %(n)d mentees and takes %(capacity)d")
                % {"name": mentor.user.name, "n": taken + 1, "capacity": capacity}
            )
    return score, warnings


@dataclass(frozen=True)
class ManualChoice:
    """A coordinator choosing one mentee's mentor: who may be chosen, and the chosen pair."""

    mentee: Participant
    is_peer: bool
    label: str  # "Mentor", or "Peer partner" in a peer program
    choices: list[tuple[int, str]]  # each candidate with how full they are
    chosen: Participant | None
    score: engine.Score | None
    warnings: list[str]
    active: Match | None
    proposal: Match | None
    proposal_score: engine.Score | None
    swap_choices: list[tuple[int, str]]  # the other proposals to swap mentors with
    exclusions: list[tuple[Exclusion, str]]  # with the excluded mentor's name
    history: list[tuple[Match, str]]  # ended matches, with the mentor's name


def manual_choice(data: MatchingData, *, mentee_id: int, chosen_id: str) -> ManualChoice | None:
    """The hand-matching page of a mentee, with `chosen_id` as sent; None: no such mentee."""
    mentee = data.participants.get(mentee_id)
    if mentee is None or mentee.role != Participant.Role.MENTEE:
        return None
    names = {pk: p.user.name for pk, p in data.participants.items()}
    choices = []
    for candidate in data.mentees if data.is_peer else data.mentors:
        if candidate.pk == mentee.pk:
            continue
        if data.is_peer:
            choices.append((candidate.pk, candidate.user.name))
        else:
            choices.append(
                (
                    candidate.pk,
                    _("%(name)s (%(taken)d of %(capacity)d places taken)")
                    % {
                        "name": candidate.user.name,
                        "taken": data.taken(candidate.pk),
                        "capacity": data.capacity[candidate.pk],
                    },
                )
            )
    chosen = data.participants.get(int(chosen_id)) if chosen_id.isdigit() else None
    if chosen is not None and chosen.pk not in dict(choices):
        chosen = None
    score, warnings = (None, [])
    if chosen is not None:
        score, warnings = pair_warnings(data, mentee=mentee, mentor=chosen)
    proposal = data.proposed.get(mentee.pk)
    swap_choices = []
    if proposal is not None:
        swap_choices = [
            (
                m.pk,
                _("%(mentee)s (now with %(mentor)s)")
                % {"mentee": names[m.mentee_id], "mentor": names[m.mentor_id]},
            )
            for m in sorted(data.proposed.values(), key=lambda m: m.pk)
            if m.pk != proposal.pk
        ]
    return ManualChoice(
        mentee=mentee,
        is_peer=data.is_peer,
        label=_("Peer partner") if data.is_peer else _("Mentor"),
        choices=choices,
        chosen=chosen,
        score=score,
        warnings=warnings,
        active=data.active.get(mentee.pk),
        proposal=proposal,
        proposal_score=data.score(mentee.pk, proposal.mentor_id) if proposal else None,
        swap_choices=swap_choices,
        exclusions=[
            (exclusion, names[exclusion.mentor_id])
            for exclusion in data.exclusions
            if exclusion.mentee_id == mentee.pk
        ],
        history=[(m, names[m.mentor_id]) for m in data.ended if m.mentee_id == mentee.pk],
    )


# --- A member's preferences ---------------------------------------------------------------------


def preferences_of(*, participant: Participant) -> list[Preference]:
    """The participant's own wishes about their mentor (a mentee's)."""
    return list(Preference.objects.filter(participant=participant))


PREFERENCE_RANKS = (1, 2, 3)


def preference_values(
    *,
    learning_goals: Sequence[str],
    preferences: Mapping[str, str],
    ranked: Sequence[tuple[int, bool]],
) -> dict[str, Any]:
    """A mentee's goals and wishes as the preferences form names them: `learning_goals`,
    `pref_<kind>` ("" for no preference), `choice_<rank>` (a mentor's participant id or None)
    and `choice_<rank>_must`. One shape for the form's initial values and for the service's
    check that nothing saved in another tab is replaced (core.concurrency)."""
    values: dict[str, Any] = {"learning_goals": sorted(learning_goals)}
    for kind in Preference.Kind.values:
        if kind != Preference.Kind.SPECIFIC_MENTOR:
            values[f"pref_{kind}"] = preferences.get(kind, "")
    for rank in PREFERENCE_RANKS:
        mentor_id, must = ranked[rank - 1] if rank <= len(ranked) else (None, False)
        values[f"choice_{rank}"] = mentor_id
        values[f"choice_{rank}_must"] = must
    return values


def mentee_preference_values(*, participant: Participant) -> dict[str, Any]:
    """What the mentee has saved, as `preference_values` (their matching profile from
    `select_related` when the caller fetched it, else read now)."""
    matching_profile = related_or_none(participant, "matching_profile")
    learning_goals = matching_profile.learning_goals if matching_profile is not None else []
    rows = Preference.objects.filter(participant=participant).order_by("rank", "pk")
    return preference_values(
        learning_goals=learning_goals,
        preferences={
            row.kind: row.strength for row in rows if row.kind != Preference.Kind.SPECIFIC_MENTOR
        },
        ranked=[
            (row.mentor_id, row.strength == Preference.Strength.MUST)
            for row in rows
            if row.kind == Preference.Kind.SPECIFIC_MENTOR and row.rank
        ],
    )


def mentor_preference_values(*, participant: Participant, capacity: int) -> dict[str, Any]:
    """A mentor's capacity and "rather not" mentees as their preferences form shows them."""
    return {"capacity": capacity, "rather_not": sorted(rather_not_of(mentor=participant))}


def rather_not_of(*, mentor: Participant) -> list[int]:
    """The mentees this mentor said they would rather not mentor."""
    return list(
        Exclusion.objects.filter(mentor=mentor, source=Exclusion.Source.MENTOR).values_list(
            "mentee_id", flat=True
        )
    )


def active_matches_of(user: User, program: Program) -> QuerySet[Match]:
    """The member's active matches in the program, on either side, with both names."""
    return (
        Match.objects.filter(program=program, status=Match.Status.ACTIVE)
        .involving(user)
        .select_related("mentee__user", "mentor__user")
        .order_by("started_at", "pk")
    )


def match_for_user(user: User, program: Program, pk: int) -> Match | None:
    """A match of the program the member may act on: as one of its two sides."""
    return (
        Match.objects.filter(program=program, pk=pk)
        .involving(user)
        .select_related("mentee__user", "mentor__user")
        .first()
    )
