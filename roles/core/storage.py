"""The static files storage: whitenoise's compressed, hashed-name storage
whose ``url()`` is worked out once per name.

A page asks for the address of each of its stylesheets, scripts and icons on
every render (``{% static %}``), and each answer looks the name up in the
manifest, splits, joins and unquotes it again: about a third of the base layout's
rendering time. The manifest does not change while a process serves pages,
so the answer is kept (a new storage, which reads the manifest, starts
empty); ``collectstatic`` (``post_process``) forgets what was kept.

May import: Django and third-party packages only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._urls: dict[tuple[str, bool, bool], str] = {}
        super().__init__(*args, **kwargs)

    def url(self, name: str | None, force: bool = False) -> str:
        # DEBUG is in the key: it decides between the hashed name and the
        # plain one (and tests switch it).
        key = (name or "", force, settings.DEBUG)
        try:
            return self._urls[key]
        except KeyError:
            url = self._urls[key] = super().url(name, force)
            return url

    def post_process(self, *args: Any, **kwargs: Any) -> Any:
        try:
            yield from super().post_process(*args, **kwargs)
        finally:
            self._urls = {}  # the files were hashed again
