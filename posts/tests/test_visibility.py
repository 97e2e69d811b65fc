"""The privacy matrix: what each reader sees of one account's content, case by case.

One author, A, has a tagged post (saved by every reader, and mentioning them in a comment that
notified them), a comment and a like on a neutral host's public post. Each case changes one
thing about A; each reader then looks at A's content through every selector.

Readers (the columns of each expectation string, in this order):
    O  the owner, A themselves
    F  an accepted follower of A
    R  someone whose follow request to A is pending
    S  a stranger
    N  nobody signed in
'Y' shown, '-' hidden (absent, an empty page, or a 404), '.' does not apply (no such row can
exist for that reader: anonymous people save nothing, nobody is notified of their own action).
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import User
from accounts.selectors import user_search
from accounts.tests.factories import UserFactory
from posts.models import Comment, Like, Post, PostHashtag, SavedPost
from posts.selectors import (
    explore,
    home_feed,
    post_comments,
    post_detail,
    post_likers,
    profile_posts,
    saved_posts,
    tag_posts,
)
from posts.tests.factories import CommentFactory, HashtagFactory, PostFactory
from social.graph.models import Follow
from social.notifications.models import Notification
from social.notifications.selectors import notifications_list
from social.tests.factories import BlockFactory, FollowFactory, MuteFactory, NotificationFactory

READERS = ("owner", "follower", "requester", "stranger", "anonymous")

PUBLIC = {
    "home_feed": "YY---",  # only the owner and accepted followers follow A
    "explore": "-YYYY",  # explore never shows your own posts
    "tag_posts": "YYYYY",
    "profile_posts": "YYYYY",
    "post_detail": "YYYYY",
    "post_comments": "YYYYY",  # A's comment under the host's post
    "post_likers": "YYYYY",  # A among the likers of the host's post
    "saved_posts": "YYYY.",
    "user_search": "YYYYY",
    "notifications_list": ".YYY.",
}
ALL_HIDDEN = {
    "home_feed": "-----",
    "explore": "-----",
    "tag_posts": "-----",
    "profile_posts": "-----",
    "post_detail": "-----",
    "post_comments": "-----",
    "post_likers": "-----",
    "saved_posts": "----.",
    "user_search": "-----",
    "notifications_list": ".---.",
}
# A block hides A from the other side entirely, whatever follows exist; the owner and people
# signed out are not part of it.
BLOCKED = {
    "home_feed": "Y----",
    "explore": "----Y",
    "tag_posts": "Y---Y",
    "profile_posts": "Y---Y",
    "post_detail": "Y---Y",
    "post_comments": "Y---Y",
    "post_likers": "Y---Y",
    "saved_posts": "Y---.",
    "user_search": "Y---Y",
    "notifications_list": ".---.",
}
POST_HIDDEN = {
    **ALL_HIDDEN,
    "post_comments": "YYYYY",
    "post_likers": "YYYYY",
    "user_search": "YYYYY",
}

EXPECTED = {
    "public": PUBLIC,
    "private": {
        **PUBLIC,
        "explore": "-----",  # explore is public accounts only, even for followers
        "tag_posts": "YY---",
        "profile_posts": "YY---",
        "post_detail": "YY---",
        "saved_posts": "YY--.",
        # A's name, comments elsewhere and likes elsewhere are public; notifications already
        # sent stay, the post they link to answers 404.
    },
    "author_blocks_readers": BLOCKED,
    "readers_block_author": BLOCKED,
    "readers_mute_author": {**PUBLIC, "home_feed": "Y----"},  # mute touches the feed only
    "author_suspended": ALL_HIDDEN,
    "post_removed": POST_HIDDEN,
    "comments_removed": {**PUBLIC, "post_comments": "-----", "notifications_list": ".---."},
}


def _build_world():
    """A's content and the readers; follows stay in place under a block on purpose, so the
    read side is shown not to rely on the block service having removed them."""
    host = UserFactory(username="host")
    host_post = PostFactory(author=host)
    author = UserFactory(username="matrixauthor")
    post = PostFactory(author=author)
    PostHashtag.objects.create(post=post, hashtag=HashtagFactory(name="matrixtag"))
    own_comment = CommentFactory(post=post, author=author)
    comment_elsewhere = CommentFactory(post=host_post, author=author)
    Like.objects.create(user=author, post=host_post)
    readers = {
        "owner": author,
        "follower": FollowFactory(following=author).follower,
        "requester": FollowFactory(following=author, status=Follow.Status.PENDING).follower,
        "stranger": UserFactory(),
        "anonymous": AnonymousUser(),
    }
    for reader in [*_others(readers), author]:
        SavedPost.objects.create(user=reader, post=post)
    for reader in _others(readers):
        NotificationFactory(
            recipient=reader,
            actor=author,
            kind=Notification.Kind.MENTION,
            post=post,
            comment=own_comment,
        )
    return SimpleNamespace(
        author=author,
        post=post,
        host_post=host_post,
        comment=comment_elsewhere,
        readers=readers,
    )


def _others(readers):
    return [readers["follower"], readers["requester"], readers["stranger"]]


def _apply_case(case, world):
    author, others = world.author, _others(world.readers)
    if case == "private":
        User.objects.filter(pk=author.pk).update(is_private=True)
    elif case == "author_blocks_readers":
        for reader in others:
            BlockFactory(blocker=author, blocked=reader)
    elif case == "readers_block_author":
        for reader in others:
            BlockFactory(blocker=reader, blocked=author)
    elif case == "readers_mute_author":
        for reader in others:
            MuteFactory(muter=reader, muted=author)
    elif case == "author_suspended":
        User.objects.filter(pk=author.pk).update(suspended_at=timezone.now())
    elif case == "post_removed":
        Post.objects.filter(pk=world.post.pk).update(removed_at=timezone.now())
    elif case == "comments_removed":
        Comment.objects.filter(author=author).update(removed_at=timezone.now())
    else:
        assert case == "public"
    for reader in [*others, author]:
        reader.refresh_from_db()
    world.post.refresh_from_db()


def _page_ids(page):
    return {item.pk for item in page.items}


def _shown(selector, world, reader):
    """Whether `reader` finds A's content through `selector`."""
    w, post = world, world.post
    try:
        if selector == "home_feed":
            return post.pk in _page_ids(home_feed(viewer=reader))
        if selector == "explore":
            return post.pk in _page_ids(explore(viewer=reader))
        if selector == "tag_posts":
            return post.pk in _page_ids(tag_posts(viewer=reader, name="matrixtag"))
        if selector == "profile_posts":
            return post.pk in _page_ids(profile_posts(viewer=reader, user=w.author))
        if selector == "post_detail":
            return post_detail(viewer=reader, post_id=post.pk).pk == post.pk
        if selector == "post_comments":
            return w.comment.pk in _page_ids(post_comments(viewer=reader, post=w.host_post))
        if selector == "post_likers":
            return w.author.pk in _page_ids(post_likers(viewer=reader, post=w.host_post))
        if selector == "saved_posts":
            return post.pk in _page_ids(saved_posts(viewer=reader))
        if selector == "user_search":
            return w.author.pk in {u.pk for u in user_search(viewer=reader, prefix="MATRIX")}
        if selector == "notifications_list":
            notes = notifications_list(user=reader).items
            return any(note.actor_id == w.author.pk for note in notes)
    except (Post.DoesNotExist, User.DoesNotExist):
        return False
    raise AssertionError(f"no probe for {selector}")


@pytest.mark.django_db
@pytest.mark.parametrize("reader_name", READERS)
@pytest.mark.parametrize("case", EXPECTED)
def test_what_each_reader_sees_of_the_authors_content(case, reader_name):
    world = _build_world()
    _apply_case(case, world)
    column = READERS.index(reader_name)
    expected = {
        selector: marks[column] == "Y"
        for selector, marks in EXPECTED[case].items()
        if marks[column] != "."
    }

    seen = {selector: _shown(selector, world, world.readers[reader_name]) for selector in expected}

    assert seen == expected
