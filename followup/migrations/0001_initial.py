"""Reminders and reports, moved here from agendas.

The tables stay where agendas made them: this migration only tells Django's state that the
models now live in `followup`, on their old tables (`agendas_*`); 0002 then renames the tables
and moves the content types, so rows, generic relations and permissions keep their ids. Each
model is created whole, with its constraints and indexes, so that rendering the state stays
cheap.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '__first__'),
        ('agendas', '0006_item_areas'),
        ('areas', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Reminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('kind', models.CharField(choices=[('action_due_soon', 'action due within 7 days'), ('action_overdue', 'action overdue'), ('action_stalled', 'action without a progress update'), ('proposal_closing', 'comment period closes within 48 hours'), ('advice_deadline', 'advice deadline within 5 days'), ('proposal_undecided', 'proposal without a decision'), ('advice_unanswered', 'advice without a response'), ('agenda_review', 'wijkagenda review date within 30 days'), ('meeting_soon', 'meeting within 48 hours')], max_length=24, verbose_name='kind')),
                        ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype', verbose_name='subject type')),
                        ('object_id', models.PositiveBigIntegerField(verbose_name='subject id')),
                        ('recipient', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recipient')),
                        ('recipient_email', models.EmailField(max_length=254, verbose_name='recipient e-mail')),
                        ('due_moment', models.DateTimeField(verbose_name='due moment')),
                        ('queued_at', models.DateTimeField(blank=True, null=True, verbose_name='queued at')),
                        ('claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='claimed at')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                    ],
                    options={
                        'verbose_name': 'reminder',
                        'verbose_name_plural': 'reminders',
                        'ordering': ['-created_at', '-pk'],
                        'indexes': [models.Index(condition=models.Q(('sent_at__isnull', True)), fields=['kind', 'queued_at'], name='agendas_reminder_unsent_idx')],
                        'constraints': [models.UniqueConstraint(fields=('kind', 'content_type', 'object_id', 'recipient_email', 'due_moment'), name='agendas_reminder_once'), models.CheckConstraint(condition=models.Q(('kind__in', ['action_due_soon', 'action_overdue', 'action_stalled', 'proposal_closing', 'advice_deadline', 'proposal_undecided', 'advice_unanswered', 'agenda_review', 'meeting_soon'])), name='agendas_reminder_kind_known', violation_error_message='Unknown kind of reminder.')],
                        'db_table': 'agendas_reminder',
                    },
                ),
                migrations.CreateModel(
                    name='Report',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('gebiedsteam', models.ForeignKey(blank=True, help_text='Empty for a city-wide report.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='areas.gebiedsteam', verbose_name='gebiedsteam')),
                        ('period', models.CharField(choices=[('month', 'month'), ('quarter', 'quarter'), ('year', 'year')], max_length=8, verbose_name='period')),
                        ('start', models.DateField(verbose_name='first day')),
                        ('end', models.DateField(verbose_name='last day')),
                        ('status', models.CharField(choices=[('queued', 'queued'), ('running', 'being built'), ('done', 'ready'), ('failed', 'failed')], default='queued', max_length=8, verbose_name='status')),
                        ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='progress (%)')),
                        ('requested_by', models.ForeignKey(blank=True, help_text='Empty for the monthly reports that are made automatically.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='requested by')),
                        ('data', models.JSONField(blank=True, default=dict, verbose_name='figures')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                    ],
                    options={
                        'verbose_name': 'report',
                        'verbose_name_plural': 'reports',
                        'ordering': ['-created_at', '-pk'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('progress__gte', 0), ('progress__lte', 100)), name='agendas_report_progress_percentage', violation_error_message='Progress lies between 0 and 100%.'), models.CheckConstraint(condition=models.Q(('end__gte', models.F('start'))), name='agendas_report_period_in_order', violation_error_message='The last day lies before the first day.'), models.CheckConstraint(condition=models.Q(('period__in', ['month', 'quarter', 'year'])), name='agendas_report_period_known', violation_error_message='Unknown period.'), models.CheckConstraint(condition=models.Q(('status__in', ['queued', 'running', 'done', 'failed'])), name='agendas_report_status_known', violation_error_message='Unknown status.'), models.UniqueConstraint(condition=models.Q(('gebiedsteam__isnull', False), ('requested_by__isnull', True)), fields=('gebiedsteam', 'period', 'start'), name='agendas_report_automatic_once')],
                        'indexes': [],
                        'db_table': 'agendas_report',
                    },
                ),
            ],
        ),
    ]
