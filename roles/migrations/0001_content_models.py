"""Roles and their guides (responsibilities, sources, dimension values, skills,
ways in, a typical week, anti-patterns, related roles, career paths), former
slugs, curated comparisons with their context notes, the glossary, and the
seed bookkeeping - each as the models are today.

Squashed from the first release's history; ``replaces`` lists every old
migration whose operations are folded in here, so a database that has them all
applied treats this one as applied and runs nothing.
"""

import django.core.validators
import django.db.models.deletion
import roles.core.markdown
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    replaces = [
        ('roles', '0001_initial'),
        ('roles', '0003_i12_workflow'),
        ('roles', '0003_i12_former_slugs'),
        ('roles', '0003_i12_text_limits'),
        ('roles', '0003_i13_quiz_v2'),
        ('roles', '0003_i15_guides_glossary'),
    ]

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Comparison',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='last changed')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', help_text='Drafts are visible only to editors (with a Draft banner). Published items are public from their publish time.', max_length=10)),
                ('publish_at', models.DateTimeField(blank=True, help_text="Optional. Leave empty to publish at once; set a future time to schedule (status must be Published). Times are in the site's time zone.", null=True, verbose_name='publish from')),
                ('unpublish_at', models.DateTimeField(blank=True, help_text="Optional. The page goes offline at this time (it stays in the admin as it is). Times are in the site's time zone.", null=True, verbose_name='unpublish at')),
                ('key', models.CharField(editable=False, help_text="The roles' slugs in alphabetical order, joined by -vs-.", max_length=320, unique=True)),
                ('title', models.CharField(help_text='As readers search for it, in the order you want: “Product Owner vs Product Manager”.', max_length=150)),
                ('tldr', models.TextField(help_text='Two to four sentences. Markdown: paragraphs, **bold**, *italic*, lists (- item), links [text](https://…), ## and ### headings, > quotes and `code`. Anything else (HTML, scripts, images) is removed.', max_length=100000, validators=[django.core.validators.MaxLengthValidator(100000), roles.core.markdown.validate_markdown], verbose_name='difference at a glance')),
                ('body', models.TextField(blank=True, help_text='Markdown: paragraphs, **bold**, *italic*, lists (- item), links [text](https://…), ## and ### headings, > quotes and `code`. Anything else (HTML, scripts, images) is removed.', max_length=100000, validators=[django.core.validators.MaxLengthValidator(100000), roles.core.markdown.validate_markdown])),
                ('last_reviewed', models.DateField(blank=True, null=True)),
            ],
            options={
                'verbose_name': 'curated comparison',
                'ordering': ['title'],
            },
        ),
        migrations.CreateModel(
            name='ContextFactor',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=80, unique=True)),
                ('slug', models.SlugField(help_text='Used in the seed and export files.', unique=True)),
                ('description', models.CharField(blank=True, max_length=250)),
                ('order', models.PositiveIntegerField(db_index=True, default=0)),
            ],
            options={
                'verbose_name': 'context factor',
                'ordering': ['order', 'name'],
            },
        ),
        migrations.CreateModel(
            name='Dimension',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=80, unique=True)),
                ('slug', models.SlugField(help_text='Used in the seed and export files.', unique=True)),
                ('description', models.CharField(blank=True, help_text='Explains the row to readers of a comparison table.', max_length=200, verbose_name='help text')),
                ('order', models.PositiveIntegerField(db_index=True, default=0)),
            ],
            options={
                'ordering': ['order', 'name'],
            },
        ),
        migrations.CreateModel(
            name='Theme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=80, unique=True)),
                ('slug', models.SlugField(help_text='Used in the seed and export files.', unique=True)),
                ('description', models.CharField(blank=True, max_length=200)),
                ('order', models.PositiveIntegerField(db_index=True, default=0)),
            ],
            options={
                'ordering': ['order', 'name'],
            },
        ),
        migrations.CreateModel(
            name='Role',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='last changed')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('published', 'Published')], default='draft', help_text='Drafts are visible only to editors (with a Draft banner). Published items are public from their publish time.', max_length=10)),
                ('publish_at', models.DateTimeField(blank=True, help_text="Optional. Leave empty to publish at once; set a future time to schedule (status must be Published). Times are in the site's time zone.", null=True, verbose_name='publish from')),
                ('unpublish_at', models.DateTimeField(blank=True, help_text="Optional. The page goes offline at this time (it stays in the admin as it is). Times are in the site's time zone.", null=True, verbose_name='unpublish at')),
                ('name', models.CharField(help_text='As readers know it: “Product Owner”.', max_length=100, unique=True)),
                ('slug', models.SlugField(help_text='The address of the guide: /roles/‹slug›/. If you change it, the old address redirects to the new one.', max_length=60, unique=True, validators=[django.core.validators.RegexValidator('^(?!vs-)(?!vs$)(?!.*-vs-)(?!.*-vs$)[a-z0-9]+(?:-[a-z0-9]+)*$', 'Use lowercase letters, digits and single hyphens. A slug may not contain “-vs-” (it separates roles in comparison addresses).')])),
                ('family', models.CharField(choices=[('product', 'Product'), ('delivery', 'Agile delivery'), ('project', 'Projects and programmes'), ('analysis', 'Business analysis'), ('design', 'Design'), ('engineering', 'Engineering'), ('marketing', 'Marketing')], help_text='Groups related roles on the home page.', max_length=20)),
                ('summary', models.CharField(help_text='One sentence saying what the role is for. Shown in lists, search results and link previews.', max_length=200)),
                ('overview', models.TextField(help_text='Markdown: paragraphs, **bold**, *italic*, lists (- item), links [text](https://…), ## and ### headings, > quotes and `code`. Anything else (HTML, scripts, images) is removed.', max_length=100000, validators=[django.core.validators.MaxLengthValidator(100000), roles.core.markdown.validate_markdown])),
                ('also_known_as', models.TextField(blank=True, help_text='Other job titles for this role, one per line.', verbose_name='also known as')),
                ('origin', models.CharField(blank=True, help_text='Where the role comes from, for example “Scrum”.', max_length=100)),
                ('last_reviewed', models.DateField(blank=True, help_text='When an editor last checked the whole guide against its sources.', null=True)),
                ('map_x', models.PositiveSmallIntegerField(blank=True, help_text="Where the role sits on the role map, 0 to 100: 0 = this week's work, 100 = years ahead. Leave empty to keep the role off the map.", null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='time horizon (role map)')),
                ('map_y', models.PositiveSmallIntegerField(blank=True, help_text='Where the role sits on the role map, 0 to 100: 0 = the team and how it delivers, 100 = the market and the product.', null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='focus (role map)')),
            ],
            options={
                'ordering': ['name'],
                'constraints': [models.CheckConstraint(condition=models.Q(('slug__contains', '-vs-'), _negated=True), name='role_slug_without_vs')],
            },
        ),
        migrations.CreateModel(
            name='GlossaryTerm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='last changed')),
                ('slug', models.SlugField(help_text="The term's anchor on the glossary page: /glossary/#<slug>.", max_length=80, unique=True)),
                ('term', models.CharField(max_length=100, unique=True)),
                ('abbreviation', models.CharField(blank=True, help_text='Optional: “SRO”, “RTE”.', max_length=20)),
                ('aliases', models.TextField(blank=True, help_text='Other spellings that should link to this term on pages, one per line.')),
                ('definition', models.TextField(help_text='One to three sentences in our own words. Markdown: paragraphs, **bold**, *italic*, lists (- item), links [text](https://…), ## and ### headings, > quotes and `code`. Anything else (HTML, scripts, images) is removed.')),
                ('source_title', models.CharField(max_length=200, verbose_name='source title')),
                ('source_url', models.URLField(help_text='A specific public https:// page.', max_length=500, verbose_name='source URL')),
                ('source_publisher', models.CharField(blank=True, max_length=200, verbose_name='source publisher')),
                ('related_roles', models.ManyToManyField(blank=True, related_name='glossary_terms', to='roles.role')),
            ],
            options={
                'verbose_name': 'glossary term',
                'ordering': ['term'],
            },
        ),
        migrations.CreateModel(
            name='FormerSlug',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=60, unique=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('role', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='former_slugs', to='roles.role')),
            ],
            options={
                'ordering': ['slug'],
            },
        ),
        migrations.CreateModel(
            name='ComparisonRole',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveIntegerField(default=0)),
                ('suits', models.TextField(blank=True, help_text='One to three sentences: the kind of person who thrives in this role. Markdown: paragraphs, **bold**, *italic*, lists (- item), links [text](https://…), ## and ### headings, > quotes and `code`. Anything else (HTML, scripts, images) is removed.', max_length=100000, validators=[django.core.validators.MaxLengthValidator(100000), roles.core.markdown.validate_markdown], verbose_name='who it suits')),
                ('comparison', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='comparison_roles', to='roles.comparison')),
                ('role', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='roles.role')),
            ],
            options={
                'verbose_name': 'role in comparison',
                'ordering': ['order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='CareerPath',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('summary', models.CharField(help_text='One sentence on the move.', max_length=300)),
                ('new_responsibilities', models.TextField(help_text='What is new after the move, one short phrase per line (2–4).')),
                ('skills_to_build', models.TextField(help_text='Skills to build for the move, one short phrase per line (2–4).')),
                ('order', models.PositiveIntegerField(db_index=True, default=0)),
                ('from_role', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='paths_out', to='roles.role')),
                ('to_role', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='paths_in', to='roles.role', verbose_name='moves to')),
            ],
            options={
                'ordering': ['order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='AntiPattern',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='A name readers will recognise: “The proxy PO”.', max_length=100)),
                ('text', models.TextField(help_text='What it looks like and why it hurts. Markdown: paragraphs, **bold**, *italic*, lists (- item), links [text](https://…), ## and ### headings, > quotes and `code`. Anything else (HTML, scripts, images) is removed.')),
                ('order', models.PositiveIntegerField(db_index=True, default=0)),
                ('role', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='anti_patterns', to='roles.role')),
            ],
            options={
                'verbose_name': 'anti-pattern',
                'ordering': ['order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='SeedRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='last changed')),
                ('kind', models.CharField(max_length=30)),
                ('key', models.CharField(max_length=200)),
                ('fingerprint', models.CharField(max_length=64)),
            ],
            options={
                'ordering': ['kind', 'key'],
                'constraints': [models.UniqueConstraint(fields=('kind', 'key'), name='seed_record_unique')],
            },
        ),
        migrations.CreateModel(
            name='Skill',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='A short noun phrase: “Ordering work by value”.', max_length=100)),
                ('level', models.CharField(choices=[('foundation', 'Foundation'), ('practitioner', 'Practitioner'), ('expert', 'Expert')], help_text='How far the role needs the skill: foundation, practitioner or expert.', max_length=12)),
                ('note', models.CharField(blank=True, help_text='One sentence on what the skill looks like in this role.', max_length=300)),
                ('order', models.PositiveIntegerField(db_index=True, default=0)),
                ('role', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='skills', to='roles.role')),
            ],
            options={
                'ordering': ['order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Source',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200)),
                ('url', models.URLField(help_text='A public https:// address.', max_length=500, verbose_name='URL')),
                ('publisher', models.CharField(blank=True, max_length=200)),
                ('note', models.CharField(blank=True, help_text='Optional: what this source supports.', max_length=300)),
                ('order', models.PositiveIntegerField(default=0)),
                ('role', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sources', to='roles.role')),
            ],
            options={
                'ordering': ['order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Responsibility',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.CharField(help_text='One sentence: a concrete thing the role does.', max_length=300)),
                ('order', models.PositiveIntegerField(db_index=True, default=0)),
                ('role', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='responsibilities', to='roles.role')),
                ('theme', models.ForeignKey(help_text='Comparison pages compute shared and distinct work from themes.', on_delete=django.db.models.deletion.PROTECT, related_name='responsibilities', to='roles.theme')),
            ],
            options={
                'verbose_name_plural': 'responsibilities',
                'ordering': ['order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='WayIn',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(help_text='The route, short: “From business analysis”.', max_length=100)),
                ('text', models.TextField(help_text='One or two sentences. Markdown: paragraphs, **bold**, *italic*, lists (- item), links [text](https://…), ## and ### headings, > quotes and `code`. Anything else (HTML, scripts, images) is removed. No headings.')),
                ('order', models.PositiveIntegerField(db_index=True, default=0)),
                ('role', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ways_in', to='roles.role')),
            ],
            options={
                'verbose_name': 'way into the role',
                'verbose_name_plural': 'ways into the role',
                'ordering': ['order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='WeekActivity',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('activity', models.CharField(help_text='What the time goes on: “Refinement”.', max_length=100)),
                ('hours', models.PositiveSmallIntegerField(help_text='Approximate hours in a 37-hour week, from 1 to 20.', validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(20)])),
                ('text', models.CharField(blank=True, help_text='One sentence.', max_length=300)),
                ('order', models.PositiveIntegerField(db_index=True, default=0)),
                ('role', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='typical_week', to='roles.role')),
            ],
            options={
                'verbose_name': 'typical week activity',
                'verbose_name_plural': 'typical week',
                'ordering': ['order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='ContextNote',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('label', models.CharField(help_text='The situation, as a reader would pick it: “Start-up, one product”.', max_length=100)),
                ('note', models.TextField(help_text='How the split between the roles shifts there. Markdown: paragraphs, **bold**, *italic*, lists (- item), links [text](https://…), ## and ### headings, > quotes and `code`. Anything else (HTML, scripts, images) is removed.', max_length=100000, validators=[django.core.validators.MaxLengthValidator(100000), roles.core.markdown.validate_markdown])),
                ('order', models.PositiveIntegerField(default=0)),
                ('comparison', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='context_notes', to='roles.comparison')),
                ('factor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='notes', to='roles.contextfactor')),
            ],
            options={
                'ordering': ['comparison', 'factor__order', 'order', 'id'],
                'constraints': [models.UniqueConstraint(fields=('comparison', 'factor', 'label'), name='context_note_unique_label')],
            },
        ),
        migrations.CreateModel(
            name='RelatedRole',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('order', models.PositiveIntegerField(db_index=True, default=0)),
                ('related', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='roles.role', verbose_name='related role')),
                ('role', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='related_links', to='roles.role')),
            ],
            options={
                'ordering': ['order', 'id'],
                'constraints': [models.UniqueConstraint(fields=('role', 'related'), name='related_role_unique'), models.CheckConstraint(condition=models.Q(('role', models.F('related')), _negated=True), name='related_role_not_self')],
            },
        ),
        migrations.CreateModel(
            name='DimensionValue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('value', models.CharField(help_text='Short: it appears in a table cell.', max_length=200)),
                ('dimension', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='values', to='roles.dimension')),
                ('role', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='dimension_values', to='roles.role')),
            ],
            options={
                'ordering': ['dimension__order', 'dimension__name'],
                'constraints': [models.UniqueConstraint(fields=('role', 'dimension'), name='dimension_value_unique_per_role')],
            },
        ),
        migrations.AddConstraint(
            model_name='comparisonrole',
            constraint=models.UniqueConstraint(fields=('comparison', 'role'), name='comparison_roles_distinct'),
        ),
        migrations.AddConstraint(
            model_name='careerpath',
            constraint=models.UniqueConstraint(fields=('from_role', 'to_role'), name='career_path_unique'),
        ),
        migrations.AddConstraint(
            model_name='careerpath',
            constraint=models.CheckConstraint(condition=models.Q(('from_role', models.F('to_role')), _negated=True), name='career_path_not_self'),
        ),
        migrations.AddConstraint(
            model_name='antipattern',
            constraint=models.UniqueConstraint(fields=('role', 'name'), name='anti_pattern_unique_name'),
        ),
        migrations.AddConstraint(
            model_name='skill',
            constraint=models.UniqueConstraint(fields=('role', 'name'), name='skill_unique_name'),
        ),
        migrations.AddConstraint(
            model_name='source',
            constraint=models.UniqueConstraint(fields=('role', 'url'), name='source_unique_per_role'),
        ),
        migrations.AddConstraint(
            model_name='responsibility',
            constraint=models.UniqueConstraint(fields=('role', 'text'), name='responsibility_unique_per_role'),
        ),
        migrations.AddConstraint(
            model_name='wayin',
            constraint=models.UniqueConstraint(fields=('role', 'title'), name='way_in_unique_title'),
        ),
        migrations.AddConstraint(
            model_name='weekactivity',
            constraint=models.CheckConstraint(condition=models.Q(('hours__gte', 1), ('hours__lte', 20)), name='week_activity_hours_in_range'),
        ),
    ]
