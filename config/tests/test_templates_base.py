import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.csrf import csrf_failure
from django.views.defaults import bad_request, permission_denied, server_error

from accounts.tests.factories import UserFactory
from social.tests.factories import BlockFactory, NotificationFactory


def page_for(rf, user, **context):
    request = rf.get("/somewhere/")
    request.user = user
    return render(request, "base.html", context).content.decode()


def badge(html):
    match = re.search(r'<span class="badge"[^>]*>([^<]*)</span>', html)
    return match and match.group(1)


@pytest.mark.django_db
def test_visitors_get_log_in_and_sign_up_and_no_badge_without_a_query(
    rf, django_assert_num_queries
):
    with django_assert_num_queries(0):
        html = page_for(rf, AnonymousUser())

    assert 'href="/accounts/login/?next=/somewhere/"' in html
    assert 'href="/accounts/signup/"' in html
    assert badge(html) is None
    assert 'action="/accounts/logout/"' not in html


@pytest.mark.django_db
def test_top_bar_shows_how_many_notifications_are_unread(rf):
    me = UserFactory()
    NotificationFactory.create_batch(3, recipient=me)
    NotificationFactory(recipient=me, read_at=timezone.now())
    NotificationFactory()  # someone else's

    html = page_for(rf, me)

    assert badge(html) == "3"
    assert "Notifications, 3 unread" in html
    assert f'href="/u/{me.username}/"' in html
    assert 'action="/accounts/logout/"' in html


@pytest.mark.django_db
def test_badge_does_not_count_notifications_from_someone_i_blocked(rf):
    me = UserFactory()
    NotificationFactory(recipient=me)
    blocked = NotificationFactory(recipient=me).actor
    BlockFactory(blocker=me, blocked=blocked)

    assert badge(page_for(rf, me)) == "1"


@pytest.mark.django_db
def test_no_badge_when_every_notification_is_read(rf):
    me = UserFactory()
    NotificationFactory(recipient=me, read_at=timezone.now())

    html = page_for(rf, me)

    assert badge(html) is None
    assert "unread" not in html


@pytest.mark.django_db
def test_badge_says_99_plus_past_ninety_nine(rf):
    me = UserFactory()
    NotificationFactory.create_batch(100, recipient=me)

    assert badge(page_for(rf, me)) == "99+"


@pytest.mark.django_db
def test_unread_count_costs_one_query_per_request_however_many_templates_print_it(
    rf, django_assert_num_queries
):
    me = UserFactory()
    NotificationFactory(recipient=me)
    request = rf.get("/")
    request.user = me

    # 1. COUNT of my unread notifications, once, although base.html is rendered twice.
    with django_assert_num_queries(1):
        first = render(request, "base.html").content.decode()
        second = render(request, "base.html").content.decode()

    assert badge(first) == badge(second) == "1"


@pytest.mark.django_db
def test_current_tab_is_marked_for_screen_readers(rf):
    me = UserFactory()
    request = rf.get("/explore/")
    request.user = me

    html = render(request, "base.html").content.decode()

    assert 'href="/explore/" aria-current="page"' in html
    assert 'href="/" aria-current="page"' not in html


def test_messages_show_as_banners_with_their_level(rf):
    html = page_for(
        rf,
        AnonymousUser(),
        messages=[
            Message(constants.SUCCESS, "Post shared"),
            Message(constants.ERROR, "That image is too large"),
        ],
    )

    assert 'class="toast toast--success"' in html
    assert "Post shared" in html
    assert 'class="toast toast--error"' in html


def test_page_has_a_skip_link_to_the_main_content(rf):
    html = page_for(rf, AnonymousUser())

    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html


@pytest.mark.django_db
def test_missing_page_answers_404_in_the_site_look(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Sorry, this page isn't available" in html
    assert "/static/css/app.css" in html


def test_400_page_renders(rf):
    request = rf.get("/")
    request.user = AnonymousUser()

    response = bad_request(request, ValueError("garbled"))

    assert response.status_code == 400
    assert "That request didn't make sense" in response.content.decode()


def test_403_page_says_why_when_the_refusal_says(rf):
    request = rf.get("/")
    request.user = AnonymousUser()

    response = permission_denied(request, PermissionDenied("Only the author can edit this post."))

    assert response.status_code == 403
    assert "Only the author can edit this post." in response.content.decode()


def test_expired_form_page_explains_what_to_do(rf):
    response = csrf_failure(rf.post("/"), reason="CSRF token missing.")

    assert response.status_code == 403
    assert "This page expired" in response.content.decode()


def test_500_page_renders_without_request_context_or_database(rf):
    # No django_db mark: any query here would fail the test.
    response = server_error(rf.get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "{%" not in html


def test_500_template_stands_alone():
    html = render_to_string("500.html")

    assert "<style>" in html
    assert "/static/" not in html
