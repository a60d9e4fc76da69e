"""The release id that keeps one deploy's cached pages and data from the next."""

from pathlib import Path

import pytest

from roles.core import release


def _tree(root: Path) -> None:
    for name, text in {
        "templates/base.html": "<main>{% block main %}{% endblock %}</main>",
        "roles/views.py": "def page(): ...",
        "config/urls.py": "urlpatterns = []",
        "roles/content/quiz.yaml": "questions: []",
        "node_modules/x/index.js": "x",
    }.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _release(root: Path) -> str:
    return release.digest(root, release.source_files(root))


def test_a_changed_template_or_module_is_another_release(tmp_path):
    _tree(tmp_path)
    first = _release(tmp_path)
    assert _release(tmp_path) == first
    (tmp_path / "templates/base.html").write_text("<main>changed</main>")
    second = _release(tmp_path)
    assert second != first
    (tmp_path / "roles/views.py").write_text("def page(): return 1")
    assert _release(tmp_path) not in (first, second)


def test_a_renamed_file_is_another_release(tmp_path):
    _tree(tmp_path)
    first = _release(tmp_path)
    (tmp_path / "roles/views.py").rename(tmp_path / "roles/pages.py")
    assert _release(tmp_path) != first


def test_content_and_packages_are_not_part_of_it(tmp_path):
    """Content lives in the database (its version is in every key), and
    what is installed is not the site's source."""
    _tree(tmp_path)
    first = _release(tmp_path)
    (tmp_path / "roles/content/quiz.yaml").write_text("questions: [changed]")
    (tmp_path / "node_modules/x/index.js").write_text("y")
    assert _release(tmp_path) == first


@pytest.fixture
def fresh_release():
    release.release_id.cache_clear()
    yield
    release.release_id.cache_clear()


def test_the_static_manifest_counts(tmp_path, settings, fresh_release):
    _tree(tmp_path)
    settings.BASE_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "elsewhere"
    settings.STATIC_ROOT.mkdir()
    without = release.release_id()
    release.release_id.cache_clear()
    (settings.STATIC_ROOT / release.MANIFEST).write_text(
        '{"paths": {"a.css": "a.1.css"}}'
    )
    with_manifest = release.release_id()
    release.release_id.cache_clear()
    (settings.STATIC_ROOT / release.MANIFEST).write_text(
        '{"paths": {"a.css": "a.2.css"}}'
    )
    assert len({without, with_manifest, release.release_id()}) == 3


def test_django_release_names_it(settings, fresh_release):
    settings.RELEASE = "4b575d4"
    assert release.release_id() == "4b575d4"
