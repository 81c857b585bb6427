from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.selectors import profile_of
from core.concurrency import EditConflict, resolve, values_of
from core.dates import date_writer
from core.flash import show_refusal
from core.urls import url_pattern
from programs.access import Need, Role, coordinator_page, program_view
from programs.models import Participant, Program

from . import engine, selectors, services
from .access import get_mentor_for_user, mentor_database_view
from .filter_markup import filter_fields
from .forms import (
    ManualMatchForm,
    MatchingSettingsForm,
    MenteePreferencesForm,
    MentorFilterForm,
    MentorPreferencesForm,
    MentorProfileForm,
    PairForm,
    PublishForm,
    SwapForm,
)
from .models import Exclusion, Match, MatchingSettings

PAGE_SIZE = 25


@login_required
def my_mentor_profile(request):
    """Create or edit the member's entry in the mentor database."""
    mentor_profile = selectors.mentor_profile_of(request.user)
    form = MentorProfileForm(
        request.POST if request.method == "POST" else None,
        instance=mentor_profile,
        loaded_from=values_of(mentor_profile, services.MENTOR_PROFILE_FIELDS),
    )
    clash = None
    if request.method == "POST" and form.is_valid():
        try:
            services.mentor_profile_save(
                user=request.user, data=form.mentor_data(), loaded=form.loaded()
            )
        except EditConflict as conflict:
            clash = resolve(conflict, form)
            (form,) = clash.forms
        except ValidationError as error:
            show_refusal(request, error, form=form)
        else:
            if mentor_profile is None:
                messages.success(
                    request,
                    _(
                        "Thank you for stepping up as a mentor. Your mentor profile is in the "
                        "mentor database, seen by the coordinators you chose."
                    ),
                )
            else:
                messages.success(request, _("Your mentor profile has been saved."))
            return redirect("matching:my_mentor_profile")
    roles = set(request.user.participations.values_list("role", flat=True))
    return render(
        request,
        "matching/my_mentor_profile.html",
        {
            "form": form,
            # After an error the form's instance holds the unsaved answers: the page shows
            # only its dates, which are as saved.
            "mentor_profile": mentor_profile,
            "profile": profile_of(request.user),
            "has_mentored": Participant.Role.MENTOR in roles,
            "was_mentee": Participant.Role.MENTEE in roles,
            "edit_conflict": clash,
        },
        status=409 if clash else 200,
    )


@require_POST
@login_required
def confirm_mentor_profile(request):
    """The yearly refresh: the member says their mentor profile is still up to date."""
    try:
        services.mentor_profile_confirm(user=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(request, _("Thank you: your mentor profile is marked as up to date."))
    return redirect("matching:my_mentor_profile")


@dataclass(frozen=True)
class MentorRow:
    """One line of the mentor database, its cells written once in Python."""

    member: object
    url: str
    has_profile: bool
    external: bool
    skills: str
    languages: str
    region: str
    mentees: str
    programs: str
    available: bool
    stale: bool


def _mentor_row(member, url: str) -> MentorRow:
    mentor_profile = selectors.related_or_none(member, "mentor_profile")
    profile = selectors.related_or_none(member, "profile")
    shared = getattr(member, "shared", False)
    if not shared:
        mentees = "—"
    elif mentor_profile is not None:
        mentees = _("%(active)s of %(capacity)s") % {
            "active": member.active_mentees,
            "capacity": mentor_profile.capacity,
        }
    else:
        mentees = str(member.active_mentees)
    return MentorRow(
        member=member,
        url=url,
        has_profile=mentor_profile is not None,
        external=mentor_profile is not None and not mentor_profile.internal,
        skills=", ".join(map(str, mentor_profile.skill_labels())) if mentor_profile else "",
        languages=(", ".join(map(str, profile.languages)) if profile is not None else "") or "—",
        region=(profile.region if profile is not None else "") or "—",
        mentees=mentees,
        programs=str(member.programs_mentored) if shared else "—",
        available=mentor_profile is not None and mentor_profile.available,
        stale=mentor_profile is not None and mentor_profile.is_stale(),
    )


@coordinator_page
@mentor_database_view
def mentor_database(request):
    """Coordinators: the mentors of their programs and those who may be found, searchable."""
    regions, everyone = selectors.mentor_regions_counted(request.user)
    form = MentorFilterForm(request.GET or None, regions=regions)
    filters = form.filters()
    filtered = filters["internal"] is not None or any(
        value for name, value in filters.items() if name != "internal"
    )
    ids = selectors.mentor_database_ids(viewer=request.user, **filters)
    paginator = Paginator(ids, PAGE_SIZE)
    if not filtered:
        paginator.count = everyone  # counted with the regions, over the same rows
    page = paginator.get_page(request.GET.get("page"))
    # One query for the page's rows, their counts computed for those rows only.
    page.object_list = list(selectors.mentor_rows(page.object_list, viewer=request.user))
    detail_url = url_pattern("matching:mentor_detail")  # one reverse() for the page
    return render(
        request,
        "matching/mentor_database.html",
        {
            "form": form,
            "fields": filter_fields(form),  # crispy's markup, written without its templates
            "page": page,
            "rows": [_mentor_row(member, detail_url(member.pk)) for member in page],
            "filtered": filtered,
        },
    )


@coordinator_page
def mentor_detail(request, user_id):
    mentor = get_mentor_for_user(request.user, user_id)
    return render(
        request,
        "matching/mentor_detail.html",
        {"mentor": mentor, "mentor_profile": getattr(mentor, "mentor_profile", None)},
    )


# --- Matching: the coordinator's board -----------------------------------------------------


def _to_board(program: Program, mentee_id: int | None = None):
    """Back to the board, at the mentee's card so keyboard users keep their place: `at`
    opens the page the card is on."""
    url = reverse("matching:board", args=[program.slug])
    return redirect(f"{url}?at={mentee_id}#mentee-{mentee_id}" if mentee_id else url)


def _proposal_of(program: Program, pk: int) -> Match:
    return get_object_or_404(
        program.matches.select_related("program", "mentee__user", "mentor__user"), pk=pk
    )


BOARD_PAGE_SIZE = 50  # mentees' cards per page of the board


def _number_formatter() -> Callable[[int], str]:
    """Localised numbers ("1 234" in French with grouping on), each value formatted once."""
    numbers: dict[int, str] = {}

    def number(value: int) -> str:
        if value not in numbers:
            numbers[value] = formats.number_format(value)
        return numbers[value]

    return number


# Each card and each of its alternatives is a dict of the strings and flags its markup shows,
# made once here: the template then reads one key per value (a dict lookup, the cheapest
# the template engine makes) instead of following attributes, filters and nested tests
# through the Match, its Score and its Participants on each of up to 300 rows of a page.


def _board_option(option: selectors.Option, card_name: str, number, labels) -> dict:
    name = option.mentor.user.name
    return {
        "name": name,
        "mentor_id": str(option.mentor.pk),
        "score_label": labels["score"] % {"total": number(option.score.total)},
        "places_label": labels["places"]
        % {"taken": number(option.taken), "capacity": number(option.capacity)},
        "places_class": "text-danger" if option.is_full else "text-body-secondary",
        "use_hidden": f" — {name} {labels['for']} {card_name}",
        "exclude_hidden": f" {card_name} — {name}",
        "reasons": "; ".join(option.score.reasons),
    }


def _board_card(row: selectors.BoardRow, shapes, number, labels) -> dict:
    mentee_id = row.mentee.pk
    name = row.mentee.user.name
    proposal, active = row.proposal, row.active
    match = active or proposal
    partner, partner_id = "", ""
    if match is not None:
        other = match.mentee if match.mentee_id != mentee_id else match.mentor
        partner, partner_id = other.user.name, str(other.pk)
    links = {"priority": shapes["priority"](mentee_id), "manual": shapes["manual"](mentee_id)}
    status = ""
    if active is not None:
        links["end"] = shapes["end"](active.pk)
        status = "active"
    elif proposal is not None:
        links["lock"] = shapes["lock"](proposal.pk)
        links["unlock"] = shapes["unlock"](proposal.pk)
        status = "locked" if proposal.locked else "proposed"
    score = row.score
    since = labels["day"](active.started_at) if active is not None and active.started_at else ""
    options = [_board_option(option, name, number, labels) for option in row.alternatives]
    return {
        "row": row,
        "id": str(mentee_id),
        "name": name,
        "status": status,
        "locked": status == "locked",
        "priority": row.priority,
        "since": since,
        "partner": partner,
        "partner_id": partner_id,
        "pair_hidden": f" {name} — {partner}",
        "total": number(score.total) if score is not None else "",
        "feasible": bool(score and score.feasible),
        "broken": score.broken if score is not None else (),
        "reasons": score.reasons if score is not None else (),
        "override_note": proposal.override_note if proposal is not None else "",
        "options": options,
        "options_heading": ngettext(
            "%(counter)s other mentor for %(name)s",
            "%(counter)s other mentors for %(name)s",
            len(options),
        )
        % {"counter": len(options), "name": name},
        "links": links,
    }


def _board_cards(
    program: Program, rows: Sequence[selectors.BoardRow], number: Callable[[int], str]
) -> list[dict]:
    shapes = {
        "priority": url_pattern("matching:priority", program.slug),
        "manual": url_pattern("matching:manual", program.slug),
        "lock": url_pattern("matching:lock", program.slug),
        "unlock": url_pattern("matching:unlock", program.slug),
        "end": url_pattern("matching:end", program.slug),
    }
    labels = {  # translated once per page, not once per card
        "score": _("Score %(total)s"),
        "places": _("%(taken)s of %(capacity)s places taken"),
        "for": _("for"),
        "day": date_writer("DATE_FORMAT"),  # a card's "since"
    }
    return [_board_card(row, shapes, number, labels) for row in rows]


@program_view(Need.MANAGE)
def board(request, program, role):
    """Mentees down the side, each with their proposed mentor, its score and why.

    A page of 50 cards, those still to place first; `q` finds mentees by name, `at` (a
    mentee's id, after an action on their card) opens the page their card is on.
    """
    data = selectors.matching_data(program)
    search = request.GET.get("q", "").strip()[:100]
    mentees = selectors.board_mentees(data, search=search)
    paginator = Paginator(mentees, BOARD_PAGE_SIZE, allow_empty_first_page=True)
    number = request.GET.get("page")
    at = request.GET.get("at", "")
    if number is None and at.isdigit():
        index = next((i for i, m in enumerate(mentees) if m.pk == int(at)), 0)
        number = index // BOARD_PAGE_SIZE + 1
    page = paginator.get_page(number)
    board = selectors.matching_board(data, page.object_list)
    number = _number_formatter()
    cards = _board_cards(program, board.rows, number)
    return render(
        request,
        "matching/board.html",
        {
            "program": program,
            "board": board,
            "cards": cards,
            "unplaced": [c for c in cards if any(c["row"] is r for r in board.unplaced)],
            "mentors": [
                {
                    "name": load.mentor.user.name,
                    "over": load.over,
                    "capacity": number(load.capacity),
                    "active": number(load.active),
                    "proposed": number(load.proposed),
                }
                for load in board.mentors
            ],
            "exclude_url": reverse("matching:exclude", args=[program.slug]),
            "choose_url": reverse("matching:choose", args=[program.slug]),
            "page": page,
            "search": search,
            "not_shown": board.waiting - len(board.unplaced),
            "is_peer": data.is_peer,
            "can_match": program.status in services.MATCHING_STATUSES,
        },
    )


@require_POST
@program_view(Need.MANAGE)
def run(request, program, role):
    try:
        summary = services.matching_run(program=program, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _(
                "Matching ran: %(proposed)d new proposals, %(kept)d locked proposals kept, "
                "%(unmatched)d mentees without a mentor."
            )
            % {
                "proposed": summary.proposed,
                "kept": summary.kept,
                "unmatched": summary.unmatched,
            },
        )
    return _to_board(program)


@require_POST
@program_view(Need.MANAGE)
def lock(request, program, role, pk):
    match = _proposal_of(program, pk)
    try:
        services.match_lock(match=match, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _("Locked: %(mentee)s stays with %(mentor)s when matching runs again.")
            % {"mentee": match.mentee.user.name, "mentor": match.mentor.user.name},
        )
    return _to_board(program, match.mentee_id)


@require_POST
@program_view(Need.MANAGE)
def unlock(request, program, role, pk):
    match = _proposal_of(program, pk)
    try:
        services.match_unlock(match=match, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _("Unlocked: matching may propose another mentor for %(mentee)s.")
            % {"mentee": match.mentee.user.name},
        )
    return _to_board(program, match.mentee_id)


def _pair_from(request, program: Program) -> tuple[Participant, Participant] | None:
    form = PairForm(request.POST)
    if not form.is_valid():
        return None
    people = {
        p.pk: p
        for p in program.participants.select_related("user").filter(
            pk__in=[form.cleaned_data["mentee"], form.cleaned_data["mentor"]]
        )
    }
    mentee = people.get(form.cleaned_data["mentee"])
    mentor = people.get(form.cleaned_data["mentor"])
    return (mentee, mentor) if mentee and mentor else None


@require_POST
@program_view(Need.MANAGE)
def exclude(request, program, role):
    """Never propose this pair again; its proposal, if any, is dropped."""
    pair = _pair_from(request, program)
    if pair is None:
        messages.error(request, _("Choose a mentee and a mentor of this program."))
        return _to_board(program)
    mentee, mentor = pair
    try:
        services.pair_exclude(program=program, mentee=mentee, mentor=mentor, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
    else:
        messages.success(
            request,
            _(
                "%(mentee)s will not be matched with %(mentor)s. Run matching to find "
                "another mentor."
            )
            % {"mentee": mentee.user.name, "mentor": mentor.user.name},
        )
    return _to_board(program, mentee.pk)


@program_view(Need.MANAGE)
def lift_exclusion(request, program, role, pk):
    """GET asks first; POST lets a pair a coordinator excluded be matched again."""
    exclusion = (
        program.exclusions.filter(pk=pk).select_related("mentee__user", "mentor__user").first()
    )
    if exclusion is None and request.method == "POST":
        messages.info(request, _("That exclusion has already been lifted."))
        return _to_board(program)
    if exclusion is None or exclusion.source != Exclusion.Source.COORDINATOR:
        raise Http404
    back = reverse("matching:manual", args=[program.slug, exclusion.mentee_id])
    if request.method == "POST":
        services.exclusion_lift(exclusion=exclusion, by=request.user)
        messages.success(
            request,
            _(
                "%(mentee)s and %(mentor)s may be matched again: the next run of matching "
                "may propose them."
            )
            % {"mentee": exclusion.mentee.user.name, "mentor": exclusion.mentor.user.name},
        )
        return redirect(back)
    return render(
        request,
        "matching/exclusion_lift.html",
        {"program": program, "exclusion": exclusion, "back": back},
    )


@require_POST
@program_view(Need.MANAGE)
def choose(request, program, role):
    """ "Use this mentor" from the alternatives; warnings send the coordinator to the
    manual page, where an override note can be given."""
    pair = _pair_from(request, program)
    if pair is None:
        messages.error(request, _("Choose a mentee and a mentor of this program."))
        return _to_board(program)
    mentee, mentor = pair
    try:
        services.match_set(program=program, mentee=mentee, mentor=mentor, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
        if any(e.code == "needs_override" for e in error.error_list):
            url = reverse("matching:manual", args=[program.slug, mentee.pk])
            return redirect(f"{url}?mentor={mentor.pk}")
        return _to_board(program, mentee.pk)
    messages.success(
        request,
        _("%(mentor)s is now proposed for %(mentee)s, and locked.")
        % {"mentee": mentee.user.name, "mentor": mentor.user.name},
    )
    return _to_board(program, mentee.pk)


@require_POST
@program_view(Need.MANAGE)
def swap(request, program, role, pk):
    match = _proposal_of(program, pk)
    proposals = [(m.pk, "") for m in program.matches.filter(status=Match.Status.PROPOSED)]
    form = SwapForm(request.POST, proposals=proposals)
    if not form.is_valid():
        messages.error(request, _("Choose the proposal to swap mentors with."))
        return redirect("matching:manual", program.slug, match.mentee_id)
    other = _proposal_of(program, form.cleaned_data["other"])
    try:
        services.match_swap(match=match, other=other, by=request.user)
    except ValidationError as error:
        show_refusal(request, error)
        return redirect("matching:manual", program.slug, match.mentee_id)
    messages.success(
        request,
        _("Swapped: %(first)s now has %(first_mentor)s, %(second)s has %(second_mentor)s.")
        % {
            "first": match.mentee.user.name,
            "first_mentor": other.mentor.user.name,
            "second": other.mentee.user.name,
            "second_mentor": match.mentor.user.name,
        },
    )
    return _to_board(program, match.mentee_id)


@require_POST
@program_view(Need.MANAGE)
def priority(request, program, role, participant_id):
    mentee = get_object_or_404(
        program.participants.select_related("user"),
        pk=participant_id,
        role=Participant.Role.MENTEE,
    )
    on = request.POST.get("priority") == "1"
    services.mentee_set_priority(participant=mentee, priority=on, by=request.user)
    if on:
        messages.success(
            request, _("%(name)s is now an organisational priority.") % {"name": mentee.user.name}
        )
    else:
        messages.success(
            request,
            _("%(name)s is no longer an organisational priority.") % {"name": mentee.user.name},
        )
    return _to_board(program, mentee.pk)


@program_view(Need.MANAGE)
def manual(request, program, role, participant_id):
    """Choose a mentee's mentor by hand: the pair's score, its warnings, an override note."""
    source = request.POST if request.method == "POST" else request.GET
    page = selectors.manual_choice(
        selectors.matching_data(program),
        mentee_id=participant_id,
        chosen_id=source.get("mentor", ""),
    )
    if page is None:
        raise Http404
    mentee, chosen = page.mentee, page.chosen
    form = ManualMatchForm(
        request.POST if request.method == "POST" else None,
        mentors=page.choices,
        mentor_label=page.label,
        initial={"mentor": source.get("mentor")},
    )
    if request.method == "POST" and form.is_valid() and chosen is not None:
        try:
            services.match_set(
                program=program,
                mentee=mentee,
                mentor=chosen,
                by=request.user,
                override_note=form.cleaned_data["override_note"],
            )
        except ValidationError as error:
            if any(e.code == "needs_override" for e in error.error_list):
                form.add_error(
                    "override_note", _("The pair has warnings: say why you save it anyway.")
                )
            else:
                show_refusal(request, error, form=form)
        else:
            messages.success(
                request,
                _("%(mentor)s is now proposed for %(mentee)s, and locked.")
                % {"mentee": mentee.user.name, "mentor": chosen.user.name},
            )
            return _to_board(program, mentee.pk)
    return render(
        request,
        "matching/manual.html",
        {
            "program": program,
            "mentee": mentee,
            "is_peer": page.is_peer,
            "active": page.active,
            "proposal": page.proposal,
            "proposal_score": page.proposal_score,
            "exclusions": page.exclusions,
            "history": page.history,
            "form": form,
            "swap_form": SwapForm(proposals=page.swap_choices) if page.swap_choices else None,
            "chosen": chosen,
            "score": page.score,
            "warnings": page.warnings,
        },
        status=400 if request.method == "POST" else 200,
    )


@program_view(Need.MANAGE)
def matching_settings(request, program, role):
    current = selectors.settings_of(program)
    circle = program.format == Program.Format.CIRCLE
    form = MatchingSettingsForm(
        request.POST if request.method == "POST" else None, instance=current, circle=circle
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.matching_settings_save(
                program=program, data=form.settings_data(), by=request.user
            )
        except ValidationError as error:
            show_refusal(request, error, form=form)
        else:
            messages.success(request, _("The weights are saved. Run matching to use them."))
            return _to_board(program)
    return render(
        request,
        "matching/settings.html",
        {"program": program, "form": form, "MATCH_BASE": engine.MATCH_BASE},
    )


@program_view(Need.MANAGE)
def publish(request, program, role):
    """GET lists the proposals to confirm; POST publishes the confirmed ones."""
    proposals = list(
        program.matches.filter(status=Match.Status.PROPOSED)
        .select_related("mentee__user", "mentor__user")
        .order_by("mentee__user__name", "pk")
    )
    labels = [
        (
            m.pk,
            _("%(mentee)s with %(mentor)s")
            % {"mentee": m.mentee.user.name, "mentor": m.mentor.user.name},
        )
        for m in proposals
    ]
    form = PublishForm(request.POST if request.method == "POST" else None, proposals=labels)
    if request.method == "POST" and form.is_valid():
        try:
            published = services.matching_publish(
                program=program, by=request.user, match_ids=form.cleaned_data["matches"]
            )
        except ValidationError as error:
            show_refusal(request, error)
            return redirect("matching:publish", program.slug)
        if published:
            messages.success(
                request,
                _("%(n)d matches published. Both sides have been told by e-mail.")
                % {"n": len(published)},
            )
        else:
            messages.info(
                request, _("Nothing was published: these matches were already published.")
            )
        return _to_board(program)
    return render(
        request,
        "matching/publish.html",
        {
            "program": program,
            "form": form,
            "proposals": proposals,
            "can_match": program.status in services.MATCHING_STATUSES,
        },
    )


# --- Matching: members -----------------------------------------------------------------------


@program_view(Need.VIEW)
def my_preferences(request, program, role):
    """Mentees: goals and wishes about a mentor. Mentors: capacity and conflicts of interest."""
    if role is Role.COORDINATOR:
        raise PermissionDenied
    me = get_object_or_404(
        program.participants.select_related("user", "user__mentor_profile", "matching_profile"),
        user=request.user,
    )
    others = list(
        program.participants.exclude(pk=me.pk).select_related("user").order_by("user__name", "pk")
    )
    if role is Role.MENTEE:
        return _mentee_preferences(request, program, me, others)
    return _mentor_preferences(request, program, me, others)


@program_view(Need.MANAGE)
def key_in_wishes(request, program, role, participant_id):
    """A coordinator types in a mentee's wishes about a mentor from their paper survey.

    The member's own page's form and service, on the mentee's behalf: what the mentee saved
    online is shown and kept, and the activity log records which coordinator keyed it in.
    """
    if program.format == Program.Format.PEER:
        raise Http404  # peers are paired with each other: no wishes about a mentor
    mentee = get_object_or_404(
        program.participants.select_related("user", "matching_profile"),
        pk=participant_id,
        role=Participant.Role.MENTEE,
    )
    mentors = list(
        program.participants.filter(role=Participant.Role.MENTOR)
        .select_related("user")
        .order_by("user__name", "pk")
    )
    return _mentee_preferences(request, program, mentee, mentors, keyed_in=True)


def _mentee_preferences(request, program, me, others, *, keyed_in: bool = False):
    """The mentee's own page, or (`keyed_in`) a coordinator's copy of it for the mentee."""
    peer = program.format == Program.Format.PEER
    mentors = [] if peer else [p for p in others if p.role == Participant.Role.MENTOR]
    stored = selectors.mentee_preference_values(participant=me)
    form = MenteePreferencesForm(
        request.POST if request.method == "POST" else None,
        initial=stored,
        loaded_from=stored,
        mentors=[(p.pk, p.user.name) for p in mentors],
        peer=peer,
    )
    clash = None
    if request.method == "POST" and form.is_valid():
        by_id = {p.pk: p for p in mentors}
        try:
            services.mentee_preferences_save(
                participant=me,
                learning_goals=form.cleaned_data["learning_goals"],
                preferences=form.preferences(),
                ranked=[(by_id[pk], must) for pk, must in form.ranked_choices()],
                loaded=form.loaded(),
            )
        except EditConflict as conflict:
            clash = resolve(conflict, form)
            (form,) = clash.forms
        except ValidationError as error:
            show_refusal(request, error, form=form)
        else:
            if keyed_in:
                messages.success(
                    request,
                    _("%(name)s's mentor wishes are saved.") % {"name": me.user.name},
                )
                return redirect("matching:key_in_wishes", program.slug, me.pk)
            messages.success(request, _("Your preferences are saved. Thank you."))
            return redirect("matching:my_preferences", program.slug)
    return render(
        request,
        "matching/key_in_wishes.html" if keyed_in else "matching/my_preferences.html",
        {
            "program": program,
            "form": form,
            "as_mentor": False,
            "peer": peer,
            "mentee": me,
            "edit_conflict": clash,
        },
        status=409 if clash else 200,
    )


def _mentor_preferences(request, program, me, others):
    mentees = [p for p in others if p.role == Participant.Role.MENTEE]
    circle = program.format == Program.Format.CIRCLE
    settings = selectors.settings_of(program) if circle else MatchingSettings(program=program)
    stored = selectors.mentor_preference_values(
        participant=me, capacity=selectors.mentor_capacity(me, settings)
    )
    form = MentorPreferencesForm(
        request.POST if request.method == "POST" else None,
        initial=stored,
        loaded_from=stored,
        mentees=[(p.pk, p.user.name) for p in mentees],
        circle=circle,
    )
    clash = None
    if request.method == "POST" and form.is_valid():
        by_id = {p.pk: p for p in mentees}
        current = selectors.related_or_none(me, "matching_profile")
        try:
            services.mentor_preferences_save(
                participant=me,
                capacity=form.cleaned_data["capacity"]
                if not circle
                else (current.capacity if current else None),
                rather_not=[by_id[pk] for pk in form.cleaned_data["rather_not"]],
                reason=form.cleaned_data["reason"],
                loaded=form.loaded(),
            )
        except EditConflict as conflict:
            clash = resolve(conflict, form)
            (form,) = clash.forms
        except ValidationError as error:
            show_refusal(request, error, form=form)
        else:
            messages.success(request, _("Your preferences are saved. Thank you."))
            return redirect("matching:my_preferences", program.slug)
    return render(
        request,
        "matching/my_preferences.html",
        {
            "program": program,
            "form": form,
            "as_mentor": True,
            "circle_size": settings.circle_size if circle else None,
            "edit_conflict": clash,
        },
        status=409 if clash else 200,
    )
