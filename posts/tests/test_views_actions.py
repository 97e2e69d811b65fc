"""Form actions on posts: like, save, comment and their undoing, with and without scripts.

Without scripts a form posts and the browser follows a redirect to the form's `next`; app.js
posts the same form with `Accept: application/json` and reads the new state.
"""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from posts.models import Comment, Like, Post, SavedPost
from posts.services import comment_add, like_add, save_add
from posts.tests.factories import CommentFactory, PostFactory, image_upload
from social.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def url(name, obj):
    return reverse(f"posts:{name}", args=[obj.pk])


def detail_url(post):
    return url("post-detail", post)


@pytest.fixture
def private_post():
    return PostFactory(author=UserFactory(private=True))


# --- Likes -------------------------------------------------------------------------------------


def test_like_without_scripts_likes_and_goes_back_to_the_page(client, me):
    post = PostFactory()

    response = client.post(url("like", post), {"next": f"/explore/#post-{post.pk}"})

    assert response.status_code == 302 and response.url == f"/explore/#post-{post.pk}"
    assert Like.objects.filter(user=me, post=post).exists()
    assert Post.objects.get(pk=post.pk).like_count == 1


def test_like_and_unlike_answer_app_js_with_the_new_state(client, me):
    post = PostFactory()

    liked = client.post(url("like", post), **JSON)
    again = client.post(url("like", post), **JSON)
    unliked = client.post(url("unlike", post), **JSON)

    assert liked.json() == {"liked": True, "like_count": 1}
    assert again.json() == {"liked": True, "like_count": 1}  # idempotent
    assert unliked.json() == {"liked": False, "like_count": 0}
    assert not Like.objects.exists()


def test_a_next_pointing_elsewhere_is_ignored_for_the_post_s_page(client, me):
    post = PostFactory()

    response = client.post(url("like", post), {"next": "https://evil.example/steal"})

    assert response.url == detail_url(post)


def test_liking_a_post_i_cannot_see_is_404_and_likes_nothing(client, me, private_post):
    page = client.post(url("like", private_post))
    data = client.post(url("like", private_post), **JSON)

    assert page.status_code == 404
    assert data.status_code == 404 and data.json() == {"detail": "Not found."}
    assert not Like.objects.exists()


def test_liking_across_a_block_is_404(client, me):
    post = PostFactory()
    BlockFactory(blocker=post.author, blocked=me)

    assert client.post(url("like", post), **JSON).status_code == 404
    assert not Like.objects.exists()


def test_a_visitor_is_sent_to_log_in_and_back_to_the_page_they_were_on(client):
    post = PostFactory()

    page = client.post(url("like", post), {"next": "/explore/"})
    data = client.post(url("like", post), **JSON)

    assert page.status_code == 302 and page.url == "/accounts/login/?next=/explore/"
    assert data.status_code == 401
    assert not Like.objects.exists()


@pytest.mark.parametrize("name", ["like", "unlike", "save", "unsave", "comment-add"])
def test_actions_refuse_get(client, me, name):
    post = PostFactory()

    assert client.get(url(name, post)).status_code == 405


# --- Saves -------------------------------------------------------------------------------------


def test_save_and_unsave_answer_app_js_and_are_idempotent(client, me):
    post = PostFactory()

    saved = client.post(url("save", post), **JSON)
    client.post(url("save", post), **JSON)
    assert SavedPost.objects.filter(user=me, post=post).count() == 1
    unsaved = client.post(url("unsave", post), **JSON)

    assert saved.json() == {"saved": True}
    assert unsaved.json() == {"saved": False}
    assert not SavedPost.objects.exists()


def test_save_without_scripts_goes_back_to_the_page(client, me):
    post = PostFactory()

    response = client.post(url("save", post), {"next": "/saved/"})

    assert response.url == "/saved/"
    assert SavedPost.objects.filter(user=me, post=post).exists()


def test_saving_a_post_i_cannot_see_is_404(client, me, private_post):
    assert client.post(url("save", private_post)).status_code == 404
    assert not SavedPost.objects.exists()


def test_liked_and_saved_posts_show_pressed_buttons_that_undo(client, me):
    post = PostFactory()
    like_add(user=me, post=post)
    save_add(user=me, post=post)

    html = client.get(detail_url(post)).content.decode()

    assert f'action="{url("unlike", post)}"' in html
    assert f'action="{url("unsave", post)}"' in html
    assert html.count('aria-pressed="true"') == 2


# --- Comments ----------------------------------------------------------------------------------


def test_comment_without_scripts_is_added_and_shown_where_it_landed(client, me):
    post = PostFactory()

    response = client.post(url("comment-add", post), {"text": "Lovely #light"})

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response.url == f"{detail_url(post)}#comment-{comment.pk}"
    assert (comment.author, comment.text) == (me, "Lovely #light")
    assert Post.objects.get(pk=post.pk).comment_count == 1


def test_comments_over_the_comment_rate_are_429_with_retry_after(client, me, tight_rate):
    tight_rate("comment", "2/hour")
    post = PostFactory()

    added = [client.post(url("comment-add", post), {"text": "hi"}).status_code for _ in range(2)]
    refused = client.post(url("comment-add", post), {"text": "hi"}, **JSON)

    assert added == [302, 302]
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert set(refused.json()) == {"detail"}
    assert client.get(detail_url(post)).status_code == 200
    assert Comment.objects.count() == 2


def test_comment_for_app_js_answers_the_rendered_comment_and_the_count(client, me):
    post = PostFactory()

    response = client.post(url("comment-add", post), {"text": "Hi @me"}, **JSON)

    data = response.json()
    comment = Comment.objects.get()
    assert data["comment_count"] == 1
    assert f'<li class="comment" id="comment-{comment.pk}">' in data["html"]
    assert '<a class="mention" href="/u/me/">@me</a>' in data["html"]
    # Its author may delete it at once.
    assert url("comment-delete", comment) in data["html"]


def test_an_empty_comment_is_a_400_with_the_reason_for_app_js(client, me):
    post = PostFactory()

    response = client.post(url("comment-add", post), {"text": "   "}, **JSON)

    assert response.status_code == 400
    assert response.json() == {"text": ["Write something to comment."]}
    assert not Comment.objects.exists()


def test_a_too_long_comment_without_scripts_comes_back_with_its_text_and_the_limit(client, me):
    post = PostFactory()

    response = client.post(url("comment-add", post), {"text": "z" * 2201})

    html = response.content.decode()
    assert response.status_code == 400
    assert "A comment can be at most 2200 characters; this one has 2201." in html
    assert "z" * 2201 + "</textarea>" in html
    assert not Comment.objects.exists()


def test_commenting_on_a_post_i_cannot_see_is_404_even_with_bad_text(client, me, private_post):
    assert client.post(url("comment-add", private_post), {"text": ""}).status_code == 404
    assert client.post(url("comment-add", private_post), {"text": ""}, **JSON).status_code == 404
    assert client.post(url("comment-add", private_post), {"text": "hi"}).status_code == 404
    assert not Comment.objects.exists()


def test_comment_author_deletes_their_comment(client, me):
    post = PostFactory()
    comment = comment_add(author=me, post=post, text="Oops")

    response = client.post(url("comment-delete", comment), **JSON)

    assert response.json() == {"deleted": True, "comment_count": 0}
    assert not Comment.objects.exists()


def test_post_author_deletes_a_comment_on_their_post_without_scripts(client, me):
    post = PostFactory(author=me)
    comment = comment_add(author=UserFactory(), post=post, text="Rude")

    response = client.post(url("comment-delete", comment), {"next": detail_url(post)})

    assert response.status_code == 302 and response.url == detail_url(post)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Comment deleted."]
    assert not Comment.objects.exists()
    assert Post.objects.get(pk=post.pk).comment_count == 0


def test_someone_else_who_can_see_the_comment_gets_403(client, me):
    comment = CommentFactory()

    page = client.post(url("comment-delete", comment))
    data = client.post(url("comment-delete", comment), **JSON)

    assert page.status_code == 403
    assert data.status_code == 403 and "author" in data.json()["detail"]
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_deleting_a_comment_i_cannot_see_is_404(client, me, private_post):
    comment = CommentFactory(post=private_post)

    assert client.post(url("comment-delete", comment)).status_code == 404
    assert Comment.objects.filter(pk=comment.pk).exists()


# --- CSRF --------------------------------------------------------------------------------------


@pytest.fixture
def csrf_client(me):
    client = Client(enforce_csrf_checks=True)
    client.force_login(me)
    return client


@pytest.mark.parametrize("name", ["like", "unlike", "save", "unsave", "comment-add"])
def test_post_actions_refuse_a_request_without_the_csrf_token(csrf_client, me, name):
    post = PostFactory()
    like_add(user=me, post=post)
    save_add(user=me, post=post)

    response = csrf_client.post(url(name, post), {"text": "Forged"}, **JSON)

    assert response.status_code == 403
    assert Like.objects.count() == 1 and SavedPost.objects.count() == 1
    assert not Comment.objects.exists()


def test_comment_delete_refuses_a_request_without_the_csrf_token(csrf_client, me):
    comment = comment_add(author=me, post=PostFactory(), text="Mine")

    assert csrf_client.post(url("comment-delete", comment)).status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_post_pages_refuse_forms_without_the_csrf_token(csrf_client, me):
    mine = PostFactory(author=me, caption="Stays")
    theirs = PostFactory()

    new = csrf_client.post(reverse("posts:post-new"), {"images": [image_upload()]})
    edit = csrf_client.post(url("post-edit", mine), {"caption": "Forged"})
    delete = csrf_client.post(url("post-delete", mine))
    report = csrf_client.post(url("post-report", theirs), {"reason": "spam"})

    assert [r.status_code for r in (new, edit, delete, report)] == [403, 403, 403, 403]
    assert Post.objects.get(pk=mine.pk).caption == "Stays"
    assert Post.objects.count() == 2


def test_an_action_with_the_page_s_csrf_token_goes_through(csrf_client, me):
    post = PostFactory()
    page = csrf_client.get(detail_url(post))
    token = page.context["csrf_token"]

    response = csrf_client.post(url("like", post), {"csrfmiddlewaretoken": str(token)})

    assert response.status_code == 302
    assert Like.objects.filter(user=me, post=post).exists()
