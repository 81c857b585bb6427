import pytest
from django.urls import reverse

from accounts.models import Profile
from core.testing import post_loaded

pytestmark = pytest.mark.django_db

VALID = {
    "phone": "+1 604 555 0123 ext. 4",
    "contact_email": "rosa.home@example.org",
    "local_union": "Local 2009",
    "union_role": "Steward",
    "languages": "french, Punjabi ,  French",
    "region": "Lower Mainland",
    "date_of_birth": "1985-06-01",
    "gender": "woman",
    "race_ethnicity": ["south_asian", "white"],
}


def test_member_edits_their_profile(client_as, cast):
    client = client_as("member")
    response = post_loaded(client, reverse("accounts:profile"), VALID)
    assert response.status_code == 302
    profile = Profile.objects.get(user=cast.member)
    assert profile.languages == ["French", "Punjabi"]
    assert profile.race_ethnicity == ["south_asian", "white"]
    assert profile.date_of_birth.year == 1985
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'value="French, Punjabi"' in page
    assert "Why we ask" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "555", "7 to 15 digits"),
        ("contact_email", "not an address", "Enter a valid email address."),
        ("date_of_birth", "2100-01-01", "cannot be in the future"),
        ("date_of_birth", "1850-01-01", "after 1900"),
        ("union_role", "x" * 201, "at most 200 characters"),
        ("gender", "self_described", "Tell us how you describe your gender"),
    ],
)
def test_bad_input_is_refused_and_nothing_typed_is_lost(client_as, cast, field, value, message):
    response = post_loaded(
        client_as("member"), reverse("accounts:profile"), {**VALID, field: value}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "Lower Mainland" in html and "Please correct the following" in html
    assert not Profile.objects.filter(user=cast.member).exists()
