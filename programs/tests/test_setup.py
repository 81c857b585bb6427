"""Program set-up: the services (create, update, copy, status) and their pages."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db.models.query import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.tests.factories import UserFactory
from core.concurrency import stamp
from programs import selectors, services
from programs.access import can_create_programs
from programs.models import Phase, Program, SuccessMeasure
from programs.tests.factories import ParticipantFactory, ProgramFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def setup_data(**overrides) -> dict:
    """A complete, valid set of set-up fields for a program starting in two months."""
    starts = TODAY + timedelta(days=60)
    data = {
        "name": "2027 Mentorship Program",
        "slug": "2027-mentorship",
        "year": starts.year,
        "description": "Our local's program for future leaders.",
        "goals": "More members ready to lead.",
        "format": Program.Format.ONE_TO_ONE,
        "internal_mentors": True,
        "external_mentors": False,
        "delivery": Program.Delivery.BOTH,
        "time_commitment": "One meeting a month",
        "starts_on": starts,
        "ends_on": starts + timedelta(days=270),
        "applications_open_on": TODAY,
        "applications_close_on": TODAY + timedelta(days=30),
        "target_mentees": 10,
        "target_mentors": 5,
        "privacy_notice": "",
    }
    return data | overrides


def create(by, **overrides) -> Program:
    kwargs = {"data": setup_data(), "phases": [], "measures": [], "coordinator_emails": []}
    return services.program_create(by=by, **(kwargs | overrides))


def date_text(iso: str) -> str:
    return date_format(date.fromisoformat(iso), "DATE_FORMAT")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- can_create_programs ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [("member", False), ("mentee", False), ("mentor", False), ("other_coordinator", True)],
)
def test_who_can_create_programs(cast, who, expected):
    assert can_create_programs(cast.user(who)) is expected


def test_anonymous_cannot_create_programs():
    assert can_create_programs(AnonymousUser()) is False


def test_superusers_and_holders_of_the_permission_can_create_programs():
    assert can_create_programs(UserFactory(is_superuser=True)) is True
    member = UserFactory()
    member.user_permissions.add(Permission.objects.get(codename="add_program"))
    assert can_create_programs(member) is True


# --- program_create -----------------------------------------------------------------------


def pending_emails(program: Program) -> list[str]:
    return sorted(
        program.coordinator_invitations.filter(status="pending").values_list("email", flat=True)
    )


def test_create_makes_a_draft_coordinated_by_its_creator_who_invites_the_others(cast):
    program = create(
        cast.member,
        phases=[
            {"name": "Part One", "starts_on": setup_data()["starts_on"]},
            {"name": "Part Two", "lost_time": True},
        ],
        measures=["Worked on a campaign", "", "  Became a steward  ", "Worked on a campaign"],
        # The creator's own address (bob@) needs no invitation.
        coordinator_emails=["MONA@example.org", "bob@example.org"],
    )
    program.refresh_from_db()
    assert program.status == Program.Status.DRAFT
    # Nobody is made a coordinator without consent: Mona is only invited.
    assert list(program.coordinators.all()) == [cast.member]
    assert pending_emails(program) == ["mona@example.org"]
    assert [(p.name, p.order, p.lost_time) for p in program.phases.all()] == [
        ("Part One", 0, False),
        ("Part Two", 1, True),
    ]
    assert [m.label for m in program.success_measures.all()] == [
        "Worked on a campaign",
        "Became a steward",
    ]


def test_create_invites_an_address_that_has_no_account_yet(
    cast, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        program = create(cast.coordinator, coordinator_emails=["nobody@example.org"])
    assert list(program.coordinators.all()) == [cast.coordinator]
    assert pending_emails(program) == ["nobody@example.org"]
    assert [m.to for m in mailoutbox] == [["nobody@example.org"]]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"slug": "new"}, "slug"),
        ({"ends_on": TODAY + timedelta(days=60)}, "ends_on"),
        ({"applications_close_on": TODAY + timedelta(days=60)}, "applications_close_on"),
        ({"applications_open_on": TODAY + timedelta(days=31)}, "applications_close_on"),
        ({"internal_mentors": False}, "internal_mentors"),
    ],
)
def test_create_enforces_the_set_up_rules(cast, overrides, field):
    with pytest.raises(ValidationError) as caught:
        create(cast.coordinator, data=setup_data(**overrides))
    assert field in caught.value.message_dict
    assert not Program.objects.filter(name="2027 Mentorship Program").exists()


def test_create_refuses_a_phase_outside_the_program(cast):
    starts = setup_data()["starts_on"]
    with pytest.raises(ValidationError) as caught:
        create(cast.coordinator, phases=[{"name": "Early", "starts_on": starts - timedelta(1)}])
    assert "Early: The phase cannot start before the program starts" in str(caught.value)
    assert not Program.objects.filter(slug="2027-mentorship").exists()


def test_create_rejects_fields_that_are_not_set_up_fields(cast):
    with pytest.raises(TypeError):
        create(cast.coordinator, data=setup_data(status="open"))


def test_two_creates_racing_past_validation_get_a_slug_error(cast):
    create(cast.coordinator)
    # The second request validated before the first one saved: only the database can tell.
    with (
        mock.patch.object(Program, "validate_unique"),
        pytest.raises(ValidationError) as caught,
    ):
        create(cast.coordinator, data=setup_data(name="Again"))
    assert caught.value.message_dict["slug"] == [str(services.SLUG_TAKEN)]
    assert Program.objects.filter(slug="2027-mentorship").count() == 1


# --- program_update -----------------------------------------------------------------------


@pytest.fixture
def set_up(cast) -> Program:
    return create(
        cast.coordinator,
        phases=[{"name": "Part One"}, {"name": "Part Two"}],
        measures=["Worked on a campaign", "Became a steward"],
    )


def update(program, by, **overrides) -> Program:
    kwargs = {
        "data": setup_data(),
        "phases": [],
        "measures": [],
        "coordinator_emails": [by.email],
    }
    return services.program_update(program=program, by=by, **(kwargs | overrides))


def test_update_replaces_phases_keeping_the_rows_it_edits(cast, set_up):
    one, two = set_up.phases.all()
    update(
        set_up,
        cast.coordinator,
        phases=[{"name": "Orientation"}, {"id": two.pk, "name": "Part Two, renamed"}],
    )
    phases = list(set_up.phases.all())
    assert [(p.name, p.order) for p in phases] == [("Orientation", 0), ("Part Two, renamed", 1)]
    assert phases[1].pk == two.pk
    assert not Phase.objects.filter(pk=one.pk).exists()


def test_update_ignores_another_programs_phase_id(cast, set_up):
    elsewhere = Phase.objects.create(program=cast.other_program, name="Theirs")
    update(set_up, cast.coordinator, phases=[{"id": elsewhere.pk, "name": "Mine"}])
    elsewhere.refresh_from_db()
    assert elsewhere.name == "Theirs" and elsewhere.program == cast.other_program
    assert [p.name for p in set_up.phases.all()] == ["Mine"]


def test_update_replaces_measures_keeping_unchanged_ones(cast, set_up):
    steward = set_up.success_measures.get(label="Became a steward")
    update(set_up, cast.coordinator, measures=["Became a steward", "Ran for office"])
    measures = list(set_up.success_measures.all())
    assert [(m.label, m.order) for m in measures] == [
        ("Became a steward", 0),
        ("Ran for office", 1),
    ]
    assert measures[0].pk == steward.pk
    assert not SuccessMeasure.objects.filter(label="Worked on a campaign").exists()


def test_update_saves_the_set_up_and_returns_it_leaving_the_callers_copy(cast, set_up):
    saved = update(set_up, cast.coordinator, data=setup_data(name="Renamed", target_mentees=12))
    assert (saved.name, saved.target_mentees) == ("Renamed", 12)
    assert Program.objects.get(pk=set_up.pk).name == "Renamed"
    assert set_up.name == "2027 Mentorship Program"


def test_update_removes_coordinators_and_invites_new_addresses(cast, set_up):
    update(set_up, cast.coordinator, coordinator_emails=[cast.coordinator.email, "bob@example.org"])
    assert list(set_up.coordinators.all()) == [cast.coordinator]
    assert pending_emails(set_up) == ["bob@example.org"]
    invitation = set_up.coordinator_invitations.get()
    services.invitation_accept(invitation=invitation, by=cast.member)
    assert set(set_up.coordinators.all()) == {cast.coordinator, cast.member}
    # Stepping down is allowed while someone else remains.
    update(set_up, cast.coordinator, coordinator_emails=["bob@example.org"])
    assert list(set_up.coordinators.all()) == [cast.member]


def test_the_last_coordinator_cannot_remove_themself(cast, set_up):
    with pytest.raises(ValidationError) as caught:
        update(set_up, cast.coordinator, data=setup_data(name="Lost"), coordinator_emails=[])
    assert "You cannot remove yourself" in str(caught.value.message_dict["coordinator_emails"])
    assert list(set_up.coordinators.all()) == [cast.coordinator]
    assert Program.objects.get(pk=set_up.pk).name == "2027 Mentorship Program"


def test_update_leaves_everything_as_it_was_when_a_phase_is_wrong(cast, set_up):
    ends = setup_data()["ends_on"]
    with pytest.raises(ValidationError):
        update(
            set_up,
            cast.coordinator,
            phases=[{"name": "Fine"}, {"name": "Late", "ends_on": ends + timedelta(1)}],
            measures=["Other"],
        )
    assert [p.name for p in set_up.phases.all()] == ["Part One", "Part Two"]
    assert [m.label for m in set_up.success_measures.all()] == [
        "Worked on a campaign",
        "Became a steward",
    ]


def test_update_keeps_a_slug_to_itself_but_not_anothers(cast, set_up):
    update(set_up, cast.coordinator)  # its own slug is not "taken"
    with pytest.raises(ValidationError) as caught:
        update(set_up, cast.coordinator, data=setup_data(slug=cast.other_program.slug))
    assert "slug" in caught.value.message_dict


# --- program_copy -------------------------------------------------------------------------


def leap_year_program(cast, **overrides) -> Program:
    fields = {
        "name": "2028 Mentorship Program",
        "slug": "2028-mentorship",
        "year": 2028,
        "status": Program.Status.CLOSED,
        "goals": "Leaders",
        "format": Program.Format.CIRCLE,
        "external_mentors": True,
        "delivery": Program.Delivery.VIDEO,
        "time_commitment": "Two evenings a month",
        "starts_on": date(2028, 2, 29),
        "ends_on": date(2028, 12, 15),
        "applications_open_on": date(2028, 1, 2),
        "applications_close_on": date(2028, 2, 1),
        "target_mentees": 8,
        "target_mentors": 4,
        "privacy_notice": "Our notice",
    }
    program = ProgramFactory(**(fields | overrides))
    program.coordinators.add(cast.coordinator, cast.mentor)
    Phase.objects.create(
        program=program, name="Part One", starts_on=date(2028, 2, 29), ends_on=date(2028, 6, 30)
    )
    Phase.objects.create(program=program, name="Part Two", lost_time=True, order=1)
    SuccessMeasure.objects.create(program=program, label="Became a steward")
    ParticipantFactory(program=program)
    return program


def test_copy_makes_next_years_draft_with_every_date_a_year_later(cast):
    source = leap_year_program(cast)
    copy = services.program_copy(program=source, by=cast.coordinator)
    copy.refresh_from_db()
    assert (copy.name, copy.slug, copy.year, copy.status) == (
        "2029 Mentorship Program",
        "2029-mentorship",
        2029,
        Program.Status.DRAFT,
    )
    assert (copy.starts_on, copy.ends_on) == (date(2029, 2, 28), date(2029, 12, 15))
    assert (copy.applications_open_on, copy.applications_close_on) == (
        date(2029, 1, 2),
        date(2029, 2, 1),
    )
    for field in ("goals", "format", "external_mentors", "delivery", "time_commitment"):
        assert getattr(copy, field) == getattr(source, field), field
    assert (copy.target_mentees, copy.target_mentors, copy.privacy_notice) == (8, 4, "Our notice")
    assert [(p.name, p.starts_on, p.ends_on, p.lost_time) for p in copy.phases.all()] == [
        ("Part One", date(2029, 2, 28), date(2029, 6, 30), False),
        ("Part Two", None, None, True),
    ]
    assert [m.label for m in copy.success_measures.all()] == ["Became a steward"]
    # The other coordinator is invited, not copied in without consent.
    assert list(copy.coordinators.all()) == [cast.coordinator]
    assert pending_emails(copy) == [cast.mentor.email]
    assert copy.participants.count() == 0
    # The source is untouched.
    assert source.phases.count() == 2 and source.participants.count() == 1


def test_copy_without_the_year_in_name_or_slug_says_copy_and_keeps_slugs_unique(cast):
    source = leap_year_program(cast, name="Stewards", slug="stewards")
    ProgramFactory(name="Something else", slug="stewards-copy")
    first = services.program_copy(program=source, by=cast.coordinator)
    assert (first.name, first.slug) == ("Stewards (copy)", "stewards-copy-2")


def test_copy_adds_the_member_who_copies_as_a_coordinator(cast):
    source = leap_year_program(cast)
    source.coordinators.add(cast.member)
    copy = services.program_copy(program=source, by=cast.member)
    assert cast.member in copy.coordinators.all()


def test_the_planned_copy_is_what_copy_makes(cast):
    source = leap_year_program(cast)
    plan = selectors.planned_copy(program=source)
    copy = services.program_copy(program=source, by=cast.coordinator)
    assert plan == {"name": copy.name, "slug": copy.slug, "year": copy.year}


# --- program_transition -------------------------------------------------------------------


def test_a_program_walks_through_its_whole_cycle(cast):
    program = create(cast.coordinator)
    for to in ("open", "selecting", "matching", "running", "closing", "closed"):
        program = services.program_transition(program=program, to=to, by=cast.coordinator)
        assert Program.objects.get(pk=program.pk).status == to


@pytest.mark.parametrize(
    ("start", "to"),
    [("draft", "running"), ("open", "matching"), ("running", "open"), ("closed", "closing")],
)
def test_steps_outside_the_transitions_are_refused(cast, start, to):
    dates = ("starts_on", "ends_on", "applications_open_on", "applications_close_on")
    program = ProgramFactory(status=start, **{field: setup_data()[field] for field in dates})
    with pytest.raises(ValidationError) as caught:
        services.program_transition(program=program, to=to, by=cast.coordinator)
    assert "cannot go to" in caught.value.messages[0]
    assert Program.objects.get(pk=program.pk).status == start


def test_an_unknown_status_is_refused(cast):
    with pytest.raises(ValidationError, match="is not a program status"):
        services.program_transition(program=cast.program, to="bogus", by=cast.coordinator)


def test_opening_needs_the_dates_and_says_which_are_missing(cast):
    program = create(
        cast.coordinator,
        data=setup_data(applications_close_on=None, ends_on=None, applications_open_on=None),
    )
    with pytest.raises(ValidationError) as caught:
        services.program_transition(program=program, to="open", by=cast.coordinator)
    message = caught.value.messages[0]
    assert "applications close" in message and "program ends" in message
    assert "program starts" not in message
    assert Program.objects.get(pk=program.pk).status == Program.Status.DRAFT


def test_opening_after_the_closing_date_is_refused(cast):
    program = create(cast.coordinator)
    Program.objects.filter(pk=program.pk).update(
        applications_open_on=None, applications_close_on=TODAY - timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="which has passed"):
        services.program_transition(program=program, to="open", by=cast.coordinator)


def test_closing_today_may_still_open(cast):
    program = create(cast.coordinator, data=setup_data(applications_close_on=TODAY))
    opened = services.program_transition(program=program, to="open", by=cast.coordinator)
    assert opened.status == Program.Status.OPEN


def test_the_status_is_read_again_under_a_lock(cast):
    program = create(cast.coordinator)
    stale = Program.objects.get(pk=program.pk)
    services.program_transition(program=program, to="open", by=cast.coordinator)
    # A second coordinator clicked "Open applications" on the page they loaded earlier.
    original = QuerySet.select_for_update
    with (
        mock.patch.object(
            QuerySet, "select_for_update", autospec=True, side_effect=original
        ) as lock,
        pytest.raises(ValidationError, match="already"),
    ):
        services.program_transition(program=stale, to="open", by=cast.other_coordinator)
    assert lock.called
    # And from the stale "draft", "selecting" is not a step that can be skipped to.
    with pytest.raises(ValidationError):
        services.program_transition(program=stale, to="matching", by=cast.coordinator)
    assert Program.objects.get(pk=program.pk).status == Program.Status.OPEN


# --- create page --------------------------------------------------------------------------


def form_post(**overrides) -> dict:
    """What the browser sends for a valid new program with one phase."""
    data = setup_data()
    post = {
        key: ("on" if value is True else "" if value in (False, None) else str(value))
        for key, value in data.items()
        if value is not False
    }
    post |= {
        "success_measures": "Worked on a campaign\nBecame a steward",
        "coordinator_emails": "",
        "phases-TOTAL_FORMS": "2",
        "phases-INITIAL_FORMS": "0",
        "phases-MIN_NUM_FORMS": "0",
        "phases-MAX_NUM_FORMS": "1000",
        "phases-0-id": "",
        "phases-0-name": "Part One",
        "phases-0-starts_on": str(data["starts_on"]),
        "phases-0-ends_on": str(data["starts_on"] + timedelta(days=60)),
        "phases-1-id": "",
        "phases-1-name": "",
    }
    return post | overrides


def test_the_create_page_shows_the_form_in_sections(cast, client_as):
    response = client_as("coordinator").get(reverse("programs:create"))
    html = response.content.decode()
    for section in (
        "About",
        "Format and mentors",
        "Dates",
        "Targets",
        "Phases",
        "Success measures",
        "Coordinators",
        "Privacy notice",
    ):
        assert f'<h2 class="h5 mt-2">{section}</h2>' in html
    assert 'type="date" name="starts_on"' in html
    assert 'name="phases-1-name"' in html  # two blank phase rows
    assert 'name="phases-2-name"' not in html


def test_creating_a_program(cast, client_as):
    client = client_as("coordinator")
    response = client.post(reverse("programs:create"), form_post())
    program = Program.objects.get(slug="2027-mentorship")
    assert response.status_code == 302
    assert response["Location"] == program.get_absolute_url()
    assert program.status == Program.Status.DRAFT
    assert list(program.coordinators.all()) == [cast.coordinator]
    assert [p.name for p in program.phases.all()] == ["Part One"]
    assert [m.label for m in program.success_measures.all()] == [
        "Worked on a campaign",
        "Became a steward",
    ]
    assert any("was created as a draft" in m for m in messages_of(response))
    assert not any("months" in m for m in messages_of(response))  # 9 months: no warning


def test_bad_input_is_shown_next_to_the_fields_and_summarised_and_kept(cast, client_as):
    starts = setup_data()["starts_on"]
    data = form_post(
        name="Typed name",
        ends_on=str(TODAY + timedelta(days=10)),
        applications_close_on=str(starts),
        coordinator_emails="nobody@example.org\nnot an address",
        **{"phases-0-ends_on": str(TODAY)},
    )
    response = client_as("coordinator").post(reverse("programs:create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There are 4 problems to fix before saving" in html
    assert 'href="#id_ends_on"' in html and 'href="#id_coordinator_emails"' in html
    assert 'href="#id_phases-0-ends_on"' in html
    form = response.context["form"]
    assert form.errors["ends_on"] == ["The program must end after the day it starts."]
    assert form.errors["applications_close_on"] == [
        f"Applications must close before the program starts ({date_text(str(starts))})."
    ]
    assert form.errors["coordinator_emails"] == ["“not an address” is not an e-mail address."]
    assert 'value="Typed name"' in html
    assert "Worked on a campaign\nBecame a steward</textarea>" in html
    assert 'value="Part One"' in html
    assert "Constraint" not in html  # the model's own checks never speak first
    assert not Program.objects.filter(slug="2027-mentorship").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"slug": "new"}, "slug", "“new” is reserved; choose another short name."),
        (
            {"applications_open_on": str(TODAY + timedelta(days=31))},
            "applications_close_on",
            "Applications must close on or after the day they open.",
        ),
        (
            {"internal_mentors": ""},
            "internal_mentors",
            "Allow mentors from within the union, from outside it, or both.",
        ),
        (
            {"success_measures": "ok\n" + "x" * 201},
            "success_measures",
            "“" + "x" * 40 + "…” has 201 characters; a success measure can have at most 200.",
        ),
        ({"year": "1999"}, "year", "Ensure this value is greater than or equal to 2000."),
        ({"phases-1-ends_on": str(TODAY)}, None, None),
    ],
)
def test_each_set_up_rule_has_a_clear_message(cast, client_as, overrides, field, message):
    response = client_as("coordinator").post(reverse("programs:create"), form_post(**overrides))
    assert response.status_code == 200
    if field:
        assert response.context["form"].errors[field] == [message]
    else:
        # A phase row with only a date still needs its name.
        phase_form = response.context["phase_formset"].forms[1]
        assert phase_form.errors["name"] == ["This field is required."]
    assert not Program.objects.filter(slug="2027-mentorship").exists()


def test_a_phase_outside_the_program_is_refused_next_to_its_date(cast, client_as):
    ends = setup_data()["ends_on"]
    response = client_as("coordinator").post(
        reverse("programs:create"), form_post(**{"phases-0-ends_on": str(ends + timedelta(1))})
    )
    phase_form = response.context["phase_formset"].forms[0]
    assert phase_form.errors["ends_on"] == [
        f"The phase cannot end after the program ends ({date_text(str(ends))})."
    ]


@pytest.mark.parametrize(("days", "warned"), [(90, True), (400, True), (200, False)])
def test_a_duration_outside_six_to_twelve_months_is_saved_with_a_warning(
    cast, client_as, days, warned
):
    starts = setup_data()["starts_on"]
    response = client_as("coordinator").post(
        reverse("programs:create"),
        form_post(ends_on=str(starts + timedelta(days=days)), **{"phases-0-ends_on": ""}),
    )
    assert response.status_code == 302
    assert Program.objects.filter(slug="2027-mentorship").exists()
    warnings = [m for m in messages_of(response) if "usually run for 6 to 12 months" in m]
    assert bool(warnings) is warned


def test_sending_the_create_form_twice_makes_one_program(cast, client_as):
    client = client_as("coordinator")
    assert client.post(reverse("programs:create"), form_post()).status_code == 302
    again = client.post(reverse("programs:create"), form_post())
    assert again.status_code == 200
    assert again.context["form"].errors["slug"] == [str(services.SLUG_TAKEN)]
    assert Program.objects.filter(name="2027 Mentorship Program").count() == 1


def test_members_who_cannot_create_programs_get_404_even_posting(cast, client_as):
    response = client_as("mentor").post(reverse("programs:create"), form_post())
    assert response.status_code == 404
    assert not Program.objects.filter(slug="2027-mentorship").exists()


# --- edit page ----------------------------------------------------------------------------


@pytest.fixture
def edited(cast, set_up) -> Program:
    set_up.coordinators.add(cast.member)
    return set_up


def edit_post(program: Program, **overrides) -> dict:
    one, two = program.phases.all()
    post = form_post(
        coordinator_emails="alice@example.org\nbob@example.org",
        **{
            "phases-TOTAL_FORMS": "4",
            "phases-INITIAL_FORMS": "2",
            "phases-0-id": str(one.pk),
            "phases-0-name": "Part One",
            "phases-1-id": str(two.pk),
            "phases-1-name": "Part Two",
            "phases-2-id": "",
            "phases-2-name": "",
            "phases-3-id": "",
            "phases-3-name": "",
        },
    )
    # The version token of the edit page as loaded now (core/concurrency.py).
    post["loaded_as"] = stamp(selectors.setup_values(program, services.SETUP_FIELDS))
    return post | overrides


def test_the_edit_page_shows_what_is_saved(cast, client_as, edited):
    response = client_as("coordinator").get(reverse("programs:edit", args=[edited.slug]))
    html = response.content.decode()
    one, two = edited.phases.all()
    assert 'value="2027 Mentorship Program"' in html
    assert "Worked on a campaign\nBecame a steward</textarea>" in html
    assert "alice@example.org\nbob@example.org</textarea>" in html
    assert f'name="phases-0-id" value="{one.pk}"' in html
    assert f'name="phases-1-id" value="{two.pk}"' in html
    assert 'name="phases-3-name"' in html  # two saved, two blank


def test_editing_a_program(cast, client_as, edited):
    two = edited.phases.get(name="Part Two")
    data = edit_post(
        edited,
        name="Renamed",
        success_measures="Became a steward",
        **{"phases-0-DELETE": "on", "phases-2-name": "Part Three"},
    )
    response = client_as("coordinator").post(reverse("programs:edit", args=[edited.slug]), data)
    assert response.status_code == 302
    assert response["Location"] == edited.get_absolute_url()
    edited.refresh_from_db()
    assert edited.name == "Renamed"
    assert [(p.pk == two.pk, p.name) for p in edited.phases.all()] == [
        (True, "Part Two"),
        (False, "Part Three"),
    ]
    assert [m.label for m in edited.success_measures.all()] == ["Became a steward"]
    assert "The changes were saved." in messages_of(response)


def test_a_wrong_edit_keeps_the_page_and_the_program_as_they_were(cast, client_as, edited):
    data = edit_post(edited, name="Typed", slug="new", **{"phases-1-name": ""})
    response = client_as("coordinator").post(reverse("programs:edit", args=[edited.slug]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Typed"' in html
    # The page still names and links the saved program, not what was typed.
    assert "Edit 2027 Mentorship Program" in html
    assert f'href="{edited.get_absolute_url()}"' in html
    assert response.context["phase_formset"].forms[1].errors["name"]
    edited.refresh_from_db()
    assert edited.name == "2027 Mentorship Program"


def test_the_last_coordinator_is_told_they_cannot_step_down(cast, client_as, set_up):
    data = edit_post(set_up, coordinator_emails="")
    response = client_as("coordinator").post(reverse("programs:edit", args=[set_up.slug]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["coordinator_emails"] == [
        "You cannot remove yourself: add another coordinator first."
    ]
    assert list(set_up.coordinators.all()) == [cast.coordinator]


def test_stepping_down_leads_home(cast, client_as, edited):
    data = edit_post(edited, coordinator_emails="bob@example.org")
    response = client_as("coordinator").post(reverse("programs:edit", args=[edited.slug]), data)
    assert response["Location"] == reverse("accounts:home")
    assert list(edited.coordinators.all()) == [cast.member]
    assert any("no longer a coordinator" in m for m in messages_of(response))


def test_participants_cannot_edit(cast, client_as):
    url = reverse("programs:edit", args=[cast.program.slug])
    response = client_as("mentee").post(url, form_post(name="Hijacked"))
    assert response.status_code == 403
    assert client_as("other_coordinator").post(url, form_post()).status_code == 404
    cast.program.refresh_from_db()
    assert cast.program.name == "2026 Mentorship Program"


# --- copy page ----------------------------------------------------------------------------


def test_the_copy_page_says_what_the_copy_will_be(cast, client_as):
    source = leap_year_program(cast)
    response = client_as("coordinator").get(reverse("programs:copy", args=[source.slug]))
    html = response.content.decode()
    assert "<strong>2029 Mentorship Program</strong>, for 2029" in html
    assert "/programs/2029-mentorship/" in html
    assert "2 phases" in html
    assert not Program.objects.filter(year=2029).exists()  # GET changes nothing


def test_copying_goes_on_to_edit_the_copy(cast, client_as):
    source = leap_year_program(cast)
    response = client_as("coordinator").post(reverse("programs:copy", args=[source.slug]))
    copy = Program.objects.get(slug="2029-mentorship")
    assert response["Location"] == reverse("programs:edit", args=[copy.slug])
    assert any("one year later" in m for m in messages_of(response))
    follow = client_as("coordinator").get(response["Location"])
    assert follow.status_code == 200


def test_participants_cannot_copy(cast, client_as):
    url = reverse("programs:copy", args=[cast.program.slug])
    assert client_as("mentor").post(url).status_code == 403
    assert client_as("member").post(url).status_code == 404
    assert Program.objects.count() == 2


# --- status -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "mentee", "coordinator"])
def test_status_changes_only_by_post(cast, client_as, role):
    client = client_as(role)
    assert (
        client.get(reverse("programs:change_status", args=[cast.program.slug])).status_code == 405
    )
    # Refused before any look-up, so it says nothing about which programs exist.
    assert client.get(reverse("programs:change_status", args=["no-such"])).status_code == 405


def test_changing_the_status(cast, client_as):
    url = reverse("programs:change_status", args=[cast.program.slug])
    response = client_as("coordinator").post(url, {"to": "closing"})
    assert response["Location"] == cast.program.get_absolute_url()
    cast.program.refresh_from_db()
    assert cast.program.status == Program.Status.CLOSING
    assert "“2026 Mentorship Program” is now: Closing." in messages_of(response)


def test_a_refused_status_change_says_why(cast, client_as):
    url = reverse("programs:change_status", args=[cast.program.slug])
    response = client_as("coordinator").post(url, {"to": "open"})
    assert response["Location"] == cast.program.get_absolute_url()
    assert messages_of(response) == [
        "A program that is “Running” cannot go to “Open for applications”."
    ]
    cast.program.refresh_from_db()
    assert cast.program.status == Program.Status.RUNNING


def test_participants_cannot_change_the_status(cast, client_as):
    url = reverse("programs:change_status", args=[cast.program.slug])
    assert client_as("mentee").post(url, {"to": "closing"}).status_code == 403
    assert client_as("other_coordinator").post(url, {"to": "closing"}).status_code == 404
    cast.program.refresh_from_db()
    assert cast.program.status == Program.Status.RUNNING


def test_the_program_page_offers_the_coordinator_the_next_steps(cast, client_as):
    program = create(cast.coordinator, data=setup_data(applications_close_on=None))
    services.program_transition(program=cast.program, to="closing", by=cast.coordinator)
    html = client_as("coordinator").get(program.get_absolute_url()).content.decode()
    assert "Open applications</button>" in html
    assert "First set the program's start and end dates" in html
    html = client_as("coordinator").get(cast.program.get_absolute_url()).content.decode()
    assert "Close the program</button>" in html and "Back to running</button>" in html
    assert "Open applications</button>" not in html
    html = client_as("mentee").get(cast.program.get_absolute_url()).content.decode()
    assert reverse("programs:change_status", args=[cast.program.slug]) not in html


# --- coordinator dashboard ----------------------------------------------------------------


def test_the_dashboard_offers_a_new_program(cast, client_as):
    html = client_as("coordinator").get(reverse("dashboard:home")).content.decode()
    assert f'href="{reverse("programs:create")}"' in html


def test_someone_allowed_to_create_but_coordinating_nothing_sees_the_dashboard(client):
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "You do not coordinate a program yet." in html
    assert f'href="{reverse("programs:create")}"' in html


def test_copying_twice_makes_one_copy(cast):
    from programs import services as setup_services

    first = setup_services.program_copy(program=cast.program, by=cast.coordinator)
    with pytest.raises(ValidationError, match="already exists"):
        setup_services.program_copy(program=cast.program, by=cast.coordinator)
    assert Program.objects.filter(name=first.name).count() == 1
