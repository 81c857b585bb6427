"""show_refusal: a service's refusal lands next to the field it names, or as one message."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from core.flash import show_refusal


class NoteForm(forms.Form):
    note = forms.CharField()


def _form() -> NoteForm:
    form = NoteForm({"note": "typed"})
    assert form.is_valid()
    return form


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_an_error_about_a_field_of_the_form_is_shown_next_to_it():
    form = _form()
    show_refusal(_request(), ValidationError({"note": "Too short."}), form=form)
    assert form.errors == {"note": ["Too short."]}


def test_an_error_about_something_the_form_lacks_goes_to_its_top_instead_of_crashing():
    form = _form()
    show_refusal(_request(), ValidationError({"elsewhere": "No."}), form=form)
    assert form.non_field_errors() == ["No."] and "note" not in form.errors


def test_a_plain_error_goes_to_the_top_of_the_form():
    form = _form()
    show_refusal(_request(), ValidationError("Closed."), form=form)
    assert form.non_field_errors() == ["Closed."]


def test_at_top_keeps_even_a_field_named_error_at_the_top():
    form = _form()
    show_refusal(_request(), ValidationError({"note": "About an action."}), form=form, at_top=True)
    assert form.non_field_errors() == ["About an action."] and "note" not in form.errors


def test_without_a_form_the_refusal_is_one_error_message():
    request = _request()
    show_refusal(request, ValidationError(["One.", "Two."]))
    [message] = list(get_messages(request))
    assert message.level_tag == "error" and message.message == "One. Two."
