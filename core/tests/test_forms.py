"""Text is counted as the member sees it, limits are shown, nothing is cut (core/forms.py)."""

import importlib
import inspect

import pytest
from django import forms
from django.http import QueryDict

from core.forms import CommaListField, CountedTextMixin

DOMAIN_FORM_MODULES = [
    "accounts.forms",
    "dashboard.forms",
    "evaluation.forms",
    "intake.forms",
    "matching.forms",
    "programs.forms",
    "programs.activity_forms",
    "reminders.forms",
    "sessions.forms",
    "surveys.forms",
]
# Django's own admin forms for users; the admin is for staff, not members.
NOT_FOR_MEMBERS = {"AdminCreationForm", "AdminChangeForm"}

SEEN = ("An answer line, with its line break at the end of it. Sixty.\n"[-60:] * 49) + "x" * 60
ANSWER = SEEN.replace("\n", "\r\n")  # as the browser sends it


class Answer(CountedTextMixin, forms.Form):
    text = forms.CharField(max_length=3000, widget=forms.Textarea)
    name = forms.CharField(max_length=150)


class PlainAnswer(forms.Form):
    """The same form without the mechanism: the control that shows the tests can fail."""

    text = forms.CharField(max_length=3000, widget=forms.Textarea)
    name = forms.CharField(max_length=150)


def as_member_sees(text: str) -> str:
    return text.replace("\r\n", "\n")


def test_the_answer_is_3000_characters_as_seen_but_more_as_sent():
    assert as_member_sees(ANSWER) == SEEN
    assert len(SEEN) == 3000
    assert len(ANSWER) == 3049
    assert not PlainAnswer({"text": ANSWER, "name": "Rosa"}).is_valid()


@pytest.mark.parametrize("data", [dict, QueryDict])
def test_line_breaks_count_once(data):
    if data is QueryDict:
        submitted = QueryDict(mutable=True)
        submitted.update({"text": ANSWER, "name": "Rosa"})
    else:
        submitted = {"text": ANSWER, "name": "Rosa"}
    form = Answer(submitted)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["text"] == SEEN
    assert "\r" not in form.cleaned_data["text"]


def test_an_over_long_paste_is_refused_with_the_limit_and_kept_whole_in_the_box():
    essay = "word " * 11_600  # 58,000 characters
    form = Answer({"text": essay, "name": "Rosa"})
    assert not form.is_valid()
    [error] = form.errors["text"]
    assert "3000" in error and "57999" in error  # stripped of its last space
    html = str(form["text"])
    assert essay.strip() in html  # the whole text, nothing cut


def test_no_maxlength_for_the_browser_to_cut_with_and_the_limit_stated():
    html = str(Answer()["text"]) + str(Answer()["name"])
    assert "maxlength" not in html
    assert "maxlength" in str(PlainAnswer()["text"])  # Django's default, which we remove
    field = Answer()["text"]
    assert "At most 3,000 characters." in str(field.help_text)
    assert 'data-counter="3000"' in str(field)
    assert "data-counter-text=" in str(field)
    assert "data-counter" not in str(Answer()["name"])  # a short one-line box: no counter


def test_fields_added_after_init_are_counted_too():
    class Later(CountedTextMixin, forms.Form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["later"] = forms.CharField(max_length=500, widget=forms.Textarea)

    html = str(Later()["later"])
    assert "maxlength" not in html
    assert 'data-counter="500"' in html


def test_the_base_form_class_is_left_alone():
    """The copies are the form's own: another form of the same class still has its help."""
    Answer()["text"]
    assert Answer.base_fields["text"].help_text == ""
    assert "maxlength" in Answer.base_fields["text"].widget.attrs


@pytest.mark.parametrize("module", DOMAIN_FORM_MODULES)
def test_every_form_a_member_types_into_uses_the_mechanism(module):
    loaded = importlib.import_module(module)
    forms_here = [
        cls
        for _name, cls in inspect.getmembers(loaded, inspect.isclass)
        if cls.__module__ == module
        and issubclass(cls, forms.BaseForm)
        and cls.__name__ not in NOT_FOR_MEMBERS
    ]
    assert forms_here
    missing = [cls.__name__ for cls in forms_here if not issubclass(cls, CountedTextMixin)]
    assert missing == []


class Languages(CountedTextMixin, forms.Form):
    languages = CommaListField(required=False, max_length=300)


@pytest.mark.parametrize(
    ("stored", "shown"),
    [([], ""), (["[]"], ""), (["French", "Punjabi"], "French, Punjabi"), (["'ASL'"], "ASL")],
)
def test_a_stored_list_shows_as_the_names_never_as_brackets(stored, shown):
    html = str(Languages(initial={"languages": stored})["languages"])
    assert "[" not in html and "&#x27;" not in html
    assert f'value="{shown}"' in html if shown else "value=" not in html


@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("", []),
        ("[]", []),
        ("['French']", ["French"]),
        ("french, Punjabi ,  French", ["French", "Punjabi"]),
    ],
)
def test_typed_names_save_as_a_clean_list(typed, saved):
    form = Languages({"languages": typed})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["languages"] == saved


def test_names_keep_their_limits():
    assert not Languages({"languages": "x" * 301}).is_valid()
    assert not Languages({"languages": "y" * 41}).is_valid()
    assert Languages({"languages": "y" * 40}).is_valid()
