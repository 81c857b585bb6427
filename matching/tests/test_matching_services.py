"""Matching writes: runs and locks, exclusions, manual changes, publishing, ending."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from matching import selectors, services
from matching.models import Exclusion, Match, MatchingProfile, Preference, UnionSkill
from matching.tests.factories import MatchFactory, add_mentee, add_mentor
from programs.models import Participant, Program
from programs.tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

GRIEV, BARG, ORG = UnionSkill.GRIEVANCES, UnionSkill.BARGAINING, UnionSkill.ORGANIZING


@pytest.fixture
def pairs(program):
    """Two mentees and two mentors, each mentee clearly suited to one mentor."""
    ana = add_mentee(program, "Ana Mentee", goals=[GRIEV, BARG], languages=["French"])
    ben = add_mentee(program, "Ben Mentee", goals=[ORG], region="Kamloops")
    rosa = add_mentor(
        program, "Rosa Mentor", skills=[GRIEV, BARG], languages=["français", "french"]
    )
    karl = add_mentor(program, "Karl Mentor", skills=[ORG], region="kamloops ")
    return ana, ben, rosa, karl


def proposals(program) -> dict[int, int]:
    return dict(
        program.matches.filter(status=Match.Status.PROPOSED).values_list("mentee_id", "mentor_id")
    )


def test_a_run_proposes_the_best_pairs_with_score_and_reasons(program, pairs, cast):
    ana, ben, rosa, karl = pairs
    summary = services.matching_run(program=program, by=cast.coordinator)
    assert proposals(program)[ana.pk] == rosa.pk
    assert proposals(program)[ben.pk] == karl.pk
    match = program.matches.get(mentee=ana)
    assert match.score > 100
    reasons = selectors.matching_data(program).score(ana.pk, rosa.pk).reasons
    assert "2 of 2 goals match expertise" in reasons
    assert "shares French" in reasons
    assert not match.locked
    assert summary.proposed == len(proposals(program))
    assert summary.kept == 0


def test_a_rerun_replaces_unlocked_proposals_and_keeps_locked_ones(program, pairs, cast):
    ana, _ben, _rosa, karl = pairs
    # A coordinator's own choice (locked) against the engine's preference.
    locked = services.match_set(
        program=program, mentee=ana, mentor=karl, by=cast.coordinator, override_note=""
    )
    assert locked.locked
    summary = services.matching_run(program=program, by=cast.coordinator)
    assert proposals(program)[ana.pk] == karl.pk
    assert program.matches.get(pk=locked.pk).locked
    assert summary.kept == 1
    first_ids = set(program.matches.exclude(pk=locked.pk).values_list("pk", flat=True))
    services.matching_run(program=program, by=cast.coordinator)
    assert program.matches.filter(pk=locked.pk).exists()
    assert not first_ids & set(program.matches.values_list("pk", flat=True))


def test_unlocking_lets_the_engine_choose_again(program, pairs, cast):
    ana, _ben, rosa, karl = pairs
    match = services.match_set(program=program, mentee=ana, mentor=karl, by=cast.coordinator)
    services.match_unlock(match=match, by=cast.coordinator)
    services.matching_run(program=program, by=cast.coordinator)
    assert proposals(program)[ana.pk] == rosa.pk
    proposal = program.matches.get(mentee=ana)
    services.match_lock(match=proposal, by=cast.coordinator)
    assert Match.objects.get(pk=proposal.pk).locked


def test_only_proposals_are_locked(program, pairs, cast):
    ana, _ben, rosa, _karl = pairs
    active = MatchFactory(program=program, mentee=ana, mentor=rosa, status=Match.Status.ACTIVE)
    with pytest.raises(ValidationError):
        services.match_lock(match=active, by=cast.coordinator)


def test_matching_waits_for_the_matching_status(cast, pairs):
    cast.program.status = Program.Status.SELECTING
    cast.program.save()
    with pytest.raises(ValidationError, match="matching or running"):
        services.matching_run(program=cast.program, by=cast.coordinator)


def test_excluding_a_pair_drops_its_proposal_and_is_kept_on_rerun(program, pairs, cast):
    ana, ben, rosa, karl = pairs
    services.matching_run(program=program, by=cast.coordinator)
    services.match_lock(match=program.matches.get(mentee=ana), by=cast.coordinator)
    exclusion = services.pair_exclude(program=program, mentee=ana, mentor=rosa, by=cast.coordinator)
    assert exclusion.source == Exclusion.Source.COORDINATOR
    assert ana.pk not in proposals(program)
    assert proposals(program)[ben.pk] == karl.pk  # only the excluded pair's proposal went
    services.matching_run(program=program, by=cast.coordinator)
    assert proposals(program).get(ana.pk) != rosa.pk
    # Twice is once.
    services.pair_exclude(program=program, mentee=ana, mentor=rosa, by=cast.coordinator)
    assert Exclusion.objects.filter(mentee=ana, mentor=rosa).count() == 1


def test_a_conflict_of_interest_is_never_proposed(program, pairs, cast):
    ana, _ben, rosa, _karl = pairs
    services.mentor_preferences_save(
        participant=rosa, capacity=2, rather_not=[ana], reason="I supervise her."
    )
    services.matching_run(program=program, by=cast.coordinator)
    assert proposals(program).get(ana.pk) != rosa.pk
    exclusion = Exclusion.objects.get(mentor=rosa, mentee=ana)
    assert (exclusion.source, exclusion.reason) == (Exclusion.Source.MENTOR, "I supervise her.")


def test_a_must_preference_is_never_broken(program, pairs, cast):
    ana, ben, rosa, _karl = pairs
    services.mentee_preferences_save(
        participant=ben,
        learning_goals=[ORG],
        preferences={Preference.Kind.SHARES_LANGUAGE: Preference.Strength.MUST},
        ranked=[],
    )
    services.matching_run(program=program, by=cast.coordinator)
    # Only Rosa speaks another language than English, and Ben speaks none: nobody fits.
    assert ben.pk not in proposals(program)
    assert proposals(program)[ana.pk] == rosa.pk  # the run did propose the others


def test_a_specific_mentor_chosen_first_is_preferred(program, cast):
    ana = add_mentee(program, "Ana", goals=[GRIEV])
    rosa = add_mentor(program, "Rosa", skills=[GRIEV])
    karl = add_mentor(program, "Karl", skills=[GRIEV])
    services.mentee_preferences_save(
        participant=ana,
        learning_goals=[GRIEV],
        preferences={},
        ranked=[(karl, False), (rosa, False)],
    )
    services.matching_run(program=program, by=cast.coordinator)
    assert proposals(program)[ana.pk] == karl.pk
    assert (
        "their 1st choice of mentor"
        in selectors.matching_data(program).score(ana.pk, karl.pk).reasons
    )


def test_capacity_is_respected_and_the_rest_are_unmatched(program, cast):
    mentees = [add_mentee(program, f"Mentee {i}", goals=[GRIEV]) for i in range(3)]
    rosa = add_mentor(program, "Rosa", skills=[GRIEV], capacity=2)
    summary = services.matching_run(program=program, by=cast.coordinator)
    placed = proposals(program)
    assert list(placed.values()).count(rosa.pk) == 2
    # The cast's mentee (no goals) takes the cast's mentor's one place.
    assert summary.unmatched == len(mentees) + 1 - len(placed)


def test_active_matches_use_capacity_and_their_mentees_are_left_alone(program, pairs, cast):
    ana, ben, rosa, karl = pairs
    MatchFactory(program=program, mentee=ben, mentor=rosa, status=Match.Status.ACTIVE)
    services.matching_run(program=program, by=cast.coordinator)
    assert ben.pk not in proposals(program)
    assert rosa.pk not in proposals(program).values()  # Rosa takes one and has one
    # The others are still proposed: Ana to Karl, the cast's mentee to the cast's mentor.
    assert proposals(program) == {
        ana.pk: karl.pk,
        cast.mentee_participant.pk: cast.mentor_participant.pk,
    }


def test_manual_change_with_warnings_needs_an_override_note(program, pairs, cast):
    ana, _ben, _rosa, karl = pairs
    services.pair_exclude(program=program, mentee=ana, mentor=karl, by=cast.coordinator)
    with pytest.raises(ValidationError) as error:
        services.match_set(program=program, mentee=ana, mentor=karl, by=cast.coordinator)
    assert "excluded by the coordinator" in " ".join(error.value.messages)
    match = services.match_set(
        program=program,
        mentee=ana,
        mentor=karl,
        by=cast.coordinator,
        override_note="Talked with both; they want to try.",
    )
    assert match.override_note == "Talked with both; they want to try."
    assert match.locked and match.score is None
    # The board explains it from the live score, in the reader's language.
    assert (
        "excluded by the coordinator"
        in selectors.matching_data(program).score(ana.pk, karl.pk).broken
    )


def test_manual_change_over_capacity_needs_an_override_note(program, pairs, cast):
    ana, ben, _rosa, karl = pairs
    services.match_set(program=program, mentee=ana, mentor=karl, by=cast.coordinator)
    with pytest.raises(ValidationError, match="over capacity"):
        services.match_set(program=program, mentee=ben, mentor=karl, by=cast.coordinator)
    services.match_set(
        program=program, mentee=ben, mentor=karl, by=cast.coordinator, override_note="Just once."
    )
    assert list(proposals(program).values()).count(karl.pk) == 2


def test_manual_change_replaces_the_proposal_without_warnings(program, pairs, cast):
    ana, _ben, rosa, _karl = pairs
    services.matching_run(program=program, by=cast.coordinator)
    services.match_set(program=program, mentee=ana, mentor=rosa, by=cast.coordinator)
    assert program.matches.filter(mentee=ana, status=Match.Status.PROPOSED).count() == 1
    assert program.matches.get(mentee=ana, status=Match.Status.PROPOSED).override_note == ""


def test_a_mentee_with_an_active_match_is_not_matched_again_by_hand(program, pairs, cast):
    ana, _ben, rosa, karl = pairs
    MatchFactory(program=program, mentee=ana, mentor=rosa, status=Match.Status.ACTIVE)
    with pytest.raises(ValidationError, match="already has an active match"):
        services.match_set(
            program=program, mentee=ana, mentor=karl, by=cast.coordinator, override_note="x"
        )


def test_only_the_programs_people_are_paired(program, pairs, cast):
    ana, _ben, rosa, karl = pairs
    elsewhere = add_mentor(ProgramFactory(), "Elsewhere")
    with pytest.raises(ValidationError):
        services.match_set(
            program=program, mentee=ana, mentor=elsewhere, by=cast.coordinator, override_note="x"
        )
    with pytest.raises(ValidationError):
        services.match_set(
            program=program, mentee=rosa, mentor=karl, by=cast.coordinator, override_note="x"
        )


def test_swap_exchanges_mentors_and_locks_both(program, pairs, cast):
    ana, ben, rosa, karl = pairs
    services.matching_run(program=program, by=cast.coordinator)
    first = program.matches.get(mentee=ana)
    second = program.matches.get(mentee=ben)
    services.match_swap(match=first, other=second, by=cast.coordinator)
    assert proposals(program)[ana.pk] == karl.pk
    assert proposals(program)[ben.pk] == rosa.pk
    assert all(
        program.matches.filter(pk__in=[first.pk, second.pk]).values_list("locked", flat=True)
    )


def test_swap_that_breaks_a_constraint_is_refused(program, pairs, cast):
    ana, ben, rosa, karl = pairs
    services.matching_run(program=program, by=cast.coordinator)
    services.mentor_preferences_save(participant=karl, capacity=1, rather_not=[ana])
    with pytest.raises(ValidationError, match="conflict of interest"):
        services.match_swap(
            match=program.matches.get(mentee=ana),
            other=program.matches.get(mentee=ben),
            by=cast.coordinator,
        )
    assert proposals(program)[ana.pk] == rosa.pk


def test_publish_activates_and_tells_both_sides_names_only(
    program, pairs, cast, django_capture_on_commit_callbacks
):
    ana, _ben, rosa, _karl = pairs
    services.matching_run(program=program, by=cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        published = services.matching_publish(program=program, by=cast.coordinator)
    assert {m.mentee_id for m in published} == set(proposals_or_active(program))
    for match in published:
        match.refresh_from_db()
        assert match.status == Match.Status.ACTIVE and match.started_at
    to_ana = next(m for m in mail.outbox if m.to == [ana.user.email])
    assert "Rosa Mentor" in to_ana.body
    assert f"/programs/{program.slug}/" in to_ana.body
    to_rosa = next(m for m in mail.outbox if m.to == [rosa.user.email])
    assert "Ana Mentee" in to_rosa.body
    for message in mail.outbox:
        assert "score" not in message.body.lower()
        assert "goals match" not in message.body
        assert "woman" not in message.body.lower()


def proposals_or_active(program) -> list[int]:
    return list(program.matches.values_list("mentee_id", flat=True))


def test_publish_sends_mail_in_each_members_language(
    program, cast, django_capture_on_commit_callbacks
):
    mentee = add_mentee(program, "Chloé Martin", goals=[GRIEV])
    mentee.user.language = "fr"
    mentee.user.save()
    add_mentor(program, "Rosa", skills=[GRIEV])
    services.matching_run(program=program, by=cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.matching_publish(program=program, by=cast.coordinator)
    to_chloe = next(m for m in mail.outbox if m.to == [mentee.user.email])
    assert "Rosa" in to_chloe.body
    assert to_chloe.body.startswith("Bonjour Chloé,")  # the greeting is translated already
    to_rosa = next(m for m in mail.outbox if m.to != [mentee.user.email])
    assert to_rosa.body.startswith("Hello ")


def test_publish_never_exceeds_capacity_without_an_override(program, pairs, cast):
    ana, ben, _rosa, karl = pairs
    services.match_set(program=program, mentee=ana, mentor=karl, by=cast.coordinator)
    services.match_set(
        program=program, mentee=ben, mentor=karl, by=cast.coordinator, override_note="Agreed."
    )
    # The mentor then lowers nothing, but the override stands: both may be published.
    published = services.matching_publish(program=program, by=cast.coordinator)
    assert len(published) == 2
    # Without an override note, a third proposal to Karl cannot be published.
    third = add_mentee(program, "Cy", goals=[ORG])
    MatchFactory(program=program, mentee=third, mentor=karl)
    with pytest.raises(ValidationError, match="would have 3 mentees and takes 1"):
        services.matching_publish(program=program, by=cast.coordinator)
    assert program.matches.get(mentee=third).status == Match.Status.PROPOSED


def test_capacity_lowered_after_the_run_stops_the_publish(program, cast):
    rosa = add_mentor(program, "Rosa", skills=[GRIEV], capacity=2)
    first, second = (add_mentee(program, n, goals=[GRIEV]) for n in ("A", "B"))
    services.match_set(program=program, mentee=first, mentor=rosa, by=cast.coordinator)
    services.match_set(program=program, mentee=second, mentor=rosa, by=cast.coordinator)
    services.mentor_preferences_save(participant=rosa, capacity=1, rather_not=[])
    with pytest.raises(ValidationError, match="Rosa"):
        services.matching_publish(program=program, by=cast.coordinator)
    assert not program.matches.filter(status=Match.Status.ACTIVE).exists()


def test_publish_only_the_confirmed_proposals(program, pairs, cast):
    ana, ben, _rosa, _karl = pairs
    services.matching_run(program=program, by=cast.coordinator)
    chosen = program.matches.get(mentee=ana)
    published = services.matching_publish(
        program=program, by=cast.coordinator, match_ids=[chosen.pk]
    )
    assert [m.pk for m in published] == [chosen.pk]
    assert program.matches.get(mentee=ben).status == Match.Status.PROPOSED
    # Publishing the same again finds nothing left to publish.
    assert (
        services.matching_publish(program=program, by=cast.coordinator, match_ids=[chosen.pk]) == []
    )


def test_ending_a_match_keeps_it_and_the_mentee_is_matched_again(program, pairs, cast):
    ana, _ben, rosa, _karl = pairs
    rosa_profile = rosa.user.mentor_profile
    rosa_profile.capacity = 2
    rosa_profile.save()
    services.matching_run(program=program, by=cast.coordinator)
    services.matching_publish(program=program, by=cast.coordinator)
    match = program.matches.get(mentee=ana, status=Match.Status.ACTIVE)
    ended = services.match_end(
        match=match, by=ana.user, reason=Match.EndReason.NOT_A_GOOD_FIT, note="Little in common."
    )
    assert ended.status == Match.Status.ENDED
    assert (ended.end_reason, ended.end_note, ended.ended_by) == (
        "not_a_good_fit",
        "Little in common.",
        ana.user,
    )
    assert ended.ended_at
    with pytest.raises(ValidationError):
        services.match_end(match=match, by=ana.user, reason="completed")
    # Re-matching proposes a new mentor, never the one it did not work with.
    newcomer = add_mentor(program, "Newcomer", skills=[ORG])
    services.matching_run(program=program, by=cast.coordinator)
    assert proposals(program) == {ana.pk: newcomer.pk}
    assert program.matches.filter(mentee=ana).count() == 2  # the history is kept


def test_a_completed_match_is_not_matched_again(program, pairs, cast):
    ana, ben, rosa, karl = pairs
    match = MatchFactory(program=program, mentee=ana, mentor=rosa, status=Match.Status.ACTIVE)
    services.match_end(match=match, by=cast.coordinator, reason=Match.EndReason.COMPLETED)
    services.matching_run(program=program, by=cast.coordinator)
    assert ana.pk not in proposals(program)
    assert proposals(program)[ben.pk] == karl.pk  # the run did propose the others


def test_match_end_needs_a_known_reason(program, pairs, cast):
    ana, _ben, rosa, _karl = pairs
    match = MatchFactory(program=program, mentee=ana, mentor=rosa, status=Match.Status.ACTIVE)
    with pytest.raises(ValidationError):
        services.match_end(match=match, by=cast.coordinator, reason="bored")


def end_and_deliver(capture, match, by, reason, note=""):
    with capture(execute=True):
        services.match_end(match=match, by=by, reason=reason, note=note)
    return {message.to[0]: message for message in mail.outbox}


def test_a_member_ending_a_match_tells_the_other_side_and_the_coordinators(
    program, pairs, cast, django_capture_on_commit_callbacks
):
    ana, _ben, rosa, _karl = pairs
    match = MatchFactory(program=program, mentee=ana, mentor=rosa, status=Match.Status.ACTIVE)
    sent = end_and_deliver(
        django_capture_on_commit_callbacks,
        match,
        ana.user,
        Match.EndReason.NOT_A_GOOD_FIT,
        note="He never listens.",
    )
    assert set(sent) == {rosa.user.email, cast.coordinator.email}
    to_rosa = sent[rosa.user.email]
    assert "Your match with Ana Mentee" in to_rosa.body and "has ended" in to_rosa.body
    assert "Thank you for the time you gave as a mentor." in to_rosa.body
    assert f"/programs/{program.slug}/" in to_rosa.body
    to_coordinator = sent[cast.coordinator.email]
    assert "Ana Mentee ended the match of Ana Mentee with Rosa Mentor" in to_coordinator.body
    assert "Why: Not a good fit." in to_coordinator.body
    assert f"/programs/{program.slug}/matching/mentees/{ana.pk}/" in to_coordinator.body
    for message in sent.values():
        assert "never listens" not in message.body  # the note stays on the coordinators' page
        assert "Ana" not in message.subject and "Rosa" not in message.subject


def test_a_coordinator_ending_a_match_tells_both_sides_in_their_language(
    program, pairs, cast, django_capture_on_commit_callbacks
):
    ana, _ben, rosa, _karl = pairs
    ana.user.language = "fr"
    ana.user.save(update_fields=["language"])
    match = MatchFactory(program=program, mentee=ana, mentor=rosa, status=Match.Status.ACTIVE)
    sent = end_and_deliver(
        django_capture_on_commit_callbacks, match, cast.coordinator, Match.EndReason.LEFT_PROGRAM
    )
    assert set(sent) == {ana.user.email, rosa.user.email}
    assert sent[ana.user.email].body.startswith("Bonjour Ana,")
    assert "Rosa Mentor" in sent[ana.user.email].body
    assert "Your match with Ana Mentee" in sent[rosa.user.email].body


def test_a_completed_match_thanks_the_other_side_and_spares_the_coordinators(
    program, pairs, cast, django_capture_on_commit_callbacks
):
    ana, _ben, rosa, _karl = pairs
    match = MatchFactory(program=program, mentee=ana, mentor=rosa, status=Match.Status.ACTIVE)
    sent = end_and_deliver(
        django_capture_on_commit_callbacks, match, rosa.user, Match.EndReason.COMPLETED
    )
    assert set(sent) == {ana.user.email}
    assert "Your match with Rosa Mentor" in sent[ana.user.email].body
    assert "is complete" in sent[ana.user.email].body


def test_a_match_that_fails_to_end_sends_nothing(
    program, pairs, cast, django_capture_on_commit_callbacks
):
    ana, _ben, rosa, _karl = pairs
    match = MatchFactory(program=program, mentee=ana, mentor=rosa, status=Match.Status.ACTIVE)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.match_end(match=match, by=ana.user, reason="bored")
    assert mail.outbox == []


def test_circles_give_each_mentor_the_programs_circle_size(cast):
    program = ProgramFactory(status=Program.Status.MATCHING, format=Program.Format.CIRCLE)
    services.matching_settings_save(program=program, data={"circle_size": 3}, by=cast.coordinator)
    mentors = [add_mentor(program, f"M{i}", skills=[GRIEV], capacity=1) for i in range(2)]
    for i in range(7):
        add_mentee(program, f"E{i}", goals=[GRIEV])
    summary = services.matching_run(program=program, by=cast.coordinator)
    placed = list(proposals(program).values())
    assert sorted(placed.count(m.pk) for m in mentors) == [3, 3]
    assert summary.unmatched == 1


def test_peer_programs_pair_mentees_with_each_other(cast):
    program = ProgramFactory(status=Program.Status.MATCHING, format=Program.Format.PEER)
    a = add_mentee(program, "A", goals=[GRIEV, BARG])
    b = add_mentee(program, "B", goals=[ORG])
    c = add_mentee(program, "C", goals=[GRIEV, BARG])
    d = add_mentee(program, "D", goals=[ORG])
    services.matching_run(program=program, by=cast.coordinator)
    pairs = {frozenset(p) for p in proposals(program).items()}
    assert pairs == {frozenset({a.pk, c.pk}), frozenset({b.pk, d.pk})}
    published = services.matching_publish(program=program, by=cast.coordinator)
    assert len(published) == 2
    services.matching_run(program=program, by=cast.coordinator)
    assert not proposals(program)


def test_mentee_preferences_replace_the_previous_ones(program, pairs):
    ana, _ben, rosa, karl = pairs
    services.mentee_preferences_save(
        participant=ana,
        learning_goals=[BARG, GRIEV],
        preferences={"woman_mentor": "must", "same_local": "nice"},
        ranked=[(rosa, True), (karl, False)],
    )
    services.mentee_preferences_save(
        participant=ana,
        learning_goals=[ORG],
        preferences={"shares_language": "nice"},
        ranked=[(karl, False)],
    )
    rows = Preference.objects.filter(participant=ana)
    assert {(r.kind, r.strength, r.mentor_id, r.rank) for r in rows} == {
        ("shares_language", "nice", None, None),
        ("specific_mentor", "nice", karl.pk, 1),
    }
    assert MatchingProfile.objects.get(participant=ana).learning_goals == [ORG]


def test_mentee_preferences_reject_strangers_and_repeats(program, pairs):
    ana, ben, rosa, _karl = pairs
    with pytest.raises(ValidationError):
        services.mentee_preferences_save(
            participant=ana, learning_goals=[], preferences={}, ranked=[(rosa, False)] * 2
        )
    with pytest.raises(ValidationError):
        services.mentee_preferences_save(
            participant=ana, learning_goals=[], preferences={}, ranked=[(ben, False)]
        )
    with pytest.raises(ValidationError):
        services.mentee_preferences_save(
            participant=ana, learning_goals=["juggling"], preferences={}, ranked=[]
        )
    with pytest.raises(ValidationError):
        services.mentee_preferences_save(
            participant=rosa, learning_goals=[], preferences={}, ranked=[]
        )


def test_mentor_preferences_set_capacity_and_conflicts(program, pairs, cast):
    ana, ben, rosa, karl = pairs
    services.match_set(program=program, mentee=ana, mentor=rosa, by=cast.coordinator)
    assert proposals(program) == {ana.pk: rosa.pk}
    services.mentor_preferences_save(participant=rosa, capacity=3, rather_not=[ana, ben])
    assert MatchingProfile.objects.get(participant=rosa).capacity == 3
    assert ana.pk not in proposals(program)  # the conflicting proposal is dropped
    services.mentor_preferences_save(participant=rosa, capacity=None, rather_not=[ben])
    assert set(Exclusion.objects.filter(mentor=rosa).values_list("mentee_id", flat=True)) == {
        ben.pk
    }
    with pytest.raises(ValidationError):
        services.mentor_preferences_save(participant=rosa, capacity=9, rather_not=[])
    with pytest.raises(ValidationError):
        services.mentor_preferences_save(participant=rosa, capacity=1, rather_not=[karl])


def test_a_mentors_conflict_overrides_a_coordinators_exclusion(program, pairs, cast):
    ana, _ben, rosa, _karl = pairs
    services.pair_exclude(program=program, mentee=ana, mentor=rosa, by=cast.coordinator)
    services.mentor_preferences_save(participant=rosa, capacity=1, rather_not=[ana])
    assert Exclusion.objects.get(mentor=rosa, mentee=ana).source == Exclusion.Source.MENTOR


def test_priority_is_set_by_the_coordinator(program, pairs, cast):
    ana, *_ = pairs
    services.mentee_set_priority(participant=ana, priority=True, by=cast.coordinator)
    assert MatchingProfile.objects.get(participant=ana).priority
    mentor = Participant.objects.get(program=program, user=cast.mentor)
    with pytest.raises(ValidationError):
        services.mentee_set_priority(participant=mentor, priority=True, by=cast.coordinator)


def test_settings_are_validated(program, cast):
    with pytest.raises(ValidationError):
        services.matching_settings_save(program=program, data={"goal": 51}, by=cast.coordinator)
    saved = services.matching_settings_save(
        program=program, data={"goal": 20, "ranked_first": 30}, by=cast.coordinator
    )
    assert saved.weights().goal == 20
    assert saved.weights().ranked == (30, 8, 4)
