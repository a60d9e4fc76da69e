"""render_markdown keeps what it rendered: a text seen before is not run
through python-markdown and the sanitiser again, and the result is the same
safe HTML."""

import uuid

import markdown as md

from roles.core import markdown as site_markdown


def test_a_text_rendered_before_is_not_rendered_again(monkeypatch):
    calls = []
    real = md.markdown

    def counted(text, **kwargs):
        calls.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(site_markdown.md, "markdown", counted)
    text = (
        f"A **{uuid.uuid4().hex}** <script>alert(1)</script> [x](javascript:alert(1))"
    )
    first = site_markdown.render_markdown(text)
    second = site_markdown.render_markdown(text)
    assert calls == [text]
    assert second == first and second.__html__() == first
    assert "<strong>" in first and "<script" not in first and "javascript:" not in first
    other = site_markdown.render_markdown(text + " more")
    assert calls == [text, text + " more"] and other != first


def test_a_long_text_is_rendered_each_time_and_not_kept(monkeypatch):
    calls = []
    real = md.markdown
    monkeypatch.setattr(
        site_markdown.md,
        "markdown",
        lambda text, **kw: calls.append(1) or real(text, **kw),
    )
    text = uuid.uuid4().hex + " word" * site_markdown.KEPT_CHARS
    assert site_markdown.render_markdown(text) == site_markdown.render_markdown(text)
    assert len(calls) == 2


def test_every_field_written_in_markdown_refuses_what_the_page_would_drop():
    """Over every model: a field whose help says it takes Markdown validates
    it as Markdown. A glossary definition, a way in and an anti-pattern did
    not: '<script>…' was imported and saved, shown as an empty definition on
    the page and served as it was by the API to other sites."""
    from django.apps import apps

    from roles.catalogue.models import MARKDOWN_HELP
    from roles.core.markdown import validate_markdown

    markdown = [
        (model, field)
        for model in apps.get_app_config("roles").get_models()
        for field in model._meta.fields
        if MARKDOWN_HELP in str(field.help_text)
    ]
    assert len(markdown) >= 8
    missing = [
        f"{model.__name__}.{field.name}"
        for model, field in markdown
        if validate_markdown not in field.validators
    ]
    assert missing == []


def test_checking_a_text_renders_it_once(monkeypatch):
    """A save's Markdown check reads the links and the tags of one rendering,
    not one each."""
    calls = []
    render = site_markdown._to_html
    monkeypatch.setattr(
        site_markdown, "_to_html", lambda text: calls.append(text) or render(text)
    )
    text = f"A [link](https://example.org/{uuid.uuid4()}) and **bold**."
    site_markdown.validate_markdown(text)
    assert calls == [text]
