"""French typography in the catalogue: a no-break space (U+00A0) before : ; ? and !, and
inside « guillemets ».

One rule, written once, for the test that enforces it (test_french_glossary.py) and for
whoever fixes a catalogue by hand (`fix_spacing`). What is not French text is left alone:
HTML tags and entities, format placeholders (%(name)s, %s, {name}), web addresses, e-mail
addresses and clock times such as 18:30 (a form's example of what to type).
"""

import re

NBSP = "\u00a0"
PUNCTUATION = ":;?!"
# Not prose: tags, entities, placeholders, addresses, times.
NOT_PROSE = re.compile(
    r"<[^>]*>"  # an HTML tag (with its attributes: style="a: b", href="…?x=1")
    r"|&#?\w+;"  # an HTML entity (&amp; &#39;)
    r"|%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr%]"  # printf placeholders
    r"|\{[^{}\s]*\}"  # str.format placeholders
    r"|\b[a-z][a-z0-9+.-]*://\S+|\bmailto:\S+|\S+@\S+"  # addresses
    r"|\b\d{1,2}:\d{2}\b"  # a clock time (18:30)
)

# « with anything but a no-break space after it, » with anything but one before it.
GUILLEMETS_UNSPACED = re.compile(r".{0,10}«[^\u00a0]|[^\u00a0]».{0,10}")


def _prose_positions(text: str) -> list[int]:
    """The indexes of : ; ? ! that are prose punctuation."""
    protected = [False] * len(text)
    for match in NOT_PROSE.finditer(text):
        for index in range(match.start(), match.end()):
            protected[index] = True
    return [
        index
        for index, character in enumerate(text)
        if character in PUNCTUATION and not protected[index]
    ]


def spacing_mistakes(text: str) -> list[str]:
    """Each : ; ? ! of `text`'s prose not preceded by a no-break space, in its context."""
    mistakes = []
    for index in _prose_positions(text):
        before = text[index - 1] if index else ""
        if before in (NBSP, "", "\n") or before in PUNCTUATION:  # "?!" takes one space
            continue
        mistakes.append(text[max(0, index - 20) : index + 1])
    mistakes += [match.group() for match in GUILLEMETS_UNSPACED.finditer(text)]
    return mistakes


def fix_spacing(text: str) -> str:
    """`text` with a no-break space before each : ; ? ! of its prose (a plain space before
    one becomes a no-break space)."""
    characters = list(text)
    for index in reversed(_prose_positions(text)):
        before = text[index - 1] if index else ""
        if before in (NBSP, "", "\n") or before in PUNCTUATION:
            continue
        if before == " ":
            characters[index - 1] = NBSP
        else:
            characters.insert(index, NBSP)
    text = "".join(characters)
    text = re.sub(r"« ?(?=[^\u00a0])", "«" + NBSP, text)
    return re.sub(r"(?<=[^\u00a0]) ?»", NBSP + "»", text)


if __name__ == "__main__":
    # After merging catalogues: `.venv/bin/python -m mentorship.tests.french_typography`,
    # then `make messages` (which rewraps the file as gettext does and compiles it).
    import sys

    import polib

    path = sys.argv[1] if len(sys.argv) > 1 else "locale/fr/LC_MESSAGES/django.po"
    catalogue = polib.pofile(path)
    for entry in catalogue:
        if entry.obsolete:
            continue
        entry.msgstr = fix_spacing(entry.msgstr)
        for key, text in entry.msgstr_plural.items():
            entry.msgstr_plural[key] = fix_spacing(text)
    catalogue.save(path)
