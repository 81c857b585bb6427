"""The French catalogue is complete, and the compiled file is the catalogue."""

import re
from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_every_message_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(CATALOGUE))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(CATALOGUE))
    mo = polib.mofile(str(CATALOGUE.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
        for e in po.translated_entries()
        if not e.obsolete
    }
    missing = sorted(k[1] for k in source if k not in compiled or compiled[k] != source[k])
    assert missing == [], "run `make messages` to recompile"


def test_a_pair_is_called_a_paire_throughout():
    """One word for a mentoring pair in French: "paire", never "duo" beside it."""
    po = polib.pofile(str(CATALOGUE))
    texts = [
        (e.msgid, text)
        for e in po.translated_entries()
        for text in [e.msgstr, *e.msgstr_plural.values()]
        if text
    ]
    assert [msgid for msgid, text in texts if re.search(r"\bduos?\b", text, re.I)] == []


def test_french_is_served():
    with translation.override("fr"):
        assert translation.gettext("Create an account") == "Créer un compte"


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path, settings, monkeypatch):
    """Extract messages afresh (as `make messages` does) and compare with the catalogue.

    makemessages writes next to the nearest locale/ folder, so it runs on a copy of
    the source without one; the real catalogue is never touched.
    """
    import shutil

    import pytest
    from django.core.management import call_command

    if shutil.which("xgettext") is None:
        pytest.skip("gettext is not installed (apt-get install gettext): cannot extract messages")
    source = tmp_path / "source"
    shutil.copytree(
        settings.BASE_DIR,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "node_modules", "var", "locale", "static", "*.pyc", "__pycache__"
        ),
    )
    (source / "locale").mkdir()
    settings.LOCALE_PATHS = [source / "locale"]
    monkeypatch.chdir(source)
    call_command("makemessages", locale=["fr"], verbosity=0)
    fresh = polib.pofile(str(source / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUE))}
    missing = sorted(e.msgid for e in fresh if (e.msgctxt, e.msgid) not in known)
    assert missing == [], "run `make messages` and translate the new strings"
