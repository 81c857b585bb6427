import datetime
import re

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of the union with an account; the e-mail address is the login."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("full name"), max_length=150)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Pages and e-mails are shown in this language."),
    )
    optional_reminders = models.BooleanField(
        _("reminders by e-mail"),
        default=True,
        help_text=_(
            "Reminders about forms and meetings. Decisions, matches and invitations are "
            "always sent."
        ),
    )
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


def validate_phone(value: str) -> None:
    digits = re.sub(r"\D", "", value.split("ext")[0].split("x")[0])
    if not re.fullmatch(
        r"[+\d\s().\-]+((ext\.?|x)\s*\d{1,6})?", value.strip(), re.IGNORECASE
    ) or not (7 <= len(digits) <= 15):
        raise ValidationError(
            _("Enter a phone number with 7 to 15 digits, for example 604-555-0123."),
            code="invalid_phone",
        )


def validate_date_of_birth(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError(_("The date of birth cannot be in the future."), code="future")
    if value.year < 1900:
        raise ValidationError(_("Enter a date of birth after 1900."), code="too_old")


class Profile(models.Model):
    """What a member tells the program about themselves; demographics are optional.

    Demographic answers (gender, date of birth, race/ethnicity) are seen by the
    coordinators of the member's programs only, and used for class summaries in
    aggregate. Everything here can be left blank.
    """

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        NON_BINARY = "non_binary", _("Non-binary")
        TWO_SPIRIT = "two_spirit", _("Two-Spirit")
        SELF_DESCRIBED = "self_described", _("I describe my gender as…")
        PREFER_NOT = "prefer_not", _("Prefer not to say")

    class RaceEthnicity(models.TextChoices):
        INDIGENOUS = "indigenous", _("Indigenous (First Nations, Métis, Inuit)")
        BLACK = "black", _("Black")
        EAST_ASIAN = "east_asian", _("East Asian")
        SOUTH_ASIAN = "south_asian", _("South Asian")
        SOUTHEAST_ASIAN = "southeast_asian", _("Southeast Asian")
        LATIN_AMERICAN = "latin_american", _("Latin American")
        MIDDLE_EASTERN = "middle_eastern", _("Middle Eastern or North African")
        WHITE = "white", _("White")
        SELF_DESCRIBED = "self_described", _("I describe myself as…")
        PREFER_NOT = "prefer_not", _("Prefer not to say")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    phone = models.CharField(
        _("phone"),
        max_length=30,
        blank=True,
        validators=[validate_phone],
        help_text=_("For example 604-555-0123 or +1 604 555 0123, ext. 12."),
    )
    contact_email = models.EmailField(
        _("e-mail for your mentor or mentee"),
        blank=True,
        help_text=_("Leave blank to use the address you log in with."),
    )
    local_union = models.CharField(_("local union"), max_length=100, blank=True)
    union_role = models.CharField(_("role in the union"), max_length=200, blank=True)
    languages = models.JSONField(_("languages spoken other than English"), default=list, blank=True)
    region = models.CharField(
        _("region or location"),
        max_length=100,
        blank=True,
        help_text=_("For example: Lower Mainland, Prince George, Kamloops."),
    )
    date_of_birth = models.DateField(
        _("date of birth"), null=True, blank=True, validators=[validate_date_of_birth]
    )
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    gender_self_described = models.CharField(_("gender, in your words"), max_length=100, blank=True)
    race_ethnicity = models.JSONField(_("race or ethnicity"), default=list, blank=True)
    race_ethnicity_self_described = models.CharField(
        _("race or ethnicity, in your words"), max_length=100, blank=True
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Special-category answers: coordinators only, aggregates elsewhere.
    DEMOGRAPHIC_FIELDS = (
        "gender",
        "gender_self_described",
        "date_of_birth",
        "race_ethnicity",
        "race_ethnicity_self_described",
    )
    # What a matched partner may see, besides the member's name.
    CONTACT_FIELDS = ("phone", "contact_email", "local_union", "union_role", "languages", "region")

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)


class PersonalDataView(models.Model):
    """Who looked at a member's special-category data (demographics), when, and where."""

    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_data_viewed"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="personal_data_views"
    )
    program = models.ForeignKey(
        "programs.Program", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    page = models.CharField(_("page"), max_length=100)
    viewed_at = models.DateTimeField(_("viewed"), auto_now_add=True)

    class Meta:
        verbose_name = _("view of personal data")
        verbose_name_plural = _("views of personal data")
        ordering = ["-viewed_at"]
        indexes = [models.Index(fields=["subject", "-viewed_at"])]

    def __str__(self) -> str:
        return f"{self.viewer} viewed {self.subject} ({self.page})"
