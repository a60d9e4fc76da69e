"""System checks: the built stylesheet is present (``make css``)."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.core.checks import Warning, register

STYLESHEET = "css/main.css"


@register()
def stylesheet_is_built(app_configs, **kwargs) -> list[Warning]:
    """The site's CSS is compiled by npm, not committed: without it every page
    is unstyled, so say so (CI runs the checks with --fail-level WARNING)."""
    if finders.find(STYLESHEET):
        return []
    return [
        Warning(
            f"The stylesheet {STYLESHEET} has not been built.",
            hint="Run `make css` (needs Node.js 20.19+ and npm).",
            id="roles.W001",
        )
    ]
