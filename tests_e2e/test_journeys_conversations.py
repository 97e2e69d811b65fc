"""Conversations in a browser: replying to a comment and liking it in place, the collapsed
replies opening on request, the same without JavaScript; grouped notifications with Follow
back; and the pictures of a reply thread and of grouped notifications, light and dark."""

import re

import pytest
from playwright.sync_api import expect

from accounts.services import user_profile_update
from accounts.tests.factories import UserFactory
from posts.models import Comment, CommentLike
from posts.services import comment_add, comment_like_add, like_add
from posts.tests.factories import PostFactory, photo_upload
from social.graph.models import Follow
from social.graph.services import follow_create
from tests_e2e.test_journeys_screenshots import SCHEMES, _check_what_a_person_sees

SAME_PAGE = "window.stillThisPage === true"


@pytest.fixture
def conversation():
    """Sam's post; Bob's comment with four replies; Lea, who reads it."""
    post = PostFactory(author=UserFactory(username="sam"), caption="Harbour at dawn")
    bob = UserFactory(username="bob")
    top = comment_add(author=bob, post=post, text="The light on the water!")
    replies = [
        comment_add(
            author=UserFactory(username=f"fan{n}"), post=post, text=f"Yes {n}", reply_to=top
        )
        for n in range(4)
    ]
    return post, top, replies, UserFactory(username="lea")


@pytest.mark.django_db(transaction=True)
def test_with_javascript_i_reply_like_and_open_more_replies_in_place(
    live_server, page, log_in, conversation
):
    post, top, _replies, me = conversation
    log_in(page, me)
    page.goto(f"/p/{post.pk}/")
    page.evaluate("window.stillThisPage = true")
    thread = page.locator(f'[data-reply-list="{top.pk}"]')
    expect(thread.locator(".comment")).to_have_count(2)

    page.get_by_role("link", name="View 2 more replies").click()
    expect(thread.locator(".comment")).to_have_count(4)
    expect(page.get_by_role("link", name="View 2 more replies")).to_have_count(0)

    page.locator(f"#comment-{top.pk}").get_by_role("link", name="Reply to bob").first.click()
    box = page.get_by_label("Add a comment")
    expect(box).to_have_value("@bob ")
    box.press_sequentially("so true")
    box.press("Enter")
    expect(thread.locator(".comment")).to_have_count(5)
    expect(thread).to_contain_text("@bob so true")

    like = page.get_by_role("button", name="Like comment by bob")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f'[data-comment-likes="{top.pk}"]')).to_have_text("1 like")

    assert page.evaluate(SAME_PAGE), "a conversation step reloaded the page"
    assert Comment.objects.get(author=me).parent_id == top.pk
    assert CommentLike.objects.filter(user=me, comment=top).exists()


@pytest.mark.django_db(transaction=True)
def test_without_javascript_reply_and_more_replies_are_pages_of_their_own(
    live_server, open_page, log_in, conversation
):
    post, top, replies, me = conversation
    plain = open_page(java_script_enabled=False)
    log_in(plain, me)
    plain.goto(f"/p/{post.pk}/")

    plain.get_by_role("link", name="View 2 more replies").click()
    expect(plain.locator('[data-infinite^="replies-"] .comment')).to_have_count(2)
    expect(plain.get_by_text("Yes 3")).to_be_visible()

    plain.goto(f"/p/{post.pk}/")
    plain.locator(f"#comment-{replies[0].pk}").get_by_role("link", name="Reply").click()
    plain.get_by_label("Add a comment").fill("Agreed")
    plain.get_by_role("button", name="Reply").click()

    expect(plain).to_have_url(re.compile(rf"/p/{post.pk}/#comment-\d+$"))
    reply = Comment.objects.get(author=me)
    assert (reply.parent_id, reply.text) == (top.pk, "@fan0 Agreed")


@pytest.mark.django_db(transaction=True)
def test_grouped_notifications_name_the_latest_people_and_offer_follow_back(
    live_server, page, log_in
):
    me = UserFactory(username="maya")
    post = PostFactory(author=me)
    for name in ("ann", "ben", "cat", "dan"):
        like_add(user=UserFactory(username=name), post=post)
    fan = UserFactory(username="eve")
    follow_create(follower=fan, following=me)
    log_in(page, me)

    page.goto("/notifications/")

    expect(page.locator(".notification")).to_have_count(2)
    expect(page.locator(".notification").nth(1)).to_contain_text(
        "dan, cat and 2 others liked your post"
    )
    page.get_by_role("button", name="Follow back eve").click()
    expect(page.get_by_role("button", name=re.compile("^Following"))).to_be_visible()
    assert Follow.objects.filter(follower=me, following=fan).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_screenshots_of_a_reply_thread_and_grouped_notifications(
    live_server, page, log_in, screenshots, viewports, share, scheme
):
    maya = UserFactory(username="maya", display_name="Maya Lind")
    user_profile_update(user=maya, avatar=photo_upload("maya.jpg", seed=101, size=(400, 400)))
    friends = [
        UserFactory(username=name, display_name=name.title())
        for name in ("jonas.berg", "aiko_t", "lena", "tomas")
    ]
    hills = share(maya, caption="Three days, one tent, no signal. #hiking", photos=2)
    top = comment_add(author=friends[0], post=hills, text="That second one! Print it please")
    comment_add(author=maya, post=hills, text="Will do, it's yours", reply_to=top)
    comment_add(author=friends[1], post=hills, text="I want one too", reply_to=top)
    comment_add(author=friends[2], post=hills, text="Me three", reply_to=top)
    comment_add(author=friends[3], post=hills, text="Where was this?")
    for person in friends:
        like_add(user=person, post=hills)
    for person in friends[1:]:
        comment_like_add(user=person, comment=top)
    follow_create(follower=friends[3], following=maya)
    # On a friend's post: my comment, liked by three and answered by one.
    theirs = share(friends[1], caption="Ramen night #food")
    mine = comment_add(author=maya, post=theirs, text="Save me a seat next time")
    for person in friends[1:]:
        comment_like_add(user=person, comment=mine)
    comment_add(author=friends[1], post=theirs, text="Always", reply_to=mine)
    log_in(page, maya)
    page.emulate_media(color_scheme=scheme)

    for name, (path, content) in {
        "reply-thread": (f"/p/{hills.pk}/", ".replies .comment"),
        "notifications-grouped": ("/notifications/", ".notification"),
    }.items():
        page.goto(path)
        expect(page.locator(content).first).to_be_visible()
        paths = screenshots(page, f"{name}-{scheme}")
        assert all(path.stat().st_size > 10_000 for path in paths)
        _check_what_a_person_sees(page, scheme, viewports)
