"""Photos through nginx: a browser sees every picture load; public files are cacheable for a
year; a private account's files are refused to a stranger and served to a follower.

nginx sends /media/ to Django, which decides who may see the file; an allowed request comes
back with X-Accel-Redirect and nginx sends the bytes from disk (deploy/nginx)."""

import re
import uuid

import requests
from playwright.sync_api import expect

from posts.tests.factories import image_bytes, structured_image

JPEG_START = b"\xff\xd8\xff"
YEAR = "public, max-age=31536000, immutable"


def images_on(tab):
    """[(src, loaded)] for every <img> of the page, lazy ones fetched first."""
    return tab.evaluate(
        """async () => {
            const images = [...document.images];
            images.forEach((img) => { img.loading = "eager"; });
            await Promise.all(images.map((img) => img.decode().catch(() => null)));
            return images.map((img) => [img.currentSrc || img.src,
                                        img.complete && img.naturalWidth > 0]);
        }"""
    )


def assert_every_image_loads(tab, at_least):
    images = images_on(tab)
    assert len(images) >= at_least, images
    broken = [src for src, loaded in images if not loaded]
    assert broken == [], f"{tab.url}: these did not load: {broken}"
    return [src for src, _ in images]


def test_a_new_person_signs_up_posts_a_photo_and_every_picture_loads(open_tab, site):
    name = f"stack{uuid.uuid4().hex[:8]}"
    caption = f"Harbour at dusk {name}"
    me = open_tab()
    me.goto("/accounts/signup/")
    me.get_by_label("Email").fill(f"{name}@example.com")
    me.get_by_label("Username").fill(name)
    me.get_by_label("Password", exact=True).fill("a-long-pass-phrase")
    me.get_by_role("button", name="Sign up").click()
    expect(me).to_have_url(site + "/")

    # Follow someone who posted, so the feed has other people's photos (and avatars) too.
    me.goto("/u/alice/")
    me.get_by_role("button", name="Follow alice").click()
    expect(me.get_by_role("button", name=re.compile("^Following"))).to_be_visible()
    me.goto("/")
    assert_every_image_loads(me, at_least=1)

    me.get_by_role("link", name="New post").click()
    photo_file = image_bytes(structured_image(3))
    me.get_by_label("Photos").set_input_files(
        {"name": "harbour.jpg", "mimeType": "image/jpeg", "buffer": photo_file}
    )
    me.get_by_label("Alt text for photo 1 (optional)").fill(caption)
    me.get_by_label("Caption").fill(caption)
    me.get_by_role("button", name="Share").click()
    expect(me).to_have_url(re.compile(r"/p/\d+/$"))

    photo = me.get_by_role("img", name=caption)
    expect(photo).to_be_visible()
    sources = assert_every_image_loads(me, at_least=1)
    assert any("/media/posts/" in src for src in sources)

    me.goto(f"/u/{name}/")
    tile = me.locator(".grid").get_by_role("img", name=caption)
    expect(tile).to_be_visible()
    assert_every_image_loads(me, at_least=1)

    me.goto("/")
    expect(me.get_by_role("img", name=caption).first).to_be_visible()
    assert_every_image_loads(me, at_least=2)


def image_of(sql, *, private):
    """The display file of a live post by an active account that is (or isn't) private."""
    rows = sql(
        """SELECT i.display, u.id FROM posts_postimage i
           JOIN posts_post p ON p.id = i.post_id JOIN accounts_user u ON u.id = p.author_id
           WHERE u.is_private = %s AND u.is_active AND u.suspended_at IS NULL
             AND p.removed_at IS NULL AND i.display <> ''
           ORDER BY p.id LIMIT 1""",
        [private],
    )
    assert rows, f"seed_demo makes posts by {'private' if private else 'public'} accounts"
    return rows[0]


def test_public_photos_carry_a_year_of_cache_and_the_bytes(site, sql):
    name, _author = image_of(sql, private=False)

    response = requests.get(f"{site}/media/{name}", timeout=30)

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == YEAR
    assert response.headers["Content-Type"] == "image/jpeg"
    assert "Cookie" not in response.headers.get("Vary", "")
    assert response.content.startswith(JPEG_START)
    assert int(response.headers["Content-Length"]) == len(response.content) > 1000


def test_a_private_accounts_photo_is_hidden_from_strangers_and_shown_to_a_follower(
    site, sql, signed_in
):
    name, author = image_of(sql, private=True)
    follower = sql(
        """SELECT u.username FROM social_follow f JOIN accounts_user u ON u.id = f.follower_id
           WHERE f.following_id = %s AND f.status = 'accepted' AND u.is_active
             AND u.suspended_at IS NULL ORDER BY u.id LIMIT 1""",
        [author],
    )[0][0]
    stranger = sql(
        """SELECT username FROM accounts_user u WHERE u.id <> %s AND u.is_active
             AND u.suspended_at IS NULL AND NOT EXISTS (SELECT 1 FROM social_follow f
               WHERE f.follower_id = u.id AND f.following_id = %s AND f.status = 'accepted')
           ORDER BY u.id LIMIT 1""",
        [author, author],
    )[0][0]
    url = f"{site}/media/{name}"

    assert requests.get(url, timeout=30).status_code == 404
    refused = signed_in(stranger).get(url, timeout=30)
    assert refused.status_code == 404
    assert not refused.content.startswith(JPEG_START)

    shown = signed_in(follower).get(url, timeout=30)
    assert shown.status_code == 200
    assert shown.content.startswith(JPEG_START)
    assert shown.headers["Cache-Control"] == "private, max-age=3600"
    assert "Cookie" in shown.headers["Vary"]
