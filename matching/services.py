"""Writes on the mentor database and on matching.

Matching writes run in transactions; proposal edits lock the program's row, so a run
and a coordinator's change never interleave, and publishing locks the mentors' rows
(see `matching_publish`).
"""

import logging
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.concurrency import Loaded, values_of
from core.mail import mail_member
from programs.funnel import funnel_changed
from programs.models import Participant, Program
from programs.services import program_settings_copy

from . import engine, selectors
from .models import (
    WEIGHT_FIELDS,
    Exclusion,
    Match,
    MatchingProfile,
    MatchingSettings,
    MentorProfile,
    Preference,
    UnionSkill,
)

logger = logging.getLogger(__name__)

MENTOR_PROFILE_FIELDS = (
    "background",
    "interests",
    "experience",
    "qualifications",
    "skills",
    "internal",
    "capacity",
    "availability",
    "available",
    "findable_by_other_programs",
)


def _existing(user: User) -> MentorProfile | None:
    return MentorProfile.objects.select_for_update(of=("self",)).filter(user=user).first()


@transaction.atomic
def mentor_profile_save(
    *, user: User, data: Mapping[str, Any], loaded: Loaded | None = None
) -> MentorProfile:
    """Create or update the member's mentor profile; saving also confirms it is current.

    Languages and region are not here: they are on the member's profile (`profile_save`).
    With `loaded`, an answer saved since in another tab is never replaced (`EditConflict`).
    """
    unknown = set(data) - set(MENTOR_PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not a mentor profile field: {', '.join(sorted(unknown))}")
    User.objects.select_for_update(of=("self",)).filter(
        pk=user.pk
    ).first()  # two first saves take turns
    existing = _existing(user)
    if loaded is not None:
        loaded.check(
            values_of(existing, MENTOR_PROFILE_FIELDS),
            data,
            saved_at=existing.updated_at if existing else None,
        )
    mentor_profile = existing or MentorProfile(user=user)
    for field in MENTOR_PROFILE_FIELDS:
        if field in data:
            setattr(mentor_profile, field, data[field])
    mentor_profile.confirmed_at = timezone.now()
    # One profile per member is the database's to enforce: see the IntegrityError below.
    mentor_profile.full_clean(validate_unique=False)
    if mentor_profile.pk is None:
        try:
            with transaction.atomic():
                mentor_profile.save(force_insert=True)
        except IntegrityError:
            # The member's other request (a double click) created it first: update that one.
            mentor_profile.pk = _existing(user).pk
            mentor_profile.save(force_update=True)
    else:
        mentor_profile.save()
    return mentor_profile


@transaction.atomic
def mentor_profile_confirm(*, user: User) -> MentorProfile:
    """The member says their mentor profile is still up to date (the yearly refresh)."""
    mentor_profile = _existing(user)
    if mentor_profile is None:
        raise ValidationError(
            _("You have no mentor profile yet: fill in the form first."), code="no_profile"
        )
    mentor_profile.confirmed_at = timezone.now()
    # Not an edit: "last updated" keeps the date of the last change.
    mentor_profile.save(update_fields=["confirmed_at"])
    return mentor_profile


# --- Matching ------------------------------------------------------------------------------

# Matching is done while the program is matching, and re-matching while it runs.
MATCHING_STATUSES = (Program.Status.MATCHING, Program.Status.RUNNING)
SETTINGS_FIELDS = (*WEIGHT_FIELDS, "circle_size")


def _lock_program(program: Program) -> Program:
    """Serialise the edits of a program's proposals (two coordinators, a run and a change)."""
    locked = Program.objects.select_for_update(of=("self",)).get(pk=program.pk)
    if locked.status not in MATCHING_STATUSES:
        raise ValidationError(
            _("Matches are made while the program is matching or running; it is %(status)s.")
            % {"status": locked.get_status_display().lower()},
            code="status",
        )
    return locked


def _check_pair(program: Program, mentee: Participant, mentor: Participant) -> None:
    peer = program.format == Program.Format.PEER
    mentor_role = Participant.Role.MENTEE if peer else Participant.Role.MENTOR
    if (
        mentee.program_id != program.pk
        or mentor.program_id != program.pk
        or mentee.role != Participant.Role.MENTEE
        or mentor.role != mentor_role
        or mentee.pk == mentor.pk
    ):
        raise ValidationError(_("Choose a mentee and a mentor of this program."), code="pair")


def _snapshot(match: Match, score: engine.Score) -> None:
    match.score = score.total if score.feasible else None


@dataclass(frozen=True)
class RunSummary:
    proposed: int  # new proposals
    kept: int  # locked proposals kept as they were
    unmatched: int


@transaction.atomic
def matching_run(*, program: Program, by: User) -> RunSummary:
    """Replace the unlocked proposals by the engine's; locked ones are kept.

    Mentees with an active match are left alone, so running again after a match
    ended re-matches just those without one.
    """
    program = _lock_program(program)
    data = selectors.matching_data(program)
    program.matches.filter(status=Match.Status.PROPOSED, locked=False).delete()
    kept = [m for m in data.proposed.values() if m.locked]
    created: list[Match] = []
    if data.is_peer:
        paired = {m.mentee_id for m in kept} | {m.mentor_id for m in kept}
        free = tuple(x for x in data.problem.mentees if x.id not in paired)
        for a, b, score in engine.solve_peers(free, data.problem.weights):
            match = Match(program=program, mentee_id=a, mentor_id=b, status=Match.Status.PROPOSED)
            _snapshot(match, score)
            created.append(match)
        unmatched = len(free) - 2 * len(created)
    else:
        result = engine.solve(data.problem)
        by_pair = {(m.mentee_id, m.mentor_id): m for m in kept}
        for assignment in result.assignments:
            pair = (assignment.mentee_id, assignment.mentor_id)
            if assignment.locked and pair in by_pair:
                # Kept as the coordinator locked it, with its score brought up to date.
                _snapshot(by_pair[pair], assignment.score)
                by_pair[pair].save(update_fields=["score"])
                continue
            match = Match(
                program=program, mentee_id=pair[0], mentor_id=pair[1], status=Match.Status.PROPOSED
            )
            _snapshot(match, assignment.score)
            created.append(match)
        unmatched = len(result.unmatched)
    Match.objects.bulk_create(created)
    logger.info(
        "Matching run on program %s by member %s: %d proposed, %d kept, %d unmatched",
        program.slug,
        by.pk,
        len(created),
        len(kept),
        unmatched,
    )
    return RunSummary(proposed=len(created), kept=len(kept), unmatched=unmatched)


def _proposal(match: Match) -> Match:
    locked = Match.objects.select_for_update(of=("self",)).filter(pk=match.pk).first()
    if locked is None or locked.status != Match.Status.PROPOSED:
        raise ValidationError(
            _("This match is no longer a proposal: the page was out of date."), code="not_proposed"
        )
    return locked


@transaction.atomic
def match_lock(*, match: Match, by: User) -> Match:
    """Keep this proposal when matching runs again."""
    _lock_program(match.program)
    match = _proposal(match)
    match.locked = True
    match.save(update_fields=["locked"])
    logger.info("Match %s locked by member %s", match.pk, by.pk)
    return match


@transaction.atomic
def match_unlock(*, match: Match, by: User) -> Match:
    _lock_program(match.program)
    match = _proposal(match)
    match.locked = False
    match.save(update_fields=["locked"])
    logger.info("Match %s unlocked by member %s", match.pk, by.pk)
    return match


@transaction.atomic
def pair_exclude(
    *, program: Program, mentee: Participant, mentor: Participant, by: User, reason: str = ""
) -> Exclusion:
    """Never match these two; their proposal, if any, is dropped (locked or not)."""
    program = _lock_program(program)
    if program.format == Program.Format.PEER:
        raise ValidationError(_("Pairs are not excluded in peer mentoring."), code="peer")
    _check_pair(program, mentee, mentor)
    exclusion, _created = Exclusion.objects.get_or_create(
        mentor=mentor,
        mentee=mentee,
        defaults={
            "program": program,
            "source": Exclusion.Source.COORDINATOR,
            "reason": reason,
            "created_by": by,
        },
    )
    program.matches.filter(status=Match.Status.PROPOSED, mentee=mentee, mentor=mentor).delete()
    logger.info(
        "Pair %s/%s excluded in program %s by member %s", mentee.pk, mentor.pk, program.slug, by.pk
    )
    return exclusion


@transaction.atomic
def exclusion_lift(*, exclusion: Exclusion, by: User) -> bool:
    """Let a pair a coordinator excluded be matched again; False if already lifted.

    A mentor's conflict of interest is the mentor's to lift, from their own preferences.
    """
    if exclusion.source == Exclusion.Source.MENTOR:
        raise ValidationError(
            _("Only the mentor can lift a conflict of interest, from their preferences."),
            code="mentor",
        )
    deleted, _rows = Exclusion.objects.filter(pk=exclusion.pk).delete()
    if deleted:
        logger.info(
            "Exclusion of pair %s/%s lifted in program %s by member %s",
            exclusion.mentee_id,
            exclusion.mentor_id,
            exclusion.program_id,
            by.pk,
        )
    return bool(deleted)


@transaction.atomic
def match_set(
    *,
    program: Program,
    mentee: Participant,
    mentor: Participant,
    by: User,
    override_note: str = "",
) -> Match:
    """A coordinator's own choice of mentor, proposed and locked.

    A pair that breaks a hard constraint or a mentor's capacity needs an override note.
    """
    program = _lock_program(program)
    _check_pair(program, mentee, mentor)
    data = selectors.matching_data(program)
    if mentee.pk in data.active:
        raise ValidationError(
            _("%(name)s already has an active match: end it before choosing another mentor.")
            % {"name": mentee.user.name},
            code="active",
        )
    if data.is_peer and (
        mentor.pk in data.active or mentor.pk in {m.mentor_id for m in data.active.values()}
    ):
        raise ValidationError(
            _("%(name)s is already in an active pair.") % {"name": mentor.user.name},
            code="active",
        )
    score, warnings = selectors.pair_warnings(data, mentee=mentee, mentor=mentor)
    override_note = override_note.strip()
    if warnings and not override_note:
        raise ValidationError(
            [
                ValidationError(
                    _("To save this pair anyway, say why in the override note."),
                    code="needs_override",
                ),
                *(ValidationError(w, code="warning") for w in warnings),
            ]
        )
    program.matches.filter(status=Match.Status.PROPOSED, mentee=mentee).delete()
    if data.is_peer:
        # Each mentee is in one pair: the chosen partner leaves theirs.
        program.matches.filter(status=Match.Status.PROPOSED, mentee=mentor).delete()
        program.matches.filter(status=Match.Status.PROPOSED, mentor__in=[mentee, mentor]).delete()
    match = Match(
        program=program,
        mentee=mentee,
        mentor=mentor,
        status=Match.Status.PROPOSED,
        locked=True,
        override_note=override_note if warnings else "",
    )
    _snapshot(match, score)
    match.full_clean(validate_constraints=False)
    match.save()
    logger.info(
        "Match %s set by member %s in program %s%s",
        match.pk,
        by.pk,
        program.slug,
        " with an override" if match.override_note else "",
    )
    return match


@transaction.atomic
def match_swap(*, match: Match, other: Match, by: User) -> tuple[Match, Match]:
    """Exchange the mentors of two proposals; both are then locked.

    Capacities do not change; a swap that would break a hard constraint is refused
    (choose the mentor by hand with an override note instead).
    """
    program = _lock_program(match.program)
    first, second = _proposal(match), _proposal(other)
    if first.pk == second.pk or first.program_id != second.program_id:
        raise ValidationError(_("Choose another proposal of this program."), code="pair")
    data = selectors.matching_data(program)
    first.mentor_id, second.mentor_id = second.mentor_id, first.mentor_id
    if first.mentee_id == first.mentor_id or second.mentee_id == second.mentor_id:
        raise ValidationError(_("A mentee cannot be paired with themselves."), code="pair")
    for swapped in (first, second):
        score = data.score(swapped.mentee_id, swapped.mentor_id)
        if not score.feasible:
            raise ValidationError(
                _("%(mentee)s and %(mentor)s cannot be paired: %(broken)s.")
                % {
                    "mentee": data.participants[swapped.mentee_id].user.name,
                    "mentor": data.participants[swapped.mentor_id].user.name,
                    "broken": "; ".join(score.broken),
                },
                code="broken",
            )
        _snapshot(swapped, score)
        swapped.locked = True
        swapped.override_note = ""
    Match.objects.bulk_update([first, second], ["mentor", "score", "locked"])
    logger.info("Matches %s and %s swapped by member %s", first.pk, second.pk, by.pk)
    return first, second


@transaction.atomic
def mentee_set_priority(*, participant: Participant, priority: bool, by: User) -> MatchingProfile:
    """An organisational priority, e.g. first claim on scarce mentors for equity-seeking members."""
    if participant.role != Participant.Role.MENTEE:
        raise ValidationError(_("Only mentees are given priority."), code="role")
    matching_profile, _created = MatchingProfile.objects.select_for_update(
        of=("self",)
    ).get_or_create(participant=participant)
    matching_profile.priority = priority
    matching_profile.save(update_fields=["priority"])
    logger.info(
        "Priority of participant %s set to %s by member %s", participant.pk, priority, by.pk
    )
    return matching_profile


@transaction.atomic
def matching_settings_save(
    *, program: Program, data: Mapping[str, int], by: User
) -> MatchingSettings:
    unknown = set(data) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"Not a matching setting: {', '.join(sorted(unknown))}")
    Program.objects.select_for_update(of=("self",)).get(pk=program.pk)
    saved = MatchingSettings.objects.filter(program=program).first() or MatchingSettings(
        program=program
    )
    for name, value in data.items():
        setattr(saved, name, value)
    saved.full_clean()
    saved.save()
    logger.info("Matching settings of program %s changed by member %s", program.slug, by.pk)
    return saved


def matching_settings_copy(*, source: Program, target: Program) -> MatchingSettings | None:
    """Give `target` the matching settings `source` set (a program copied for next year).

    A source without its own settings has the defaults, and so will the target: no row.
    """
    return program_settings_copy(MatchingSettings, source=source, target=target)


def _capacity_problems(
    matches: Sequence[Match], settings: MatchingSettings, active: Counter
) -> list[str]:
    """Mentors whom publishing these matches would take past their capacity."""
    program = matches[0].program if matches else None
    if program is None or program.format == Program.Format.PEER:
        return []
    mentors = {
        p.pk: p
        for p in Participant.objects.filter(pk__in={m.mentor_id for m in matches}).select_related(
            "user", "user__mentor_profile", "matching_profile"
        )
    }
    plain = Counter(m.mentor_id for m in matches if not m.override_note)
    problems = []
    for mentor_id, count in sorted(plain.items()):
        mentor = mentors[mentor_id]
        mentor.program = program
        capacity = selectors.mentor_capacity(mentor, settings)
        if active[mentor_id] + count > capacity:
            problems.append(
                _(
                    "%(name)s would have %(n)d mentees and takes %(capacity)d: change the "
                    "proposals, or choose the mentor by hand with an override note."
                )
                % {"name": mentor.user.name, "n": active[mentor_id] + count, "capacity": capacity}
            )
    return problems


def _notify_published(program: Program, matches: Sequence[Match]) -> None:
    """Each side learns who they are matched with: names and the program's page only."""
    url = program.get_absolute_url()
    peer = program.format == Program.Format.PEER
    partners: dict[int, list[str]] = defaultdict(list)
    people: dict[int, tuple[User, str]] = {}
    for match in matches:
        mentee, mentor = match.mentee.user, match.mentor.user
        people[mentee.pk] = (mentee, "peer" if peer else "mentee")
        people[mentor.pk] = (mentor, "peer" if peer else "mentor")
        partners[mentee.pk].append(mentor.name)
        partners[mentor.pk].append(mentee.name)
    for user_id, (user, side) in people.items():
        mail_member(
            user,
            "match_published",
            {
                "side": side,
                "partners": sorted(partners[user_id]),
                "program": program,
                "url": url,
            },
        )


@transaction.atomic
def matching_publish(
    *, program: Program, by: User, match_ids: Iterable[int] | None = None
) -> list[Match]:
    """Make the proposals active (those confirmed, or all) and tell both sides by e-mail.

    Capacity is checked with the mentors' rows locked, in a fixed order, and their active
    matches counted inside the transaction: two coordinators publishing at once cannot
    together take a mentor past capacity. The database allows one active match per
    mentee. Proposals already published or changed since the coordinator confirmed them
    are left out.
    """
    status = Program.objects.filter(pk=program.pk).values_list("status", flat=True).first()
    if status not in MATCHING_STATUSES:
        raise ValidationError(
            _("Matches are published while the program is matching or running."), code="status"
        )
    proposed = program.matches.filter(status=Match.Status.PROPOSED)
    if match_ids is not None:
        proposed = proposed.filter(pk__in=list(match_ids))
    mentor_ids = sorted(set(proposed.values_list("mentor_id", flat=True)))
    if not mentor_ids:
        return []
    # Fixed order (by id): two publishing transactions never wait on each other in a circle.
    locked = list(
        Participant.objects.select_for_update(of=("self",))
        .filter(pk__in=mentor_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # Read again now the mentors are locked: what another publish committed is seen.
    matches = list(
        proposed.filter(mentor_id__in=locked)
        .select_for_update(of=("self",))
        .select_related("program", "mentee__user", "mentor__user")
        .order_by("pk")
    )
    if not matches:
        return []
    active_rows = Match.objects.filter(program=program, status=Match.Status.ACTIVE)
    active = Counter(active_rows.filter(mentor_id__in=locked).values_list("mentor_id", flat=True))
    busy = set(active_rows.values_list("mentee_id", flat=True))
    if program.format == Program.Format.PEER:
        busy |= set(active_rows.values_list("mentor_id", flat=True))
        busy &= {m.mentee_id for m in matches} | {m.mentor_id for m in matches}
    else:
        busy &= {m.mentee_id for m in matches}
    problems = [
        _("%(name)s already has an active match.")
        % {"name": m.mentee.user.name if m.mentee_id in busy else m.mentor.user.name}
        for m in matches
        if m.mentee_id in busy or (program.format == Program.Format.PEER and m.mentor_id in busy)
    ]
    problems += _capacity_problems(matches, selectors.settings_of(program), active)
    if problems:
        raise ValidationError(problems, code="cannot_publish")
    now = timezone.now()
    for match in matches:
        match.status = Match.Status.ACTIVE
        match.started_at = now
    try:
        with transaction.atomic():
            Match.objects.bulk_update(matches, ["status", "started_at"])
    except IntegrityError as error:
        # One active match per mentee: another publish got there first.
        raise ValidationError(
            _("Some of these matches were published by someone else meanwhile; reload the page."),
            code="conflict",
        ) from error
    funnel_changed(participants={pk for m in matches for pk in (m.mentee_id, m.mentor_id)})
    _notify_published(program, matches)
    logger.info("Program %s: %d matches published by member %s", program.slug, len(matches), by.pk)
    return matches


@transaction.atomic
def match_end(*, match: Match, by: User, reason: str, note: str = "") -> Match:
    """End an active match with a reason; it stays in the history, and the mentee can be
    matched again by running the engine."""
    locked = Match.objects.select_for_update(of=("self",)).get(pk=match.pk)
    if locked.status != Match.Status.ACTIVE:
        raise ValidationError(_("Only an active match can be ended."), code="not_active")
    if reason not in Match.EndReason.values:
        raise ValidationError({"end_reason": _("Choose why the match ends.")})
    locked.status = Match.Status.ENDED
    locked.ended_at = timezone.now()
    locked.end_reason = reason
    locked.end_note = note.strip()
    locked.ended_by = by
    locked.full_clean(validate_constraints=False)
    locked.save(update_fields=["status", "ended_at", "end_reason", "end_note", "ended_by"])
    funnel_changed(participants=[locked.mentee_id, locked.mentor_id])  # "completed", perhaps
    logger.info("Match %s ended (%s) by member %s", locked.pk, reason, by.pk)
    _notify_ended(locked, by)
    return locked


def _notify_ended(match: Match, by: User) -> None:
    """Tell whoever did not end the match that it ended; never the reason's note.

    The pair's other side always hears of it. The coordinators hear of it when a
    participant ends a match before it is completed: the mentee may need a new mentor.
    """
    match = Match.objects.select_related("program", "mentee__user", "mentor__user").get(pk=match.pk)
    program = match.program
    peer = program.format == Program.Format.PEER
    sides = ((match.mentee, match.mentor, "mentee"), (match.mentor, match.mentee, "mentor"))
    for participant, partner, side in sides:
        if participant.user_id == by.pk:
            continue
        mail_member(
            participant.user,
            "match_ended",
            {
                "side": "peer" if peer else side,
                "partner": partner.user.name,
                "program": program,
                "completed": match.end_reason == Match.EndReason.COMPLETED,
                "url": program.get_absolute_url(),
            },
        )
    if match.end_reason == Match.EndReason.COMPLETED:
        return
    coordinators = list(program.coordinators.all())
    if any(coordinator.pk == by.pk for coordinator in coordinators):
        return
    for coordinator in coordinators:
        mail_member(
            coordinator,
            "match_ended",
            {
                "side": "coordinator",
                "match": match,
                "ended_by": by.name,
                "program": program,
                "url": reverse("matching:manual", args=[program.slug, match.mentee_id]),
            },
        )


# --- Participants' own preferences ---------------------------------------------------------


@transaction.atomic
def mentee_preferences_save(
    *,
    participant: Participant,
    learning_goals: Sequence[str],
    preferences: Mapping[str, str],
    ranked: Sequence[tuple[Participant, bool]],
    loaded: Loaded | None = None,
) -> MatchingProfile:
    """A mentee's goals and wishes: `preferences` maps a kind to "nice" or "must" (absent:
    no preference); `ranked` is up to three mentors, first choice first, each "must" or not.

    With `loaded` (what the form showed), a wish saved since in another tab is never
    replaced (`EditConflict`).
    """
    if participant.role != Participant.Role.MENTEE:
        raise ValidationError(_("Only mentees state preferences about a mentor."), code="role")
    participant = Participant.objects.select_for_update(of=("self",)).get(pk=participant.pk)
    if loaded is not None:
        loaded.check(
            selectors.mentee_preference_values(participant=participant),
            selectors.preference_values(
                learning_goals=learning_goals,
                preferences=preferences,
                ranked=[(mentor.pk, must) for mentor, must in ranked],
            ),
        )
    matching_profile, _created = MatchingProfile.objects.get_or_create(participant=participant)
    matching_profile.learning_goals = [g for g in UnionSkill.values if g in set(learning_goals)]
    unknown = [g for g in learning_goals if g not in UnionSkill.values]
    if unknown:
        raise ValidationError({"learning_goals": _("Not a valid choice.")}, code="goal")
    matching_profile.full_clean()
    matching_profile.save(update_fields=["learning_goals"])

    general = {k for k in Preference.Kind.values if k != Preference.Kind.SPECIFIC_MENTOR}
    rows = []
    for kind, strength in preferences.items():
        if kind not in general or strength not in Preference.Strength.values:
            raise ValidationError(_("Not a valid preference."), code="preference")
        rows.append(Preference(participant=participant, kind=kind, strength=strength))
    if len(ranked) > 3:
        raise ValidationError(_("Choose up to three mentors."), code="ranked")
    seen = set()
    for rank, (mentor, must) in enumerate(ranked, start=1):
        if (
            mentor.program_id != participant.program_id
            or mentor.role != Participant.Role.MENTOR
            or mentor.pk in seen
        ):
            raise ValidationError(_("Choose different mentors of this program."), code="ranked")
        seen.add(mentor.pk)
        rows.append(
            Preference(
                participant=participant,
                kind=Preference.Kind.SPECIFIC_MENTOR,
                strength=Preference.Strength.MUST if must else Preference.Strength.NICE,
                mentor=mentor,
                rank=rank,
            )
        )
    Preference.objects.filter(participant=participant).delete()
    Preference.objects.bulk_create(rows)
    return matching_profile


@transaction.atomic
def mentor_preferences_save(
    *,
    participant: Participant,
    capacity: int | None,
    rather_not: Iterable[Participant],
    reason: str = "",
    loaded: Loaded | None = None,
) -> MatchingProfile:
    """A mentor's capacity in this program, and whom they would rather not mentor.

    "Rather not" is always a hard exclusion (a conflict of interest, e.g. someone they
    supervise); its proposal, if any, is dropped. With `loaded` (what the form showed),
    a choice saved since in another tab is never replaced (`EditConflict`).
    """
    if participant.role != Participant.Role.MENTOR:
        raise ValidationError(_("Only mentors set a capacity."), code="role")
    participant = Participant.objects.select_for_update(of=("self",)).get(pk=participant.pk)
    if loaded is not None:
        stored = selectors.mentor_preference_values(
            participant=participant,
            capacity=selectors.mentor_capacity(
                participant, selectors.settings_of(participant.program)
            ),
        )
        submitted: dict[str, Any] = {"rather_not": [m.pk for m in rather_not]}
        if participant.program.format != Program.Format.CIRCLE:  # a circle's size is not theirs
            submitted["capacity"] = capacity
        loaded.check(stored, submitted)
    matching_profile, _created = MatchingProfile.objects.get_or_create(participant=participant)
    matching_profile.capacity = capacity
    matching_profile.full_clean()
    matching_profile.save(update_fields=["capacity"])

    mentees = {m.pk: m for m in rather_not}
    for mentee in mentees.values():
        if mentee.program_id != participant.program_id or mentee.role != Participant.Role.MENTEE:
            raise ValidationError(_("Choose mentees of this program."), code="rather_not")
    reason = reason.strip()
    if len(reason) > Exclusion.REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep it under %(n)d characters.") % {"n": Exclusion.REASON_MAX}}
        )
    mine = Exclusion.objects.filter(mentor=participant)
    mine.filter(source=Exclusion.Source.MENTOR).exclude(mentee__in=list(mentees)).delete()
    for mentee in mentees.values():
        exclusion, created = Exclusion.objects.get_or_create(
            mentor=participant,
            mentee=mentee,
            defaults={
                "program_id": participant.program_id,
                "source": Exclusion.Source.MENTOR,
                "reason": reason,
                "created_by": participant.user,
            },
        )
        if not created and (exclusion.source != Exclusion.Source.MENTOR or reason):
            # The mentor's own word makes it a conflict of interest, whoever excluded first.
            exclusion.source = Exclusion.Source.MENTOR
            exclusion.reason = reason or exclusion.reason
            exclusion.save(update_fields=["source", "reason"])
    Match.objects.filter(
        status=Match.Status.PROPOSED, mentor=participant, mentee__in=list(mentees)
    ).delete()
    return matching_profile
