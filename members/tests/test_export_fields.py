"""A new Application field cannot silently drop out of the member's data download."""

import pytest

from intake import forms
from intake.models import Application
from intake.tests.factories import ApplicationFactory
from members.selectors import APPLICATION_EXPORT_KEYS, APPLICATION_LEFT_OUT, member_data

pytestmark = pytest.mark.django_db


def test_every_application_field_is_exported_or_deliberately_left_out(cast):
    ApplicationFactory(program=cast.program, applicant=cast.member)
    [exported] = member_data(cast.member)["applications"]
    for field in Application._meta.concrete_fields:
        key = APPLICATION_EXPORT_KEYS.get(field.name, field.name)
        in_export, left_out = key in exported, field.name in APPLICATION_LEFT_OUT
        assert in_export != left_out, (
            f"Application.{field.name}: export it in members/selectors.py member_data, "
            "or list it in APPLICATION_LEFT_OUT with why"
            if not in_export
            else f"Application.{field.name} is exported and also listed as left out"
        )


def test_the_left_out_list_names_only_real_fields():
    names = {field.name for field in Application._meta.concrete_fields}
    assert set(APPLICATION_LEFT_OUT) <= names


def test_the_form_the_service_and_the_export_share_one_answer_list():
    assert tuple(forms.ApplicationForm._meta.fields) == Application.ANSWER_FIELDS
