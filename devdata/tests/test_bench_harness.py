"""The bench harness (manage.py bench, devdata/bench/report.py): budgets are checked, a figure
over budget or without one fails the run by name, and nothing fails silently.

Fast: fake benchmarks only; no national-size data is built here.
"""

import io
import json

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from scipy.optimize import linear_sum_assignment

from devdata.bench import matching, printing, report, suite
from devdata.bench.figures import Figure
from matching import engine
from matching.engine import solve
from programs.models import Program

BUDGETS = {
    "page": {"median_ms": 30, "queries": 15},
    "engine": {"ratio": 10},
    "compare": {"speedup": 10, "no_worse_score": True},
    "scaling": {"queries": 15, "same_at_every_scale": True},
}


def fig(name="a page", group="page", samples=(10, 12, 11), **kwargs):
    return Figure(name=name, group=group, samples_ms=list(samples), **kwargs)


def test_a_figure_within_every_budget_passes():
    assert report.check(fig(queries=15), BUDGETS) == []


def test_the_median_over_budget_fails_however_fast_the_best_sample():
    failures = report.check(fig(samples=(1, 31, 31), queries=3), BUDGETS)
    assert failures == ["median 31 ms over 30 ms"]


def test_one_query_too_many_fails():
    assert report.check(fig(queries=16), BUDGETS) == ["queries 16 over 15"]


def test_a_page_without_a_query_count_fails_its_query_budget():
    assert report.check(fig(), BUDGETS) == ["no queries measured"]


def test_a_figure_whose_group_has_no_budget_fails_loudly():
    failures = report.check(fig(group="unbudgeted", queries=1), BUDGETS)
    assert failures == ["no budget for group 'unbudgeted' in bench/budgets.toml"]


def test_a_figure_that_could_not_be_measured_fails_with_its_reason():
    broken = fig(samples=(), error="pages.py could not be imported")
    assert report.check(broken, BUDGETS) == ["pages.py could not be imported"]
    assert report.check(fig(samples=(), queries=None), BUDGETS) == ["nothing measured"]
    # A query count alone is a measurement, but not of a time the group budgets.
    assert report.check(fig(samples=(), queries=1), BUDGETS) == ["no median measured"]


def test_the_ratio_is_against_the_floor_measured_beside_it():
    engine = fig(group="engine", samples=(95, 100), floor_samples_ms=[10, 10])
    assert report.check(engine, BUDGETS) == []
    engine.samples_ms = [101, 101]
    assert report.check(engine, BUDGETS) == ["ratio to the floor 10.1× over 10×"]
    no_floor = fig(group="engine")
    assert report.check(no_floor, BUDGETS) == ["no ratio to the floor measured"]


def test_a_speedup_under_budget_or_a_worse_score_fails():
    scores = {"engine_score": 100, "mentor_match_score": 100}
    fast = fig(group="compare", samples=(10,), floor_samples_ms=[100], extra=scores)
    assert report.check(fast, BUDGETS) == []
    slow = fig(group="compare", samples=(11,), floor_samples_ms=[100], extra=scores)
    assert report.check(slow, BUDGETS) == ["speed-up 9.09× under 10×"]
    worse = fig(
        group="compare",
        samples=(1,),
        floor_samples_ms=[100],
        extra={"engine_score": 99, "mentor_match_score": 100},
    )
    assert report.check(worse, BUDGETS) == ["total score 99 below mentor-match's 100"]


def test_query_counts_must_not_grow_with_data():
    flat = fig(group="scaling", queries=9, extra={"counts": {"0.05": 9, "1": 9, "2": 9}})
    assert report.check(flat, BUDGETS) == []
    growing = fig(group="scaling", queries=10, extra={"counts": [9, 9, 10]})
    assert report.check(growing, BUDGETS) == ["queries grow with data: [9, 9, 10]"]
    # An empty list at the smallest size skips its rows' query: fewer there is no growth...
    empty_first = fig(group="scaling", queries=12, extra={"counts": [10, 12, 12]})
    assert report.check(empty_first, BUDGETS) == []
    # ...but more there than at the larger sizes is not a constant count either.
    assert report.check(fig(group="scaling", queries=12, extra={"counts": [12, 10, 10]}), BUDGETS)
    uncounted = fig(group="scaling", queries=9)
    assert report.check(uncounted, BUDGETS) == ["no query counts per data size to compare"]


def test_an_unknown_budget_key_is_an_error_not_ignored(tmp_path):
    path = tmp_path / "budgets.toml"
    path.write_text("[page]\nmedian_ms = 30\nmedain_ms = 10\n")
    with pytest.raises(ValueError, match="medain_ms"):
        report.load_budgets(path)
    path.write_text("[page]\n")
    with pytest.raises(ValueError, match="no budgets"):
        report.load_budgets(path)


def test_every_group_the_bench_measures_has_a_budget():
    groups = {
        # devdata/bench/pages.py (pages at national size; query counts per data size)
        *("trivial", "dashboard", "list", "detail", "home", "board", "report", "pdf_filled"),
        *("export", "query_scaling"),
        # devdata/bench/printing.py, reminders.py, matching.py, disclosure.py
        *("pdf_blank", "packet", "reminders", "mentor_match"),
        *(f"matching_{m}x{n}" for m, n in matching.SIZES),
        *("disclosure_first", "disclosure_repeated"),
    }
    budgets = report.load_budgets()
    assert groups <= set(budgets), groups - set(budgets)
    pages = ("trivial", "dashboard", "list", "detail", "home", "board", "report", "pdf_filled")
    assert all(budgets[group]["queries"] <= 15 for group in pages)
    assert budgets["query_scaling"] == {"same_at_every_scale": True}


@pytest.fixture
def fake_bench(monkeypatch):
    """manage.py bench with two fake benchmarks and its own budgets."""
    monkeypatch.setattr(report, "load_budgets", lambda: BUDGETS)
    benchmarks = {}
    monkeypatch.setattr(suite, "BENCHMARKS", benchmarks)
    return benchmarks


@pytest.mark.django_db
def test_the_command_exits_non_zero_naming_every_figure_over_budget(fake_bench, tmp_path):
    fake_bench["pages"] = lambda repeat: [
        fig("fine page", queries=3),
        fig("slow page", samples=(40, 41, 42), queries=3),
        fig("chatty page", queries=40),
    ]
    fake_bench["unbudgeted"] = lambda repeat: [fig("stray", group="stray", queries=1)]
    output = tmp_path / "results.json"
    with pytest.raises(CommandError) as raised:
        call_command("bench", output=str(output), stdout=io.StringIO())
    message = str(raised.value)
    assert "3 figure(s) over budget" in message
    assert "slow page" in message and "chatty page" in message and "stray" in message
    assert "fine page" not in message

    results = json.loads(output.read_text())
    assert [f["pass"] for f in results["figures"]] == [True, False, False, False]
    assert results["failed"] == ["slow page", "chatty page", "stray"]
    assert results["figures"][1]["samples"]["median_ms"] == 41
    assert results["machine"]["database"]["vendor"] in ("sqlite", "postgresql")
    assert results["machine"]["cores"] >= 1
    table = output.with_suffix(".md").read_text()
    assert table == report.markdown(results)
    assert "| slow page | 40.0 | 41.0 | 42.0 |" in table
    assert "**FAIL**: median 41 ms over 30 ms" in table


@pytest.mark.django_db
def test_the_command_passes_when_every_figure_is_within_budget(fake_bench, tmp_path):
    seen = []
    fake_bench["pages"] = lambda repeat: seen.append(repeat) or [fig(queries=3)]
    fake_bench["other"] = lambda repeat: pytest.fail("not asked for")
    output = tmp_path / "out" / "results.json"
    call_command("bench", "pages", repeat=4, output=str(output), stdout=io.StringIO())
    results = json.loads(output.read_text())
    assert results["failed"] == [] and seen == [4]
    assert results["command"] == "manage.py bench pages --repeat 4"


@pytest.mark.django_db
def test_a_benchmark_that_breaks_fails_by_name_and_the_others_still_run(fake_bench, tmp_path):
    def broken(repeat):
        raise RuntimeError("the page answered 500")

    fake_bench["broken"] = broken
    fake_bench["pages"] = lambda repeat: [fig(queries=3)]
    output = tmp_path / "results.json"
    with pytest.raises(CommandError, match="broken: the benchmark failed"):
        call_command("bench", output=str(output), stdout=io.StringIO())
    results = json.loads(output.read_text())
    assert results["figures"][0]["failures"] == ["RuntimeError: the page answered 500"]
    assert results["figures"][1]["pass"]


def test_a_missing_benchmark_module_is_a_failing_figure_never_a_skip():
    run = suite._lazy("devdata.bench.no_such_module", "page_figures", "pages", takes_repeat=True)
    [figure] = run(3)
    assert figure.error.startswith("devdata.bench.no_such_module.page_figures could not be")
    assert report.check(figure, BUDGETS) == [figure.error]


def test_the_floor_is_the_solver_alone_on_the_matrix_solve_uses():
    """linear_sum_assignment on the bench's matrix finds solve()'s total: the same problem."""
    problem = matching.make_problem(60, 20, seed=3)
    matrix = engine.assignment_matrix(problem)
    rows, cols = linear_sum_assignment(matrix, maximize=True)
    assert int(np.clip(matrix[rows, cols], 0, None).sum()) == solve(problem).total > 0


def test_the_readme_table_is_replaced_between_its_markers_only():
    readme = "intro\n<!-- bench:start -->\nold table\n<!-- bench:end -->\nafter | pipes\n"
    updated = report.embed(readme, "| new | table |\n")
    assert (
        updated
        == "intro\n<!-- bench:start -->\n| new | table |\n<!-- bench:end -->\nafter | pipes\n"
    )
    assert report.embedded(updated) == "| new | table |\n"
    with pytest.raises(ValueError, match="markers"):
        report.embed("no markers here", "table")


@pytest.mark.django_db
def test_the_filled_pdf_is_measured_beside_its_floor_and_rolled_back():
    figure = printing._filled_worksheet(repeat=1)
    assert figure.group == "pdf_filled" and len(figure.samples_ms) == 1
    assert figure.floor == "one-line PDF" and len(figure.floor_samples_ms) == 1
    assert 0 < figure.queries <= 15
    assert not Program.objects.exists()
