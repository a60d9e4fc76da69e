"""The editorial workflow: drafts of live records (with the publish_draft
permission) and the content version that every content change bumps.

Squashed; ``replaces`` lists the old migrations whose operations are here.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [
        ('roles', '0003_content_version'),
        ('roles', '0003_i12_workflow'),
    ]

    dependencies = [
        ('roles', '0002_questionnaire'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ContentVersion',
            fields=[
                ('id', models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ('value', models.PositiveBigIntegerField(default=1)),
                ('next_change_at', models.DateTimeField(blank=True, null=True)),
                ('schedule_known', models.BooleanField(default=False)),
                ('changed_at', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'content version',
            },
        ),
        migrations.CreateModel(
            name='Draft',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='last changed')),
                ('kind', models.CharField(choices=[('roles', 'Role'), ('comparisons', 'Comparison'), ('questions', 'Question')], max_length=20)),
                ('object_id', models.PositiveBigIntegerField(help_text='The live record this draft changes.')),
                ('title', models.CharField(help_text="The record's name, for lists.", max_length=200)),
                ('doc', models.JSONField(help_text="The record's content document.", verbose_name='content')),
                ('state', models.CharField(choices=[('draft', 'Draft'), ('in_review', 'Awaiting review'), ('rejected', 'Changes requested'), ('scheduled', 'Scheduled'), ('published', 'Published'), ('discarded', 'Discarded')], default='draft', max_length=20)),
                ('go_live_at', models.DateTimeField(blank=True, help_text='When a scheduled draft replaces the live version.', null=True, verbose_name='publish at')),
                ('review_comment', models.TextField(blank=True, help_text='Why a reviewer sent the draft back.')),
                ('published_at', models.DateTimeField(blank=True, null=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('submitted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-updated_at'],
                'permissions': [('publish_draft', 'Can publish or schedule content')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('state__in', ('draft', 'in_review', 'rejected', 'scheduled'))), fields=('kind', 'object_id'), name='draft_one_open_per_record'), models.CheckConstraint(condition=models.Q(models.Q(('state', 'scheduled'), _negated=True), ('go_live_at__isnull', False), _connector='OR'), name='draft_scheduled_has_time')],
            },
        ),
    ]
