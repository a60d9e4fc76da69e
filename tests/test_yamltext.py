"""roles.core.yamltext reads YAML as PyYAML's safe loader does: the same data
from every file the site reads, plain data only, and the pure-Python parser's
message (which quotes the line) for a text that is not valid YAML."""

from pathlib import Path

import pytest
import yaml

from roles.core import yamltext

CONTENT = Path(__file__).resolve().parents[1] / "roles" / "content"


@pytest.mark.parametrize(
    "path", sorted(CONTENT.rglob("*.yaml")), ids=lambda p: str(p.relative_to(CONTENT))
)
def test_every_content_file_reads_as_the_safe_loader_reads_it(path):
    text = path.read_text(encoding="utf-8")
    assert yamltext.safe_load(text) == yaml.safe_load(text)


def test_libyaml_is_used_where_pyyaml_has_it():
    if not yaml.__with_libyaml__:
        pytest.skip(
            "PyYAML was built without libyaml here: the pure-Python parser reads"
        )
    assert yamltext._FAST is yaml.CSafeLoader


def test_an_invalid_text_raises_with_the_line_quoted():
    with pytest.raises(yaml.YAMLError) as caught:
        yamltext.safe_load("roles:\n  - slug: [product-owner,\n  name: x\n")
    message = str(caught.value)
    assert "line" in message
    assert "^" in message  # the pure-Python parser points at the column


def test_python_objects_are_refused():
    with pytest.raises(yaml.YAMLError):
        yamltext.safe_load("!!python/object/apply:os.system ['true']")
