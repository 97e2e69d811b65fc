"""End-to-end fixtures: Playwright driving Debian's Chromium against pytest-django's live server.

Tests that use `browser` or `page` are marked `browser`. They need
`@pytest.mark.django_db(transaction=True)` and `live_server`, because the server runs in
another thread and must see the rows the test commits.
"""

import itertools
import os
from pathlib import Path

import pytest
from django.test import Client

# Playwright's sync API runs an event loop in the test's thread, and Django refuses ORM calls
# from a thread with a running loop. The tests call the ORM between page actions on purpose.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
BROWSER_FIXTURES = {"browser", "page", "open_page"}
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    for item in items:
        in_this_suite = HERE in Path(str(item.path)).resolve().parents
        if in_this_suite and BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _media_through_the_site():
    """Django's live server answers /media/ straight from disk, before any view runs (its
    private _MediaFilesHandler). Here the site's own view answers, as under `make run` and
    behind nginx, so a journey sees what the access rule lets through."""
    from django.test import testcases

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(testcases._MediaFilesHandler, "_should_handle", lambda self, path: False)
        yield


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium for the whole run. A missing browser fails the run: no silent skips."""
    if not CHROMIUM.exists():
        where = "CI must install it before the tests" if os.environ.get("CI") == "true" else ""
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}; run scripts/install-browser (as root) "
            f"to install Debian's chromium package. {where}".strip(),
            pytrace=False,
        )
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError:
        pytest.fail(
            "The playwright package is missing: pip install -r requirements-dev.txt", pytrace=False
        )
    with sync_playwright() as playwright:
        # Pages of a loaded machine (two test processes, image work) can take a few seconds.
        expect.set_options(timeout=10_000)
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, live_server):
    """open_page(**context_options): a tab in a fresh browser context (no cookies), desktop
    size, relative URLs resolved against the live server. Options go to new_context, e.g.
    java_script_enabled=False. A script error on any of the tabs fails the test.

    Each person in a journey gets a tab of their own, as on two separate devices.
    """
    contexts, script_errors = [], []

    def open_tab(**context_options):
        options = {"viewport": VIEWPORTS["desktop"], "base_url": live_server.url}
        context = browser.new_context(**{**options, **context_options})
        context.set_default_timeout(15_000)
        contexts.append(context)
        tab = context.new_page()
        tab.on("pageerror", lambda error: script_errors.append(str(error)))
        return tab

    yield open_tab
    for context in contexts:
        context.close()
    if script_errors:
        pytest.fail(f"The page raised script errors: {script_errors}", pytrace=False)


@pytest.fixture
def page(open_page):
    """A fresh browser context (no cookies) at desktop size; fails the test on a script error."""
    return open_page()


@pytest.fixture
def log_in(live_server):
    """log_in(page, user): give the page's browser a logged-in session for `user`."""

    def log_in_as(tab, user):
        client = Client()
        client.force_login(user)
        session = client.cookies["sessionid"].value
        tab.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])

    return log_in_as


@pytest.fixture
def viewports():
    """The sizes screenshots are taken at: {"desktop": {...}, "phone": {...}}."""
    return VIEWPORTS


@pytest.fixture
def screenshots():
    """screenshots(page, "feed"): save the page as a person sees it on a desktop and a phone.

    Writes artifacts/screenshots/<name>-desktop.png (1280 wide) and <name>-phone.png (390
    wide), full length, with lazy images loaded first; returns the paths.
    """

    def save(tab, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        original = tab.viewport_size
        paths = []
        for label, viewport in VIEWPORTS.items():
            tab.set_viewport_size(viewport)
            _load_every_image(tab)
            # Chromium paints the resized page a moment after it lays it out; a picture taken
            # at once may show some images as blank.
            tab.wait_for_timeout(300)
            path = SCREENSHOTS / f"{name}-{label}.png"
            tab.screenshot(
                path=str(path), full_page=True, animations="disabled", style=_PIN_TAB_BAR
            )
            paths.append(path)
        tab.set_viewport_size(original)
        return paths

    return save


# On a phone the tab bar is fixed to the bottom of the screen; a full-length picture would
# show it wherever the first screen ended, so it is pinned to the end of the page instead.
_PIN_TAB_BAR = """@media (max-width: 767.98px) {
  body { position: relative; }
  .topbar { position: static !important; }
  .tabs { position: absolute !important; }
}"""


def _load_every_image(tab):
    tab.evaluate(
        """async () => {
            const images = [...document.images];
            images.forEach((img) => { img.loading = "eager"; });
            // decode() waits for the bytes and the decoding; two frames later they are painted.
            const decoded = Promise.all(images.map((img) => img.decode().catch(() => null)));
            await Promise.race([decoded, new Promise((done) => setTimeout(done, 5000))]);
            await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
        }"""
    )


@pytest.fixture
def share():
    """share(author, caption="", photos=1, alt_texts=()): a post made the way the site makes
    them (post_create, so real JPEGs with display and thumbnail variants, exact counters), for
    pages that must show real pictures."""
    from posts.services import post_create
    from posts.tests.factories import photo_upload

    # Every picture different, as photos are.
    seeds = itertools.count(1)

    def share_post(author, caption="", photos=1, alt_texts=(), size=(640, 480)):
        images = []
        for _ in range(photos):
            seed = next(seeds)
            images.append(photo_upload(f"photo-{seed}.jpg", seed=seed, size=size))
        return post_create(author=author, images=images, alt_texts=list(alt_texts), caption=caption)

    return share_post
