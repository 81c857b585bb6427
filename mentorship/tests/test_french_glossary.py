"""The French catalogue follows its glossary (locale/fr/GLOSSARY.md) and French typography.

The glossary's "Forbidden variants" are read from the glossary itself, so the rule a
translator reads is the rule the test applies; each rule must catch its own example, so a
mistyped pattern cannot pass by matching nothing.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from .french_typography import NBSP, NOT_PROSE, fix_spacing, spacing_mistakes

LOCALE = Path(settings.BASE_DIR) / "locale" / "fr"
CATALOGUE = LOCALE / "LC_MESSAGES" / "django.po"
GLOSSARY = LOCALE / "GLOSSARY.md"
RULE = re.compile(r"^- `(?P<pattern>[^`]+)` — e\.g\. \"(?P<example>[^\"]+)\"; write (?P<right>.+)$")


def forbidden_rules() -> list[tuple[re.Pattern, str, list[str]]]:
    """(pattern, the wrong example it must catch, the right forms it must not catch)."""
    text = GLOSSARY.read_text(encoding="utf-8")
    section = text.split("## Forbidden variants", 1)[1]
    rules = []
    for line in section.splitlines():
        if not line.startswith("- `"):
            continue
        match = RULE.match(line)
        assert match, f"a forbidden-variant line the test cannot read: {line}"
        rights = re.findall(r"\"([^\"]+)\"", match["right"])
        rules.append((re.compile(match["pattern"], re.IGNORECASE), match["example"], rights))
    return rules


def french_texts() -> list[tuple[str, str]]:
    """(msgid, msgstr) for every translation in the catalogue, plural forms included."""
    po = polib.pofile(str(CATALOGUE))
    return [
        (entry.msgid, text)
        for entry in po
        if not entry.obsolete
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if text
    ]


def prose(text: str) -> str:
    """The words of a msgstr: its tags, placeholders and addresses taken out."""
    return NOT_PROSE.sub(" ", text)


def test_the_glossary_states_its_rules_and_each_catches_its_example():
    rules = forbidden_rules()
    assert len(rules) >= 10
    for pattern, example, rights in rules:
        assert pattern.search(example), (pattern.pattern, example)
        assert rights, f"{pattern.pattern}: say what to write instead, in quotes"
        for right in rights:
            assert not pattern.search(right), (pattern.pattern, right)


def test_no_translation_uses_a_variant_the_glossary_forbids():
    rules = forbidden_rules()
    found = [
        (pattern.pattern, msgid[:60], text[:80])
        for msgid, text in french_texts()
        for pattern, _example, _rights in rules
        if pattern.search(prose(text))
    ]
    assert found == []


def test_french_punctuation_takes_a_no_break_space():
    """A no-break space before : ; ? ! and inside « », in every French msgstr."""
    found = [
        (msgid[:50], mistakes)
        for msgid, text in french_texts()
        if (mistakes := spacing_mistakes(text))
    ]
    assert found == []


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("Merci!", f"Merci{NBSP}!"),
        ("Pourquoi ? Parce que : ceci; cela", f"Pourquoi{NBSP}? Parce que{NBSP}: ceci{NBSP}; cela"),
        ("Voir « ici »", f"Voir «{NBSP}ici{NBSP}»"),
        # Not prose: placeholders take the space after them, the rest is left alone.
        ("%(name)s: %(status)s", f"%(name)s{NBSP}: %(status)s"),
        ("p. ex. 18:30", "p. ex. 18:30"),
        (
            '<a href="https://example.org/a?b=1">lien</a>',
            '<a href="https://example.org/a?b=1">lien</a>',
        ),
        (
            "Écrivez à info@example.org ou mailto:a@b.c",
            "Écrivez à info@example.org ou mailto:a@b.c",
        ),
        ("&amp; &#39;", "&amp; &#39;"),
        (f"Déjà bien{NBSP}: rien{NBSP}?!", f"Déjà bien{NBSP}: rien{NBSP}?!"),
    ],
)
def test_the_spacing_rule_on_prose_and_on_what_is_not_prose(text, fixed):
    assert fix_spacing(text) == fixed
    assert spacing_mistakes(fixed) == []
    assert bool(spacing_mistakes(text)) == (text != fixed)


def test_time_is_a_clock_time_except_for_the_time_a_mentor_can_give():
    """ "Time" on a meeting's page is its clock time ("Heure"); "Disponibilités" is only the
    mentor profile's section about the time a mentor can give."""
    with translation.override("fr"):
        assert translation.gettext("Time") == "Heure"
        assert translation.pgettext("the time a mentor can give", "Time") == "Disponibilités"
        assert translation.gettext("Record") == "Compte rendu"
        assert (
            translation.pgettext("the reference code printed on a filled form", "Record")
            == "Référence"
        )


def test_the_meeting_page_shows_the_time_as_heure():
    from django.template.loader import render_to_string

    meeting = _Meeting()
    with translation.override("fr"):
        html = render_to_string("sessions/_meeting_facts.html", {"meeting": meeting})
    assert "Heure" in html
    assert "Disponibilités" not in html


class _Meeting:
    """What sessions/_meeting_facts.html reads of a meeting."""

    import datetime as _dt

    starts_at = _dt.datetime(2026, 12, 1, 18, 0, tzinfo=_dt.UTC)
    ends_at = _dt.datetime(2026, 12, 1, 19, 0, tzinfo=_dt.UTC)
    duration_minutes = 60
    location = video_link = caller = ""

    def get_mode_display(self):
        return "En personne"


def test_a_french_emails_subject_prefix_is_french(cast):
    """The "[Mentorship]" prefix is translated with the subject after it: in the recipient's
    language, whatever language the sender's page was in."""
    import datetime

    from core.mail import render_templated_mail
    from sessions.tests.factories import MeetingFactory

    match = cast.pair()
    meeting = MeetingFactory(
        match=match, starts_at=datetime.datetime(2026, 12, 1, 22, 0, tzinfo=datetime.UTC)
    )
    context = {"meeting": meeting, "match": match, "program": match.program}
    with translation.override("en"):
        french = render_templated_mail(
            to="x@example.org",
            language="fr",
            template="meeting_scheduled",
            context={**context, "user": cast.mentor},
        )
    with translation.override("fr"):
        english = render_templated_mail(
            to="x@example.org",
            language="en",
            template="meeting_scheduled",
            context={**context, "user": cast.mentee},
        )
    assert french.subject.startswith("[Mentorat] ")
    assert "Mentorship" not in french.subject
    assert english.subject.startswith("[Mentorship] ")


def test_allauths_emails_take_the_prefix_in_the_active_language():
    from accounts.adapter import AccountAdapter

    with translation.override("fr"):
        assert AccountAdapter().format_email_subject("Sujet") == "[Mentorat] Sujet"
    with translation.override("en"):
        assert AccountAdapter().format_email_subject("Subject") == "[Mentorship] Subject"


def test_a_subject_keeps_its_no_break_spaces_and_loses_its_line_breaks():
    from core.mail import one_line

    assert (
        one_line(f"Invitation{NBSP}:\r\n Bargaining\u2028101 ")
        == f"Invitation{NBSP}: Bargaining 101"
    )


def test_allauths_sentences_about_e_mail_follow_the_glossary():
    """allauth's French says "adresse e-mail": every such sentence of the installed allauth
    (the apps we use: account, mfa) is in our catalogue, and French members read ours."""
    import allauth

    theirs = polib.pofile(str(Path(allauth.__file__).parent / "locale/fr/LC_MESSAGES/django.po"))
    email_rule = re.compile(r"\be-?mails?\b|\bmail\b|\bmél\b", re.IGNORECASE)
    ours = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUE)).translated_entries()}
    apps = ("account/", "templates/account/", "mfa/", "templates/mfa/")
    concerned = [
        entry
        for entry in theirs.translated_entries()
        if any(path.startswith(apps) for path, _line in entry.occurrences)
        and email_rule.search(prose(entry.msgstr))
    ]
    assert len(concerned) > 30  # the check reads allauth's catalogue
    assert [e.msgid for e in concerned if (e.msgctxt, e.msgid) not in ours] == []
    with translation.override("fr"):
        shown = [translation.gettext(entry.msgid) for entry in concerned]
        assert [text for text in shown if email_rule.search(prose(text))] == []
        assert translation.gettext("Email address") == "Adresse courriel"


def test_allauths_password_page_says_adresse_courriel(client):
    """allauth's own page and form (not one of our templates) in French."""
    html = client.get("/accounts/password/reset/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "courriel" in html.lower()
    assert not re.search(r"\be-?mail\b", prose(html), re.IGNORECASE)
