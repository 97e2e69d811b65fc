import base64
import json

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from core.pagination import InvalidCursor, clamp_page_size, paginate_keyset
from posts.models import Post
from posts.tests.factories import PostFactory

NEWEST_FIRST = (("created_at", "desc"), ("id", "desc"))

pytestmark = pytest.mark.django_db


def make_posts(n, **kwargs):
    return [PostFactory(images=0, **kwargs) for _ in range(n)]


def ids(page):
    return [post.pk for post in page.items]


def walk(queryset, ordering, page_size, between_pages=None):
    """Every page from the first to the last; `between_pages` runs before each next request."""
    seen, cursor = [], None
    while True:
        page = paginate_keyset(queryset, ordering=ordering, cursor=cursor, page_size=page_size)
        seen.extend(ids(page))
        if not page.has_next:
            assert page.next_cursor is None
            return seen
        cursor = page.next_cursor
        if between_pages:
            between_pages()


def test_pages_neither_overlap_nor_skip_while_new_posts_arrive():
    existing = make_posts(25)
    newest_first = [post.pk for post in reversed(existing)]

    seen = walk(Post.objects.all(), NEWEST_FIRST, page_size=10, between_pages=lambda: make_posts(3))

    assert seen == newest_first


def test_rows_with_the_same_timestamp_are_split_by_id_without_loss():
    posts = make_posts(7)
    Post.objects.update(created_at=timezone.now())

    seen = walk(Post.objects.all(), NEWEST_FIRST, page_size=3)

    assert seen == sorted((post.pk for post in posts), reverse=True)


def test_ranked_ordering_with_ties_pages_through_every_row_once():
    posts = make_posts(9)
    for i, post in enumerate(posts):
        Post.objects.filter(pk=post.pk).update(like_count=i % 3, comment_count=i % 2)
    ranked = Post.objects.annotate(score=F("like_count") + 2 * F("comment_count"))
    ordering = (("score", "desc"), ("created_at", "desc"), ("id", "desc"))

    seen = walk(ranked, ordering, page_size=2)

    assert seen == list(
        ranked.order_by("-score", "-created_at", "-id").values_list("pk", flat=True)
    )


def test_ascending_ordering_pages_oldest_first():
    posts = make_posts(5)

    seen = walk(Post.objects.all(), (("created_at", "asc"), ("id", "asc")), page_size=2)

    assert seen == [post.pk for post in posts]


def test_a_last_page_that_is_exactly_full_says_there_is_no_next_page():
    make_posts(4)

    first = paginate_keyset(Post.objects.all(), ordering=NEWEST_FIRST, page_size=2)
    last = paginate_keyset(
        Post.objects.all(), ordering=NEWEST_FIRST, cursor=first.next_cursor, page_size=2
    )

    assert first.has_next and len(first) == 2
    assert not last.has_next and last.next_cursor is None and len(last) == 2


def test_a_page_is_fetched_in_one_query(django_assert_num_queries):
    make_posts(6)

    with django_assert_num_queries(1):
        page = paginate_keyset(Post.objects.all(), ordering=NEWEST_FIRST, page_size=5)

    assert len(page) == 5 and page.has_next


def _tampered(cursor):
    # Change one character of the signed payload, keeping the signature.
    i = len(cursor) // 3
    return cursor[:i] + ("A" if cursor[i] != "A" else "B") + cursor[i + 1 :]


def _base64_garbage(_cursor):
    payload = json.dumps({"o": ["-created_at", "-id"], "v": ["2020-01-01T00:00:00", 1]})
    return base64.urlsafe_b64encode(payload.encode()).decode()


def _forged_signature(cursor):
    return cursor.rsplit(":", 1)[0] + ":" + "x" * 27


def _other_salt(_cursor):
    return signing.Signer(salt="another.purpose").sign_object(
        {"o": ["-created_at", "-id"], "v": []}
    )


def _other_ordering(_cursor):
    # A genuine cursor, but made for a list ordered differently (explore's ranking).
    ranked = Post.objects.annotate(score=F("like_count"))
    ordering = (("score", "desc"), ("created_at", "desc"), ("id", "desc"))
    return paginate_keyset(ranked, ordering=ordering, page_size=1).next_cursor


@pytest.mark.parametrize(
    "make_bad_cursor",
    [
        _tampered,
        _base64_garbage,
        _forged_signature,
        _other_salt,
        _other_ordering,
        lambda _c: "not-a-cursor",
        lambda _c: "🙂:🙂",
        lambda _c: "x" * 5000,
        lambda _c: 12345,
    ],
    ids=[
        "tampered",
        "base64-garbage",
        "forged-signature",
        "other-salt",
        "other-ordering",
        "random",
        "non-ascii",
        "huge",
        "not-a-string",
    ],
)
def test_a_cursor_not_made_for_this_list_is_refused_with_a_clear_error(make_bad_cursor):
    make_posts(3)
    good = paginate_keyset(Post.objects.all(), ordering=NEWEST_FIRST, page_size=1).next_cursor

    with pytest.raises(InvalidCursor) as caught:
        paginate_keyset(
            Post.objects.all(), ordering=NEWEST_FIRST, cursor=make_bad_cursor(good), page_size=1
        )

    assert isinstance(caught.value, ValidationError)
    assert "start again from the first page" in caught.value.message_dict["cursor"][0]


@pytest.mark.parametrize(
    ("asked", "given"),
    [(None, 20), ("", 20), (0, 1), (-5, 1), (1, 1), (37, 37), ("7", 7), (100, 100), (1000, 100)],
)
def test_page_size_is_clamped_between_one_and_the_maximum(asked, given):
    assert clamp_page_size(asked) == given


def test_a_page_size_that_is_not_a_number_is_a_validation_error_on_that_field():
    with pytest.raises(ValidationError) as caught:
        clamp_page_size("lots")

    assert "page_size" in caught.value.message_dict


def test_page_size_over_the_maximum_returns_the_maximum_number_of_rows(settings):
    settings.SHUTTER = {**settings.SHUTTER, "MAX_PAGE_SIZE": 3}
    make_posts(5)

    page = paginate_keyset(Post.objects.all(), ordering=NEWEST_FIRST, page_size=50)

    assert len(page) == 3 and page.has_next
