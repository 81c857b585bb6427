"""Budgets, results and their table: what `manage.py bench` does with the figures it collects.

`bench/budgets.toml` holds every budget, keyed by a figure's group; `check()` compares a
figure with its group's budgets; `results()` gathers the machine, the run and every checked
figure into the dictionary written to `bench/results.json`; `markdown()` renders that
dictionary as the table printed by the command, written to `bench/results.md` and embedded
in the README between `<!-- bench:start -->` and `<!-- bench:end -->`.
"""

import datetime
import os
import platform
import re
import statistics
import subprocess
import tomllib
from collections.abc import Callable
from pathlib import Path

import django
from django.conf import settings
from django.db import connection

from devdata.bench.figures import Figure

BUDGETS = Path(settings.BASE_DIR) / "bench" / "budgets.toml"
README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"


def _same_at_every_scale(figure: Figure) -> str | None:
    """The query counts at every data size (extra "counts", smallest size first) do not grow.

    Every size with rows makes the same count; only the smallest may make fewer, because
    a list that is empty there (0.05x has a handful of pairs) skips its rows' query. More
    queries at any larger size is growth, and fails.
    """
    counts = figure.extra.get("counts")
    if isinstance(counts, dict):
        counts = list(counts.values())
    if not counts:
        return "no query counts per data size to compare"
    smallest, *larger = counts
    if len(set(larger)) > 1 or (larger and smallest > larger[0]):
        return f"queries grow with data: {counts}"
    return None


def _no_worse_score(figure: Figure) -> str | None:
    ours, theirs = figure.extra.get("engine_score"), figure.extra.get("mentor_match_score")
    if ours is None or theirs is None:
        return "no total scores to compare"
    if ours < theirs:
        return f"total score {ours} below mentor-match's {theirs}"
    return None


def _at_most(value: float | None, limit: float, what: str, unit: str = "") -> str | None:
    if value is None:
        return f"no {what} measured"
    return None if value <= limit else f"{what} {value:.4g}{unit} over {limit:g}{unit}"


# Each budget key: how it reads in the table, and its check (None: within budget).
CHECKS: dict[str, tuple[Callable[[object], str], Callable[[Figure, object], str | None]]] = {
    "median_ms": (
        lambda v: f"≤ {v:g} ms",
        lambda f, v: _at_most(f.median_ms if f.samples_ms else None, v, "median", " ms"),
    ),
    "queries": (
        lambda v: f"≤ {v} queries",
        lambda f, v: _at_most(f.queries, v, "queries"),
    ),
    "ratio": (
        lambda v: f"≤ {v:g}× floor",
        lambda f, v: _at_most(f.ratio, v, "ratio to the floor", "×"),
    ),
    "speedup": (
        lambda v: f"≥ {v:g}× faster than floor",
        lambda f, v: (
            "no speed-up measured"
            if not f.ratio
            else None
            if 1 / f.ratio >= v
            else f"speed-up {1 / f.ratio:.3g}× under {v:g}×"
        ),
    ),
    "same_at_every_scale": (
        lambda v: "same queries at every data size",
        lambda f, v: _same_at_every_scale(f) if v else None,
    ),
    "no_worse_score": (
        lambda v: "equal or better total score",
        lambda f, v: _no_worse_score(f) if v else None,
    ),
}


def load_budgets(path: Path = BUDGETS) -> dict[str, dict]:
    """The budgets per group; a key no check knows is an error, never silently ignored."""
    with open(path, "rb") as file:
        budgets = tomllib.load(file)
    for group, limits in budgets.items():
        unknown = set(limits) - set(CHECKS)
        if unknown or not limits:
            raise ValueError(
                f"{path}: group [{group}] has "
                + (f"unknown budget keys {sorted(unknown)}" if unknown else "no budgets")
                + f" (known: {', '.join(CHECKS)})"
            )
    return budgets


def check(figure: Figure, budgets: dict[str, dict]) -> list[str]:
    """Why the figure is over budget (empty: within every budget of its group)."""
    if figure.error:
        return [figure.error]
    if not figure.samples_ms and figure.queries is None:  # a count alone is a measurement
        return ["nothing measured"]
    limits = budgets.get(figure.group)
    if not limits:
        return [f"no budget for group {figure.group!r} in bench/budgets.toml"]
    return [
        failure
        for key, limit in limits.items()
        if (failure := CHECKS[key][1](figure, limit)) is not None
    ]


def budget_text(group: str, budgets: dict[str, dict]) -> str:
    limits = budgets.get(group) or {}
    return "; ".join(CHECKS[key][0](limit) for key, limit in limits.items()) or "none"


def _ms(value: float | None) -> float | None:
    return None if value is None else round(float(value), 3)


def figure_result(figure: Figure, budgets: dict[str, dict]) -> dict:
    failures = check(figure, budgets)
    samples = figure.samples_ms
    return {
        "name": figure.name,
        "group": figure.group,
        "samples": {
            "n": len(samples),
            "min_ms": _ms(min(samples)) if samples else None,
            "median_ms": _ms(statistics.median(samples)) if samples else None,
            "max_ms": _ms(max(samples)) if samples else None,
            "all_ms": [_ms(s) for s in samples],
        },
        "floor": figure.floor,
        "floor_median_ms": _ms(figure.floor_median_ms),
        "floor_all_ms": [_ms(s) for s in figure.floor_samples_ms],
        "ratio": None if figure.ratio is None else round(figure.ratio, 3),
        "queries": figure.queries,
        "extra": figure.extra,
        "error": figure.error,
        "budget": budgets.get(figure.group) or {},
        "budget_text": budget_text(figure.group, budgets),
        "failures": failures,
        "pass": not failures,
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return f"{line.split('=', 1)[1].strip().strip(chr(34))} ({platform.release()})"
    except OSError:
        pass
    return platform.platform()


def _database() -> dict:
    vendor = connection.vendor
    if vendor == "sqlite":
        import sqlite3

        version = sqlite3.sqlite_version
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version" if vendor == "postgresql" else "SELECT version()")
            version = cursor.fetchone()[0]
    return {"vendor": vendor, "version": version}


def _git_commit() -> str | None:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + ("+changes" if dirty else "")


def machine() -> dict:
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gib": _ram_gib(),
        "os": _os_name(),
        "python": platform.python_version(),
        "database": _database(),
        "django": django.get_version(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def results(figures: list[Figure], budgets: dict[str, dict], *, command: str) -> dict:
    checked = [figure_result(figure, budgets) for figure in figures]
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": command,
        "git_commit": _git_commit(),
        "machine": machine(),
        "figures": checked,
        "failed": [f["name"] for f in checked if not f["pass"]],
    }


def _cell(value, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return str(value)


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(results: dict) -> str:
    """The results as a Markdown table, then the machine and the command that measured them."""
    lines = [
        "| figure | min ms | median ms | max ms | floor median ms | ratio | queries "
        "| budget | result |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for f in results["figures"]:
        s = f["samples"]
        floor = f"{_cell(f['floor_median_ms'], 2)} ({f['floor']})" if f["floor"] else "—"
        result = "pass" if f["pass"] else "**FAIL**: " + "; ".join(f["failures"])
        lines.append(
            "| "
            + " | ".join(
                _escape(cell)
                for cell in (
                    f["name"],
                    _cell(s["min_ms"]),
                    _cell(s["median_ms"]),
                    _cell(s["max_ms"]),
                    floor,
                    _cell(f["ratio"], 2),
                    _cell(f["queries"]),
                    f["budget_text"],
                    result,
                )
            )
            + " |"
        )
    m = results["machine"]
    db = m["database"]
    load = ", ".join(f"{x:g}" for x in m["load_average"])
    commit = results["git_commit"] or "no git commit"
    lines += [
        "",
        f"Measured {results['date']} on {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM, "
        f"{m['os']}; Python {m['python']}, Django {m['django']}, {db['vendor']} {db['version']}; "
        f"load average {load} at the end; commit {commit}; with `{results['command']}`. "
        f"{len(results['figures']) - len(results['failed'])} of {len(results['figures'])} "
        "figures within budget.",
    ]
    return "\n".join(lines) + "\n"


def embedded(readme: str) -> str:
    """The README's text between the bench markers, without the blank lines around it."""
    match = re.search(re.escape(README_START) + r"(.*?)" + re.escape(README_END), readme, re.S)
    if match is None:
        raise ValueError(f"the README has no {README_START} ... {README_END} markers")
    return match.group(1).strip("\n") + "\n"


def embed(readme: str, table: str) -> str:
    """The README with `table` between the bench markers (which must already be there)."""
    embedded(readme)  # raises without the markers
    return re.sub(
        re.escape(README_START) + r".*?" + re.escape(README_END),
        lambda _: f"{README_START}\n{table.strip(chr(10))}\n{README_END}",
        readme,
        count=1,
        flags=re.S,
    )
