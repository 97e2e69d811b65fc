"""The Content-Security-Policy in a real browser: the main pages, the new-post previews, the
admin and the API docs load with nothing blocked (open_page fails a test on any violation
Chromium reports), and the policy does block what it is there to block."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from posts.tests.factories import image_bytes, structured_image

pytestmark = pytest.mark.django_db(transaction=True)


def looks_laid_out(tab):
    """app.css applied to what were style attributes: the carousel frame has the photo's
    proportions, avatars their size."""
    return tab.evaluate(
        """() => {
            const frame = document.querySelector(".carousel");
            const img = document.querySelector(".carousel img");
            const ratio = frame.offsetWidth / frame.offsetHeight;
            return Math.abs(ratio - img.naturalWidth / img.naturalHeight) < 0.02;
        }"""
    )


def test_main_pages_load_for_a_visitor_and_a_member_with_nothing_blocked(
    live_server, open_page, log_in, share
):
    author = UserFactory(username="grace")
    post = share(author, caption="Low tide #sea", photos=2, size=(800, 600))
    visitor, member = open_page(), open_page()
    log_in(member, UserFactory(username="ada"))

    for url in ["/explore/", f"/p/{post.pk}/", "/u/grace/", "/tags/sea/", "/search/?q=gr"]:
        assert visitor.goto(url).status == 200, url
    for url in ["/", f"/p/{post.pk}/", "/accounts/settings/", "/notifications/", "/saved/"]:
        response = member.goto(url)
        assert response.status == 200, url
        assert "default-src 'self'" in response.headers["content-security-policy"]
    member.goto(f"/p/{post.pk}/")
    assert member.evaluate("document.documentElement.classList.contains('js')")  # app.js ran
    assert looks_laid_out(member)
    initial = member.locator(".post__header .avatar").first
    assert initial.evaluate("el => el.getBoundingClientRect().width") == 32


def test_new_post_previews_show_under_the_policy(live_server, page, log_in):
    log_in(page, UserFactory(username="ada"))
    page.goto("/p/new/")

    page.get_by_label("Photos").set_input_files(
        {"name": "pier.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(structured_image(3))}
    )

    preview = page.get_by_role("img", name="Image 1: pier.jpg")
    expect(preview).to_be_visible()
    assert preview.evaluate("img => img.complete && img.naturalWidth > 0")


def test_admin_and_api_docs_work_with_nothing_blocked(live_server, page, log_in):
    log_in(page, UserFactory(username="mod", is_staff=True, is_superuser=True))

    assert page.goto("/admin/").status == 200
    expect(page.locator("#site-name")).to_be_visible()
    assert page.goto("/admin/posts/post/").status == 200
    expect(page.locator("#changelist")).to_be_visible()
    assert page.goto("/api/docs/").status == 200
    # Swagger UI draws the operations from the schema: its scripts ran.
    expect(page.locator(".opblock").first).to_be_visible(timeout=20_000)


def test_the_policy_refuses_an_injected_inline_script(live_server, browser):
    """What the header is for: markup that slipped into a page cannot run script."""
    context = browser.new_context(base_url=live_server.url)
    tab = context.new_page()
    blocked = []
    tab.on("console", lambda message: blocked.append(message.text))
    try:
        tab.goto("/explore/")
        tab.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.injected = true";
                document.body.append(script);
            }"""
        )
        assert tab.evaluate("window.injected === undefined")
        assert any("Content Security Policy" in text for text in blocked)
    finally:
        context.close()
