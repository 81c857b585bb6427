"""The printing engine (core/printing.py): what it may read, and the work it does per PDF."""

from unittest import mock

import pytest
from weasyprint.urls import URLFetcher

from core import printing
from core.printing import Paper, blank_paper, render_pdf, section, table_row
from printing.registry import registry

FONT = printing.STATIC / "fonts" / "DejaVuSans.ttf"


@pytest.fixture
def fetcher():
    return printing._weasy()[2]


def test_the_fetcher_reads_the_fonts(fetcher):
    response = fetcher.fetch(FONT.as_uri())
    assert response.read() == FONT.read_bytes()


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",  # the cloud's metadata service
        "https://example.org/logo.png",
        "ftp://example.org/file",
        "data:text/plain,hello",
        "file:///etc/passwd",
        # Out of static/ by climbing: resolved before the check.
        (printing.STATIC / "fonts" / ".." / ".." / "manage.py").as_uri(),
        (printing.STATIC / "missing.ttf").as_uri(),
    ],
)
def test_the_fetcher_refuses_everything_else(fetcher, url):
    with pytest.raises(ValueError, match="only files under static"):
        fetcher.fetch(url)


def test_a_form_that_names_a_remote_image_fetches_nothing(tmp_path):
    # Text is escaped, so a member cannot write markup; were it ever not, nothing is fetched.
    paper = Paper(title="Floor", sections=[section("Plan", intro="x")])
    with (
        mock.patch.object(
            printing,
            "render_to_string",
            return_value=(
                '<html lang="en"><body><h1>T</h1><img src="http://127.0.0.1:9/x.png"></body></html>'
            ),
        ),
        mock.patch("urllib.request.OpenerDirector.open") as opened,
    ):
        assert render_pdf(paper, language="en").startswith(b"%PDF")
    opened.assert_not_called()


@pytest.mark.django_db
def test_no_pdf_builds_weasyprints_default_fetcher():
    # Its HTTPS handler loads the system's certificates: ~50 ms of CPU on every PDF.
    printing._weasy()  # the process's one stylesheet, fonts and fetcher
    with mock.patch.object(URLFetcher, "__init__", side_effect=AssertionError("built")):
        for printable in registry().values():
            assert render_pdf(blank_paper(printable), language="en").startswith(b"%PDF")


def test_a_table_is_laid_out_from_its_column_widths():
    row = table_row(
        ("Minutes", "Item", "Description"), [(10, "Intro", "Who we are")], widths=(11, 23, 66)
    )
    assert row["columns"] == [("Minutes", 11), ("Item", 23), ("Description", 66)]
    assert [w for _c, w in table_row(("A", "B"), [])["columns"]] == [50, 50]
    with pytest.raises(ValueError, match="3 columns but 2 widths"):
        table_row(("A", "B", "C"), [], widths=(50, 50))
    paper = Paper(title="Table", sections=[section("Agenda", extra=[row])])
    document = printing.render_document(paper, language="en")
    table = _find(document.pages[0]._page_box, "TableBox")
    assert table.style["table_layout"] == "fixed"  # no measuring of every cell's text
    shares = [round(100 * w / sum(table.column_widths)) for w in table.column_widths]
    assert shares == [11, 23, 66]


def _find(box, kind: str):
    if type(box).__name__ == kind:
        return box
    for child in getattr(box, "children", ()):
        if (found := _find(child, kind)) is not None:
            return found
    return None
