"""The demo's members: one password, and an account looked up by e-mail before it is made.

At the bottom of devdata: the per-app demo modules and `devdata.demo` import it, it imports
none of them (before, `mentorship.demo` and the apps' demo modules imported each other).
"""

from allauth.account.models import EmailAddress

from accounts.models import User

DEMO_PASSWORD = "mentorship-demo"


def ensure_member(email: str, name: str, language: str = "en") -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, name=name, language=language)
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user
