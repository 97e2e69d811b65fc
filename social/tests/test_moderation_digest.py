"""The moderators' e-mail digest of new reports (a Celery beat job)."""

import pytest
from django.core import mail

from accounts.tests.factories import UserFactory
from posts.tests.factories import PostFactory
from social.moderation import digest
from social.moderation.models import Report
from social.moderation.tasks import report_digest_mail
from social.tests.factories import ReportFactory
from social.tests.moderation_helpers import moderator_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return [moderator_make(email="sam@example.com"), moderator_make(email="kim@example.com")]


def test_each_moderator_gets_the_new_reports_once(team):
    reports = [ReportFactory(reason="hate"), ReportFactory(user=None, post=PostFactory())]

    assert report_digest_mail.delay().get() == 2

    assert sorted(m.to[0] for m in mail.outbox) == ["kim@example.com", "sam@example.com"]
    message = mail.outbox[0]
    assert message.subject == "Shutter moderation: 2 new reports"
    for report in reports:
        assert f"/admin/social/report/{report.pk}/change/" in message.body
    assert "Hate speech" in message.body
    assert "2 open in the queue" in message.body
    assert "/admin/social/report/" in message.body
    assert not Report.objects.filter(digested_at__isnull=True).exists()


def test_a_second_run_sends_nothing_until_new_reports_arrive(team):
    ReportFactory()
    digest.report_digest_send()
    mail.outbox.clear()

    assert digest.report_digest_send() == 0
    assert mail.outbox == []

    ReportFactory()
    assert digest.report_digest_send() == 1
    assert len(mail.outbox) == 2
    assert mail.outbox[0].subject == "Shutter moderation: 1 new report"


def test_reports_already_handled_are_not_listed(team):
    ReportFactory(status=Report.Status.DISMISSED)

    assert digest.report_digest_send() == 0
    assert mail.outbox == []


def test_no_moderator_with_an_email_means_no_mail():
    moderator_make(email="")
    UserFactory(email="someone@example.com")
    ReportFactory()

    assert digest.report_digest_send() == 0
    assert mail.outbox == []


def test_a_failed_send_leaves_the_reports_for_the_next_digest(team, monkeypatch):
    ReportFactory()

    class Down:
        def send_messages(self, messages):
            raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(digest.mailers.__class__, "default", property(lambda self: Down()))
    with pytest.raises(ConnectionRefusedError):
        digest.report_digest_send()
    monkeypatch.undo()

    assert Report.objects.filter(digested_at__isnull=True).count() == 1
    assert digest.report_digest_send() == 1
