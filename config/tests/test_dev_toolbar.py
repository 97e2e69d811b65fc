"""`make run`'s debug toolbar stays out of the way until asked for."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_dev_settings_start_the_toolbar_collapsed():
    # In a process of its own: the suite runs on the test settings.
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.dev'; "
        "django.setup(); from debug_toolbar.settings import get_config; "
        "print(get_config()['SHOW_COLLAPSED'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "True"


def test_the_toolbar_handle_keeps_to_the_bottom_edge():
    css = (ROOT / "static" / "css" / "app.css").read_text()
    rule = css.split("#djDebug #djDebugToolbarHandle {", 1)[1].split("}", 1)[0]
    assert "top: auto !important" in rule
    assert "bottom:" in rule
