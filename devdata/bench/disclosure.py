"""The disclosure audit (core.disclosure): time to audit a program's published counts.

For the evaluation demo's program (closed: 15 applied, its report's equity funnel) and for
a made-up class of 40 applicants with every answer mixed in (the applications summary,
three role variants of four tables), each audited first with nothing kept (the median of
several cold runs, LP solves counted) and then repeated (the results kept per set of counts).
The database is rolled back afterwards.
"""

import random
import time

from django.db import transaction

from accounts.models import Profile
from core import disclosure
from devdata.bench.figures import Figure, elapsed_ms
from intake.models import Application
from programs.models import Participant


class _Rollback(Exception):
    pass


def _timed(audit, repeat: int) -> tuple[list[float], list[float], list[float], int]:
    """Cold wall and CPU ms (nothing kept), warm ms (kept), and LP solves per cold audit."""
    solves = 0
    original = disclosure.linprog

    def counted(*args, **kwargs):
        nonlocal solves
        solves += 1
        return original(*args, **kwargs)

    cold, cpu = [], []
    disclosure.linprog = counted
    try:
        for _ in range(repeat):
            disclosure.disclose.cache_clear()
            start_cpu = time.process_time()
            cold.append(elapsed_ms(audit))
            cpu.append((time.process_time() - start_cpu) * 1000)
    finally:
        disclosure.linprog = original
    warm = [elapsed_ms(audit) for _ in range(repeat)]
    return cold, cpu, warm, solves // repeat


def _made_up_class(size: int = 40, seed: int = 17):
    """The summary's four tables for a class of `size`, without the database."""
    from intake.selectors import SUMMARY_GROUPS, _Answers

    rng = random.Random(seed)
    people = [
        (
            rng.choice(SUMMARY_GROUPS),
            rng.choice([*Profile.Gender.values, ""]),
            tuple(rng.sample(Profile.RaceEthnicity.values, rng.choice([0, 1, 1, 2]))) or ("",),
            rng.choice(["Local 1", "Local 2", "Local 3", ""]),
            rng.choice([*Application.Experience.values, ""]),
        )
        for _ in range(size)
    ]

    def answers(title, values, column, several=False):
        labels = {value: value for value in values}
        groups = [[p[column] for p in people if p[0] == group] for group in SUMMARY_GROUPS]
        return _Answers(title, labels, groups, several=several)

    return [
        answers("gender", [*Profile.Gender.values, ""], 1),
        answers("race", [*Profile.RaceEthnicity.values, ""], 2, several=True),
        answers("local", ["Local 1", "Local 2", "Local 3", ""], 3),
        answers("activism", [*Application.Experience.values, ""], 4),
    ]


def run(repeat: int | None = None) -> list[Figure]:
    from devdata.evaluation_demo import seed_evaluation_demo
    from evaluation.selectors import equity_funnel, funnel_people
    from intake.selectors import _summaries, summary_answers

    repeat = repeat or 7
    figures = []
    try:
        with transaction.atomic():
            program = seed_evaluation_demo()
            people = funnel_people(program)
            answers = summary_answers(program)
            mentees = program.participants.filter(role=Participant.Role.MENTEE).count()
            cases = [
                (
                    f"report's equity funnel, evaluation demo ({len(people['applied'])} applied, "
                    f"{mentees} mentees)",
                    lambda: equity_funnel(people),
                ),
                ("applications summary, evaluation demo", lambda: _summaries(answers)),
            ]
            made_up = _made_up_class()
            cases.append(
                ("applications summary, 40 made-up applicants", lambda: _summaries(made_up))
            )
            for label, audit in cases:
                cold, cpu, warm, solves = _timed(audit, repeat)
                figures += [
                    Figure(
                        name=f"disclosure audit, first: {label}",
                        group="disclosure_first",
                        samples_ms=cold,
                        extra={"cpu_ms": [round(x, 3) for x in cpu], "lp_solves": solves},
                    ),
                    Figure(
                        name=f"disclosure audit, repeated: {label}",
                        group="disclosure_repeated",
                        samples_ms=warm,
                    ),
                ]
            raise _Rollback
    except _Rollback:
        pass
    return figures
