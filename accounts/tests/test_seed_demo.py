"""manage.py seed_demo: a consistent demo network, logins that work, and a safe --if-empty."""

import io
import re
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db.models import Count, Exists, F, OuterRef, Q
from PIL import Image

from accounts.management.demo import images
from accounts.models import User
from posts.models import Comment, Hashtag, Like, Mention, Post, PostImage, SavedPost
from posts.services import post_counters_recount, post_delete
from social.graph.models import Block, Follow, Mute
from social.moderation.models import ModerationAction, Report
from social.notifications.models import Notification

LOGIN_LINE = re.compile(r"^\s+(\S+)\s+/\s+(\S+)\s", re.MULTILINE)


@pytest.fixture
def seed(settings, monkeypatch):
    """Run seed_demo as `make run` would (DEBUG on), with a smaller picture pool for speed."""
    settings.DEBUG = True
    monkeypatch.setattr(images, "PICTURES_PER_SCENE", 2)

    def run(*args):
        out = io.StringIO()
        call_command("seed_demo", *args, stdout=out)
        return out.getvalue()

    return run


@pytest.fixture
def seeded(seed):
    # Seed 4 draws two accounts with the same initials, which the avatar test needs.
    return seed("--users", "30", "--posts", "120", "--seed", "4")


@pytest.mark.django_db
def test_seed_fills_every_table_of_the_network(seeded):
    assert User.objects.count() == 30
    assert Post.objects.count() == 120
    for model in (PostImage, Hashtag, Mention, Comment, Like, SavedPost, Follow, Block, Mute):
        assert model.objects.exists(), model.__name__
    assert Notification.objects.exists()
    assert Report.objects.filter(status=Report.Status.OPEN).count() >= 3
    assert "Seeded 30 users" in seeded


@pytest.mark.django_db
def test_every_counter_equals_the_rows_it_counts(seeded):
    accepted = Follow.Status.ACCEPTED
    users = User.objects.annotate(
        n_posts=Count("posts", distinct=True),
        n_followers=Count("follower_set", filter=Q(follower_set__status=accepted), distinct=True),
        n_following=Count("following_set", filter=Q(following_set__status=accepted), distinct=True),
    )
    posts = Post.objects.annotate(
        n_likes=Count("likes", distinct=True), n_comments=Count("comments", distinct=True)
    )

    assert [
        u.username
        for u in users
        if (u.post_count, u.follower_count, u.following_count)
        != (u.n_posts, u.n_followers, u.n_following)
    ] == []
    assert [
        p.pk for p in posts if (p.like_count, p.comment_count) != (p.n_likes, p.n_comments)
    ] == []
    assert Post.objects.filter(like_count__gt=0).exists()
    assert User.objects.filter(follower_count__gt=0).exists()
    # Replies thread under their comment, with counters the nightly recount agrees with.
    assert Comment.objects.filter(parent__isnull=False, reply_count=0).count() > 0
    assert Comment.objects.filter(reply_count__gt=0).exists()
    assert post_counters_recount() == 0


@pytest.mark.django_db
def test_printed_logins_work_and_have_their_roles(seeded):
    logins = dict(LOGIN_LINE.findall(seeded))

    assert set(logins) == {"alice", "nora", "moderator", "admin"}
    users = {name: authenticate(username=name, password=pw) for name, pw in logins.items()}
    assert all(users.values()), users
    assert users["nora"].is_private
    assert Follow.objects.pending().filter(following=users["nora"]).exists()
    assert users["moderator"].is_staff and not users["moderator"].is_superuser
    assert users["admin"].is_superuser
    assert users["alice"].following_count >= 20


@pytest.mark.django_db
def test_the_moderator_login_finds_a_queue_to_work(seeded, client):
    moderator = User.objects.get(username="moderator")
    open_reports = Report.objects.filter(status=Report.Status.OPEN)
    per_post = Counter(open_reports.exclude(post=None).values_list("post_id", flat=True))

    assert moderator.has_perm("social.moderate")
    assert open_reports.count() >= 6
    assert {r.target_kind for r in open_reports} == {"post", "comment", "user"}
    assert max(per_post.values()) >= 2  # one post several people reported
    assert ModerationAction.objects.filter(user__reports_received__in=open_reports).exists()
    client.force_login(moderator)
    assert client.get("/admin/social/report/").status_code == 200


@pytest.mark.django_db
def test_seeded_activity_obeys_the_product_rules(seeded):
    assert not Notification.objects.filter(recipient=F("actor")).exists()
    assert not Like.objects.filter(user=F("post__author")).exists()
    for block in Block.objects.all():
        pair = Q(follower=block.blocker, following=block.blocked) | Q(
            follower=block.blocked, following=block.blocker
        )
        assert not Follow.objects.filter(pair).exists()
    for mute in Mute.objects.all():
        assert not Notification.objects.filter(recipient=mute.muter, actor=mute.muted).exists()
    follows_author = Follow.objects.accepted().filter(
        follower=OuterRef("user"), following=OuterRef("post__author")
    )
    private_likes = Like.objects.filter(post__author__is_private=True)
    assert private_likes.exists()
    assert not private_likes.exclude(Exists(follows_author)).exists()


@pytest.mark.django_db
def test_pictures_and_avatars_are_stored_with_their_variants(seeded):
    image = PostImage.objects.order_by("?").first()
    alice = User.objects.get(username="alice")

    for name in (image.image.name, image.display.name, image.thumbnail.name, alice.avatar.name):
        assert default_storage.exists(name), name
    with default_storage.open(image.thumbnail.name) as thumb:
        assert Image.open(thumb).size == (320, 320)
    assert (image.width, image.height) in images.SIZES
    assert image.phash is not None and image.alt_text


@pytest.mark.django_db
def test_deleting_a_seeded_post_keeps_the_files_of_every_other_post(
    seeded, django_capture_on_commit_callbacks
):
    victim = Post.objects.filter(images__isnull=False).first()
    victim_files = [victim.images.first().image.name]
    others = PostImage.objects.exclude(post=victim).values_list("image", "display", "thumbnail")

    with django_capture_on_commit_callbacks(execute=True):
        post_delete(actor=victim.author, post=victim)

    assert not default_storage.exists(victim_files[0])
    assert [name for row in others for name in row if not default_storage.exists(name)] == []


@pytest.mark.django_db
def test_no_two_accounts_share_an_avatar_file(seeded):
    # Replacing or deleting one account's avatar deletes its file; nobody else may lose theirs.
    rows = User.objects.exclude(avatar="").values_list("display_name", "avatar")
    initials = Counter("".join(word[0] for word in name.split()[:2]) for name, _ in rows)
    avatars = [avatar for _, avatar in rows]

    assert initials.most_common(1)[0][1] > 1  # the case that matters: same picture, two rows
    assert len(set(avatars)) == len(avatars)


@pytest.mark.django_db
def test_if_empty_leaves_an_existing_network_alone(seed, seeded):
    before = (User.objects.count(), Post.objects.count(), Like.objects.count())

    out = seed("--if-empty", "--users", "40")

    assert (User.objects.count(), Post.objects.count(), Like.objects.count()) == before
    assert "not seeding" in out


@pytest.mark.django_db
def test_seeding_a_database_that_has_accounts_is_refused(seed, seeded):
    with pytest.raises(CommandError, match="already has 30 accounts"):
        seed("--users", "40")


@pytest.mark.django_db
def test_seed_refuses_to_run_without_debug(seed, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        seed("--users", "30")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_if_empty_without_debug_skips_quietly_so_make_run_still_serves(seed, settings):
    settings.DEBUG = False

    out = seed("--if-empty", "--users", "30")

    assert "Not seeding" in out
    assert not User.objects.exists()
