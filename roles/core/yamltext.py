"""YAML as the site reads it (the seed files, the blind personas, an import):
plain data only (PyYAML's safe loader), parsed by libyaml where PyYAML was
built with it - the same data, about nine times faster on the seed files -
and described by the pure-Python parser when a text is not valid YAML, as
its message quotes the line at fault."""

from __future__ import annotations

from typing import Any

import yaml

_FAST: type[yaml.CSafeLoader] | type[yaml.SafeLoader] = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)


def safe_load(text: str) -> Any:
    """``yaml.safe_load(text)``, faster. Raises ``yaml.YAMLError`` as it does."""
    try:
        return yaml.load(text, Loader=_FAST)  # a safe loader: plain data only
    except yaml.YAMLError:
        # Read again for the pure-Python parser's message (it quotes the line).
        return yaml.safe_load(text)
