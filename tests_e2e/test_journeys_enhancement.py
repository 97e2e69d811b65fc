"""Journeys that check the site with and without JavaScript, and with a keyboard alone:
liking in place or by a classic form post, the feed's next pages, focus on the like button."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from posts.models import Like
from posts.services import like_add
from posts.tests.factories import PostFactory

# A mark set on the page's window: it survives in-place updates and is gone after a navigation.
MARK_PAGE = "window.stillThisPage = true"
SAME_PAGE = "window.stillThisPage === true"


def _like_parts(tab, post):
    summary = tab.locator(f'[data-like-summary="{post.pk}"]')
    return tab.locator(f"#post-{post.pk}").get_by_role("button", name="Like"), summary


def _shown_post_ids(tab):
    ids = tab.locator("article.post").evaluate_all("cards => cards.map(c => c.dataset.postCard)")
    return [int(pk) for pk in ids]


@pytest.mark.django_db(transaction=True)
def test_like_without_javascript_posts_the_form_and_the_page_shows_the_new_count(
    live_server, open_page, log_in
):
    me = UserFactory(username="lea")
    post = PostFactory(author=UserFactory(username="sam"), caption="Harbour at dawn")
    like_add(user=UserFactory(), post=post)
    plain = open_page(java_script_enabled=False)
    log_in(plain, me)
    plain.goto(f"/p/{post.pk}/")
    like, summary = _like_parts(plain, post)
    expect(summary).to_have_text("1 like")
    expect(like).to_have_attribute("aria-pressed", "false")

    with plain.expect_navigation():
        like.click()

    expect(plain).to_have_url(f"{live_server.url}/p/{post.pk}/#post-{post.pk}")
    expect(summary).to_have_text("2 likes")
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like).to_have_class(re.compile(r"\bis-on\b"))
    assert Like.objects.filter(user=me, post=post).exists()

    with plain.expect_navigation():
        like.click()
    expect(summary).to_have_text("1 like")
    expect(like).to_have_attribute("aria-pressed", "false")


@pytest.mark.django_db(transaction=True)
def test_like_with_javascript_toggles_in_place_without_leaving_the_page(live_server, page, log_in):
    me = UserFactory(username="lea")
    post = PostFactory(author=UserFactory(username="sam"), caption="Harbour at dawn")
    like_add(user=UserFactory(), post=post)
    log_in(page, me)
    page.goto(f"/p/{post.pk}/")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.evaluate(MARK_PAGE)
    like, summary = _like_parts(page, post)

    like.click()
    expect(summary).to_have_text("2 likes")
    expect(like).to_have_attribute("aria-pressed", "true")
    assert Like.objects.filter(user=me, post=post).exists()

    like.click()
    expect(summary).to_have_text("1 like")
    expect(like).to_have_attribute("aria-pressed", "false")
    assert not Like.objects.filter(user=me, post=post).exists()
    assert page.evaluate(SAME_PAGE), "the like reloaded the page"
    assert navigations == []
    assert page.url == f"{live_server.url}/p/{post.pk}/"


@pytest.fixture
def seven_posts(settings):
    """A person whose feed holds seven posts, three to a page: two more pages to load."""
    settings.SHUTTER = {**settings.SHUTTER, "PAGE_SIZE": 3}
    me = UserFactory(username="kim")
    posts = [PostFactory(author=me, caption=f"Day {day}") for day in range(1, 8)]
    newest_first = [post.pk for post in sorted(posts, key=lambda p: (p.created_at, p.pk))][::-1]
    return me, newest_first


@pytest.mark.django_db(transaction=True)
def test_the_home_feed_loads_the_next_posts_as_i_scroll(
    live_server, open_page, log_in, seven_posts
):
    me, newest_first = seven_posts
    # A short window: the first page alone fills it, well short of the point where the next
    # page starts loading by itself.
    page = open_page(viewport={"width": 1280, "height": 600})
    log_in(page, me)
    page.goto("/")
    cards = page.locator("article.post")
    expect(cards).to_have_count(3)
    page.evaluate(MARK_PAGE)

    page.mouse.wheel(0, 20_000)
    expect(cards).to_have_count(6)
    page.mouse.wheel(0, 20_000)
    expect(cards).to_have_count(7)

    assert _shown_post_ids(page) == newest_first
    expect(page.get_by_role("link", name="Load more")).to_have_count(0)
    assert page.evaluate(SAME_PAGE), "scrolling left the page"
    assert page.url == live_server.url + "/"


@pytest.mark.django_db(transaction=True)
def test_without_javascript_load_more_links_page_through_the_feed(
    live_server, open_page, log_in, seven_posts
):
    me, newest_first = seven_posts
    plain = open_page(java_script_enabled=False)
    log_in(plain, me)
    plain.goto("/")
    seen = _shown_post_ids(plain)
    assert len(seen) == 3

    for expected_count in (3, 1):
        plain.get_by_role("link", name="Load more").click()
        expect(plain).to_have_url(re.compile(r"/\?cursor=[^&]+$"))
        expect(plain.locator("article.post")).to_have_count(expected_count)
        seen += _shown_post_ids(plain)

    assert seen == newest_first
    expect(plain.get_by_role("link", name="Load more")).to_have_count(0)


@pytest.mark.django_db(transaction=True)
def test_keyboard_alone_reaches_the_like_button_and_likes_with_enter_and_space(
    live_server, page, log_in
):
    me = UserFactory(username="lea")
    post = PostFactory(author=UserFactory(username="sam"), caption="Harbour at dawn")
    log_in(page, me)
    page.goto(f"/p/{post.pk}/")
    like, summary = _like_parts(page, post)

    for _ in range(30):
        page.keyboard.press("Tab")
        if like.evaluate("button => button === document.activeElement"):
            break
    else:
        pytest.fail("Tabbing through the post page never reached the like button")
    # Someone using the keyboard must see where they are.
    ring = like.evaluate(
        """button => {
            const style = getComputedStyle(button);
            return button.matches(":focus-visible")
                && (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
                    || style.boxShadow !== "none");
        }"""
    )
    assert ring, "the focused like button shows no focus ring"

    page.keyboard.press("Enter")
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(summary).to_have_text("1 like")
    page.keyboard.press("Space")
    expect(like).to_have_attribute("aria-pressed", "false")
    expect(summary).to_have_text("Be the first to like this")
    assert like.evaluate("button => button === document.activeElement"), "focus was lost"
