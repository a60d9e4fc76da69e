"""Which release of the site is running, as a short id.

Pages and derived data in the shared cache are kept per release: a page
rendered by the previous deploy carries its templates, its code's output and
its stylesheet's hashed name, and must not be served by the next one (the
content version alone cannot tell them apart). ``DJANGO_RELEASE`` (setting
``RELEASE``) names the release when set (a build can pass its commit);
otherwise the id is a digest of what shapes a page: the Python code and
templates, and the static files' manifest (whose names change with them)."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

# Under BASE_DIR: the folders whose files shape a page, and their kinds.
SOURCE_FOLDERS = ("config", "roles", "templates")
SOURCE_SUFFIXES = frozenset({".py", ".html", ".txt", ".xml"})
MANIFEST = "staticfiles.json"


def source_files(root: Path) -> list[Path]:
    """The files of a release under ``root``, in a stable order."""
    found = [
        path
        for folder in SOURCE_FOLDERS
        for path in (root / folder).rglob("*")
        if path.suffix in SOURCE_SUFFIXES and path.is_file()
    ]
    return sorted(found)


def digest(root: Path, files: Iterable[Path]) -> str:
    """A short digest of the files' paths (relative to ``root``) and bytes."""
    hashed = hashlib.sha256()
    for path in files:
        name = path.relative_to(root) if path.is_relative_to(root) else path.name
        hashed.update(str(name).encode())
        hashed.update(b"\0")
        hashed.update(path.read_bytes())
        hashed.update(b"\0")
    return hashed.hexdigest()[:16]


@functools.cache
def release_id() -> str:
    """The running release (computed once per process)."""
    named = settings.RELEASE.strip()
    if named:
        return named[:40]
    root = Path(settings.BASE_DIR)
    files = source_files(root)
    manifest = Path(settings.STATIC_ROOT) / MANIFEST
    if manifest.is_file():
        files.append(manifest)
    return digest(root, files)
