"""Fill the stored funnel columns of every participant from the steps as defined today.

The definitions are those of dashboard.selectors `_step_definitions` and `funnel_columns`
at the time of this migration, written out here on the historical models (a migration
imports no app code). From here on the services keep the columns right
(programs/funnel.py), and `manage.py funnel_recompute` recomputes them with the live
definitions.
"""

from django.db import migrations
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Subquery, Value, When

PUBLISHED = ("active", "ended")
IN_A_ROW = 5
COLUMNS = ("funnel_depth", "funnel_met_at", "funnel_completed", "funnel_evaluated")


def columns(apps) -> dict:
    Application = apps.get_model("intake", "Application")
    Survey = apps.get_model("surveys", "Survey")
    Match = apps.get_model("matching", "Match")
    Orientation = apps.get_model("mentoring_sessions", "Orientation")
    Meeting = apps.get_model("mentoring_sessions", "Meeting")
    EvaluationRequest = apps.get_model("evaluation", "EvaluationRequest")

    def in_match(**filters) -> Q:
        matches = Match.objects.filter(status__in=PUBLISHED, **filters)
        return Q(Exists(matches.filter(mentee=OuterRef("pk")))) | Q(
            Exists(matches.filter(mentor=OuterRef("pk")))
        )

    def flag(q: Q) -> Case:
        return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())

    in_a_row = [
        Q(
            Exists(
                Application.objects.filter(
                    program=OuterRef("program"), applicant=OuterRef("user"), status="accepted"
                )
            )
        ),
        Q(Exists(Survey.objects.filter(participant=OuterRef("pk"), status="submitted"))),
        in_match(),
        Q(Exists(Orientation.attendees.through.objects.filter(participant_id=OuterRef("pk")))),
        in_match(
            worksheet__mentee_agreed_at__isnull=False, worksheet__mentor_agreed_at__isnull=False
        ),
    ]
    matches = Match.objects.filter(status__in=PUBLISHED).filter(
        Q(mentee=OuterRef(OuterRef("pk"))) | Q(mentor=OuterRef(OuterRef("pk")))
    )
    first_met = Meeting.objects.filter(status="scheduled", match__in=matches)
    return {
        "funnel_depth": Case(
            *(When(~q, then=Value(index)) for index, q in enumerate(in_a_row)),
            default=Value(IN_A_ROW),
        ),
        "funnel_met_at": Subquery(first_met.order_by("starts_at").values("starts_at")[:1]),
        "funnel_completed": flag(in_match(status="ended", end_reason="completed")),
        "funnel_evaluated": flag(
            Q(Exists(EvaluationRequest.objects.filter(participant=OuterRef("pk"), responded=True)))
        ),
    }


def fill(apps, schema_editor) -> None:
    Participant = apps.get_model("programs", "Participant")
    fresh = {f"computed_{name}": value for name, value in columns(apps).items()}
    rows = list(Participant.objects.order_by("pk").annotate(**fresh).values_list("pk", *fresh))
    filled = [Participant(pk=pk, **dict(zip(COLUMNS, values, strict=True))) for pk, *values in rows]
    Participant.objects.bulk_update(filled, COLUMNS, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0008_participant_funnel_columns"),
        ("intake", "0002_application_keyed_in_from_paper"),
        ("surveys", "0001_surveys"),
        ("matching", "0006_preference_same_race_ethnicity"),
        ("mentoring_sessions", "0010_group_session_cancelled_with_reason"),
        ("evaluation", "0002_alumni_followups"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
