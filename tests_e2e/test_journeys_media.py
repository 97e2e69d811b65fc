"""Journey: photos load through the access rule in a real browser, and stop for a stranger.

The live server runs the site's own urls: every picture on the feed, a post and a profile
comes through the /media/ view, as under `make run` (DEBUG on here, as there).
"""

import pytest
from playwright.sync_api import expect

from accounts.services import user_profile_update
from accounts.tests.factories import UserFactory
from posts.tests.factories import image_upload
from social.graph.services import block_create
from social.tests.factories import FollowFactory

EVERY_IMAGE_LOADED = """async () => {
    const images = [...document.images];
    images.forEach((img) => { img.loading = "eager"; });
    await Promise.all(images.map((img) => img.decode().catch(() => null)));
    return images.map((img) => [img.currentSrc || img.src, img.complete && img.naturalWidth > 0]);
}"""


def _images_on(tab, path):
    tab.goto(path)
    return tab.evaluate(EVERY_IMAGE_LOADED)


@pytest.mark.django_db(transaction=True)
def test_a_follower_sees_every_picture_of_a_private_account_and_a_stranger_none(
    live_server, open_page, log_in, share, settings
):
    settings.DEBUG = True
    owner = UserFactory(username="mara", private=True)
    user_profile_update(user=owner, avatar=image_upload("me.png", size=(300, 300)))
    post = share(owner, caption="Private garden", photos=2, alt_texts=["Tomatoes", "Beans"])
    follower = UserFactory(username="jon")
    FollowFactory(follower=follower, following=owner)

    seeing = open_page()
    log_in(seeing, follower)
    media = []
    for path in ("/", f"/p/{post.pk}/", "/u/mara/"):
        images = _images_on(seeing, path)
        assert [src for src, loaded in images if not loaded] == [], path
        media += [src for src, _ in images if "/media/posts/" in src]
    assert len(media) >= 4  # the feed, the post and the grid really showed the post's files
    expect(seeing.get_by_role("img", name="Tomatoes")).to_have_count(1)

    # The same addresses, typed by someone else, lead nowhere.
    stranger = open_page()
    log_in(stranger, UserFactory(username="nosy"))
    visitor = open_page()
    for url in set(media):
        assert stranger.context.request.get(url).status == 404, url
        assert visitor.context.request.get(url).status == 404, url
    assert visitor.context.request.get(owner.avatar.url).status == 200  # avatars are public

    # Once blocked, the follower's own earlier addresses stop answering too.
    block_create(blocker=owner, blocked=follower)
    assert {seeing.context.request.get(url).status for url in set(media)} == {404}
