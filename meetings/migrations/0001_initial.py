"""Meetings, moved here from agendas.

The tables stay where agendas made them: this migration only tells Django's state that the
models now live in `meetings`, on their old tables (`agendas_*`); 0002 then renames the tables
and moves the content types, so rows, generic relations and permissions keep their ids. Each
model is created whole, with its constraints and indexes, so that rendering the state stays
cheap.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('agendas', '0006_item_areas'),
        ('areas', '0001_initial'),
        ('participation', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Meeting',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('gebiedsteam', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='meetings', to='areas.gebiedsteam', verbose_name='gebiedsteam')),
                        ('kind', models.CharField(choices=[('innovatielab', 'innovatielab'), ('wijkdialoog', 'wijkdialoog'), ('academie', 'academie'), ('wijkraad', 'wijkraad meeting'), ('inloop', 'drop-in')], max_length=14, verbose_name='kind')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('starts_at', models.DateTimeField(verbose_name='starts at')),
                        ('ends_at', models.DateTimeField(verbose_name='ends at')),
                        ('location_name', models.CharField(blank=True, max_length=150, verbose_name='place')),
                        ('address', models.CharField(blank=True, max_length=200, verbose_name='address')),
                        ('longitude', models.FloatField(blank=True, null=True, verbose_name='longitude')),
                        ('latitude', models.FloatField(blank=True, null=True, verbose_name='latitude')),
                        ('public', models.BooleanField(default=True, verbose_name='public')),
                        ('minutes', models.TextField(blank=True, help_text='Markdown.', verbose_name='minutes')),
                        ('revision', models.PositiveIntegerField(default=0, editable=False, help_text='Goes up by one with every saved edit; a stale form is refused.', verbose_name='revision')),
                        ('wijken', models.ManyToManyField(blank=True, related_name='meetings', to='areas.wijk', verbose_name='wijken')),
                        ('proposals', models.ManyToManyField(blank=True, related_name='meetings', to='participation.proposal', verbose_name='proposals discussed')),
                    ],
                    options={
                        'verbose_name': 'meeting',
                        'verbose_name_plural': 'meetings',
                        'ordering': ['starts_at'],
                        'indexes': [models.Index(fields=['starts_at'], name='agendas_meeting_start_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('ends_at__gte', models.F('starts_at'))), name='agendas_meeting_ends_after_start', violation_error_message='A meeting ends after it starts.'), models.CheckConstraint(condition=models.Q(models.Q(('latitude__isnull', True), ('longitude__isnull', True)), models.Q(('latitude__gte', -90), ('latitude__lte', 90), ('longitude__gte', -180), ('longitude__lte', 180)), _connector='OR'), name='agendas_meeting_location_valid', violation_error_message='A location needs both coordinates, within range.')],
                        'db_table': 'agendas_meeting',
                    },
                ),
            ],
        ),
    ]
