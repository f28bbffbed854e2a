"""Participation, meetings and follow-up work move to apps of their own.

State only: the tables stay, and the apps that now hold the models take them over in their
0001 (see participation/migrations/0001_initial.py). Models that refer to others go first.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('agendas', '0006_item_areas'),
        ('participation', '0001_initial'),
        ('meetings', '0001_initial'),
        ('followup', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='InputOutcome'),
                migrations.DeleteModel(name='ModerationLog'),
                migrations.DeleteModel(name='CommentReport'),
                migrations.DeleteModel(name='Comment'),
                migrations.DeleteModel(name='Advice'),
                migrations.DeleteModel(name='Meeting'),
                migrations.DeleteModel(name='Proposal'),
                migrations.DeleteModel(name='Reminder'),
                migrations.DeleteModel(name='Report'),
            ],
        ),
    ]
