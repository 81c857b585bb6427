"""The README's Performance table is the bench's own output: the Markdown rendered from the
committed bench/results.json, between the README's bench markers."""

import json
from pathlib import Path

from django.conf import settings

from devdata.bench.report import embedded, markdown

ROOT = Path(settings.BASE_DIR)


def test_the_readme_table_is_rendered_from_the_committed_results():
    results = json.loads((ROOT / "bench" / "results.json").read_text())
    expected = markdown(results)
    assert embedded((ROOT / "README.md").read_text()) == expected, (
        "README's table between <!-- bench:start --> and <!-- bench:end --> is not "
        "markdown(bench/results.json): run `manage.py bench --readme` (or paste bench/results.md)"
    )
    assert (ROOT / "bench" / "results.md").read_text() == expected
