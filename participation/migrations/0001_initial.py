"""Proposals, comments, advice, outcomes and moderation, moved here from agendas.

The tables stay where agendas made them: this migration only tells Django's state that the
models now live in `participation`, on their old tables (`agendas_*`); 0002 then renames the tables
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
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Proposal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('gebiedsteam', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='proposals', to='areas.gebiedsteam', verbose_name='gebiedsteam')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('slug', models.SlugField(max_length=200, unique=True, verbose_name='slug')),
                        ('body', models.TextField(help_text='Markdown.', verbose_name='text')),
                        ('longitude', models.FloatField(blank=True, null=True, verbose_name='longitude')),
                        ('latitude', models.FloatField(blank=True, null=True, verbose_name='latitude')),
                        ('area', models.JSONField(blank=True, help_text='Optional. The area the proposal covers: a GeoJSON Polygon in WGS84.', null=True, verbose_name='area')),
                        ('opens_at', models.DateTimeField(verbose_name='comments open')),
                        ('closes_at', models.DateTimeField(verbose_name='comments close')),
                        ('status', models.CharField(choices=[('draft', 'draft'), ('open', 'open for comments'), ('consideration', 'under consideration'), ('decided', 'decided'), ('withdrawn', 'withdrawn')], default='draft', max_length=14, verbose_name='status')),
                        ('council_only', models.BooleanField(default=False, help_text='Only the wijkraden concerned can read it.', verbose_name='council only')),
                        ('decision', models.TextField(blank=True, verbose_name='decision')),
                        ('input_feedback', models.TextField(blank=True, verbose_name='what we did with the input')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                        ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                        ('wijken', models.ManyToManyField(related_name='proposals', to='areas.wijk', verbose_name='wijken')),
                        ('agenda_items', models.ManyToManyField(blank=True, related_name='proposals', to='agendas.agendaitem', verbose_name='agenda items')),
                        ('actions', models.ManyToManyField(blank=True, related_name='proposals', to='agendas.action', verbose_name='actions carrying out the decision')),
                    ],
                    options={
                        'verbose_name': 'proposal',
                        'verbose_name_plural': 'proposals',
                        'ordering': ['-opens_at'],
                        'indexes': [models.Index(fields=['status', 'closes_at'], name='agendas_proposal_status_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('closes_at__gt', models.F('opens_at'))), name='agendas_proposal_period_in_order', violation_error_message='The comment period must close after it opens.'), models.CheckConstraint(condition=models.Q(('status__in', ['draft', 'open', 'consideration', 'decided', 'withdrawn'])), name='agendas_proposal_status_known', violation_error_message='Unknown status.'), models.CheckConstraint(condition=models.Q(models.Q(('status', 'decided'), _negated=True), models.Q(('input_feedback', ''), _negated=True), _connector='OR'), name='agendas_proposal_decided_has_feedback', violation_error_message='A decision says what was done with the input.'), models.CheckConstraint(condition=models.Q(models.Q(('latitude__isnull', True), ('longitude__isnull', True)), models.Q(('latitude__gte', -90), ('latitude__lte', 90), ('longitude__gte', -180), ('longitude__lte', 180)), _connector='OR'), name='agendas_proposal_location_valid', violation_error_message='A location needs both coordinates, within range.')],
                        'db_table': 'agendas_proposal',
                    },
                ),
                migrations.CreateModel(
                    name='Comment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comments', to='participation.proposal', verbose_name='proposal')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='replies', to='participation.comment', verbose_name='reply to')),
                        ('author', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='author')),
                        ('body', models.TextField(max_length=5000, verbose_name='text')),
                        ('is_team_response', models.BooleanField(default=False, verbose_name='team response')),
                        ('moderation', models.CharField(choices=[('visible', 'visible'), ('hidden', 'hidden by a moderator'), ('removed', 'removed by its author')], default='visible', max_length=10, verbose_name='moderation')),
                        ('moderation_reason', models.CharField(blank=True, max_length=300, verbose_name='reason')),
                        ('edited_at', models.DateTimeField(blank=True, null=True, verbose_name='edited at')),
                    ],
                    options={
                        'verbose_name': 'comment',
                        'verbose_name_plural': 'comments',
                        'ordering': ['proposal', 'created_at'],
                        'indexes': [models.Index(fields=['proposal', 'parent', 'created_at'], name='agendas_comment_thread_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('moderation__in', ['visible', 'hidden', 'removed'])), name='agendas_comment_moderation_known', violation_error_message='Unknown moderation state.'), models.CheckConstraint(condition=models.Q(models.Q(('moderation', 'hidden'), _negated=True), models.Q(('moderation_reason', ''), _negated=True), _connector='OR'), name='agendas_comment_hidden_has_reason', violation_error_message='Hiding a comment needs a reason.')],
                        'db_table': 'agendas_comment',
                    },
                ),
                migrations.CreateModel(
                    name='Advice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='advices', to='participation.proposal', verbose_name='proposal')),
                        ('wijkraad', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='advices', to='areas.wijkraad', verbose_name='wijkraad')),
                        ('deadline', models.DateTimeField(verbose_name='deadline')),
                        ('verdict', models.CharField(blank=True, choices=[('positive', 'positive'), ('conditional', 'positive with conditions'), ('negative', 'negative')], max_length=12, verbose_name='verdict')),
                        ('text', models.TextField(blank=True, verbose_name='advice')),
                        ('submitted_at', models.DateTimeField(blank=True, null=True, verbose_name='submitted at')),
                        ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                        ('response', models.TextField(blank=True, verbose_name='response of the municipality')),
                        ('responded_at', models.DateTimeField(blank=True, null=True, verbose_name='responded at')),
                        ('responded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='responded by')),
                    ],
                    options={
                        'verbose_name': 'advice',
                        'verbose_name_plural': 'advices',
                        'ordering': ['proposal', 'deadline'],
                        'constraints': [models.UniqueConstraint(fields=('proposal', 'wijkraad'), name='agendas_advice_once_per_council'), models.CheckConstraint(condition=models.Q(('submitted_at__isnull', True), models.Q(('verdict', ''), _negated=True), _connector='OR'), name='agendas_advice_submitted_has_verdict', violation_error_message='Submitted advice needs a verdict.')],
                        'indexes': [],
                        'db_table': 'agendas_advice',
                    },
                ),
                migrations.CreateModel(
                    name='InputOutcome',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('proposal', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='input_outcomes', to='participation.proposal', verbose_name='proposal')),
                        ('comment', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='outcomes', to='participation.comment', verbose_name='comment')),
                        ('advice', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='outcomes', to='participation.advice', verbose_name='advice')),
                        ('outcome', models.CharField(choices=[('adopted', 'adopted'), ('partly', 'partly adopted'), ('not_adopted', 'not adopted')], max_length=12, verbose_name='outcome')),
                        ('reason', models.TextField(verbose_name='why')),
                    ],
                    options={
                        'verbose_name': 'what was done with the input',
                        'verbose_name_plural': 'what was done with the input',
                        'ordering': ['proposal', 'pk'],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('advice__isnull', True), ('comment__isnull', False)), models.Q(('advice__isnull', False), ('comment__isnull', True)), _connector='OR'), name='agendas_inputoutcome_one_input', violation_error_message='An outcome is about one comment or one advice.'), models.CheckConstraint(condition=models.Q(('outcome__in', ['adopted', 'partly', 'not_adopted'])), name='agendas_inputoutcome_outcome_known', violation_error_message='Unknown outcome.'), models.UniqueConstraint(condition=models.Q(('comment__isnull', False)), fields=('proposal', 'comment'), name='agendas_inputoutcome_once_per_comment'), models.UniqueConstraint(condition=models.Q(('advice__isnull', False)), fields=('proposal', 'advice'), name='agendas_inputoutcome_once_per_advice')],
                        'indexes': [],
                        'db_table': 'agendas_inputoutcome',
                    },
                ),
                migrations.CreateModel(
                    name='CommentReport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('comment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='participation.comment', verbose_name='comment')),
                        ('reporter', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reported by')),
                        ('reason', models.TextField(max_length=1000, verbose_name='reason')),
                        ('status', models.CharField(choices=[('open', 'open'), ('hidden', 'comment hidden'), ('dismissed', 'dismissed')], default='open', max_length=10, verbose_name='status')),
                        ('handled_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='handled by')),
                        ('handled_at', models.DateTimeField(blank=True, null=True, verbose_name='handled at')),
                    ],
                    options={
                        'verbose_name': 'comment report',
                        'verbose_name_plural': 'comment reports',
                        'ordering': ['created_at', 'pk'],
                        'indexes': [models.Index(fields=['status', 'created_at'], name='agendas_report_queue_idx')],
                        'constraints': [models.UniqueConstraint(fields=('comment', 'reporter'), name='agendas_commentreport_once_per_reporter'), models.CheckConstraint(condition=models.Q(('status__in', ['open', 'hidden', 'dismissed'])), name='agendas_commentreport_status_known', violation_error_message='Unknown status.')],
                        'db_table': 'agendas_commentreport',
                    },
                ),
                migrations.CreateModel(
                    name='ModerationLog',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('comment', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='moderation_log', to='participation.comment', verbose_name='comment')),
                        ('report', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='participation.commentreport', verbose_name='report')),
                        ('moderator', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='moderator')),
                        ('act', models.CharField(choices=[('hide', 'hidden'), ('restore', 'shown again'), ('dismiss', 'report dismissed')], max_length=8, verbose_name='act')),
                        ('reason', models.TextField(blank=True, verbose_name='reason')),
                    ],
                    options={
                        'verbose_name': 'moderation act',
                        'verbose_name_plural': 'moderation log',
                        'ordering': ['-created_at', '-pk'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('act__in', ['hide', 'restore', 'dismiss'])), name='agendas_moderationlog_act_known', violation_error_message='Unknown moderation act.')],
                        'indexes': [],
                        'db_table': 'agendas_moderationlog',
                    },
                ),
            ],
        ),
    ]
