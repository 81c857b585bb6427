"""The Packet model moves here from mentorship (issue 15); its table stays as it is.

State only: the table `mentorship_packet` was created by mentorship's 0001_packets and keeps
its rows; mentorship's 0002 removes the model from mentorship's state.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("mentorship", "0001_packets"),
        ("programs", "0003_program_paper_size"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Packet",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Waiting to start"),
                                    ("running", "Being built"),
                                    ("done", "Ready"),
                                    ("failed", "Failed"),
                                ],
                                default="queued",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        ("done_items", models.PositiveIntegerField(default=0)),
                        ("total_items", models.PositiveIntegerField(default=0)),
                        ("file", models.FileField(blank=True, upload_to="packets/")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "program",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="packets",
                                to="programs.program",
                            ),
                        ),
                        (
                            "requested_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "packet of forms",
                        "verbose_name_plural": "packets of forms",
                        "ordering": ["-created_at"],
                        "db_table": "mentorship_packet",
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("status__in", ["queued", "running"])),
                                fields=("program",),
                                name="mentorship_packet_one_in_progress_per_program",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
