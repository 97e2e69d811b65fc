"""Content-Security-Policy (trust finding 7): every answer carries it, our templates need no
inline code, and the admin and the API docs keep working under it."""

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.tests.factories import UserFactory
from config.csp import server_error_page
from config.tests.clients import token_client
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
STRICT = {
    "default-src": "'self'",
    "img-src": "'self' data: blob:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy(response):
    """The Content-Security-Policy header as {directive: sources}."""
    header = response["Content-Security-Policy"]
    return dict([*part.strip().split(" ", 1), ""][:2] for part in header.split(";") if part.strip())


def assert_strict(response):
    directives = policy(response)
    for directive, sources in STRICT.items():
        assert directives[directive] == sources, directive
    for directive in ("script-src", "style-src"):
        assert directives[directive].startswith("'self'")
        assert "unsafe-inline" not in directives[directive]
        assert "unsafe-eval" not in directives[directive]


@pytest.fixture
def member(client):
    user = UserFactory(username="ada")
    client.force_login(user)
    return user


# --- Every answer carries the policy ----------------------------------------------------------


def test_every_page_a_visitor_opens_sends_the_strict_policy(client):
    post = PostFactory(author=UserFactory(username="grace"), caption="#sea")
    pages = [
        reverse("posts:explore"),
        reverse("posts:post-detail", args=[post.pk]),
        reverse("accounts:profile", args=["grace"]),
        reverse("posts:tag", args=["sea"]),
        reverse("posts:search") + "?q=gr",
        reverse("accounts:login"),
        reverse("accounts:signup"),
        "/no-such-page/",
        "/healthz",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert_strict(response)


def test_every_page_a_member_opens_sends_the_strict_policy(client, member):
    pages = [
        reverse("posts:home"),
        reverse("posts:post-new"),
        reverse("posts:saved"),
        reverse("accounts:settings"),
        reverse("social:notifications"),
        reverse("accounts:profile", args=["ada"]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_strict(response)
        # None of our pages needs a nonce: the header carries none.
        assert "nonce-" not in response["Content-Security-Policy"]


def test_api_answers_carry_the_policy_too(member):
    response = token_client(member).get(reverse("api:me"))

    assert response.status_code == 200
    assert_strict(response)


# --- Our templates hold no inline code --------------------------------------------------------

INLINE_CODE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "an inline <script>"),
    (re.compile(r"<style\b", re.IGNORECASE), "a <style> block"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE), "an inline event handler"),
    (re.compile(r"javascript:", re.IGNORECASE), "a javascript: URL"),
]
# Stands alone on purpose (no static files: they may be what failed); its one style block is
# allowed by hash on that response only (test below).
STANDS_ALONE = {"500.html"}


def our_templates():
    return sorted(
        path
        for path in TEMPLATES.rglob("*.html")
        if path.relative_to(TEMPLATES).as_posix() not in STANDS_ALONE
    )


def test_the_template_scan_sees_every_template_we_render():
    names = {path.relative_to(TEMPLATES).as_posix() for path in our_templates()}

    assert {"base.html", "includes/post_card.html", "includes/avatar.html"} <= names
    assert "drf_spectacular/swagger_ui.html" in names
    assert len(names) > 40


@pytest.mark.parametrize("pattern, what", INLINE_CODE, ids=[what for _, what in INLINE_CODE])
def test_no_template_of_ours_holds_inline_code(pattern, what):
    offenders = [
        f"{path.relative_to(TEMPLATES)}:{text.count(chr(10), 0, match.start()) + 1}"
        for path in our_templates()
        for text in [path.read_text()]
        for match in pattern.finditer(text)
    ]

    assert offenders == [], f"{what} in {offenders}"


def test_the_scan_would_catch_each_kind_of_inline_code():
    samples = [
        "<script>alert(1)</script>",
        "<style>p{}</style>",
        '<p style="color: red">',
        "<button onclick='go()'>",
        '<a href="javascript:go()">',
    ]
    for sample, (pattern, _) in zip(samples, INLINE_CODE, strict=True):
        assert pattern.search(sample), sample
    assert not INLINE_CODE[0][0].search('<script src="/static/js/app.js" defer></script>')


def test_the_500_page_allows_exactly_its_own_style_block(rf):
    request = rf.get("/")
    middleware = ContentSecurityPolicyMiddleware(lambda request: server_error_page(request))

    response = middleware(request)

    style = re.search(r"<style>(.*?)</style>", render_to_string("500.html"), re.DOTALL)[1]
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    directives = policy(response)
    assert response.status_code == 500
    assert directives["style-src"] == f"'sha256-{digest}'"
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"


def test_the_500_handler_is_the_one_with_that_policy():
    from config import urls

    assert urls.handler500 == "config.csp.server_error_page"


# --- The admin and the API docs keep working --------------------------------------------------


@pytest.fixture
def staff(client):
    user = UserFactory(username="mod", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_admin_pages_render_and_their_inline_blocks_carry_the_header_s_nonce(client, staff):
    PostFactory()
    pages = [
        reverse("admin:index"),
        reverse("admin:posts_post_changelist"),
        reverse("admin:accounts_user_change", args=[staff.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        header = response["Content-Security-Policy"]
        for nonce in re.findall(r'nonce="([^"]+)"', html):
            assert f"'nonce-{nonce}'" in header
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            assert "src=" in tag or "nonce=" in tag, (url, tag)
        assert "css/admin.css" in html
        assert ' style="' not in html, url


def test_admin_log_in_sends_people_to_the_sites_log_in_page_which_renders_under_the_policy(client):
    # The admin has no password form of its own (two-factor sign-in, config/admin_site.py).
    response = client.get(reverse("admin:login"), follow=True)

    assert response.redirect_chain and response.status_code == 200
    assert response.request["PATH_INFO"] == reverse("accounts:login")
    assert_strict(response)


def test_api_docs_load_their_start_up_script_from_a_file(client):
    response = client.get(reverse("api-docs"))

    assert response.status_code == 200
    assert_strict(response)
    html = response.content.decode()
    assert "<style" not in html
    assert "css/swagger.css" in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all("src=" in tag for tag in scripts)
    start_up = re.search(r'<script src="([^"]*\?[^"]*script[^"]*)"', html)[1]
    script = client.get(start_up.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_check_deploy_stays_clean_on_production_settings():
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DJANGO_SECRET_KEY": "x" * 20 + "-a-long-production-like-secret-key-value-0123456789",
        "DJANGO_ALLOWED_HOSTS": "shutter.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_with_media_in_a_bucket_the_policy_lets_photos_load_from_it_and_from_the_cdn():
    # Pages link /media/<name> and the view redirects there; browsers check redirected images
    # against img-src, so the bucket's and the CDN's hosts must be in it.
    environment = {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "SHUTTER_MEDIA_STORAGE": "s3",
        "SHUTTER_S3_BUCKET": "photos",
        "SHUTTER_S3_ENDPOINT_URL": "http://127.0.0.1:59000",
        "SHUTTER_S3_PUBLIC_URL": "https://cdn.example.com/photos",
    }
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.SECURE_CSP['img-src']))"
    )
    keep = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env={**keep, **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    img_src = json.loads(result.stdout.splitlines()[-1])
    assert {"http://127.0.0.1:59000", "https://cdn.example.com"} <= set(img_src)
    assert "'self'" in img_src and "*" not in img_src
