"""Stored file names lead nowhere: no author id, post id or username, nothing to count up.

Issue 9, finding 3: demo files were named `posts/<author id>/demo-<post id>-<n>.jpg`, so anyone
could list every photo by counting. Uploads, their variants, avatars and the demo seed now get
`<folder>/<2 hex>/<32 random hex>.<ext>`.
"""

import io
import itertools
import re

import pytest
from django.core.management import call_command

from accounts.management.demo import images as demo_images
from accounts.models import User
from accounts.services import user_profile_update
from accounts.tests.factories import UserFactory
from posts.models import PostImage
from posts.services import post_create
from posts.tests.factories import image_upload, photo_upload

pytestmark = pytest.mark.django_db

RANDOM_NAME = re.compile(
    r"(?P<folder>posts|avatars)/(?P<shard>[0-9a-f]{2})/(?P<token>[0-9a-f]{32})\.(jpg|png|webp)"
)
# Two random 128-bit tokens fall this close together about once in 2**63 draws.
FAR_APART = 2**64


def token_of(name, *, folder):
    match = RANDOM_NAME.fullmatch(name)
    assert match, name
    assert match["folder"] == folder and match["shard"] == match["token"][:2], name
    return match["token"]


def assert_unguessable(names, *, folder):
    """Every name is folder/shard/token.ext and nothing else: no room for an id, a username or
    a "demo-<post id>" part (the shard is the token's first two digits, not a folder per
    account); and no two tokens are near each other, so nothing counts up."""
    tokens = [token_of(name, folder=folder) for name in names]
    assert len(set(tokens)) == len(tokens)
    numbers = sorted(int(token, 16) for token in tokens)
    assert all(b - a > FAR_APART for a, b in itertools.pairwise(numbers)), names


def test_an_uploaded_posts_files_and_variants_have_random_names(committed):
    author = UserFactory(username="ana")
    names = []
    for seed in range(3):  # three posts in a row: names must not count up with them
        with committed():
            post = post_create(
                author=author,
                images=[photo_upload("a.jpg", seed=seed), photo_upload("b.png", seed=9, fmt="PNG")],
            )
        for image in post.images.all():
            assert image.display and image.thumbnail
            names += [image.image.name, image.display.name, image.thumbnail.name]

    assert len(names) == 18
    assert_unguessable(names, folder="posts")


def test_an_avatar_has_a_random_name_and_a_new_one_another(committed):
    user = UserFactory(username="ben")
    names = []
    for _ in range(2):
        with committed():
            user_profile_update(user=user, avatar=image_upload("me.png", size=(200, 200)))
        names.append(user.avatar.name)

    assert_unguessable(names, folder="avatars")


def test_the_demo_seed_names_its_files_like_uploads_and_a_private_ones_stay_private(
    settings, monkeypatch, client
):
    settings.DEBUG = True
    monkeypatch.setattr(demo_images, "PICTURES_PER_SCENE", 1)
    call_command("seed_demo", "--users", "30", "--posts", "60", stdout=io.StringIO())

    images = PostImage.objects.all()
    names = [
        name for row in images for name in (row.image.name, row.display.name, row.thumbnail.name)
    ]
    assert_unguessable(names, folder="posts")
    avatars = User.objects.exclude(avatar="").values_list("avatar", flat=True)
    assert_unguessable(list(avatars), folder="avatars")

    # The files load through the access rule: a private account's not to a visitor.
    private = images.filter(post__author__is_private=True).first()
    public = images.filter(post__author__is_private=False).first()
    assert client.get(private.thumbnail.url).status_code == 404
    assert client.get(public.thumbnail.url).status_code == 200
