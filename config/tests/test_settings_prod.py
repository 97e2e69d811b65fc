"""Production settings, loaded as production loads them (a fresh process with prod's env)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def run_with_prod_settings(*args):
    # Only production's own variables: the test run's (DJANGO_ALLOW_ASYNC_UNSAFE from the
    # browser tests, for one) are no deployment's.
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "shutter.example",
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_finds_nothing_on_production_settings():
    result = run_with_prod_settings("manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_requires_a_second_factor_for_staff_in_the_admin():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from django.contrib import admin; "
        "print(settings.SHUTTER_REQUIRE_2FA_FOR_STAFF, admin.site.__class__.__name__)"
    )

    result = run_with_prod_settings("-c", code)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "ShutterAdminSite"]


def test_development_and_tests_do_not_require_it(settings):
    assert settings.SHUTTER_REQUIRE_2FA_FOR_STAFF is False
