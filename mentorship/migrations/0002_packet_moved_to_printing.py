"""The Packet model moved to printing/ (issue 15): gone from mentorship's state only.

The table `mentorship_packet` stays (printing.Packet sets db_table to it), and so do its rows.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("mentorship", "0001_packets"),
        ("printing", "0001_packet_moved_from_mentorship"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Packet")],
            database_operations=[],
        ),
    ]
