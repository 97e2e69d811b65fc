"""Journeys: feedback and safety at every step (issue 13, points 2, 5 and 10).

Sharing disables itself and shows progress; unfollowing a private account asks first; the
feed ends with "You're all caught up"; on a phone, small links are big enough to tap; on the
post page, Tab reaches the caption before the actions.
"""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from posts.models import Post
from posts.services import comment_add
from posts.tests.factories import image_bytes, structured_image
from social.graph.models import Follow
from social.graph.services import follow_create, follow_request_accept

pytestmark = pytest.mark.django_db(transaction=True)

MIN_TAP = 24  # px, WCAG 2.2 "Target Size (Minimum)"
FOCUSED_NAME = """() => {
  const el = document.activeElement;
  return el.textContent.trim() || el.getAttribute("aria-label") || "";
}"""


def test_share_disables_itself_shows_progress_and_posts_once(live_server, page, log_in):
    me = UserFactory(username="noor")
    log_in(page, me)
    page.goto("/p/new/")
    page.get_by_label("Photos").set_input_files(
        {"name": "pier.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(structured_image(7))}
    )
    page.get_by_label("Caption").fill("Once only")

    # Two clicks in the same moment, as an impatient double click: the second must do nothing.
    state = page.evaluate(
        """() => {
            const button = document.querySelector("form[data-post-form] button[type=submit]");
            button.click();
            const after = { disabled: button.disabled,
                            progress: !document.querySelector(".share-progress").hidden };
            button.click();
            return after;
        }"""
    )

    assert state == {"disabled": True, "progress": True}
    expect(page).to_have_url(re.compile(r"/p/\d+/$"))
    expect(page.get_by_role("status").first).to_contain_text("Post shared")
    assert Post.objects.filter(author=me).count() == 1


def test_a_refused_share_shows_the_form_again_with_the_button_usable(live_server, page, log_in):
    log_in(page, UserFactory())
    page.goto("/p/new/")
    page.get_by_label("Photos").set_input_files(
        {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"not an image at all"}
    )
    page.get_by_role("button", name="Share").click()

    expect(page.get_by_text("notes.jpg is not an image we accept")).to_be_visible()
    expect(page.get_by_role("button", name="Share")).to_be_enabled()
    assert Post.objects.count() == 0


def test_unfollowing_a_private_account_asks_and_cancel_keeps_the_follow(live_server, page, log_in):
    me, private = UserFactory(), UserFactory(username="quiet", is_private=True)
    follow_create(follower=me, following=private)
    follow_request_accept(owner=private, follow_id=Follow.objects.get(follower=me).pk)
    log_in(page, me)
    page.goto("/u/quiet/")
    button = page.locator(".profile").get_by_role("button", name=re.compile("Following"))

    dialogs = []
    page.once("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    button.first.click()
    expect(button.first).to_contain_text("Following")
    assert dialogs and "private" in dialogs[0]
    assert Follow.objects.filter(follower=me, following=private).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    button.first.click()
    expect(page.get_by_role("button", name=re.compile(r"^Follow(?!ing)"))).to_be_visible()
    assert not Follow.objects.filter(follower=me, following=private).exists()


def test_without_scripts_unfollowing_a_private_account_goes_through_a_question_page(
    live_server, open_page, log_in
):
    tab = open_page(java_script_enabled=False)
    me, private = UserFactory(), UserFactory(username="quiet", is_private=True)
    follow_create(follower=me, following=private)
    follow_request_accept(owner=private, follow_id=Follow.objects.get(follower=me).pk)
    log_in(tab, me)
    tab.goto("/u/quiet/")

    tab.get_by_role("button", name=re.compile("Following")).first.click()
    expect(tab.get_by_role("heading", name="Unfollow quiet?")).to_be_visible()
    assert Follow.objects.filter(follower=me, following=private).exists()
    tab.get_by_role("button", name="Unfollow").click()
    expect(tab.get_by_role("status").first).to_contain_text("You unfollowed quiet")
    assert not Follow.objects.filter(follower=me, following=private).exists()


def test_the_feed_ends_with_all_caught_up_after_infinite_scroll(
    live_server, page, log_in, share, settings
):
    settings.SHUTTER = {**settings.SHUTTER, "PAGE_SIZE": 2}
    me = UserFactory()
    for n in range(3):
        share(me, caption=f"post {n}")
    log_in(page, me)
    page.goto("/")

    page.mouse.wheel(0, 10_000)
    expect(page.locator("article.post")).to_have_count(3)
    # The note came with the last page, in place of its "load more" link: once, at the end.
    end = page.get_by_role("heading", name="You're all caught up")
    expect(end).to_be_visible()
    expect(end).to_have_count(1)
    expect(page.locator("a[data-load-more]")).to_have_count(0)


def test_on_a_phone_report_links_hashtags_and_mentions_are_big_enough_to_tap(
    live_server, open_page, log_in, share, viewports
):
    tab = open_page(viewport=viewports["phone"])
    me, author = UserFactory(), UserFactory(username="ana")
    post = share(author, caption="Dawn at #Malibu with @ana and #sea")
    # Someone else's comment: its Report link; my own: its Delete button.
    comment_add(author=author, post=post, text="Thanks #sea")
    comment_add(author=me, post=post, text="Lovely @ana")
    log_in(tab, me)
    tab.goto(f"/p/{post.pk}/")

    tab.locator("summary[aria-label='More options for this post']").click()
    small = tab.evaluate(
        """(minimum) => [...document.querySelectorAll(
                "main a, main button, main summary, main [role=button]")]
            .filter((el) => el.offsetParent !== null)
            .map((el) => ({ el, box: el.getBoundingClientRect() }))
            .filter(({ box }) => box.width > 0 && (box.height < minimum || box.width < minimum))
            .map(({ el, box }) => `${el.outerHTML.slice(0, 80)} ${box.width}x${box.height}`)""",
        MIN_TAP,
    )
    assert small == [], "\n".join(small)


def test_tab_reaches_the_caption_before_like_on_the_post_page(live_server, page, log_in, share):
    me, author = UserFactory(), UserFactory(username="ana")
    post = share(author, caption="Dawn at #Malibu")
    log_in(page, me)
    page.goto(f"/p/{post.pk}/")

    reached = []
    page.get_by_role("link", name="ana").first.focus()
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(FOCUSED_NAME))
    like = next(i for i, text in enumerate(reached) if text.startswith("Like"))
    tag = reached.index("#Malibu")
    assert tag < like, reached
