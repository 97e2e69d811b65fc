"""One post's pages: detail, new post, edit, delete, and reporting a post or a comment."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from posts.models import Comment, Post, PostImage
from posts.tests.factories import (
    CommentFactory,
    PostFactory,
    image_upload,
    media_files,
    upload,
)
from social.moderation.models import Report
from social.tests.factories import BlockFactory, FollowFactory

pytestmark = pytest.mark.django_db

NEW = reverse("posts:post-new")


def detail_url(post):
    return reverse("posts:post-detail", args=[post.pk])


def edit_url(post):
    return reverse("posts:post-edit", args=[post.pk])


def delete_url(post):
    return reverse("posts:post-delete", args=[post.pk])


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def login_redirect(path):
    return f"/accounts/login/?next={path}"


@pytest.fixture
def private_post():
    return PostFactory(author=UserFactory(private=True), caption="Just for friends")


# --- Detail ------------------------------------------------------------------------------------


def test_post_page_shows_the_caption_with_linked_tags_and_mentions_and_the_comments(client):
    post = PostFactory(caption="Dawn at #Malibu with @ana.", images=3)
    CommentFactory(post=post, text="Stunning light")

    response = client.get(detail_url(post))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a class="tag" href="{reverse("posts:tag", args=["malibu"])}">#Malibu</a>' in html
    assert '<a class="mention" href="/u/ana/">@ana</a>.' in html
    assert "Stunning light" in html
    assert 'aria-label="Photos, 3 of them: scroll sideways"' in html


def test_post_page_reads_caption_and_comments_before_the_actions_in_tab_order(client, me):
    # Keyboard users meet what the post says before what they can do with it; on a wide
    # screen that is also the visual order (no CSS `order` reshuffles it).
    post = PostFactory(caption="Dawn at #Malibu")
    CommentFactory(post=post, text="Stunning light")

    html = client.get(detail_url(post)).content.decode()

    caption = html.index("data-caption")
    comment = html.index("Stunning light")
    like = html.index('data-toggle="like"')
    form = html.index(f'id="comment-text-{post.pk}"')
    assert caption < comment < like < form


def test_a_feed_card_keeps_actions_right_under_the_photo(client, me):
    FollowFactory(follower=me, following=(author := UserFactory()))
    PostFactory(author=author, caption="Dawn at #Malibu")

    html = client.get(reverse("posts:home")).content.decode()

    assert html.index('data-toggle="like"') < html.index("data-caption")


def test_private_post_is_404_for_visitors_and_strangers_and_shown_to_followers(
    client, private_post
):
    assert client.get(detail_url(private_post)).status_code == 404
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(detail_url(private_post)).status_code == 404

    FollowFactory(follower=stranger, following=private_post.author)

    response = client.get(detail_url(private_post))
    assert response.status_code == 200
    assert "Just for friends" in response.content.decode()


@pytest.mark.parametrize("direction", ["they blocked me", "I blocked them"])
def test_post_across_a_block_is_404_and_never_rendered(client, me, direction):
    other = UserFactory()
    post = PostFactory(author=other, caption="Secret sunset")
    if direction == "they blocked me":
        BlockFactory(blocker=other, blocked=me)
    else:
        BlockFactory(blocker=me, blocked=other)

    response = client.get(detail_url(post))

    assert response.status_code == 404
    assert "Secret sunset" not in response.content.decode()


def test_comments_of_a_blocked_account_are_not_shown_on_a_post(client, me):
    post = PostFactory()
    blocker = UserFactory()
    BlockFactory(blocker=blocker, blocked=me)
    CommentFactory(post=post, author=blocker, text="You can't see me")

    response = client.get(detail_url(post))

    assert "You can't see me" not in response.content.decode()


def test_removed_post_is_404_even_for_its_author(client, me):
    post = PostFactory(author=me, removed_at=timezone.now())

    assert client.get(detail_url(post)).status_code == 404


def test_author_sees_edit_and_delete_others_see_report(client, me):
    mine, theirs = PostFactory(author=me), PostFactory()

    my_page = client.get(detail_url(mine)).content.decode()
    their_page = client.get(detail_url(theirs)).content.decode()

    assert f'href="{edit_url(mine)}"' in my_page and f'href="{delete_url(mine)}"' in my_page
    assert reverse("posts:post-report", args=[mine.pk]) not in my_page
    assert f'href="{reverse("posts:post-report", args=[theirs.pk])}"' in their_page
    assert edit_url(theirs) not in their_page and delete_url(theirs) not in their_page


def test_comment_delete_is_offered_to_its_author_and_the_post_s_author_only(client):
    author, commenter, bystander = UserFactory(), UserFactory(), UserFactory()
    post = PostFactory(author=author)
    comment = CommentFactory(post=post, author=commenter)
    delete_action = f'action="{reverse("posts:comment-delete", args=[comment.pk])}"'

    offered = {}
    for person in (author, commenter, bystander):
        client.force_login(person)
        offered[person] = delete_action in client.get(detail_url(post)).content.decode()

    assert offered == {author: True, commenter: True, bystander: False}


def test_comments_are_paged_oldest_first_with_a_link_to_more(client, settings):
    settings.SHUTTER = {**settings.SHUTTER, "PAGE_SIZE": 2}
    post = PostFactory()
    comments = [CommentFactory(post=post, text=f"comment number {n}") for n in range(3)]

    html = client.get(detail_url(post)).content.decode()
    more = re.search(r'href="(\?cursor=[^"]+)" rel="next" data-load-more="comments"', html)
    rest = client.get(detail_url(post) + more.group(1).replace("&amp;", "&")).content.decode()

    assert re.findall(r'id="comment-(\d+)"', html) == [str(c.pk) for c in comments[:2]]
    assert re.findall(r'id="comment-(\d+)"', rest) == [str(comments[2].pk)]


@pytest.mark.parametrize("count", [5, 20])
def test_post_page_costs_the_same_queries_for_5_or_20_comments(
    client, me, count, django_assert_num_queries
):
    post = PostFactory(images=3)
    for _ in range(count):
        comment = CommentFactory(post=post)
        for _ in range(3):
            CommentFactory(post=post, parent=comment)
        Comment.objects.filter(pk=comment.pk).update(reply_count=3)

    # user of the session, the post (author, flags), its images, the comments' check that
    # the post is visible, the comments (authors joined, liked), their first replies (authors
    # joined, liked), unread badge
    with django_assert_num_queries(7):
        response = client.get(detail_url(post))

    html = response.content.decode()
    assert html.count('class="comment"') == count
    assert html.count('class="comment comment--reply"') == 2 * count
    assert html.count("View 1 more reply") == count


# --- New post ----------------------------------------------------------------------------------


def test_new_post_asks_a_visitor_to_log_in(client):
    response = client.get(NEW)

    assert response.status_code == 302
    assert response.url == login_redirect(NEW)


def test_new_post_form_offers_previews_alt_texts_and_a_caption_counter(client, me):
    html = client.get(NEW).content.decode()

    file_input = re.search(r'<input type="file"[^>]*>', html).group(0)
    assert 'name="images"' in file_input and "multiple" in file_input
    assert 'data-preview data-max-files="10" data-max-bytes="15728640"' in file_input
    assert html.count("data-alt-slot=") == 10
    assert 'data-counter-for="id_caption" data-max="2200"' in html


def test_sharing_over_the_post_rate_is_429_with_retry_after_and_stores_nothing(
    client, me, tight_rate
):
    tight_rate("post_create", "2/hour")

    opened = [client.get(NEW).status_code for _ in range(3)]
    shared = [client.post(NEW, {"images": [image_upload()]}).status_code for _ in range(2)]
    refused = client.post(NEW, {"images": [image_upload()]})

    assert opened == [200, 200, 200]
    assert shared == [302, 302]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "Try again in" in refused.content.decode()
    assert Post.objects.filter(author=me).count() == 2


def test_sharing_a_post_stores_images_alt_texts_and_caption_and_says_so(client, me):
    response = client.post(
        NEW,
        {
            "images": [image_upload("one.jpg"), image_upload("two.png", fmt="PNG")],
            "alt_text_1": "A heron",
            "alt_text_2": "",
            "caption": "Morning walk #birds",
        },
    )

    post = Post.objects.get(author=me)
    assert response.status_code == 302
    assert response.url == detail_url(post)
    assert messages_of(response) == ["Post shared."]
    assert post.caption == "Morning walk #birds"
    assert list(post.images.values_list("alt_text", flat=True)) == ["A heron", ""]
    assert [h.name for h in post.hashtags.all()] == ["birds"]


def test_a_too_large_image_is_named_with_the_limit_input_kept_and_nothing_stored(
    client, me, settings
):
    settings.SHUTTER = {**settings.SHUTTER, "MAX_IMAGE_BYTES": 1024 * 1024}
    big = upload("holiday.jpg", b"x" * 2 * 1024 * 1024, "image/jpeg")

    response = client.post(
        NEW, {"images": [image_upload("ok.jpg"), big], "caption": "Keep me", "alt_text_1": "Hi"}
    )

    html = response.content.decode()
    assert response.status_code == 400
    images_field = html[html.index('for="id_images"') : html.index("<fieldset")]
    assert "holiday.jpg is 2.0 MB; the limit is 1 MB per image." in images_field
    assert "Keep me</textarea>" in html
    assert 'value="Hi"' in html
    assert Post.objects.count() == 0 and PostImage.objects.count() == 0
    assert media_files() == []


def test_a_file_that_is_not_an_image_is_named_and_nothing_is_stored(client, me):
    response = client.post(NEW, {"images": [upload("notes.txt", b"hello", "text/plain")]})

    assert response.status_code == 400
    assert "notes.txt is not an image we accept: use JPEG, PNG, WebP or HEIC." in (
        response.content.decode()
    )
    assert Post.objects.count() == 0
    assert media_files() == []


def test_a_post_without_images_says_to_add_one(client, me):
    response = client.post(NEW, {"caption": "Words only"})

    assert response.status_code == 400
    assert "Add at least one image." in response.content.decode()
    assert "Words only</textarea>" in response.content.decode()


def test_more_than_ten_images_names_the_limit(client, me):
    images = [image_upload(f"p{n}.jpg") for n in range(11)]

    response = client.post(NEW, {"images": images})

    assert response.status_code == 400
    assert "A post can have at most 10 images; you chose 11." in response.content.decode()
    assert media_files() == []


def test_a_too_long_caption_names_the_limit_next_to_the_caption(client, me):
    response = client.post(NEW, {"images": [image_upload()], "caption": "x" * 2201})

    html = response.content.decode()
    assert response.status_code == 400
    caption_field = html[html.index('for="id_caption"') :]
    assert "A caption can be at most 2200 characters; this one has 2201." in caption_field
    assert Post.objects.count() == 0


def test_alt_text_for_a_photo_that_was_not_chosen_is_refused_not_dropped(client, me):
    response = client.post(NEW, {"images": [image_upload()], "alt_text_3": "A third photo"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "There is no photo 3: choose it, or clear this alt text." in html
    # Kept text stays visible even before a photo is chosen again (no data-alt-slot to hide it).
    assert 'data-alt-slot="3"' not in html and 'value="A third photo"' in html
    assert Post.objects.count() == 0


# --- Edit --------------------------------------------------------------------------------------


def test_edit_form_shows_the_caption_and_one_alt_text_per_photo(client, me):
    post = PostFactory(author=me, caption="Old words", images=2)
    post.images.filter(position=1).update(alt_text="Second photo")

    response = client.get(edit_url(post))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Old words</textarea>" in html
    assert 'name="alt_text_1"' in html and 'value="Second photo"' in html
    assert 'name="alt_text_3"' not in html


def test_author_edits_caption_and_alt_texts(client, me):
    post = PostFactory(author=me, caption="Old", images=2)

    response = client.post(
        edit_url(post), {"caption": "New #words", "alt_text_1": "First", "alt_text_2": "Second"}
    )

    post.refresh_from_db()
    assert response.status_code == 302 and response.url == detail_url(post)
    assert messages_of(response) == ["Post updated."]
    assert post.caption == "New #words" and post.edited_at is not None
    assert list(post.images.values_list("alt_text", flat=True)) == ["First", "Second"]


def test_a_rejected_edit_keeps_the_input_and_changes_nothing(client, me):
    post = PostFactory(author=me, caption="Old")

    response = client.post(edit_url(post), {"caption": "y" * 2300, "alt_text_1": "Kept"})

    post.refresh_from_db()
    assert response.status_code == 400
    assert "A caption can be at most 2200 characters; this one has 2300." in (
        response.content.decode()
    )
    assert 'value="Kept"' in response.content.decode()
    assert post.caption == "Old"


@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_else_who_can_see_the_post_gets_403_on_edit(client, me, method):
    post = PostFactory(caption="Theirs")

    response = getattr(client, method)(edit_url(post), {"caption": "Mine now"})

    post.refresh_from_db()
    assert response.status_code == 403
    assert post.caption == "Theirs"


@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_who_cannot_see_the_post_gets_404_on_edit(client, me, private_post, method):
    response = getattr(client, method)(edit_url(private_post), {"caption": "Mine now"})

    private_post.refresh_from_db()
    assert response.status_code == 404
    assert private_post.caption == "Just for friends"


def test_edit_asks_a_visitor_to_log_in(client):
    post = PostFactory()

    response = client.get(edit_url(post))

    assert response.status_code == 302 and response.url == login_redirect(edit_url(post))


# --- Delete ------------------------------------------------------------------------------------


def test_delete_asks_the_author_to_confirm_first(client, me):
    post = PostFactory(author=me)

    response = client.get(delete_url(post))

    assert response.status_code == 200
    assert "Delete this post?" in response.content.decode()
    assert Post.objects.filter(pk=post.pk).exists()


def test_author_deletes_the_post_and_its_files(client, me, django_capture_on_commit_callbacks):
    post = PostFactory(author=me)
    assert media_files()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url(post))

    assert response.status_code == 302 and response.url == "/u/me/"
    assert messages_of(response) == ["Post deleted."]
    assert not Post.objects.filter(pk=post.pk).exists()
    assert media_files() == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_else_who_can_see_the_post_gets_403_on_delete(client, me, method):
    post = PostFactory()

    response = getattr(client, method)(delete_url(post))

    assert response.status_code == 403
    assert Post.objects.filter(pk=post.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_who_cannot_see_the_post_gets_404_on_delete(client, me, private_post, method):
    response = getattr(client, method)(delete_url(private_post))

    assert response.status_code == 404
    assert Post.objects.filter(pk=private_post.pk).exists()


def test_delete_asks_a_visitor_to_log_in(client):
    post = PostFactory()

    response = client.post(delete_url(post))

    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert Post.objects.filter(pk=post.pk).exists()


# --- Reports -----------------------------------------------------------------------------------


def test_reporting_a_post_opens_a_report_and_thanks_the_reporter(client, me):
    post = PostFactory()
    url = reverse("posts:post-report", args=[post.pk])

    form = client.get(url)
    response = client.post(url, {"reason": "spam", "text": "Selling watches", "next": "/"})

    assert form.status_code == 200 and 'value="harassment"' in form.content.decode()
    assert response.status_code == 302 and response.url == "/"
    assert messages_of(response) == ["Thanks for telling us. Moderators will review this post."]
    report = Report.objects.get()
    assert (report.reporter, report.post, report.reason, report.text) == (
        me,
        post,
        "spam",
        "Selling watches",
    )


def test_a_report_without_a_reason_keeps_the_details_and_asks_for_one(client, me):
    post = PostFactory()

    response = client.post(reverse("posts:post-report", args=[post.pk]), {"text": "Odd"})

    assert response.status_code == 400
    assert "Choose a reason." in response.content.decode()
    assert "Odd</textarea>" in response.content.decode()
    assert not Report.objects.exists()


def test_reporting_my_own_post_is_refused_with_a_reason(client, me):
    post = PostFactory(author=me)

    response = client.post(reverse("posts:post-report", args=[post.pk]), {"reason": "spam"})

    assert response.status_code == 400
    assert "You can&#x27;t report your own post." in response.content.decode()
    assert not Report.objects.exists()


def test_a_post_i_cannot_see_cannot_be_reported(client, me, private_post):
    url = reverse("posts:post-report", args=[private_post.pk])

    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_reporting_a_comment_opens_a_report_of_that_comment(client, me):
    comment = CommentFactory(text="Buy followers here")
    url = reverse("posts:comment-report", args=[comment.pk])

    form = client.get(url)
    response = client.post(url, {"reason": "spam"})

    assert "Buy followers here" in form.content.decode()
    assert response.url == f"{detail_url(comment.post)}#comment-{comment.pk}"
    assert Report.objects.get().comment == comment


def test_a_comment_on_a_post_i_cannot_see_cannot_be_reported(client, me, private_post):
    comment = CommentFactory(post=private_post)

    response = client.get(reverse("posts:comment-report", args=[comment.pk]))

    assert response.status_code == 404


def test_report_pages_ask_a_visitor_to_log_in(client):
    comment = CommentFactory()
    post_report = reverse("posts:post-report", args=[comment.post.pk])
    comment_report = reverse("posts:comment-report", args=[comment.pk])

    assert client.get(post_report).url == login_redirect(post_report)
    assert client.get(comment_report).url == login_redirect(comment_report)
