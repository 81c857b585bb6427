"""The matching pages: the coordinator's board and its controls, members' preferences,
ending a match. Access by role is in mentorship/tests/test_access_matrix.py."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Profile
from core.testing import assert_constant_queries, form_fields, post_loaded
from matching import services
from matching.models import Exclusion, Match, MatchingProfile, Preference
from matching.tests.factories import MatchFactory, add_mentee, add_mentor
from programs.models import Participant, Program

pytestmark = pytest.mark.django_db


def url(name, program, *args):
    return reverse(f"matching:{name}", args=[program.slug, *args])


def participant(cast, role) -> Participant:
    return cast.program.participants.get(user=getattr(cast, role))


def test_the_board_shows_proposals_with_score_and_reasons(program, coordinator):
    ana = add_mentee(program, "Ana Example", goals=["grievances"], languages=["French"])
    rosa = add_mentor(
        program, "Rosa Example", skills=["grievances"], languages=["French"], gender="woman"
    )
    Preference.objects.create(participant=ana, kind="woman_mentor")
    MatchFactory(program=program, mentee=ana, mentor=rosa)
    page = coordinator.get(url("board", program)).content.decode()
    assert "Rosa Example" in page
    assert "1 of 1 goals match expertise" in page
    assert "shares French" in page
    assert "asked for a woman mentor: met" in page
    # Gender itself is never on the page.
    assert "Woman" not in page.replace("a woman mentor", "")
    assert "gender" not in page.lower()


def test_the_board_lists_unmatched_mentees_with_the_reason(program, coordinator):
    picky = add_mentee(program, "Picky Example")
    Preference.objects.create(participant=picky, kind="external_mentor", strength="must")
    page = coordinator.get(url("board", program)).content.decode()
    assert "Picky Example</a> —" in page
    assert "no mentor meets their “must” preferences and the exclusions" in page


def test_run_lock_exclude_and_rerun(program, coordinator, cast):
    ana = add_mentee(program, "Ana", goals=["grievances"])
    ben = add_mentee(program, "Ben", goals=["organizing"])
    rosa = add_mentor(program, "Rosa", skills=["grievances"])
    karl = add_mentor(program, "Karl", skills=["organizing"])
    response = coordinator.post(url("run", program), follow=True)
    assert "Matching ran:" in response.content.decode()
    ana_match = program.matches.get(mentee=ana)
    assert ana_match.mentor == rosa
    response = coordinator.post(url("lock", program, ana_match.pk))
    assert response["Location"].endswith(f"#mentee-{ana.pk}")
    coordinator.post(url("exclude", program), {"mentee": ben.pk, "mentor": karl.pk})
    assert Exclusion.objects.filter(mentee=ben, mentor=karl, source="coordinator").exists()
    coordinator.post(url("run", program))
    assert program.matches.get(pk=ana_match.pk).locked
    assert not program.matches.filter(mentee=ben, mentor=karl).exists()
    coordinator.post(url("unlock", program, ana_match.pk))
    assert not program.matches.get(pk=ana_match.pk).locked


def test_use_this_mentor_and_its_warnings(program, coordinator):
    ana = add_mentee(program, "Ana", goals=["grievances"])
    ben = add_mentee(program, "Ben", goals=["grievances"])
    rosa = add_mentor(program, "Rosa", skills=["grievances"])
    response = coordinator.post(url("choose", program), {"mentee": ana.pk, "mentor": rosa.pk})
    assert program.matches.get(mentee=ana).locked
    # Rosa is full now: the coordinator is sent to the manual page to override.
    response = coordinator.post(url("choose", program), {"mentee": ben.pk, "mentor": rosa.pk})
    assert response["Location"] == f"{url('manual', program, ben.pk)}?mentor={rosa.pk}"
    assert not program.matches.filter(mentee=ben).exists()


def test_manual_page_shows_warnings_and_needs_an_override_note(program, coordinator):
    ana = add_mentee(program, "Ana", goals=["grievances"])
    rosa = add_mentor(program, "Rosa Example", skills=["grievances"])
    Exclusion.objects.create(program=program, mentor=rosa, mentee=ana, source="mentor")
    manual = url("manual", program, ana.pk)
    page = coordinator.get(manual, {"mentor": rosa.pk}).content.decode()
    assert "conflict of interest" in page
    assert "Save this pair anyway" in page
    response = coordinator.post(manual, {"mentor": rosa.pk, "override_note": ""})
    assert response.status_code == 400
    assert "say why you save it anyway" in response.content.decode()
    assert not program.matches.exists()
    response = coordinator.post(manual, {"mentor": rosa.pk, "override_note": "Checked."})
    assert response.status_code == 302
    match = program.matches.get(mentee=ana)
    assert (match.mentor, match.override_note, match.locked) == (rosa, "Checked.", True)


def test_manual_page_is_for_the_programs_mentees_only(program, coordinator, cast):
    mentor = participant(cast, "mentor")
    assert coordinator.get(url("manual", program, mentor.pk)).status_code == 404
    stranger = add_mentee(cast.other_program)
    assert coordinator.get(url("manual", program, stranger.pk)).status_code == 404


def test_swap_from_the_manual_page(program, coordinator):
    ana = add_mentee(program, "Ana", goals=["grievances"])
    ben = add_mentee(program, "Ben", goals=["organizing"])
    rosa = add_mentor(program, "Rosa", skills=["grievances"])
    karl = add_mentor(program, "Karl", skills=["organizing"])
    first = MatchFactory(program=program, mentee=ana, mentor=rosa)
    second = MatchFactory(program=program, mentee=ben, mentor=karl)
    page = coordinator.get(url("manual", program, ana.pk)).content.decode()
    assert "Swap mentors with" in page
    coordinator.post(url("swap", program, first.pk), {"other": second.pk})
    assert program.matches.get(pk=first.pk).mentor == karl
    assert program.matches.get(pk=second.pk).mentor == rosa


def test_a_match_of_another_program_is_not_found(program, coordinator, cast):
    other = MatchFactory(program=cast.other_program)
    assert coordinator.post(url("lock", program, other.pk)).status_code == 404
    assert coordinator.post(url("swap", program, other.pk), {"other": 1}).status_code == 404


def test_priority_toggle(program, coordinator, cast):
    mentee = participant(cast, "mentee")
    coordinator.post(url("priority", program, mentee.pk), {"priority": "1"})
    assert MatchingProfile.objects.get(participant=mentee).priority
    coordinator.post(url("priority", program, mentee.pk), {"priority": "0"})
    assert not MatchingProfile.objects.get(participant=mentee).priority


def test_settings_form(program, coordinator):
    response = coordinator.post(
        url("settings", program),
        {
            "goal": 20,
            "language": 0,
            "region": 4,
            "local": 2,
            "preference": 8,
            "ranked_first": 12,
            "ranked_second": 8,
            "ranked_third": 4,
            "priority": 60,
        },
    )
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 50." in response.content.decode()
    assert "circle_size" not in response.content.decode()


def test_publish_confirms_then_publishes(program, coordinator, cast, mailoutbox):
    mentee, mentor = participant(cast, "mentee"), participant(cast, "mentor")
    match = MatchFactory(program=program, mentee=mentee, mentor=mentor)
    page = coordinator.get(url("publish", program)).content.decode()
    assert "Eddie Mentee with Mona Mentor" in page
    assert program.matches.get().status == Match.Status.PROPOSED  # GET never writes
    response = coordinator.post(url("publish", program), {"matches": [match.pk]}, follow=True)
    assert "1 matches published" in response.content.decode()
    assert program.matches.get().status == Match.Status.ACTIVE


def test_publish_reports_capacity_problems(program, coordinator, cast):
    mentor = participant(cast, "mentor")
    first = MatchFactory(program=program, mentee=participant(cast, "mentee"), mentor=mentor)
    second = MatchFactory(program=program, mentee=add_mentee(program, "Ben"), mentor=mentor)
    response = coordinator.post(
        url("publish", program), {"matches": [first.pk, second.pk]}, follow=True
    )
    assert "Mona Mentor would have 2 mentees and takes 1" in response.content.decode()
    assert not program.matches.filter(status=Match.Status.ACTIVE).exists()


def test_mentee_states_preferences(program, client_as, cast):
    rosa = add_mentor(program, "Rosa Example")
    client = client_as("mentee")
    page = client.get(url("my_preferences", program)).content.decode()
    assert "Rosa Example" in page and "Eddie Mentee" not in page.split("<main")[1]
    response = post_loaded(
        client,
        url("my_preferences", program),
        {
            "learning_goals": ["grievances", "bargaining"],
            "pref_woman_mentor": "must",
            "pref_shares_language": "nice",
            "pref_same_local": "",
            "choice_1": rosa.pk,
            "choice_1_must": "on",
        },
    )
    assert response.status_code == 302
    mentee = participant(cast, "mentee")
    assert MatchingProfile.objects.get(participant=mentee).learning_goals == [
        "grievances",
        "bargaining",
    ]
    rows = {(p.kind, p.strength, p.mentor_id, p.rank) for p in mentee.matching_preferences.all()}
    assert rows == {
        ("woman_mentor", "must", None, None),
        ("shares_language", "nice", None, None),
        ("specific_mentor", "must", rosa.pk, 1),
    }
    page = client.get(url("my_preferences", program)).content.decode()
    # The saved answers are shown again.
    assert re.search(r'name="pref_woman_mentor" value="must"[^>]*checked', page)
    assert re.search(r'name="choice_1_must"[^>]*checked', page)
    assert re.search(rf'<option value="{rosa.pk}" selected>', page)


def test_mentee_cannot_choose_the_same_mentor_twice(program, client_as):
    rosa = add_mentor(program, "Rosa Example")
    response = post_loaded(
        client_as("mentee"),
        url("my_preferences", program),
        {"choice_1": rosa.pk, "choice_2": rosa.pk},
    )
    assert response.status_code == 200
    assert "Choose each mentor once." in response.content.decode()


def test_mentor_states_capacity_and_conflicts(program, client_as, cast):
    ana = add_mentee(program, "Ana Example")
    client = client_as("mentor")
    page = client.get(url("my_preferences", program)).content.decode()
    assert "Ana Example" in page and "I would rather not mentor" in page
    response = post_loaded(
        client,
        url("my_preferences", program),
        {"capacity": 2, "rather_not": [ana.pk], "reason": "She reports to me."},
    )
    assert response.status_code == 302
    mentor = participant(cast, "mentor")
    assert MatchingProfile.objects.get(participant=mentor).capacity == 2
    exclusion = Exclusion.objects.get(mentor=mentor)
    assert (exclusion.mentee, exclusion.source, exclusion.reason) == (
        ana,
        "mentor",
        "She reports to me.",
    )


def test_mentee_preferences_in_two_tabs_lose_nothing(program, client_as, cast):
    """Tab B asks for a woman mentor; tab A, loaded before, picks goals: A's save replaces
    nothing, shows the clash, and its form keeps B's wish with A's goals (issue 16)."""
    client = client_as("mentee")
    page = url("my_preferences", program)
    tab_a = form_fields(client.get(page).content.decode())
    tab_b = form_fields(client.get(page).content.decode())
    assert client.post(page, {**tab_b, "pref_woman_mentor": "must"}).status_code == 302
    mentee = participant(cast, "mentee")

    clash = client.post(page, {**tab_a, "learning_goals": ["bargaining"]})
    assert clash.status_code == 409
    assert "saved by someone else while you were editing" in clash.content.decode()
    assert mentee.matching_preferences.get().strength == "must"  # B's wish stands
    assert MatchingProfile.objects.get(participant=mentee).learning_goals == []
    resolved = form_fields(clash.content.decode())
    assert resolved["pref_woman_mentor"] == "must"
    assert re.search(
        r'name="learning_goals" value="bargaining"[^>]*checked', clash.content.decode()
    )
    merged = {**resolved, "learning_goals": ["bargaining"]}
    assert client.post(page, merged).status_code == 302
    assert MatchingProfile.objects.get(participant=mentee).learning_goals == ["bargaining"]
    assert mentee.matching_preferences.get().strength == "must"


def test_mentor_preferences_in_two_tabs_lose_nothing(program, client_as, cast):
    ana = add_mentee(program, "Ana Example")
    client = client_as("mentor")
    page = url("my_preferences", program)
    tab_a = form_fields(client.get(page).content.decode())
    tab_b = form_fields(client.get(page).content.decode())
    assert client.post(page, {**tab_b, "rather_not": [ana.pk]}).status_code == 302
    mentor = participant(cast, "mentor")

    clash = client.post(page, {**tab_a, "capacity": 3})
    assert clash.status_code == 409
    assert Exclusion.objects.filter(mentor=mentor, mentee=ana).exists()  # not dropped
    assert MatchingProfile.objects.get(participant=mentor).capacity != 3
    html = clash.content.decode()
    assert re.search(rf'name="rather_not" value="{ana.pk}"[^>]*checked', html)
    assert re.search(r'name="capacity" value="3"', html)
    resolved = {**form_fields(html), "rather_not": [ana.pk]}
    assert client.post(page, resolved).status_code == 302
    assert MatchingProfile.objects.get(participant=mentor).capacity == 3
    assert Exclusion.objects.filter(mentor=mentor, mentee=ana).exists()


def test_preferences_without_a_token_never_replace_saved_wishes(program, client_as, cast):
    client = client_as("mentee")
    page = url("my_preferences", program)
    assert post_loaded(client, page, {"pref_woman_mentor": "must"}).status_code == 302
    response = client.post(page, {"pref_woman_mentor": "nice"})
    assert response.status_code == 409
    assert participant(cast, "mentee").matching_preferences.get().strength == "must"


def test_mentors_are_not_shown_other_mentors_demographics(program, client_as):
    mentee = add_mentee(program, "Ana Example")
    Profile.objects.filter(user=mentee.user).update(gender="woman", race_ethnicity=["black"])
    page = client_as("mentor").get(url("my_preferences", program)).content.decode()
    assert "Ana Example" in page
    assert "Woman" not in page and "Black" not in page


def test_either_side_or_a_coordinator_ends_a_match(program, client_as, cast):
    mentee, mentor = participant(cast, "mentee"), participant(cast, "mentor")
    match = MatchFactory(program=program, mentee=mentee, mentor=mentor, status="active")
    end = url("end", program, match.pk)
    client = client_as("mentee")
    page = client.get(end).content.decode()
    assert "End the match of Eddie Mentee with Mona Mentor?" in page
    response = client.post(end, {"reason": "other", "note": ""})
    assert response.status_code == 200  # "other" needs a few words
    response = client.post(end, {"reason": "not_a_good_fit", "note": "Little in common."})
    assert response["Location"] == cast.program.get_absolute_url()
    match.refresh_from_db()
    assert (match.status, match.end_reason, match.ended_by) == (
        "ended",
        "not_a_good_fit",
        cast.mentee,
    )
    # Ended: nothing more to end.
    assert client.post(end, {"reason": "completed"}).status_code == 302
    match.refresh_from_db()
    assert match.end_reason == "not_a_good_fit"


def test_ending_a_match_that_a_service_refuses_keeps_the_note(
    program, client_as, cast, monkeypatch
):
    """The other side ended it a moment before: the error shows with the note typed."""
    mentee, mentor = participant(cast, "mentee"), participant(cast, "mentor")
    match = MatchFactory(program=program, mentee=mentee, mentor=mentor, status="active")

    def ended_meanwhile(**kwargs):
        raise ValidationError("Only an active match can be ended.", code="not_active")

    monkeypatch.setattr(services, "match_end", ended_meanwhile)
    note = "We never found a time {{ 7777|add:1111 }} <i>that worked</i>."
    response = client_as("mentee").post(
        url("end", program, match.pk), {"reason": "other", "note": note}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Only an active match can be ended." in page
    assert "We never found a time {{ 7777|add:1111 }} &lt;i&gt;that worked&lt;/i&gt;." in page


def test_other_participants_cannot_end_someone_elses_match(program, client_as, cast):
    match = MatchFactory(program=program, status="active")
    end = url("end", program, match.pk)
    assert client_as("mentee").get(end).status_code == 404
    assert client_as("mentor").post(end, {"reason": "completed"}).status_code == 404
    assert client_as("other_coordinator").get(end).status_code == 404
    assert client_as("coordinator").get(end).status_code == 200


def test_both_sides_see_their_match_on_the_program_page(program, client_as, cast):
    mentee, mentor = participant(cast, "mentee"), participant(cast, "mentor")
    match = MatchFactory(program=program, mentee=mentee, mentor=mentor, status="active")
    for role, partner in (("mentee", "Mona Mentor"), ("mentor", "Eddie Mentee")):
        page = client_as(role).get(cast.program.get_absolute_url()).content.decode()
        assert partner in page
        assert url("end", program, match.pk) in page
        assert url("my_preferences", program) in page


# --- Pinned query counts -------------------------------------------------------------------


def grow_cohort(program, n):
    for _ in range(n):
        mentee = add_mentee(program, goals=["grievances"], languages=["French"])
        mentor = add_mentor(program, skills=["grievances"])
        Preference.objects.create(participant=mentee, kind="shares_language")
        MatchFactory(program=program, mentee=mentee, mentor=mentor)


def test_board_query_count_is_pinned(program, coordinator, django_assert_num_queries):
    board = url("board", program)
    count = assert_constant_queries(
        lambda: coordinator.get(board), lambda n: grow_cohort(program, n)
    )
    with django_assert_num_queries(count):
        coordinator.get(board)
    # session, user, program, role, authenticator, settings, participants, preferences,
    # exclusions, matches, navigation
    assert count == 10


def test_publish_page_query_count_is_pinned(program, coordinator):
    publish = url("publish", program)
    count = assert_constant_queries(
        lambda: coordinator.get(publish), lambda n: grow_cohort(program, n)
    )
    assert count == 6  # session, user, program with the role, authenticator, proposals, navigation


def test_manual_page_query_count_is_pinned(program, coordinator, cast):
    manual = url("manual", program, participant(cast, "mentee").pk)
    mentor = participant(cast, "mentor")
    count = assert_constant_queries(
        lambda: coordinator.get(manual, {"mentor": mentor.pk}), lambda n: grow_cohort(program, n)
    )
    # session, user, program, role, authenticator, matching data (5), navigation
    assert count == 10


def test_mentee_preferences_query_count_is_pinned(program, client_as):
    client = client_as("mentee")
    page = url("my_preferences", program)
    count = assert_constant_queries(lambda: client.get(page), lambda n: grow_cohort(program, n))
    # session, user, program, role ×2, me, the others, preferences, navigation
    assert count == 7


def test_mentor_preferences_query_count_is_pinned(program, client_as):
    client = client_as("mentor")
    page = url("my_preferences", program)
    count = assert_constant_queries(lambda: client.get(page), lambda n: grow_cohort(program, n))
    # session, user, program, role ×2, me, the others, conflicts, navigation
    assert count == 7


@pytest.mark.parametrize("name", ["run", "exclude", "choose"])
def test_changes_are_posts(program, coordinator, name):
    assert coordinator.get(url(name, program)).status_code == 405
    assert program.matches.count() == 0


def test_lock_is_a_post(program, coordinator, cast):
    match = MatchFactory(
        program=program, mentee=participant(cast, "mentee"), mentor=participant(cast, "mentor")
    )
    for name in ("lock", "unlock", "swap"):
        assert coordinator.get(url(name, program, match.pk)).status_code == 405
    assert coordinator.get(url("priority", program, match.mentee_id)).status_code == 405
    assert not program.matches.get().locked


def test_the_manual_page_shows_exclusions_with_their_reason(program, coordinator):
    ana = add_mentee(program, "Ana")
    rosa = add_mentor(program, "Rosa Example")
    Exclusion.objects.create(
        program=program, mentor=rosa, mentee=ana, source="mentor", reason="Her supervisor."
    )
    page = coordinator.get(url("manual", program, ana.pk)).content.decode()
    assert "Rosa Example asked not to mentor them (a conflict of interest): Her supervisor." in page


def test_a_coordinators_exclusion_is_lifted_after_asking(program, coordinator, cast):
    ana = add_mentee(program, "Ana", goals=["grievances"])
    rosa = add_mentor(program, "Rosa Example", skills=["grievances"])
    exclusion = Exclusion.objects.create(
        program=program,
        mentor=rosa,
        mentee=ana,
        source="coordinator",
        reason="They clashed at the convention.",
        created_by=cast.coordinator,
    )
    manual = url("manual", program, ana.pk)
    lift = url("lift_exclusion", program, exclusion.pk)
    assert f'href="{lift}"' in coordinator.get(manual).content.decode()

    page = coordinator.get(lift).content.decode()
    assert "Let Ana and Rosa Example be matched again?" in page
    assert "They clashed at the convention." in page
    assert cast.coordinator.name in page
    assert Exclusion.objects.filter(pk=exclusion.pk).exists()  # asking changed nothing

    response = coordinator.post(lift, follow=True)
    assert response.redirect_chain == [(manual, 302)]
    assert "Ana and Rosa Example may be matched again" in response.content.decode()
    assert not Exclusion.objects.filter(pk=exclusion.pk).exists()
    coordinator.post(url("run", program))
    assert program.matches.get(mentee=ana).mentor == rosa

    # A second click (double submission) finds nothing to lift and says so.
    again = coordinator.post(lift, follow=True)
    assert again.redirect_chain == [(url("board", program), 302)]
    assert "That exclusion has already been lifted." in again.content.decode()


def test_a_mentors_conflict_of_interest_is_not_lifted_by_a_coordinator(program, coordinator):
    ana = add_mentee(program, "Ana")
    rosa = add_mentor(program, "Rosa Example")
    exclusion = Exclusion.objects.create(program=program, mentor=rosa, mentee=ana, source="mentor")
    lift = url("lift_exclusion", program, exclusion.pk)
    assert "lift" not in coordinator.get(url("manual", program, ana.pk)).content.decode().lower()
    assert coordinator.get(lift).status_code == 404
    assert coordinator.post(lift).status_code == 404
    assert Exclusion.objects.filter(pk=exclusion.pk).exists()
    with pytest.raises(ValidationError, match="Only the mentor"):
        services.exclusion_lift(exclusion=exclusion, by=program.coordinators.get())


def test_an_exclusion_of_another_program_is_not_found_here(program, coordinator, cast):
    other = cast.other_program
    exclusion = Exclusion.objects.create(
        program=other,
        mentor=add_mentor(other, "Otto"),
        mentee=add_mentee(other, "Olga"),
        source="coordinator",
    )
    assert coordinator.get(url("lift_exclusion", program, exclusion.pk)).status_code == 404
    assert Exclusion.objects.filter(pk=exclusion.pk).exists()


def test_a_peer_program_board_and_preferences(cast, client_as):
    program = cast.other_program
    program.format = Program.Format.PEER
    program.status = Program.Status.MATCHING
    program.save()
    a = add_mentee(program, "Peer One", goals=["grievances"])
    b = add_mentee(program, "Peer Two", goals=["grievances"])
    add_mentee(program, "Peer Three", goals=["organizing"])
    client = client_as("other_coordinator")
    client.post(url("run", program))
    page = client.get(url("board", program)).content.decode()
    assert "Proposed partner" in page
    assert page.count('class="card mb-3') == 2  # one pair, and the odd one out
    assert {a.pk, b.pk} == set(program.matches.values_list("mentee_id", flat=True)) | set(
        program.matches.values_list("mentor_id", flat=True)
    )
    assert "Exclude this pair" not in page
    peer = client_as("mentee")  # not in the peer program
    assert peer.get(url("my_preferences", program)).status_code == 404
    client.force_login(a.user)
    page = client.get(url("my_preferences", program)).content.decode()
    assert "What do you want to learn?" in page
    assert "A mentor who is a woman" not in page
