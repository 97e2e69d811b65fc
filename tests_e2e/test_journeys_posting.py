"""Journey: a new person signs up, shares a photo, and it reaches their profile and followers."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.tests.factories import UserFactory
from posts.tests.factories import image_bytes, structured_image
from social.graph.services import follow_create

ALT = "Sunset over the pier, the sky orange above dark water"


def _loaded(image):
    """True when the <img> really drew a picture (not a broken-image icon)."""
    return image.evaluate("img => img.complete && img.naturalWidth > 0")


@pytest.mark.django_db(transaction=True)
def test_sign_up_share_a_photo_and_it_reaches_my_profile_and_a_followers_feed(
    live_server, open_page, log_in
):
    me = open_page()
    me.goto("/accounts/signup/")
    me.get_by_label("Email").fill("noor@example.com")
    me.get_by_label("Username").fill("noor")
    me.get_by_label("Name (optional)").fill("Noor Haddad")
    me.get_by_label("Password", exact=True).fill("a-long-pass-phrase")
    me.get_by_role("button", name="Sign up").click()

    expect(me).to_have_url(live_server.url + "/")
    expect(me.get_by_role("status")).to_contain_text("Welcome to Shutter")
    expect(me.get_by_role("link", name="Profile")).to_have_attribute("href", "/u/noor/")

    # The follower arrives before the post does: it must reach their feed all the same.
    fan = UserFactory(username="fan")
    follow_create(follower=fan, following=User.objects.get(username="noor"))

    me.get_by_role("link", name="New post").click()
    expect(me).to_have_url(live_server.url + "/p/new/")
    me.get_by_label("Photos").set_input_files(
        {"name": "pier.jpg", "mimeType": "image/jpeg", "buffer": image_bytes(structured_image(7))}
    )
    # The preview shows the chosen photo before anything is uploaded.
    preview = me.get_by_role("img", name="Image 1: pier.jpg")
    expect(preview).to_be_visible()
    me.get_by_label("Alt text for photo 1 (optional)").fill(ALT)
    me.get_by_label("Caption").fill("Last light at the pier #GoldenHour")
    me.get_by_role("button", name="Share").click()

    expect(me).to_have_url(re.compile(r"/p/\d+/$"))
    # app.js's Share goes to the new post itself once the upload is done: wait for the page.
    me.wait_for_load_state("load")
    expect(me.get_by_role("status")).to_contain_text("Post shared")
    post_url = me.url
    photo = me.get_by_role("img", name=ALT)
    expect(photo).to_be_visible()
    assert _loaded(photo)
    tag = me.locator("[data-caption]").get_by_role("link", name="#GoldenHour")
    expect(tag).to_have_attribute("href", "/tags/goldenhour/")

    me.get_by_role("link", name="Profile").click()
    expect(me).to_have_url(live_server.url + "/u/noor/")
    expect(me.locator(".profile__counts")).to_contain_text("1 post")
    tile = me.locator(".grid").get_by_role("link", name=ALT)
    expect(tile).to_have_attribute("href", post_url.removeprefix(live_server.url))
    assert _loaded(tile.get_by_role("img"))

    follower = open_page()
    log_in(follower, fan)
    follower.goto("/")
    card = follower.locator("article.post").filter(has=follower.get_by_role("img", name=ALT))
    expect(card).to_have_count(1)
    expect(card.locator(".post__byline")).to_contain_text("noor")
    expect(card.locator("[data-caption]")).to_contain_text("Last light at the pier")
    assert _loaded(card.get_by_role("img", name=ALT))
