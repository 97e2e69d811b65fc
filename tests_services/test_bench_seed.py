"""`make bench`'s seed (scripts/bench_seed.py): its COPY path at a tiny scale, on real PostgreSQL.

The full run writes millions of rows the same way; this checks the rows it writes are ones the
site reads as its own: counters match the rows, foreign keys hold once checks are back on, the
indexes are rebuilt, and a seeded reader's token opens a feed of the seeded posts and images.
"""

import importlib.util
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import Count, F
from rest_framework.test import APIClient

from accounts.models import User
from posts.models import Like, Post, PostImage
from social.graph.models import Follow

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, databases="__all__")]

SEED_PATH = Path(settings.BASE_DIR) / "scripts" / "bench_seed.py"


def bench_seed():
    spec = importlib.util.spec_from_file_location("bench_seed", SEED_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def seed_tiny(module, media_root):
    db = connection.settings_dict
    raw = psycopg2.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"])
    try:
        with raw:
            network, counts = module.seed(
                raw,
                module.SCALES["tiny"],
                media_root=media_root,
                password_hash=make_password("unused"),
                say=lambda message: None,
            )
        module.analyze(raw)
    finally:
        raw.close()
    return network, counts


def test_the_copy_seed_writes_a_network_the_site_reads(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    module = bench_seed()
    scale = module.SCALES["tiny"]

    network, counts = seed_tiny(module, tmp_path)

    assert counts["users"] == User.objects.count() == scale.users
    assert counts["posts"] == Post.objects.count() == PostImage.objects.count() == scale.posts
    assert counts["likes"] == Like.objects.count() == scale.likes
    assert counts["follows"] == Follow.objects.count()
    # The denormalised counters agree with the rows.
    mismatched_posts = Post.objects.annotate(n=Count("likes")).exclude(like_count=F("n"))
    assert not mismatched_posts.exists()
    for user in User.objects.annotate(
        posts_n=Count("posts", distinct=True), followers_n=Count("follower_set", distinct=True)
    ):
        assert (user.post_count, user.follower_count) == (user.posts_n, user.followers_n)
    fanout = User.objects.get(pk=network.fanout_author)
    assert fanout.follower_count == scale.fanout_followers
    big = User.objects.get(pk=network.big_readers[0])
    assert big.following_count == scale.big_follows
    # Every image row names a real file under MEDIA_ROOT.
    image = PostImage.objects.order_by("?").first()
    assert (tmp_path / image.image.name).is_file()
    assert (tmp_path / image.thumbnail.name).is_file()
    # The indexes and constraints dropped for the load are back.
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'posts_like'")
        like_indexes = {row[0] for row in cursor.fetchall()}
    assert {"like_unique", "like_post_recent_idx"} <= like_indexes

    # A seeded reader's token opens their feed: their posts and those of accounts they follow.
    reader = network.small_readers[0]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {module.token_key(reader)}")
    response = client.get("/api/v1/feed/?page_size=5")

    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 5
    followed = set(
        Follow.objects.filter(follower_id=reader).values_list("following__username", flat=True)
    )
    followed.add(f"u{reader}")
    assert {post["author"]["username"] for post in results} <= followed
    assert all(post["images"] for post in results)
