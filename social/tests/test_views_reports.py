"""Reporting an account from its profile."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from social.moderation.models import Report
from social.tests.factories import BlockFactory

pytestmark = pytest.mark.django_db


def client_for(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


def report_url(user):
    return reverse("social:user-report", args=[user.username])


def test_the_report_page_offers_every_reason(client):
    them = UserFactory()

    response = client_for(UserFactory()).get(report_url(them))

    assert response.status_code == 200
    for reason in Report.Reason.values:
        assert f'value="{reason}"' in response.text


def test_reporting_an_account_thanks_and_goes_back_to_the_profile():
    me, them = UserFactory(), UserFactory()

    response = client_for(me).post(report_url(them), {"reason": "spam", "text": "Bot replies"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile", args=[them.username])
    report = Report.objects.get()
    assert (report.reporter, report.user, report.reason, report.text) == (
        me,
        them,
        "spam",
        "Bot replies",
    )
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Thanks, we'll look into it."]


def test_a_report_without_a_reason_keeps_the_text_and_asks_for_one():
    them = UserFactory()

    response = client_for(UserFactory()).post(report_url(them), {"text": "Keeps messaging"})

    assert response.status_code == 400
    assert "Keeps messaging</textarea>" in response.text
    assert "This field is required." in response.text
    assert not Report.objects.exists()


def test_too_long_details_are_refused_with_the_limit():
    them = UserFactory()

    response = client_for(UserFactory()).post(
        report_url(them), {"reason": "other", "text": "x" * 1001}
    )

    assert response.status_code == 400
    assert "Keep the details to 1000 characters (this has 1001)." in response.text


def test_reporting_myself_is_refused():
    me = UserFactory()

    response = client_for(me).post(report_url(me), {"reason": "spam"})

    assert response.status_code == 400
    assert "You can&#x27;t report yourself." in response.text


def test_the_report_page_needs_a_login(client):
    them = UserFactory()

    response = client.get(report_url(them))

    assert response["Location"] == f"/accounts/login/?next={report_url(them)}"


def test_someone_hidden_by_a_block_cannot_be_reported():
    me, them = UserFactory(), UserFactory()
    BlockFactory(blocker=them, blocked=me)

    response = client_for(me).post(report_url(them), {"reason": "spam"})

    assert response.status_code == 404
    assert not Report.objects.exists()


def test_reporting_needs_the_csrf_token():
    them = UserFactory()

    response = client_for(UserFactory(), enforce_csrf_checks=True).post(
        report_url(them), {"reason": "spam"}
    )

    assert response.status_code == 403
    assert not Report.objects.exists()
