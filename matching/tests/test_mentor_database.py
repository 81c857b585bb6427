import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from accounts.tests.factories import UserFactory
from core.testing import assert_constant_queries, post_loaded
from matching import selectors, services
from matching.access import can_use_mentor_database
from matching.models import Match, MentorProfile
from matching.tests.factories import MentorProfileFactory
from programs.models import Participant
from programs.tests.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.django_db

MY_PAGE = reverse("matching:my_mentor_profile")
CONFIRM = reverse("matching:confirm_mentor_profile")
DATABASE = reverse("matching:mentor_database")

ANSWERS = {
    "background": "Chief steward at the Prince George mill; millwright for 15 years.",
    "interests": "Helping shy members find their voice at meetings.",
    "experience": "Two rounds of bargaining; mentored three new stewards.",
    "qualifications": "Steward training levels 1 and 2.",
    "skills": ["grievances", "bargaining"],
    "internal": True,
    "capacity": 2,
    "availability": ["evenings", "weekends"],
    "available": True,
    "findable_by_other_programs": True,
}


def post_data(**changes) -> dict:
    data = {**ANSWERS, **changes}
    data["internal"] = str(data["internal"])
    data["findable_by_other_programs"] = str(data["findable_by_other_programs"])
    if not data["available"]:
        del data["available"]
    return data


def names(queryset) -> list[str]:
    return [user.name for user in queryset]


def detail_url(user) -> str:
    return reverse("matching:mentor_detail", args=[user.pk])


def ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def set_confirmed(mentor_profile: MentorProfile, when: datetime.datetime) -> None:
    MentorProfile.objects.filter(pk=mentor_profile.pk).update(confirmed_at=when)
    mentor_profile.refresh_from_db()


# --- The model --------------------------------------------------------------------------


def test_stale_after_more_than_a_year():
    mentor_profile = MentorProfileFactory()
    today = timezone.localdate()
    assert not mentor_profile.is_stale()
    set_confirmed(mentor_profile, ago(365))
    assert not mentor_profile.is_stale()
    set_confirmed(mentor_profile, ago(366))
    assert mentor_profile.is_stale()
    assert not mentor_profile.is_stale(today=today - datetime.timedelta(days=2))


@pytest.mark.parametrize("capacity", [1, 5])
def test_capacity_within_bounds_is_valid(capacity):
    MentorProfileFactory.build(user=UserFactory(), capacity=capacity).full_clean()


@pytest.mark.parametrize("capacity", [0, 6])
def test_capacity_out_of_bounds_names_the_limits(capacity):
    mentor_profile = MentorProfileFactory.build(user=UserFactory(), capacity=capacity)
    with pytest.raises(ValidationError) as error:
        mentor_profile.full_clean()
    assert error.value.message_dict["capacity"] == ["Choose from 1 to 5 mentees at once."]


def test_the_database_refuses_a_capacity_out_of_bounds():
    mentor_profile = MentorProfileFactory()
    with pytest.raises(IntegrityError):
        MentorProfile.objects.filter(pk=mentor_profile.pk).update(capacity=6)


@pytest.mark.parametrize(
    ("field", "limit"),
    [("background", 3000), ("interests", 2000), ("experience", 3000), ("qualifications", 2000)],
)
def test_text_limits_are_named(field, limit):
    ok = MentorProfileFactory.build(user=UserFactory(), **{field: "x" * limit})
    ok.full_clean()
    too_long = MentorProfileFactory.build(user=UserFactory(), **{field: "x" * (limit + 1)})
    with pytest.raises(ValidationError) as error:
        too_long.full_clean()
    assert error.value.message_dict[field] == [
        f"Ensure this value has at most {limit} characters (it has {limit + 1})."
    ]


def test_skills_and_availability_are_from_the_lists_and_not_empty():
    empty = MentorProfileFactory.build(user=UserFactory(), skills=[], availability=[])
    with pytest.raises(ValidationError) as error:
        empty.full_clean()
    assert error.value.message_dict == {
        "skills": ["Choose at least one skill you can pass on."],
        "availability": ["Choose at least one time when you can meet."],
    }
    unknown = MentorProfileFactory.build(
        user=UserFactory(), skills=["grievances", "juggling"], availability=["midnight"]
    )
    with pytest.raises(ValidationError) as error:
        unknown.full_clean()
    assert error.value.message_dict == {
        "skills": ["Not a valid choice: juggling."],
        "availability": ["Not a valid choice: midnight."],
    }


def test_qualifications_may_be_blank():
    MentorProfileFactory.build(user=UserFactory(), qualifications="").full_clean()


# --- Services ---------------------------------------------------------------------------


def test_save_creates_then_updates_and_confirms_each_time(cast):
    created = services.mentor_profile_save(user=cast.member, data=ANSWERS)
    assert created.skills == ["grievances", "bargaining"]
    assert created.confirmed_at > ago(1)
    set_confirmed(created, ago(400))
    updated = services.mentor_profile_save(user=cast.member, data={"capacity": 3})
    assert updated.pk == created.pk
    assert updated.capacity == 3
    assert updated.background == ANSWERS["background"]
    assert updated.confirmed_at > ago(1)
    assert not updated.is_stale()
    assert MentorProfile.objects.filter(user=cast.member).count() == 1


def test_save_refuses_invalid_answers_and_keeps_nothing(cast):
    with pytest.raises(ValidationError) as error:
        services.mentor_profile_save(user=cast.member, data={**ANSWERS, "capacity": 9})
    assert "Choose from 1 to 5 mentees at once." in error.value.messages
    assert not MentorProfile.objects.exists()


def test_save_refuses_fields_it_does_not_know(cast):
    with pytest.raises(ValueError, match="gender"):
        services.mentor_profile_save(user=cast.member, data={**ANSWERS, "gender": "man"})


def test_save_after_a_double_click_updates_the_profile_created_first(cast, monkeypatch):
    first = MentorProfileFactory(user=cast.member, capacity=1)
    # The second request looked before the first one had saved.
    lookups = iter([None, first])
    monkeypatch.setattr(services, "_existing", lambda user: next(lookups))
    saved = services.mentor_profile_save(user=cast.member, data=ANSWERS)
    assert saved.pk == first.pk
    assert MentorProfile.objects.get(user=cast.member).capacity == 2


def test_confirm_sets_confirmed_at_only(cast):
    mentor_profile = MentorProfileFactory(user=cast.member)
    set_confirmed(mentor_profile, ago(400))
    updated_at = mentor_profile.updated_at
    services.mentor_profile_confirm(user=cast.member)
    mentor_profile.refresh_from_db()
    assert not mentor_profile.is_stale()
    assert mentor_profile.updated_at == updated_at


def test_confirm_without_a_profile_says_so(cast):
    with pytest.raises(ValidationError, match="You have no mentor profile yet"):
        services.mentor_profile_confirm(user=cast.member)


# --- Selectors --------------------------------------------------------------------------


def test_the_database_holds_mentor_profiles_and_past_mentors_only(cast):
    MentorProfileFactory(user=cast.member)  # stepped up, never mentored
    past_mentor = ParticipantFactory(
        program=cast.other_program, role="mentor", user__name="Paula Pastmentor"
    ).user
    ParticipantFactory(program=cast.program, user=past_mentor, role="mentee")
    UserFactory(name="Nora Nobody")
    MentorProfileFactory(user__name="Gone Member", user__is_active=False)
    assert names(selectors.mentor_database()) == [
        "Bob Member",
        "Mona Mentor",
        "Paula Pastmentor",
    ]


def test_search_looks_in_the_name_and_every_text_word_by_word(cast):
    MentorProfileFactory(user__name="Ana Bargainer", background="Shop floor", interests="Pensions")
    MentorProfileFactory(user__name="Ben Organizer", experience="Organized the Kamloops drive")
    MentorProfileFactory(user__name="Cy Certified", qualifications="Certified OH&S trainer")
    search = lambda text: names(selectors.mentor_database(search=text))  # noqa: E731
    assert search("mona") == ["Mona Mentor"]
    assert search("PENSIONS") == ["Ana Bargainer"]
    assert search("kamloops") == ["Ben Organizer"]
    assert search("oh&s") == ["Cy Certified"]
    assert search("shop pensions") == ["Ana Bargainer"]
    assert search("shop kamloops") == []


def test_filters_on_skill_region_kind_and_availability(cast):
    Profile.objects.create(user=cast.mentor, region="Prince George")
    a = MentorProfileFactory(user__name="Ana", skills=["health_safety"], internal=True)
    b = MentorProfileFactory(user__name="Ben", skills=["bargaining"], internal=False)
    c = MentorProfileFactory(user__name="Cy", skills=["health_safety"], available=False)
    Profile.objects.create(user=a.user, region="Lower Mainland")
    Profile.objects.create(user=b.user, region="lower mainland")
    Profile.objects.create(user=c.user, region="Kamloops")
    db = lambda **f: names(selectors.mentor_database(**f))  # noqa: E731
    assert db(skill="health_safety") == ["Ana", "Cy"]
    assert db(skill="not-a-skill") == ["Ana", "Ben", "Cy", "Mona Mentor"]
    assert db(region="LOWER MAINLAND") == ["Ana", "Ben"]
    assert db(region="Prince George") == ["Mona Mentor"]
    assert db(internal=True) == ["Ana", "Cy"]
    assert db(internal=False) == ["Ben"]
    assert db(available_only=True) == ["Ana", "Ben"]
    assert db(skill="health_safety", available_only=True) == ["Ana"]
    assert selectors.mentor_regions() == ["Kamloops", "Lower Mainland", "Prince George"]


def test_language_filter_ignores_case_and_matches_part_of_a_language(cast):
    speakers = {
        "Ana": ["Français", "Punjabi"],
        "Ben": ["Mandarin Chinese"],
        "Cy": ["Cree", "Ojibwe"],
        "Di": [],
    }
    for name, languages in speakers.items():
        user = MentorProfileFactory(user__name=name).user
        Profile.objects.create(user=user, languages=languages)
    speaks = lambda text: names(selectors.mentor_database(language=text))  # noqa: E731
    assert speaks("fRANçais") == ["Ana"]
    assert speaks("punjabi") == ["Ana"]
    assert speaks("MANDARIN") == ["Ben"]
    assert speaks("chin") == ["Ben"]
    assert speaks("cree") == ["Cy"]
    # Only inside one language: never across two, nor in the JSON around them.
    assert speaks('e", "o') == []
    assert speaks("eo") == []
    assert speaks('"') == []
    assert speaks("[") == []
    assert speaks("Tagalog") == []


def test_language_filter_runs_in_the_database_so_pages_are_full(cast):
    for number in range(40):
        user = MentorProfileFactory(user__name=f"Speaker {number:02}").user
        Profile.objects.create(
            user=user, languages=["English", "French" if number % 2 else "Hindi"]
        )
    paginator = Paginator(selectors.mentor_database(language="french"), 10)
    assert paginator.count == 20
    assert len(paginator.page(2).object_list) == 10
    assert names(paginator.page(2).object_list)[0] == "Speaker 21"


def test_the_page_shows_each_rows_own_counts_and_link_on_a_later_page(cast, client_as):
    """The page's rows are fetched by id after the page is cut: each row keeps its counts."""
    mentor = cast.program.participants.get(user=cast.mentor)
    mentee = cast.program.participants.get(user=cast.mentee)
    Match.objects.create(program=cast.program, mentor=mentor, mentee=mentee, status="active")
    MentorProfileFactory(user=cast.mentor, capacity=3)
    for number in range(25):  # "Aa…" sort before Mona: she is on page 2
        MentorProfileFactory(user__name=f"Aa Mentor {number:02d}")
    response = client_as("coordinator").get(DATABASE, {"page": 2})
    html = response.content.decode()
    assert names(response.context["page"].object_list) == ["Mona Mentor"]
    row = html.split(f'<a href="{detail_url(cast.mentor)}">Mona Mentor</a>')[1].split("</tr>")[0]
    assert "<td>1 of 3</td>" in row  # her mentees now, of her capacity
    assert "<td>1</td>" in row  # programs mentored (the coordinator's)


def test_rows_count_programs_mentored_and_active_mentees(cast):
    mentor = cast.program.participants.get(user=cast.mentor)
    mentee = cast.program.participants.get(user=cast.mentee)
    ParticipantFactory(program=cast.other_program, user=cast.mentor, role="mentor")
    Match.objects.create(program=cast.program, mentor=mentor, mentee=mentee, status="active")
    other_mentee = ParticipantFactory(program=cast.program)
    Match.objects.create(program=cast.program, mentor=mentor, mentee=other_mentee, status="ended")
    MentorProfileFactory(user=cast.member)
    rows = {user.name: user for user in selectors.mentor_database()}
    assert rows["Mona Mentor"].programs_mentored == 2
    assert rows["Mona Mentor"].active_mentees == 1
    assert rows["Bob Member"].programs_mentored == 0
    assert rows["Bob Member"].active_mentees == 0


def test_who_may_use_the_database(cast):
    assert can_use_mentor_database(cast.coordinator)
    assert can_use_mentor_database(cast.other_coordinator)
    assert not can_use_mentor_database(cast.mentor)
    assert not can_use_mentor_database(cast.member)


# --- The member's page ------------------------------------------------------------------


def test_a_member_who_never_mentored_is_asked_to_step_up(client_as):
    html = client_as("member").get(MY_PAGE).content.decode()
    assert '<h1 class="h3">Step up as a mentor</h1>' in html
    assert "You have been a mentee yourself" not in html


def test_a_new_profile_starts_as_a_member_for_one_mentee_available_now(client_as):
    form = client_as("member").get(MY_PAGE).context["form"]
    assert (form["internal"].value(), form["capacity"].value()) == ("True", 1)
    assert form["available"].value() is True


def test_a_past_mentee_is_told_mentees_become_mentors(client_as):
    html = client_as("mentee").get(MY_PAGE).content.decode()
    assert "Step up as a mentor" in html
    assert "You have been a mentee yourself" in html


def test_a_mentor_without_a_profile_is_asked_to_fill_it_in(client_as):
    html = client_as("mentor").get(MY_PAGE).content.decode()
    assert '<h1 class="h3">My mentor profile</h1>' in html
    assert "your mentor profile is not filled in yet" in html


def test_the_home_page_links_to_the_mentor_profile(client_as):
    assert MY_PAGE in client_as("member").get(reverse("accounts:home")).content.decode()


def test_stepping_up_saves_and_redirects_with_a_message(cast, client_as):
    client = client_as("member")
    response = post_loaded(client, MY_PAGE, post_data())
    assert response.status_code == 302
    assert response["Location"] == MY_PAGE
    html = client.get(response["Location"]).content.decode()
    assert "Thank you for stepping up as a mentor." in html
    assert "Last updated" in html
    saved = MentorProfile.objects.get(user=cast.member)
    assert saved.availability == ["evenings", "weekends"]
    assert saved.internal is True

    response = post_loaded(client, MY_PAGE, post_data(internal=False, available=False), follow=True)
    assert "Your mentor profile has been saved." in response.content.decode()
    saved.refresh_from_db()
    assert (saved.internal, saved.available) == (False, False)


def test_errors_are_summarised_with_limits_and_nothing_typed_is_lost(cast, client_as):
    response = client_as("member").post(
        MY_PAGE,
        post_data(background="b" * 3001, capacity=9, skills=[], interests="Young members"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="form-errors"' in html
    assert "Error:" in html.split("</title>")[0]
    assert "Ensure this value has at most 3000 characters (it has 3001)." in html
    assert "Choose from 1 to 5 mentees at once." in html
    assert "Choose at least one skill you can pass on." in html
    assert "Young members" in html
    assert "b" * 3001 in html
    assert 'value="9"' in html
    assert not MentorProfile.objects.exists()


def test_a_stale_profile_asks_for_a_refresh_and_still_up_to_date_confirms(cast, client_as):
    mentor_profile = MentorProfileFactory(user=cast.member)
    client = client_as("member")
    assert "It has been more than a year" not in client.get(MY_PAGE).content.decode()
    set_confirmed(mentor_profile, ago(400))
    assert "It has been more than a year" in client.get(MY_PAGE).content.decode()
    response = client.post(CONFIRM, follow=True)
    assert response.redirect_chain == [(MY_PAGE, 302)]
    html = response.content.decode()
    assert "Thank you: your mentor profile is marked as up to date." in html
    assert "It has been more than a year" not in html
    mentor_profile.refresh_from_db()
    assert not mentor_profile.is_stale()


def test_confirm_is_post_only_and_needs_a_profile(cast, client_as):
    client = client_as("member")
    assert client.get(CONFIRM).status_code == 405
    response = client.post(CONFIRM, follow=True)
    assert "You have no mentor profile yet: fill in the form first." in response.content.decode()
    assert not MentorProfile.objects.exists()


# --- The coordinators' pages ------------------------------------------------------------


def test_the_database_lists_mentors_and_says_when_a_profile_is_missing(cast, client_as):
    MentorProfileFactory(user__name="Ana Available", skills=["organizing"])
    MentorProfileFactory(user__name="Ben Busy", available=False, internal=False)
    set_confirmed(MentorProfileFactory(user__name="Cy Stale"), ago(400))
    response = client_as("coordinator").get(DATABASE)
    html = response.content.decode()
    assert names(response.context["page"].object_list) == [
        "Ana Available",
        "Ben Busy",
        "Cy Stale",
        "Mona Mentor",
    ]
    assert "Not filled in yet" in html
    assert "Organizing" in html
    assert "Not available now" in html
    assert "External" in html
    assert html.count("Not checked for over a year") == 1
    assert detail_url(cast.mentor) in html


def test_the_database_page_filters_from_the_query_string(cast, client_as):
    Profile.objects.create(user=cast.mentor, languages=["Punjabi"], region="Kamloops")
    MentorProfileFactory(user__name="Ana", skills=["equity"], interests="Pay equity")
    MentorProfileFactory(user__name="Ben", available=False, internal=False)
    client = client_as("coordinator")
    shown = lambda **q: names(client.get(DATABASE, q).context["page"].object_list)  # noqa: E731
    assert shown(q="pay equity") == ["Ana"]
    assert shown(skill="equity") == ["Ana"]
    assert shown(language="PUNJ") == ["Mona Mentor"]
    assert shown(region="Kamloops") == ["Mona Mentor"]
    assert shown(kind="external") == ["Ben"]
    assert shown(kind="internal") == ["Ana"]
    assert shown(available="on") == ["Ana"]
    # A region that is no longer there is ignored, not an error page.
    assert shown(region="Atlantis", skill="equity") == ["Ana"]


def test_no_match_shows_the_empty_state_with_a_clear_filters_link(cast, client_as):
    html = client_as("coordinator").get(DATABASE, {"q": "nobody-like-this"}).content.decode()
    assert "No mentor matches these filters." in html
    assert f'href="{DATABASE}">Clear filters</a>' in html
    assert "Clear filters" not in client_as("coordinator").get(DATABASE).content.decode()


def test_an_empty_database_says_how_mentors_get_in(client):
    coordinator = UserFactory()
    ProgramFactory(coordinators=[coordinator])
    client.force_login(coordinator)
    assert "The mentor database is empty." in client.get(DATABASE).content.decode()


def test_the_database_is_paginated_by_25(cast, client_as):
    MentorProfileFactory.create_batch(30)
    client = client_as("coordinator")
    first = client.get(DATABASE)
    assert len(first.context["page"].object_list) == 25
    assert "Page 1 of 2" in first.content.decode()
    assert len(client.get(DATABASE, {"page": 2}).context["page"].object_list) == 6


def test_the_coordinator_navigation_links_to_the_database(client_as):
    assert DATABASE in client_as("coordinator").get(reverse("accounts:home")).content.decode()
    assert DATABASE not in client_as("mentor").get(reverse("accounts:home")).content.decode()


def test_detail_shows_the_profile_contact_languages_and_programs(cast, client_as):
    Profile.objects.create(
        user=cast.mentor,
        phone="250-555-0199",
        contact_email="mona.union@example.net",
        local_union="Local 2009 Unit 4",
        languages=["French", "Tagalog"],
        region="Prince George",
    )
    MentorProfileFactory(user=cast.mentor, background="Chief steward at the sawmill.", capacity=3)
    ParticipantFactory(program=cast.other_program, user=cast.mentor, role="mentor")
    html = client_as("coordinator").get(detail_url(cast.mentor)).content.decode()
    for text in (
        "Chief steward at the sawmill.",
        "mona.union@example.net",
        "250-555-0199",
        "Local 2009 Unit 4",
        "French, Tagalog",
        "Prince George",
        "2026 Mentorship Program",
        "Up to 3 (0 now)",
        "Last updated",
    ):
        assert text in html, text
    # Her program elsewhere is that program's coordinators' to see (test_mentor_consent.py).
    assert "Stewards&#x27; Circle" not in html
    assert "Not checked for over a year" not in html


def test_detail_of_a_past_mentor_without_profile_and_of_a_stale_one(cast, client_as):
    client = client_as("coordinator")
    html = client.get(detail_url(cast.mentor)).content.decode()
    assert "has mentored in a program but has not filled in a mentor profile yet" in html
    assert cast.mentor.email in html  # no contact e-mail: the log-in address
    stale = MentorProfileFactory(user__name="Sid Stale")
    set_confirmed(stale, ago(500))
    html = client.get(detail_url(stale.user)).content.decode()
    assert "This profile has not been checked for more than a year" in html


@pytest.mark.parametrize("who", ["member", "mentee", "coordinator"])
def test_detail_is_404_for_members_not_in_the_database(cast, client_as, who):
    assert client_as("coordinator").get(detail_url(cast.user(who))).status_code == 404


def test_detail_is_404_for_an_unknown_id_and_for_non_coordinators(cast, client_as):
    assert (
        client_as("coordinator").get(reverse("matching:mentor_detail", args=[99999])).status_code
        == 404
    )
    MentorProfileFactory(user=cast.member)
    assert client_as("mentor").get(detail_url(cast.member)).status_code == 404
    assert client_as("member").get(detail_url(cast.member)).status_code == 404


def test_demographics_never_appear_on_the_coordinators_pages(cast, client_as):
    Profile.objects.create(
        user=cast.mentor,
        languages=["French"],
        region="Kamloops",
        gender=Profile.Gender.SELF_DESCRIBED,
        gender_self_described="Zyxgender",
        date_of_birth=datetime.date(1957, 3, 29),
        race_ethnicity=[Profile.RaceEthnicity.SOUTHEAST_ASIAN],
        race_ethnicity_self_described="Qwertheritage",
    )
    MentorProfileFactory(user=cast.mentor)
    client = client_as("coordinator")
    for url in (DATABASE, detail_url(cast.mentor)):
        html = client.get(url).content.decode()
        assert "Kamloops" in html  # the profile is shown, just not its demographics
        for secret in (
            "Zyxgender",
            "Qwertheritage",
            "Southeast Asian",
            "southeast_asian",
            "I describe my gender as",
            "1957",
            "March 29",
            "29 March",
            "Date of birth",
            "Gender",
        ):
            assert secret not in html, f"{secret} shown on {url}"


# --- Query counts -----------------------------------------------------------------------


def grow_database(cast, n: int) -> None:
    """n more rows of every kind: profiles with languages, past mentors, active matches."""
    for number in range(n):
        kind = number % 3
        if kind == 0:
            user = MentorProfileFactory().user
            Profile.objects.create(user=user, languages=["French"], region="Kamloops")
        elif kind == 1:
            user = ParticipantFactory(program=cast.program, role="mentor").user
        else:
            mentor = ParticipantFactory(program=cast.other_program, role="mentor")
            MentorProfileFactory(user=mentor.user)
            mentee = ParticipantFactory(program=cast.other_program)
            Match.objects.create(
                program=cast.other_program, mentor=mentor, mentee=mentee, status="active"
            )


def test_database_query_count_is_pinned(cast, client_as, django_assert_num_queries):
    client = client_as("coordinator")
    count = assert_constant_queries(lambda: client.get(DATABASE), lambda n: grow_database(cast, n))
    with django_assert_num_queries(count):
        client.get(DATABASE)
    # session, user, authenticator, may use it, regions (with the count: unfiltered), rows,
    # navigation
    assert count == 7
    # The count read with the regions is the list's own: members with no region, the same
    # region spelled twice, members the viewer may not find.
    twice = ParticipantFactory(program=cast.program, role="mentor").user
    Profile.objects.create(user=twice, region=" kamloops ")
    response = client.get(DATABASE)
    regions = [value for value, _label in response.context["form"].fields["region"].choices[1:]]
    assert [region.casefold() for region in regions] == ["kamloops"]  # one spelling kept
    assert response.context["page"].paginator.count == (
        selectors.mentor_database(viewer=cast.coordinator).count()
    )


def test_filtered_database_query_count_is_pinned(cast, client_as):
    client = client_as("coordinator")
    query = {"language": "french", "region": "Kamloops", "available": "on", "q": "steward"}
    count = assert_constant_queries(
        lambda: client.get(DATABASE, query), lambda n: grow_database(cast, n)
    )
    assert count == 8


def test_detail_query_count_does_not_grow_with_programs(cast, client_as):
    MentorProfileFactory(user=cast.mentor)
    client = client_as("coordinator")

    def grow(n):
        for _ in range(n):
            ParticipantFactory(user=cast.mentor, role=Participant.Role.MENTOR)

    count = assert_constant_queries(lambda: client.get(detail_url(cast.mentor)), grow)
    # session, user, authenticator, may use it, the mentor, programs mentored, navigation
    assert count == 7
