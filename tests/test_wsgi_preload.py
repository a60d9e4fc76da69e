"""gunicorn's master loads the WSGI application before forking its workers:
what a worker's first request would load is loaded with it."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import sys
import config.wsgi
from roles.core.release import release_id
print("config.urls" in sys.modules, "roles.catalogue.views" in sys.modules,
      release_id.cache_info().currsize)
"""


def test_loading_the_application_loads_the_urlconf_and_the_release():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "1"]
