import re

import pytest
from django import forms
from django.template.loader import render_to_string

from accounts.tests.factories import UserFactory
from posts.hydration import post_card_of
from posts.models import Post, PostImage
from posts.tests.factories import CommentFactory, PostFactory


def render(rf, template, user, path="/", **context):
    request = rf.get(path)
    request.user = user
    return render_to_string(f"includes/{template}", context, request=request)


def displayed(viewer, post):
    """The post as a card, the shape list selectors hand to templates (post_card_of makes the
    same from what for_display loaded, as the post's own page does)."""
    return post_card_of(Post.objects.for_display(viewer).get(pk=post.pk))


def img_tags(html):
    return re.findall(r"<img [^>]*>", html)


@pytest.mark.django_db
def test_post_card_renders_without_a_query_from_what_for_display_loaded(
    rf, django_assert_num_queries
):
    viewer = UserFactory()
    stored = PostFactory(images=3, caption="At the #Beach with @bob")
    CommentFactory(post=stored)
    post = displayed(viewer, stored)

    with django_assert_num_queries(0):
        html = render(rf, "post_card.html", viewer, post=post)

    assert len(img_tags(html)) == 3
    assert '<a class="tag" href="/tags/beach/">#Beach</a>' in html
    assert '<a class="mention" href="/u/bob/">@bob</a>' in html
    assert 'aria-label="Photos, 3 of them: scroll sideways"' in html


@pytest.mark.django_db
def test_post_image_falls_back_to_the_original_while_variants_are_pending(rf):
    viewer = UserFactory()
    stored = PostFactory()
    post = displayed(viewer, stored)
    original = stored.images.all()[0]

    html = render(rf, "post_card.html", viewer, post=post)

    img = img_tags(html)[0]
    assert f'src="{original.image.url}"' in img
    assert f'srcset="{original.image.url} {original.width}w"' in img
    assert f'width="{original.width}" height="{original.height}"' in img


@pytest.mark.django_db
def test_post_image_offers_the_display_variant_once_it_exists(rf):
    viewer = UserFactory()
    post = PostFactory()
    PostImage.objects.filter(post=post).update(
        display="posts/1/display.jpg", thumbnail="posts/1/thumb.jpg", width=2000, height=1500
    )

    html = render(rf, "post_card.html", viewer, post=displayed(viewer, post))

    img = img_tags(html)[0]
    assert 'src="/media/posts/1/display.jpg"' in img
    # The square thumbnail would crop a 4:3 photo, so only the display variant is offered.
    assert 'srcset="/media/posts/1/display.jpg 1080w"' in img


@pytest.mark.django_db
def test_photo_without_alt_text_is_described_by_its_author(rf):
    viewer = UserFactory()
    post = PostFactory(author=UserFactory(username="maya"))

    html = render(rf, "post_card.html", viewer, post=displayed(viewer, post))

    assert 'alt="Photo by maya"' in img_tags(html)[0]


@pytest.mark.django_db
def test_only_the_first_image_of_the_first_page_loads_eagerly(rf):
    viewer = UserFactory()
    PostFactory.create_batch(3)
    posts = [post_card_of(post) for post in Post.objects.for_display(viewer).order_by("-id")]

    first_page = img_tags(render(rf, "post_list.html", viewer, posts=posts))
    next_page = img_tags(render(rf, "post_list.html", viewer, "/?cursor=abc", posts=posts))

    assert 'fetchpriority="high"' in first_page[0]
    assert all('loading="lazy"' in img for img in first_page[1:])
    assert all('loading="lazy"' in img for img in next_page)


@pytest.mark.django_db
def test_like_and_save_forms_post_the_opposite_of_the_current_state(rf):
    viewer = UserFactory()
    post = displayed(viewer, PostFactory())
    post.liked, post.saved = True, False

    html = render(rf, "post_card.html", viewer, "/explore/", post=post)

    assert f'action="/p/{post.pk}/unlike/"' in html
    assert f'action="/p/{post.pk}/save/"' in html
    assert 'aria-pressed="true" aria-label="Like"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'name="next" value="/explore/#post-{post.pk}"' in html


@pytest.mark.django_db
def test_visitors_are_sent_to_log_in_instead_of_getting_like_forms(rf):
    from django.contrib.auth.models import AnonymousUser

    post = displayed(None, PostFactory())

    html = render(rf, "post_card.html", AnonymousUser(), "/explore/", post=post)

    assert "/like/" not in html
    assert 'href="/accounts/login/?next=/explore/"' in html
    assert 'name="text"' not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "action", "label"),
    [
        ("", "follow", "Follow"),
        ("pending", "unfollow", "Requested"),
        ("accepted", "unfollow", "Following"),
    ],
)
def test_follow_button_shows_the_viewers_follow_state(rf, state, action, label):
    viewer, person = UserFactory(), UserFactory(username="ana")

    html = render(rf, "follow_button.html", viewer, person=person, state=state)

    assert f'action="/u/ana/{action}/"' in html
    assert f'data-follow-state="{state}">{label}' in html


@pytest.mark.django_db
def test_no_follow_button_on_your_own_account(rf):
    me = UserFactory()

    assert render(rf, "follow_button.html", me, person=me, state="").strip() == ""


@pytest.mark.django_db
def test_comments_can_be_deleted_by_their_author_and_the_posts_author_only(rf):
    author, commenter, other = UserFactory(), UserFactory(), UserFactory()
    comment = CommentFactory(post=PostFactory(author=author), author=commenter)

    def can_delete(user):
        html = render(rf, "comment.html", user, comment=comment, post=comment.post)
        return f'action="/comments/{comment.pk}/delete/"' in html

    assert can_delete(commenter)
    assert can_delete(author)
    assert not can_delete(other)


@pytest.mark.django_db
def test_load_more_link_keeps_the_search_and_adds_the_cursor(rf):
    html = render(rf, "load_more.html", UserFactory(), "/search/?q=al", next_cursor="c2")

    assert 'href="?q=al&amp;cursor=c2"' in html
    assert render(rf, "load_more.html", UserFactory(), next_cursor=None).strip() == ""


class ProfileForm(forms.Form):
    bio = forms.CharField(max_length=150, help_text="Tell people about you.")
    website = forms.URLField(required=False)


@pytest.mark.django_db
def test_field_shows_label_help_counter_and_its_error_next_to_the_input(rf):
    form = ProfileForm({"bio": "", "website": "nope"})
    form.is_valid()

    bio = render(rf, "field.html", UserFactory(), field=form["bio"])
    website = render(rf, "field.html", UserFactory(), field=form["website"])

    assert '<label class="field__label" for="id_bio">Bio</label>' in bio
    assert 'aria-invalid="true"' in bio
    assert 'aria-describedby="id_bio_helptext id_bio_error"' in bio
    assert 'id="id_bio_error"' in bio
    assert 'data-counter-for="id_bio" data-max="150"' in bio
    assert "(optional)" in website
    assert "Enter a valid URL." in website
    assert 'value="nope"' in website
