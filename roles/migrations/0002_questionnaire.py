"""The "Which role am I?" questionnaire: questions, their options, the points
each option or agreement statement gives each role, and readers' submissions
(with the replay-safe nonce and the stated current role).

Squashed; ``replaces`` lists the old migrations whose operations are here.
"""

import django.core.validators
import django.db.models.deletion
import uuid
from django.db import migrations, models


class Migration(migrations.Migration):
    replaces = [
        ('roles', '0001_initial'),
        ('roles', '0003_i12_workflow'),
        ('roles', '0003_i13_quiz_v2'),
    ]

    dependencies = [
        ('roles', '0001_content_models'),
    ]

    operations = [
        migrations.CreateModel(
            name='Question',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='last changed')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', help_text='Drafts are visible only to editors (with a Draft banner). Published items are public from their publish time.', max_length=10)),
                ('publish_at', models.DateTimeField(blank=True, help_text="Optional. Leave empty to publish at once; set a future time to schedule (status must be Published). Times are in the site's time zone.", null=True, verbose_name='publish from')),
                ('unpublish_at', models.DateTimeField(blank=True, help_text="Optional. The page goes offline at this time (it stays in the admin as it is). Times are in the site's time zone.", null=True, verbose_name='unpublish at')),
                ('key', models.SlugField(help_text='A short unique name for the question, used in exports and analytics.', max_length=80, unique=True)),
                ('kind', models.CharField(choices=[('scenario', 'Scenario (pick one option)'), ('agreement', 'Agreement statement (5-point scale)')], default='scenario', help_text="Scenario: readers pick one option, each option gives points. Agreement: readers rate a statement from strongly disagree to strongly agree; the statement's weights are scaled by the answer.", max_length=10)),
                ('text', models.CharField(max_length=300)),
                ('hint', models.CharField(blank=True, help_text='Optional: shown under the question.', max_length=300, verbose_name='help text')),
                ('order', models.PositiveIntegerField(db_index=True, default=0)),
            ],
            options={
                'ordering': ['order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Option',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.CharField(max_length=300)),
                ('order', models.PositiveIntegerField(db_index=True, default=0)),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='options', to='roles.question')),
            ],
            options={
                'ordering': ['order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='StatementPoints',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('points', models.SmallIntegerField(help_text='From 0 to 5.', validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(5)])),
                ('question', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='statement_points', to='roles.question')),
                ('role', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='roles.role')),
            ],
            options={
                'verbose_name_plural': 'statement points',
                'ordering': ['question', 'role'],
            },
        ),
        migrations.CreateModel(
            name='Submission',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                ('answers', models.JSONField(help_text='Question key → option index or scale value.')),
                ('snapshot', models.JSONField(help_text='Questions, options and points as answered.')),
                ('result', models.JSONField(help_text='Scores and ranking at submission time.')),
                ('top_role_slug', models.CharField(blank=True, db_index=True, max_length=60)),
                ('fit', models.BooleanField(blank=True, help_text="The reader's own verdict.", null=True, verbose_name='result fits')),
                ('stated_role_slug', models.CharField(blank=True, help_text='The role the reader says they do now, if they said (calibration).', max_length=60, verbose_name='current role (stated)')),
                ('nonce', models.CharField(blank=True, default='', editable=False, help_text="The form's one-time value: a replayed form finds this result instead of storing a second one.", max_length=64)),
            ],
            options={
                'ordering': ['-created_at'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('nonce', ''), _negated=True), fields=('nonce',), name='submission_nonce_unique')],
            },
        ),
        migrations.CreateModel(
            name='OptionPoints',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('points', models.SmallIntegerField(help_text='From 0 to 5.', validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(5)])),
                ('option', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='points', to='roles.option')),
                ('role', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='roles.role')),
            ],
            options={
                'verbose_name_plural': 'option points',
                'ordering': ['option', 'role'],
                'constraints': [models.UniqueConstraint(fields=('option', 'role'), name='option_points_unique'), models.CheckConstraint(condition=models.Q(('points__gte', 0), ('points__lte', 5)), name='option_points_in_range')],
            },
        ),
        migrations.AddConstraint(
            model_name='statementpoints',
            constraint=models.UniqueConstraint(fields=('question', 'role'), name='statement_points_unique'),
        ),
        migrations.AddConstraint(
            model_name='statementpoints',
            constraint=models.CheckConstraint(condition=models.Q(('points__gte', 0), ('points__lte', 5)), name='statement_points_in_range'),
        ),
    ]
