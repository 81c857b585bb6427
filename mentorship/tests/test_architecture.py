"""The layered layout holds: import-linter's contracts (.importlinter) pass, and fail on a
planted back-import; no module imports itself back through others (lazy imports count)."""

import shutil
import subprocess
import sys
from configparser import ConfigParser
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def root_packages() -> list[str]:
    config = ConfigParser()
    config.read(ROOT / ".importlinter")
    return config["importlinter"]["root_packages"].split()


def cycles(graph, modules: set[str]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), and self-imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def edges(module: str) -> list[str]:
        return sorted(graph.find_modules_directly_imported_by(module) & modules)

    def visit(start: str) -> None:
        # Iterative, so a deep graph cannot hit the recursion limit.
        work = [(start, iter(edges(start)))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges(child))))
                elif child in on_stack:
                    low[module] = min(low[module], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[module])
            if low[module] == index[module]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1 or module in edges(module):
                    found.append(sorted(group))

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return found


def production_graph():
    graph = grimp.build_graph(*root_packages(), cache_dir=None)
    modules = {m for m in graph.modules if ".tests" not in m and not m.endswith(".conftest")}
    return graph, modules


def test_no_module_imports_itself_back():
    graph, modules = production_graph()
    assert cycles(graph, modules) == []


def test_the_cycle_finder_finds_a_circle():
    """The check above can fail: a planted circle (as packets ↔ tasks was) is found."""
    graph, modules = production_graph()
    graph.add_import(importer="printing.packets", imported="printing.tasks")
    assert ["printing.packets", "printing.tasks"] in cycles(graph, modules)


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    if not LINT_IMPORTS.exists():
        pytest.fail(f"import-linter is not installed next to {sys.executable}")
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-logo", "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd)},
    )


def copy_of_the_code(tmp_path: Path) -> Path:
    copy = tmp_path / "code"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "node_modules", ".git", "var", "static", "locale", "templates", "*.pyc"
        ),
    )
    return copy


def test_the_contracts_pass():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("module", "line"),
    [
        # A domain app reaching up to a page that combines apps.
        ("accounts/planted.py", "import members.views\n"),
        # Two pages-combining apps knowing each other.
        ("dashboard/planted.py", "import printing.packets\n"),
        # An app importing the configuration.
        ("programs/planted.py", "import mentorship.urls\n"),
        # A lower domain app importing a higher one (lazily: still an import).
        ("programs/planted.py", "def f():\n    import reminders.models\n"),
        # Production code importing the demo data.
        ("printing/planted.py", "import devdata.demo\n"),
    ],
)
def test_a_planted_back_import_breaks_the_contracts(tmp_path, module, line):
    copy = copy_of_the_code(tmp_path)
    (copy / module).write_text(line)
    result = lint_imports(copy)
    assert result.returncode != 0, f"{module}: {line!r} was not caught\n{result.stdout}"
    assert "BROKEN" in result.stdout
