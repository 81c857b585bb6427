"""Deploy checks that name a missing system library before members notice it."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from mentorship import checks


def test_a_missing_harfbuzz_subset_library_is_named_by_the_deploy_check(monkeypatch):
    monkeypatch.setattr(checks, "harfbuzz_subset_loaded", lambda: False)
    with pytest.raises(SystemCheckError, match=r"mentorship\.W011"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "mentorship")


def test_the_check_is_quiet_when_weasyprint_loaded_it(monkeypatch):
    monkeypatch.setattr(checks, "harfbuzz_subset_loaded", lambda: True)
    assert checks.pdfs_subset_fonts_quickly(None) == []


def test_the_check_reads_weasyprint_own_finding(monkeypatch):
    from weasyprint.text import ffi

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    assert not checks.harfbuzz_subset_loaded()
    assert [message.id for message in checks.pdfs_subset_fonts_quickly(None)] == ["mentorship.W011"]
