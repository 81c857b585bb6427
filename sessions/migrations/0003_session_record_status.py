"""A session record is "Recorded" only when the mentor says so; until now every saved one was."""

from django.db import migrations, models

CHOICES = [("draft", "Draft"), ("recorded", "Recorded")]


class Migration(migrations.Migration):
    dependencies = [
        ("mentoring_sessions", "0002_meeting_starts_index"),
    ]

    operations = [
        # Records saved before this change were shown as recorded: they stay so.
        migrations.AddField(
            model_name="sessionrecord",
            name="status",
            field=models.CharField(
                choices=CHOICES, default="recorded", max_length=8, verbose_name="status"
            ),
        ),
        # From now on a new record starts as a draft.
        migrations.AlterField(
            model_name="sessionrecord",
            name="status",
            field=models.CharField(
                choices=CHOICES, default="draft", max_length=8, verbose_name="status"
            ),
        ),
    ]
