"""The production smoke tier: the stack scripts/stack runs (nginx, gunicorn on
config.settings.prod, Celery, PgBouncer, PostgreSQL primary + replica, Redis), checked from the
outside over HTTP, with a real browser, and with psql on PgBouncer's admin console.

scripts/test-stack starts the stack, seeds it and runs these; by hand:
    scripts/stack up && pytest -p no:xdist tests_stack
They fail, never skip, when the stack is not running. They write to the stack's database as
its users would (sign-ups, posts, comments); they never create Django test databases.
"""

import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
STACK = ROOT / "scripts" / "stack"
DEMO_PASSWORD = "shutter-demo"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.stack)


@pytest.fixture(scope="session")
def stack_env():
    """The environment the stack's app processes run with (scripts/stack env)."""
    result = subprocess.run([str(STACK), "env"], capture_output=True, text=True, env=os.environ)
    if result.returncode != 0:
        pytest.fail(f"The stack is not set up: run scripts/stack up.\n{result.stderr}")
    env = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    try:
        health = requests.get(env["SHUTTER_SITE_URL"] + "/healthz", timeout=10)
    except requests.ConnectionError as error:
        pytest.fail(f"The stack does not answer at {env['SHUTTER_SITE_URL']}: {error}")
    assert health.status_code == 200, health.text
    return env


@pytest.fixture(scope="session")
def site(stack_env):
    """The site's address, as nginx serves it: http://127.0.0.1:<port>."""
    return stack_env["SHUTTER_SITE_URL"]


@pytest.fixture(scope="session")
def pgbouncer(stack_env):
    """(host, port) of PgBouncer: the only database address the app is given."""
    url = urlsplit(stack_env["DATABASE_URL"])
    return url.hostname, url.port


@pytest.fixture
def sql(stack_env):
    """sql(query, params) -> rows, on the stack's primary database (through PgBouncer)."""
    connection = psycopg2.connect(stack_env["DATABASE_URL"])
    connection.autocommit = True

    def run(query, params=()):
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall()

    yield run
    connection.close()


@pytest.fixture
def api_token(site):
    """api_token(username) -> a token for a seeded demo account, from POST /api/v1/auth/token/."""

    def issue(username, password=DEMO_PASSWORD):
        response = requests.post(
            f"{site}/api/v1/auth/token/",
            json={"username": username, "password": password},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        return response.json()["token"]

    return issue


@pytest.fixture
def signed_in(site):
    """signed_in(username) -> a requests.Session logged in through the web form."""

    def log_in(username, password=DEMO_PASSWORD):
        session = requests.Session()
        session.get(f"{site}/accounts/login/", timeout=30).raise_for_status()
        response = session.post(
            f"{site}/accounts/login/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": session.cookies["csrftoken"],
            },
            headers={"Referer": f"{site}/accounts/login/", "Origin": site},
            allow_redirects=False,
            timeout=30,
        )
        assert response.status_code == 302, response.text[:500]
        assert "sessionid" in session.cookies
        return session

    return log_in


@pytest.fixture
def open_tab(browser, site):
    """open_tab(): a fresh browser context on the stack's address; fails on script errors."""
    contexts, errors = [], []

    def open_one():
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, base_url=site, ignore_https_errors=False
        )
        context.set_default_timeout(20_000)
        contexts.append(context)
        tab = context.new_page()
        tab.on("pageerror", lambda error: errors.append(str(error)))
        return tab

    yield open_one
    for context in contexts:
        context.close()
    if errors:
        pytest.fail(f"The page raised script errors: {errors}", pytrace=False)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, launched as tests_e2e does; missing, it fails the run."""
    from tests_e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}; run scripts/install-browser")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        expect.set_options(timeout=20_000)
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
