"""The matching board at national size: a page of cards, those still to place first, a
search by name, and a cost per page that does not grow with the cohort (queries, reverse()
calls, the engine's alternatives). The board's behaviour is in test_matching_views.py."""

import cProfile
import pstats
import re

import pytest
from django.urls import base as urls_base
from django.urls import reverse
from django.utils import formats

from core.testing import assert_constant_queries
from matching import engine
from matching.tests.factories import MatchFactory, add_mentee, add_mentor
from matching.views import BOARD_PAGE_SIZE

pytestmark = pytest.mark.django_db


def board_url(program) -> str:
    return reverse("matching:board", args=[program.slug])


def grow(program, n: int) -> None:
    """n more mentees: every third without a proposal (with alternatives), every fifth of
    the others active, the rest proposed (some locked), so every kind of card is drawn."""
    for i in range(n):
        mentee = add_mentee(program, goals=["grievances"], languages=["French"])
        mentor = add_mentor(program, skills=["grievances"], capacity=2)
        if i % 3 == 0:
            continue
        status = "active" if i % 5 == 0 else "proposed"
        MatchFactory(program=program, mentee=mentee, mentor=mentor, status=status, locked=i % 2)


def card_ids(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<section id="mentee-(\d+)"', page)]


def calls_while(function, fetch) -> int:
    """How many times `function` runs during fetch(), however it was imported."""
    profile = cProfile.Profile()
    profile.runcall(fetch)
    code = function.__code__
    return sum(
        stats[1]
        for (filename, line, name), stats in pstats.Stats(profile).stats.items()
        if (filename, line, name) == (code.co_filename, code.co_firstlineno, code.co_name)
    )


def test_the_board_query_count_is_the_same_at_10_and_60_mentees(program, coordinator):
    count = assert_constant_queries(
        lambda: coordinator.get(board_url(program)), lambda n: grow(program, n), sizes=(10, 60)
    )
    assert count <= 15


def test_reverse_calls_do_not_grow_with_the_cards_shown(program, coordinator):
    grow(program, 5)
    few = calls_while(urls_base.reverse, lambda: coordinator.get(board_url(program)))
    grow(program, 55)
    page = coordinator.get(board_url(program)).content.decode()
    assert len(card_ids(page)) == BOARD_PAGE_SIZE
    many = calls_while(urls_base.reverse, lambda: coordinator.get(board_url(program)))
    assert many == few
    # …and the numbers are formatted once each in Python, not once per cell.
    assert calls_while(formats.number_format, lambda: coordinator.get(board_url(program))) < 150


def test_alternatives_are_scored_for_the_cards_shown_only(program, coordinator, monkeypatch):
    for _ in range(BOARD_PAGE_SIZE + 20):  # nobody placed yet: every card has alternatives
        add_mentee(program, goals=["grievances"])
    add_mentor(program, skills=["grievances"])
    scored: list[set[int]] = []
    real = engine.alternatives

    def spy(problem, mentee_ids, k=5):
        wanted = set(mentee_ids)
        scored.append(wanted)
        return real(problem, wanted, k)

    monkeypatch.setattr(engine, "alternatives", spy)
    page = coordinator.get(board_url(program)).content.decode()
    assert scored == [set(card_ids(page))]
    assert len(scored[0]) == BOARD_PAGE_SIZE


def test_a_page_of_cards_those_to_place_first_with_the_counts_of_all(program, coordinator):
    grow(program, 60)  # 20 without a proposal, and the cast's mentee
    waiting = {
        p.pk
        for p in program.participants.filter(role="mentee")
        if not program.matches.filter(mentee=p).exists()
    }
    assert len(waiting) == 21
    first = coordinator.get(board_url(program)).content.decode()
    shown = card_ids(first)
    assert len(shown) == BOARD_PAGE_SIZE
    assert set(shown[: len(waiting)]) == waiting  # those still to place come first
    assert "1–50 of 61 cards, those without a proposal first." in first
    assert "21 mentees without a proposal" in first
    assert "Page 1 of 2" in first

    second = coordinator.get(board_url(program), {"page": 2}).content.decode()
    assert len(card_ids(second)) == 11
    assert not set(card_ids(second)) & set(shown)
    assert "51–61 of 61 cards" in second
    assert "21 more are on other pages or outside your search." in second


def test_after_an_action_the_board_opens_at_the_cards_page(program, coordinator):
    grow(program, 60)
    last = card_ids(coordinator.get(board_url(program), {"page": 2}).content.decode())[-1]
    proposal = program.matches.filter(mentee_id=last, status="proposed").first()
    if proposal is None:  # the last card is an active pair: take a proposed one on page 2
        proposal = program.matches.filter(status="proposed", locked=False).order_by("-pk")[0]
    response = coordinator.post(reverse("matching:lock", args=[program.slug, proposal.pk]))
    assert response["Location"].endswith(f"?at={proposal.mentee_id}#mentee-{proposal.mentee_id}")
    page = coordinator.get(response["Location"].split("#")[0]).content.decode()
    assert proposal.mentee_id in card_ids(page)
    # A page link wins over `at`, so paging on from there works.
    other = coordinator.get(board_url(program), {"at": proposal.mentee_id, "page": 1})
    assert card_ids(other.content.decode()) == card_ids(
        coordinator.get(board_url(program)).content.decode()
    )


def test_the_board_finds_mentees_and_partners_by_name(program, coordinator):
    grow(program, 55)
    ana = add_mentee(program, "Ana Quintero", goals=["grievances"])
    rosa = add_mentor(program, "Rosa Zelaya", skills=["grievances"])
    ben = add_mentee(program, "Ben Okafor", goals=["grievances"])
    MatchFactory(program=program, mentee=ben, mentor=rosa)

    page = coordinator.get(board_url(program), {"q": "  quintero "}).content.decode()
    assert card_ids(page) == [ana.pk]
    assert "1–1 of 1 card" in page
    assert 'value="quintero"' in page
    # A mentor's name finds the card of their proposed mentee.
    assert card_ids(coordinator.get(board_url(program), {"q": "ZELAYA"}).content.decode()) == [
        ben.pk
    ]
    nobody = coordinator.get(board_url(program), {"q": "<b>Nobody</b>"}).content.decode()
    assert card_ids(nobody) == []
    assert "No mentee's name matches “&lt;b&gt;Nobody&lt;/b&gt;”." in nobody


def test_a_cards_alternatives_are_one_form_whose_buttons_choose_or_exclude(program, coordinator):
    ana = add_mentee(program, "Ana", goals=["grievances"])
    rosa = add_mentor(program, "Rosa", skills=["grievances"], capacity=2)
    karl = add_mentor(program, "Karl", skills=["grievances"], capacity=2)
    otto = add_mentor(program, "Otto", skills=["grievances"], capacity=2)
    MatchFactory(program=program, mentee=ana, mentor=rosa)
    page = coordinator.get(board_url(program)).content.decode()
    card = page.split(f'<section id="mentee-{ana.pk}"')[1].split("</section>")[0]
    details = card.split("<details")[1]
    assert details.count("<form ") == 1
    (action,) = re.findall(r'<form method="post" action="([^"]+)">', details)
    assert re.search(rf'<input type="hidden" name="mentee" value="{ana.pk}">', details)
    for mentor in (karl, otto):
        assert f'name="mentor" value="{mentor.pk}" class=' in details  # "Use this mentor"
    (formaction,) = set(re.findall(r'formaction="([^"]+)"', details))
    assert "Score " in details and "0 of 2 places taken" in details

    coordinator.post(formaction, {"mentee": ana.pk, "mentor": otto.pk})
    assert program.exclusions.filter(mentee=ana, mentor=otto).exists()
    response = coordinator.post(action, {"mentee": ana.pk, "mentor": karl.pk})
    assert response["Location"].endswith(f"?at={ana.pk}#mentee-{ana.pk}")
    assert program.matches.get(mentee=ana, status="proposed").mentor == karl
