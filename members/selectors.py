"""Reads on a member's own data across every app: the "my data" download."""

from typing import Any

from django.db import models

from accounts.models import Profile, User
from accounts.selectors import profile_of
from evaluation.models import Feedback, LaterRole, Testimonial
from intake.models import Application, Nomination
from surveys.models import Survey

# An application's fields the download leaves out, each with why; every other field is
# exported (members/tests/test_export_fields.py fails on a field in neither).
APPLICATION_LEFT_OUT = {
    "id": "an internal number",
    "applicant": "the member themselves",
    "privacy_consent_at": "the same moment as submitted_at, which is exported",
    "nomination": "another member's nomination, exported to its nominator",
    "decision_note": "a coordinator's note, shown to the member on the application page",
    "decided_by": "a coordinator's identity",
    "decided_at": "bookkeeping of the decision, whose outcome is the exported status",
    "created_at": "bookkeeping",
    "updated_at": "bookkeeping",
}
# Model field -> its key in the download, where the two differ.
APPLICATION_EXPORT_KEYS = {"submitted_at": "submitted"}


def _value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def member_data(user: User) -> dict[str, Any]:
    """Everything the application keeps about the member, for their own download."""
    profile = profile_of(user)
    profile_fields = [*Profile.CONTACT_FIELDS, *Profile.DEMOGRAPHIC_FIELDS]
    data: dict[str, Any] = {
        "account": {
            "name": user.name,
            "email": user.email,
            "language": user.language,
            "date_joined": _value(user.date_joined),
        },
        "profile": {f: _value(getattr(profile, f)) for f in profile_fields},
        "programs": [
            {"program": p.program.name, "role": p.role, "joined": _value(p.joined_at)}
            for p in user.participations.select_related("program")
        ],
        "applications": [
            {
                "program": a.program.name,
                "role": a.role,
                "status": a.status,
                "submitted": _value(a.submitted_at),
                **{f: _value(getattr(a, f)) for f in Application.ANSWER_FIELDS},
            }
            for a in Application.objects.filter(applicant=user).select_related("program")
        ],
        "surveys": [
            {
                "program": s.participant.program.name,
                "status": s.status,
                "answers": {str(q.text): s.answers.get(q.key, "") for q in s.questions},
            }
            for s in Survey.objects.filter(participant__user=user).select_related(
                "participant__program"
            )
        ],
        "nominations_made": [
            {"program": n.program.name, "name": n.nominee_name, "email": n.nominee_email}
            for n in Nomination.objects.filter(nominator=user).select_related("program")
        ],
    }

    data["feedback_given"] = [
        {
            "program": f.match.program.name,
            "status": f.status,
            **{
                field.name: _value(getattr(f, field.name))
                for field in Feedback._meta.concrete_fields
                if isinstance(field, models.TextField)
            },
        }
        for f in Feedback.objects.filter(author__user=user).select_related("match__program")
    ]
    data["later_roles"] = [
        {
            field.name: _value(getattr(role, field.name))
            for field in LaterRole._meta.concrete_fields
            if field.name not in {"id", "participant"} and not field.is_relation
        }
        for role in LaterRole.objects.filter(participant__user=user)
    ]
    data["testimonials"] = [
        {"program": t.participant.program.name, "text": t.text, "status": t.status}
        for t in Testimonial.objects.filter(participant__user=user).select_related(
            "participant__program"
        )
    ]
    # Program evaluations are anonymous by design: nothing ties them to the member.
    mentor_profile = getattr(user, "mentor_profile", None)
    if mentor_profile is not None:
        data["mentor_profile"] = {
            f.name: _value(getattr(mentor_profile, f.name))
            for f in mentor_profile._meta.concrete_fields
            if f.name not in {"id", "user"}
        }
    return data


def member_data_rows(user: User) -> list[tuple[str, str, str]]:
    """The same data flattened to (section, field, value) rows for a spreadsheet."""
    rows: list[tuple[str, str, str]] = []

    def walk(section: str, value: Any, field: str = "") -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(section, inner, f"{field}.{key}" if field else str(key))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for index, item in enumerate(value, start=1):
                walk(f"{section} {index}", item, field)
        else:
            shown = ", ".join(map(str, value)) if isinstance(value, list) else value
            rows.append((section, field, "" if shown is None else str(shown)))

    for section, value in member_data(user).items():
        walk(section, value)
    return rows
