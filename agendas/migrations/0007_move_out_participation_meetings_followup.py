"""Participation, meetings and follow-up work move to apps of their own.

State only: the tables stay, and the apps that now hold the models take them over in their
0001 (see participation/migrations/0001_initial.py).
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
                migrations.RemoveField(
                    model_name='inputoutcome',
                    name='advice',
                ),
                migrations.RemoveField(
                    model_name='comment',
                    name='author',
                ),
                migrations.RemoveField(
                    model_name='comment',
                    name='parent',
                ),
                migrations.RemoveField(
                    model_name='comment',
                    name='proposal',
                ),
                migrations.RemoveField(
                    model_name='moderationlog',
                    name='comment',
                ),
                migrations.RemoveField(
                    model_name='commentreport',
                    name='comment',
                ),
                migrations.RemoveField(
                    model_name='inputoutcome',
                    name='comment',
                ),
                migrations.RemoveField(
                    model_name='commentreport',
                    name='handled_by',
                ),
                migrations.RemoveField(
                    model_name='commentreport',
                    name='reporter',
                ),
                migrations.RemoveField(
                    model_name='moderationlog',
                    name='report',
                ),
                migrations.RemoveField(
                    model_name='inputoutcome',
                    name='proposal',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='gebiedsteam',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='proposals',
                ),
                migrations.RemoveField(
                    model_name='meeting',
                    name='wijken',
                ),
                migrations.RemoveField(
                    model_name='moderationlog',
                    name='moderator',
                ),
                migrations.RemoveField(
                    model_name='proposal',
                    name='actions',
                ),
                migrations.RemoveField(
                    model_name='proposal',
                    name='agenda_items',
                ),
                migrations.RemoveField(
                    model_name='proposal',
                    name='author',
                ),
                migrations.RemoveField(
                    model_name='proposal',
                    name='gebiedsteam',
                ),
                migrations.RemoveField(
                    model_name='proposal',
                    name='wijken',
                ),
                migrations.RemoveField(
                    model_name='reminder',
                    name='content_type',
                ),
                migrations.RemoveField(
                    model_name='reminder',
                    name='recipient',
                ),
                migrations.RemoveField(
                    model_name='report',
                    name='gebiedsteam',
                ),
                migrations.RemoveField(
                    model_name='report',
                    name='requested_by',
                ),
                migrations.DeleteModel(
                    name='Advice',
                ),
                migrations.DeleteModel(
                    name='Comment',
                ),
                migrations.DeleteModel(
                    name='CommentReport',
                ),
                migrations.DeleteModel(
                    name='InputOutcome',
                ),
                migrations.DeleteModel(
                    name='Meeting',
                ),
                migrations.DeleteModel(
                    name='ModerationLog',
                ),
                migrations.DeleteModel(
                    name='Proposal',
                ),
                migrations.DeleteModel(
                    name='Reminder',
                ),
                migrations.DeleteModel(
                    name='Report',
                ),
            ],
        ),
    ]
